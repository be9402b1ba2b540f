#include "securescore/evidence/load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "securescore/evidence/chunked_arrays.h"
#include "securescore/evidence/evidence_test_util.h"
#include "securescore/evidence/load_internal.h"
#include "securescore/evidence/schema.h"

namespace securescore::evidence {
namespace {

using testing::Count;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::One;
using testing::ReadFile;
using testing::Rows;
using testing::ScubaResultsPath;

constexpr char kFixtureTenant[] = "3c19c757-3b55-411f-b03f-2bcc514a598d";

// A scratch directory removed after each test.
class TempDir {
 public:
  TempDir() {
    path_ =
        std::filesystem::temp_directory_path() /
        ("securescore_load_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = (path_ / name).string();
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::string Snapshot(const std::string& sources) {
  return R"({"schema": "securescore.snapshot/1",
             "tenant": {"id": "t-1", "displayName": "Contoso", "industry": "Finance",
                        "licensedUserCount": 1200},
             "collectedAt": "2026-11-30T04:00:00Z",
             "sources": )" +
         sources + "}";
}

LoadedEvidence MustLoad(const std::string& json, const std::string& name = "snapshot.json") {
  Result<LoadedEvidence> loaded = LoadEvidenceJson(json, name);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
  if (!loaded.ok()) std::abort();
  return std::move(*loaded);
}

// The rows of every source (non-derived) table, for comparing two loads.
std::vector<std::string> DumpSourceTables(const EvidenceDb& db, bool with_raw) {
  std::vector<std::string> dump;
  for (const TableDecl& table : EvidenceTables()) {
    if (table.derived) continue;
    std::string columns;
    for (const ColumnDecl& c : table.columns) {
      if (!with_raw && c.name == "raw") continue;
      columns += (columns.empty() ? "" : ", ") + std::string(c.name);
    }
    for (const std::string& row : Rows(db, "SELECT " + columns + " FROM " +
                                               std::string(table.name) + " ORDER BY " + columns)) {
      dump.push_back(std::string(table.name) + ": " + row);
    }
    dump.push_back(std::string(table.name) + (db.Collected(table.name) ? " collected" : " absent"));
  }
  return dump;
}

// Compares two dumps, reporting only the first difference (dumps are thousands of lines).
void ExpectSameRows(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  EXPECT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) {
      ADD_FAILURE() << "first difference at row " << i << ":\n  " << a[i].substr(0, 300) << "\n  "
                    << b[i].substr(0, 300);
      return;
    }
  }
}

// The exact text of the fixture's `Raw` object, as ScubaGear wrote it.
std::string FixtureRawText() {
  simdjson::padded_string results(ReadFile(ScubaResultsPath()).substr(3));
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc = parser.iterate(results);
  simdjson::ondemand::object raw = doc["Raw"].get_object();
  return std::string(std::string_view(raw.raw_json()));
}

// ---------------------------------------------------------------- the real ScubaGear export

TEST(LoadScubaGear, ResultsFileWithByteOrderMarkLoads) {
  ASSERT_EQ(ReadFile(ScubaResultsPath()).substr(0, 3), "\xEF\xBB\xBF");
  Result<LoadedEvidence> loaded = LoadEvidenceFile(ScubaResultsPath());
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  const EvidenceDb& db = *loaded->db;
  EXPECT_EQ(loaded->kind, InputKind::kScubaResults);
  EXPECT_EQ(loaded->tenant.id, kFixtureTenant);
  EXPECT_EQ(loaded->tenant.display_name, "tqhjy");
  EXPECT_EQ(loaded->collected_at, "2026-05-04T17:15:48.307Z");
  EXPECT_EQ(One(db, "SELECT tenant_id, display_name FROM tenant"),
            std::string(kFixtureTenant) + "|tqhjy");

  EXPECT_EQ(Count(db, "ca_policies"), 7);
  EXPECT_EQ(Count(db, "scubagear_raw"), 76);
  EXPECT_EQ(Count(db, "role_definitions"), 8);
  EXPECT_EQ(Count(db, "role_assignments"), 26);
  EXPECT_EQ(Count(db, "domains"), 1);
  EXPECT_EQ(Count(db, "directory_settings"), 17);
  EXPECT_EQ(Count(db, "auth_methods"), 12);
  EXPECT_EQ(Count(db, "authorization_policy"), 1);
  EXPECT_EQ(Count(db, "service_principals"), 1);
  EXPECT_EQ(Count(db, "exo_accepted_domains"), 7);
  EXPECT_EQ(Count(db, "teams_meeting_policies"), 11);
  EXPECT_EQ(Count(db, "mdo_protection_alerts"), 61);
  EXPECT_EQ(Count(db, "purview_dlp_rules"), 15);
  EXPECT_EQ(Count(db, "exo_dmarc_records"), 1);  // a bare object: one row

  // Three privileged users; John Doe's duplicated SharePoint role counts once.
  EXPECT_EQ(One(db, "SELECT count(DISTINCT user_id) FROM user_roles WHERE via = 'scubagear'"), "3");
  EXPECT_EQ(One(db,
                "SELECT count(*) FROM user_roles WHERE user_name = 'John Doe' AND "
                "role_name = 'SharePoint Administrator'"),
            "1");
  EXPECT_EQ(One(db,
                "SELECT role_template_id, is_privileged, is_admin FROM user_roles WHERE "
                "user_name = 'Jane Doe' AND role_name = 'Global Administrator'"),
            "62e90394-69f5-4237-9190-012177145e10|1|1");

  EXPECT_EQ(One(db,
                "SELECT client_app_types, built_in_controls, include_users, state FROM "
                "ca_policies WHERE display_name LIKE 'MS.AAD.1.1v1%'"),
            R"(["exchangeActiveSync","other"]|["block"]|["All"]|enabled)");
  EXPECT_EQ(One(db,
                "SELECT sign_in_frequency_hours, persistent_browser_mode FROM ca_policies "
                "WHERE display_name LIKE 'Live - Session%'"),
            "96.0|never");
  EXPECT_EQ(One(db,
                "SELECT authentication_strength_id, authentication_strength_name FROM "
                "ca_policies WHERE display_name LIKE 'MS.AAD.3.2v1%'"),
            "00000000-0000-0000-0000-000000000002|Multifactor authentication");
  EXPECT_EQ(One(db,
                "SELECT id, is_default, is_initial, authentication_type, "
                "password_validity_days FROM domains"),
            "tqhjy.onmicrosoft.com|1|1|Managed|2147483647");
  EXPECT_EQ(One(db, "SELECT value FROM directory_settings WHERE name = 'EnableGroupCreation'"),
            "False");
  EXPECT_EQ(One(db,
                "SELECT allowed_to_create_apps, allow_invites_from, block_msol_powershell "
                "FROM authorization_policy"),
            "1|adminsAndGuestInviters|0");
  EXPECT_EQ(One(db, "SELECT state FROM auth_methods WHERE method_id = 'Sms'"), "disabled");
  EXPECT_EQ(One(db,
                "SELECT is_privileged, is_admin FROM role_definitions WHERE display_name = "
                "'Hybrid Identity Administrator'"),
            "1|0");
  // .NET dates become ISO 8601.
  EXPECT_EQ(One(db,
                "SELECT count(*) FROM role_assignments WHERE end_at = "
                "'2026-05-13T19:57:38.453Z'"),
            "2");
  // Settings rows keep the object whole.
  EXPECT_EQ(One(db,
                "SELECT identity, name, json_extract(raw, '$.Identity') FROM "
                "teams_meeting_policies WHERE item_index = 0"),
            "Global|Global|Global");
  EXPECT_EQ(One(db, "SELECT json_extract(raw, '$.EnableSafeDocs') FROM mdo_atp_policy"), "1");

  EXPECT_TRUE(db.Collected("ca_policies"));
  EXPECT_TRUE(db.Collected("user_roles"));
  EXPECT_TRUE(db.Collected("tenant"));
  EXPECT_FALSE(db.Collected("users"));  // ScubaGear does not list every user
  EXPECT_FALSE(db.Collected("devices"));
  EXPECT_FALSE(db.Collected("mdo_malware_filter_policies"));  // key absent from this export
  EXPECT_TRUE(db.Collected("exo_outbound_spam_policies") == false);
}

TEST(LoadScubaGear, ProviderExportLoadsLikeTheResultsFile) {
  std::string provider_export = FixtureRawText();
  TempDir dir;
  std::string path = dir.Write("ProviderSettingsExport.json", provider_export);

  Result<LoadedEvidence> from_results = LoadEvidenceFile(ScubaResultsPath());
  Result<LoadedEvidence> from_export = LoadEvidenceFile(path);
  ASSERT_TRUE(from_results.ok()) << from_results.error().ToString();
  ASSERT_TRUE(from_export.ok()) << from_export.error().ToString();
  EXPECT_EQ(from_export->kind, InputKind::kScubaProviderExport);
  EXPECT_EQ(from_export->tenant.id, kFixtureTenant);
  EXPECT_EQ(from_export->collected_at, from_results->collected_at);
  // raw columns are compared too: minified text is the same however the file was indented.
  ExpectSameRows(DumpSourceTables(*from_export->db, true),
                 DumpSourceTables(*from_results->db, true));
}

TEST(LoadScubaGear, SnapshotWrappingTheExportLoadsTheSameRows) {
  std::string snapshot = Snapshot(R"({"scubagear": )" + FixtureRawText() + "}");
  LoadedEvidence wrapped = MustLoad(snapshot);
  Result<LoadedEvidence> direct = LoadEvidenceFile(ScubaResultsPath());
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(wrapped.tenant.id, "t-1");  // the snapshot's own tenant wins
  std::vector<std::string> a = DumpSourceTables(*wrapped.db, true);
  std::vector<std::string> b = DumpSourceTables(*direct->db, true);
  // Only the tenant row differs.
  std::erase_if(a, [](const std::string& r) { return r.starts_with("tenant: "); });
  std::erase_if(b, [](const std::string& r) { return r.starts_with("tenant: "); });
  ExpectSameRows(a, b);
}

// ---------------------------------------------------------------- snapshots

TEST(LoadSnapshot, TenantCollectedAtAndAttestations) {
  LoadedEvidence ev = MustLoad(Snapshot(R"({"attestations": [
      {"control": "mdo_safeattachments", "state": "third_party", "by": "Vendor X gateway",
       "comment": "all mail passes the gateway", "collectedAt": "2026-11-01T00:00:00Z"}]})"));
  EXPECT_EQ(ev.kind, InputKind::kSnapshot);
  EXPECT_EQ(ev.tenant.id, "t-1");
  EXPECT_EQ(ev.tenant.display_name, "Contoso");
  EXPECT_EQ(ev.tenant.industry, "Finance");
  EXPECT_EQ(ev.tenant.licensed_user_count, 1200);
  EXPECT_EQ(ev.collected_at, "2026-11-30T04:00:00Z");
  ASSERT_EQ(ev.attestations.size(), 1u);
  EXPECT_EQ(ev.attestations[0].control, "mdo_safeattachments");
  EXPECT_EQ(ev.attestations[0].state, "third_party");
  EXPECT_EQ(ev.attestations[0].by, "Vendor X gateway");
  EXPECT_EQ(ev.attestations[0].comment, "all mail passes the gateway");
  EXPECT_EQ(One(*ev.db, "SELECT * FROM tenant"), "t-1|Contoso|Finance|1200|2026-11-30T04:00:00Z");
}

TEST(LoadSnapshot, SchemaNeedNotComeFirst) {
  LoadedEvidence ev =
      MustLoad(R"({"sources": {"graph": {"users": []}}, "schema": "securescore.snapshot/1"})");
  EXPECT_EQ(ev.kind, InputKind::kSnapshot);
  EXPECT_TRUE(ev.db->Collected("users"));
}

TEST(LoadSnapshot, AbsentMeansNotCollectedAndEmptyMeansCollected) {
  LoadedEvidence absent = MustLoad(Snapshot(R"({"graph": {}})"));
  LoadedEvidence empty = MustLoad(Snapshot(R"({"graph": {
      "users": [], "identity/conditionalAccess/policies": [], "domains": []},
      "scubagear": {"conditional_access_policies": [], "org_config": []},
      "powershell": {"Get-SafeLinksPolicy": []}})"));
  for (std::string_view table :
       {"users", "ca_policies", "domains", "exo_org_config", "mdo_safe_links_policies"}) {
    EXPECT_FALSE(absent.db->Collected(table)) << table;
    EXPECT_TRUE(empty.db->Collected(table)) << table;
    EXPECT_EQ(Count(*empty.db, std::string(table)), 0) << table;
  }
  EXPECT_FALSE(empty.db->Collected("user_registration"));
  EXPECT_FALSE(empty.db->Collected("devices"));
}

