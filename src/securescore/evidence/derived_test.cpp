#include "securescore/evidence/derived.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "securescore/evidence/evidence_db.h"

namespace securescore::evidence {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kGlobalAdmin[] = "62e90394-69f5-4237-9190-012177145e10";
constexpr char kPhishingResistantStrength[] = "00000000-0000-0000-0000-000000000004";

// One ca_policies row; the defaults are an enabled "require MFA for all users and all apps".
struct Policy {
  std::string id = "p1";
  std::string state = "enabled";
  std::string include_users = R"(["All"])";
  std::string exclude_users = "[]";
  std::string include_groups = "[]";
  std::string exclude_groups = "[]";
  std::string include_roles = "[]";
  std::string exclude_roles = "[]";
  int include_guests = 0;
  int exclude_guests = 0;
  std::string include_applications = R"(["All"])";
  std::string exclude_applications = "[]";
  std::string client_app_types = R"(["all"])";
  std::string user_risk_levels = "[]";
  std::string sign_in_risk_levels = "[]";
  std::string include_platforms = "[]";
  std::string include_locations = "[]";
  std::string exclude_locations = "[]";
  std::string grant_operator = "OR";
  std::string built_in_controls = R"(["mfa"])";
  std::string authentication_strength_id = "";
  std::string allowed_combinations = "[]";
  std::string raw = "{}";
};

// Coverage flags of one user, in column order.
struct Flags {
  int mfa = 0, phishing_resistant = 0, legacy = 0, sign_in_risk = 0, user_risk = 0,
      compliant_device = 0, sign_in_frequency = 0;
  bool operator==(const Flags&) const = default;
};

void PrintTo(const Flags& f, std::ostream* os) {
  *os << "{mfa=" << f.mfa << " phish=" << f.phishing_resistant << " legacy=" << f.legacy
      << " signin_risk=" << f.sign_in_risk << " user_risk=" << f.user_risk
      << " compliant=" << f.compliant_device << " sif=" << f.sign_in_frequency << "}";
}

class DerivedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = EvidenceDb::Create();
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
  }

  void Exec(const std::string& sql) {
    Status s = db_->Exec(sql);
    ASSERT_TRUE(s) << s.error().ToString();
  }

  // Runs a query and returns every row, columns joined with '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_->handle());
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i) row += '|';
        const auto* text = sqlite3_column_text(stmt, i);
        row += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      rows.push_back(row);
    }
    sqlite3_finalize(stmt);
    return rows;
  }

  std::string One(const std::string& sql) {
    auto rows = Rows(sql);
    EXPECT_EQ(rows.size(), 1u) << sql;
    return rows.empty() ? "" : rows[0];
  }

  void AddUser(const std::string& id, const std::string& type = "Member", int enabled = 1) {
    Exec(
        "INSERT INTO users (id, user_principal_name, display_name, user_type, account_enabled) "
        "VALUES ('" +
        id + "', '" + id + "@contoso.test', 'Name of " + id + "', '" + type + "', " +
        std::to_string(enabled) + ")");
    db_->MarkCollected("users");
  }

  void AddMember(const std::string& group, const std::string& member,
                 const std::string& type = "user") {
    Exec("INSERT INTO group_members VALUES ('" + group + "', '" + member + "', '" + type + "')");
    db_->MarkCollected("group_members");
  }

  void AddAssignment(const std::string& principal, const std::string& type,
                     const std::string& role_template_id, const std::string& kind = "active",
                     const std::string& role_name = "") {
    Exec(
        "INSERT INTO role_assignments (principal_id, principal_type, principal_name, "
        "role_template_id, role_name, assignment_kind, directory_scope_id) VALUES ('" +
        principal + "', '" + type + "', '', '" + role_template_id + "', '" + role_name + "', '" +
        kind + "', '/')");
    db_->MarkCollected("role_assignments");
  }

  void AddPolicy(const Policy& p) {
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(
                  db_->handle(),
                  "INSERT INTO ca_policies (id, display_name, state, include_users, "
                  "exclude_users, include_groups, exclude_groups, include_roles, exclude_roles, "
                  "include_guests, exclude_guests, include_applications, exclude_applications, "
                  "client_app_types, user_risk_levels, sign_in_risk_levels, include_platforms, "
                  "include_locations, exclude_locations, grant_operator, built_in_controls, "
                  "authentication_strength_id, allowed_combinations, raw, "
                  "sign_in_frequency_hours, persistent_browser_mode) VALUES (?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '')",
                  -1, &stmt, nullptr),
              SQLITE_OK);
    int i = 1;
    for (const std::string* text :
         {&p.id, &p.id, &p.state, &p.include_users, &p.exclude_users, &p.include_groups,
          &p.exclude_groups, &p.include_roles, &p.exclude_roles}) {
      sqlite3_bind_text(stmt, i++, text->c_str(), -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(stmt, i++, p.include_guests);
    sqlite3_bind_int(stmt, i++, p.exclude_guests);
    for (const std::string* text :
         {&p.include_applications, &p.exclude_applications, &p.client_app_types,
          &p.user_risk_levels, &p.sign_in_risk_levels, &p.include_platforms, &p.include_locations,
          &p.exclude_locations, &p.grant_operator, &p.built_in_controls,
          &p.authentication_strength_id, &p.allowed_combinations, &p.raw}) {
      sqlite3_bind_text(stmt, i++, text->c_str(), -1, SQLITE_TRANSIENT);
    }
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db_->handle());
    sqlite3_finalize(stmt);
    db_->MarkCollected("ca_policies");
  }

  // Adds the policy and a user "u-<policy id>" whom it alone applies to.
  void AddPolicyWithOwnUser(Policy p) {
    AddUser("u-" + p.id);
    p.include_users = "[\"u-" + p.id + "\"]";
    AddPolicy(p);
  }

  void Compute() {
    Status s = ComputeDerivedTables(*db_);
    ASSERT_TRUE(s) << s.error().ToString();
  }

  std::string PolicyIds(const std::string& user) {
    return One("SELECT policy_ids FROM ca_user_coverage WHERE user_id = '" + user + "'");
  }

  Flags FlagsOf(const std::string& user) {
    auto rows = Rows(
        "SELECT mfa_all_apps, phishing_resistant_all_apps, legacy_blocked, "
        "sign_in_risk_protected, user_risk_protected, compliant_device_required, "
        "sign_in_frequency_limited FROM ca_user_coverage WHERE user_id = '" +
        user + "'");
    EXPECT_EQ(rows.size(), 1u) << user;
    Flags f;
    if (rows.size() == 1) {
      sscanf(rows[0].c_str(), "%d|%d|%d|%d|%d|%d|%d", &f.mfa, &f.phishing_resistant, &f.legacy,
             &f.sign_in_risk, &f.user_risk, &f.compliant_device, &f.sign_in_frequency);
    }
    return f;
  }

  // A policy's facts as "column=value" for the named columns.
  std::string Fact(const std::string& policy, const std::string& column) {
    return One("SELECT " + column + " FROM ca_policy_facts WHERE policy_id = '" + policy + "'");
  }

  std::unique_ptr<EvidenceDb> db_;
};

