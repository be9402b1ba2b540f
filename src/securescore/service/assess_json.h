// The `assess` JSON object of DESIGN §4, written from one neutral report so that `assess`
// (a fresh engine::Evaluation) and `score` (a stored evaluation re-scored with today's states)
// print the very same contract; `score` adds evaluatedAt and per control state detail.
//
//   AssessReport r = ...;            // from FromEngine(ev) or the score view
//   std::cout << RenderAssessJson(r);
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "securescore/core/score.h"
#include "securescore/engine/evaluate.h"
#include "securescore/store/records.h"

namespace securescore::service {

struct ControlReport {
  std::string id;
  std::string title;
  std::string category;
  std::string service;
  double max_points = 0;  // the catalog's maximum (ControlScore::max is 0 when excluded)
  std::string evidence_level;
  std::string evidence_note;
  std::vector<std::string> missing_tables;
  std::string error;
  std::vector<store::EntityRef> failing;
  std::vector<store::EntityRef> excepted;
  // Only written by `score`: the state's comment and whether the control regressed.
  std::optional<std::string> state_comment;
  std::optional<bool> regressed;
  // Served score documents name only how many entities fail (`failingCount`, `exceptedCount`)
  // and leave the lists to the per-action route: they are most of the bytes.
  bool counts_only = false;
};

struct AssessReport {
  std::string tenant_id;
  std::string tenant_name;
  std::string collected_at;
  std::string catalog_version;
  std::optional<std::string> evaluated_at;  // stored evaluations only
  core::TenantScore score;
  std::vector<ControlReport> controls;  // same order as score.controls
  std::vector<std::string> warnings;
};

// Findings as the entity references reports and the store keep.
std::vector<store::EntityRef> ToEntityRefs(const std::vector<engine::Finding>& findings);

// The report of a fresh evaluation (what `assess` prints).
AssessReport FromEngine(const engine::Evaluation& ev);

// Pretty-printed JSON followed by a newline. Numbers are exact JSON numbers.
std::string RenderAssessJson(const AssessReport& report);

// The same text as RenderAssessJson(FromEngine(ev)), written to `out` as it is made and without
// copying the failing entities: for a large tenant the document runs to hundreds of MB.
void WriteAssessJson(const engine::Evaluation& ev, std::ostream& out);

}  // namespace securescore::service
