#include "securescore/generate/generate.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <cstdio>
#include <regex>
#include <set>
#include <string>

#include "securescore/evidence/load.h"
#include "securescore/evidence/schema.h"

namespace securescore::generate {
namespace {

GenerateOptions Options(std::uint64_t users, std::uint64_t seed = 1,
                        Profile profile = Profile::kTypical) {
  GenerateOptions options;
  options.users = users;
  options.seed = seed;
  options.profile = profile;
  return options;
}

std::string Generate(const GenerateOptions& options) {
  Result<std::string> json = GenerateSnapshotString(options);
  EXPECT_TRUE(json.ok()) << json.error().ToString();
  return json.ok() ? *json : std::string();
}

// The parsed document stays alive with its parser.
struct Parsed {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};

void Parse(const std::string& json, Parsed* parsed) {
  auto result = parsed->parser.parse(json);
  ASSERT_EQ(result.error(), simdjson::SUCCESS) << simdjson::error_message(result.error());
  parsed->root = result.value();
}

simdjson::dom::array Array(simdjson::dom::element root, std::string_view source,
                           std::string_view key) {
  simdjson::dom::array array;
  EXPECT_EQ(root["sources"][source][key].get(array), simdjson::SUCCESS) << source << " " << key;
  return array;
}

TEST(GenerateTest, SameOptionsGiveIdenticalBytes) {
  GenerateOptions options = Options(700, 42, Profile::kWeak);
  const std::string a = Generate(options);
  const std::string b = Generate(options);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

TEST(GenerateTest, DifferentSeedsDiffer) {
  EXPECT_NE(Generate(Options(300, 1)), Generate(Options(300, 2)));
}

TEST(GenerateTest, FileOutputEqualsStringOutput) {
  const GenerateOptions options = Options(3000, 9);
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  ASSERT_TRUE(GenerateSnapshot(options, file).ok());
  std::string from_file;
  std::rewind(file);
  char chunk[65536];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, file)) > 0;) {
    from_file.append(chunk, n);
  }
  std::fclose(file);
  EXPECT_EQ(from_file, Generate(options));
}

TEST(GenerateTest, OutputIsASnapshotWithEveryDeclaredKey) {
  Parsed doc;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(Options(2500, 7)), &doc));
  std::string_view schema;
  ASSERT_EQ(doc.root["schema"].get(schema), simdjson::SUCCESS);
  EXPECT_EQ(schema, "securescore.snapshot/1");
  std::string_view tenant_id, collected_at;
  EXPECT_EQ(doc.root["tenant"]["id"].get(tenant_id), simdjson::SUCCESS);
  EXPECT_EQ(tenant_id.size(), 36u);
  EXPECT_EQ(doc.root["collectedAt"].get(collected_at), simdjson::SUCCESS);
  EXPECT_EQ(collected_at, "2026-11-30T04:00:00Z");

  const std::set<std::string> graph = {"users",
                                       "reports/authenticationMethods/userRegistrationDetails",
                                       "groups",
                                       "roleManagement/directory/roleDefinitions",
                                       "roleManagement/directory/roleAssignments",
                                       "roleManagement/directory/roleEligibilitySchedules",
                                       "identity/conditionalAccess/policies",
                                       "policies/authorizationPolicy",
                                       "groupSettings",
                                       "policies/adminConsentRequestPolicy",
                                       "policies/authenticationMethodsPolicy",
                                       "domains",
                                       "servicePrincipals",
                                       "deviceManagement/managedDevices",
                                       "security/secureScores"};
  const std::set<std::string> scubagear = {"org_config",
                                           "remote_domains",
                                           "accepted_domains",
                                           "spf_records",
                                           "dkim_config",
                                           "dmarc_records",
                                           "transport_config",
                                           "sharing_policy",
                                           "transport_rule",
                                           "inbound_connectors",
                                           "admin_audit_log_config",
                                           "atp_policy_for_o365",
                                           "anti_phish_policies",
                                           "protection_policy_rules",
                                           "atp_policy_rules",
                                           "conn_filter",
                                           "protection_alerts",
                                           "dlp_compliance_policies",
                                           "dlp_compliance_rules",
                                           "SPO_tenant",
                                           "meeting_policies",
                                           "federation_configuration",
                                           "client_configuration",
                                           "app_policies",
                                           "environment_creation",
                                           "dlp_policies",
                                           "tenant_isolation"};
  const std::set<std::string> powershell = {"Get-OwaMailboxPolicy",
                                            "Get-RoleAssignmentPolicy",
                                            "Get-SafeLinksPolicy",
                                            "Get-SafeAttachmentPolicy",
                                            "Get-MalwareFilterPolicy",
                                            "Get-HostedContentFilterPolicy",
                                            "Get-HostedOutboundSpamFilterPolicy",
                                            "Get-LabelPolicy",
                                            "Get-EXOMailbox"};
  for (const auto& [source, keys] : {std::pair{"graph", &graph}, std::pair{"scubagear", &scubagear},
                                     std::pair{"powershell", &powershell}}) {
    simdjson::dom::object object;
    ASSERT_EQ(doc.root["sources"][source].get(object), simdjson::SUCCESS) << source;
    for (const std::string& key : *keys) {
      EXPECT_NE(object[key].error(), simdjson::NO_SUCH_FIELD) << source << " lacks " << key;
    }
  }
}