// ---------------------------------------------------------------- ca_user_coverage: who

TEST_F(DerivedTest, AllUsersPolicyCoversEveryEnabledUserAndOnlyThem) {
  AddUser("u1");
  AddUser("u2", "Guest");
  AddUser("off", "Member", 0);
  AddPolicy({});
  Compute();
  EXPECT_THAT(Rows("SELECT user_id, user_principal_name, user_type, policy_ids FROM "
                   "ca_user_coverage ORDER BY user_id"),
              ElementsAre("u1|u1@contoso.test|Member|p1", "u2|u2@contoso.test|Guest|p1"));
  EXPECT_EQ(FlagsOf("u1"), Flags{.mfa = 1});
  EXPECT_EQ(FlagsOf("u2"), Flags{.mfa = 1});
}

TEST_F(DerivedTest, UserWithNoApplyingPolicyStillGetsARow) {
  AddUser("u1");
  AddPolicy({.include_users = R"(["someone-else"])"});
  Compute();
  EXPECT_EQ(PolicyIds("u1"), "");
  EXPECT_EQ(FlagsOf("u1"), Flags{});
}

TEST_F(DerivedTest, ExcludedUserIsNotCovered) {
  AddUser("u1");
  AddUser("breakglass");
  AddUser("BreakGlass2");
  // Ids match whatever their case on either side.
  AddPolicy({.exclude_users = R"(["BREAKGLASS","breakglass2"])"});
  Compute();
  EXPECT_EQ(PolicyIds("u1"), "p1");
  EXPECT_EQ(PolicyIds("breakglass"), "");
  EXPECT_EQ(PolicyIds("BreakGlass2"), "");
  EXPECT_EQ(FlagsOf("breakglass"), Flags{});
  EXPECT_EQ(Fact("p1", "has_exclusions"), "1");
}

