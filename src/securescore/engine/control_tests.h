// Runs a control's own test cases (docs/catalog-format.md `tests`): each case's `sources` is
// wrapped into a snapshot, loaded through the real adapters, and that one control is
// evaluated; status, points (2 decimals), count, total and level must match the expectation.
// `securescore catalog lint` and the test suite both use this.
#pragma once

#include <string>
#include <vector>

#include "securescore/catalog/control.h"

namespace securescore::engine {

struct TestCaseResult {
  std::string name;
  int line = 0;
  bool passed = false;
  std::vector<std::string> mismatches;  // "status: expected partial, got completed", …
};

// The snapshot JSON a test case's `sources` is loaded as.
std::string TestSnapshotJson(const std::string& sources_json);

std::vector<TestCaseResult> RunControlTests(const catalog::Control& control);

}  // namespace securescore::engine
