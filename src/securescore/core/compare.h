// Comparison with similar organisations (DESIGN §2; Graph's averageComparativeScores): the
// average percentage, overall and per category, of the other tenants that share a basis with
// this one — all tenants, the same seat band, or the same industry.
//
// Pure: the store supplies each tenant's latest figures. A basis with fewer than
// kMinComparisonPeers other tenants is withheld, so no comparison reveals one tenant's score.
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

}  // namespace securescore::core