// Every evidence table that adapters fill must be reachable through at least one of the source
// keys its declaration names, e.g. "graph `users`; ScubaGear `privileged_users`".
TEST(GenerateTest, FillsEveryEvidenceTableThroughADeclaredSourceKey) {
  Parsed doc;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(Options(400, 3)), &doc));
  const std::regex clause(R"((graph|ScubaGear|powershell) `([^`]+)`)");
  for (const auto& table : evidence::EvidenceTables()) {
    if (table.derived || table.name == "tenant") continue;
    const std::string sources(table.sources);
    bool found = false;
    std::vector<std::string> named;
    for (auto it = std::sregex_iterator(sources.begin(), sources.end(), clause);
         it != std::sregex_iterator(); ++it) {
      const std::string source = (*it)[1] == "ScubaGear" ? "scubagear" : std::string((*it)[1]);
      const std::string key = (*it)[2];
      named.push_back(source + ":" + key);
      if (doc.root["sources"][source][key].error() == simdjson::SUCCESS) found = true;
    }
    if (table.name == "scubagear_raw") found = true;  // every ScubaGear key feeds it
    EXPECT_TRUE(found) << table.name << " has none of its sources (" << sources << ")";
  }
}

// The loader is the generator's real consumer: every table, derived ones included, must come
// out collected and non-empty, with no loader warnings about the input.
TEST(GenerateTest, LoaderFillsEveryEvidenceTable) {
  for (Profile profile : {Profile::kWeak, Profile::kTypical, Profile::kStrong}) {
    const std::string json = Generate(Options(1500, 8, profile));
    auto loaded = evidence::LoadEvidenceJson(json, "generated");
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    EXPECT_TRUE(loaded->warnings.empty()) << ProfileName(profile) << ": " << loaded->warnings[0];
    EXPECT_EQ(loaded->tenant.licensed_user_count, 1500);
    for (const auto& table : evidence::EvidenceTables()) {
      if (!table.derived) {
        EXPECT_TRUE(loaded->db->Collected(table.name)) << table.name;
      }
      const std::string sql = fmt::format("SELECT count(*) FROM {}", table.name);
      sqlite3_stmt* stmt = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(loaded->db->handle(), sql.c_str(), -1, &stmt, nullptr),
                SQLITE_OK);
      ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
      const std::int64_t rows = sqlite3_column_int64(stmt, 0);
      sqlite3_finalize(stmt);
      // Collected but empty by design: weak tenants have no preset security policies and no
      // sensitivity labels; strong ones no partner connector.
      const std::set<std::string_view> may_be_empty =
          profile == Profile::kWeak
              ? std::set<std::string_view>{"mdo_protection_policy_rules", "mdo_atp_policy_rules",
                                           "purview_label_policies"}
          : profile == Profile::kStrong ? std::set<std::string_view>{"exo_inbound_connectors"}
                                        : std::set<std::string_view>{};
      if (may_be_empty.count(table.name)) continue;
      EXPECT_GT(rows, 0) << ProfileName(profile) << ": " << table.name << " is empty";
    }
  }
}

