// The native API under /api/v1 (docs/api.md): tenants, the current score, recommended
// actions and their states, exceptions, goals, history, trends, comparison, what-if and
// snapshot upload. Every handler works on the request's store lease and the score cache.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "securescore/catalog/json_writer.h"
#include "securescore/server/auth_cache.h"
#include "securescore/server/json_body.h"
#include "securescore/server/metrics.h"
#include "securescore/server/native_common.h"
#include "securescore/server/routes.h"
#include "securescore/service/actions.h"
#include "securescore/service/compare.h"
#include "securescore/service/history.h"
#include "securescore/service/ingest.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::server {
namespace {

using catalog::JsonWriter;

// Appends `,"goal":…,"zones":…` to the assess object: the score JSON the dashboard reads.
// Without `with_entities` each control names how many entities fail rather than listing them.
std::string ScoreJson(const service::ScoreView& view, const std::vector<store::Goal>& goals,
                      const std::optional<store::ScoreZones>& zones, bool with_entities) {
  service::AssessReport report = service::ToAssessReport(view);
  for (service::ControlReport& c : report.controls) c.counts_only = !with_entities;
  std::string json = service::RenderAssessJson(report);
  while (!json.empty() && (json.back() == '\n' || json.back() == ' ')) json.pop_back();
  json.pop_back();  // the closing brace
  JsonWriter extra;
  extra.BeginObject().Key("goal");
  if (goals.empty()) {
    extra.Null();
  } else {
    extra.BeginObject()
        .Key("target")
        .Number(goals.front().target_percentage)
        .Key("by")
        .String(service::FormatDay(goals.front().target_date))
        .EndObject();
  }
  extra.Key("zones");
  if (zones) {
    extra.BeginObject().Key("good").Number(zones->good).Key("okay").Number(zones->okay).EndObject();
  } else {
    extra.Null();
  }
  extra.EndObject();
  json += ",\n  " + extra.str().substr(1);  // the extra object's members, its own brace closes
  json += "\n";
  return json;
}

HttpResponse Fail(const Error& e) { return ErrorResponse(e); }

std::optional<store::TimeRange> RangeOf(const HttpRequest& r, Error* error) {
  store::TimeRange range;
  if (auto from = r.Query("from")) {
    Result<store::Timestamp> t = service::ParseTimestamp(*from, "from");
    if (!t) return *error = t.error(), std::nullopt;
    range.from = *t;
  }
  if (auto to = r.Query("to")) {
    Result<store::Timestamp> t = service::ParseTimestamp(*to, "to");
    if (!t) return *error = t.error(), std::nullopt;
    range.to = *t + std::chrono::hours(24) - std::chrono::seconds(1);
  }
  return range;
}

std::string GoalStatus(const store::Goal& goal, double percentage, store::Timestamp now) {
  if (percentage >= goal.target_percentage) return "met";
  if (store::Day(std::chrono::floor<std::chrono::days>(now)) > goal.target_date) return "missed";
  return "open";
}

// One tenant of the fleet list (docs/api.md).
Status WriteTenantSummary(JsonWriter& w, RequestContext& rc, const store::Tenant& tenant) {
  w.BeginObject();
  w.Key("id").String(tenant.id).Key("displayName").String(tenant.display_name);
  w.Key("industry").String(tenant.industry).Key("seats").Int(tenant.seats);
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, tenant.id);
  if (!score && score.error().code != ErrorCode::kNotFound) return score.error();
  if (!score) {
    w.Key("evaluatedAt").Null().Key("score").Null().Key("change30d").Null();
    w.Key("regressions").Int(0).Key("worstCategory").Null().Key("goal").Null();
    w.Key("sparkline").BeginArray().EndArray().EndObject();
    return OkStatus();
  }
  const service::ScoreView& view = (*score)->view;
  const store::Timestamp now = rc.server.now();
  w.Key("evaluatedAt").String(service::FormatTimestamp(view.evaluation.evaluated_at));
  w.Key("score").BeginObject().Key("current").Number(view.score.current);
  w.Key("max").Number(view.score.max).Key("percentage").Number(view.score.percentage).EndObject();
  Result<std::vector<store::DailyPoint>> days =
      rc.store.DailySeries(tenant.id, {now - std::chrono::days(30), store::Timestamp::max()});
  if (!days) return days.error();
  w.Key("change30d");
  if (days->empty()) {
    w.Null();
  } else {
    w.Number(view.score.percentage - days->front().evaluation.percentage);
  }
  int regressions = 0;
  for (const service::ControlView& c : view.controls) regressions += c.regressed ? 1 : 0;
  w.Key("regressions").Int(regressions);
  const core::CategoryScore* worst = nullptr;
  for (const core::CategoryScore& c : view.score.categories) {
    if (c.max > 0 && (worst == nullptr || c.percentage < worst->percentage)) worst = &c;
  }
  w.Key("worstCategory");
  worst ? (void)w.String(worst->name) : (void)w.Null();
  Result<std::vector<store::Goal>> goals = rc.store.ListGoals(tenant.id);
  if (!goals) return goals.error();
  w.Key("goal");
  if (goals->empty()) {
    w.Null();
  } else {
    const store::Goal& g = goals->front();
    w.BeginObject().Key("target").Number(g.target_percentage);
    w.Key("by").String(service::FormatDay(g.target_date));
    w.Key("status").String(GoalStatus(g, view.score.percentage, now)).EndObject();
  }
  w.Key("sparkline").BeginArray();
  for (const store::DailyPoint& p : *days) {
    // The day of the current evaluation shows today's states, like the score column beside it
    // (and like the newest day of Graph's secureScores).
    const bool current = p.evaluation.id == view.evaluation.id;
    w.BeginObject().Key("date").String(service::FormatDay(p.day));
    w.Key("percentage").Number(current ? view.score.percentage : p.evaluation.percentage);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return OkStatus();
}

HttpResponse Me(RequestContext& rc) {
  JsonWriter w;
  w.BeginObject().Key("role").String(ToString(rc.principal.role)).Key("tenant");
  rc.principal.AllTenants() ? (void)w.Null() : (void)w.String(rc.principal.tenant_id);
  w.Key("tokenId").String(rc.principal.token_id).EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse ListTenants(RequestContext& rc) {
  Result<std::vector<store::Tenant>> tenants = rc.store.ListTenants();
  if (!tenants) return Fail(tenants.error());
  JsonWriter w;
  w.BeginObject().Key("tenants").BeginArray();
  for (const store::Tenant& t : *tenants) {
    if (!rc.principal.CanSee(t.id)) continue;
    Status s = WriteTenantSummary(w, rc, t);
    if (!s) return Fail(s.error());
  }
  w.EndArray().EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse GetTenant(RequestContext& rc) {
  Result<store::Tenant> t = rc.store.GetTenant(rc.Param("t"));
  if (!t) return Fail(t.error());
  JsonWriter w;
  Status s = WriteTenantSummary(w, rc, *t);
  if (!s) return Fail(s.error());
  return JsonResponse(200, w.str());
}

HttpResponse CreateTenant(RequestContext& rc) {
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return Fail(body.error());
  auto id = body->String("id");
  auto name = body->String("displayName");
  auto industry = body->String("industry");
  auto seats = body->Number("seats");
  for (const Error* e :
       {id ? nullptr : &id.error(), name ? nullptr : &name.error(),
        industry ? nullptr : &industry.error(), seats ? nullptr : &seats.error()}) {
    if (e) return Fail(*e);
  }
  if (!*id || (*id)->empty()) return Fail(InvalidInput("a tenant needs an id", "/id"));
  store::Tenant tenant{**id, name->value_or(**id), industry->value_or(""),
                       static_cast<std::int64_t>(seats->value_or(0))};
  Status s = rc.store.UpsertTenant(tenant);
  if (!s) return Fail(s.error());
  (void)rc.store.AppendAudit(
      {0, ActorOf(rc.principal), "tenant.create", "tenant/" + tenant.id, "{}", rc.server.now()});
  TenantChanged(rc.server, "");
  JsonWriter w;
  Status written = WriteTenantSummary(w, rc, tenant);
  if (!written) return Fail(written.error());
  return JsonResponse(201, w.str());
}

HttpResponse DeleteTenant(RequestContext& rc) {
  Status s = rc.store.RemoveTenant(rc.Param("t"));
  if (!s) return Fail(s.error());
  (void)rc.store.AppendAudit({0, ActorOf(rc.principal), "tenant.remove", "tenant/" + rc.Param("t"),
                              "{}", rc.server.now()});
  TenantChanged(rc.server, "");
  return HttpResponse{204, "application/json", "", {}, nullptr};
}

HttpResponse GetScore(RequestContext& rc) {
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, rc.Param("t"));
  if (!score) return Fail(score.error());
  const std::optional<std::string> include = rc.request.Query("include");
  if (!include) return JsonResponse(200, (*score)->json);
  if (*include != "entities") {
    return Fail(
        InvalidInput("include must be 'entities' (the failing and excepted entities of "
                     "every control)",
                     "include"));
  }
  const CachedScore& c = **score;
  return JsonResponse(200, ScoreJson(c.view, c.goals, c.zones, /*with_entities=*/true));
}

// --------------------------------------------------------------------------------- actions

int ImpactRank(std::string_view level) {
  if (level == "Low") return 1;
  if (level == "Moderate") return 2;
  if (level == "High") return 3;
  return 0;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct ActionRef {
  const service::ControlView* view;
  const core::ControlScore* score;
};

// The actions of `view` that pass the request's filters, in the requested order.
Result<std::vector<ActionRef>> FilteredActions(const HttpRequest& r,
                                               const service::ScoreView& view) {
  const std::string q = Lower(r.Query("q").value_or(""));
  std::vector<ActionRef> out;
  for (std::size_t i = 0; i < view.controls.size(); ++i) {
    const service::ControlView& c = view.controls[i];
    const core::ControlScore& s = view.score.controls[i];
    const store::ControlResult& e = c.evaluated;
    if (auto v = r.Query("category"); v && *v != e.category) continue;
    if (auto v = r.Query("service"); v && *v != e.service) continue;
    if (auto v = r.Query("status"); v && *v != core::ToString(s.status)) continue;
    if (auto v = r.Query("state"); v && *v != core::ToString(s.state)) continue;
    if (auto v = r.Query("regressed"); v && (*v == "true") != c.regressed) continue;
    if (auto v = r.Query("tag")) {
      if (!c.state ||
          std::find(c.state->tags.begin(), c.state->tags.end(), *v) == c.state->tags.end()) {
        continue;
      }
    }
    if (!q.empty() && Lower(e.id).find(q) == std::string::npos &&
        Lower(e.title).find(q) == std::string::npos) {
      continue;
    }
    out.push_back({&c, &s});
  }
  const std::string sort = r.Query("sort").value_or("scoreImpact");
  const bool asc = r.Query("order").value_or("desc") == "asc";
  std::function<double(const ActionRef&)> key;
  if (sort == "scoreImpact") {
    key = [](const ActionRef& a) { return a.score->score_impact; };
  } else if (sort == "points") {
    key = [](const ActionRef& a) { return a.score->points; };
  } else if (sort == "userImpact") {
    key = [](const ActionRef& a) {
      return a.view->control ? ImpactRank(a.view->control->user_impact) : 0.0;
    };
  } else if (sort == "implementationCost") {
    key = [](const ActionRef& a) {
      return a.view->control ? ImpactRank(a.view->control->implementation_cost) : 0.0;
    };
  } else {
    return InvalidInput("sort must be scoreImpact, points, userImpact or implementationCost",
                        "sort");
  }
  std::stable_sort(out.begin(), out.end(), [&](const ActionRef& a, const ActionRef& b) {
    const double ka = key(a), kb = key(b);
    if (ka != kb) return asc ? ka < kb : ka > kb;
    return a.view->evaluated.id < b.view->evaluated.id;
  });
  return out;
}

Result<std::size_t> SizeParam(const HttpRequest& r, std::string_view name, std::size_t fallback,
                              std::size_t max) {
  auto v = r.Query(name);
  if (!v) return fallback;
  std::size_t n = 0;
  for (char c : *v) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || n > max) {
      return InvalidInput("expected a whole number up to " + std::to_string(max),
                          std::string(name));
    }
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (v->empty() || n > max) {
    return InvalidInput("expected a whole number up to " + std::to_string(max), std::string(name));
  }
  return n;
}

HttpResponse ListActions(RequestContext& rc) {
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, rc.Param("t"));
  if (!score) return Fail(score.error());
  Result<std::vector<ActionRef>> actions = FilteredActions(rc.request, (*score)->view);
  if (!actions) return Fail(actions.error());
  Result<std::size_t> limit = SizeParam(rc.request, "limit", 100, 1000);
  Result<std::size_t> offset = SizeParam(rc.request, "offset", 0, 1'000'000);
  if (!limit) return Fail(limit.error());
  if (!offset) return Fail(offset.error());
  JsonWriter w;
  w.BeginObject().Key("total").Int(static_cast<std::int64_t>(actions->size()));
  w.Key("items").BeginArray();
  for (std::size_t i = *offset; i < actions->size() && i < *offset + *limit; ++i) {
    WriteActionItem(w, *(*actions)[i].view, *(*actions)[i].score);
  }
  w.EndArray().EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse ActionsCsv(RequestContext& rc) {
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, rc.Param("t"));
  if (!score) return Fail(score.error());
  Result<std::vector<ActionRef>> filtered = FilteredActions(rc.request, (*score)->view);
  if (!filtered) return Fail(filtered.error());
  std::map<std::string, std::size_t> order;
  for (const ActionRef& a : *filtered) order.emplace(a.view->evaluated.id, order.size());
  std::vector<service::Action> actions;
  for (service::Action& a : service::RecommendedActions((*score)->view)) {
    if (order.count(a.id)) actions.push_back(std::move(a));
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [&](const auto& a, const auto& b) { return order[a.id] < order[b.id]; });
  HttpResponse r{200, "text/csv; charset=utf-8", service::RenderActionsCsv(actions), {}, nullptr};
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + rc.Param("t") + "-actions.csv\"");
  return r;
}

