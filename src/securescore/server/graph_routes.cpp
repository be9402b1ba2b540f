// Microsoft Graph-compatible endpoints (DESIGN §4) in Microsoft's documented shapes, for the
// tenant the bearer token is scoped to, so existing Graph clients pointed at this server work:
//   GET   /v1.0/security/secureScores                     ($top, $skip; newest day first)
//   GET   /v1.0/security/secureScoreControlProfiles[/{id}] ($top, $skip)
//   PATCH /v1.0/security/secureScoreControlProfiles/{id}  (204, or 200 with
//         Prefer: return=representation)
#include <algorithm>
#include <cctype>

#include "securescore/catalog/json_writer.h"
#include "securescore/server/json_body.h"
#include "securescore/server/native_common.h"
#include "securescore/server/routes.h"
#include "securescore/service/compare.h"
#include "securescore/service/time_text.h"

namespace securescore::server {
namespace {

using catalog::JsonWriter;

constexpr std::size_t kDefaultTop = 100;
constexpr std::size_t kMaxTop = 1000;

void VendorInformation(JsonWriter& w) {
  w.Key("vendorInformation").BeginObject().Key("provider").String("SecureScore");
  w.Key("providerVersion").Null().Key("subProvider").Null().Key("vendor").String("securescore");
  w.EndObject();
}

std::string BaseUrl(const HttpRequest& r) {
  const std::string host = r.Header("Host");
  return "http://" + (host.empty() ? std::string("localhost") : host);
}

// OData paging parameters; InvalidInput for values that are not whole numbers.
Result<std::pair<std::size_t, std::size_t>> Paging(const HttpRequest& r) {
  std::size_t values[2] = {kDefaultTop, 0};
  const char* names[2] = {"$top", "$skip"};
  for (int i = 0; i < 2; ++i) {
    std::optional<std::string> v = r.Query(names[i]);
    if (!v) continue;
    if (v->empty() || v->size() > 9 ||
        !std::all_of(v->begin(), v->end(), [](char c) { return std::isdigit(c) != 0; })) {
      return InvalidInput(std::string(names[i]) + " must be a whole number", names[i]);
    }
    values[i] = std::stoul(*v);
  }
  if (values[0] == 0 || values[0] > kMaxTop) {
    return InvalidInput("$top must be between 1 and " + std::to_string(kMaxTop), "$top");
  }
  return std::pair{values[0], values[1]};
}

void ODataHeader(JsonWriter& w, const HttpRequest& r, std::string_view entity_set) {
  w.BeginObject()
      .Key("@odata.context")
      .String(BaseUrl(r) + "/v1.0/$metadata#security/" + std::string(entity_set));
}

void NextLink(JsonWriter& w, const HttpRequest& r, std::string_view entity_set, std::size_t top,
              std::size_t next_skip) {
  w.Key("@odata.nextLink")
      .String(BaseUrl(r) + "/v1.0/security/" + std::string(entity_set) +
              "?$top=" + std::to_string(top) + "&$skip=" + std::to_string(next_skip));
}

// Graph's averageComparativeScores: one object per basis that is not withheld. Category
// figures are average percentages, so each *ScoreMax is 100.
void AverageComparativeScores(JsonWriter& w, const std::optional<service::Comparison>& c) {
  w.Key("averageComparativeScores").BeginArray();
  if (c) {
    for (const core::ComparativeScore& b : c->bases) {
      if (b.withheld) continue;
      w.BeginObject().Key("basis").String(core::ToString(b.basis));
      w.Key("averageScore").Number(core::Round2(b.average_percentage));
      if (b.basis == core::ComparisonBasis::kTotalSeats) {
        std::optional<core::SeatBand> band = core::SeatBandOf(c->tenant.seats);
        w.Key("SeatSizeRangeLowerValue").String(band ? std::to_string(band->lower) : "");
        w.Key("SeatSizeRangeUpperValue")
            .String(band && band->upper > 0 ? std::to_string(band->upper) : "");
      }
      if (b.basis == core::ComparisonBasis::kIndustryTypes) {
        w.Key("industryName").String(b.basis_value);
      }
      for (const core::CategoryAverage& cat : b.categories) {
        std::string key = cat.name;
        key[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[0])));
        w.Key(key + "Score").Number(core::Round2(cat.average_percentage));
        w.Key(key + "ScoreMax").Number(100);
      }
      w.EndObject();
    }
  }
  w.EndArray();
}