TEST_F(DerivedTest, IncludedUsersByIdAreCoveredAndNoneCoversNobody) {
  AddUser("u1");
  AddUser("u2");
  AddPolicy({.id = "named", .include_users = R"(["u2"])"});
  AddPolicy({.id = "nobody", .include_users = R"(["None"])"});
  Compute();
  EXPECT_EQ(PolicyIds("u1"), "");
  EXPECT_EQ(PolicyIds("u2"), "named");
}

TEST_F(DerivedTest, ExcludedNestedGroupMembersAreNotCoveredEvenWithACycle) {
  AddUser("u1");
  AddUser("u2");
  AddUser("u3");
  AddMember("outer", "inner", "group");
  AddMember("inner", "u2");
  AddMember("inner", "outer", "group");  // a cycle must not loop forever
  AddMember("outer", "u3");
  AddMember("outer", "device1", "device");
  AddPolicy({.exclude_groups = R"(["outer"])"});
  Compute();
  EXPECT_EQ(PolicyIds("u1"), "p1");
  EXPECT_EQ(PolicyIds("u2"), "");
  EXPECT_EQ(PolicyIds("u3"), "");
}

TEST_F(DerivedTest, IncludedGroupCoversItsNestedMembersOnly) {
  AddUser("u1");
  AddUser("u2");
  AddMember("outer", "inner", "group");
  AddMember("inner", "u2");
  AddPolicy({.include_users = "[]", .include_groups = R"(["outer"])"});
  Compute();
  EXPECT_EQ(PolicyIds("u1"), "");
  EXPECT_EQ(PolicyIds("u2"), "p1");
}

TEST_F(DerivedTest, ExcludedRoleRemovesActiveHoldersOnly) {
  AddUser("admin");
  AddUser("eligible");
  AddUser("plain");
  AddAssignment("admin", "user", kGlobalAdmin);
  AddAssignment("eligible", "user", kGlobalAdmin, "eligible");
  AddPolicy({.exclude_roles = std::string("[\"") + kGlobalAdmin + "\"]"});
  Compute();
  EXPECT_EQ(PolicyIds("admin"), "");
  EXPECT_EQ(PolicyIds("eligible"), "p1");  // an eligible role is not held until activated
  EXPECT_EQ(PolicyIds("plain"), "p1");
}

TEST_F(DerivedTest, IncludedRoleCoversDirectAndGroupHolders) {
  AddUser("direct");
  AddUser("viagroup");
  AddUser("eligible");
  AddUser("plain");
  AddAssignment("direct", "user", kGlobalAdmin);
  AddAssignment("admins", "group", kGlobalAdmin);
  AddMember("admins", "viagroup");
  AddAssignment("eligible", "user", kGlobalAdmin, "eligible");
  AddPolicy({.include_users = "[]", .include_roles = std::string("[\"") + kGlobalAdmin + "\"]"});
  Compute();
  EXPECT_EQ(PolicyIds("direct"), "p1");
  EXPECT_EQ(PolicyIds("viagroup"), "p1");
  EXPECT_EQ(PolicyIds("eligible"), "");
  EXPECT_EQ(PolicyIds("plain"), "");
}

