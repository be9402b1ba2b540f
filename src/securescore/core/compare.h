// Comparison with similar organisations (DESIGN §2; Graph's averageComparativeScores): the
// average percentage, overall and per category, of the other tenants that share a basis with
// this one — all tenants, the same seat band, or the same industry — now (Compare) and day by
// day over a range (CompareSeries, the trends chart).
//
// Pure: the store supplies the figures. A basis with fewer than kMinComparisonPeers other
// tenants is withheld, so no comparison reveals one tenant's score.
//
//   std::vector<ComparativeScore> c = Compare(me, everyone);   // AllTenants, TotalSeats,
//   if (!c[1].withheld) Show(c[1].average_percentage);        // IndustryTypes, in that order
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/core/score.h"

namespace securescore::core {

enum class ComparisonBasis { kAllTenants, kTotalSeats, kIndustryTypes };

// Graph's basis names: "AllTenants", "TotalSeats", "IndustryTypes".
std::string_view ToString(ComparisonBasis basis);

inline constexpr int kMinComparisonPeers = 3;

// One tenant's figures from its latest evaluation.
struct TenantFigures {
  std::string tenant_id;
  std::string industry;    // empty when unknown
  std::int64_t seats = 0;  // licensed users; 0 when unknown
  double percentage = 0;
  std::vector<CategoryScore> categories;
};

// Seat bands: 1–100, 101–500, 501–1000, 1001–5000, 5001+ (upper 0: no upper bound).
struct SeatBand {
  std::int64_t lower = 0;
  std::int64_t upper = 0;
  bool operator==(const SeatBand&) const = default;
};

// nullopt when the seat count is unknown (below 1).
std::optional<SeatBand> SeatBandOf(std::int64_t seats);
// "1-100", …, "5001+".
std::string ToString(SeatBand band);

struct CategoryAverage {
  std::string name;
  double average_percentage = 0;
  int tenants = 0;  // peers whose evaluation has points in this category
};

struct ComparativeScore {
  ComparisonBasis basis = ComparisonBasis::kAllTenants;
  // What the peers share: "" for AllTenants, the seat band ("101-500"), or the industry.
  std::string basis_value;
  int peers = 0;          // other tenants in the basis
  bool withheld = false;  // fewer than kMinComparisonPeers peers, or this tenant has no basis
  double average_percentage = 0;            // 0 when withheld
  std::vector<CategoryAverage> categories;  // kCategories order; empty when withheld
};

// The three bases for `tenant`, compared with the tenants in `all` other than itself (matched
// by tenant id; `all` may include it). Industries match case-insensitively.
std::vector<ComparativeScore> Compare(const TenantFigures& tenant,
                                      std::span<const TenantFigures> all);

// One tenant over the days of a range, for comparison over time.
struct TenantSeries {
  std::string tenant_id;
  std::string industry;    // empty when unknown
  std::int64_t seats = 0;  // licensed users; 0 when unknown
  // One entry per day of the range: the percentage of the tenant's latest evaluation as of the
  // end of that day; nullopt before its first evaluation.
  std::vector<std::optional<double>> percentages;
};

// One basis on one day.
struct DailyAverage {
  int peers = 0;                  // other tenants in the basis with a figure that day
  bool withheld = false;          // as in ComparativeScore
  double average_percentage = 0;  // 0 when withheld
};

struct ComparativeSeries {
  ComparisonBasis basis = ComparisonBasis::kAllTenants;
  std::string basis_value;         // as in ComparativeScore
  std::vector<DailyAverage> days;  // one per day of `tenant.percentages`
};

// The three bases for `tenant`, day by day: on each day, Compare's averages and withholding
// over the other tenants of `all` that have a figure that day. Tenants are matched by id (`all`
// may include `tenant`); a peer with fewer days than `tenant` has no figure on the later ones.
// On the last day of a range ending today this equals Compare over the latest evaluations.
std::vector<ComparativeSeries> CompareSeries(const TenantSeries& tenant,
                                             std::span<const TenantSeries> all);

}  // namespace securescore::core