const service::ControlView* FindControl(const service::ScoreView& view, const std::string& id,
                                        std::size_t* index) {
  for (std::size_t i = 0; i < view.controls.size(); ++i) {
    if (view.controls[i].evaluated.id == id) {
      *index = i;
      return &view.controls[i];
    }
  }
  return nullptr;
}

Error UnknownControl(const std::string& id) {
  return Error{ErrorCode::kNotFound, "no control " + id + " in this tenant's score", "control"};
}

void WriteEntityList(JsonWriter& w, const std::vector<store::EntityRef>& list) {
  w.BeginArray();
  for (const store::EntityRef& e : list) {
    w.BeginObject().Key("entityId").String(e.entity_id).Key("entityName").String(e.entity_name);
    w.Key("reason").String(e.reason).EndObject();
  }
  w.EndArray();
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& list) {
  w.BeginArray();
  for (const std::string& s : list) w.String(s);
  w.EndArray();
}

HttpResponse ActionDetail(RequestContext& rc, int status) {
  const std::string& tenant = rc.Param("t");
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, tenant);
  if (!score) return Fail(score.error());
  std::size_t i = 0;
  const service::ControlView* c = FindControl((*score)->view, rc.Param("c"), &i);
  if (c == nullptr) return Fail(UnknownControl(rc.Param("c")));
  Result<std::vector<store::ControlPoint>> points =
      rc.store.ControlHistory(tenant, c->evaluated.id, {});
  if (!points) return Fail(points.error());
  Result<std::vector<store::StateHistoryEntry>> states =
      rc.store.StateHistory(tenant, c->evaluated.id);
  if (!states) return Fail(states.error());

  JsonWriter w;
  WriteActionItem(w, *c, (*score)->view.score.controls[i]);
  std::string item = w.str();
  item.pop_back();  // reopen the item object to add the detail fields
  JsonWriter d;
  d.BeginObject();
  const catalog::Control* k = c->control;
  d.Key("description").String(k ? k->description : "");
  d.Key("remediation").String(k ? k->remediation : "");
  d.Key("portal").String(k ? k->portal : "");
  d.Key("powershell").String(k ? k->powershell : "");
  d.Key("userNotice").String(k ? k->user_notice : "");
  d.Key("threats");
  WriteStrings(d, k ? k->threats : std::vector<std::string>{});
  d.Key("frameworks").BeginObject().Key("scuba");
  WriteStrings(d, k ? k->scuba_ids : std::vector<std::string>{});
  d.Key("cis");
  WriteStrings(d, k ? k->cis_ids : std::vector<std::string>{});
  d.EndObject();
  d.Key("evidenceLevel").String(c->evaluated.evidence_level);
  d.Key("failing");
  WriteEntityList(d, c->evaluated.failing);
  d.Key("excepted");
  WriteEntityList(d, c->evaluated.excepted);
  d.Key("comment").String(c->state ? c->state->comment : "");
  d.Key("pointsHistory").BeginArray();
  for (const store::ControlPoint& p : *points) {
    d.BeginObject().Key("date").String(service::FormatTimestamp(p.evaluated_at));
    d.Key("points").Number(p.points).Key("max").Number(p.max).EndObject();
  }
  d.EndArray().Key("stateHistory").BeginArray();
  for (const store::StateHistoryEntry& h : *states) {
    d.BeginObject().Key("at").String(service::FormatTimestamp(h.changed_at));
    d.Key("by").String(h.changed_by).Key("from").String(core::ToString(h.from));
    d.Key("to").String(core::ToString(h.to)).Key("comment").String(h.reason).EndObject();
  }
  d.EndArray().EndObject();
  return JsonResponse(status, item + "," + d.str().substr(1));
}