TEST_F(DerivedTest, RolesKnownOnlyByNameStillMatchPolicyRoles) {
  // ScubaGear's privileged_users names roles without template ids.
  AddUser("admin");
  AddUser("plain");
  Exec(
      "INSERT INTO user_roles (user_id, user_name, role_template_id, role_name, "
      "assignment_kind, via) VALUES ('admin', 'Admin', '', 'Global Administrator', 'active', "
      "'scubagear')");
  db_->MarkCollected("user_roles");
  AddPolicy({.exclude_roles = std::string("[\"") + kGlobalAdmin + "\"]"});
  Compute();
  EXPECT_EQ(PolicyIds("admin"), "");
  EXPECT_EQ(PolicyIds("plain"), "p1");
}

TEST_F(DerivedTest, GuestsAreIncludedByGuestFlagOrKeyword) {
  AddUser("member");
  AddUser("guest", "Guest");
  AddPolicy({.id = "flag", .include_users = "[]", .include_guests = 1});
  AddPolicy({.id = "keyword", .include_users = R"(["GuestsOrExternalUsers"])"});
  Compute();
  EXPECT_EQ(PolicyIds("member"), "");
  EXPECT_EQ(PolicyIds("guest"), "flag,keyword");
}

TEST_F(DerivedTest, GuestsAreExcludedByGuestFlagOrKeyword) {
  AddUser("member");
  AddUser("guest", "Guest");
  AddPolicy({.id = "flag", .exclude_guests = 1});
  AddPolicy({.id = "keyword", .exclude_users = R"(["GuestsOrExternalUsers"])"});
  Compute();
  EXPECT_EQ(PolicyIds("member"), "flag,keyword");
  EXPECT_EQ(PolicyIds("guest"), "");
  EXPECT_EQ(Fact("flag", "has_exclusions"), "1");
}

TEST_F(DerivedTest, ReportOnlyAndDisabledPoliciesNeverCount) {
  AddUser("u1");
  AddPolicy({.id = "report", .state = "enabledForReportingButNotEnforced"});
  AddPolicy({.id = "off", .state = "disabled"});
  Compute();
  EXPECT_EQ(Fact("report", "enabled"), "0");
  EXPECT_EQ(Fact("off", "enabled"), "0");
  EXPECT_EQ(Fact("report", "requires_mfa"), "1");  // what it would do, were it enforced
  EXPECT_EQ(PolicyIds("u1"), "");
  EXPECT_EQ(FlagsOf("u1"), Flags{});
}

TEST_F(DerivedTest, ManyUsersAreWrittenInBatchesWithoutMixingRows) {
  // More users than one batched INSERT holds, so full batches and the remainder both run, and
  // coverage alternates between users so that rebinding is exercised.
  constexpr int kUsers = 150;
  for (int i = 0; i < kUsers; ++i) AddUser("u" + std::to_string(i), i % 3 ? "Member" : "Guest");
  AddPolicy({.id = "everyone", .exclude_users = R"(["u70","u149"])"});
  AddPolicy({.id = "guests",
             .include_users = "[]",
             .include_guests = 1,
             .built_in_controls = R"(["block"])"});
  Compute();
  EXPECT_EQ(One("SELECT count(*), count(DISTINCT user_id) FROM ca_user_coverage"), "150|150");
  for (int i = 0; i < kUsers; ++i) {
    const std::string id = "u" + std::to_string(i);
    const bool guest = i % 3 == 0;
    const bool excluded = i == 70 || i == 149;
    std::string expected = excluded ? "" : "everyone";
    if (guest) expected += expected.empty() ? "guests" : ",guests";
    EXPECT_EQ(One("SELECT user_principal_name || '|' || user_type || '|' || policy_ids || '|' || "
                  "mfa_all_apps || legacy_blocked FROM ca_user_coverage WHERE user_id = '" +
                  id + "'"),
              id + "@contoso.test|" + (guest ? "Guest|" : "Member|") + expected + "|" +
                  (excluded ? "0" : "1") + (guest ? "1" : "0"))
        << id;
  }
}

// ---------------------------------------------------------------- ca_policy_facts: what

