#include "securescore/service/msgraph_import.h"

#include <map>
#include <set>
#include <utility>

#include "securescore/service/score_view.h"

namespace securescore::service {

Result<ImportSummary> ImportMicrosoftScores(store::Store& store, std::string_view tenant_id,
                                            std::vector<store::MicrosoftScore> scores) {
  Result<store::Tenant> tenant = RequireTenant(store, tenant_id);
  if (!tenant) return tenant.error();
  std::map<store::Day, store::MicrosoftScore> by_day;
  for (store::MicrosoftScore& s : scores) {
    s.tenant_id = std::string(tenant_id);
    by_day[s.day] = std::move(s);
  }
  Result<std::vector<store::MicrosoftScore>> before = store.MicrosoftSeries(tenant_id, {});
  if (!before) return before.error();
  std::set<store::Day> known;
  for (const store::MicrosoftScore& s : *before) known.insert(s.day);
  ImportSummary summary;
  std::vector<store::MicrosoftScore> days;
  for (auto& [day, s] : by_day) {
    (known.contains(day) ? summary.replaced : summary.added)++;
    days.push_back(std::move(s));
  }
  Status put = store.PutMicrosoftScores(days);
  if (!put) return put.error();
  return summary;
}

}  // namespace securescore::service
