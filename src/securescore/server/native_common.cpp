#include "securescore/server/native_common.h"

#include "securescore/server/json_body.h"
#include "securescore/service/time_text.h"

namespace securescore::server {

void WriteOptionalTime(catalog::JsonWriter& w, const std::optional<store::Timestamp>& t) {
  t ? (void)w.String(service::FormatTimestamp(*t)) : (void)w.Null();
}

void WriteActionItem(catalog::JsonWriter& w, const service::ControlView& control,
                     const core::ControlScore& score) {
  const store::ControlResult& e = control.evaluated;
  const catalog::Control* k = control.control;
  w.BeginObject();
  w.Key("id").String(e.id).Key("title").String(e.title).Key("category").String(e.category);
  w.Key("service").String(e.service).Key("status").String(core::ToString(score.status));
  w.Key("state").String(core::ToString(score.state));
  w.Key("points").Number(score.points).Key("max").Number(k ? k->max_points : e.max);
  w.Key("count").Int(score.count).Key("total").Int(score.total);
  w.Key("scoreImpact").Number(score.score_impact);
  w.Key("userImpact").String(k ? k->user_impact : "");
  w.Key("implementationCost").String(k ? k->implementation_cost : "");
  w.Key("tier").String(k ? k->tier : "");
  w.Key("regressed").Bool(control.regressed);
  w.Key("tags").BeginArray();
  if (control.state) {
    for (const std::string& tag : control.state->tags) w.String(tag);
  }
  w.EndArray();
  w.Key("assignee").String(control.state ? control.state->assignee : "");
  w.Key("expiresAt");
  WriteOptionalTime(w, control.state ? control.state->expires_at : std::nullopt);
  w.EndObject();
}

HttpResponse UpdatedResponse(int n) {
  catalog::JsonWriter w;
  w.BeginObject().Key("updated").Int(n).EndObject();
  return JsonResponse(200, w.str());
}

std::string ActorOf(const Principal& principal) { return "token:" + principal.token_id; }

Result<store::ControlStateRecord> ApplyStateChange(store::Store& store,
                                                   const std::string& tenant_id,
                                                   const std::string& control_id,
                                                   const JsonBody& body, const std::string& actor,
                                                   store::Timestamp now) {
  Result<store::ControlStateRecord> existing = store.GetControlState(tenant_id, control_id);
  if (!existing && existing.error().code != ErrorCode::kNotFound) return existing.error();
  store::ControlStateRecord r = existing ? *existing : store::ControlStateRecord{};
  r.tenant_id = tenant_id;
  r.control_id = control_id;
  auto state = body.String("state");
  auto comment = body.String("comment");
  auto assignee = body.String("assignee");
  auto expires = body.String("expiresAt");
  auto tags = body.Strings("tags");
  for (const auto* f : {&state, &comment, &assignee, &expires}) {
    if (!*f) return f->error();
  }
  if (!tags) return tags.error();
  if (*state) {
    std::optional<core::ControlState> s = core::ParseControlState(**state);
    if (!s) {
      return InvalidInput("unknown state '" + **state +
                              "': expected to_address, planned, risk_accepted, third_party, "
                              "alternate_mitigation or reviewed",
                          "/state");
    }
    r.state = *s;
  }
  if (*comment) r.comment = **comment;
  if (*assignee) r.assignee = **assignee;
  if (*tags) r.tags = **tags;
  if (body.Has("expiresAt")) {
    r.expires_at.reset();
    if (*expires) {
      Result<store::Timestamp> t = service::ParseTimestamp(**expires, "/expiresAt");
      if (!t) return t.error();
      r.expires_at = *t;
    }
  }
  r.updated_by = actor;
  r.updated_at = now;
  Result<store::ControlStateRecord> set = store.SetControlState({r, r.comment});
  if (!set) return set;
  (void)store.AppendAudit({0, actor, "state.set", "tenant/" + tenant_id + "/control/" + control_id,
                           "{\"state\":\"" + std::string(core::ToString(r.state)) + "\"}", now});
  return set;
}

}  // namespace securescore::server
