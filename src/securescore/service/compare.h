// Comparison of one tenant with the others in this store (DESIGN §2, Graph's
// averageComparativeScores) over each tenant's latest evaluation, and day by day over a range
// (the trends chart), via core/compare.h.
//
//   Result<ComparisonOverTime> c = CompareOverTime(store, "contoso", first_day, today);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/json_writer.h"
#include "securescore/core/compare.h"
#include "securescore/store/msgraph_scores.h"
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

// One day of Microsoft's own series with the averages Microsoft reported for it. They compare
// with Microsoft's population and Microsoft's catalog, so they are kept apart from ours.
struct MicrosoftComparisonDay {
  store::Day day;
  double percentage = 0;  // Microsoft's currentScore / maxScore
  std::vector<store::MicrosoftAverage> averages;
};

// A tenant beside the organisations like it, day by day. On each day every tenant's figure is
// its latest evaluation as of the end of that day, so the last day of a range ending today
// equals CompareTenant.
struct ComparisonOverTime {
  std::vector<store::Day> days;                    // consecutive, oldest first
  std::vector<std::optional<double>> percentages;  // this tenant; nullopt before its first
  std::vector<core::ComparativeSeries> bases;      // AllTenants, TotalSeats, IndustryTypes
  std::vector<MicrosoftComparisonDay> microsoft;   // the imported days within the range
};

// The days `first`..`last`, starting no earlier than the first evaluation stored for any
// tenant (so an open-ended `first` costs nothing); none when `first` > `last`. The same few
// queries whatever the fleet's size (Store::FleetDailySeries, the tenant list, this tenant's
// Microsoft series). kNotFound for an unknown tenant.
Result<ComparisonOverTime> CompareOverTime(store::Store& store, std::string_view tenant_id,
                                           store::Day first, store::Day last);

// Writes the members `"comparison":[{"date","percentage","bases":[{"basis","basisValue",
// "peers","withheld","averageScore"}]}]` and `"microsoftComparison":[{"date","percentage",
// "bases":[{"basis","averageScore"}]}]` into the object `w` has open; withheld averages are null.
void WriteComparisonOverTime(catalog::JsonWriter& w, const ComparisonOverTime& comparison);

}  // namespace securescore::service