HttpResponse GetAction(RequestContext& rc) { return ActionDetail(rc, 200); }

// The controls a state change may name: those in the tenant's current score.
Status RequireControls(RequestContext& rc, const std::string& tenant,
                       const std::vector<std::string>& controls) {
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, tenant);
  if (!score) return score.error();
  for (const std::string& id : controls) {
    std::size_t i = 0;
    if (FindControl((*score)->view, id, &i) == nullptr) return UnknownControl(id);
  }
  return OkStatus();
}

HttpResponse PatchAction(RequestContext& rc) {
  const std::string& tenant = rc.Param("t");
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return Fail(body.error());
  Status known = RequireControls(rc, tenant, {rc.Param("c")});
  if (!known) return Fail(known.error());
  Result<store::ControlStateRecord> set = ApplyStateChange(rc.store, tenant, rc.Param("c"), *body,
                                                           ActorOf(rc.principal), rc.server.now());
  if (!set) return Fail(set.error());
  TenantChanged(rc.server, tenant);
  return ActionDetail(rc, 200);
}

HttpResponse BulkActions(RequestContext& rc) {
  const std::string& tenant = rc.Param("t");
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return Fail(body.error());
  auto controls = body->Strings("controls");
  if (!controls) return Fail(controls.error());
  if (!*controls || (*controls)->empty()) {
    return Fail(InvalidInput("expected a non-empty list of control ids", "/controls"));
  }
  Status known = RequireControls(rc, tenant, **controls);
  if (!known) return Fail(known.error());
  int n = 0;
  for (const std::string& c : **controls) {
    Result<store::ControlStateRecord> set =
        ApplyStateChange(rc.store, tenant, c, *body, ActorOf(rc.principal), rc.server.now());
    if (!set) return Fail(set.error());
    ++n;
  }
  TenantChanged(rc.server, tenant);
  return UpdatedResponse(n);
}

