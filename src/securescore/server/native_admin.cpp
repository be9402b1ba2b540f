// Admin routes of the native API: tokens (the secret returned once) and alert rules with
// their delivery records.
#include "securescore/catalog/json_writer.h"
#include "securescore/server/alerts.h"
#include "securescore/server/auth_cache.h"
#include "securescore/server/json_body.h"
#include "securescore/server/native_common.h"
#include "securescore/service/time_text.h"

namespace securescore::server {
namespace {

using catalog::JsonWriter;

void WriteToken(JsonWriter& w, const store::AccessToken& t) {
  w.Key("id").String(t.id).Key("name").String(t.name).Key("role").String(t.role);
  w.Key("tenant");
  t.tenant_id.empty() ? (void)w.Null() : (void)w.String(t.tenant_id);
  w.Key("createdAt").String(service::FormatTimestamp(t.created_at)).Key("expiresAt");
  WriteOptionalTime(w, t.expires_at);
  w.Key("revokedAt");
  WriteOptionalTime(w, t.revoked_at);
}

HttpResponse ListTokens(RequestContext& rc) {
  Result<std::vector<store::AccessToken>> tokens = rc.store.ListTokens();
  if (!tokens) return ErrorResponse(tokens.error());
  JsonWriter w;
  w.BeginObject().Key("tokens").BeginArray();
  for (const store::AccessToken& t : *tokens) {
    w.BeginObject();
    WriteToken(w, t);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse CreateToken(RequestContext& rc) {
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return ErrorResponse(body.error());
  auto role = body->String("role");
  auto tenant = body->String("tenant");
  auto expires = body->String("expiresAt");
  auto name = body->String("name");
  for (const auto* f : {&role, &tenant, &expires, &name}) {
    if (!*f) return ErrorResponse(f->error());
  }
  TokenRequest request;
  std::optional<Role> parsed = ParseRole(role->value_or(""));
  if (!parsed)
    return ErrorResponse(InvalidInput("role must be reader, operator or admin", "/role"));
  request.role = *parsed;
  request.tenant_id = tenant->value_or("");
  request.name = name->value_or("");
  if (*expires) {
    Result<store::Timestamp> t = service::ParseTimestamp(**expires, "/expiresAt");
    if (!t) return ErrorResponse(t.error());
    request.expires_at = *t;
  }
  Result<IssuedToken> issued = IssueToken(rc.store, request, rc.server.now());
  if (!issued) return ErrorResponse(issued.error());
  (void)rc.store.AppendAudit({0, ActorOf(rc.principal), "token.create",
                              "token/" + issued->record.id, "{}", rc.server.now()});
  JsonWriter w;
  w.BeginObject();
  WriteToken(w, issued->record);
  w.Key("token").String(issued->token).EndObject();
  return JsonResponse(201, w.str());
}

HttpResponse RevokeToken(RequestContext& rc) {
  Status s = rc.store.RevokeToken(rc.Param("id"), rc.server.now());
  if (!s) return ErrorResponse(s.error());
  if (rc.server.auth != nullptr) rc.server.auth->Clear();  // refused from the next request on
  (void)rc.store.AppendAudit(
      {0, ActorOf(rc.principal), "token.revoke", "token/" + rc.Param("id"), "{}", rc.server.now()});
  return HttpResponse{204, "application/json", "", {}, nullptr};
}

void WriteRule(JsonWriter& w, const store::AlertRule& r) {
  w.BeginObject().Key("id").Int(r.id).Key("tenant");
  r.tenant_id.empty() ? (void)w.Null() : (void)w.String(r.tenant_id);
  w.Key("kind").String(r.kind).Key("threshold").Number(r.threshold).Key("url").String(r.url);
  w.Key("createdBy").String(r.created_by);
  w.Key("createdAt").String(service::FormatTimestamp(r.created_at)).EndObject();
}

HttpResponse ListRules(RequestContext& rc) {
  Result<std::vector<store::AlertRule>> rules = rc.store.ListAlertRules();
  if (!rules) return ErrorResponse(rules.error());
  JsonWriter w;
  w.BeginObject().Key("rules").BeginArray();
  for (const store::AlertRule& r : *rules) WriteRule(w, r);
  w.EndArray().EndObject();
  return JsonResponse(200, w.str());
}

HttpResponse CreateRule(RequestContext& rc) {
  Result<JsonBody> body = JsonBody::Parse(rc.request.body);
  if (!body) return ErrorResponse(body.error());
  auto tenant = body->String("tenant");
  auto kind = body->String("kind");
  auto threshold = body->Number("threshold");
  auto url = body->String("url");
  auto secret = body->String("secret");
  for (const auto* f : {&tenant, &kind, &url, &secret}) {
    if (!*f) return ErrorResponse(f->error());
  }
  if (!threshold) return ErrorResponse(threshold.error());
  if (!*secret || (*secret)->size() < 16) {
    return ErrorResponse(InvalidInput("a webhook secret of at least 16 characters", "/secret"));
  }
  store::AlertRule rule{0,
                        tenant->value_or(""),
                        kind->value_or(""),
                        threshold->value_or(0),
                        url->value_or(""),
                        **secret,
                        ActorOf(rc.principal),
                        rc.server.now()};
  if (Status valid = ValidateAlertRule(rule); !valid) return ErrorResponse(valid.error());
  if (!rule.tenant_id.empty()) {
    Result<store::Tenant> t = rc.store.GetTenant(rule.tenant_id);
    if (!t) return ErrorResponse(t.error());
  }
  Result<std::int64_t> id = rc.store.AddAlertRule(rule);
  if (!id) return ErrorResponse(id.error());
  rule.id = *id;
  // A new rule is checked at once, so a condition that already holds alerts now rather than at
  // the next periodic check.
  if (rc.server.changed) rc.server.changed(rule.tenant_id);
  JsonWriter w;
  WriteRule(w, rule);
  return JsonResponse(201, w.str());
}

HttpResponse DeleteRule(RequestContext& rc) {
  std::int64_t id = 0;
  try {
    id = std::stoll(rc.Param("id"));
  } catch (const std::exception&) {
    return ErrorResponse(404, "not_found", "no such alert rule");
  }
  Status s = rc.store.RemoveAlertRule(id);
  if (!s) return ErrorResponse(s.error());
  return HttpResponse{204, "application/json", "", {}, nullptr};
}

HttpResponse ListDeliveries(RequestContext& rc) {
  Result<std::vector<store::AlertDelivery>> list = rc.store.ListDeliveries(500);
  if (!list) return ErrorResponse(list.error());
  JsonWriter w;
  w.BeginObject().Key("deliveries").BeginArray();
  for (const store::AlertDelivery& d : *list) {
    w.BeginObject().Key("id").Int(d.id).Key("rule").Int(d.rule_id).Key("tenant").String(
        d.tenant_id);
    w.Key("event").String(d.event_key).Key("attempt").Int(d.attempt);
    w.Key("httpStatus").Int(d.http_status).Key("error").String(d.error);
    w.Key("delivered").Bool(d.delivered).Key("at").String(service::FormatTimestamp(d.at));
    w.EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(200, w.str());
}

}  // namespace

void AddAdminRoutes(Router& router) {
  auto add = [&](std::string method, std::string pattern, Handler h) {
    router.Add(Route{std::move(method), std::move(pattern), Role::kAdmin, Scope::kAllTenants,
                     kDefaultBodyLimit, std::move(h)});
  };
  add("GET", "/api/v1/tokens", ListTokens);
  add("POST", "/api/v1/tokens", CreateToken);
  add("DELETE", "/api/v1/tokens/{id}", RevokeToken);
  add("GET", "/api/v1/alerts/rules", ListRules);
  add("POST", "/api/v1/alerts/rules", CreateRule);
  add("DELETE", "/api/v1/alerts/rules/{id}", DeleteRule);
  add("GET", "/api/v1/alerts/deliveries", ListDeliveries);
}

}  // namespace securescore::server
