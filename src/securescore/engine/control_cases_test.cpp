// Every embedded control's own test cases, one test per control (named by its id), so that a
// control whose query disagrees with its declared cases fails by name in CTest.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>

#include "securescore/catalog/catalog.h"
#include "securescore/engine/control_tests.h"

namespace securescore::engine {
namespace {

const catalog::Catalog& Embedded() {
  static const catalog::Catalog catalog = [] {  // loaded once, read-only afterwards
    catalog::LoadReport report;
    return catalog::LoadCatalog(catalog::EmbeddedCatalogSources(), {}, report);
  }();
  return catalog;
}

std::vector<std::string> EmbeddedIds() {
  std::vector<std::string> ids;
  for (const auto& c : Embedded().controls) ids.push_back(c.id);
  return ids;
}

class ControlCases : public ::testing::TestWithParam<std::string> {};

TEST_P(ControlCases, MatchItsExpectations) {
  const catalog::Control* control = Embedded().Find(GetParam());
  ASSERT_NE(control, nullptr);
  ASSERT_FALSE(control->tests.empty());
  for (const auto& result : RunControlTests(*control)) {
    EXPECT_TRUE(result.passed) << fmt::format("{}:{}: test '{}': {}", control->file, result.line,
                                              result.name, fmt::join(result.mismatches, "; "));
  }
}

INSTANTIATE_TEST_SUITE_P(Embedded, ControlCases, ::testing::ValuesIn(EmbeddedIds()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });
// An empty catalog (early in a checkout's life) is not a failure of this suite.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ControlCases);

// The control-test runner itself, on a control written here.
TEST(RunControlTests, ReportsEachMismatch) {
  catalog::LoadReport report;
  auto dir = catalog::ReadCatalogDir(SECURESCORE_SOURCE_DIR "/tests/data/catalog");
  ASSERT_TRUE(dir.ok());
  catalog::Catalog c = catalog::LoadCatalog({}, *dir, report);
  ASSERT_FALSE(report.HasErrors()) << report.ToText();
  const catalog::Control* mfa = c.Find("TestMfaRegistration");
  ASSERT_NE(mfa, nullptr);
  for (const auto& r : RunControlTests(*mfa)) EXPECT_TRUE(r.passed) << r.name;

  catalog::Control wrong = *mfa;
  wrong.tests.resize(1);
  wrong.tests[0].expect.status = core::ControlStatus::kPartial;
  wrong.tests[0].expect.points = 4.5;
  wrong.tests[0].expect.level = "other";
  auto results = RunControlTests(wrong);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].passed);
  ASSERT_EQ(results[0].mismatches.size(), 3u);
  EXPECT_EQ(results[0].mismatches[0], "status: expected partial, got completed");
  EXPECT_EQ(results[0].mismatches[1], "points: expected 4.50, got 9.00");
  EXPECT_EQ(results[0].mismatches[2], "level: expected other, got entity");
}

TEST(RunControlTests, SnapshotWrapsTheSources) {
  EXPECT_EQ(TestSnapshotJson(R"({"graph":{}})"),
            R"({"schema":"securescore.snapshot/1","tenant":{"id":)"
            R"("00000000-0000-0000-0000-000000000000","displayName":"Test"},)"
            R"("collectedAt":"2026-01-01T00:00:00Z","sources":{"graph":{}}})");
}

}  // namespace
}  // namespace securescore::engine