TEST_F(DerivedTest, MfaAuthenticationStrengthAndPhishingResistantStrength) {
  AddPolicyWithOwnUser({.id = "mfa"});
  AddPolicyWithOwnUser(
      {.id = "strength",
       .built_in_controls = "[]",
       .authentication_strength_id = "00000000-0000-0000-0000-000000000002",
       .allowed_combinations = R"(["password,microsoftAuthenticatorPush","fido2"])"});
  AddPolicyWithOwnUser({.id = "builtin-phr",
                        .built_in_controls = "[]",
                        .authentication_strength_id = kPhishingResistantStrength});
  AddPolicyWithOwnUser({.id = "custom-phr",
                        .built_in_controls = "[]",
                        .authentication_strength_id = "custom-1",
                        .allowed_combinations =
                            R"(["fido2","windowsHelloForBusiness","x509CertificateMultiFactor"])"});
  AddPolicyWithOwnUser({.id = "custom-weak",
                        .built_in_controls = "[]",
                        .authentication_strength_id = "custom-2",
                        .allowed_combinations = R"(["fido2","sms"])"});
  Compute();
  EXPECT_THAT(Rows("SELECT policy_id, requires_mfa, requires_phishing_resistant FROM "
                   "ca_policy_facts ORDER BY rowid"),
              ElementsAre("mfa|1|0", "strength|1|0", "builtin-phr|1|1", "custom-phr|1|1",
                          "custom-weak|1|0"));
  EXPECT_EQ(FlagsOf("u-mfa"), Flags{.mfa = 1});
  EXPECT_EQ(FlagsOf("u-strength"), Flags{.mfa = 1});
  EXPECT_EQ(FlagsOf("u-builtin-phr"), (Flags{.mfa = 1, .phishing_resistant = 1}));
  EXPECT_EQ(FlagsOf("u-custom-phr"), (Flags{.mfa = 1, .phishing_resistant = 1}));
  EXPECT_EQ(FlagsOf("u-custom-weak"), Flags{.mfa = 1});
}

TEST_F(DerivedTest, AlternativeGrantControlsRequireNeither) {
  AddPolicy({.id = "either",
             .grant_operator = "OR",
             .built_in_controls = R"(["mfa","compliantDevice"])"});
  AddPolicy(
      {.id = "both", .grant_operator = "AND", .built_in_controls = R"(["mfa","compliantDevice"])"});
  AddPolicy({.id = "device-or-joined",
             .grant_operator = "OR",
             .built_in_controls = R"(["compliantDevice","domainJoinedDevice"])"});
  Compute();
  EXPECT_THAT(Rows("SELECT policy_id, requires_mfa, requires_compliant_device FROM "
                   "ca_policy_facts ORDER BY rowid"),
              ElementsAre("either|0|0", "both|1|1", "device-or-joined|0|1"));
}

TEST_F(DerivedTest, BlockLegacyNeedsExchangeActiveSyncAndOtherOrAll) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"eas-other", R"(["exchangeActiveSync","other"])"},
      {"all", R"(["all"])"},
      {"unset", "[]"},
      {"browser", R"(["browser"])"},
      {"eas-only", R"(["exchangeActiveSync"])"},
  };
  for (const auto& [id, types] : cases) {
    AddPolicyWithOwnUser(
        {.id = id, .client_app_types = types, .built_in_controls = R"(["block"])"});
  }
  Compute();
  EXPECT_THAT(Rows("SELECT policy_id, blocks, covers_legacy_clients, all_client_apps FROM "
                   "ca_policy_facts ORDER BY rowid"),
              ElementsAre("eas-other|1|1|0", "all|1|1|1", "unset|1|1|1", "browser|1|0|0",
                          "eas-only|1|0|0"));
  EXPECT_EQ(FlagsOf("u-eas-other").legacy, 1);
  EXPECT_EQ(FlagsOf("u-all").legacy, 1);
  EXPECT_EQ(FlagsOf("u-browser").legacy, 0);
  EXPECT_EQ(FlagsOf("u-eas-only").legacy, 0);
  EXPECT_EQ(FlagsOf("u-eas-other").mfa, 0);  // a block is not MFA
}

TEST_F(DerivedTest, BlockingOneAuthenticationFlowIsNotBlockingLegacyClients) {
  // SCuBA MS.AAD.3.9: "block device code flow" targets all apps and all clients, narrowed only
  // by a condition that has no column.
  AddPolicyWithOwnUser(
      {.id = "device-code",
       .built_in_controls = R"(["block"])",
       .raw = R"({"conditions":{"authenticationFlows":{"transferMethods":"deviceCodeFlow"}}})"});
  Compute();
  EXPECT_EQ(Fact("device-code", "has_conditions"), "1");
  EXPECT_EQ(FlagsOf("u-device-code"), Flags{});
}

