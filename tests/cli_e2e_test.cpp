// End-to-end tests of the `securescore` binary: run it as a user would, on small snapshots in
// tests/data and on the real ScubaGear fixture, and check exit codes and the JSON contract of
// DESIGN §4.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kBin = SECURESCORE_BIN;
const std::string kData = SECURESCORE_SOURCE_DIR "/tests/data";
const std::string kFixture =
    SECURESCORE_FIXTURES_DIR "/scubagear/ScubaResults_fa5589b7-d528-4f80.json";

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the binary with `args` (already shell-quoted where needed), capturing both streams.
RunResult Securescore(const std::string& args) {
  // One file per test process: CTest runs these tests in parallel, each in its own process.
  std::string err_file =
      ::testing::TempDir() + "securescore_e2e_stderr_" + std::to_string(getpid()) + ".txt";
  std::string command = kBin + " " + args + " 2>" + err_file;
  RunResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadFile(err_file);
  return r;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Fails the test (with the key named) unless `object` has `key` of the wanted type.
template <typename Check>
void ExpectField(simdjson::dom::object object, const char* key, Check check, const char* type) {
  simdjson::dom::element value;
  ASSERT_EQ(object.at_key(key).get(value), simdjson::SUCCESS) << "missing field " << key;
  EXPECT_TRUE(check(value)) << "field " << key << " is not " << type;
}
bool IsNumber(simdjson::dom::element e) { return e.is_number(); }
bool IsString(simdjson::dom::element e) { return e.is_string(); }
bool IsArray(simdjson::dom::element e) { return e.is_array(); }
bool IsObject(simdjson::dom::element e) { return e.is_object(); }
bool IsInteger(simdjson::dom::element e) { return e.is_int64() || e.is_uint64(); }

// Every field of DESIGN §4, with its JSON type.
void ExpectContract(simdjson::dom::element doc) {
  simdjson::dom::object root;
  ASSERT_EQ(doc.get(root), simdjson::SUCCESS);
  ExpectField(root, "tenant", IsObject, "an object");
  ExpectField(root["tenant"].get_object().value(), "id", IsString, "a string");
  ExpectField(root["tenant"].get_object().value(), "displayName", IsString, "a string");
  ExpectField(root, "collectedAt", IsString, "a string");
  ExpectField(root, "catalogVersion", IsString, "a string");
  ExpectField(root, "score", IsObject, "an object");
  for (const char* k : {"current", "max", "percentage", "measured", "planned"}) {
    ExpectField(root["score"].get_object().value(), k, IsNumber, "a number");
  }
  ExpectField(root, "categories", IsArray, "an array");
  std::vector<std::string> names;
  for (auto c : root["categories"].get_array()) {
    simdjson::dom::object cat = c.get_object().value();
    ExpectField(cat, "name", IsString, "a string");
    for (const char* k : {"current", "max", "percentage"})
      ExpectField(cat, k, IsNumber, "a number");
    names.emplace_back(std::string_view(cat["name"].get_string().value()));
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"Identity", "Data", "Device", "Apps", "Infrastructure"}));
  ExpectField(root, "controls", IsArray, "an array");
  for (auto c : root["controls"].get_array()) {
    simdjson::dom::object control = c.get_object().value();
    for (const char* k : {"id", "title", "category", "service", "status", "state"}) {
      ExpectField(control, k, IsString, "a string");
    }
    for (const char* k : {"points", "max", "scoreImpact"}) {
      ExpectField(control, k, IsNumber, "a number");
    }
    for (const char* k : {"count", "total"}) ExpectField(control, k, IsInteger, "an integer");
    ExpectField(control, "failing", IsArray, "an array");
    for (auto f : control["failing"].get_array()) {
      simdjson::dom::object finding = f.get_object().value();
      for (const char* k : {"entityId", "entityName", "reason"}) {
        ExpectField(finding, k, IsString, "a string");
      }
    }
  }
  ExpectField(root, "coverage", IsObject, "an object");
  for (const char* k : {"assessed", "notApplicable", "noData", "errors"}) {
    ExpectField(root["coverage"].get_object().value(), k, IsInteger, "an integer");
  }
}

simdjson::dom::object ControlById(simdjson::dom::element doc, std::string_view id) {
  for (auto c : doc["controls"].get_array()) {
    if (c["id"].get_string().value() == id) return c.get_object().value();
  }
  ADD_FAILURE() << "no control " << id << " in the output";
  return {};
}