TEST(LoadSnapshot, NullScubaGearKeyIsNotCollectedButNullItemsAreSkipped) {
  LoadedEvidence ev = MustLoad(Snapshot(
      R"({"scubagear": {"org_config": null, "inbound_connectors": [null, {"Identity": "c1"}]}})"));
  EXPECT_FALSE(ev.db->Collected("exo_org_config"));
  EXPECT_TRUE(ev.db->Collected("exo_inbound_connectors"));
  EXPECT_EQ(One(*ev.db, "SELECT item_index, identity FROM exo_inbound_connectors"), "1|c1");
}

TEST(LoadSnapshot, CamelCaseAndPascalCaseGiveIdenticalRows) {
  const std::string camel = Snapshot(R"({"graph": {
    "users": [{"id": "u1", "userPrincipalName": "a@x", "displayName": "A", "userType": "Member",
               "accountEnabled": true, "onPremisesSyncEnabled": null,
               "signInActivity": {"lastSignInDateTime": "2026-11-01T00:00:00Z"},
               "assignedLicenses": [{"skuId": "s"}]}],
    "identity/conditionalAccess/policies": [{"id": "p1", "displayName": "MFA", "state": "enabled",
      "conditions": {"users": {"includeUsers": ["All"], "excludeGroups": ["g1"]},
                     "applications": {"includeApplications": ["All"]},
                     "clientAppTypes": ["all"], "signInRiskLevels": ["high"]},
      "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
      "sessionControls": {"signInFrequency": {"isEnabled": true, "type": "hours", "value": 12}}}],
    "domains": [{"id": "x.com", "isVerified": true, "isDefault": false,
                 "authenticationType": "Federated"}]}})");
  const std::string pascal = Snapshot(R"({"graph": {
    "users": [{"Id": "u1", "UserPrincipalName": "a@x", "DisplayName": "A", "UserType": "Member",
               "AccountEnabled": true, "OnPremisesSyncEnabled": null,
               "SignInActivity": {"LastSignInDateTime": "2026-11-01T00:00:00Z"},
               "AssignedLicenses": [{"SkuId": "s"}]}],
    "identity/conditionalAccess/policies": [{"Id": "p1", "DisplayName": "MFA", "State": "enabled",
      "Conditions": {"Users": {"IncludeUsers": ["All"], "ExcludeGroups": ["g1"]},
                     "Applications": {"IncludeApplications": ["All"]},
                     "ClientAppTypes": ["all"], "SignInRiskLevels": ["high"]},
      "GrantControls": {"Operator": "OR", "BuiltInControls": ["mfa"]},
      "SessionControls": {"SignInFrequency": {"IsEnabled": true, "Type": "hours", "Value": 12}}}],
    "domains": [{"Id": "x.com", "IsVerified": true, "IsDefault": false,
                 "AuthenticationType": "Federated"}]}})");
  LoadedEvidence a = MustLoad(camel);
  LoadedEvidence b = MustLoad(pascal);
  ExpectSameRows(DumpSourceTables(*a.db, false), DumpSourceTables(*b.db, false));
  EXPECT_EQ(One(*a.db, "SELECT * FROM users"), "u1|a@x|A|Member|1|0|∅|2026-11-01T00:00:00Z|∅|∅|1");
  EXPECT_EQ(One(*a.db,
                "SELECT exclude_groups, sign_in_risk_levels, sign_in_frequency_hours, "
                "include_platforms FROM ca_policies"),
            R"(["g1"]|["high"]|12.0|[])");
}