void ControlScores(JsonWriter& w, const catalog::Catalog& catalog,
                   const store::Evaluation& evaluation) {
  const std::string synced = service::FormatTimestamp(evaluation.summary.evaluated_at);
  w.Key("controlScores").BeginArray();
  for (const store::ControlResult& c : evaluation.controls) {
    if (c.status == core::ControlStatus::kNoData || c.status == core::ControlStatus::kError ||
        c.status == core::ControlStatus::kNotApplicable) {
      continue;  // Microsoft lists only controls that were scored
    }
    const catalog::Control* k = catalog.Find(c.id);
    w.BeginObject().Key("controlCategory").String(c.category).Key("controlName").String(c.id);
    w.Key("description").String(k ? k->description : c.title);
    w.Key("score").Number(c.points).Key("lastSynced").String(synced);
    w.Key("implementationStatus")
        .String(c.total > 0
                    ? std::to_string(c.count) + " of " + std::to_string(c.total) + " compliant"
                    : std::string(core::ToString(c.status)));
    if (k && k->scoring == core::ScoringKind::kPerEntity) {
      w.Key("count").String(std::to_string(c.count)).Key("total").String(std::to_string(c.total));
    } else {
      w.Key("on").String(c.status == core::ControlStatus::kCompleted ? "true" : "false");
    }
    w.Key("scoreInPercentage").Number(core::Round2(core::Percentage(c.points, c.max)));
    w.EndObject();
  }
  w.EndArray();
}

HttpResponse SecureScores(RequestContext& rc) {
  const std::string& tenant_id = rc.principal.tenant_id;
  Result<std::pair<std::size_t, std::size_t>> paging = Paging(rc.request);
  if (!paging) return ErrorResponse(paging.error());
  const auto [top, skip] = *paging;
  Result<store::Tenant> tenant = rc.store.GetTenant(tenant_id);
  if (!tenant) return ErrorResponse(tenant.error());
  Result<std::vector<store::DailyPoint>> days = rc.store.DailySeries(tenant_id, {});
  if (!days) return ErrorResponse(days.error());
  std::reverse(days->begin(), days->end());
  Result<service::Comparison> comparison = service::CompareTenant(rc.store, tenant_id);
  std::optional<service::Comparison> compared;
  if (comparison) compared = std::move(*comparison);
  // The newest day shows today's states: a state change is visible here at once.
  Result<std::shared_ptr<const CachedScore>> current = CurrentScoreOf(rc, tenant_id);

  JsonWriter w;
  ODataHeader(w, rc.request, "secureScores");
  w.Key("value").BeginArray();
  for (std::size_t i = skip; i < days->size() && i < skip + top; ++i) {
    const store::DailyPoint& day = (*days)[i];
    Result<store::Evaluation> ev = rc.store.GetEvaluation(day.evaluation.id);
    if (!ev) return ErrorResponse(ev.error());
    double score = ev->summary.current, max = ev->summary.max;
    if (i == 0 && current && (*current)->view.evaluation.id == ev->summary.id) {
      const service::ScoreView& view = (*current)->view;
      score = view.score.current;
      max = view.score.max;
      for (std::size_t c = 0; c < ev->controls.size() && c < view.controls.size(); ++c) {
        if (ev->controls[c].id == view.score.controls[c].id) {
          ev->controls[c].points = view.score.controls[c].points;
        }
      }
    }
    w.BeginObject();
    w.Key("id").String(tenant_id + "_" + service::FormatDay(day.day));
    w.Key("azureTenantId").String(tenant_id);
    w.Key("activeUserCount").Int(tenant->seats);
    w.Key("createdDateTime").String(service::FormatTimestamp(ev->summary.evaluated_at));
    w.Key("currentScore").Number(score);
    w.Key("enabledServices").BeginArray().EndArray();
    w.Key("licensedUserCount").Int(tenant->seats);
    w.Key("maxScore").Number(max);
    VendorInformation(w);
    AverageComparativeScores(w, compared);
    ControlScores(w, *rc.server.catalog, *ev);
    w.EndObject();
  }
  w.EndArray();
  if (skip + top < days->size()) NextLink(w, rc.request, "secureScores", top, skip + top);
  w.EndObject();
  return JsonResponse(200, w.str());
}

