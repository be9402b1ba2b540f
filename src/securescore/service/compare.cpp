#include "securescore/service/compare.h"

#include "securescore/catalog/json_writer.h"
#include "securescore/service/score_view.h"

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

}  // namespace securescore::service