TEST(LoadSnapshot, GraphSourcesFillTheirTables) {
  std::string secure_scores =
      ReadFile(std::string(SECURESCORE_FIXTURES_DIR) + "/graph-securescore/secureScore.json");
  LoadedEvidence ev = MustLoad(Snapshot(R"({"graph": {
    "reports/authenticationMethods/userRegistrationDetails": [
      {"id": "u1", "userPrincipalName": "a@x", "userDisplayName": "A", "userType": "member",
       "isAdmin": false, "isMfaRegistered": true, "isMfaCapable": true,
       "isSsprRegistered": false, "isSsprEnabled": false, "isSsprCapable": false,
       "isPasswordlessCapable": false, "methodsRegistered": ["microsoftAuthenticatorPush", "sms"],
       "defaultMfaMethod": "microsoftAuthenticatorPush"}],
    "deviceManagement/managedDevices": [{"id": "d1", "deviceName": "LAPTOP", "userId": "u1",
       "operatingSystem": "Windows", "complianceState": "compliant", "isEncrypted": true,
       "jailBroken": "Unknown", "managedDeviceOwnerType": "company"}],
    "groups": [{"members": [{"@odata.type": "#microsoft.graph.user", "id": "u1"},
                            {"@odata.type": "#microsoft.graph.group", "id": "g2"}],
                "id": "g1", "displayName": "Admins", "groupTypes": ["Unified"],
                "securityEnabled": false, "isAssignableToRole": true}],
    "groups/g2/members": [{"id": "u2", "userPrincipalName": "b@x"}],
    "roleManagement/directory/roleDefinitions": [
      {"id": "62e90394-69f5-4237-9190-012177145e10",
       "templateId": "62e90394-69f5-4237-9190-012177145e10",
       "displayName": "Global Administrator", "isBuiltIn": true},
      {"id": "c1", "templateId": "c1", "displayName": "Custom Reader", "isBuiltIn": false}],
    "roleManagement/directory/roleAssignments": [
      {"principalId": "u1", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10",
       "directoryScopeId": "/", "principal": {"@odata.type": "#microsoft.graph.user",
                                              "userPrincipalName": "a@x"}},
      {"principalId": "g1", "roleDefinitionId": "c1", "directoryScopeId": "/"}],
    "roleManagement/directory/roleEligibilitySchedules": [
      {"principalId": "u2", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10",
       "scheduleInfo": {"expiration": {"endDateTime": "2027-01-01T00:00:00Z"}}}],
    "directoryRoles": [{"displayName": "Global Administrator",
       "roleTemplateId": "62e90394-69f5-4237-9190-012177145e10",
       "members": [{"@odata.type": "#microsoft.graph.user", "id": "u1"}]}],
    "policies/authorizationPolicy": [{"allowInvitesFrom": "everyone",
       "defaultUserRolePermissions": {"allowedToCreateApps": false}}],
    "policies/adminConsentRequestPolicy": {"isEnabled": true, "notifyReviewers": true,
       "remindersEnabled": false, "requestDurationInDays": 30, "reviewers": [{}, {}]},
    "policies/authenticationMethodsPolicy": {"authenticationMethodConfigurations": [
       {"id": "Fido2", "state": "enabled", "includeTargets": [{"id": "all_users"}]}]},
    "groupSettings": [{"id": "s1", "displayName": "Password Rule Settings",
       "values": [{"name": "EnableBannedPasswordCheck", "value": "True"}]}],
    "servicePrincipals": [{"id": "sp1", "appId": "a1", "displayName": "App",
                           "accountEnabled": true}],
    "security/secureScores": )" + secure_scores +
                                        R"(}})"));
  const EvidenceDb& db = *ev.db;
  EXPECT_EQ(One(db,
                "SELECT user_id, is_mfa_registered, methods, default_method FROM "
                "user_registration"),
            "u1|1|microsoftAuthenticatorPush,sms|microsoftAuthenticatorPush");
  EXPECT_EQ(One(db, "SELECT id, operating_system, is_encrypted, owner_type FROM devices"),
            "d1|Windows|1|company");
  EXPECT_EQ(One(db, "SELECT id, is_unified, security_enabled, is_role_assignable FROM groups"),
            "g1|1|0|1");
  EXPECT_THAT(Rows(db, "SELECT * FROM group_members ORDER BY member_id"),
              ElementsAre("g1|g2|group", "g1|u1|user", "g2|u2|user"));
  EXPECT_EQ(One(db,
                "SELECT is_privileged, is_admin, is_builtin FROM role_definitions WHERE "
                "id = 'c1'"),
            "0|0|0");
  // u1's Global Administrator arrives twice (roleAssignments and directoryRoles): kept once.
  EXPECT_THAT(
      Rows(db,
           "SELECT principal_id, principal_type, role_name, assignment_kind, end_at "
           "FROM role_assignments ORDER BY principal_id"),
      ElementsAre("g1|unknown|Custom Reader|active|", "u1|user|Global Administrator|active|",
                  "u2|unknown|Global Administrator|eligible|2027-01-01T00:00:00Z"));
  EXPECT_EQ(One(db,
                "SELECT allow_invites_from, allowed_to_create_apps FROM "
                "authorization_policy"),
            "everyone|0");
  EXPECT_EQ(One(db, "SELECT * FROM admin_consent_policy"), "1|1|0|30|2");
  EXPECT_EQ(One(db, "SELECT method_id, state, include_targets FROM auth_methods"),
            R"(Fido2|enabled|[{"id":"all_users"}])");
  EXPECT_EQ(One(db, "SELECT display_name, name, value FROM directory_settings"),
            "Password Rule Settings|EnableBannedPasswordCheck|True");
  EXPECT_EQ(One(db, "SELECT * FROM service_principals"), "sp1|a1|App|∅|1");
  // The fixture is Graph's whole response envelope; its one day has 68 controls, 45 with a
  // `count` (given as strings, stored as integers).
  EXPECT_EQ(Count(db, "ms_control_scores"), 68);
  EXPECT_EQ(One(db, "SELECT count(*) FROM ms_control_scores WHERE typeof(count) = 'integer'"),
            "45");
  for (std::string_view table :
       {"user_registration", "devices", "groups", "group_members", "role_definitions",
        "role_assignments", "authorization_policy", "admin_consent_policy", "auth_methods",
        "directory_settings", "service_principals", "ms_control_scores"}) {
    EXPECT_TRUE(db.Collected(table)) << table;
  }
}