TEST_F(DerivedTest, SignInRiskAndUserRiskPolicies) {
  const std::vector<Policy> policies = {
      {.id = "signin-high-mfa", .sign_in_risk_levels = R"(["medium","high"])"},
      {.id = "signin-high-block",
       .sign_in_risk_levels = R"(["high"])",
       .built_in_controls = R"(["block"])"},
      {.id = "signin-medium-only", .sign_in_risk_levels = R"(["medium"])"},
      {.id = "user-high-pwchange",
       .user_risk_levels = R"(["high"])",
       .grant_operator = "AND",
       .built_in_controls = R"(["mfa","passwordChange"])"},
      {.id = "user-high-mfa-only", .user_risk_levels = R"(["high"])"},
  };
  for (const Policy& p : policies) AddPolicyWithOwnUser(p);
  Compute();
  EXPECT_THAT(Rows("SELECT policy_id, sign_in_risk_high, sign_in_risk_medium, user_risk_high, "
                   "requires_password_change, has_conditions FROM ca_policy_facts ORDER BY rowid"),
              ElementsAre("signin-high-mfa|1|1|0|0|1", "signin-high-block|1|0|0|0|1",
                          "signin-medium-only|0|1|0|0|1", "user-high-pwchange|0|0|1|1|1",
                          "user-high-mfa-only|0|0|1|0|1"));
  // A risk-conditioned MFA policy is not MFA for every sign-in.
  EXPECT_EQ(FlagsOf("u-signin-high-mfa"), Flags{.sign_in_risk = 1});
  EXPECT_EQ(FlagsOf("u-signin-high-block"), Flags{.sign_in_risk = 1});
  EXPECT_EQ(FlagsOf("u-signin-medium-only"), Flags{});
  EXPECT_EQ(FlagsOf("u-user-high-pwchange"), Flags{.user_risk = 1});
  EXPECT_EQ(FlagsOf("u-user-high-mfa-only"), Flags{});
}

TEST_F(DerivedTest, LocationOrPlatformConditionIsNotMfaForAllApps) {
  const std::vector<Policy> policies = {
      {.id = "outside-trusted",
       .include_locations = R"(["All"])",
       .exclude_locations = R"(["AllTrusted"])"},
      {.id = "one-location", .include_locations = R"(["loc-1"])"},
      {.id = "all-locations", .include_locations = R"(["All"])"},
      {.id = "ios-only", .include_platforms = R"(["iOS"])"},
      {.id = "all-platforms-but-ios",
       .include_platforms = R"(["all"])",
       .raw = R"({"conditions":{"platforms":{"includePlatforms":["all"],)"
              R"("excludePlatforms":["iOS"]}}})"},
      {.id = "all-platforms",
       .include_platforms = R"(["all"])",
       .raw = R"({"Conditions":{"Platforms":{"ExcludePlatforms":[]}}})"},
      {.id = "device-filter",
       .raw = R"({"Conditions":{"Devices":{"DeviceFilter":{"Mode":"exclude",)"
              R"("Rule":"device.trustType -eq \"ServerAD\""}}}})"},
      {.id = "unreadable-raw", .raw = "not json"},
  };
  for (const Policy& p : policies) AddPolicyWithOwnUser(p);
  Compute();
  EXPECT_THAT(Rows("SELECT policy_id, has_conditions FROM ca_policy_facts ORDER BY rowid"),
              ElementsAre("outside-trusted|1", "one-location|1", "all-locations|0", "ios-only|1",
                          "all-platforms-but-ios|1", "all-platforms|0", "device-filter|1",
                          "unreadable-raw|0"));
  EXPECT_EQ(FlagsOf("u-outside-trusted").mfa, 0);
  EXPECT_EQ(FlagsOf("u-one-location").mfa, 0);
  EXPECT_EQ(FlagsOf("u-all-locations").mfa, 1);
  EXPECT_EQ(FlagsOf("u-ios-only").mfa, 0);
  EXPECT_EQ(FlagsOf("u-all-platforms-but-ios").mfa, 0);
  EXPECT_EQ(FlagsOf("u-all-platforms").mfa, 1);
  EXPECT_EQ(FlagsOf("u-device-filter").mfa, 0);
  EXPECT_EQ(FlagsOf("u-unreadable-raw").mfa, 1);
}

