#include "securescore/evidence/derived.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "securescore/evidence/json_util.h"
#include "securescore/evidence/roles.h"

namespace securescore::evidence {
namespace {

constexpr std::string_view kWhere = "derived tables";

// ---------------------------------------------------------------- small helpers

// Object ids are GUIDs, which Graph prints in lower case but PowerShell exports may not; every
// id used as a key is folded so that one spelling matches the other. ASCII only (ids and enum
// values are ASCII), inline and locale-free, as it runs for every user.
constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

void LowerInto(std::string_view text, std::string& out) {
  out.resize(text.size());
  char* to = out.data();
  for (size_t i = 0; i < text.size(); ++i) to[i] = AsciiLower(text[i]);
}

std::string Lower(std::string_view text) {
  std::string out;
  LowerInto(text, out);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) { return AsciiLower(x) == AsciiLower(y); });
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::ranges::any_of(list,
                             [&](const std::string& v) { return EqualsIgnoreCase(v, value); });
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

Error SqliteError(sqlite3* db, std::string_view doing) {
  return Error{ErrorCode::kInternal, fmt::format("{}: {}", doing, sqlite3_errmsg(db)),
               std::string(kWhere)};
}

// A prepared statement that finalizes itself.
class Statement {
 public:
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      sqlite3_finalize(stmt);
      return SqliteError(db, fmt::format("preparing `{}`", sql));
    }
    return Statement(db, stmt);
  }
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Calls read() once per result row, which it reads through this statement; `read` may return
  // a Status to stop at the first error.
  template <typename Read>
  Status ForEachRow(Read&& read) {
    while (true) {
      auto more = Next();
      if (!more) return more.error();
      if (!*more) return OkStatus();
      if constexpr (std::is_same_v<std::invoke_result_t<Read&>, Status>) {
        if (Status s = read(); !s) return s;
      } else {
        read();
      }
    }
  }

  std::string_view Text(int col) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return text ? std::string_view(text, sqlite3_column_bytes(stmt_, col)) : std::string_view();
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string_view ColumnName(int col) const { return sqlite3_column_name(stmt_, col); }
  std::optional<double> OptionalReal(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(stmt_, col);
  }

  // Binds without copying: `text` must stay valid until the next Execute(). The hot loops bind
  // column text of another statement's current row, which lives exactly that long.
  void Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void Bind(int index, bool flag) { sqlite3_bind_int(stmt_, index, flag ? 1 : 0); }
  void Bind(int index, std::optional<double> value) {
    if (value) {
      sqlite3_bind_double(stmt_, index, *value);
    } else {
      sqlite3_bind_null(stmt_, index);
    }
  }
  // Runs an INSERT/DELETE once and makes the statement ready for the next bindings.
  Status Execute() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    if (rc != SQLITE_DONE) return SqliteError(db_, fmt::format("running `{}`", sqlite3_sql(stmt_)));
    return OkStatus();
  }

 private:
  // true with a row to read, false when the rows are exhausted.
  Result<bool> Next() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, fmt::format("running `{}`", sqlite3_sql(stmt_)));
  }
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// ---------------------------------------------------------------- groups and roles

// Direct members of every group, to expand nested groups.
class GroupIndex {
 public:
  static Result<GroupIndex> Load(sqlite3* db) {
    GroupIndex index;
    auto rows =
        Statement::Prepare(db, "SELECT group_id, member_id, member_type FROM group_members");
    if (!rows) return rows.error();
    std::string group;
    std::vector<Member>* members = nullptr;  // of `group`: rows usually come group by group
    Status read = rows->ForEachRow([&] {
      Kind kind = Kind::kUntyped;
      if (EqualsIgnoreCase(rows->Text(2), "user")) {
        kind = Kind::kUser;
      } else if (EqualsIgnoreCase(rows->Text(2), "group")) {
        kind = Kind::kGroup;
      } else if (!rows->Text(2).empty()) {
        return;  // devices, service principals
      }
      if (!members || !EqualsIgnoreCase(rows->Text(0), group)) {
        LowerInto(rows->Text(0), group);
        members = &index.members_[group];
      }
      Member member{Lower(rows->Text(1)), {}, kind};
      if (member.key != rows->Text(1)) member.id = rows->Text(1);
      members->push_back(std::move(member));
    });
    if (!read) return read.error();
    return index;
  }

  // Calls visit(lower-case id, id as stored) for every user reachable from the group through
  // nested groups. Each group is entered once, which also cuts membership cycles; a user who is
  // in several of the nested groups is visited once per group.
  template <typename Visit>
  void ForEachUser(std::string_view group_id, Visit&& visit) const {
    StringSet entered{Lower(group_id)};
    std::vector<std::string> pending{Lower(group_id)};
    while (!pending.empty()) {
      const std::string group = std::move(pending.back());
      pending.pop_back();
      const auto it = members_.find(group);
      if (it == members_.end()) continue;
      for (const Member& m : it->second) {
        // An untyped member is a group when it has members of its own.
        const bool is_group =
            m.kind == Kind::kGroup || (m.kind == Kind::kUntyped && members_.contains(m.key));
        if (!is_group) {
          visit(m.key, m.id.empty() ? m.key : m.id);
        } else if (entered.insert(m.key).second) {
          pending.push_back(m.key);
        }
      }
    }
  }