TEST(LoadSnapshot, GraphRoleAssignmentsOutrankScubaGearPrivilegedUsers) {
  const std::string scubagear = R"("scubagear": {"privileged_users": {
      "u1": {"DisplayName": "Ann", "roles": ["Global Administrator"]}}})";
  LoadedEvidence alone = MustLoad(Snapshot("{" + scubagear + "}"));
  EXPECT_EQ(One(*alone.db, "SELECT user_id, via FROM user_roles"), "u1|scubagear");
  // With Graph's assignments (which also cover non-privileged admin roles) user_roles is
  // derived from role_assignments, so ScubaGear's partial list does not hide them.
  LoadedEvidence both = MustLoad(Snapshot(R"({"graph": {
      "roleManagement/directory/roleAssignments": [{"principalId": "u2",
        "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "principal": {"@odata.type": "#microsoft.graph.user"}}]}, )" +
                                          scubagear + "}"));
  EXPECT_TRUE(both.db->Collected("user_roles"));
  EXPECT_EQ(One(*both.db, "SELECT count(*) FROM user_roles WHERE via = 'scubagear'"), "0");
  EXPECT_EQ(One(*both.db, "SELECT user_id, role_name, is_admin FROM user_roles"),
            "u2|Helpdesk Administrator|1");
}

TEST(LoadSnapshot, PowerShellCmdletOutputsFillSettingsTables) {
  LoadedEvidence ev = MustLoad(Snapshot(R"({"powershell": {
      "Get-OwaMailboxPolicy": [{"Identity": "OwaMailboxPolicy-Default",
                                "AdditionalStorageProvidersAvailable": false}],
      "Get-SafeLinksPolicy": {"Name": "Built-in", "EnableSafeLinksForEmail": true},
      "Get-Nonsense": []}})"));
  EXPECT_EQ(One(*ev.db,
                "SELECT identity, name, json_extract(raw, "
                "'$.AdditionalStorageProvidersAvailable') FROM exo_owa_mailbox_policies"),
            "OwaMailboxPolicy-Default|OwaMailboxPolicy-Default|0");
  EXPECT_EQ(One(*ev.db, "SELECT identity, name FROM mdo_safe_links_policies"), "Built-in|Built-in");
  EXPECT_THAT(ev.warnings, ElementsAre(HasSubstr("Get-Nonsense")));
}

