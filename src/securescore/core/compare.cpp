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

// Averages over the peers `in_basis` accepts; withholds when there are too few.
ComparativeScore Average(ComparisonBasis basis, std::string basis_value, bool has_basis,
                         const TenantFigures& tenant, std::span<const TenantFigures> all,
                         const std::function<bool(const TenantFigures&)>& in_basis) {
  ComparativeScore out;
  out.basis = basis;
  out.basis_value = std::move(basis_value);
  std::vector<const TenantFigures*> peers;
  if (has_basis) {
    for (const TenantFigures& t : all) {
      if (t.tenant_id != tenant.tenant_id && in_basis(t)) peers.push_back(&t);
    }
  }
  out.peers = static_cast<int>(peers.size());
  out.withheld = !has_basis || out.peers < kMinComparisonPeers;
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
  out.push_back(Average(ComparisonBasis::kAllTenants, "", true, tenant, all,
                        [](const TenantFigures&) { return true; }));
  const std::optional<SeatBand> band = SeatBandOf(tenant.seats);
  out.push_back(Average(ComparisonBasis::kTotalSeats, band ? ToString(*band) : "", band.has_value(),
                        tenant, all,
                        [&](const TenantFigures& t) { return SeatBandOf(t.seats) == band; }));
  out.push_back(Average(
      ComparisonBasis::kIndustryTypes, tenant.industry, !tenant.industry.empty(), tenant, all,
      [&](const TenantFigures& t) { return SameIndustry(t.industry, tenant.industry); }));
  return out;
}

}  // namespace securescore::core