 private:
  enum class Kind : std::uint8_t { kUser, kGroup, kUntyped };
  struct Member {
    std::string key;  // lower case
    std::string id;   // as stored, when that differs from `key` (ids are nearly always lower case)
    Kind kind;
  };
  StringMap<std::vector<Member>> members_;
};

struct RoleInfo {
  std::string name;
  bool is_privileged = false;
  bool is_admin = false;
};

// Role flags by template id: the tenant's role_definitions first, the built-in lists after.
class RoleCatalog {
 public:
  static Result<RoleCatalog> Load(sqlite3* db) {
    RoleCatalog catalog;
    auto rows = Statement::Prepare(
        db, "SELECT template_id, display_name, is_privileged, is_admin FROM role_definitions");
    if (!rows) return rows.error();
    Status read = rows->ForEachRow([&] {
      const std::string template_id = Lower(rows->Text(0));
      if (template_id.empty()) return;
      catalog.by_template_[template_id] =
          RoleInfo{std::string(rows->Text(1)), rows->Int(2) != 0, rows->Int(3) != 0};
      catalog.template_by_name_[Lower(rows->Text(1))] = template_id;
    });
    if (!read) return read.error();
    return catalog;
  }

  std::optional<RoleInfo> Find(std::string_view template_id) const {
    if (const auto it = by_template_.find(Lower(template_id)); it != by_template_.end()) {
      return it->second;
    }
    if (const BuiltInRole* role = FindBuiltInRole(template_id)) {
      return RoleInfo{std::string(role->display_name), role->is_privileged, role->is_admin};
    }
    return std::nullopt;
  }

  // Lower-case template id of a role known only by name (ScubaGear lists roles by name);
  // empty when the name is unknown.
  std::string TemplateIdForName(std::string_view name) const {
    if (const auto it = template_by_name_.find(Lower(name)); it != template_by_name_.end()) {
      return it->second;
    }
    if (const BuiltInRole* role = FindBuiltInRoleByName(name)) return Lower(role->template_id);
    return {};
  }

 private:
  StringMap<RoleInfo> by_template_;
  StringMap<std::string> template_by_name_;
};

// ---------------------------------------------------------------- user_roles

struct UserRoleRow {
  std::string user_id;
  std::string user_name;
  std::string role_template_id;
  std::string role_name;
  bool is_privileged = false;
  bool is_admin = false;
  std::string assignment_kind;
  std::string via;
};

// Names of users known only by id (members of role-assigned groups), from one pass over users.
Status FillMissingUserNames(sqlite3* db, std::vector<UserRoleRow>& rows) {
  StringMap<std::vector<size_t>> unnamed;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].user_name.empty()) unnamed[Lower(rows[i].user_id)].push_back(i);
  }
  if (unnamed.empty()) return OkStatus();
  // SQLite matches the few wanted ids inside its scan of the users table, which is far cheaper
  // than handing every user to C++. Ids match as stored: names are only for people to read.
  std::string wanted = "[";
  for (const UserRoleRow& row : rows) {
    if (!row.user_name.empty()) continue;
    if (wanted.size() > 1) wanted += ',';
    wanted += '"';
    for (char c : row.user_id) {
      if (c == '"' || c == '\\') wanted += '\\';
      wanted += c;
    }
    wanted += '"';
  }
  wanted += ']';
  auto users = Statement::Prepare(db,
                                  "SELECT id, display_name, user_principal_name FROM users "
                                  "WHERE id IN (SELECT value FROM json_each(?))");
  if (!users) return users.error();
  users->Bind(1, std::string_view(wanted));
  return users->ForEachRow([&] {
    const auto it = unnamed.find(Lower(users->Text(0)));
    if (it == unnamed.end()) return;
    const std::string_view name = users->Text(1).empty() ? users->Text(2) : users->Text(1);
    for (size_t i : it->second) rows[i].user_name = name;
  });
}

