#include <map>
#include <optional>

#include "securescore/evidence/adapters_internal.h"
#include "securescore/evidence/roles.h"
#include "securescore/evidence/schema.h"

namespace securescore::evidence::internal {
namespace {

namespace dom = simdjson::dom;
using Opt = std::optional<DomElement>;

// Text column from a DOM value: strings as they are, other scalars and containers as their
// compact JSON text, NULL when absent or null.
void SetText(TableWriter& w, int column, Opt value) {
  if (!value || value->is_null()) {
    w.Null(column);
  } else if (value->is_string()) {
    w.Text(column, std::string_view(*value));  // lives in the DOM parser until Insert()
  } else {
    w.TextCopy(column, simdjson::minify(*value));
  }
}

void SetTextOrEmpty(TableWriter& w, int column, Opt value) {
  if (!value || value->is_null()) {
    w.Text(column, "");
  } else {
    SetText(w, column, value);
  }
}

void SetJsonArray(TableWriter& w, int column, Opt value) {
  JsonArrayOf(value, w.Scratch(column));
  w.TextScratch(column);
}

void SetDate(TableWriter& w, int column, Opt value) {
  std::optional<std::string_view> text = StringOf(value);
  if (!text) {
    w.Text(column, "");
    return;
  }
  NormalizeDate(*text, w.Scratch(column));
  w.TextScratch(column);
}

void SetRaw(TableWriter& w, int column, std::string_view raw) {
  MinifyJson(raw, w.Scratch(column));
  w.TextScratch(column);
}

// Whether a DOM value is a non-null one.
bool Present(Opt value) { return value && !value->is_null(); }

}  // namespace

std::string_view RawJson(ondemand::value& value) {
  switch (value.type().value()) {
    case ondemand::json_type::object: return ObjectText(value);
    case ondemand::json_type::array: return ArrayText(value);
    default: {
      std::string_view token = value.raw_json_token();
      while (!token.empty() && (token.back() == ' ' || token.back() == '\n' ||
                                token.back() == '\r' || token.back() == '\t')) {
        token.remove_suffix(1);
      }
      return token;
    }
  }
}

DomElement ParseItem(AdapterContext& ctx, std::string_view raw) {
  // `raw` sits inside the padded input buffer, so the bytes after it are readable and the
  // parser may skip its defensive copy.
  return ctx.dom.parse(raw.data(), raw.size(), false).value();
}

namespace {

std::string_view TrimmedToken(ondemand::value& value) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && static_cast<unsigned char>(token.back()) <= ' ') token.remove_suffix(1);
  return token;
}

// A literal that does not parse (`tru`, `1.2.3`) as an error at the field.
[[noreturn]] void BadScalar(simdjson::error_code code, std::string_view field) {
  throw InputError(DescribeJsonError(code), "/" + std::string(field));
}

// One scalar, read and validated (On-Demand checks a literal only when asked for it).
struct Scalar {
  ondemand::json_type type;
  std::string_view text;  // string value, or the number's token
  double number = 0;
  bool flag = false;
};

Scalar ReadScalar(ondemand::value& value, std::string_view field, std::string_view expected) {
  Scalar s{value.type().value(), {}};
  simdjson::error_code error = simdjson::SUCCESS;
  switch (s.type) {
    case ondemand::json_type::string: {
      // Most strings have no escapes: use their bytes in the input rather than unescaping a
      // copy into the parser's string buffer, which would otherwise grow with every value.
      std::string_view token = TrimmedToken(value);
      std::string_view inner = token.size() >= 2 ? token.substr(1, token.size() - 2) : token;
      if (token.size() >= 2 && inner.find('\\') == std::string_view::npos) {
        s.text = inner;
      } else {
        error = value.get_string().get(s.text);
      }
      break;
    }
    case ondemand::json_type::boolean: error = value.get_bool().get(s.flag); break;
    case ondemand::json_type::number:
      error = value.get_double().get(s.number);
      s.text = TrimmedToken(value);  // points into the input, stable for the load
      break;
    case ondemand::json_type::null:
      if (!value.is_null().value()) error = simdjson::N_ATOM_ERROR;
      break;
    default:
      throw InputError(
          "expected " + std::string(expected) + ", got " + std::string(TypeName(s.type)),
          "/" + std::string(field));
  }
  if (error && s.type == ondemand::json_type::boolean) {
    throw InputError("invalid literal, expected `true` or `false`", "/" + std::string(field));
  }
  if (error) BadScalar(error, field);
  return s;
}

}  // namespace

