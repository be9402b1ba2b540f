// Comparison of one tenant with the others in this store (DESIGN §2, Graph's
// averageComparativeScores) over each tenant's latest evaluation, via core/compare.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/core/compare.h"
#include "securescore/store/store.h"

namespace securescore::service {

struct Comparison {
  core::TenantFigures tenant;                 // this tenant's latest figures
  std::vector<core::ComparativeScore> bases;  // AllTenants, TotalSeats, IndustryTypes
};

// kNotFound for an unknown tenant or one without an evaluation.
Result<Comparison> CompareTenant(store::Store& store, std::string_view tenant_id);

// {"tenant":{"id","percentage","seats","industry","categories":[…]},
//  "comparisons":[{"basis","basisValue","peers","withheld","averageScore",
//                  "categories":[{"name","averagePercentage","tenants"}]}]}
std::string RenderComparisonJson(const Comparison& comparison);

}  // namespace securescore::service