Status FillUserRoles(sqlite3* db, const GroupIndex& groups, const RoleCatalog& roles) {
  auto assignments = Statement::Prepare(
      db,
      "SELECT principal_id, principal_type, principal_name, role_template_id, role_name, "
      "assignment_kind FROM role_assignments ORDER BY rowid");
  if (!assignments) return assignments.error();
  std::vector<UserRoleRow> rows;
  StringSet seen;  // one row per user, role, kind and path, however often it was listed
  auto add = [&](UserRoleRow row) {
    std::string key =
        fmt::format("{}\n{}\n{}\n{}\n{}", Lower(row.user_id), Lower(row.role_template_id),
                    Lower(row.role_name), row.assignment_kind, row.via);
    if (seen.insert(std::move(key)).second) rows.push_back(std::move(row));
  };
  Status read = assignments->ForEachRow([&] {
    const std::string_view principal_id = assignments->Text(0);
    const std::string type = Lower(assignments->Text(1));
    std::string template_id(assignments->Text(3));
    std::string role_name(assignments->Text(4));
    if (template_id.empty()) template_id = roles.TemplateIdForName(role_name);
    const std::optional<RoleInfo> role = roles.Find(template_id);
    if (role_name.empty() && role) role_name = role->name;
    UserRoleRow row{.user_id = {},
                    .user_name = {},
                    .role_template_id = template_id,
                    .role_name = role_name,
                    .is_privileged = role && role->is_privileged,
                    .is_admin = role && role->is_admin,
                    .assignment_kind = Lower(assignments->Text(5)),
                    .via = {}};
    if (type == "user") {
      row.user_id = principal_id;
      row.user_name = assignments->Text(2);
      row.via = "direct";
      add(std::move(row));
    } else if (type == "group") {
      row.via = fmt::format("group:{}", principal_id);
      groups.ForEachUser(principal_id, [&](std::string_view, std::string_view user_id) {
        UserRoleRow member = row;
        member.user_id = user_id;
        add(std::move(member));
      });
    }
    // Service principals hold roles too, but user_roles is about people.
  });
  if (!read) return read;
  if (Status s = FillMissingUserNames(db, rows); !s) return s;

  auto insert = Statement::Prepare(
      db,
      "INSERT INTO user_roles (user_id, user_name, role_template_id, role_name, is_privileged, "
      "is_admin, assignment_kind, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  for (const UserRoleRow& r : rows) {
    insert->Bind(1, r.user_id);
    insert->Bind(2, r.user_name);
    insert->Bind(3, r.role_template_id);
    insert->Bind(4, r.role_name);
    insert->Bind(5, r.is_privileged);
    insert->Bind(6, r.is_admin);
    insert->Bind(7, r.assignment_kind);
    insert->Bind(8, r.via);
    if (Status s = insert->Execute(); !s) return s;
  }
  return OkStatus();
}

// ---------------------------------------------------------------- ca_policy_facts

using StringList = std::vector<std::string>;

struct CaPolicy {
  std::string id;
  std::string display_name;
  std::string state;
  StringList include_users, exclude_users, include_groups, exclude_groups, include_roles,
      exclude_roles, include_applications, exclude_applications, client_app_types, user_risk_levels,
      sign_in_risk_levels, include_platforms, include_locations, exclude_locations,
      built_in_controls, allowed_combinations;
  bool include_guests = false;
  bool exclude_guests = false;
  std::string grant_operator;
  std::string authentication_strength_id;
  std::optional<double> sign_in_frequency_hours;
  std::string persistent_browser_mode;
  // From the raw policy, for conditions that have no column of their own.
  bool excludes_platforms = false;
  bool narrowed_otherwise = false;  // device filter, authentication flow, app filter, …
};

// The JSON columns of ca_policies, parsed.
class PolicyJsonReader {
 public:
  // NULL or '' is an empty list; anything else must be a JSON array of strings.
  Result<StringList> Read(std::string_view json, std::string_view policy_id,
                          std::string_view column) {
    StringList out;
    if (json.empty()) return out;
    simdjson::dom::array array;
    if (parser_.parse(json.data(), json.size()).get_array().get(array) != simdjson::SUCCESS) {
      return Invalid(policy_id, column, json);
    }
    for (simdjson::dom::element item : array) {
      std::string_view text;
      if (item.get_string().get(text) != simdjson::SUCCESS) return Invalid(policy_id, column, json);
      out.emplace_back(text);
    }
    return out;
  }

  // Reads the conditions of the raw policy (camelCase or PascalCase) that have no column.
  // They only narrow a policy, so a raw value that cannot be read narrows nothing.
  void ReadRawConditions(std::string_view raw, CaPolicy& policy) {
    simdjson::dom::element root;
    if (raw.empty() || parser_.parse(raw.data(), raw.size()).get(root) != simdjson::SUCCESS) {
      return;
    }
    const std::optional<DomElement> conditions = Find(root, "conditions");
    if (!conditions) return;
    policy.excludes_platforms = IsSet(FindPath(*conditions, {"platforms", "excludePlatforms"}));
    policy.narrowed_otherwise =
        IsSet(FindPath(*conditions, {"authenticationFlows", "transferMethods"})) ||
        IsSet(FindPath(*conditions, {"devices", "deviceFilter", "rule"})) ||
        IsSet(FindPath(*conditions, {"applications", "applicationFilter", "rule"})) ||
        IsSet(Find(*conditions, "insiderRiskLevels")) ||
        IsSet(Find(*conditions, "servicePrincipalRiskLevels")) ||
        IsSet(FindPath(*conditions, {"clientApplications", "includeServicePrincipals"})) ||
        IsSet(FindPath(*conditions, {"deviceStates", "excludeStates"}));
  }