TEST(AssessFixture, ScubaGearExportMeetsTheJsonContractWithoutErrors) {
  RunResult r = Securescore("assess " + Quote(kFixture) + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.out).get(doc), simdjson::SUCCESS) << r.out;
  ExpectContract(doc);

  EXPECT_EQ(doc["tenant"]["id"].get_string().value(), "3c19c757-3b55-411f-b03f-2bcc514a598d");
  std::set<std::string> ids;
  double points = 0, max = 0;
  int assessed = 0;
  for (auto c : doc["controls"].get_array()) {
    std::string id(std::string_view(c["id"].get_string().value()));
    std::string_view status = c["status"].get_string().value();
    EXPECT_NE(status, "error") << id << ": " << simdjson::to_string(c);
    EXPECT_TRUE(ids.insert(id).second) << "duplicate control " << id;
    points += c["points"].get_double().value();
    max += c["max"].get_double().value();
    if (status != "no_data" && status != "not_applicable" && status != "error") ++assessed;
  }
  EXPECT_GT(ids.size(), 0u);
  EXPECT_EQ(doc["coverage"]["errors"].get_int64().value(), 0);
  EXPECT_EQ(doc["coverage"]["assessed"].get_int64().value(), assessed);
  EXPECT_NEAR(doc["score"]["current"].get_double().value(), points, 1e-9);
  EXPECT_NEAR(doc["score"]["max"].get_double().value(), max, 1e-9);
  EXPECT_THAT(r.err, Not(HasSubstr("error")));
}

class AssessSmall : public ::testing::Test {
 protected:
  RunResult Assess(const std::string& extra) {
    return Securescore("assess " + Quote(kData + "/snapshot-small.json") + " --catalog " +
                       Quote(kData + "/catalog") + " " + extra);
  }
  simdjson::dom::parser parser_;
};

