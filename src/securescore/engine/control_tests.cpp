#include "securescore/engine/control_tests.h"

#include <fmt/format.h>

#include "securescore/core/score.h"
#include "securescore/engine/evaluate.h"
#include "securescore/evidence/load.h"

namespace securescore::engine {
namespace {

TestCaseResult RunCase(const catalog::Control& control, const catalog::TestCase& test) {
  TestCaseResult result{test.name, test.line, false, {}};
  auto fail = [&result](std::string what) { result.mismatches.push_back(std::move(what)); };

  auto evidence = evidence::LoadEvidenceJson(TestSnapshotJson(test.sources_json),
                                             fmt::format("{} test '{}'", control.id, test.name));
  if (!evidence) {
    fail("the test's sources do not load: " + evidence.error().ToString());
    return result;
  }
  catalog::Catalog one{{control}, "test"};
  auto ev = Evaluate(one, *evidence, {});
  if (!ev || ev->controls.size() != 1) {
    fail(ev ? "the control was not evaluated" : ev.error().ToString());
    return result;
  }
  const ControlEvaluation& ce = ev->controls[0];
  const core::ControlScore& score = ev->score.controls[0];
  const catalog::TestExpectation& want = test.expect;
  if (score.status != want.status) {
    std::string got(core::ToString(score.status));
    if (score.status == core::ControlStatus::kError) got += " (" + ce.error + ")";
    if (score.status == core::ControlStatus::kNoData) {
      got += fmt::format(" (missing {})", fmt::join(ce.missing_tables, ", "));
    }
    fail(fmt::format("status: expected {}, got {}", core::ToString(want.status), got));
  }
  if (core::Round2(score.points) != core::Round2(want.points)) {
    fail(fmt::format("points: expected {:.2f}, got {:.2f}", want.points, score.points));
  }
  if (want.count && *want.count != score.count) {
    fail(fmt::format("count: expected {}, got {}", *want.count, score.count));
  }
  if (want.total && *want.total != score.total) {
    fail(fmt::format("total: expected {}, got {}", *want.total, score.total));
  }
  if (want.level && *want.level != ce.level) {
    fail(fmt::format("level: expected {}, got {}", *want.level,
                     ce.level.empty() ? "(none)" : ce.level));
  }
  result.passed = result.mismatches.empty();
  return result;
}

}  // namespace

std::string TestSnapshotJson(const std::string& sources_json) {
  return fmt::format(
      R"({{"schema":"securescore.snapshot/1",)"
      R"("tenant":{{"id":"00000000-0000-0000-0000-000000000000","displayName":"Test"}},)"
      R"("collectedAt":"2026-01-01T00:00:00Z","sources":{}}})",
      sources_json.empty() ? "{}" : sources_json);
}

std::vector<TestCaseResult> RunControlTests(const catalog::Control& control) {
  std::vector<TestCaseResult> results;
  results.reserve(control.tests.size());
  for (const auto& test : control.tests) results.push_back(RunCase(control, test));
  return results;
}

}  // namespace securescore::engine