 private:
  // A condition value that says something: a non-empty string or array, a number or boolean.
  static bool IsSet(std::optional<DomElement> value) {
    if (!value || value->is_null() || value->is_object()) return false;
    std::string_view text;
    if (value->get_string().get(text) == simdjson::SUCCESS) return !text.empty();
    return CountOf(value) > 0;
  }
  static Error Invalid(std::string_view policy_id, std::string_view column, std::string_view json) {
    return InvalidInput(
        fmt::format("expected a JSON array of strings, found `{}`", json.substr(0, 80)),
        fmt::format("ca_policies[id={}].{}", policy_id, column));
  }
  simdjson::dom::parser parser_;
};

Result<std::vector<CaPolicy>> ReadCaPolicies(sqlite3* db) {
  auto rows = Statement::Prepare(
      db,
      "SELECT id, display_name, state, include_users, exclude_users, include_groups, "
      "exclude_groups, include_roles, exclude_roles, include_applications, "
      "exclude_applications, client_app_types, user_risk_levels, sign_in_risk_levels, "
      "include_platforms, include_locations, exclude_locations, built_in_controls, "
      "allowed_combinations, include_guests, exclude_guests, grant_operator, "
      "authentication_strength_id, sign_in_frequency_hours, persistent_browser_mode, raw "
      "FROM ca_policies ORDER BY rowid");
  if (!rows) return rows.error();
  PolicyJsonReader json;
  std::vector<CaPolicy> policies;
  Status read = rows->ForEachRow([&]() -> Status {
    CaPolicy p;
    p.id = rows->Text(0);
    p.display_name = rows->Text(1);
    p.state = rows->Text(2);
    const struct {
      StringList* list;
      int col;
    } list_columns[] = {
        {&p.include_users, 3},        {&p.exclude_users, 4},         {&p.include_groups, 5},
        {&p.exclude_groups, 6},       {&p.include_roles, 7},         {&p.exclude_roles, 8},
        {&p.include_applications, 9}, {&p.exclude_applications, 10}, {&p.client_app_types, 11},
        {&p.user_risk_levels, 12},    {&p.sign_in_risk_levels, 13},  {&p.include_platforms, 14},
        {&p.include_locations, 15},   {&p.exclude_locations, 16},    {&p.built_in_controls, 17},
        {&p.allowed_combinations, 18}};
    for (const auto& [list, col] : list_columns) {
      auto parsed = json.Read(rows->Text(col), p.id, rows->ColumnName(col));
      if (!parsed) return parsed.error();
      *list = std::move(*parsed);
    }
    p.include_guests = rows->Int(19) != 0;
    p.exclude_guests = rows->Int(20) != 0;
    p.grant_operator = rows->Text(21);
    p.authentication_strength_id = rows->Text(22);
    p.sign_in_frequency_hours = rows->OptionalReal(23);
    p.persistent_browser_mode = rows->Text(24);
    json.ReadRawConditions(rows->Text(25), p);
    policies.push_back(std::move(p));
    return OkStatus();
  });
  if (!read) return read.error();
  return policies;
}

constexpr std::string_view kPhishingResistantStrengthId = "00000000-0000-0000-0000-000000000004";

bool IsPhishingResistantStrength(const CaPolicy& p) {
  if (EqualsIgnoreCase(p.authentication_strength_id, kPhishingResistantStrengthId)) return true;
  if (p.authentication_strength_id.empty() || p.allowed_combinations.empty()) return false;
  return std::ranges::all_of(p.allowed_combinations, [](const std::string& combination) {
    return EqualsIgnoreCase(combination, "fido2") ||
           EqualsIgnoreCase(combination, "windowsHelloForBusiness") ||
           EqualsIgnoreCase(combination, "x509CertificateMultiFactor");
  });
}

struct PolicyFacts {
  bool enabled = false;
  bool all_users = false;
  bool has_exclusions = false;
  bool all_apps = false;
  bool all_client_apps = false;
  bool covers_legacy_clients = false;
  bool blocks = false;
  bool requires_mfa = false;
  bool requires_phishing_resistant = false;
  bool requires_compliant_device = false;
  bool requires_password_change = false;
  bool user_risk_high = false;
  bool sign_in_risk_high = false;
  bool sign_in_risk_medium = false;
  bool has_conditions = false;
  bool narrowed = false;  // has_conditions but for risk
  std::optional<double> sign_in_frequency_hours;
  bool persistent_browser_never = false;
};

