// The engine: runs a catalog's controls over one snapshot's evidence tables and scores the
// findings. For each control it picks the first evidence alternative whose tables were all
// collected, runs its SQL read-only, leaves excepted entities out, applies user-set and
// attested states, and hands the counts to core::ScoreTenant.
//
//   Result<Evaluation> ev = Evaluate(catalog, evidence, {});
//   if (ev) std::cout << ev->score.percentage;
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/catalog.h"
#include "securescore/core/score.h"
#include "securescore/evidence/load.h"

namespace securescore::engine {

struct EvaluateOptions {
  // Explicit states by control id; they win over attestations in the snapshot.
  std::map<std::string, core::ControlState, std::less<>> states;
  // Entities under an active exception, by control id: left out of count and total, listed.
  std::map<std::string, std::set<std::string>, std::less<>> exceptions;
  // When not empty, only these control ids are evaluated (the rest are skipped entirely).
  std::set<std::string, std::less<>> only;
  // Also keep the compliant entities of this control (for `assess --explain`).
  std::string keep_passing_of;
  // Threads running control queries, each with its own connection to the evidence. `assess`
  // of one large tenant uses the machine's cores; callers that already evaluate several
  // tenants at once keep 1. The result is the same whatever the number.
  unsigned threads = 1;
};

// One row of a control's query.
struct Finding {
  std::string entity_id;
  std::string entity_name;
  std::string entity_type;
  bool compliant = false;
  std::string reason;
};

// Where a control's state came from.
enum class StateSource { kNone, kOption, kAttestation };

struct ControlEvaluation {
  const catalog::Control* control = nullptr;  // points into the Catalog passed to Evaluate
  core::Outcome outcome = core::Outcome::kEvaluated;
  std::string level;  // the evidence alternative used; empty when none could be
  std::string note;   // that alternative's note
  std::vector<std::string> missing_tables;  // no_data: what was not collected
  std::string error;                        // error: SQLite's message
  std::int64_t passing = 0;                 // compliant entities counted
  std::vector<Finding> failing;             // non-compliant entities counted
  std::vector<Finding> passing_entities;    // only for EvaluateOptions::keep_passing_of
  std::vector<Finding> excepted;            // left out by an exception
  core::ControlState state = core::ControlState::kToAddress;
  StateSource state_source = StateSource::kNone;
  std::string state_by;  // for attestations: who asserted it, and their comment
  std::string state_comment;
};

struct Evaluation {
  evidence::TenantInfo tenant;
  std::string collected_at;
  std::string catalog_version;
  std::vector<ControlEvaluation> controls;  // same order as score.controls
  core::TenantScore score;
  std::vector<std::string> warnings;  // e.g. an attestation naming an unknown control or state
};

// Fails only when the evaluation itself cannot run; a control whose query fails is an `error`
// control in the result, not a failed evaluation.
Result<Evaluation> Evaluate(const catalog::Catalog& catalog, evidence::LoadedEvidence& evidence,
                            const EvaluateOptions& options);

}  // namespace securescore::engine