TEST(GenerateTest, SizesFollowOptions) {
  GenerateOptions options = Options(1234, 5);
  options.devices = 321;
  Parsed doc;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(options), &doc));
  EXPECT_EQ(Array(doc.root, "graph", "users").size(), 1234u);
  EXPECT_EQ(
      Array(doc.root, "graph", "reports/authenticationMethods/userRegistrationDetails").size(),
      1234u);
  EXPECT_EQ(Array(doc.root, "graph", "deviceManagement/managedDevices").size(), 321u);

  Parsed defaults;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(Options(1000)), &defaults));
  EXPECT_EQ(Array(defaults.root, "graph", "deviceManagement/managedDevices").size(), 800u);
}

TEST(GenerateTest, UserPrincipalNamesAndIdsAreUnique) {
  // More users than name combinations, so numbered names are exercised too.
  Parsed doc;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(Options(30000, 11)), &doc));
  std::set<std::string_view> upns, ids;
  for (simdjson::dom::element user : Array(doc.root, "graph", "users")) {
    upns.insert(std::string_view(user["userPrincipalName"]));
    ids.insert(std::string_view(user["id"]));
  }
  EXPECT_EQ(upns.size(), 30000u);
  EXPECT_EQ(ids.size(), 30000u);
}

double MfaRegisteredRatio(Profile profile) {
  Parsed doc;
  Parse(Generate(Options(8000, 21, profile)), &doc);
  std::uint64_t registered = 0, total = 0;
  for (simdjson::dom::element r :
       Array(doc.root, "graph", "reports/authenticationMethods/userRegistrationDetails")) {
    registered += bool(r["isMfaRegistered"]) ? 1 : 0;
    ++total;
  }
  return static_cast<double>(registered) / static_cast<double>(total);
}

TEST(GenerateTest, ProfilesShiftMfaRegistration) {
  const double weak = MfaRegisteredRatio(Profile::kWeak);
  const double typical = MfaRegisteredRatio(Profile::kTypical);
  const double strong = MfaRegisteredRatio(Profile::kStrong);
  EXPECT_NEAR(weak, 0.25, 0.05);
  EXPECT_NEAR(typical, 0.68, 0.06);
  EXPECT_NEAR(strong, 0.96, 0.03);
}

