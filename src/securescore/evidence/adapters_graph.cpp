// Graph adapter: `sources.graph` maps Graph paths to what Graph returned. The big collections
// (users, registration details, devices, groups and their members) are streamed with
// simdjson On-Demand straight into prepared INSERTs without building objects; the small
// ones (policies, roles, domains, ...) are parsed item by item into a reused DOM.
#include <algorithm>
#include <array>
#include <vector>

#include "securescore/evidence/adapters_internal.h"

namespace securescore::evidence {
namespace {

using internal::BindBool;
using internal::BindText;
using internal::ForEachObjectItem;
namespace ondemand = simdjson::ondemand;
namespace dom = simdjson::dom;
using Opt = std::optional<DomElement>;

enum class Route {
  kUsers,
  kRegistration,
  kDevices,
  kGroups,
  kGroupMembers,  // groups/{id}/members
  kCaPolicies,
  kAuthorization,
  kGroupSettings,
  kAdminConsent,
  kAuthMethods,
  kDomains,
  kServicePrincipals,
  kRoleDefinitions,
  kRoleAssignments,
  kRoleEligibility,
  kDirectoryRoles,
  kSecureScores,
  kKnownUnused,  // valid Graph data no table uses yet
};

struct RouteEntry {
  std::string_view path;
  Route route;
};

constexpr std::array<RouteEntry, 20> kRoutes{{
    {"users", Route::kUsers},
    {"reports/authenticationMethods/userRegistrationDetails", Route::kRegistration},
    {"deviceManagement/managedDevices", Route::kDevices},
    {"groups", Route::kGroups},
    {"identity/conditionalAccess/policies", Route::kCaPolicies},
    {"policies/authorizationPolicy", Route::kAuthorization},
    {"groupSettings", Route::kGroupSettings},
    {"policies/adminConsentRequestPolicy", Route::kAdminConsent},
    {"policies/authenticationMethodsPolicy", Route::kAuthMethods},
    {"domains", Route::kDomains},
    {"servicePrincipals", Route::kServicePrincipals},
    {"roleManagement/directory/roleDefinitions", Route::kRoleDefinitions},
    {"roleManagement/directory/roleAssignments", Route::kRoleAssignments},
    {"roleManagement/directory/roleEligibilitySchedules", Route::kRoleEligibility},
    {"roleManagement/directory/roleEligibilityScheduleInstances", Route::kRoleEligibility},
    {"directoryRoles", Route::kDirectoryRoles},
    {"security/secureScores", Route::kSecureScores},
    {"security/secureScoreControlProfiles", Route::kKnownUnused},
    {"organization", Route::kKnownUnused},
    {"identity/conditionalAccess/namedLocations", Route::kKnownUnused},
}};

// "/v1.0/users?$select=id" → "users": people paste paths in every form Graph Explorer shows.
std::string_view NormalizePath(std::string_view path) {
  path = path.substr(0, path.find('?'));
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  for (std::string_view version : {"v1.0/", "beta/"}) {
    if (path.size() > version.size() && KeyIs(path.substr(0, version.size()), version)) {
      path.remove_prefix(version.size());
    }
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

// groups/{id}/members → {id}; empty when `path` has another shape.
std::string_view MembersGroupId(std::string_view path) {
  constexpr std::string_view kPrefix = "groups/";
  constexpr std::string_view kSuffix = "/members";
  if (path.size() <= kPrefix.size() + kSuffix.size() ||
      !KeyIs(path.substr(0, kPrefix.size()), kPrefix) ||
      !KeyIs(path.substr(path.size() - kSuffix.size()), kSuffix)) {
    return {};
  }
  std::string_view id = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  return id.find('/') == std::string_view::npos ? id : std::string_view();
}

// Calls fn(object) for every non-null element of a streamed collection: an array in the
// document, or a chunked array (chunked_arrays.h) whose placeholder stands in its place.
template <typename Fn>
void ForEachStreamed(ondemand::value value, AdapterContext& ctx, std::string_view what, Fn&& fn) {
  std::size_t index = 0;
  auto handle = [&](ondemand::value item) {
    ctx.path.SetIndex(index++);
    ondemand::json_type item_type = item.type();
    if (item_type == ondemand::json_type::object) {
      fn(item.get_object().value());
    } else if (item_type != ondemand::json_type::null) {
      throw InputError("expected " + internal::WithArticle(what) + " object, got " +
                       std::string(TypeName(item_type)));
    }
  };
  ondemand::json_type type = value.type();
  const ChunkedArray* chunked = nullptr;
  if (type == ondemand::json_type::string && ctx.skeleton) {
    chunked = ctx.skeleton->ArrayFor(value.get_string().value());
  }
  if (!chunked && type != ondemand::json_type::array) {
    throw InputError("expected an array of " + std::string(what) + " objects, got " +
                     std::string(TypeName(type)));
  }
  ctx.path.PushIndex(0);
  if (!chunked) {
    for (ondemand::value item : value.get_array()) {
      // A position in the mapped file, not a string: no terminator is wanted.
      if (ctx.input && index % 8192 == 0) {
        ctx.input->ReleaseBefore(
            item.raw_json_token().data());  // NOLINT(bugprone-suspicious-stringview-data-usage)
      }
      handle(item);
    }
  } else {
    // Each piece between cuts is parsed as an array of its own: "[" elements "]".
    auto parse_piece = [&](std::size_t from, std::size_t to) {
      std::string& buffer = ctx.chunk_buffer;
      buffer.assign("[");
      buffer.append(ctx.original.substr(from, to - from));
      buffer.append("]");
      std::size_t length = buffer.size();
      buffer.append(simdjson::SIMDJSON_PADDING, '\0');
      ctx.chunk_origin = from - 1;
      ctx.chunk_document = ctx.chunk_parser.iterate(buffer.data(), length, buffer.size());
      ctx.chunk_doc = &ctx.chunk_document;
      for (ondemand::value item : ctx.chunk_document.get_array()) handle(item);
      ctx.chunk_doc = nullptr;
      if (ctx.input) ctx.input->ReleaseBefore(ctx.original.data() + to);
    };
    std::size_t from = chunked->begin + 1;
    for (std::size_t cut : chunked->cuts) {
      parse_piece(from, cut);
      from = cut + 1;
    }
    parse_piece(from, chunked->end - 1);
  }
  ctx.path.Pop();
}

void StreamUsers(ondemand::value value, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["users"];
  const int id = w.Column("id"), upn = w.Column("user_principal_name"),
            name = w.Column("display_name"), type = w.Column("user_type"),
            enabled = w.Column("account_enabled"), synced = w.Column("on_premises_sync_enabled"),
            created = w.Column("created_at"), last_sign_in = w.Column("last_sign_in_at"),
            policies = w.Column("password_policies"),
            password_changed = w.Column("last_password_change_at"),
            licenses = w.Column("license_count");
  ForEachStreamed(value, ctx, "user", [&](ondemand::object user) {
    w.Int(synced, 0);  // null and absent both mean cloud-only
    for (ondemand::field field : user) {
      std::string_view key = internal::FieldKey(field);
      ondemand::value v = field.value();
      if (KeyIs(key, "id")) {
        BindText(w, id, v, key);
      } else if (KeyIs(key, "userPrincipalName")) {
        BindText(w, upn, v, key);
      } else if (KeyIs(key, "displayName")) {
        BindText(w, name, v, key);
      } else if (KeyIs(key, "userType")) {
        BindText(w, type, v, key);
      } else if (KeyIs(key, "accountEnabled")) {
        BindBool(w, enabled, v, key);
      } else if (KeyIs(key, "onPremisesSyncEnabled")) {
        if (!v.is_null()) BindBool(w, synced, v, key);
      } else if (KeyIs(key, "createdDateTime")) {
        BindText(w, created, v, key);
      } else if (KeyIs(key, "passwordPolicies")) {
        BindText(w, policies, v, key);
      } else if (KeyIs(key, "lastPasswordChangeDateTime")) {
        BindText(w, password_changed, v, key);
      } else if (KeyIs(key, "signInActivity")) {
        if (v.type() != ondemand::json_type::object) continue;  // null: never signed in
        for (ondemand::field activity : v.get_object()) {
          if (KeyIs(internal::FieldKey(activity), "lastSignInDateTime")) {
            BindText(w, last_sign_in, activity.value(), "signInActivity/lastSignInDateTime");
          }
        }
      } else if (KeyIs(key, "assignedLicenses")) {
        ondemand::json_type t = v.type();
        if (t == ondemand::json_type::array) {
          w.Int(licenses, static_cast<std::int64_t>(v.count_elements().value()));
        } else if (t != ondemand::json_type::null) {
          throw InputError("expected an array, got " + std::string(TypeName(t)),
                           "/" + std::string(key));
        }
      }
    }
    w.Insert();
  });
  ctx.db.MarkCollected("users");
}

void StreamRegistration(ondemand::value value, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["user_registration"];
  const int user_id = w.Column("user_id"), upn = w.Column("user_principal_name"),
            name = w.Column("user_display_name"), type = w.Column("user_type"),
            methods = w.Column("methods"), default_method = w.Column("default_method");
  struct Flag {
    std::string_view key;
    int column;
  };
  const std::array<Flag, 7> flags{{
      {"isAdmin", w.Column("is_admin")},
      {"isMfaRegistered", w.Column("is_mfa_registered")},
      {"isMfaCapable", w.Column("is_mfa_capable")},
      {"isSsprRegistered", w.Column("is_sspr_registered")},
      {"isSsprEnabled", w.Column("is_sspr_enabled")},
      {"isSsprCapable", w.Column("is_sspr_capable")},
      {"isPasswordlessCapable", w.Column("is_passwordless_capable")},
  }};
  ForEachStreamed(value, ctx, "registration-details", [&](ondemand::object row) {
    for (ondemand::field field : row) {
      std::string_view key = internal::FieldKey(field);
      ondemand::value v = field.value();
      if (KeyIs(key, "id") || KeyIs(key, "userId")) {
        BindText(w, user_id, v, key);
      } else if (KeyIs(key, "userPrincipalName")) {
        BindText(w, upn, v, key);
      } else if (KeyIs(key, "userDisplayName")) {
        BindText(w, name, v, key);
      } else if (KeyIs(key, "userType")) {
        BindText(w, type, v, key);
      } else if (KeyIs(key, "defaultMfaMethod")) {
        BindText(w, default_method, v, key);
      } else if (KeyIs(key, "methodsRegistered")) {
        ondemand::json_type t = v.type();
        if (t == ondemand::json_type::null) continue;
        if (t != ondemand::json_type::array) {
          throw InputError("expected an array of method names, got " + std::string(TypeName(t)),
                           "/" + std::string(key));
        }
        std::string& joined = w.Scratch(methods);
        joined.clear();
        for (ondemand::value method : v.get_array()) {
          if (!joined.empty()) joined.push_back(',');
          joined.append(method.get_string().value());
        }
        w.TextScratch(methods);
      } else {
        for (const Flag& flag : flags) {
          if (KeyIs(key, flag.key)) {
            BindBool(w, flag.column, v, key);
            break;
          }
        }
      }
    }
    w.Insert();
  });
  ctx.db.MarkCollected("user_registration");
}

void StreamDevices(ondemand::value value, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["devices"];
  struct TextField {
    std::string_view key;
    int column;
  };
  const std::array<TextField, 11> texts{{
      {"id", w.Column("id")},
      {"deviceName", w.Column("device_name")},
      {"userId", w.Column("user_id")},
      {"userPrincipalName", w.Column("user_principal_name")},
      {"operatingSystem", w.Column("operating_system")},
      {"osVersion", w.Column("os_version")},
      {"complianceState", w.Column("compliance_state")},
      {"jailBroken", w.Column("jail_broken")},
      {"managementAgent", w.Column("management_agent")},
      {"managedDeviceOwnerType", w.Column("owner_type")},
      {"lastSyncDateTime", w.Column("last_sync_at")},
  }};
  const int encrypted = w.Column("is_encrypted");
  const int owner_type = w.Column("owner_type");
  ForEachStreamed(value, ctx, "managed-device", [&](ondemand::object device) {
    for (ondemand::field field : device) {
      std::string_view key = internal::FieldKey(field);
      if (KeyIs(key, "isEncrypted")) {
        BindBool(w, encrypted, field.value(), key);
        continue;
      }
      if (KeyIs(key, "ownerType")) {
        BindText(w, owner_type, field.value(), key);
        continue;
      }
      for (const TextField& text : texts) {
        if (KeyIs(key, text.key)) {
          BindText(w, text.column, field.value(), key);
          break;
        }
      }
    }
    w.Insert();
  });
  ctx.db.MarkCollected("devices");
}

// A member of a group as Graph lists it (a directoryObject).
struct Member {
  std::string_view id;
  std::string_view type;
};

Member ReadMember(ondemand::object member) {
  Member m;
  bool has_upn = false;
  for (ondemand::field field : member) {
    std::string_view key = internal::FieldKey(field);
    ondemand::value v = field.value();
    if (KeyIs(key, "id")) {
      m.id = v.get_string().value();
    } else if (key == "@odata.type") {
      m.type = internal::ODataTypeName(v.get_string().value());
    } else if (KeyIs(key, "userPrincipalName")) {
      has_upn = true;
    }
  }
  if (m.type.empty()) m.type = has_upn ? "user" : "unknown";
  return m;
}

void InsertMember(TableWriter& w, std::string_view group_id, const Member& m) {
  w.Text(0, group_id);
  w.Text(1, m.id);
  w.Text(2, m.type);
  w.Insert();
}

void StreamGroups(ondemand::value value, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["groups"];
  TableWriter& members_writer = ctx.writers["group_members"];
  const int id = w.Column("id"), name = w.Column("display_name"),
            visibility = w.Column("visibility"), unified = w.Column("is_unified"),
            security = w.Column("security_enabled"), assignable = w.Column("is_role_assignable");
  std::vector<Member> members;  // reused; `members` may come before `id` in an object
  bool any_members = false;
  ForEachStreamed(value, ctx, "group", [&](ondemand::object group) {
    members.clear();
    std::string_view group_id;
    w.Int(unified, 0);
    for (ondemand::field field : group) {
      std::string_view key = internal::FieldKey(field);
      ondemand::value v = field.value();
      if (KeyIs(key, "id")) {
        group_id = v.get_string().value();
        w.Text(id, group_id);
      } else if (KeyIs(key, "displayName")) {
        BindText(w, name, v, key);
      } else if (KeyIs(key, "visibility")) {
        BindText(w, visibility, v, key);
      } else if (KeyIs(key, "securityEnabled")) {
        BindBool(w, security, v, key);
      } else if (KeyIs(key, "isAssignableToRole")) {
        BindBool(w, assignable, v, key);
      } else if (KeyIs(key, "groupTypes")) {
        if (v.type() != ondemand::json_type::array) continue;
        for (ondemand::value group_type : v.get_array()) {
          if (KeyIs(group_type.get_string().value(), "Unified")) w.Int(unified, 1);
        }
      } else if (KeyIs(key, "members")) {
        if (v.type() != ondemand::json_type::array) continue;
        any_members = true;
        for (ondemand::value member : v.get_array()) {
          if (member.type() == ondemand::json_type::object) {
            members.push_back(ReadMember(member.get_object()));
          }
        }
      }
    }
    w.Insert();
    for (const Member& m : members) InsertMember(members_writer, group_id, m);
  });
  ctx.db.MarkCollected("groups");
  if (any_members) ctx.db.MarkCollected("group_members");
}

void StreamGroupMembers(ondemand::value value, std::string_view group_id, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["group_members"];
  ForEachStreamed(value, ctx, "group-member",
                  [&](ondemand::object member) { InsertMember(w, group_id, ReadMember(member)); });
  ctx.db.MarkCollected("group_members");
}

void MapDirectoryRoles(ondemand::value value, AdapterContext& ctx) {
  bool any_members = false;
  ForEachObjectItem(value, ctx, "directory-role", false, [&](DomElement role, auto, auto) {
    Opt members = Find(role, "members");
    if (!members || !members->is_array()) return;
    any_members = true;
    std::string_view template_id = StringOf(Find(role, "roleTemplateId")).value_or("");
    std::string_view role_name = StringOf(Find(role, "displayName")).value_or("");
    TableWriter& w = ctx.writers["role_assignments"];
    for (DomElement member : dom::array(*members)) {
      if (!member.is_object()) continue;
      std::string_view type =
          internal::ODataTypeName(StringOf(Find(member, "@odata.type")).value_or(""));
      w.Text(w.Column("principal_id"), StringOf(Find(member, "id")).value_or(""));
      w.Text(w.Column("principal_type"), type.empty() ? "unknown" : type);
      w.OptText(w.Column("principal_name"),
                StringOf(FindFirst(member, {"displayName", "userPrincipalName"})));
      w.Text(w.Column("role_template_id"), template_id);
      w.Text(w.Column("role_name"), role_name);
      w.Text(w.Column("assignment_kind"), "active");
      w.Text(w.Column("directory_scope_id"), "/");
      w.Text(w.Column("end_at"), "");
      w.Insert();
    }
  });
  if (any_members) ctx.db.MarkCollected("role_assignments");
}

void MapAdminConsent(DomElement p, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["admin_consent_policy"];
  w.OptBool(w.Column("is_enabled"), BoolOf(Find(p, "isEnabled")));
  w.OptBool(w.Column("notify_reviewers"), BoolOf(Find(p, "notifyReviewers")));
  w.OptBool(w.Column("reminders_enabled"), BoolOf(Find(p, "remindersEnabled")));
  w.OptInt(w.Column("request_duration_days"), IntOf(Find(p, "requestDurationInDays")));
  w.Int(w.Column("reviewer_count"), CountOf(Find(p, "reviewers")));
  w.Insert();
}

// Microsoft's own figures: the controlScores of the newest secureScores object.
void MapSecureScores(ondemand::value value, AdapterContext& ctx) {
  ondemand::json_type type = value.type();
  if (type != ondemand::json_type::array && type != ondemand::json_type::object) {
    throw InputError("expected an array of secureScore objects, got " +
                     std::string(TypeName(type)));
  }
  DomElement scores = internal::ParseItem(ctx, internal::RawJson(value));
  if (Opt envelope = Find(scores, "value"); envelope && envelope->is_array()) scores = *envelope;
  Opt latest;
  std::string_view latest_at;
  auto consider = [&](DomElement score) {
    std::string_view at = StringOf(Find(score, "createdDateTime")).value_or("");
    if (!latest || at > latest_at) latest = score, latest_at = at;
  };
  if (scores.is_array()) {
    for (DomElement score : dom::array(scores)) {
      if (score.is_object()) consider(score);
    }
  } else {
    consider(scores);
  }
  ctx.db.MarkCollected("ms_control_scores");
  Opt controls = latest ? Find(*latest, "controlScores") : Opt();
  if (!controls || !controls->is_array()) return;
  TableWriter& w = ctx.writers["ms_control_scores"];
  for (DomElement control : dom::array(*controls)) {
    if (!control.is_object()) continue;
    w.OptText(w.Column("control_name"), StringOf(Find(control, "controlName")));
    w.OptText(w.Column("category"), StringOf(Find(control, "controlCategory")));
    w.OptReal(w.Column("score"), RealOf(Find(control, "score")));
    w.OptInt(w.Column("count"), IntOf(Find(control, "count")));
    w.OptInt(w.Column("total"), IntOf(Find(control, "total")));
    w.OptText(w.Column("implementation_status"), StringOf(Find(control, "implementationStatus")));
    w.Insert();
  }
}

void MapRoute(Route route, ondemand::value value, AdapterContext& ctx) {
  auto each = [&](std::string_view what, bool allow_single, auto&& fn) {
    if (!ForEachObjectItem(value, ctx, what, allow_single, fn)) {
      throw InputError("expected " + std::string(allow_single ? "object or " : "") + "array of " +
                       std::string(what) + " objects, got null");
    }
  };
  switch (route) {
    case Route::kUsers: return StreamUsers(value, ctx);
    case Route::kRegistration: return StreamRegistration(value, ctx);
    case Route::kDevices: return StreamDevices(value, ctx);
    case Route::kGroups: return StreamGroups(value, ctx);
    case Route::kGroupMembers: return;  // handled by the caller, which knows the group id
    case Route::kCaPolicies:
      each("conditional-access policy", false,
           [&](DomElement p, std::string_view raw, auto) { internal::MapCaPolicy(p, raw, ctx); });
      return ctx.db.MarkCollected("ca_policies");
    case Route::kAuthorization:
      each("authorization policy", true, [&](DomElement p, std::string_view raw, auto) {
        internal::MapAuthorizationPolicy(p, raw, ctx);
      });
      return ctx.db.MarkCollected("authorization_policy");
    case Route::kGroupSettings:
      each("group setting", false,
           [&](DomElement s, auto, auto) { internal::MapDirectorySetting(s, ctx); });
      return ctx.db.MarkCollected("directory_settings");
    case Route::kAdminConsent:
      each("admin consent request policy", true,
           [&](DomElement p, auto, auto) { MapAdminConsent(p, ctx); });
      return ctx.db.MarkCollected("admin_consent_policy");
    case Route::kAuthMethods:
      each("authentication methods policy", true,
           [&](DomElement p, auto, auto) { internal::MapAuthMethods(p, ctx); });
      return ctx.db.MarkCollected("auth_methods");
    case Route::kDomains:
      each("domain", false, [&](DomElement d, auto, auto) { internal::MapDomain(d, ctx); });
      return ctx.db.MarkCollected("domains");
    case Route::kServicePrincipals:
      each("service principal", false,
           [&](DomElement sp, auto, auto) { internal::MapServicePrincipal(sp, ctx); });
      return ctx.db.MarkCollected("service_principals");
    case Route::kRoleDefinitions:
      each("role definition", false,
           [&](DomElement r, auto, auto) { internal::MapRoleDefinition(r, ctx); });
      return ctx.db.MarkCollected("role_definitions");
    case Route::kRoleAssignments:
    case Route::kRoleEligibility: {
      std::string_view kind = route == Route::kRoleAssignments ? "active" : "eligible";
      ctx.graph_role_sources = true;
      each("role assignment", false,
           [&](DomElement a, auto, auto) { internal::MapRoleAssignment(a, "", "", kind, ctx); });
      return ctx.db.MarkCollected("role_assignments");
    }
    case Route::kDirectoryRoles:
      ctx.graph_role_sources = true;
      return MapDirectoryRoles(value, ctx);
    case Route::kSecureScores: return MapSecureScores(value, ctx);
    case Route::kKnownUnused: return;
  }
}

}  // namespace

bool IsStreamedGraphKey(std::string_view key) {
  std::string_view path = NormalizePath(key);
  if (!MembersGroupId(path).empty()) return true;
  auto entry = std::find_if(kRoutes.begin(), kRoutes.end(),
                            [&](const RouteEntry& r) { return KeyIs(r.path, path); });
  return entry != kRoutes.end() &&
         (entry->route == Route::kUsers || entry->route == Route::kRegistration ||
          entry->route == Route::kDevices || entry->route == Route::kGroups);
}

void MapGraphSource(ondemand::object source, AdapterContext& ctx) {
  for (ondemand::field field : source) {
    std::string_view key = internal::FieldKey(field);
    ctx.path.PushKey(key);
    std::string_view path = NormalizePath(key);
    if (std::string_view group_id = MembersGroupId(path); !group_id.empty()) {
      StreamGroupMembers(field.value(), group_id, ctx);
    } else {
      auto entry = std::find_if(kRoutes.begin(), kRoutes.end(),
                                [&](const RouteEntry& r) { return KeyIs(r.path, path); });
      if (entry != kRoutes.end()) {
        MapRoute(entry->route, field.value(), ctx);
      } else {
        ctx.warnings.push_back("sources.graph key \"" + std::string(key) +
                               "\" is not used by any evidence table; ignored");
      }
    }
    ctx.path.Pop();
  }
}

}  // namespace securescore::evidence