PolicyFacts FactsOf(const CaPolicy& p) {
  PolicyFacts f;
  f.enabled = EqualsIgnoreCase(p.state, "enabled");
  f.all_users = Contains(p.include_users, "All");
  f.has_exclusions = !p.exclude_users.empty() || !p.exclude_groups.empty() ||
                     !p.exclude_roles.empty() || p.exclude_guests;
  f.all_apps = Contains(p.include_applications, "All") && p.exclude_applications.empty();
  // Not setting client app types means every client, as Graph's default ["all"] does.
  f.all_client_apps = p.client_app_types.empty() || Contains(p.client_app_types, "all");
  f.covers_legacy_clients =
      f.all_client_apps ||
      (Contains(p.client_app_types, "exchangeActiveSync") && Contains(p.client_app_types, "other"));

  // The grant is a set of alternatives under OR and of requirements under AND: a control is
  // required when it is among them under AND, and when every alternative is one under OR
  // ("MFA or a compliant device" requires neither).
  StringList grant;
  for (const std::string& control : p.built_in_controls) grant.push_back(Lower(control));
  const bool has_strength = !p.authentication_strength_id.empty();
  if (has_strength) grant.emplace_back("authenticationstrength");
  const bool any_of_them = EqualsIgnoreCase(p.grant_operator, "OR") && grant.size() > 1;
  auto requires_control = [&](auto&& is_it) {
    return !grant.empty() &&
           (any_of_them ? std::ranges::all_of(grant, is_it) : std::ranges::any_of(grant, is_it));
  };
  const bool phishing_resistant_strength = has_strength && IsPhishingResistantStrength(p);
  f.blocks = Contains(grant, "block");
  f.requires_mfa = requires_control(
      [](const std::string& c) { return c == "mfa" || c == "authenticationstrength"; });
  f.requires_phishing_resistant = requires_control([&](const std::string& c) {
    return c == "authenticationstrength" && phishing_resistant_strength;
  });
  f.requires_compliant_device = requires_control(
      [](const std::string& c) { return c == "compliantdevice" || c == "domainjoineddevice"; });
  f.requires_password_change =
      requires_control([](const std::string& c) { return c == "passwordchange"; });

  f.user_risk_high = Contains(p.user_risk_levels, "high");
  f.sign_in_risk_high = Contains(p.sign_in_risk_levels, "high");
  f.sign_in_risk_medium = Contains(p.sign_in_risk_levels, "medium");
  // "All platforms" or "all locations" with nothing excluded narrows nothing.
  const bool platform_narrowed = !p.include_platforms.empty() &&
                                 !(Contains(p.include_platforms, "all") && !p.excludes_platforms);
  const bool location_narrowed =
      (!p.include_locations.empty() && !Contains(p.include_locations, "All")) ||
      !p.exclude_locations.empty();
  f.narrowed = platform_narrowed || location_narrowed || p.narrowed_otherwise;
  f.has_conditions = f.narrowed || !p.user_risk_levels.empty() || !p.sign_in_risk_levels.empty();
  f.sign_in_frequency_hours = p.sign_in_frequency_hours;
  f.persistent_browser_never = EqualsIgnoreCase(p.persistent_browser_mode, "never");
  return f;
}

Status WritePolicyFacts(sqlite3* db, const std::vector<CaPolicy>& policies,
                        const std::vector<PolicyFacts>& facts) {
  auto insert = Statement::Prepare(
      db,
      "INSERT INTO ca_policy_facts (policy_id, display_name, enabled, all_users, "
      "has_exclusions, all_apps, all_client_apps, covers_legacy_clients, blocks, requires_mfa, "
      "requires_phishing_resistant, requires_compliant_device, requires_password_change, "
      "user_risk_high, sign_in_risk_high, sign_in_risk_medium, has_conditions, "
      "sign_in_frequency_hours, persistent_browser_never) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  for (size_t i = 0; i < policies.size(); ++i) {
    const PolicyFacts& f = facts[i];
    insert->Bind(1, policies[i].id);
    insert->Bind(2, policies[i].display_name);
    int col = 3;
    for (bool flag :
         {f.enabled, f.all_users, f.has_exclusions, f.all_apps, f.all_client_apps,
          f.covers_legacy_clients, f.blocks, f.requires_mfa, f.requires_phishing_resistant,
          f.requires_compliant_device, f.requires_password_change, f.user_risk_high,
          f.sign_in_risk_high, f.sign_in_risk_medium, f.has_conditions}) {
      insert->Bind(col++, flag);
    }
    insert->Bind(col++, f.sign_in_frequency_hours);
    insert->Bind(col, f.persistent_browser_never);
    if (Status s = insert->Execute(); !s) return s;
  }
  return OkStatus();
}

// ---------------------------------------------------------------- ca_user_coverage

// What a policy contributes to the coverage columns, one bit per column.
enum CoverageFlag : std::uint8_t {
  kMfa = 1 << 0,
  kPhishingResistant = 1 << 1,
  kLegacyBlocked = 1 << 2,
  kSignInRisk = 1 << 3,
  kUserRisk = 1 << 4,
  kCompliantDevice = 1 << 5,
  kSignInFrequency = 1 << 6,
};
constexpr CoverageFlag kCoverageFlags[] = {
    kMfa,      kPhishingResistant, kLegacyBlocked,  kSignInRisk,
    kUserRisk, kCompliantDevice,   kSignInFrequency};