TEST(LoadSnapshot, UnusedGraphKeysWarn) {
  LoadedEvidence ev = MustLoad(Snapshot(R"({"graph": {"security/alerts": []}})"));
  EXPECT_THAT(ev.warnings, ElementsAre(HasSubstr("security/alerts")));
}

TEST(LoadSnapshot, HugeStringsAreKept) {
  std::string name(8 << 20, 'x');
  LoadedEvidence ev = MustLoad(
      Snapshot(R"({"graph": {"users": [{"id": "u1", "displayName": ")" + name + R"("}]}})"));
  EXPECT_EQ(One(*ev.db, "SELECT length(display_name) FROM users"), std::to_string(name.size()));
}

// Every table, derived ones included, for comparing two loads of the same evidence.
std::vector<std::string> DumpAllTables(const EvidenceDb& db) {
  std::vector<std::string> dump;
  for (const TableDecl& table : EvidenceTables()) {
    for (const std::string& row :
         Rows(db, "SELECT * FROM " + std::string(table.name) + " ORDER BY 1, 2, 3")) {
      dump.push_back(std::string(table.name) + ": " + row);
    }
    dump.push_back(std::string(table.name) + (db.Collected(table.name) ? " collected" : " absent"));
  }
  return dump;
}

TEST(LoadInPieces, GivesTheSameEvidenceAsOnePass) {
  // Enough users, registrations, devices and groups that tiny pieces cut each array many times.
  std::string users, registrations, devices, groups;
  for (int i = 0; i < 300; ++i) {
    std::string id = "\"u" + std::to_string(i) + "\"";
    std::string sep = i ? "," : "";
    users += sep + R"({"id": )" + id + R"(, "displayName": "A \"quoted\" [name] {x}, y",)" +
             R"( "accountEnabled": )" + (i % 3 ? "true" : "false") +
             R"(, "assignedLicenses": [1]})";
    registrations += sep + R"({"id": )" + id + R"(, "isMfaRegistered": )" +
                     (i % 2 ? "true" : "false") + R"(, "methodsRegistered": ["sms"]})";
    devices += sep + R"({"id": "d)" + std::to_string(i) + R"(", "userId": )" + id +
               R"(, "complianceState": "compliant", "isEncrypted": true})";
    groups += sep + R"({"id": "g)" + std::to_string(i) + R"(", "members": [{"id": )" + id +
              R"(, "@odata.type": "#microsoft.graph.user"}]})";
  }
  std::string json = Snapshot(R"({"graph": {"users": [)" + users +
                              R"(], "reports/authenticationMethods/userRegistrationDetails": [)" +
                              registrations + R"(], "deviceManagement/managedDevices": [)" +
                              devices + R"(], "groups": [)" + groups +
                              R"(], "groups/g1/members": [{"id": "u2"}],
      "identity/conditionalAccess/policies": [{"id": "p1", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
                       "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}]}})");
  LoadedEvidence whole = MustLoad(json);
  for (std::size_t piece : {1, 7, 100, 4096}) {
    Result<LoadedEvidence> pieces = LoadEvidenceJsonInPieces(json, "snapshot.json", 1, piece);
    ASSERT_TRUE(pieces.ok()) << pieces.error().ToString();
    EXPECT_EQ(Count(*pieces->db, "users"), 300);
    ExpectSameRows(DumpAllTables(*pieces->db), DumpAllTables(*whole.db));
  }
}

TEST(Skeleton, CutsBigArraysBetweenElementsOnly) {
  std::string text = R"({"sources": {"graph": {"users": [{"n": "a,]\"}"}, {"n": 2}, 3],)"
                     R"( "small": [1], "users2": [1, 2]}}, "other": [[1, 2, 3]]})";
  auto wanted = [](std::string_view source, std::string_view key) {
    return source == "graph" && key.starts_with("users");
  };
  std::optional<Skeleton> skeleton = Skeleton::Build(text, 5, 1, wanted);
  ASSERT_TRUE(skeleton.has_value());
  ASSERT_EQ(skeleton->arrays().size(), 2u);
  const ChunkedArray& users = skeleton->arrays()[0];
  EXPECT_EQ(text.substr(users.begin, users.end - users.begin), R"([{"n": "a,]\"}"}, {"n": 2}, 3])");
  // Only the commas between elements, never those inside strings or nested values.
  ASSERT_EQ(users.cuts.size(), 2u);
  EXPECT_EQ(text.substr(users.cuts[0] - 2, 3), "\"},");
  EXPECT_EQ(text.substr(users.cuts[1] - 1, 3), "}, ");
  std::string_view skeleton_text(skeleton->text().data(), skeleton->text().size());
  EXPECT_EQ(skeleton_text.find("small\": [1]") != std::string_view::npos, true);
  EXPECT_EQ(skeleton_text.find("\"n\""), std::string_view::npos);
  // Offsets after a placeholder map back past the array it replaced.
  std::size_t other = skeleton_text.find("\"other\"");
  EXPECT_EQ(skeleton->ToOriginal(other), text.find("\"other\""));
  EXPECT_EQ(skeleton->ArrayFor("\x01securescore-chunked-array:1"), &skeleton->arrays()[1]);
  EXPECT_EQ(skeleton->ArrayFor("\x01securescore-chunked-array:2"), nullptr);
  EXPECT_EQ(skeleton->ArrayFor("users"), nullptr);
}