TEST(GenerateTest, AdminsAreFewWithSeveralGlobalAdminsAndBreakGlassExcludedFromMfaPolicy) {
  Parsed doc;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(Options(20000, 4)), &doc));
  std::uint64_t admins = 0;
  for (simdjson::dom::element r :
       Array(doc.root, "graph", "reports/authenticationMethods/userRegistrationDetails")) {
    admins += bool(r["isAdmin"]) ? 1 : 0;
  }
  EXPECT_GT(admins, 20000u * 3 / 1000);
  EXPECT_LT(admins, 20000u * 10 / 1000);

  std::uint64_t global_admins = 0;
  std::set<std::string_view> principal_types;
  for (auto kind : {"roleManagement/directory/roleAssignments",
                    "roleManagement/directory/roleEligibilitySchedules"}) {
    for (simdjson::dom::element a : Array(doc.root, "graph", kind)) {
      if (std::string_view(a["roleDefinitionId"]) == "62e90394-69f5-4237-9190-012177145e10") {
        ++global_admins;
      }
      principal_types.insert(std::string_view(a["principal"]["@odata.type"]));
    }
  }
  EXPECT_GE(global_admins, 4u);
  EXPECT_EQ(principal_types.size(), 3u);  // user, group and servicePrincipal principals

  const std::string_view break_glass(
      Array(doc.root, "graph", "users").at(0)["id"].get_string().value());
  bool mfa_policy_excludes_break_glass = false;
  for (simdjson::dom::element p : Array(doc.root, "graph", "identity/conditionalAccess/policies")) {
    if (std::string_view(p["displayName"]).find("for all users") == std::string_view::npos)
      continue;
    for (simdjson::dom::element id : p["conditions"]["users"]["excludeUsers"].get_array()) {
      if (std::string_view(id) == break_glass) mfa_policy_excludes_break_glass = true;
    }
  }
  EXPECT_TRUE(mfa_policy_excludes_break_glass);
}

TEST(GenerateTest, NamesAreEscaped) {
  GenerateOptions options = Options(50);
  options.name = "Quote \"Co\" \\ Ltd";
  options.industry = "Finance";
  Parsed doc;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(options), &doc));
  EXPECT_EQ(std::string_view(doc.root["tenant"]["displayName"]), "Quote \"Co\" \\ Ltd");
  EXPECT_EQ(std::string_view(doc.root["tenant"]["industry"]), "Finance");
  std::string_view upn(Array(doc.root, "graph", "users").at(5)["userPrincipalName"]);
  EXPECT_NE(upn.find("@quotecoltd.com"), std::string_view::npos) << upn;
}

TEST(GenerateTest, RejectsBadOptions) {
  EXPECT_FALSE(GenerateSnapshotString(Options(0)).ok());
  EXPECT_EQ(GenerateSnapshotString(Options(0)).error().where, "--users");
  GenerateOptions too_many_devices = Options(10);
  too_many_devices.devices = 51;
  EXPECT_EQ(GenerateSnapshotString(too_many_devices).error().where, "--devices");
  GenerateOptions empty_name = Options(10);
  empty_name.name = "";
  EXPECT_FALSE(GenerateSnapshotString(empty_name).ok());
  EXPECT_FALSE(ParseProfile("medium").ok());
  EXPECT_EQ(*ParseProfile("strong"), Profile::kStrong);
}

TEST(GenerateTest, AreaLevelsOfTheProfilesOwnChangeNothing) {
  const std::pair<Profile, int> profiles[] = {
      {Profile::kWeak, 0}, {Profile::kTypical, 1}, {Profile::kStrong, 2}};
  for (const auto& [profile, level] : profiles) {
    GenerateOptions options = Options(300, 5, profile);
    const std::string plain = Generate(options);
    for (std::optional<int>& area : options.area_hardening) area = level;
    EXPECT_EQ(Generate(options), plain) << ProfileName(profile);
  }
  // Likewise the adoption a profile stands for.
  GenerateOptions weak = Options(300, 5, Profile::kWeak);
  const std::string plain = Generate(weak);
  weak.adoption = 0.0;
  EXPECT_EQ(Generate(weak), plain);
  GenerateOptions typical = Options(300, 5, Profile::kTypical);
  const std::string plain_typical = Generate(typical);
  typical.adoption = 1.0;
  EXPECT_EQ(Generate(typical), plain_typical);
}

