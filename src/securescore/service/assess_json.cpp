#include "securescore/service/assess_json.h"

#include <ostream>
#include <string_view>

#include "securescore/catalog/json_writer.h"

namespace securescore::service {
namespace {

// A document is streamed out whenever this much text has piled up in the writer.
constexpr size_t kDrainBytes = 1 << 20;

// Entities of either kind (store::EntityRef, engine::Finding): both name their fields alike.
// `drain` may hand the text written so far on, for lists of a million entities.
template <typename Entity, typename Drain>
void WriteEntities(catalog::JsonWriter& w, const std::vector<Entity>& entities, Drain& drain) {
  w.BeginArray();
  for (const Entity& e : entities) {
    w.BeginObject().Key("entityId").String(e.entity_id).Key("entityName").String(e.entity_name);
    w.Key("reason").String(e.reason).EndObject();
    if (w.str().size() >= kDrainBytes) drain();
  }
  w.EndArray();
}

// The failing and excepted entities of one control.
template <typename Entity>
struct EntityLists {
  const std::vector<Entity>& failing;
  const std::vector<Entity>& excepted;
};

// The report without its entity lists, which stay where they are.
AssessReport ReportWithoutEntities(const engine::Evaluation& ev) {
  AssessReport r;
  r.tenant_id = ev.tenant.id;
  r.tenant_name = ev.tenant.display_name;
  r.collected_at = ev.collected_at;
  r.catalog_version = ev.catalog_version;
  r.score = ev.score;
  r.warnings = ev.warnings;
  r.controls.reserve(ev.controls.size());
  for (const engine::ControlEvaluation& ce : ev.controls) {
    const catalog::Control& c = *ce.control;
    ControlReport cr;
    cr.id = c.id;
    cr.title = c.title;
    cr.category = c.category;
    cr.service = c.service;
    cr.max_points = c.max_points;
    cr.evidence_level = ce.level;
    cr.evidence_note = ce.note;
    cr.missing_tables = ce.missing_tables;
    cr.error = ce.error;
    r.controls.push_back(std::move(cr));
  }
  return r;
}

// Writes the whole document but its final newline; `entities_of(i)` gives control i's
// EntityLists and `drain()` may take the text written so far.
template <typename EntitiesOf, typename Drain>
void WriteReport(catalog::JsonWriter& w, const AssessReport& r, EntitiesOf&& entities_of,
                 Drain&& drain) {
  const core::TenantScore& s = r.score;
  w.BeginObject();
  w.Key("tenant").BeginObject();
  w.Key("id").String(r.tenant_id).Key("displayName").String(r.tenant_name);
  w.EndObject();
  w.Key("collectedAt").String(r.collected_at);
  if (r.evaluated_at) w.Key("evaluatedAt").String(*r.evaluated_at);
  w.Key("catalogVersion").String(r.catalog_version);
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
  for (size_t i = 0; i < r.controls.size() && i < s.controls.size(); ++i) {
    const ControlReport& c = r.controls[i];
    const core::ControlScore& cs = s.controls[i];
    const auto entities = entities_of(i);
    w.BeginObject();
    w.Key("id").String(c.id).Key("title").String(c.title);
    w.Key("category").String(c.category).Key("service").String(c.service);
    w.Key("status").String(core::ToString(cs.status)).Key("state").String(core::ToString(cs.state));
    if (c.state_comment) w.Key("stateComment").String(*c.state_comment);
    if (c.regressed) w.Key("regressed").Bool(*c.regressed);
    w.Key("points").Number(cs.points).Key("max").Number(cs.max);
    w.Key("count").Int(cs.count).Key("total").Int(cs.total);
    w.Key("scoreImpact").Number(cs.score_impact);
    if (c.counts_only) {
      w.Key("failingCount").Int(static_cast<std::int64_t>(entities.failing.size()));
    } else {
      w.Key("failing");
      WriteEntities(w, entities.failing, drain);
    }
    // Beyond the contract: what a reader needs to trust or act on the figure.
    w.Key("maxPoints").Number(c.max_points);
    w.Key("measuredPoints").Number(cs.measured_points);
    w.Key("evidenceLevel").String(c.evidence_level);
    if (!c.evidence_note.empty()) w.Key("evidenceNote").String(c.evidence_note);
    if (!c.missing_tables.empty()) {
      w.Key("missingTables").BeginArray();
      for (const auto& t : c.missing_tables) w.String(t);
      w.EndArray();
    }
    if (!c.error.empty()) w.Key("error").String(c.error);
    if (c.counts_only) {
      w.Key("exceptedCount").Int(static_cast<std::int64_t>(entities.excepted.size()));
    } else if (!entities.excepted.empty()) {
      w.Key("excepted");
      WriteEntities(w, entities.excepted, drain);
    }
    w.EndObject();
  }
  w.EndArray();

  w.Key("coverage").BeginObject();
  w.Key("assessed").Int(s.coverage.assessed).Key("notApplicable").Int(s.coverage.not_applicable);
  w.Key("noData").Int(s.coverage.no_data).Key("errors").Int(s.coverage.errors);
  w.EndObject();
  if (!r.warnings.empty()) {
    w.Key("warnings").BeginArray();
    for (const auto& warning : r.warnings) w.String(warning);
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

std::vector<store::EntityRef> ToEntityRefs(const std::vector<engine::Finding>& findings) {
  std::vector<store::EntityRef> out;
  out.reserve(findings.size());
  for (const engine::Finding& f : findings) out.push_back({f.entity_id, f.entity_name, f.reason});
  return out;
}

AssessReport FromEngine(const engine::Evaluation& ev) {
  AssessReport r = ReportWithoutEntities(ev);
  for (size_t i = 0; i < r.controls.size(); ++i) {
    r.controls[i].failing = ToEntityRefs(ev.controls[i].failing);
    r.controls[i].excepted = ToEntityRefs(ev.controls[i].excepted);
  }
  return r;
}

std::string RenderAssessJson(const AssessReport& r) {
  catalog::JsonWriter w(2);
  WriteReport(
      w, r,
      [&](size_t i) {
        return EntityLists<store::EntityRef>{r.controls[i].failing, r.controls[i].excepted};
      },
      [] {});
  return w.str() + "\n";
}

void WriteAssessJson(const engine::Evaluation& ev, std::ostream& out) {
  const AssessReport r = ReportWithoutEntities(ev);
  catalog::JsonWriter w(2);
  auto drain = [&] { w.Drain([&](std::string_view text) { out << text; }); };
  WriteReport(
      w, r,
      [&](size_t i) {
        return EntityLists<engine::Finding>{ev.controls[i].failing, ev.controls[i].excepted};
      },
      drain);
  drain();
  out << '\n';
}

}  // namespace securescore::service