// A requirement counts only where it holds for every app, client, place, device and flow. A risk
// policy is by nature narrowed by its own risk level, and must be narrowed by nothing else.
std::uint8_t CoverageFlagsOf(const CaPolicy& p, const PolicyFacts& f) {
  const bool everywhere = f.all_apps && !f.narrowed;
  const bool no_risk = p.user_risk_levels.empty() && p.sign_in_risk_levels.empty();
  const bool universal = everywhere && f.all_client_apps && no_risk;
  std::uint8_t flags = 0;
  if (universal && f.requires_mfa) flags |= kMfa;
  if (universal && f.requires_phishing_resistant) flags |= kPhishingResistant;
  if (everywhere && no_risk && f.blocks && f.covers_legacy_clients) flags |= kLegacyBlocked;
  if (everywhere && f.all_client_apps && f.sign_in_risk_high && p.user_risk_levels.empty() &&
      (f.blocks || f.requires_mfa)) {
    flags |= kSignInRisk;
  }
  if (everywhere && f.all_client_apps && f.user_risk_high && p.sign_in_risk_levels.empty() &&
      (f.blocks || f.requires_password_change)) {
    flags |= kUserRisk;
  }
  if (universal && f.requires_compliant_device) flags |= kCompliantDevice;
  if (universal && f.sign_in_frequency_hours) flags |= kSignInFrequency;
  return flags;
}

// Which enabled policies name which users, directly or through groups and roles. Users named by
// no policy (nearly all of them, in a large tenant) are covered by the "All users" and guest
// policies alone; a user that is named gets a small index into bit sets of policies.
class PolicyTargets {
 public:
  explicit PolicyTargets(size_t policy_count) : words_((policy_count + 63) / 64) {
    for (auto* mask : {&member_include_, &guest_include_, &guest_exclude_}) mask->assign(words_, 0);
  }
  size_t words() const { return words_; }

  void IncludeEveryone(size_t policy) {
    Set(member_include_.data(), policy);
    Set(guest_include_.data(), policy);
  }
  void IncludeGuests(size_t policy) { Set(guest_include_.data(), policy); }
  void ExcludeGuests(size_t policy) { Set(guest_exclude_.data(), policy); }
  void Name(std::string_view lower_id, size_t policy, bool exclude) {
    auto it = index_.find(lower_id);
    if (it == index_.end()) {
      it = index_.emplace(std::string(lower_id), index_.size()).first;
      include_.resize(include_.size() + words_, 0);
      exclude_.resize(exclude_.size() + words_, 0);
    }
    Set((exclude ? exclude_ : include_).data() + it->second * words_, policy);
  }

  // The policies that apply to a user: included and not excluded. Writes words() words.
  void Applying(std::string_view lower_id, bool guest, std::uint64_t* out) const {
    const std::uint64_t* include = guest ? guest_include_.data() : member_include_.data();
    const std::uint64_t* exclude = guest ? guest_exclude_.data() : nullptr;
    const std::uint64_t* named_in = nullptr;
    const std::uint64_t* named_out = nullptr;
    if (!index_.empty()) {
      if (const auto it = index_.find(lower_id); it != index_.end()) {
        named_in = include_.data() + it->second * words_;
        named_out = exclude_.data() + it->second * words_;
      }
    }
    for (size_t w = 0; w < words_; ++w) {
      const std::uint64_t in = include[w] | (named_in ? named_in[w] : 0);
      const std::uint64_t out_mask = (exclude ? exclude[w] : 0) | (named_out ? named_out[w] : 0);
      out[w] = in & ~out_mask;
    }
  }

 private:
  static void Set(std::uint64_t* mask, size_t policy) {
    mask[policy / 64] |= std::uint64_t{1} << (policy % 64);
  }
  size_t words_;
  std::vector<std::uint64_t> member_include_, guest_include_, guest_exclude_;
  StringMap<size_t> index_;
  std::vector<std::uint64_t> include_, exclude_;  // words_ per named user
};

// Lower-case ids of the users holding each role (by lower-case template id); only active
// assignments count, as an eligible role is not held until it is activated.
Result<StringMap<std::vector<std::string>>> ReadActiveRoleHolders(sqlite3* db,
                                                                  const RoleCatalog& roles) {
  StringMap<std::vector<std::string>> holders;
  auto rows = Statement::Prepare(
      db, "SELECT user_id, role_template_id, role_name, assignment_kind FROM user_roles");
  if (!rows) return rows.error();
  Status read = rows->ForEachRow([&] {
    if (!EqualsIgnoreCase(rows->Text(3), "active")) return;
    std::string template_id = Lower(rows->Text(1));
    if (template_id.empty()) template_id = roles.TemplateIdForName(rows->Text(2));
    if (!template_id.empty()) holders[template_id].push_back(Lower(rows->Text(0)));
  });
  if (!read) return read.error();
  return holders;
}