void BindText(TableWriter& w, int column, ondemand::value value, std::string_view field) {
  Scalar s = ReadScalar(value, field, "a string");
  switch (s.type) {
    case ondemand::json_type::null: w.Null(column); return;
    case ondemand::json_type::boolean: w.Text(column, s.flag ? "true" : "false"); return;
    default: w.Text(column, s.text); return;
  }
}

void BindBool(TableWriter& w, int column, ondemand::value value, std::string_view field) {
  Scalar s = ReadScalar(value, field, "a boolean");
  switch (s.type) {
    case ondemand::json_type::null: w.Null(column); return;
    case ondemand::json_type::boolean: w.Int(column, s.flag ? 1 : 0); return;
    case ondemand::json_type::number: w.Int(column, s.number != 0); return;
    default:
      if (KeyIs(s.text, "true") || KeyIs(s.text, "false")) {
        w.Int(column, KeyIs(s.text, "true") ? 1 : 0);
        return;
      }
      throw InputError(
          "expected a boolean, got the string \"" + std::string(s.text.substr(0, 40)) + "\"",
          "/" + std::string(field));
  }
}

std::string_view ODataTypeName(std::string_view odata_type) {
  constexpr std::string_view kPrefix = "#microsoft.graph.";
  if (odata_type.substr(0, kPrefix.size()) == kPrefix) odata_type.remove_prefix(kPrefix.size());
  return odata_type;
}

// ---- row mappers -------------------------------------------------------------------------

void MapCaPolicy(DomElement p, std::string_view raw, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["ca_policies"];
  auto col = [&](std::string_view name) { return w.Column(name); };
  Opt users = FindPath(p, {"conditions", "users"});
  Opt apps = FindPath(p, {"conditions", "applications"});
  Opt grant = Find(p, "grantControls");
  Opt session = Find(p, "sessionControls");
  auto in = [](Opt obj, std::string_view key) { return obj ? Find(*obj, key) : Opt(); };

  SetText(w, col("id"), Find(p, "id"));
  SetText(w, col("display_name"), Find(p, "displayName"));
  SetText(w, col("state"), Find(p, "state"));
  SetJsonArray(w, col("include_users"), in(users, "includeUsers"));
  SetJsonArray(w, col("exclude_users"), in(users, "excludeUsers"));
  SetJsonArray(w, col("include_groups"), in(users, "includeGroups"));
  SetJsonArray(w, col("exclude_groups"), in(users, "excludeGroups"));
  SetJsonArray(w, col("include_roles"), in(users, "includeRoles"));
  SetJsonArray(w, col("exclude_roles"), in(users, "excludeRoles"));
  w.Int(col("include_guests"),
        Present(in(users, "includeGuestsOrExternalUsers")) ||
            ContainsString(in(users, "includeUsers"), "GuestsOrExternalUsers"));
  w.Int(col("exclude_guests"),
        Present(in(users, "excludeGuestsOrExternalUsers")) ||
            ContainsString(in(users, "excludeUsers"), "GuestsOrExternalUsers"));
  SetJsonArray(w, col("include_applications"), in(apps, "includeApplications"));
  SetJsonArray(w, col("exclude_applications"), in(apps, "excludeApplications"));
  SetJsonArray(w, col("include_user_actions"), in(apps, "includeUserActions"));
  SetJsonArray(w, col("client_app_types"), FindPath(p, {"conditions", "clientAppTypes"}));
  SetJsonArray(w, col("user_risk_levels"), FindPath(p, {"conditions", "userRiskLevels"}));
  SetJsonArray(w, col("sign_in_risk_levels"), FindPath(p, {"conditions", "signInRiskLevels"}));
  SetJsonArray(w, col("include_platforms"),
               FindPath(p, {"conditions", "platforms", "includePlatforms"}));
  SetJsonArray(w, col("include_locations"),
               FindPath(p, {"conditions", "locations", "includeLocations"}));
  SetJsonArray(w, col("exclude_locations"),
               FindPath(p, {"conditions", "locations", "excludeLocations"}));
  SetText(w, col("grant_operator"), in(grant, "operator"));
  SetJsonArray(w, col("built_in_controls"), in(grant, "builtInControls"));
  Opt strength = in(grant, "authenticationStrength");
  SetText(w, col("authentication_strength_id"), in(strength, "id"));
  SetText(w, col("authentication_strength_name"), in(strength, "displayName"));
  SetJsonArray(w, col("allowed_combinations"), in(strength, "allowedCombinations"));

  // Sign-in frequency: hours when enabled ("everyTime" re-authenticates at every sign-in: 0).
  Opt frequency = in(session, "signInFrequency");
  std::optional<double> hours;
  if (Present(frequency) && BoolOf(Find(*frequency, "isEnabled")).value_or(true)) {
    std::optional<std::string_view> interval = StringOf(Find(*frequency, "frequencyInterval"));
    std::optional<double> value = RealOf(Find(*frequency, "value"));
    if (interval && KeyIs(*interval, "everyTime")) {
      hours = 0;
    } else if (value) {
      std::optional<std::string_view> unit = StringOf(Find(*frequency, "type"));
      hours = (unit && KeyIs(*unit, "days")) ? *value * 24 : *value;
    }
  }
  w.OptReal(col("sign_in_frequency_hours"), hours);
  Opt browser = in(session, "persistentBrowser");
  std::optional<std::string_view> mode;
  if (Present(browser) && BoolOf(Find(*browser, "isEnabled")).value_or(true)) {
    mode = StringOf(Find(*browser, "mode"));
  }
  w.Text(col("persistent_browser_mode"), mode.value_or(""));
  SetRaw(w, col("raw"), raw);
  w.Insert();
}

