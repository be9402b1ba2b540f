#include "securescore/core/compare.h"

#include <gtest/gtest.h>

#include <vector>

namespace securescore::core {
namespace {

TenantFigures Figures(std::string id, std::int64_t seats, std::string industry, double pct,
                      double identity_pct = 0, double data_max = 10) {
  TenantFigures t{std::move(id), std::move(industry), seats, pct, {}};
  t.categories = {{"Identity", identity_pct / 10, 10, identity_pct},
                  {"Data", 0, data_max, 0},
                  {"Device", 0, 0, 0},
                  {"Apps", 0, 0, 0},
                  {"Infrastructure", 0, 0, 0}};
  return t;
}

ComparativeScore Basis(const std::vector<ComparativeScore>& all, ComparisonBasis b) {
  return all.at(static_cast<std::size_t>(b));
}

TEST(SeatBandTest, BandsFollowMicrosoftsRanges) {
  struct Case {
    std::int64_t seats;
    const char* band;
  };
  for (Case c : {Case{1, "1-100"}, Case{100, "1-100"}, Case{101, "101-500"}, Case{500, "101-500"},
                 Case{501, "501-1000"}, Case{1000, "501-1000"}, Case{1001, "1001-5000"},
                 Case{5000, "1001-5000"}, Case{5001, "5001+"}, Case{250000, "5001+"}}) {
    std::optional<SeatBand> band = SeatBandOf(c.seats);
    ASSERT_TRUE(band.has_value()) << c.seats;
    EXPECT_EQ(ToString(*band), c.band) << c.seats;
  }
  EXPECT_FALSE(SeatBandOf(0).has_value());
  EXPECT_FALSE(SeatBandOf(-5).has_value());
}

TEST(CompareTest, ReturnsTheThreeBasesInGraphsOrder) {
  TenantFigures me = Figures("me", 50, "Finance", 40);
  std::vector<ComparativeScore> c = Compare(me, std::span(&me, 1));
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(ToString(c[0].basis), "AllTenants");
  EXPECT_EQ(ToString(c[1].basis), "TotalSeats");
  EXPECT_EQ(ToString(c[2].basis), "IndustryTypes");
  EXPECT_EQ(c[1].basis_value, "1-100");
  EXPECT_EQ(c[2].basis_value, "Finance");
}

TEST(CompareTest, AllTenantsAveragesTheOthersNotTheTenantItself) {
  TenantFigures me = Figures("me", 50, "Finance", 100);
  std::vector<TenantFigures> all = {me, Figures("a", 50, "Retail", 30),
                                    Figures("b", 9000, "Retail", 60),
                                    Figures("c", 700, "Energy", 90)};
  const ComparativeScore s = Basis(Compare(me, all), ComparisonBasis::kAllTenants);
  EXPECT_FALSE(s.withheld);
  EXPECT_EQ(s.peers, 3);
  EXPECT_DOUBLE_EQ(s.average_percentage, 60);
}

TEST(CompareTest, FewerThanThreeOtherTenantsIsWithheld) {
  TenantFigures me = Figures("me", 50, "Finance", 100);
  std::vector<TenantFigures> all = {me, Figures("a", 50, "Finance", 30),
                                    Figures("b", 60, "Finance", 60)};
  for (const ComparativeScore& s : Compare(me, all)) {
    EXPECT_TRUE(s.withheld) << ToString(s.basis);
    EXPECT_EQ(s.peers, 2);
    EXPECT_EQ(s.average_percentage, 0);  // nothing that could reveal a peer's score
    EXPECT_TRUE(s.categories.empty());
  }
  all.push_back(Figures("c", 70, "Finance", 90));
  for (const ComparativeScore& s : Compare(me, all)) {
    EXPECT_FALSE(s.withheld) << ToString(s.basis);
    EXPECT_DOUBLE_EQ(s.average_percentage, 60);
  }
}

TEST(CompareTest, TotalSeatsComparesWithinTheSameBand) {
  TenantFigures me = Figures("me", 300, "Finance", 10);
  std::vector<TenantFigures> all = {
      me,
      Figures("in1", 101, "", 20),
      Figures("in2", 500, "", 40),
      Figures("in3", 250, "", 60),
      Figures("below", 100, "", 99),
      Figures("above", 501, "", 99),
      Figures("unknown", 0, "", 99),
  };
  const ComparativeScore s = Basis(Compare(me, all), ComparisonBasis::kTotalSeats);
  EXPECT_EQ(s.basis_value, "101-500");
  EXPECT_EQ(s.peers, 3);
  EXPECT_FALSE(s.withheld);
  EXPECT_DOUBLE_EQ(s.average_percentage, 40);
}

TEST(CompareTest, UnknownSeatsOrIndustryHasNoBasis) {
  TenantFigures me = Figures("me", 0, "", 10);
  std::vector<TenantFigures> all = {me, Figures("a", 0, "", 1), Figures("b", 0, "", 2),
                                    Figures("c", 0, "", 3), Figures("d", 0, "", 4)};
  std::vector<ComparativeScore> c = Compare(me, all);
  EXPECT_FALSE(Basis(c, ComparisonBasis::kAllTenants).withheld);
  EXPECT_TRUE(Basis(c, ComparisonBasis::kTotalSeats).withheld);
  EXPECT_EQ(Basis(c, ComparisonBasis::kTotalSeats).peers, 0);
  EXPECT_TRUE(Basis(c, ComparisonBasis::kIndustryTypes).withheld);
}

TEST(CompareTest, IndustryTypesMatchesTheIndustryIgnoringCase) {
  TenantFigures me = Figures("me", 50, "Healthcare", 10);
  std::vector<TenantFigures> all = {
      me, Figures("a", 50, "healthcare", 30), Figures("b", 9000, "HEALTHCARE", 50),
      Figures("c", 700, "Healthcare", 70), Figures("d", 700, "Health", 0)};
  const ComparativeScore s = Basis(Compare(me, all), ComparisonBasis::kIndustryTypes);
  EXPECT_EQ(s.peers, 3);
  EXPECT_DOUBLE_EQ(s.average_percentage, 50);
}

TEST(CompareTest, CategoryAveragesSkipPeersWithoutPointsInTheCategory) {
  TenantFigures me = Figures("me", 50, "Finance", 10);
  std::vector<TenantFigures> all = {me, Figures("a", 50, "", 30, 20, 0),
                                    Figures("b", 50, "", 30, 40, 10),
                                    Figures("c", 50, "", 30, 90, 10)};
  all[2].categories[1] = {"Data", 5, 10, 50};
  const ComparativeScore s = Basis(Compare(me, all), ComparisonBasis::kAllTenants);
  ASSERT_EQ(s.categories.size(), 5u);
  EXPECT_EQ(s.categories[0].name, "Identity");
  EXPECT_EQ(s.categories[0].tenants, 3);
  EXPECT_DOUBLE_EQ(s.categories[0].average_percentage, 50);
  // "a" has no Data points available: the average is over b (50 %) and c (0 %).
  EXPECT_EQ(s.categories[1].name, "Data");
  EXPECT_EQ(s.categories[1].tenants, 2);
  EXPECT_DOUBLE_EQ(s.categories[1].average_percentage, 25);
  EXPECT_EQ(s.categories[2].tenants, 0);
  EXPECT_EQ(s.categories[2].average_percentage, 0);
}

}  // namespace
}  // namespace securescore::core
