// ScubaGear adapter: the keys of a ProviderSettingsExport.json. Every key is kept whole in
// scubagear_raw; the keys a typed table understands (conditional access, privileged roles and
// users, domains, ...) and the settings collections named in schema.cpp get their rows. The
// export is a few megabytes at most, so it is walked twice: once for scubagear_raw, once for
// the typed tables.
#include <set>

#include "securescore/evidence/adapters_internal.h"
#include "securescore/evidence/roles.h"

namespace securescore::evidence {
namespace {

namespace ondemand = simdjson::ondemand;
namespace dom = simdjson::dom;
using internal::ForEachObjectItem;
using Opt = std::optional<DomElement>;

// privileged_users: {"<user id>": {"DisplayName": ..., "roles": ["Global Administrator", ...]}}
// → user_roles rows directly (ScubaGear already expanded groups and PIM for us).
void MapPrivilegedUsers(DomElement users, AdapterContext& ctx) {
  if (!users.is_object()) {
    throw InputError("expected an object mapping user ids to privileged users, got " +
                     std::string(TypeName(users.type())));
  }
  TableWriter& w = ctx.writers["user_roles"];
  std::set<std::string_view, std::less<>> seen;  // ScubaGear repeats a role held twice
  for (dom::key_value_pair user : dom::object(users)) {
    seen.clear();
    Opt roles = Find(user.value, "roles");
    if (!roles || !roles->is_array()) continue;
    for (DomElement role : dom::array(*roles)) {
      std::optional<std::string_view> role_name = StringOf(role);
      if (!role_name || !seen.insert(*role_name).second) continue;
      const BuiltInRole* known = FindBuiltInRoleByName(*role_name);
      w.Text(w.Column("user_id"), user.key);
      w.OptText(w.Column("user_name"),
                StringOf(FindFirst(user.value, {"DisplayName", "UserPrincipalName"})));
      w.Text(w.Column("role_template_id"), known ? known->template_id : "");
      w.Text(w.Column("role_name"), *role_name);
      w.Int(w.Column("is_privileged"), known && known->is_privileged);
      w.Int(w.Column("is_admin"), known && known->is_admin);
      w.Text(w.Column("assignment_kind"), "active");
      w.Text(w.Column("via"), "scubagear");
      w.Insert();
    }
  }
  ctx.scubagear_user_roles = true;  // marked collected by FinishAdapters
}

// privileged_roles: [{DisplayName, RoleTemplateId, Assignments: [...]}].
void MapPrivilegedRole(DomElement role, AdapterContext& ctx) {
  internal::MapRoleDefinition(role, ctx);
  std::string_view template_id =
      StringOf(FindFirst(role, {"RoleTemplateId", "TemplateId"})).value_or("");
  std::string_view name = StringOf(Find(role, "DisplayName")).value_or("");
  if (Opt assignments = Find(role, "Assignments"); assignments && assignments->is_array()) {
    for (DomElement a : dom::array(*assignments)) {
      if (a.is_object()) internal::MapRoleAssignment(a, template_id, name, "active", ctx);
    }
  }
}

void ReadFacts(std::string_view key, ondemand::value value, ScubaGearFacts& facts) {
  if (KeyIs(key, "tenant_id") && value.type() == ondemand::json_type::string) {
    facts.tenant_id = std::string(value.get_string().value());
  } else if (KeyIs(key, "timestamp_zulu") && value.type() == ondemand::json_type::string) {
    NormalizeDate(value.get_string().value(), facts.collected_at);
  }
}

// Maps one key; returns false when no typed or settings table takes it.
bool MapKey(std::string_view key, ondemand::value value, AdapterContext& ctx,
            ScubaGearFacts& facts) {
  if (value.is_null()) return true;  // the command failed: not collected
  auto each = [&](std::string_view table, std::string_view what, auto&& fn) {
    ForEachObjectItem(value, ctx, what, true, fn);
    ctx.db.MarkCollected(table);
  };
  if (KeyIs(key, "conditional_access_policies")) {
    each("ca_policies", "conditional-access policy",
         [&](DomElement p, std::string_view raw, auto) { internal::MapCaPolicy(p, raw, ctx); });
  } else if (KeyIs(key, "authorization_policies")) {
    each("authorization_policy", "authorization policy",
         [&](DomElement p, std::string_view raw, auto) {
           internal::MapAuthorizationPolicy(p, raw, ctx);
         });
  } else if (KeyIs(key, "directory_settings")) {
    each("directory_settings", "directory setting",
         [&](DomElement s, auto, auto) { internal::MapDirectorySetting(s, ctx); });
  } else if (KeyIs(key, "domain_settings")) {
    each("domains", "domain", [&](DomElement d, auto, auto) { internal::MapDomain(d, ctx); });
  } else if (KeyIs(key, "authentication_method")) {
    each("auth_methods", "authentication method",
         [&](DomElement m, auto, auto) { internal::MapAuthMethods(m, ctx); });
  } else if (KeyIs(key, "risky_third_party_service_principals")) {
    each("service_principals", "service principal",
         [&](DomElement sp, auto, auto) { internal::MapServicePrincipal(sp, ctx); });
  } else if (KeyIs(key, "privileged_roles")) {
    each("role_definitions", "privileged role",
         [&](DomElement r, auto, auto) { MapPrivilegedRole(r, ctx); });
    ctx.db.MarkCollected("role_assignments");
  } else if (KeyIs(key, "privileged_users")) {
    MapPrivilegedUsers(internal::ParseItem(ctx, internal::RawJson(value)), ctx);
  } else if (KeyIs(key, "tenant_details")) {
    DomElement details = internal::ParseItem(ctx, internal::RawJson(value));
    if (details.is_array() && dom::array(details).size() > 0) details = dom::array(details).at(0);
    Opt name = Find(details, "DisplayName");
    if (!name) name = FindPath(details, {"AADAdditionalData", "DisplayName"});
    if (!StringOf(name)) {
      Opt extra = Find(details, "AADAdditionalData");
      if (extra && extra->is_array() && dom::array(*extra).size() > 0) {
        name = Find(dom::array(*extra).at(0), "DisplayName");
      }
    }
    facts.display_name = std::string(StringOf(name).value_or(""));
  } else if (std::string_view table = internal::SettingsTableFor("scubagear", key);
             !table.empty()) {
    each(table, "settings", [&](DomElement item, std::string_view raw, std::size_t index) {
      internal::MapSettingsItem(table, item, raw, index, ctx);
    });
  } else {
    ReadFacts(key, value, facts);
    return false;
  }
  return true;
}

}  // namespace

void MapScubaGearSource(std::string_view export_json, AdapterContext& ctx, ScubaGearFacts& facts) {
  // A private copy with simdjson's padding, so the export can be walked twice while the
  // document that contains it is mid-iteration.
  simdjson::padded_string text(export_json);
  ondemand::parser parser;
  ondemand::document doc = parser.iterate(text);
  ondemand::object source = doc.get_object();
  TableWriter& raw_writer = ctx.writers["scubagear_raw"];
  for (ondemand::field field : source) {
    std::string_view key = field.unescaped_key();
    ctx.path.PushKey(key);
    ondemand::value value = field.value();
    std::string_view raw = internal::RawJson(value);
    internal::ParseItem(ctx, raw);  // On-Demand skipped over it: check it is valid JSON
    raw_writer.Text(0, key);
    MinifyJson(raw, raw_writer.Scratch(1));
    raw_writer.TextScratch(1);
    raw_writer.Insert();
    ctx.path.Pop();
  }
  ctx.db.MarkCollected("scubagear_raw");
  doc.rewind();
  source = doc.get_object();
  for (ondemand::field field : source) {
    std::string_view key = field.unescaped_key();
    ctx.path.PushKey(key);
    MapKey(key, field.value(), ctx, facts);
    ctx.path.Pop();
  }
}

void MapPowerShellSource(ondemand::object source, AdapterContext& ctx) {
  for (ondemand::field field : source) {
    std::string_view cmdlet = field.unescaped_key();
    ctx.path.PushKey(cmdlet);
    std::string_view table = internal::SettingsTableFor("powershell", cmdlet);
    if (table.empty()) {
      ctx.warnings.push_back("sources.powershell cmdlet \"" + std::string(cmdlet) +
                             "\" is not used by any evidence table; ignored");
    } else if (ForEachObjectItem(field.value(), ctx, "cmdlet output", true,
                                 [&](DomElement item, std::string_view raw, std::size_t i) {
                                   internal::MapSettingsItem(table, item, raw, i, ctx);
                                 })) {
      ctx.db.MarkCollected(table);
    }
    ctx.path.Pop();
  }
}

}  // namespace securescore::evidence