TEST_F(DerivedTest, PolicyForSpecificAppsIsNotForAllApps) {
  const std::vector<Policy> policies = {
      {.id = "exchange-only",
       .include_applications = R"(["00000002-0000-0ff1-ce00-000000000000"])"},
      {.id = "all-but-one", .exclude_applications = R"(["00000003-0000-0ff1-ce00-000000000000"])"},
      {.id = "office365", .include_applications = R"(["Office365"])"},
      {.id = "browser-only", .client_app_types = R"(["browser"])"},
  };
  for (const Policy& p : policies) AddPolicyWithOwnUser(p);
  Compute();
  EXPECT_THAT(
      Rows("SELECT policy_id, all_apps, requires_mfa FROM ca_policy_facts ORDER BY rowid"),
      ElementsAre("exchange-only|0|1", "all-but-one|0|1", "office365|0|1", "browser-only|1|1"));
  for (const auto& p : policies) EXPECT_EQ(FlagsOf("u-" + p.id).mfa, 0) << p.id;
  EXPECT_EQ(PolicyIds("u-exchange-only"), "exchange-only");  // it applies, just not everywhere
}

TEST_F(DerivedTest, CompliantDeviceAndSignInFrequencyForAllApps) {
  AddUser("u1");
  AddPolicy({.id = "device", .built_in_controls = R"(["compliantDevice"])"});
  AddPolicy({.id = "session", .built_in_controls = "[]"});
  Exec(
      "UPDATE ca_policies SET sign_in_frequency_hours = 96, persistent_browser_mode = 'never' "
      "WHERE id = 'session'");
  Compute();
  EXPECT_EQ(Fact("session", "sign_in_frequency_hours || '|' || persistent_browser_never"),
            "96.0|1");
  EXPECT_EQ(Fact("device", "sign_in_frequency_hours IS NULL"), "1");
  EXPECT_EQ(PolicyIds("u1"), "device,session");
  EXPECT_EQ(FlagsOf("u1"), (Flags{.compliant_device = 1, .sign_in_frequency = 1}));
}

TEST_F(DerivedTest, FactsDescribeUsersAndExclusions) {
  AddPolicy({.id = "everyone"});
  AddPolicy({.id = "group-only",
             .include_users = "[]",
             .include_groups = R"(["g1"])",
             .exclude_groups = R"(["g2"])"});
  Compute();
  EXPECT_THAT(Rows("SELECT policy_id, display_name, all_users, has_exclusions, blocks FROM "
                   "ca_policy_facts ORDER BY rowid"),
              ElementsAre("everyone|everyone|1|0|0", "group-only|group-only|0|1|0"));
}

// ---------------------------------------------------------------- collected flags and errors

TEST_F(DerivedTest, CoverageIsNotCollectedWithoutUsers) {
  AddPolicy({});
  Compute();
  EXPECT_TRUE(db_->Collected("ca_policy_facts"));
  EXPECT_FALSE(db_->Collected("ca_user_coverage"));
  EXPECT_FALSE(db_->Collected("user_roles"));
  EXPECT_EQ(One("SELECT count(*) FROM ca_user_coverage"), "0");
}

TEST_F(DerivedTest, NothingIsCollectedWithoutPolicies) {
  AddUser("u1");
  Compute();
  EXPECT_FALSE(db_->Collected("ca_policy_facts"));
  EXPECT_FALSE(db_->Collected("ca_user_coverage"));
  EXPECT_EQ(One("SELECT count(*) FROM ca_user_coverage"), "0");
}

TEST_F(DerivedTest, EmptyCollectedTablesGiveCollectedEmptyDerivedTables) {
  db_->MarkCollected("users");
  db_->MarkCollected("ca_policies");
  db_->MarkCollected("role_assignments");
  Compute();
  EXPECT_TRUE(db_->Collected("ca_policy_facts"));
  EXPECT_TRUE(db_->Collected("ca_user_coverage"));
  EXPECT_TRUE(db_->Collected("user_roles"));
}

