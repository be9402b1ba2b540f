#include "securescore/core/compare.h"

#include <algorithm>
#include <cctype>
#include <functional>

namespace securescore::core {
namespace {

constexpr SeatBand kSeatBands[] = {{1, 100}, {101, 500}, {501, 1000}, {1001, 5000}, {5001, 0}};

bool SameIndustry(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// What makes another tenant comparable under one basis. The rules depend only on the tenant's
// industry and seats, so Compare and CompareSeries cannot disagree about who is a peer.
struct BasisRule {
  ComparisonBasis basis = ComparisonBasis::kAllTenants;
  std::string value;       // ComparativeScore::basis_value
  bool has_basis = false;  // false: the tenant's own seats or industry are unknown
  std::function<bool(std::string_view industry, std::int64_t seats)> in_basis;
};

// AllTenants, TotalSeats, IndustryTypes (Graph's order).
std::vector<BasisRule> RulesFor(const std::string& industry, std::int64_t seats) {
  std::vector<BasisRule> rules;
  rules.push_back({ComparisonBasis::kAllTenants, "", true,
                   [](std::string_view, std::int64_t) { return true; }});
  const std::optional<SeatBand> band = SeatBandOf(seats);
  rules.push_back({ComparisonBasis::kTotalSeats, band ? ToString(*band) : "", band.has_value(),
                   [band](std::string_view, std::int64_t s) { return SeatBandOf(s) == band; }});
  rules.push_back(
      {ComparisonBasis::kIndustryTypes, industry, !industry.empty(),
       [industry](std::string_view other, std::int64_t) { return SameIndustry(other, industry); }});
  return rules;
}

bool Withheld(const BasisRule& rule, int peers) {
  return !rule.has_basis || peers < kMinComparisonPeers;
}

// Averages over the peers `rule` accepts; withholds when there are too few.
ComparativeScore Average(const BasisRule& rule, const TenantFigures& tenant,
                         std::span<const TenantFigures> all) {
  ComparativeScore out;
  out.basis = rule.basis;
  out.basis_value = rule.value;
  std::vector<const TenantFigures*> peers;
  if (rule.has_basis) {
    for (const TenantFigures& t : all) {
      if (t.tenant_id != tenant.tenant_id && rule.in_basis(t.industry, t.seats)) {
        peers.push_back(&t);
      }
    }
  }
  out.peers = static_cast<int>(peers.size());
  out.withheld = Withheld(rule, out.peers);
  if (out.withheld) return out;

  double sum = 0;
  for (const TenantFigures* p : peers) sum += p->percentage;
  out.average_percentage = sum / static_cast<double>(peers.size());
  for (std::string_view name : kCategories) {
    CategoryAverage avg{std::string(name), 0, 0};
    double category_sum = 0;
    for (const TenantFigures* p : peers) {
      for (const CategoryScore& c : p->categories) {
        // A category with no points available says nothing about the peer's posture in it.
        if (c.name == name && c.max > 0) {
          category_sum += c.percentage;
          ++avg.tenants;
        }
      }
    }
    if (avg.tenants > 0) avg.average_percentage = category_sum / avg.tenants;
    out.categories.push_back(std::move(avg));
  }
  return out;
}

// One basis day by day: sums and counts per day over the peers `rule` accepts, walking each
// peer's days once (fleet × days work, no per-day peer selection).
ComparativeSeries AverageSeries(const BasisRule& rule, const TenantSeries& tenant,
                                std::span<const TenantSeries> all) {
  const std::size_t days = tenant.percentages.size();
  ComparativeSeries out;
  out.basis = rule.basis;
  out.basis_value = rule.value;
  std::vector<double> sums(days, 0);
  std::vector<int> peers(days, 0);
  if (rule.has_basis) {
    for (const TenantSeries& t : all) {
      if (t.tenant_id == tenant.tenant_id || !rule.in_basis(t.industry, t.seats)) continue;
      const std::size_t known = std::min(days, t.percentages.size());
      for (std::size_t d = 0; d < known; ++d) {
        if (!t.percentages[d]) continue;
        sums[d] += *t.percentages[d];
        ++peers[d];
      }
    }
  }
  out.days.reserve(days);
  for (std::size_t d = 0; d < days; ++d) {
    DailyAverage day;
    day.peers = peers[d];
    day.withheld = Withheld(rule, day.peers);
    if (!day.withheld) day.average_percentage = sums[d] / day.peers;
    out.days.push_back(day);
  }
  return out;
}

}  // namespace

std::string_view ToString(ComparisonBasis basis) {
  switch (basis) {
    case ComparisonBasis::kAllTenants: return "AllTenants";
    case ComparisonBasis::kTotalSeats: return "TotalSeats";
    case ComparisonBasis::kIndustryTypes: return "IndustryTypes";
  }
  return "AllTenants";
}

std::optional<SeatBand> SeatBandOf(std::int64_t seats) {
  for (const SeatBand& band : kSeatBands) {
    if (seats >= band.lower && (band.upper == 0 || seats <= band.upper)) return band;
  }
  return std::nullopt;
}

std::string ToString(SeatBand band) {
  if (band.upper == 0) return std::to_string(band.lower) + "+";
  return std::to_string(band.lower) + "-" + std::to_string(band.upper);
}

std::vector<ComparativeScore> Compare(const TenantFigures& tenant,
                                      std::span<const TenantFigures> all) {
  std::vector<ComparativeScore> out;
  for (const BasisRule& rule : RulesFor(tenant.industry, tenant.seats)) {
    out.push_back(Average(rule, tenant, all));
  }
  return out;
}

std::vector<ComparativeSeries> CompareSeries(const TenantSeries& tenant,
                                             std::span<const TenantSeries> all) {
  std::vector<ComparativeSeries> out;
  for (const BasisRule& rule : RulesFor(tenant.industry, tenant.seats)) {
    out.push_back(AverageSeries(rule, tenant, all));
  }
  return out;
}

}  // namespace securescore::core
