#include "securescore/catalog/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "securescore/catalog/docs.h"
#include "securescore/catalog/parse.h"

namespace securescore::catalog {
namespace {

using ::testing::HasSubstr;

constexpr const char* kGood = R"(id: GoodControl
title: Members registered for MFA
category: Identity
service: AzureAD
max_points: 9
tier: Core
user_impact: Low
implementation_cost: Low
action_type: Config
threats: [Account breach]
scoring: per_entity
population: Member users.
description: d
remediation: r
frameworks:
  scuba: [MS.AAD.3.1v1]
  cis: ["1.1.1"]
evidence:
  - level: entity
    requires: [user_registration]
    sql: |
      SELECT user_id AS entity_id, user_principal_name AS entity_name, 'user' AS entity_type,
             is_mfa_registered AS compliant, 'r' AS reason
      FROM user_registration
tests:
  - name: ok
    sources:
      graph:
        x: {quoted: '12', plain: 12, real: 1.5, yes: true, nothing: ~, text: hello}
        block: |
          7
    expect: {status: completed, points: 9, count: 1, total: 1, level: entity}
  - name: bad
    sources: {graph: {}}
    expect: {status: to_address, points: 0}
  - name: some
    sources: {graph: {}}
    expect: {status: partial, points: 4.5}
)";

std::vector<Diagnostic> Errors(const LoadReport& report) {
  std::vector<Diagnostic> errors;
  for (const auto& d : report.diagnostics()) {
    if (d.severity == Severity::kError) errors.push_back(d);
  }
  return errors;
}

TEST(ParseControl, ReadsEveryField) {
  LoadReport report;
  auto c = ParseControl("catalog/controls/Identity/GoodControl.yaml", kGood, report);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(report.diagnostics().size(), 0u) << report.ToText();
  EXPECT_EQ(c->id, "GoodControl");
  EXPECT_EQ(c->category, "Identity");
  EXPECT_EQ(c->max_points, 9);
  EXPECT_EQ(c->scoring, core::ScoringKind::kPerEntity);
  EXPECT_EQ(c->when_empty, core::WhenEmpty::kFull);
  EXPECT_EQ(c->scuba_ids, std::vector<std::string>{"MS.AAD.3.1v1"});
  EXPECT_EQ(c->cis_ids, std::vector<std::string>{"1.1.1"});
  ASSERT_EQ(c->evidence.size(), 1u);
  EXPECT_EQ(c->evidence[0].required_tables, std::vector<std::string>{"user_registration"});
  EXPECT_EQ(c->evidence[0].line, 19);
  ASSERT_EQ(c->tests.size(), 3u);
  EXPECT_EQ(c->tests[0].expect.count, 1);
  EXPECT_EQ(c->tests[0].expect.level, "entity");
  EXPECT_EQ(c->tests[2].expect.status, core::ControlStatus::kPartial);
  EXPECT_DOUBLE_EQ(c->tests[2].expect.points, 4.5);
}

TEST(ParseControl, ConvertsTestSourcesKeepingYamlTypes) {
  LoadReport report;
  auto c = ParseControl("GoodControl.yaml", kGood, report);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->tests[0].sources_json,
            R"({"graph":{"x":{"quoted":"12","plain":12,"real":1.5,"yes":true,"nothing":null,)"
            R"("text":"hello"},"block":"7\n"}})");
  EXPECT_EQ(c->tests[1].sources_json, R"({"graph":{}})");
}

TEST(ParseControl, ReportsEveryProblemWithItsLine) {
  // Three problems: a bad category (line 3), max_points of 0 (line 5), a malformed SCuBA id
  // (line 15). Loading goes on past each one.
  std::string broken = kGood;
  broken.replace(broken.find("category: Identity"), 18, "category: Identiy");
  broken.replace(broken.find("max_points: 9"), 13, "max_points: 0");
  broken.replace(broken.find("MS.AAD.3.1v1"), 12, "MS.AAD.3.1");
  LoadReport report;
  auto c = ParseControl("GoodControl.yaml", broken, report);
  ASSERT_TRUE(c.has_value());
  auto errors = Errors(report);
  ASSERT_EQ(errors.size(), 3u) << report.ToText();
  EXPECT_EQ(errors[0].code, "bad-enum");
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_THAT(errors[0].message, HasSubstr("Identiy"));
  EXPECT_EQ(errors[1].code, "bad-value");
  EXPECT_EQ(errors[1].line, 5);
  EXPECT_EQ(errors[2].code, "bad-scuba-id");
  EXPECT_EQ(errors[2].line, 16);
  EXPECT_THAT(report.ToText(), HasSubstr("GoodControl.yaml:3: error [bad-enum]"));
  EXPECT_THAT(report.ToJson(), HasSubstr(R"("errors": 3)"));
}