// Fleet-wide decisions: the same state for the same controls across tenants. Tenants where
// a control is not scored are skipped rather than failing the whole request.
HttpResponse FleetBulk(RequestContext& rc) {
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return Fail(body.error());
  auto controls = body->Strings("controls");
  if (!controls) return Fail(controls.error());
  if (!*controls || (*controls)->empty()) {
    return Fail(InvalidInput("expected a non-empty list of control ids", "/controls"));
  }
  std::vector<std::string> tenants;
  auto all = body->String("tenants");
  if (all && *all == std::optional<std::string>("all")) {
    Result<std::vector<store::Tenant>> list = rc.store.ListTenants();
    if (!list) return Fail(list.error());
    for (const store::Tenant& t : *list) tenants.push_back(t.id);
  } else {
    auto named = body->Strings("tenants");
    if (!named || !*named) {
      return Fail(InvalidInput("expected \"all\" or a list of tenant ids", "/tenants"));
    }
    tenants = **named;
  }
  int n = 0;
  for (const std::string& t : tenants) {
    Result<store::Tenant> tenant = rc.store.GetTenant(t);
    if (!tenant) return Fail(tenant.error());
    Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, t);
    if (!score) continue;  // no evaluation yet: nothing to decide about
    for (const std::string& c : **controls) {
      std::size_t i = 0;
      if (FindControl((*score)->view, c, &i) == nullptr) continue;
      Result<store::ControlStateRecord> set =
          ApplyStateChange(rc.store, t, c, *body, ActorOf(rc.principal), rc.server.now());
      if (!set) return Fail(set.error());
      ++n;
    }
  }
  TenantChanged(rc.server, "");
  return UpdatedResponse(n);
}