Result<PolicyTargets> TargetsOf(sqlite3* db, const std::vector<const CaPolicy*>& enabled,
                                const GroupIndex& groups, const RoleCatalog& roles) {
  auto role_holders = ReadActiveRoleHolders(db, roles);
  if (!role_holders) return role_holders.error();
  PolicyTargets targets(enabled.size());
  for (size_t i = 0; i < enabled.size(); ++i) {
    const CaPolicy& p = *enabled[i];
    for (const bool exclude : {false, true}) {
      for (const std::string& user : exclude ? p.exclude_users : p.include_users) {
        if (EqualsIgnoreCase(user, "All")) {
          if (!exclude) targets.IncludeEveryone(i);
        } else if (EqualsIgnoreCase(user, "GuestsOrExternalUsers")) {
          exclude ? targets.ExcludeGuests(i) : targets.IncludeGuests(i);
        } else if (!EqualsIgnoreCase(user, "None")) {
          targets.Name(Lower(user), i, exclude);
        }
      }
      for (const std::string& group : exclude ? p.exclude_groups : p.include_groups) {
        groups.ForEachUser(group, [&](std::string_view user, std::string_view) {
          targets.Name(user, i, exclude);
        });
      }
      for (const std::string& role : exclude ? p.exclude_roles : p.include_roles) {
        if (const auto it = role_holders->find(Lower(role)); it != role_holders->end()) {
          for (const std::string& user : it->second) targets.Name(user, i, exclude);
        }
      }
    }
    if (p.include_guests) targets.IncludeGuests(i);
    if (p.exclude_guests) targets.ExcludeGuests(i);
  }
  return targets;
}

struct Coverage {
  std::string policy_ids;
  std::uint8_t flags = 0;
};

// Writes ca_user_coverage rows, kBatch to a statement: for a million users SQLite's cost per
// statement run is a good part of the time.
class CoverageWriter {
 public:
  static Result<CoverageWriter> Create(sqlite3* db) {
    auto batch = Statement::Prepare(db, InsertSql(kBatch));
    if (!batch) return batch.error();
    auto single = Statement::Prepare(db, InsertSql(1));
    if (!single) return single.error();
    return CoverageWriter(std::move(*batch), std::move(*single));
  }

  Status Add(std::string_view id, std::string_view upn, std::string_view type,
             const Coverage& coverage) {
    Slot& slot = slots_[used_];
    // The caller's text dies with its row: the slot keeps a copy for the statement to read.
    slot.id.assign(id);
    slot.upn.assign(upn);
    slot.type.assign(type);
    slot.coverage = &coverage;
    const int first = static_cast<int>(used_) * kColumns + 1;
    batch_.Bind(first, std::string_view(slot.id));
    batch_.Bind(first + 1, std::string_view(slot.upn));
    batch_.Bind(first + 2, std::string_view(slot.type));
    // Bindings outlive a reset, and consecutive users mostly share their coverage.
    if (slot.bound != &coverage) {
      slot.bound = &coverage;
      BindCoverage(batch_, first + 3, coverage);
    }
    if (++used_ < kBatch) return OkStatus();
    used_ = 0;
    return batch_.Execute();
  }

  // Writes the rows of the last, partial batch.
  Status Finish() {
    for (size_t i = 0; i < used_; ++i) {
      single_.Bind(1, std::string_view(slots_[i].id));
      single_.Bind(2, std::string_view(slots_[i].upn));
      single_.Bind(3, std::string_view(slots_[i].type));
      BindCoverage(single_, 4, *slots_[i].coverage);
      if (Status s = single_.Execute(); !s) return s;
    }
    used_ = 0;
    return OkStatus();
  }

 private:
  static constexpr size_t kBatch = 64;
  static constexpr int kColumns = 11;
  struct Slot {
    std::string id, upn, type;
    const Coverage* coverage = nullptr;
    const Coverage* bound = nullptr;  // what the batch statement holds for this slot
  };

  CoverageWriter(Statement batch, Statement single)
      : batch_(std::move(batch)), single_(std::move(single)), slots_(kBatch) {}

  static std::string InsertSql(size_t rows) {
    std::string sql =
        "INSERT INTO ca_user_coverage (user_id, user_principal_name, user_type, policy_ids, "
        "mfa_all_apps, phishing_resistant_all_apps, legacy_blocked, sign_in_risk_protected, "
        "user_risk_protected, compliant_device_required, sign_in_frequency_limited) VALUES ";
    for (size_t i = 0; i < rows; ++i)
      sql += i ? ", (?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)";
    return sql;
  }
  static void BindCoverage(Statement& insert, int first, const Coverage& coverage) {
    insert.Bind(first, std::string_view(coverage.policy_ids));
    int col = first + 1;
    for (CoverageFlag flag : kCoverageFlags) insert.Bind(col++, (coverage.flags & flag) != 0);
  }

