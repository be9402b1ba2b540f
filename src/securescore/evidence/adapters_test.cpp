// The adapters on fixture text, without the loader: each source object mapped on its own.
#include "securescore/evidence/adapters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "securescore/evidence/adapters_internal.h"
#include "securescore/evidence/evidence_test_util.h"
#include "securescore/evidence/json_util.h"

namespace securescore::evidence {
namespace {

using testing::Count;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::One;
using testing::ReadFile;
using testing::Rows;

std::unique_ptr<EvidenceDb> NewDb() {
  Result<std::unique_ptr<EvidenceDb>> db = EvidenceDb::Create();
  EXPECT_TRUE(db.ok());
  return std::move(*db);
}

std::string FixtureRaw() {
  std::string results = ReadFile(testing::ScubaResultsPath());
  simdjson::dom::parser parser;
  return simdjson::minify(parser.parse(results.substr(3)).value()["Raw"]);
}

TEST(EvidenceDb, CreatesEveryTableEmptyAndUncollected) {
  std::unique_ptr<EvidenceDb> db = NewDb();
  for (const TableDecl& table : EvidenceTables()) {
    EXPECT_EQ(Count(*db, std::string(table.name)), 0) << table.name;
    EXPECT_FALSE(db->Collected(table.name));
  }
  db->MarkCollected("users");
  EXPECT_TRUE(db->Collected("users"));
  Status bad = db->Exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("no such table"));
}

TEST(ScubaGearAdapter, MapsTheFixtureExport) {
  std::unique_ptr<EvidenceDb> db = NewDb();
  Status s = MapSourceJson(SourceKind::kScubaGear, FixtureRaw(), *db);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(Count(*db, "ca_policies"), 7);
  EXPECT_EQ(Count(*db, "user_roles"), 13);
  EXPECT_EQ(Count(*db, "exo_accepted_domains"), 7);
  EXPECT_EQ(One(*db, "SELECT raw FROM scubagear_raw WHERE key = 'tenant_id'"),
            "\"3c19c757-3b55-411f-b03f-2bcc514a598d\"");
  EXPECT_EQ(One(*db, "SELECT raw FROM scubagear_raw WHERE key = 'aad_unsuccessful_commands'"),
            "[]");
  // Every settings table ScubaGear names in schema.cpp that this export has is collected.
  for (std::string_view table :
       {"exo_org_config", "exo_remote_domains", "exo_spf_records", "exo_dkim_config",
        "exo_transport_config", "mdo_atp_policy", "mdo_anti_phish_policies",
        "mdo_connection_filter", "spo_tenant", "teams_federation", "teams_client_config",
        "teams_app_policies", "pp_environment_creation", "pp_dlp_policies",
        "pp_tenant_isolation"}) {
    EXPECT_TRUE(db->Collected(table)) << table;
    EXPECT_GE(Count(*db, std::string(table)), 1) << table;
  }
}

TEST(ScubaGearAdapter, PrivilegedUsersBecomeUserRoles) {
  std::unique_ptr<EvidenceDb> db = NewDb();
  Status s = MapSourceJson(SourceKind::kScubaGear, R"({"privileged_users": {
      "u1": {"DisplayName": "Ann", "roles": ["Global Administrator", "Teams Administrator",
                                             "Global Administrator"]}}})",
                           *db);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_THAT(Rows(*db, "SELECT * FROM user_roles ORDER BY role_name"),
              ElementsAre("u1|Ann|62e90394-69f5-4237-9190-012177145e10|Global Administrator|1|1|"
                          "active|scubagear",
                          "u1|Ann||Teams Administrator|0|0|active|scubagear"));
  EXPECT_TRUE(db->Collected("user_roles"));
  EXPECT_FALSE(db->Collected("role_assignments"));
}

TEST(GraphAdapter, VersionPrefixesAndQueryStringsAreIgnored) {
  std::unique_ptr<EvidenceDb> db = NewDb();
  Status s = MapSourceJson(SourceKind::kGraph,
                           R"({"/v1.0/users?$select=id": [{"id": "u1"}],
                               "beta/domains": [{"id": "x.com"}]})",
                           *db);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(One(*db, "SELECT id FROM users"), "u1");
  EXPECT_EQ(One(*db, "SELECT id FROM domains"), "x.com");
}