TEST(Skeleton, GivesUpOnTextItCannotScan) {
  auto all = [](std::string_view, std::string_view) { return true; };
  EXPECT_FALSE(Skeleton::Build(R"({"sources": {"graph": {"users": [1, 2)", 1, 1, all));
  EXPECT_FALSE(Skeleton::Build(R"({"sources": {"graph": {"users": ["1, 2]}}})", 1, 1, all));
  EXPECT_FALSE(Skeleton::Build(R"({"sources": {"graph": {"users": [1, 2}]}})", 1, 1, all));
  EXPECT_FALSE(Skeleton::Build(R"({"sources": {"graph": {"users": 5}}})", 1, 1, all));
}

// ---------------------------------------------------------------- bad input

struct BadCase {
  std::string label;
  std::string json;
  std::string where;    // expected Error::where
  std::string message;  // substring of the message
};

class LoadBadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(LoadBadInput, FailsWithLocatedInvalidInput) {
  const BadCase& c = GetParam();
  Result<LoadedEvidence> loaded = LoadEvidenceJson(c.json, "snapshot.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(loaded.error().where, c.where);
  EXPECT_THAT(loaded.error().message, HasSubstr(c.message));
  // Parsing the Graph arrays in pieces of a few bytes reports the same error at the same line
  // and column (an error inside a piece may even name the element, where one pass cannot).
  Result<LoadedEvidence> in_pieces = LoadEvidenceJsonInPieces(c.json, "snapshot.json", 1, 8);
  ASSERT_FALSE(in_pieces.ok());
  EXPECT_EQ(in_pieces.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(in_pieces.error().message, loaded.error().message);
  EXPECT_THAT(in_pieces.error().where, ::testing::StartsWith(loaded.error().where));
}

// Nesting deeper than the parser's limit, in a field the loader reads or skips.
std::string Deep(std::string_view key, int depth) {
  return Snapshot(R"({"graph": {")" + std::string(key) + R"(": [{"x": )" + std::string(depth, '[') +
                  std::string(depth, ']') + "}]}}");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LoadBadInput,
    ::testing::Values(
        BadCase{"empty", "", "snapshot.json", "empty"},
        BadCase{"whitespace", " \n\t ", "snapshot.json", "empty"},
        BadCase{"truncated",
                R"({"schema": "securescore.snapshot/1", "sources": {"graph": {"users": [)"
                R"({"id": "u1"}, {"id": "u2", )"
                "\n",
                "snapshot.json", "truncated file?) (at line 1, column 96)"},
        BadCase{"truncated_in_string",
                R"({"schema": "securescore.snapshot/1", "sources": {"graph": {"users": [)"
                R"({"id": "u1"}, {"id": "u)",
                "snapshot.json", "a string is not closed"},
        BadCase{"missing_comma",
                Snapshot(R"({"graph": {"users": [{"id": "u1" "displayName": "A"}]}})"),
                "snapshot.json: /sources/graph/users/0", "malformed JSON"},
        BadCase{"bad_literal", Snapshot(R"({"graph": {"users": [{"accountEnabled": tru}]}})"),
                "snapshot.json: /sources/graph/users/0/accountEnabled", "expected `true`"},
        BadCase{"bad_number", Snapshot(R"({"graph": {"users": [{"id": 12.3.4}]}})"),
                "snapshot.json: /sources/graph/users/0/id", "invalid number"},
        BadCase{"invalid_utf8",
                Snapshot(R"({"graph": {"users": [{"id": "a)"
                         "\xC3\x28"
                         R"("}]}})"),
                "snapshot.json", "invalid UTF-8 (at line 5, column"},
        BadCase{"deep_in_policy", Deep("identity/conditionalAccess/policies", 5000),
                "snapshot.json: /sources/graph/identity~1conditionalAccess~1policies/0",
                "nested too deeply"},
        BadCase{"users_object", Snapshot(R"({"graph": {"users": {"id": "u1"}}})"),
                "snapshot.json: /sources/graph/users",
                "expected an array of user objects, got object"},
        BadCase{"user_string", Snapshot(R"({"graph": {"users": ["u1"]}})"),
                "snapshot.json: /sources/graph/users/0", "expected a user object, got string"},
        BadCase{"enabled_string", Snapshot(R"({"graph": {"users": [{"accountEnabled": "yes"}]}})"),
                "snapshot.json: /sources/graph/users/0/accountEnabled", "expected a boolean"},
        BadCase{"ca_policies_number",
                Snapshot(R"({"graph": {"identity/conditionalAccess/policies": 3}})"),
                "snapshot.json: /sources/graph/identity~1conditionalAccess~1policies",
                "expected an array of conditional-access policy objects, got number"},
        BadCase{
            "ca_policy_broken",
            Snapshot(R"({"graph": {"identity/conditionalAccess/policies": [{}, {"id": nul}]}})"),
            "snapshot.json: /sources/graph/identity~1conditionalAccess~1policies/1",
            "expected `null`"},
        BadCase{"graph_array", Snapshot(R"({"graph": []})"), "snapshot.json: /sources/graph",
                "expected Graph responses keyed by path (an object), got array"},
        BadCase{"scubagear_string", Snapshot(R"({"scubagear": "x"})"),
                "snapshot.json: /sources/scubagear", "got string"},
        BadCase{"unknown_schema", R"({"schema": "securescore.snapshot/2", "sources": {}})",
                "snapshot.json: /schema",
                "unknown schema \"securescore.snapshot/2\", expected securescore.snapshot/1"},
        BadCase{"missing_schema", R"({"sources": {}})", "snapshot.json", "missing \"schema\""},
        BadCase{"not_recognised", R"({"hello": 1})", "snapshot.json", "not a securescore snapshot"},
        BadCase{"top_level_array", "[1, 2]", "snapshot.json",
                "expected a JSON object at the top level, got array"},
        BadCase{"trailing", Snapshot("{}") + " {}", "snapshot.json", "unexpected content"},
        BadCase{"bad_state",
                Snapshot(R"({"attestations": [{"control": "c", "state": "ignored"}]})"),
                "snapshot.json: /sources/attestations/0/state", "unknown state \"ignored\""},
        BadCase{"tenant_count", R"({"schema": "securescore.snapshot/1",
                                    "tenant": {"licensedUserCount": "many"}})",
                "snapshot.json: /tenant/licensedUserCount", "expected a number"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.label; });

