// A control as the catalog holds it: Microsoft's metadata, the evidence alternatives (SQL over
// the evidence tables) tried in order, and the control's own test cases. Pure data: parsing
// lives in parse.h, checking in validate.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "securescore/core/model.h"

namespace securescore::catalog {

// One way to judge a control: the tables it needs and the query over them (catalog-format.md).
struct EvidenceAlternative {
  std::string level;                         // e.g. "entity", "policy"
  std::vector<std::string> required_tables;  // `requires`: tables that must be collected
  std::string sql;
  std::string note;  // shown when this alternative is used (e.g. why it is weaker)
  int line = 0;
};

struct TestExpectation {
  core::ControlStatus status = core::ControlStatus::kCompleted;
  double points = 0;
  std::optional<std::int64_t> count;
  std::optional<std::int64_t> total;
  std::optional<std::string> level;
};

// Evidence in, expected score out. `sources_json` is the case's `sources` mapping converted
// from YAML to JSON, ready to be wrapped into a snapshot and loaded by the real adapters.
struct TestCase {
  std::string name;
  std::string sources_json;
  TestExpectation expect;
  int line = 0;
};

struct Control {
  std::string id;
  std::string title;
  std::string category;
  std::string service;
  double max_points = 0;
  std::string tier;
  std::string user_impact;
  std::string implementation_cost;
  std::string action_type;
  std::vector<std::string> threats;
  core::ScoringKind scoring = core::ScoringKind::kBinary;
  core::WhenEmpty when_empty = core::WhenEmpty::kFull;
  std::string population;
  std::string description;
  std::string remediation;
  std::string portal;
  std::string powershell;
  std::string user_notice;
  std::string notes;
  std::vector<std::string> scuba_ids;
  std::vector<std::string> cis_ids;
  std::vector<EvidenceAlternative> evidence;
  std::vector<TestCase> tests;

  std::string file;  // where it was loaded from: relative path for embedded controls
};

}  // namespace securescore::catalog