TEST_F(AssessSmall, ScoresTheTestControlsExactly) {
  RunResult r = Assess("--format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element doc;
  ASSERT_EQ(parser_.parse(r.out).get(doc), simdjson::SUCCESS);
  ExpectContract(doc);
  EXPECT_EQ(doc["tenant"]["displayName"].get_string().value(), "Contoso E2E");
  EXPECT_EQ(doc["collectedAt"].get_string().value(), "2026-11-30T04:00:00Z");

  // Members u1, u2 registered, u3 not (the guest is outside the population): 9 × 2 / 3.
  auto mfa = ControlById(doc, "TestMfaRegistration");
  EXPECT_EQ(mfa["status"].get_string().value(), "partial");
  EXPECT_DOUBLE_EQ(mfa["points"].get_double().value(), 9.0 * 2 / 3);
  EXPECT_EQ(mfa["count"].get_int64().value(), 2);
  EXPECT_EQ(mfa["total"].get_int64().value(), 3);
  EXPECT_EQ(mfa["evidenceLevel"].get_string().value(), "entity");
  auto failing = mfa["failing"].get_array().value();
  ASSERT_EQ(failing.size(), 1u);
  EXPECT_EQ(failing.at(0)["entityId"].get_string().value(), "u3");
  EXPECT_EQ(failing.at(0)["entityName"].get_string().value(), "cy@contoso.example");

  // No role assignments collected: the second evidence alternative is used.
  auto admins = ControlById(doc, "TestAdminMfaRegistration");
  EXPECT_EQ(admins["evidenceLevel"].get_string().value(), "report");
  EXPECT_DOUBLE_EQ(admins["points"].get_double().value(), 3);

  // Failing on the evidence, but attested as covered by a third party in the snapshot.
  auto apps = ControlById(doc, "TestUserAppCreation");
  EXPECT_EQ(apps["status"].get_string().value(), "to_address");
  EXPECT_EQ(apps["state"].get_string().value(), "third_party");
  EXPECT_DOUBLE_EQ(apps["points"].get_double().value(), 4);
  EXPECT_DOUBLE_EQ(apps["measuredPoints"].get_double().value(), 0);
}

TEST_F(AssessSmall, StatesAndExceptionsFromTheCommandLine) {
  RunResult r = Assess(
      "--format json --state TestUserAppCreation=risk_accepted --exception TestMfaRegistration=u3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element doc;
  ASSERT_EQ(parser_.parse(r.out).get(doc), simdjson::SUCCESS);
  auto apps = ControlById(doc, "TestUserAppCreation");
  EXPECT_EQ(apps["state"].get_string().value(),
            "risk_accepted");  // the option beats the attestation
  EXPECT_DOUBLE_EQ(apps["points"].get_double().value(), 0);
  auto mfa = ControlById(doc, "TestMfaRegistration");
  EXPECT_EQ(mfa["status"].get_string().value(), "completed");
  EXPECT_EQ(mfa["total"].get_int64().value(), 2);
  EXPECT_EQ(mfa["excepted"].get_array().value().size(), 1u);
}

TEST_F(AssessSmall, ExplainShowsEntitiesArithmeticAndState) {
  RunResult r = Assess("--explain TestMfaRegistration");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("9 × 2 / 3 = 6.00"));
  EXPECT_THAT(r.out, HasSubstr("cy@contoso.example"));
  EXPECT_THAT(r.out, HasSubstr("no strong method registered"));
  EXPECT_THAT(r.out, HasSubstr("PASS"));
  EXPECT_THAT(r.out, HasSubstr("level 'entity'"));

  RunResult attested = Assess("--explain TestUserAppCreation");
  EXPECT_THAT(attested.out, HasSubstr("third_party (attested in the snapshot by Vendor X"));
  EXPECT_THAT(attested.out, HasSubstr("binary: 0 of 1 compliant → 0"));
}

TEST_F(AssessSmall, PeopleFormatsHaveNoColourWhenPiped) {
  RunResult table = Assess("");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("Contoso E2E"));
  EXPECT_THAT(table.out, HasSubstr("ACTIONS BY SCORE IMPACT"));
  EXPECT_THAT(table.out, HasSubstr("COVERAGE"));
  EXPECT_THAT(table.out, Not(HasSubstr("\x1b[")));

  RunResult csv = Assess("--format csv");
  EXPECT_EQ(csv.out.rfind("id,title,category,service,status,state,points,max,", 0), 0u);
  EXPECT_THAT(csv.out, HasSubstr("TestMfaRegistration,Test - members registered for MFA,Identity,"
                                 "AzureAD,partial,to_address,6.00,9.00,2,3,"));
  RunResult md = Assess("--format markdown");
  EXPECT_THAT(md.out, HasSubstr("# Secure Score: Contoso E2E"));
  EXPECT_THAT(md.out, HasSubstr("| `TestMfaRegistration` |"));
}

TEST_F(AssessSmall, MinScoreGatesWithExitThree) {
  RunResult below = Assess("--format json --min-score 100");
  EXPECT_EQ(below.exit_code, 3) << below.err;
  EXPECT_THAT(below.err, HasSubstr("below --min-score 100"));
  EXPECT_FALSE(below.out.empty());  // the report is still printed
  EXPECT_EQ(Assess("--format json --min-score 0").exit_code, 0);
}