TEST(GenerateTest, AnAreaLevelChangesOnlyThatAreasSettings) {
  GenerateOptions options = Options(300, 5, Profile::kWeak);
  Parsed before, after;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(options), &before));
  options.area_hardening[static_cast<std::size_t>(Area::kConditionalAccess)] = 2;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(options), &after));
  auto text = [](const Parsed& doc, std::string_view source, std::string_view key) {
    simdjson::dom::element e;
    EXPECT_EQ(doc.root["sources"][source][key].get(e), simdjson::SUCCESS) << key;
    return simdjson::minify(e);
  };
  EXPECT_NE(text(before, "graph", "identity/conditionalAccess/policies"),
            text(after, "graph", "identity/conditionalAccess/policies"));
  for (std::string_view key :
       {"users", "reports/authenticationMethods/userRegistrationDetails", "groups",
        "policies/authorizationPolicy", "policies/authenticationMethodsPolicy", "domains",
        "deviceManagement/managedDevices"}) {
    EXPECT_EQ(text(before, "graph", key), text(after, "graph", key)) << key;
  }
  EXPECT_EQ(simdjson::minify(before.root["sources"]["scubagear"]),
            simdjson::minify(after.root["sources"]["scubagear"]));
  EXPECT_EQ(simdjson::minify(before.root["sources"]["powershell"]),
            simdjson::minify(after.root["sources"]["powershell"]));
}

std::set<std::string> MfaRegisteredUsers(const GenerateOptions& options) {
  Parsed doc;
  Parse(Generate(options), &doc);
  std::set<std::string> ids;
  for (simdjson::dom::element r :
       Array(doc.root, "graph", "reports/authenticationMethods/userRegistrationDetails")) {
    if (bool(r["isMfaRegistered"])) ids.insert(std::string(std::string_view(r["id"])));
  }
  return ids;
}

TEST(GenerateTest, HigherAdoptionOnlyAddsRegistrations) {
  GenerateOptions options = Options(2000, 9, Profile::kTypical);
  options.adoption = 0.4;
  const std::set<std::string> low = MfaRegisteredUsers(options);
  options.adoption = 1.6;
  const std::set<std::string> high = MfaRegisteredUsers(options);
  EXPECT_GT(high.size(), low.size() + 400);
  for (const std::string& id : low) EXPECT_TRUE(high.count(id)) << id << " unregistered";
}

TEST(GenerateTest, MoreUsersAppendToTheDirectory) {
  Parsed small, large;
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(Options(200, 3)), &small));
  ASSERT_NO_FATAL_FAILURE(Parse(Generate(Options(220, 3)), &large));
  simdjson::dom::array a = Array(small.root, "graph", "users");
  simdjson::dom::array b = Array(large.root, "graph", "users");
  ASSERT_EQ(a.size(), 200u);
  ASSERT_EQ(b.size(), 220u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(simdjson::minify(a.at(i)), simdjson::minify(b.at(i))) << i;
  }
}

TEST(GenerateTest, RejectsBadAreaLevelsAndAdoption) {
  GenerateOptions level = Options(10);
  level.area_hardening[static_cast<std::size_t>(Area::kTeams)] = 3;
  ASSERT_FALSE(GenerateSnapshotString(level).ok());
  EXPECT_EQ(GenerateSnapshotString(level).error().where, "area_hardening");
  EXPECT_NE(GenerateSnapshotString(level).error().message.find("teams"), std::string::npos);
  GenerateOptions adoption = Options(10);
  adoption.adoption = -0.5;
  ASSERT_FALSE(GenerateSnapshotString(adoption).ok());
  EXPECT_EQ(GenerateSnapshotString(adoption).error().where, "adoption");
}

TEST(GenerateTest, ReportsProgressUpToTheTotal) {
  GenerateOptions options = Options(70000);
  options.devices = 0;
  std::uint64_t last_done = 0, last_total = 0, calls = 0;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_GE(done, last_done);
    last_done = done;
    last_total = total;
    ++calls;
  };
  ASSERT_TRUE(GenerateSnapshotString(options).ok());
  EXPECT_GT(calls, 1u);
  EXPECT_EQ(last_done, 140000u);
  EXPECT_EQ(last_total, 140000u);
}

}  // namespace
}  // namespace securescore::generate