TEST(GraphAdapter, LatestSecureScoreWins) {
  std::unique_ptr<EvidenceDb> db = NewDb();
  Status s = MapSourceJson(SourceKind::kGraph, R"({"security/secureScores": [
      {"createdDateTime": "2026-01-01T00:00:00Z", "controlScores": [
          {"controlName": "old", "controlCategory": "Identity", "score": 1}]},
      {"createdDateTime": "2026-01-02T00:00:00Z", "controlScores": [
          {"controlName": "AdminMFAV2", "controlCategory": "Identity", "score": 7.5,
           "count": "3", "total": "4", "implementationStatus": "3 of 4 admins"}]}]})",
                           *db);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(One(*db, "SELECT * FROM ms_control_scores"),
            "AdminMFAV2|Identity|7.5|3|4|3 of 4 admins");
}

TEST(GraphAdapter, ErrorsCarryThePointerInsideTheSource) {
  std::unique_ptr<EvidenceDb> db = NewDb();
  Status s = MapSourceJson(SourceKind::kGraph,
                           R"({"users": [{"id": "u1"}, {"id": "u2", "accountEnabled": []}]})", *db);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(s.error().where, "source: /users/1/accountEnabled");
  EXPECT_EQ(s.error().message, "expected a boolean, got array");
}

TEST(SettingsRoutes, ComeFromTheSchemaSourcesText) {
  EXPECT_EQ(internal::SettingsTableFor("powershell", "Get-OwaMailboxPolicy"),
            "exo_owa_mailbox_policies");
  EXPECT_EQ(internal::SettingsTableFor("powershell", "get-safelinkspolicy"),
            "mdo_safe_links_policies");
  EXPECT_EQ(internal::SettingsTableFor("powershell", "Get-EXOMailbox"), "exo_mailboxes");
  EXPECT_EQ(internal::SettingsTableFor("scubagear", "SPO_tenant"), "spo_tenant");
  EXPECT_EQ(internal::SettingsTableFor("scubagear", "hosted_content_filter_policies"),
            "mdo_content_filter_policies");
  EXPECT_EQ(internal::SettingsTableFor("scubagear", "privileged_users"), "");
  EXPECT_EQ(internal::SettingsTableFor("powershell", "org_config"), "");
}

TEST(JsonUtil, NormalizeDate) {
  std::string out;
  NormalizeDate("/Date(1647536088205)/", out);
  EXPECT_EQ(out, "2022-03-17T16:54:48.205Z");
  NormalizeDate("/Date(1613679244000)/", out);
  EXPECT_EQ(out, "2021-02-18T20:14:04Z");
  NormalizeDate("/Date(0+0100)/", out);
  EXPECT_EQ(out, "1970-01-01T00:00:00Z");
  NormalizeDate("/Date(-1000)/", out);
  EXPECT_EQ(out, "1969-12-31T23:59:59Z");
  NormalizeDate("2026-01-01T00:00:00Z", out);
  EXPECT_EQ(out, "2026-01-01T00:00:00Z");
  NormalizeDate("/Date(12x)/", out);
  EXPECT_EQ(out, "/Date(12x)/");
  NormalizeDate("/Date(99999999999999999999)/", out);
  EXPECT_EQ(out, "/Date(99999999999999999999)/");
}

TEST(JsonUtil, KeyIsIgnoresAsciiCase) {
  EXPECT_TRUE(KeyIs("displayName", "DisplayName"));
  EXPECT_TRUE(KeyIs("DISPLAYNAME", "displayname"));
  EXPECT_FALSE(KeyIs("displayName", "displayNam"));
  EXPECT_FALSE(KeyIs("id", "ix"));
}

TEST(JsonUtil, FirstInvalidUtf8) {
  EXPECT_EQ(FirstInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("ab\xC3\x28"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("ab\xC0\x80"), 2u);     // overlong NUL
  EXPECT_EQ(FirstInvalidUtf8("x\xED\xA0\x80"), 1u);  // surrogate
  EXPECT_EQ(FirstInvalidUtf8("xy\xF0\x9F"), 2u);     // truncated
  EXPECT_EQ(LineColumn("ab\ncd", 4), "line 2, column 2");
}

TEST(JsonUtil, MinifyKeepsTokens) {
  std::string out;
  MinifyJson("{ \"a\" : [ 1.50 , \"x y\" ] }", out);
  EXPECT_EQ(out, R"({"a":[1.50,"x y"]})");
}

}  // namespace
}  // namespace securescore::evidence