  Statement batch_;
  Statement single_;
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

Status FillUserCoverage(sqlite3* db, const std::vector<CaPolicy>& policies,
                        const std::vector<PolicyFacts>& facts, const GroupIndex& groups,
                        const RoleCatalog& roles) {
  std::vector<const CaPolicy*> enabled;
  std::vector<std::uint8_t> enabled_flags;
  for (size_t i = 0; i < policies.size(); ++i) {
    if (!facts[i].enabled) continue;  // report-only and disabled policies never count
    enabled.push_back(&policies[i]);
    enabled_flags.push_back(CoverageFlagsOf(policies[i], facts[i]));
  }
  auto targets = TargetsOf(db, enabled, groups, roles);
  if (!targets) return targets.error();

  // Users with the same applying policies share one Coverage; most users share a handful, and
  // consecutive users usually the same one.
  const size_t words = targets->words();
  std::unordered_map<std::string, Coverage> by_mask;
  std::string mask(words * sizeof(std::uint64_t), '\0');
  std::string last_mask;
  const Coverage* last = nullptr;
  auto coverage_of = [&]() -> const Coverage& {
    if (last && mask == last_mask) return *last;
    auto [it, added] = by_mask.try_emplace(mask);
    last_mask = mask;
    last = &it->second;
    if (added) {
      const auto* bits = reinterpret_cast<const std::uint64_t*>(mask.data());
      for (size_t i = 0; i < enabled.size(); ++i) {
        if (!(bits[i / 64] >> (i % 64) & 1)) continue;
        if (!it->second.policy_ids.empty()) it->second.policy_ids += ',';
        it->second.policy_ids += enabled[i]->id;
        it->second.flags |= enabled_flags[i];
      }
    }
    return it->second;
  };

  auto users = Statement::Prepare(
      db, "SELECT id, user_principal_name, user_type FROM users WHERE account_enabled = 1");
  if (!users) return users.error();
  auto writer = CoverageWriter::Create(db);
  if (!writer) return writer.error();
  std::string lower_id;
  Status read = users->ForEachRow([&] {
    const std::string_view id = users->Text(0);
    LowerInto(id, lower_id);
    const bool guest = EqualsIgnoreCase(users->Text(2), "Guest");
    targets->Applying(lower_id, guest, reinterpret_cast<std::uint64_t*>(mask.data()));
    return writer->Add(id, users->Text(1), users->Text(2), coverage_of());
  });
  if (!read) return read;
  return writer->Finish();
}

// ---------------------------------------------------------------- all together

struct Plan {
  bool user_roles = false;
  bool policy_facts = false;
  bool user_coverage = false;
};

Status ComputeInOpenTransaction(EvidenceDb& db, const Plan& plan) {
  sqlite3* handle = db.handle();
  auto groups = GroupIndex::Load(handle);
  if (!groups) return groups.error();
  auto roles = RoleCatalog::Load(handle);
  if (!roles) return roles.error();
  if (plan.user_roles) {
    if (Status s = db.Exec("DELETE FROM user_roles"); !s) return s;
    if (Status s = FillUserRoles(handle, *groups, *roles); !s) return s;
  }
  if (!plan.policy_facts) return OkStatus();
  auto policies = ReadCaPolicies(handle);
  if (!policies) return policies.error();
  std::vector<PolicyFacts> facts;
  for (const CaPolicy& p : *policies) facts.push_back(FactsOf(p));
  if (Status s = db.Exec("DELETE FROM ca_policy_facts"); !s) return s;
  if (Status s = WritePolicyFacts(handle, *policies, facts); !s) return s;
  if (!plan.user_coverage) return OkStatus();
  if (Status s = db.Exec("DELETE FROM ca_user_coverage"); !s) return s;
  return FillUserCoverage(handle, *policies, facts, *groups, *roles);
}

}  // namespace

Status ComputeDerivedTables(EvidenceDb& db) {
  Plan plan;
  // The ScubaGear adapter fills user_roles itself from privileged_users; its rows stand.
  plan.user_roles = !db.Collected("user_roles") && db.Collected("role_assignments");
  plan.policy_facts = db.Collected("ca_policies");
  plan.user_coverage = plan.policy_facts && db.Collected("users");

  // One transaction for all the writes; a savepoint rather than BEGIN, so that this also works
  // inside the caller's transaction. The evidence database runs without a rollback journal (it
  // is rebuilt from the snapshot on demand), so a failed run cannot ROLLBACK: it empties the
  // tables it was filling instead, leaving them uncollected.
  if (Status s = db.Exec("SAVEPOINT derived_tables"); !s) return s;
  if (Status s = ComputeInOpenTransaction(db, plan); !s) {
    if (plan.user_roles) (void)db.Exec("DELETE FROM user_roles");
    (void)db.Exec("DELETE FROM ca_policy_facts");
    (void)db.Exec("DELETE FROM ca_user_coverage");
    (void)db.Exec("RELEASE derived_tables");
    return s;
  }
  if (Status s = db.Exec("RELEASE derived_tables"); !s) return s;
  if (plan.user_roles) db.MarkCollected("user_roles");
  if (plan.policy_facts) db.MarkCollected("ca_policy_facts");
  if (plan.user_coverage) db.MarkCollected("ca_user_coverage");
  return OkStatus();
}

}  // namespace securescore::evidence