TEST_F(DerivedTest, MalformedListColumnIsAnErrorNamingPolicyAndColumn) {
  AddUser("u1");
  AddAssignment("u1", "user", kGlobalAdmin);  // user_roles is written before the policies fail
  AddPolicy({.id = "bad", .exclude_groups = R"({"not":"a list"})"});
  Status s = ComputeDerivedTables(*db_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(s.error().where, "ca_policies[id=bad].exclude_groups");
  EXPECT_THAT(s.error().message, ::testing::HasSubstr("expected a JSON array of strings"));
  EXPECT_FALSE(db_->Collected("ca_policy_facts"));
  EXPECT_FALSE(db_->Collected("ca_user_coverage"));
  EXPECT_FALSE(db_->Collected("user_roles"));
  EXPECT_EQ(One("SELECT count(*) FROM user_roles"), "0");  // rolled back
}

TEST_F(DerivedTest, RunningTwiceGivesTheSameRows) {
  AddUser("u1");
  AddAssignment("u1", "user", kGlobalAdmin);
  AddPolicy({});
  Compute();
  Compute();
  EXPECT_EQ(One("SELECT count(*) FROM ca_policy_facts"), "1");
  EXPECT_EQ(One("SELECT count(*) FROM ca_user_coverage"), "1");
  EXPECT_EQ(One("SELECT count(*) FROM user_roles"), "1");
}

// ---------------------------------------------------------------- user_roles

TEST_F(DerivedTest, UserRolesExpandGroupsAndTakeFlagsFromRoleDefinitions) {
  AddUser("alice");
  AddUser("bob");
  AddUser("carol");
  Exec(
      "INSERT INTO role_definitions (id, template_id, display_name, is_builtin, "
      "is_privileged, is_admin) VALUES ('r1', 'custom-role', 'Custom Role', 0, 1, 0)");
  db_->MarkCollected("role_definitions");
  AddAssignment("alice", "user", "custom-role", "eligible");
  AddAssignment("admins", "group", kGlobalAdmin);  // not in role_definitions: built-in list
  AddAssignment("app-1", "servicePrincipal", kGlobalAdmin);
  AddMember("admins", "bob");
  AddMember("admins", "nested", "group");
  AddMember("nested", "carol");
  AddMember("nested", "bob");              // bob twice through nesting: one row
  AddMember("nested", "admins", "group");  // cycle
  Compute();
  EXPECT_TRUE(db_->Collected("user_roles"));
  EXPECT_THAT(
      Rows("SELECT user_id, user_name, role_template_id, role_name, is_privileged, is_admin, "
           "assignment_kind, via FROM user_roles"),
      UnorderedElementsAre("alice|Name of alice|custom-role|Custom Role|1|0|eligible|direct",
                           std::string("bob|Name of bob|") + kGlobalAdmin +
                               "|Global Administrator|1|1|active|group:admins",
                           std::string("carol|Name of carol|") + kGlobalAdmin +
                               "|Global Administrator|1|1|active|group:admins"));
}

TEST_F(DerivedTest, UserRolesFilledByTheAdapterAreKept) {
  Exec(
      "INSERT INTO user_roles (user_id, user_name, role_template_id, role_name, is_privileged, "
      "is_admin, assignment_kind, via) VALUES ('u9', 'Jane', '', 'Global Administrator', 1, 1, "
      "'active', 'scubagear')");
  db_->MarkCollected("user_roles");
  AddAssignment("alice", "user", kGlobalAdmin);
  Compute();
  EXPECT_THAT(Rows("SELECT user_id, via FROM user_roles"), ElementsAre("u9|scubagear"));
}

TEST_F(DerivedTest, UserRolesAreNotCollectedWithoutRoleAssignments) {
  AddUser("u1");
  Compute();
  EXPECT_FALSE(db_->Collected("user_roles"));
  EXPECT_THAT(Rows("SELECT * FROM user_roles"), IsEmpty());
}

}  // namespace
}  // namespace securescore::evidence
