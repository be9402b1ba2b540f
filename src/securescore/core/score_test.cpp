#include "securescore/core/score.h"

#include <gtest/gtest.h>

namespace securescore::core {
namespace {

ControlInput PerEntity(std::string id, double max, std::int64_t count, std::int64_t total,
                       std::string category = "Identity") {
  ControlInput in;
  in.id = std::move(id);
  in.category = std::move(category);
  in.max_points = max;
  in.kind = ScoringKind::kPerEntity;
  in.count = count;
  in.total = total;
  return in;
}

ControlInput Binary(std::string id, double max, bool compliant, std::string category = "Apps") {
  ControlInput in;
  in.id = std::move(id);
  in.category = std::move(category);
  in.max_points = max;
  in.kind = ScoringKind::kBinary;
  in.count = compliant ? 1 : 0;
  in.total = 1;
  return in;
}

TEST(ScoreTest, PartialIsExactProportion) {
  std::vector<ControlInput> in = {PerEntity("MFARegistrationV2", 9, 25, 52)};
  TenantScore s = ScoreTenant(in);
  ASSERT_EQ(s.controls.size(), 1u);
  EXPECT_EQ(s.controls[0].status, ControlStatus::kPartial);
  EXPECT_DOUBLE_EQ(s.controls[0].points, 9.0 * 25 / 52);
  EXPECT_DOUBLE_EQ(Round2(s.controls[0].points), 4.33);
  EXPECT_DOUBLE_EQ(s.max, 9);
}

TEST(ScoreTest, CompletedAndToAddress) {
  std::vector<ControlInput> in = {PerEntity("a", 10, 52, 52), PerEntity("b", 8, 0, 40),
                                  Binary("c", 5, true), Binary("d", 3, false)};
  TenantScore s = ScoreTenant(in);
  EXPECT_EQ(s.controls[0].status, ControlStatus::kCompleted);
  EXPECT_EQ(s.controls[1].status, ControlStatus::kToAddress);
  EXPECT_EQ(s.controls[2].status, ControlStatus::kCompleted);
  EXPECT_EQ(s.controls[3].status, ControlStatus::kToAddress);
  EXPECT_DOUBLE_EQ(s.current, 15);
  EXPECT_DOUBLE_EQ(s.max, 26);
  EXPECT_DOUBLE_EQ(s.percentage, 100.0 * 15 / 26);
}

TEST(ScoreTest, BinaryWithSomeFailingRowsEarnsNothing) {
  ControlInput in = Binary("spf", 5, false);
  in.count = 3;
  in.total = 4;
  TenantScore s = ScoreTenant(std::vector<ControlInput>{in});
  EXPECT_EQ(s.controls[0].status, ControlStatus::kToAddress);
  EXPECT_DOUBLE_EQ(s.current, 0);
}

TEST(ScoreTest, ZeroOfZeroEarnsFullPointsByDefault) {
  std::vector<ControlInput> in = {PerEntity("a", 10, 0, 0)};
  TenantScore s = ScoreTenant(in);
  EXPECT_EQ(s.controls[0].status, ControlStatus::kCompleted);
  EXPECT_DOUBLE_EQ(s.current, 10);
  EXPECT_DOUBLE_EQ(s.max, 10);
}

TEST(ScoreTest, ZeroOfZeroNotApplicableIsExcluded) {
  ControlInput na = PerEntity("devices", 5, 0, 0, "Device");
  na.when_empty = WhenEmpty::kNotApplicable;
  std::vector<ControlInput> in = {na, Binary("c", 5, true)};
  TenantScore s = ScoreTenant(in);
  EXPECT_EQ(s.controls[0].status, ControlStatus::kNotApplicable);
  EXPECT_TRUE(s.controls[0].excluded);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.controls[0].score_impact, 0);
  EXPECT_EQ(s.coverage.not_applicable, 1);
  EXPECT_EQ(s.coverage.assessed, 1);
}

TEST(ScoreTest, NoDataAndErrorAreExcludedFromCurrentAndMax) {
  ControlInput nodata = PerEntity("a", 10, 5, 10);
  nodata.outcome = Outcome::kNoData;
  ControlInput err = Binary("b", 7, true);
  err.outcome = Outcome::kError;
  std::vector<ControlInput> in = {nodata, err, Binary("c", 4, true)};
  TenantScore s = ScoreTenant(in);
  EXPECT_EQ(s.controls[0].status, ControlStatus::kNoData);
  EXPECT_EQ(s.controls[1].status, ControlStatus::kError);
  EXPECT_DOUBLE_EQ(s.current, 4);
  EXPECT_DOUBLE_EQ(s.max, 4);
  EXPECT_EQ(s.coverage.no_data, 1);
  EXPECT_EQ(s.coverage.errors, 1);
  EXPECT_DOUBLE_EQ(s.percentage, 100);
}

TEST(ScoreTest, RiskAcceptedEarnsZeroButMeasuredIsUnchanged) {
  ControlInput in = PerEntity("a", 10, 10, 10);
  in.state = ControlState::kRiskAccepted;
  TenantScore s = ScoreTenant(std::vector<ControlInput>{in});
  EXPECT_DOUBLE_EQ(s.current, 0);
  EXPECT_DOUBLE_EQ(s.measured, 10);
  EXPECT_DOUBLE_EQ(s.controls[0].measured_points, 10);
  EXPECT_DOUBLE_EQ(s.controls[0].score_impact, 100);
}

TEST(ScoreTest, ThirdPartyAndAlternateMitigationEarnMax) {
  ControlInput a = Binary("mdo_safeattachments", 8, false);
  a.state = ControlState::kThirdParty;
  ControlInput b = PerEntity("b", 2, 1, 4);
  b.state = ControlState::kAlternateMitigation;
  TenantScore s = ScoreTenant(std::vector<ControlInput>{a, b});
  EXPECT_DOUBLE_EQ(s.current, 10);
  EXPECT_DOUBLE_EQ(s.measured, 0.5);
  EXPECT_EQ(s.controls[0].status, ControlStatus::kToAddress);  // status is the evidence's
}

TEST(ScoreTest, PlannedAndReviewedDoNotChangePoints) {
  ControlInput p = PerEntity("p", 10, 5, 10);
  p.state = ControlState::kPlanned;
  ControlInput r = Binary("r", 4, false);
  r.state = ControlState::kReviewed;
  TenantScore s = ScoreTenant(std::vector<ControlInput>{p, r});
  EXPECT_DOUBLE_EQ(s.current, 5);
  EXPECT_DOUBLE_EQ(s.measured, 5);
  // planned: as if `p` were completed; `r` stays at its points.
  EXPECT_DOUBLE_EQ(s.planned, 10);
}

TEST(ScoreTest, ScoreImpactIsShareOfTenantMax) {
  std::vector<ControlInput> in = {PerEntity("a", 10, 0, 10), Binary("b", 30, true),
                                  PerEntity("c", 10, 5, 10)};
  TenantScore s = ScoreTenant(in);
  EXPECT_DOUBLE_EQ(s.controls[0].score_impact, 100.0 * 10 / 50);
  EXPECT_DOUBLE_EQ(s.controls[1].score_impact, 0);
  EXPECT_DOUBLE_EQ(s.controls[2].score_impact, 100.0 * 5 / 50);
}

TEST(ScoreTest, CategoriesSumTheirControlsInMicrosoftOrder) {
  std::vector<ControlInput> in = {PerEntity("a", 10, 5, 10, "Identity"),
                                  Binary("b", 4, true, "Apps"), Binary("c", 6, false, "Apps"),
                                  Binary("d", 2, true, "Data")};
  TenantScore s = ScoreTenant(in);
  ASSERT_EQ(s.categories.size(), 5u);
  EXPECT_EQ(s.categories[0].name, "Identity");
  EXPECT_DOUBLE_EQ(s.categories[0].current, 5);
  EXPECT_DOUBLE_EQ(s.categories[0].percentage, 50);
  EXPECT_EQ(s.categories[1].name, "Data");
  EXPECT_DOUBLE_EQ(s.categories[1].percentage, 100);
  EXPECT_EQ(s.categories[2].name, "Device");
  EXPECT_DOUBLE_EQ(s.categories[2].max, 0);
  EXPECT_DOUBLE_EQ(s.categories[2].percentage, 0);
  EXPECT_EQ(s.categories[3].name, "Apps");
  EXPECT_DOUBLE_EQ(s.categories[3].current, 4);
  EXPECT_DOUBLE_EQ(s.categories[3].max, 10);
}

TEST(ScoreTest, EmptyCatalogScoresZeroOfZero) {
  TenantScore s = ScoreTenant(std::vector<ControlInput>{});
  EXPECT_DOUBLE_EQ(s.current, 0);
  EXPECT_DOUBLE_EQ(s.max, 0);
  EXPECT_DOUBLE_EQ(s.percentage, 0);
}

TEST(ModelTest, StatesParseOurNamesAndGraphNames) {
  EXPECT_EQ(ParseControlState("risk_accepted"), ControlState::kRiskAccepted);
  EXPECT_EQ(ParseControlState("Ignored"), ControlState::kRiskAccepted);
  EXPECT_EQ(ParseControlState("thirdparty"), ControlState::kThirdParty);
  EXPECT_EQ(ParseControlState("Default"), ControlState::kToAddress);
  EXPECT_EQ(ParseControlState("Reviewed"), ControlState::kReviewed);
  EXPECT_FALSE(ParseControlState("bogus"));
  EXPECT_EQ(GraphStateName(ControlState::kThirdParty), "ThirdParty");
  for (auto st :
       {ControlState::kToAddress, ControlState::kPlanned, ControlState::kRiskAccepted,
        ControlState::kThirdParty, ControlState::kAlternateMitigation, ControlState::kReviewed}) {
    EXPECT_EQ(ParseControlState(ToString(st)), st);
  }
}

TEST(ModelTest, StatusAndKindRoundTrip) {
  for (auto st : {ControlStatus::kCompleted, ControlStatus::kPartial, ControlStatus::kToAddress,
                  ControlStatus::kNotApplicable, ControlStatus::kNoData, ControlStatus::kError}) {
    EXPECT_EQ(ParseControlStatus(ToString(st)), st);
  }
  EXPECT_EQ(ParseScoringKind("per_entity"), ScoringKind::kPerEntity);
  EXPECT_EQ(ParseWhenEmpty("not_applicable"), WhenEmpty::kNotApplicable);
  EXPECT_FALSE(ParseScoringKind("partial"));
}

}  // namespace
}  // namespace securescore::core