void MapAuthorizationPolicy(DomElement p, std::string_view raw, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["authorization_policy"];
  Opt defaults = Find(p, "defaultUserRolePermissions");
  auto perm = [&](std::string_view key) { return defaults ? Find(*defaults, key) : Opt(); };
  w.OptBool(w.Column("allowed_to_create_apps"), BoolOf(perm("allowedToCreateApps")));
  w.OptBool(w.Column("allowed_to_create_security_groups"),
            BoolOf(perm("allowedToCreateSecurityGroups")));
  w.OptBool(w.Column("allowed_to_create_tenants"), BoolOf(perm("allowedToCreateTenants")));
  w.OptBool(w.Column("allowed_to_read_other_users"), BoolOf(perm("allowedToReadOtherUsers")));
  SetText(w, w.Column("allow_invites_from"), Find(p, "allowInvitesFrom"));
  SetText(w, w.Column("guest_user_role_id"), Find(p, "guestUserRoleId"));
  w.OptBool(w.Column("block_msol_powershell"), BoolOf(Find(p, "blockMsolPowerShell")));
  w.OptBool(w.Column("allow_email_verified_users_to_join"),
            BoolOf(Find(p, "allowEmailVerifiedUsersToJoinOrganization")));
  SetJsonArray(w, w.Column("permission_grant_policies"),
               Find(p, "permissionGrantPolicyIdsAssignedToDefaultUserRole"));
  SetRaw(w, w.Column("raw"), raw);
  w.Insert();
}

void MapDirectorySetting(DomElement setting, AdapterContext& ctx) {
  Opt values = Find(setting, "values");
  if (!values || !values->is_array()) return;
  TableWriter& w = ctx.writers["directory_settings"];
  for (DomElement value : dom::array(*values)) {
    if (!value.is_object()) continue;
    SetText(w, w.Column("setting_id"), Find(setting, "id"));
    SetText(w, w.Column("template_id"), Find(setting, "templateId"));
    SetText(w, w.Column("display_name"), Find(setting, "displayName"));
    SetText(w, w.Column("name"), Find(value, "name"));
    SetText(w, w.Column("value"), Find(value, "value"));
    w.Insert();
  }
}