// Controls ranked by what they are worth, as Microsoft ranks its profiles.
std::vector<const catalog::Control*> RankedControls(const catalog::Catalog& catalog) {
  std::vector<const catalog::Control*> out;
  out.reserve(catalog.controls.size());
  for (const catalog::Control& c : catalog.controls) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->max_points > b->max_points; });
  return out;
}

void NullableString(JsonWriter& w, std::string_view key, const std::string& value) {
  w.Key(key);
  value.empty() ? (void)w.Null() : (void)w.String(value);
}

Status WriteProfile(JsonWriter& w, RequestContext& rc, const catalog::Control& c, int rank) {
  const std::string& tenant_id = rc.principal.tenant_id;
  Result<std::vector<store::StateHistoryEntry>> history = rc.store.StateHistory(tenant_id, c.id);
  if (!history) return history.error();
  Result<store::ControlStateRecord> state = rc.store.GetControlState(tenant_id, c.id);
  if (!state && state.error().code != ErrorCode::kNotFound) return state.error();
  w.BeginObject().Key("id").String(c.id).Key("azureTenantId").String(tenant_id);
  w.Key("actionType").String(c.action_type.empty() ? "Config" : c.action_type);
  NullableString(w, "actionUrl", c.portal);
  w.Key("controlCategory").String(c.category).Key("title").String(c.title);
  w.Key("deprecated").Bool(false);
  w.Key("implementationCost")
      .String(c.implementation_cost.empty() ? "Unknown" : c.implementation_cost);
  w.Key("lastModifiedDateTime");
  if (state) {
    w.String(service::FormatTimestamp(state->updated_at));
  } else {
    w.Null();
  }
  w.Key("maxScore").Number(c.max_points).Key("rank").Int(rank);
  w.Key("remediation").String(c.remediation).Key("remediationImpact").String(c.user_notice);
  w.Key("service").String(c.service).Key("threats").BeginArray();
  for (const std::string& t : c.threats) w.String(t);
  w.EndArray().Key("tier").String(c.tier.empty() ? "Core" : c.tier);
  w.Key("userImpact").String(c.user_impact.empty() ? "Unknown" : c.user_impact);
  VendorInformation(w);
  w.Key("complianceInformation").BeginArray();
  if (!c.cis_ids.empty()) {
    w.BeginObject().Key("certificationName").String("CIS Microsoft 365 Foundations");
    w.Key("certificationControls").BeginArray();
    for (const std::string& id : c.cis_ids) {
      w.BeginObject().Key("name").String(id).Key("url").Null().EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().Key("controlStateUpdates").BeginArray();
  if (history->empty()) {
    w.BeginObject().Key("assignedTo").Null().Key("comment").Null().Key("state").String("Default");
    w.Key("updatedBy").Null().Key("updatedDateTime").Null().EndObject();
  }
  for (std::size_t i = 0; i < history->size(); ++i) {
    const store::StateHistoryEntry& h = (*history)[i];
    const bool last = i + 1 == history->size();
    w.BeginObject();
    NullableString(w, "assignedTo", last && state ? state->assignee : "");
    NullableString(w, "comment", h.reason);
    w.Key("state").String(core::GraphStateName(h.to));
    NullableString(w, "updatedBy", h.changed_by);
    w.Key("updatedDateTime").String(service::FormatTimestamp(h.changed_at)).EndObject();
  }
  w.EndArray().EndObject();
  return OkStatus();
}

HttpResponse ListProfiles(RequestContext& rc) {
  Result<std::pair<std::size_t, std::size_t>> paging = Paging(rc.request);
  if (!paging) return ErrorResponse(paging.error());
  const auto [top, skip] = *paging;
  const std::vector<const catalog::Control*> ranked = RankedControls(*rc.server.catalog);
  JsonWriter w;
  ODataHeader(w, rc.request, "secureScoreControlProfiles");
  w.Key("value").BeginArray();
  for (std::size_t i = skip; i < ranked.size() && i < skip + top; ++i) {
    Status s = WriteProfile(w, rc, *ranked[i], static_cast<int>(i + 1));
    if (!s) return ErrorResponse(s.error());
  }
  w.EndArray();
  if (skip + top < ranked.size()) {
    NextLink(w, rc.request, "secureScoreControlProfiles", top, skip + top);
  }
  w.EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse OneProfile(RequestContext& rc, int status) {
  const std::vector<const catalog::Control*> ranked = RankedControls(*rc.server.catalog);
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    if (ranked[i]->id != rc.Param("id")) continue;
    JsonWriter w;
    ODataHeader(w, rc.request, "secureScoreControlProfiles/$entity");
    std::string head = w.str();
    JsonWriter p;
    Status s = WriteProfile(p, rc, *ranked[i], static_cast<int>(i + 1));
    if (!s) return ErrorResponse(s.error());
    return JsonResponse(status, head + "," + p.str().substr(1));
  }
  return ErrorResponse(404, "not_found", "no control profile " + rc.Param("id"), "id");
}

HttpResponse GetProfile(RequestContext& rc) { return OneProfile(rc, 200); }

HttpResponse PatchProfile(RequestContext& rc) {
  const std::string& id = rc.Param("id");
  if (rc.server.catalog->Find(id) == nullptr) {
    return ErrorResponse(404, "not_found", "no control profile " + id, "id");
  }
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return ErrorResponse(body.error());
  // Graph's field names mapped onto ours; vendorInformation is accepted and not stored.
  auto state = body->String("state");
  auto comment = body->String("comment");
  auto assigned = body->String("assignedTo");
  for (const auto* f : {&state, &comment, &assigned}) {
    if (!*f) return ErrorResponse(f->error());
  }
  JsonWriter w;
  w.BeginObject();
  if (*state) w.Key("state").String(**state);
  if (*comment) w.Key("comment").String(**comment);
  if (*assigned) w.Key("assignee").String(**assigned);
  w.EndObject();
  Result<JsonBody> ours = JsonBody::Parse(w.str());
  if (!ours) return ErrorResponse(ours.error());
  Result<store::ControlStateRecord> set = ApplyStateChange(
      rc.store, rc.principal.tenant_id, id, *ours, ActorOf(rc.principal), rc.server.now());
  if (!set) return ErrorResponse(set.error());
  TenantChanged(rc.server, rc.principal.tenant_id);
  if (rc.request.Header("Prefer").find("return=representation") != std::string::npos) {
    return OneProfile(rc, 200);
  }
  return HttpResponse{204, "application/json", "", {}, nullptr};
}

}  // namespace

void AddGraphRoutes(Router& router) {
  auto add = [&](std::string method, std::string pattern, Role role, Handler h) {
    router.Add(Route{std::move(method), std::move(pattern), role, Scope::kOneTenant,
                     kDefaultBodyLimit, std::move(h)});
  };
  add("GET", "/v1.0/security/secureScores", Role::kReader, SecureScores);
  add("GET", "/v1.0/security/secureScoreControlProfiles", Role::kReader, ListProfiles);
  add("GET", "/v1.0/security/secureScoreControlProfiles/{id}", Role::kReader, GetProfile);
  add("PATCH", "/v1.0/security/secureScoreControlProfiles/{id}", Role::kOperator, PatchProfile);
}

}  // namespace securescore::server
