#include "securescore/catalog/json_writer.h"
#include "securescore/cli/report.h"

namespace securescore::cli {
namespace {

void WriteFinding(catalog::JsonWriter& w, const engine::Finding& f) {
  w.BeginObject()
      .Key("entityId")
      .String(f.entity_id)
      .Key("entityName")
      .String(f.entity_name)
      .Key("reason")
      .String(f.reason)
      .EndObject();
}

}  // namespace

std::string RenderJson(const engine::Evaluation& ev) {
  const core::TenantScore& s = ev.score;
  catalog::JsonWriter w(2);
  w.BeginObject();
  w.Key("tenant").BeginObject();
  w.Key("id").String(ev.tenant.id).Key("displayName").String(ev.tenant.display_name);
  w.EndObject();
  w.Key("collectedAt").String(ev.collected_at);
  w.Key("catalogVersion").String(ev.catalog_version);
  w.Key("score").BeginObject();
  w.Key("current").Number(s.current).Key("max").Number(s.max);
  w.Key("percentage").Number(s.percentage);
  w.Key("measured").Number(s.measured).Key("planned").Number(s.planned);
  w.EndObject();

  w.Key("categories").BeginArray();
  for (const auto& c : s.categories) {
    w.BeginObject().Key("name").String(c.name).Key("current").Number(c.current);
    w.Key("max").Number(c.max).Key("percentage").Number(c.percentage).EndObject();
  }
  w.EndArray();

  w.Key("controls").BeginArray();
  for (size_t i = 0; i < ev.controls.size(); ++i) {
    const engine::ControlEvaluation& ce = ev.controls[i];
    const core::ControlScore& cs = s.controls[i];
    const catalog::Control& c = *ce.control;
    w.BeginObject();
    w.Key("id").String(c.id).Key("title").String(c.title);
    w.Key("category").String(c.category).Key("service").String(c.service);
    w.Key("status").String(core::ToString(cs.status)).Key("state").String(core::ToString(cs.state));
    w.Key("points").Number(cs.points).Key("max").Number(cs.max);
    w.Key("count").Int(cs.count).Key("total").Int(cs.total);
    w.Key("scoreImpact").Number(cs.score_impact);
    w.Key("failing").BeginArray();
    for (const auto& f : ce.failing) WriteFinding(w, f);
    w.EndArray();
    // Beyond the contract: what a reader needs to trust or act on the figure.
    w.Key("maxPoints").Number(c.max_points);
    w.Key("measuredPoints").Number(cs.measured_points);
    w.Key("evidenceLevel").String(ce.level);
    if (!ce.note.empty()) w.Key("evidenceNote").String(ce.note);
    if (!ce.missing_tables.empty()) {
      w.Key("missingTables").BeginArray();
      for (const auto& t : ce.missing_tables) w.String(t);
      w.EndArray();
    }
    if (!ce.error.empty()) w.Key("error").String(ce.error);
    if (!ce.excepted.empty()) {
      w.Key("excepted").BeginArray();
      for (const auto& f : ce.excepted) WriteFinding(w, f);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();

  w.Key("coverage").BeginObject();
  w.Key("assessed").Int(s.coverage.assessed).Key("notApplicable").Int(s.coverage.not_applicable);
  w.Key("noData").Int(s.coverage.no_data).Key("errors").Int(s.coverage.errors);
  w.EndObject();
  if (!ev.warnings.empty()) {
    w.Key("warnings").BeginArray();
    for (const auto& warning : ev.warnings) w.String(warning);
    w.EndArray();
  }
  w.EndObject();
  return w.str() + "\n";
}

}  // namespace securescore::cli