void MapAuthMethods(DomElement item, AdapterContext& ctx) {
  Opt configs = Find(item, "authentication_method_feature_settings");
  if (!Present(configs)) configs = Find(item, "authenticationMethodConfigurations");
  if (!Present(configs)) {
    Opt policy = Find(item, "authentication_method_policy");
    if (Present(policy)) configs = Find(*policy, "authenticationMethodConfigurations");
  }
  TableWriter& w = ctx.writers["auth_methods"];
  auto map_one = [&](DomElement config) {
    if (!config.is_object()) return;
    SetText(w, w.Column("method_id"), Find(config, "id"));
    SetText(w, w.Column("state"), Find(config, "state"));
    SetJsonArray(w, w.Column("include_targets"), Find(config, "includeTargets"));
    w.TextCopy(w.Column("raw"), simdjson::minify(config));
    w.Insert();
  };
  if (Present(configs)) {
    if (configs->is_array()) {
      for (DomElement config : dom::array(*configs)) map_one(config);
    } else {
      map_one(*configs);
    }
  } else if (Present(Find(item, "id")) && Present(Find(item, "state"))) {
    map_one(item);  // a single method configuration
  }
}

void MapDomain(DomElement d, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["domains"];
  SetText(w, w.Column("id"), FindFirst(d, {"id", "name"}));
  w.OptBool(w.Column("is_verified"), BoolOf(Find(d, "isVerified")));
  w.OptBool(w.Column("is_default"), BoolOf(Find(d, "isDefault")));
  w.OptBool(w.Column("is_initial"), BoolOf(Find(d, "isInitial")));
  SetText(w, w.Column("authentication_type"), Find(d, "authenticationType"));
  w.OptInt(w.Column("password_validity_days"), IntOf(Find(d, "passwordValidityPeriodInDays")));
  w.OptInt(w.Column("password_notification_days"),
           IntOf(Find(d, "passwordNotificationWindowInDays")));
  w.Insert();
}

void MapServicePrincipal(DomElement sp, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["service_principals"];
  SetText(w, w.Column("id"), FindFirst(sp, {"id", "objectId"}));
  SetText(w, w.Column("app_id"), Find(sp, "appId"));
  SetText(w, w.Column("display_name"), Find(sp, "displayName"));
  SetText(w, w.Column("app_owner_organization_id"), Find(sp, "appOwnerOrganizationId"));
  w.OptBool(w.Column("account_enabled"), BoolOf(Find(sp, "accountEnabled")));
  w.Insert();
}

void MapRoleDefinition(DomElement role, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["role_definitions"];
  std::string_view template_id =
      StringOf(FindFirst(role, {"templateId", "roleTemplateId", "id"})).value_or("");
  std::string_view name = StringOf(Find(role, "displayName")).value_or("");
  const BuiltInRole* known = FindBuiltInRole(template_id);
  if (!known && template_id.empty()) known = FindBuiltInRoleByName(name);
  if (template_id.empty() && known) template_id = known->template_id;
  w.Text(w.Column("id"), StringOf(Find(role, "id")).value_or(template_id));
  w.Text(w.Column("template_id"), template_id);
  w.Text(w.Column("display_name"), name.empty() && known ? known->display_name : name);
  std::optional<bool> builtin = BoolOf(Find(role, "isBuiltIn"));
  if (!builtin && known) builtin = true;
  w.OptBool(w.Column("is_builtin"), builtin);
  w.Int(w.Column("is_privileged"), known && known->is_privileged);
  w.Int(w.Column("is_admin"), known && known->is_admin);
  w.Insert();
}