TEST(AssessBadInput, ExitsTwoNamingTheProblem) {
  RunResult missing = Securescore("assess " + Quote(kData + "/no-such-file.json"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no-such-file.json"));

  RunResult malformed = Securescore("assess " + Quote(kData + "/malformed.json"));
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_THAT(malformed.err, HasSubstr("malformed.json"));
  EXPECT_TRUE(malformed.out.empty());  // never a partial evaluation

  EXPECT_EQ(Securescore("assess " + Quote(kFixture) + " --format yaml").exit_code, 2);
  EXPECT_EQ(Securescore("assess").exit_code, 2);
  EXPECT_EQ(Securescore("no-such-command").exit_code, 2);

  RunResult explain = Securescore("assess " + Quote(kFixture) + " --explain NoSuchControl");
  EXPECT_EQ(explain.exit_code, 2);
  EXPECT_THAT(explain.err, HasSubstr("NoSuchControl"));

  RunResult state = Securescore("assess " + Quote(kData + "/snapshot-small.json") + " --catalog " +
                                Quote(kData + "/catalog") + " --state TestMfaRegistration=maybe");
  EXPECT_EQ(state.exit_code, 2);
  EXPECT_THAT(state.err, HasSubstr("'maybe' is not a state"));

  RunResult catalog_dir = Securescore("assess " + Quote(kFixture) + " --catalog /no/such/dir");
  EXPECT_EQ(catalog_dir.exit_code, 2);
  EXPECT_THAT(catalog_dir.err, HasSubstr("/no/such/dir"));

  RunResult broken =
      Securescore("assess " + Quote(kFixture) + " --catalog " + Quote(kData + "/broken-catalog"));
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_THAT(broken.err, HasSubstr("TestBroken.yaml:6"));
}

TEST(AssessErrors, AFailingQueryIsReportedLoudlyAndLeftOut) {
  RunResult r = Securescore("assess " + Quote(kData + "/snapshot-small.json") + " --catalog " +
                            Quote(kData + "/error-catalog") + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.out).get(doc), simdjson::SUCCESS);
  auto c = ControlById(doc, "TestRuntimeError");
  EXPECT_EQ(c["status"].get_string().value(), "error");
  EXPECT_DOUBLE_EQ(c["max"].get_double().value(), 0);
  EXPECT_THAT(std::string(std::string_view(c["error"].get_string().value())),
              HasSubstr("expected 0 or 1"));
  EXPECT_GE(doc["coverage"]["errors"].get_int64().value(), 1);
  EXPECT_THAT(r.err, HasSubstr("TestRuntimeError failed"));

  RunResult table = Securescore("assess " + Quote(kData + "/snapshot-small.json") + " --catalog " +
                                Quote(kData + "/error-catalog"));
  EXPECT_THAT(table.out, HasSubstr("ERRORS"));
}

TEST(CatalogCommand, LintPassesTheTestCatalogAndReportsEveryProblemOfABrokenOne) {
  RunResult good = Securescore("catalog lint " + Quote(kData + "/catalog"));
  EXPECT_EQ(good.exit_code, 0) << good.out;
  EXPECT_THAT(good.out, HasSubstr("0 error(s)"));
  EXPECT_THAT(good.out, HasSubstr("10 of 10 test case(s) passed"));

  RunResult bad = Securescore("catalog lint " + Quote(kData + "/broken-catalog"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.out, HasSubstr("TestBroken.yaml:6: error [bad-enum]"));
  EXPECT_THAT(bad.out, HasSubstr("TestBroken.yaml:8: error [bad-value]"));
  EXPECT_THAT(bad.out, HasSubstr("TestBroken.yaml:17: error [sql-columns]"));
  EXPECT_THAT(bad.out, HasSubstr("3 error(s)"));

  RunResult json =
      Securescore("catalog lint " + Quote(kData + "/broken-catalog") + " --format json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json.out).get(doc), simdjson::SUCCESS) << json.out;
  EXPECT_EQ(doc["errors"].get_int64().value(), 3);
  EXPECT_EQ(doc["diagnostics"].get_array().value().size(), 3u);
}

TEST(CatalogCommand, ListAndShow) {
  RunResult list = Securescore("catalog list --format json --catalog " + Quote(kData + "/catalog"));
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("\"id\": \"TestMfaRegistration\""));
  RunResult show =
      Securescore("catalog show TestAdminMfaRegistration --catalog " + Quote(kData + "/catalog"));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("evidence 'report' (requires user_registration)"));
  EXPECT_THAT(show.out, HasSubstr("FROM user_registration"));
  EXPECT_EQ(Securescore("catalog show NoSuchControl").exit_code, 2);
}

TEST(DocsCommand, PrintsTheGeneratedReferences) {
  RunResult tables = Securescore("docs evidence-tables");
  ASSERT_EQ(tables.exit_code, 0);
  EXPECT_THAT(tables.out, HasSubstr("# Evidence tables"));
  EXPECT_THAT(tables.out, HasSubstr("## user_registration"));
  // docs/controls.md's freshness is checked by the catalog tests; here, that the command
  // prints the catalog it is given.
  RunResult controls = Securescore("docs controls --catalog " + Quote(kData + "/catalog"));
  ASSERT_EQ(controls.exit_code, 0);
  EXPECT_EQ(controls.out.rfind("# Controls\n", 0), 0u);
  EXPECT_THAT(controls.out, HasSubstr("| `TestUserAppCreation` | Test - users cannot register "
                                      "applications | AzureAD | 4 | binary | tenant: "
                                      "authorization_policy | MS.AAD.5.1v1 |"));
}

}  // namespace