// ------------------------------------------------------------------------------ exceptions

std::string ExceptionId(const store::ExceptionRecord& e) {
  return e.control_id + ":" + e.entity_id;
}

void WriteException(JsonWriter& w, const store::ExceptionRecord& e) {
  w.BeginObject().Key("id").String(ExceptionId(e)).Key("control").String(e.control_id);
  w.Key("entityId").String(e.entity_id).Key("rationale").String(e.rationale);
  w.Key("owner").String(e.owner).Key("expiresAt");
  WriteOptionalTime(w, e.expires_at);
  w.Key("createdBy").String(e.created_by);
  w.Key("createdAt").String(service::FormatTimestamp(e.created_at)).EndObject();
}

HttpResponse ListExceptions(RequestContext& rc) {
  Result<std::vector<store::ExceptionRecord>> list = rc.store.ListExceptions(rc.Param("t"));
  if (!list) return Fail(list.error());
  JsonWriter w;
  w.BeginObject().Key("exceptions").BeginArray();
  for (const store::ExceptionRecord& e : *list) WriteException(w, e);
  w.EndArray().EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse CreateException(RequestContext& rc) {
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return Fail(body.error());
  auto control = body->String("control");
  auto entity = body->String("entityId");
  auto rationale = body->String("rationale");
  auto owner = body->String("owner");
  auto expires = body->String("expiresAt");
  for (const auto* r : {&control, &entity, &rationale, &owner, &expires}) {
    if (!*r) return Fail(r->error());
  }
  if (!*control || !*entity || !*rationale || (*rationale)->empty()) {
    return Fail(InvalidInput("an exception needs control, entityId and a rationale", ""));
  }
  if (rc.server.catalog->Find(**control) == nullptr) return Fail(UnknownControl(**control));
  store::ExceptionRecord e{rc.Param("t"),
                           **control,
                           **entity,
                           **rationale,
                           owner->value_or(ActorOf(rc.principal)),
                           std::nullopt,
                           ActorOf(rc.principal),
                           rc.server.now()};
  if (*expires) {
    Result<store::Timestamp> t = service::ParseTimestamp(**expires, "/expiresAt");
    if (!t) return Fail(t.error());
    e.expires_at = *t;
  }
  Status s = rc.store.AddException(e);
  if (!s) return Fail(s.error());
  TenantChanged(rc.server, e.tenant_id);
  JsonWriter w;
  WriteException(w, e);
  return JsonResponse(201, w.str());
}

HttpResponse DeleteException(RequestContext& rc) {
  const std::string& id = rc.Param("id");
  const std::size_t colon = id.find(':');
  if (colon == std::string::npos) return ErrorResponse(404, "not_found", "no such exception");
  Status s = rc.store.RemoveException(rc.Param("t"), id.substr(0, colon), id.substr(colon + 1));
  if (!s) return Fail(s.error());
  TenantChanged(rc.server, rc.Param("t"));
  return HttpResponse{204, "application/json", "", {}, nullptr};
}

// ----------------------------------------------------------------------------- goal, zones

HttpResponse GoalResponse(RequestContext& rc, int status) {
  Result<std::vector<store::Goal>> goals = rc.store.ListGoals(rc.Param("t"));
  if (!goals) return Fail(goals.error());
  Result<std::optional<store::ScoreZones>> zones = rc.store.GetScoreZones(rc.Param("t"));
  if (!zones) return Fail(zones.error());
  JsonWriter w;
  w.BeginObject().Key("target");
  goals->empty() ? (void)w.Null() : (void)w.Number(goals->front().target_percentage);
  w.Key("by");
  goals->empty() ? (void)w.Null() : (void)w.String(service::FormatDay(goals->front().target_date));
  w.Key("zones");
  if (*zones) {
    w.BeginObject().Key("good").Number((*zones)->good).Key("okay").Number((*zones)->okay);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  return JsonResponse(status, w.str());
}

HttpResponse GetGoal(RequestContext& rc) { return GoalResponse(rc, 200); }

HttpResponse PutGoal(RequestContext& rc) {
  const std::string& tenant = rc.Param("t");
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return Fail(body.error());
  auto target = body->Number("target");
  auto by = body->String("by");
  auto good = body->NestedNumber("zones", "good");
  auto okay = body->NestedNumber("zones", "okay");
  for (const auto* r : {&target, &good, &okay}) {
    if (!*r) return Fail(r->error());
  }
  if (!by) return Fail(by.error());
  if (*target) {
    if (**target < 0 || **target > 100) {
      return Fail(InvalidInput("target must be a percentage in [0, 100]", "/target"));
    }
    if (!*by) return Fail(InvalidInput("a goal needs a date (by)", "/by"));
    Result<store::Day> day = service::ParseDay(**by, "/by");
    if (!day) return Fail(day.error());
    Result<std::vector<store::Goal>> old = rc.store.ListGoals(tenant);
    if (!old) return Fail(old.error());
    for (const store::Goal& g : *old) (void)rc.store.RemoveGoal(tenant, g.target_date);
    Status s = rc.store.SetGoal({tenant, *day, **target, ActorOf(rc.principal), rc.server.now()});
    if (!s) return Fail(s.error());
  }
  if (*good || *okay) {
    if (!*good || !*okay || **okay > **good || **good > 100 || **okay < 0) {
      return Fail(InvalidInput("zones need 0 <= okay <= good <= 100", "/zones"));
    }
    Status s = rc.store.SetScoreZones(tenant, {**good, **okay});
    if (!s) return Fail(s.error());
  }
  TenantChanged(rc.server, tenant);
  return GoalResponse(rc, 200);
}

// ------------------------------------------------------------- history, trends, compare

HttpResponse History(RequestContext& rc) {
  Error e;
  std::optional<store::TimeRange> range = RangeOf(rc.request, &e);
  if (!range) return Fail(e);
  Result<service::History> h = service::LoadHistory(rc.store, rc.Param("t"), *range);
  if (!h) return Fail(h.error());
  return JsonResponse(200, service::RenderHistoryJson(*h));
}

// Days the trends comparison covers when the request gives no `from`: Graph's 90 days.
constexpr int kComparisonDefaultDays = 90;

// The comparison series runs over the requested days, never past today (a later day would only
// repeat today's figures), and over the last kComparisonDefaultDays without `from`.
Result<service::ComparisonOverTime> ComparisonOf(RequestContext& rc, store::TimeRange range) {
  using std::chrono::days;
  const store::Day today = std::chrono::floor<days>(rc.server.now());
  const store::Day last = range.to == store::Timestamp::max()
                              ? today
                              : std::min(today, std::chrono::floor<days>(range.to));
  const store::Day first = range.from == store::Timestamp::min()
                               ? last - days(kComparisonDefaultDays - 1)
                               : std::chrono::floor<days>(range.from);
  return service::CompareOverTime(rc.store, rc.Param("t"), first, last);
}

HttpResponse Trends(RequestContext& rc) {
  Error e;
  std::optional<store::TimeRange> range = RangeOf(rc.request, &e);
  if (!range) return Fail(e);
  Result<service::History> h = service::LoadHistory(rc.store, rc.Param("t"), *range);
  if (!h) return Fail(h.error());
  Result<service::ComparisonOverTime> comparison = ComparisonOf(rc, *range);
  if (!comparison) return Fail(comparison.error());
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, rc.Param("t"));
  JsonWriter w;
  w.BeginObject().Key("zone");
  if (score && h->zones) {
    const double p = (*score)->view.score.percentage;
    w.String(p >= h->zones->good ? "good" : p >= h->zones->okay ? "okay" : "bad");
  } else {
    w.Null();
  }
  double gained = 0, lost = 0;
  w.Key("regressions").BeginArray();
  for (const service::EvaluationChange& c : h->changes) {
    const double delta = c.to_current - c.from_current;
    (delta >= 0 ? gained : lost) += delta;
    for (const service::ControlChange& cc : c.controls) {
      if (!cc.regressed) continue;
      const catalog::Control* k = rc.server.catalog->Find(cc.control_id);
      w.BeginObject().Key("date").String(service::FormatTimestamp(c.at));
      w.Key("control").String(cc.control_id).Key("title").String(k ? k->title : cc.control_id);
      w.Key("delta").Number(cc.to_points - cc.from_points).EndObject();
    }
  }
  w.EndArray().Key("riskAcceptance").BeginArray();
  for (const service::RiskAcceptancePoint& p : h->risk_acceptance) {
    w.BeginObject().Key("date").String(service::FormatTimestamp(p.at));
    w.Key("count").Int(p.controls).Key("points").Number(p.points_forgone).EndObject();
  }
  w.EndArray().Key("pointsGained").Number(gained).Key("pointsLost").Number(-lost);
  service::WriteComparisonOverTime(w, *comparison);
  w.EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse Compare(RequestContext& rc) {
  Result<service::Comparison> c = service::CompareTenant(rc.store, rc.Param("t"));
  if (!c) return Fail(c.error());
  return JsonResponse(200, service::RenderComparisonJson(*c));
}

HttpResponse WhatIf(RequestContext& rc) {
  const std::string& tenant = rc.Param("t");
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return Fail(body.error());
  auto controls = body->Strings("controls");
  if (!controls) return Fail(controls.error());
  if (!*controls) return Fail(InvalidInput("expected a list of control ids", "/controls"));
  auto save = body->Bool("save");
  if (!save) return Fail(save.error());
  Status known = RequireControls(rc, tenant, **controls);
  if (!known) return Fail(known.error());
  if (save->value_or(false)) {
    if (rc.principal.role < Role::kOperator) {
      return ErrorResponse(403, "forbidden", "saving as planned needs the operator role");
    }
    for (const std::string& c : **controls) {
      Result<store::ControlStateRecord> existing = rc.store.GetControlState(tenant, c);
      store::ControlStateRecord r = existing ? *existing : store::ControlStateRecord{};
      r.tenant_id = tenant;
      r.control_id = c;
      r.state = core::ControlState::kPlanned;
      r.updated_by = ActorOf(rc.principal);
      r.updated_at = rc.server.now();
      Result<store::ControlStateRecord> set = rc.store.SetControlState({r, "what-if: planned"});
      if (!set) return Fail(set.error());
    }
    TenantChanged(rc.server, tenant);
  }
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, tenant);
  if (!score) return Fail(score.error());
  const core::TenantScore& s = (*score)->view.score;
  const std::set<std::string> chosen((*controls)->begin(), (*controls)->end());
  std::map<std::string, double> gain;
  double total_gain = 0;
  for (const core::ControlScore& c : s.controls) {
    if (c.excluded || !chosen.count(c.id)) continue;
    gain[c.category] += c.max - c.points;
    total_gain += c.max - c.points;
  }
  JsonWriter w;
  w.BeginObject().Key("current").Number(s.current).Key("projected").Number(s.current + total_gain);
  w.Key("max").Number(s.max).Key("percentage").Number(s.percentage);
  w.Key("projectedPercentage").Number(core::Percentage(s.current + total_gain, s.max));
  w.Key("categories").BeginArray();
  for (const core::CategoryScore& c : s.categories) {
    w.BeginObject().Key("name").String(c.name).Key("current").Number(c.current);
    w.Key("projected").Number(c.current + gain[c.name]).Key("max").Number(c.max).EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse Evaluate(RequestContext& rc) {
  const std::string& tenant = rc.Param("t");
  service::IngestOptions options;
  options.tenant_override = tenant;
  Result<service::IngestResult> r = service::Ingest(rc.store, *rc.server.catalog, rc.request.body,
                                                    "request body", options, rc.server.now());
  if (!r) return Fail(r.error());
  if (r->evaluation_inserted && rc.server.metrics) rc.server.metrics->RecordEvaluationStored();
  TenantChanged(rc.server, tenant);
  Result<std::shared_ptr<const CachedScore>> score = CurrentScoreOf(rc, tenant);
  if (!score) return Fail(score.error());
  return JsonResponse(r->evaluation_inserted ? 201 : 200, (*score)->json);
}

}  // namespace

Result<std::shared_ptr<const CachedScore>> CurrentScoreOf(RequestContext& rc,
                                                          const std::string& tenant_id) {
  const store::Timestamp now = rc.server.now();
  return rc.server.scores->Get(tenant_id, now, [&]() -> Result<std::shared_ptr<const CachedScore>> {
    Result<service::ScoreView> view =
        service::CurrentScore(rc.store, *rc.server.catalog, tenant_id, now);
    if (!view) return view.error();
    Result<std::vector<store::Goal>> goals = rc.store.ListGoals(tenant_id);
    if (!goals) return goals.error();
    Result<std::optional<store::ScoreZones>> zones = rc.store.GetScoreZones(tenant_id);
    if (!zones) return zones.error();
    auto cached = std::make_shared<CachedScore>();
    cached->json = std::make_shared<const std::string>(
        ScoreJson(*view, *goals, *zones, /*with_entities=*/false));
    cached->view = std::move(*view);
    cached->goals = std::move(*goals);
    cached->zones = *zones;
    cached->computed_at = now;
    return std::shared_ptr<const CachedScore>(std::move(cached));
  });
}

void TenantChanged(ServerContext& context, const std::string& tenant_id) {
  if (tenant_id.empty()) {
    context.scores->InvalidateAll();
    if (context.auth != nullptr) context.auth->Clear();  // a tenant may have gone
  } else {
    context.scores->Invalidate(tenant_id);
  }
  if (context.changed) context.changed(tenant_id);
}

void AddNativeRoutes(Router& router) {
  const std::string t = "/api/v1/tenants/{t}";
  auto add = [&](std::string method, std::string pattern, Role role, Handler h,
                 Scope scope = Scope::kAnyToken, std::size_t limit = kDefaultBodyLimit) {
    router.Add(Route{std::move(method), std::move(pattern), role, scope, limit, std::move(h)});
  };
  add("GET", "/api/v1/me", Role::kReader, Me);
  add("GET", "/api/v1/tenants", Role::kReader, ListTenants);
  add("POST", "/api/v1/tenants", Role::kAdmin, CreateTenant, Scope::kAllTenants);
  add("GET", t, Role::kReader, GetTenant);
  add("DELETE", t, Role::kAdmin, DeleteTenant, Scope::kAllTenants);
  add("GET", t + "/score", Role::kReader, GetScore);
  add("GET", t + "/actions", Role::kReader, ListActions);
  add("GET", t + "/actions.csv", Role::kReader, ActionsCsv);
  add("POST", t + "/actions/bulk", Role::kOperator, BulkActions);
  add("GET", t + "/actions/{c}", Role::kReader, GetAction);
  add("PATCH", t + "/actions/{c}", Role::kOperator, PatchAction);
  add("POST", "/api/v1/actions/bulk", Role::kOperator, FleetBulk, Scope::kAllTenants);
  add("GET", t + "/exceptions", Role::kReader, ListExceptions);
  add("POST", t + "/exceptions", Role::kOperator, CreateException);
  add("DELETE", t + "/exceptions/{id}", Role::kOperator, DeleteException);
  add("GET", t + "/goal", Role::kReader, GetGoal);
  add("PUT", t + "/goal", Role::kOperator, PutGoal);
  add("GET", t + "/history", Role::kReader, History);
  add("GET", t + "/trends", Role::kReader, Trends);
  add("GET", t + "/compare", Role::kReader, Compare);
  add("POST", t + "/whatif", Role::kReader, WhatIf);
  add("POST", t + "/evaluate", Role::kAdmin, Evaluate, Scope::kAnyToken, kSnapshotBodyLimit);
  AddAdminRoutes(router);
}

}  // namespace securescore::server
