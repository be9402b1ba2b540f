#include "securescore/service/compare.h"

#include <algorithm>
#include <map>

#include "securescore/catalog/json_writer.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::service {

Result<Comparison> CompareTenant(store::Store& store, std::string_view tenant_id) {
  Result<store::Tenant> tenant = RequireTenant(store, tenant_id);
  if (!tenant) return tenant.error();
  Result<std::vector<store::ComparisonInput>> inputs = store.ComparisonInputs();
  if (!inputs) return inputs.error();
  std::vector<core::TenantFigures> all;
  all.reserve(inputs->size());
  Comparison out;
  bool found = false;
  for (store::ComparisonInput& in : *inputs) {
    core::TenantFigures f{in.tenant_id, in.industry, in.seats, in.percentage,
                          std::move(in.categories)};
    if (f.tenant_id == tenant_id) {
      out.tenant = f;
      found = true;
    }
    all.push_back(std::move(f));
  }
  if (!found) {
    return Error{ErrorCode::kNotFound,
                 "tenant \"" + std::string(tenant_id) + "\" has no evaluation to compare",
                 "--tenant"};
  }
  out.bases = core::Compare(out.tenant, all);
  return out;
}

std::string RenderComparisonJson(const Comparison& c) {
  catalog::JsonWriter w(2);
  w.BeginObject().Key("tenant").BeginObject().Key("id").String(c.tenant.tenant_id);
  w.Key("percentage").Number(c.tenant.percentage).Key("seats").Int(c.tenant.seats);
  w.Key("industry").String(c.tenant.industry).Key("categories").BeginArray();
  for (const core::CategoryScore& cat : c.tenant.categories) {
    w.BeginObject().Key("name").String(cat.name).Key("current").Number(cat.current);
    w.Key("max").Number(cat.max).Key("percentage").Number(cat.percentage).EndObject();
  }
  w.EndArray().EndObject();
  w.Key("comparisons").BeginArray();
  for (const core::ComparativeScore& b : c.bases) {
    w.BeginObject().Key("basis").String(core::ToString(b.basis));
    w.Key("basisValue").String(b.basis_value).Key("peers").Int(b.peers);
    w.Key("withheld").Bool(b.withheld);
    w.Key("averageScore");
    if (b.withheld) {
      w.Null();
    } else {
      w.Number(b.average_percentage);
    }
    w.Key("categories").BeginArray();
    for (const core::CategoryAverage& a : b.categories) {
      w.BeginObject().Key("name").String(a.name);
      w.Key("averagePercentage").Number(a.average_percentage).Key("tenants").Int(a.tenants);
      w.EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return w.str() + "\n";
}

namespace {

// Dense per-day figures from one tenant's rows (sorted by day; a row before `first` is the
// figure carried into the range), each day holding the latest figure as of its end.
std::vector<std::optional<double>> CarriedForward(std::span<const store::TenantDayScore> rows,
                                                  store::Day first, std::size_t days) {
  std::vector<std::optional<double>> out(days);
  std::optional<double> carried;
  for (const store::TenantDayScore& r : rows) {
    if (r.day < first) {
      carried = r.percentage;
      continue;
    }
    const auto index = static_cast<std::size_t>((r.day - first).count());
    if (index < days) out[index] = r.percentage;
  }
  for (std::optional<double>& day : out) {
    if (day) {
      carried = day;
    } else {
      day = carried;
    }
  }
  return out;
}

}  // namespace

Result<ComparisonOverTime> CompareOverTime(store::Store& store, std::string_view tenant_id,
                                           store::Day first, store::Day last) {
  Result<store::Tenant> tenant = RequireTenant(store, tenant_id);
  if (!tenant) return tenant.error();
  ComparisonOverTime out;
  const store::Timestamp end_of_last =
      store::Timestamp(last + std::chrono::days(1)) - std::chrono::seconds(1);
  Result<std::vector<store::TenantDayScore>> rows =
      store.FleetDailySeries({store::Timestamp(first), end_of_last});
  if (!rows) return rows.error();
  Result<std::vector<store::Tenant>> tenants = store.ListTenants();
  if (!tenants) return tenants.error();
  if (!rows->empty()) {
    // Days before anyone was evaluated compare nothing.
    store::Day earliest = rows->front().day;
    for (const store::TenantDayScore& r : *rows) earliest = std::min(earliest, r.day);
    first = std::max(first, earliest);
  }
  if (rows->empty() || first > last) return out;
  const auto days = static_cast<std::size_t>((last - first).count() + 1);
  for (store::Day d = first; d <= last; d += std::chrono::days(1)) out.days.push_back(d);

  std::map<std::string_view, const store::Tenant*> by_id;
  for (const store::Tenant& t : *tenants) by_id[t.id] = &t;
  std::vector<core::TenantSeries> all;
  const std::span<const store::TenantDayScore> fleet(*rows);
  for (std::size_t begin = 0; begin < fleet.size();) {
    std::size_t end = begin;
    while (end < fleet.size() && fleet[end].tenant_id == fleet[begin].tenant_id) ++end;
    auto meta = by_id.find(fleet[begin].tenant_id);
    if (meta != by_id.end()) {
      all.push_back({meta->second->id, meta->second->industry, meta->second->seats,
                     CarriedForward(fleet.subspan(begin, end - begin), first, days)});
    }
    begin = end;
  }
  core::TenantSeries self{tenant->id, tenant->industry, tenant->seats, {}};
  self.percentages.resize(days);
  for (const core::TenantSeries& t : all) {
    if (t.tenant_id == tenant_id) self.percentages = t.percentages;
  }
  out.percentages = self.percentages;
  out.bases = core::CompareSeries(self, all);

  Result<std::vector<store::MicrosoftScore>> microsoft =
      store.MicrosoftSeries(tenant_id, {store::Timestamp(first), end_of_last});
  if (!microsoft) return microsoft.error();
  for (const store::MicrosoftScore& m : *microsoft) {
    Result<std::vector<store::MicrosoftAverage>> averages =
        store::ParseMicrosoftAverages(m.raw_json);
    if (!averages) return averages.error();
    out.microsoft.push_back(
        {m.day, core::Percentage(m.current_score, m.max_score), std::move(*averages)});
  }
  return out;
}

void WriteComparisonOverTime(catalog::JsonWriter& w, const ComparisonOverTime& c) {
  w.Key("comparison").BeginArray();
  for (std::size_t d = 0; d < c.days.size(); ++d) {
    w.BeginObject().Key("date").String(FormatDay(c.days[d])).Key("percentage");
    if (c.percentages[d]) {
      w.Number(*c.percentages[d]);
    } else {
      w.Null();
    }
    w.Key("bases").BeginArray();
    for (const core::ComparativeSeries& b : c.bases) {
      const core::DailyAverage& day = b.days[d];
      w.BeginObject().Key("basis").String(core::ToString(b.basis));
      w.Key("basisValue").String(b.basis_value).Key("peers").Int(day.peers);
      w.Key("withheld").Bool(day.withheld).Key("averageScore");
      if (day.withheld) {
        w.Null();
      } else {
        w.Number(day.average_percentage);
      }
      w.EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
  w.Key("microsoftComparison").BeginArray();
  for (const MicrosoftComparisonDay& m : c.microsoft) {
    w.BeginObject().Key("date").String(FormatDay(m.day)).Key("percentage").Number(m.percentage);
    w.Key("bases").BeginArray();
    for (const store::MicrosoftAverage& a : m.averages) {
      w.BeginObject().Key("basis").String(a.basis).Key("averageScore").Number(a.average_score);
      w.EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
}

}  // namespace securescore::service
