#include "securescore/core/compare.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
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

// --- CompareSeries: the averages day by day.

constexpr std::nullopt_t kNone = std::nullopt;

TenantSeries Series(std::string id, std::int64_t seats, std::string industry,
                    std::vector<std::optional<double>> days) {
  return TenantSeries{std::move(id), std::move(industry), seats, std::move(days)};
}

ComparativeSeries SeriesOf(const std::vector<ComparativeSeries>& all, ComparisonBasis b) {
  return all.at(static_cast<std::size_t>(b));
}

TEST(CompareSeriesTest, AveragesThePeersWithAFigureEachDayAndWithholdsBelowThree) {
  // Day 0: only a and b have evaluations (2 peers); day 1: c joins; day 2: d joins.
  const TenantSeries me = Series("me", 50, "Finance", {10, 20, kNone});
  const std::vector<TenantSeries> all = {
      me,
      Series("a", 50, "Retail", {30, 30, 40}),
      Series("b", 9000, "Retail", {60, 70, 70}),
      Series("c", 700, "Energy", {kNone, 80, 90}),
      Series("d", 700, "Energy", {kNone, kNone, 0}),
  };
  const ComparativeSeries s = SeriesOf(CompareSeries(me, all), ComparisonBasis::kAllTenants);
  ASSERT_EQ(s.days.size(), 3u);
  EXPECT_TRUE(s.days[0].withheld);
  EXPECT_EQ(s.days[0].peers, 2);
  EXPECT_EQ(s.days[0].average_percentage, 0);  // nothing that could reveal a peer's score
  EXPECT_FALSE(s.days[1].withheld);
  EXPECT_EQ(s.days[1].peers, 3);
  EXPECT_DOUBLE_EQ(s.days[1].average_percentage, (30.0 + 70 + 80) / 3);  // 60
  EXPECT_FALSE(s.days[2].withheld);
  EXPECT_EQ(s.days[2].peers, 4);
  EXPECT_DOUBLE_EQ(s.days[2].average_percentage, (40.0 + 70 + 90 + 0) / 4);  // 50
}

TEST(CompareSeriesTest, SeatBandAndIndustryBasesSelectTheirPeers) {
  const TenantSeries me = Series("me", 300, "Healthcare", {50, 50});
  const std::vector<TenantSeries> all = {
      me,
      Series("band1", 101, "healthcare", {20, 21}),
      Series("band2", 500, "Retail", {40, 41}),
      Series("band3", 250, "HEALTHCARE", {60}),  // a shorter series: no figure on day 1
      Series("band4", 499, "Retail", {kNone, 80}),
      Series("other-band", 9000, "Healthcare", {90, 90}),
  };
  const std::vector<ComparativeSeries> c = CompareSeries(me, all);
  ASSERT_EQ(c.size(), 3u);
  const ComparativeSeries seats = SeriesOf(c, ComparisonBasis::kTotalSeats);
  EXPECT_EQ(seats.basis_value, "101-500");
  EXPECT_EQ(seats.days[0].peers, 3);
  EXPECT_DOUBLE_EQ(seats.days[0].average_percentage, 40);  // (20 + 40 + 60) / 3
  EXPECT_EQ(seats.days[1].peers, 3);
  EXPECT_DOUBLE_EQ(seats.days[1].average_percentage, (21.0 + 41 + 80) / 3);
  const ComparativeSeries industry = SeriesOf(c, ComparisonBasis::kIndustryTypes);
  EXPECT_EQ(industry.basis_value, "Healthcare");
  EXPECT_EQ(industry.days[0].peers, 3);
  EXPECT_DOUBLE_EQ(industry.days[0].average_percentage, (20.0 + 60 + 90) / 3);
  EXPECT_EQ(industry.days[1].peers, 2);
  EXPECT_TRUE(industry.days[1].withheld);
  const ComparativeSeries everyone = SeriesOf(c, ComparisonBasis::kAllTenants);
  EXPECT_EQ(everyone.days[1].peers, 4);
  EXPECT_DOUBLE_EQ(everyone.days[1].average_percentage, (21.0 + 41 + 80 + 90) / 4);
}

TEST(CompareSeriesTest, UnknownSeatsOrIndustryIsWithheldEveryDay) {
  const TenantSeries me = Series("me", 0, "", {1, 2});
  std::vector<TenantSeries> all = {me};
  for (std::string id : {"a", "b", "c", "d"}) all.push_back(Series(id, 0, "", {5, 6}));
  const std::vector<ComparativeSeries> c = CompareSeries(me, all);
  for (ComparisonBasis b : {ComparisonBasis::kTotalSeats, ComparisonBasis::kIndustryTypes}) {
    for (const DailyAverage& d : SeriesOf(c, b).days) {
      EXPECT_TRUE(d.withheld) << ToString(b);
      EXPECT_EQ(d.peers, 0) << ToString(b);
    }
  }
  EXPECT_DOUBLE_EQ(SeriesOf(c, ComparisonBasis::kAllTenants).days[1].average_percentage, 6);
}

TEST(CompareSeriesTest, EachDayAgreesWithCompareOverThatDaysFigures) {
  const std::vector<TenantSeries> all = {
      Series("me", 120, "Finance", {33, 35, 36}),    Series("a", 130, "Finance", {10, 12, 14}),
      Series("b", 4000, "finance", {55, kNone, 57}), Series("c", 140, "Retail", {70, 71, kNone}),
      Series("d", 150, "Finance", {kNone, 90, 91}),  Series("e", 160, "Energy", {5, 6, 7}),
  };
  const std::vector<ComparativeSeries> series = CompareSeries(all[0], all);
  for (std::size_t day = 0; day < 3; ++day) {
    std::vector<TenantFigures> figures;
    for (const TenantSeries& t : all) {
      if (t.percentages[day]) {
        figures.push_back({t.tenant_id, t.industry, t.seats, *t.percentages[day], {}});
      }
    }
    const TenantFigures me{"me", "Finance", 120, *all[0].percentages[day], {}};
    const std::vector<ComparativeScore> now = Compare(me, figures);
    for (std::size_t b = 0; b < 3; ++b) {
      EXPECT_EQ(series[b].basis_value, now[b].basis_value);
      EXPECT_EQ(series[b].days[day].peers, now[b].peers) << b << " day " << day;
      EXPECT_EQ(series[b].days[day].withheld, now[b].withheld) << b << " day " << day;
      EXPECT_DOUBLE_EQ(series[b].days[day].average_percentage, now[b].average_percentage);
    }
  }
}

}  // namespace
}  // namespace securescore::core