TEST(ParseControl, MissingFieldsAndTestsFailLint) {
  LoadReport report;
  auto c = ParseControl("X.yaml", "id: X\ntitle: t\n", report);
  ASSERT_TRUE(c.has_value());
  auto errors = Errors(report);
  auto has = [&](std::string_view code, std::string_view text) {
    return std::any_of(errors.begin(), errors.end(), [&](const Diagnostic& d) {
      return d.code == code && d.message.find(text) != std::string::npos;
    });
  };
  EXPECT_TRUE(has("missing-field", "`category`"));
  EXPECT_TRUE(has("missing-field", "`max_points`"));
  EXPECT_TRUE(has("missing-field", "`evidence`"));
  EXPECT_TRUE(has("missing-field", "`tests`"));
}

TEST(ParseControl, RequiresCompliantNonCompliantAndPartialCases) {
  std::string only_completed = kGood;
  only_completed.erase(only_completed.find("  - name: bad"));
  LoadReport report;
  auto c = ParseControl("GoodControl.yaml", only_completed, report);
  ASSERT_TRUE(c.has_value());
  auto errors = Errors(report);
  ASSERT_EQ(errors.size(), 2u) << report.ToText();
  EXPECT_EQ(errors[0].code, "missing-test");
  EXPECT_THAT(errors[0].message, HasSubstr("non-compliant"));
  EXPECT_THAT(errors[1].message, HasSubstr("partial"));
}

TEST(ParseControl, IdMustMatchFileNameAndSyntaxErrorsHaveLines) {
  LoadReport report;
  (void)ParseControl("Other.yaml", kGood, report);
  ASSERT_EQ(report.ErrorCount(), 1) << report.ToText();
  EXPECT_EQ(report.diagnostics()[0].code, "id-mismatch");

  LoadReport syntax;
  EXPECT_FALSE(ParseControl("S.yaml", "id: S\nthreats: [a,\ntitle: x\n", syntax).has_value());
  ASSERT_EQ(syntax.ErrorCount(), 1);
  EXPECT_EQ(syntax.diagnostics()[0].code, "yaml-syntax");
  EXPECT_GT(syntax.diagnostics()[0].line, 1);
}

TEST(ParseControl, WarnsAboutUnknownKeys) {
  std::string typo = kGood;
  typo.replace(typo.find("remediation: r"), 14, "remediaton: r\nremediation: r");
  LoadReport report;
  (void)ParseControl("GoodControl.yaml", typo, report);
  EXPECT_EQ(report.ErrorCount(), 0) << report.ToText();
  ASSERT_EQ(report.WarningCount(), 1);
  EXPECT_EQ(report.diagnostics()[0].code, "unknown-field");
}

std::string WithSql(std::string_view sql, std::string_view requires_list = "[user_registration]") {
  std::string text = kGood;
  auto start = text.find("    sql: |");
  auto end = text.find("tests:");
  text.replace(start, end - start, "    sql: " + std::string(sql) + "\n");
  auto req = text.find("[user_registration]");
  text.replace(req, 19, requires_list);
  return text;
}

TEST(LoadCatalog, ChecksSqlAgainstTheEvidenceSchema) {
  std::vector<SourceFile> files = {
      {"a/GoodControl.yaml",
       WithSql("\"SELECT user_id AS entity_id, 1 AS compliant FROM user_registration\"")}};
  LoadReport report;
  Catalog catalog = LoadCatalog(files, {}, report);
  EXPECT_TRUE(catalog.controls.empty());
  ASSERT_EQ(report.ErrorCount(), 1) << report.ToText();
  EXPECT_EQ(report.diagnostics()[0].code, "sql-columns");
  EXPECT_EQ(report.diagnostics()[0].line, 19);

  LoadReport bad_sql;
  (void)LoadCatalog({{"a/GoodControl.yaml", WithSql("\"SELEC 1\"")}}, {}, bad_sql);
  ASSERT_EQ(bad_sql.ErrorCount(), 1) << bad_sql.ToText();
  EXPECT_EQ(bad_sql.diagnostics()[0].code, "sql-prepare");
  EXPECT_THAT(bad_sql.diagnostics()[0].message, HasSubstr("syntax error"));

  LoadReport tables;
  (void)LoadCatalog({{"a/GoodControl.yaml",
                      WithSql("\"SELECT id AS entity_id, id AS entity_name, 'u' AS entity_type, "
                              "1 AS compliant, '' AS reason FROM users\"",
                              "[user_registration, no_such_table]")}},
                    {}, tables);
  ASSERT_EQ(tables.ErrorCount(), 2) << tables.ToText();
  EXPECT_EQ(tables.diagnostics()[0].code, "unknown-table");
  EXPECT_EQ(tables.diagnostics()[1].code, "undeclared-table");
}