void MapRoleAssignment(DomElement a, std::string_view role_template_id, std::string_view role_name,
                       std::string_view kind, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["role_assignments"];
  Opt principal = Find(a, "principal");
  Opt definition = Find(a, "roleDefinition");
  SetText(w, w.Column("principal_id"), Find(a, "principalId"));
  std::string_view type =
      principal ? ODataTypeName(StringOf(Find(*principal, "@odata.type")).value_or("")) : "";
  w.Text(w.Column("principal_type"), type.empty() ? "unknown" : type);
  Opt principal_name =
      principal ? FindFirst(*principal, {"displayName", "userPrincipalName"}) : Opt();
  SetText(w, w.Column("principal_name"), principal_name);
  if (role_template_id.empty() && definition) {
    role_template_id = StringOf(FindFirst(*definition, {"templateId", "id"})).value_or("");
  }
  if (role_template_id.empty()) {
    role_template_id = StringOf(Find(a, "roleDefinitionId")).value_or("");
  }
  if (role_name.empty() && definition) {
    role_name = StringOf(Find(*definition, "displayName")).value_or("");
  }
  if (role_name.empty()) {
    if (const BuiltInRole* known = FindBuiltInRole(role_template_id))
      role_name = known->display_name;
  }
  w.Text(w.Column("role_template_id"), role_template_id);
  w.Text(w.Column("role_name"), role_name);
  std::optional<std::string_view> type_text = StringOf(Find(a, "assignmentType"));
  if (type_text && KeyIs(*type_text, "Eligible")) kind = "eligible";
  w.Text(w.Column("assignment_kind"), kind);
  w.Text(w.Column("directory_scope_id"), StringOf(Find(a, "directoryScopeId")).value_or("/"));
  Opt end = FindFirst(a, {"endDateTime"});
  if (!end) end = FindPath(a, {"scheduleInfo", "expiration", "endDateTime"});
  SetDate(w, w.Column("end_at"), end);
  w.Insert();
}

void MapSettingsItem(std::string_view table, DomElement item, std::string_view raw,
                     std::size_t index, AdapterContext& ctx) {
  TableWriter& w = ctx.writers[table];
  w.Int(0, static_cast<std::int64_t>(index));
  SetTextOrEmpty(w, 1, FindFirst(item, {"Identity", "Id", "Name"}));
  SetTextOrEmpty(w, 2, FindFirst(item, {"Name", "DisplayName", "Identity"}));
  SetRaw(w, 3, raw);
  w.Insert();
}

namespace {

using SettingsRoutes = std::map<std::string, std::string_view, std::less<>>;

// "scubagear:org_config" → "exo_org_config", "powershell:get-organizationconfig" → ...
SettingsRoutes BuildSettingsRoutes() {
  SettingsRoutes routes;
  for (const TableDecl& table : EvidenceTables()) {
    if (table.columns.empty() || table.columns[0].name != "item_index") continue;
    std::string_view rest = table.sources;
    while (!rest.empty()) {
      std::size_t end = rest.find(';');
      std::string_view part = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      std::size_t open = part.find('`');
      std::size_t close = open == std::string_view::npos ? open : part.find('`', open + 1);
      if (close == std::string_view::npos) continue;
      std::string_view source = part.substr(0, open);
      while (!source.empty() && source.front() == ' ') source.remove_prefix(1);
      while (!source.empty() && source.back() == ' ') source.remove_suffix(1);
      std::string key;
      for (char c : source) key.push_back(static_cast<char>(std::tolower(c)));
      key.push_back(':');
      for (char c : part.substr(open + 1, close - open - 1)) {
        key.push_back(static_cast<char>(std::tolower(c)));
      }
      routes.emplace(std::move(key), table.name);
    }
  }
  return routes;
}

}  // namespace

std::string_view SettingsTableFor(std::string_view source, std::string_view key) {
  static const SettingsRoutes routes = BuildSettingsRoutes();  // immutable, from schema.cpp
  std::string lookup;
  for (char c : source) lookup.push_back(static_cast<char>(std::tolower(c)));
  lookup.push_back(':');
  for (char c : key) lookup.push_back(static_cast<char>(std::tolower(c)));
  auto it = routes.find(lookup);
  return it == routes.end() ? std::string_view() : it->second;
}

}  // namespace securescore::evidence::internal