// On-Demand parsing checks the structure, strings and UTF-8 of the whole input, but descends
// only into what it reads: a deep value in a field no table uses is skipped, not rejected.
TEST(LoadSnapshot, DeepValueInAnUnreadFieldIsSkipped) {
  LoadedEvidence ev = MustLoad(Deep("users", 5000));
  EXPECT_EQ(Count(*ev.db, "users"), 1);
}

TEST(LoadBadFile, MissingFile) {
  Result<LoadedEvidence> loaded = LoadEvidenceFile("/nonexistent/tenant.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(loaded.error().where, "/nonexistent/tenant.json");
  EXPECT_THAT(loaded.error().message, HasSubstr("does not exist"));
}

TEST(LoadBadFile, Directory) {
  TempDir dir;
  Result<LoadedEvidence> loaded = LoadEvidenceFile(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidInput);
  EXPECT_THAT(loaded.error().ToString(), HasSubstr("is a directory"));
}

TEST(LoadBadFile, EmptyFileAndBomOnly) {
  TempDir dir;
  for (const std::string& content : {std::string(), std::string("\xEF\xBB\xBF")}) {
    std::string path = dir.Write("empty.json", content);
    Result<LoadedEvidence> loaded = LoadEvidenceFile(path);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(loaded.error().where, path);
    EXPECT_THAT(loaded.error().message, HasSubstr("empty"));
  }
}

TEST(LoadBadFile, TruncatedFixtureNamesTheFile) {
  TempDir dir;
  std::string path = dir.Write("ScubaResults.json", ReadFile(ScubaResultsPath()).substr(0, 500000));
  Result<LoadedEvidence> loaded = LoadEvidenceFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidInput);
  EXPECT_THAT(loaded.error().where, ::testing::StartsWith(path));
}

TEST(LoadBom, ByteOrderMarkIsIgnoredInMemoryToo) {
  LoadedEvidence ev = MustLoad("\xEF\xBB\xBF" + Snapshot(R"({"graph": {"users": []}})"));
  EXPECT_TRUE(ev.db->Collected("users"));
}

}  // namespace
}  // namespace securescore::evidence