TEST(LoadCatalog, OverridesByIdAndVersionFollowsContent) {
  std::vector<SourceFile> base = {{"base/GoodControl.yaml", kGood}};
  LoadReport report;
  Catalog one = LoadCatalog(base, {}, report);
  ASSERT_EQ(one.controls.size(), 1u) << report.ToText();
  EXPECT_THAT(one.version, ::testing::MatchesRegex(R"(1\.1\.[0-9a-f]{8})"));

  std::string changed = kGood;
  changed.replace(changed.find("max_points: 9"), 13, "max_points: 7");
  Catalog two = LoadCatalog(base, {{"dir/GoodControl.yaml", changed}}, report);
  EXPECT_EQ(report.ErrorCount(), 0) << report.ToText();
  ASSERT_EQ(two.controls.size(), 1u);
  EXPECT_EQ(two.controls[0].max_points, 7);
  EXPECT_EQ(two.controls[0].file, "dir/GoodControl.yaml");
  EXPECT_NE(one.version, two.version);
}

TEST(LoadCatalog, DuplicateIdsInOneSetAreErrors) {
  LoadReport report;
  Catalog c =
      LoadCatalog({{"a/GoodControl.yaml", kGood}, {"b/GoodControl.yaml", kGood}}, {}, report);
  ASSERT_EQ(report.ErrorCount(), 1) << report.ToText();
  EXPECT_EQ(report.diagnostics()[0].code, "duplicate-id");
  EXPECT_THAT(report.diagnostics()[0].message, HasSubstr("a/GoodControl.yaml"));
}

TEST(LoadCatalog, ReadCatalogDirNamesAMissingDirectory) {
  auto files = ReadCatalogDir("/nonexistent/catalog");
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().where, "/nonexistent/catalog");
}

TEST(LoadCatalog, TestDataCatalogIsClean) {
  auto files = ReadCatalogDir(SECURESCORE_SOURCE_DIR "/tests/data/catalog");
  ASSERT_TRUE(files.ok());
  LoadReport report;
  Catalog c = LoadCatalog({}, *files, report);
  EXPECT_EQ(report.diagnostics().size(), 0u) << report.ToText();
  EXPECT_EQ(c.controls.size(), files->size());
}

// Every control compiled into the binary loads without errors: a broken control file fails
// the build's tests rather than every `securescore assess`.
TEST(LoadCatalog, EmbeddedCatalogIsClean) {
  LoadReport report;
  Catalog c = LoadCatalog(EmbeddedCatalogSources(), {}, report);
  EXPECT_EQ(report.ErrorCount(), 0) << report.ToText();
  EXPECT_EQ(c.controls.size(), EmbeddedCatalogSources().size());
}

TEST(ControlsDoc, ListsEveryControlUnderItsCategory) {
  LoadReport report;
  Catalog c = LoadCatalog({{"x/GoodControl.yaml", kGood}}, {}, report);
  std::string md = ControlsMarkdown(c);
  EXPECT_THAT(md, HasSubstr("| `GoodControl` | Members registered for MFA | AzureAD | 9 | "
                            "per_entity | entity: user_registration | MS.AAD.3.1v1 |"));
  EXPECT_THAT(md, HasSubstr("| [Identity](#identity) | 1 | 9 |"));
  EXPECT_THAT(md, HasSubstr("## Apps\n\n"));
}

// docs/controls.md is generated from the embedded catalog; a control added or changed without
// regenerating it fails here.
TEST(ControlsDoc, CommittedFileIsUpToDate) {
  std::ifstream in(SECURESCORE_SOURCE_DIR "/docs/controls.md", std::ios::binary);
  std::stringstream committed;
  committed << in.rdbuf();
  LoadReport report;
  Catalog c = LoadCatalog(EmbeddedCatalogSources(), {}, report);
  EXPECT_TRUE(committed.str() == ControlsMarkdown(c))
      << "docs/controls.md is stale: rebuild and run `" << kControlsDocCommand << "`";
}

}  // namespace
}  // namespace securescore::catalog
