#include "securescore/engine/evaluate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace securescore::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kRegistrationSql =
    "SELECT user_id AS entity_id, user_principal_name AS entity_name, 'user' AS entity_type, "
    "is_mfa_registered AS compliant, CASE WHEN is_mfa_registered = 1 THEN 'registered' ELSE "
    "'not registered' END AS reason FROM user_registration";

catalog::EvidenceAlternative Alt(std::string level, std::vector<std::string> tables,
                                 std::string sql, std::string note = {}) {
  return {std::move(level), std::move(tables), std::move(sql), std::move(note), 0};
}

catalog::Control MakeControl(std::string id, std::vector<catalog::EvidenceAlternative> evidence,
                             core::ScoringKind kind = core::ScoringKind::kPerEntity) {
  catalog::Control c;
  c.id = std::move(id);
  c.title = c.id;
  c.category = "Identity";
  c.service = "AzureAD";
  c.max_points = 9;
  c.scoring = kind;
  c.evidence = std::move(evidence);
  return c;
}

// Evidence built by hand: the loader's adapters are tested on their own.
class EvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = evidence::EvidenceDb::Create();
    ASSERT_TRUE(db.ok()) << db.error().ToString();
    ev_.db = std::move(*db);
    ev_.tenant.id = "t1";
    ev_.tenant.display_name = "Contoso";
  }
  void AddRegistration(const std::string& id, int registered) {
    ASSERT_TRUE(ev_.db
                    ->Exec("INSERT INTO user_registration (user_id, user_principal_name, "
                           "is_mfa_registered) VALUES ('" +
                           id + "', '" + id + "@x.com', " + std::to_string(registered) + ")")
                    .ok());
    ev_.db->MarkCollected("user_registration");
  }
  Evaluation Run(std::vector<catalog::Control> controls, const EvaluateOptions& options = {}) {
    catalog_.controls = std::move(controls);
    catalog_.version = "1.test";
    auto result = Evaluate(catalog_, ev_, options);
    EXPECT_TRUE(result.ok());
    return result.ok() ? std::move(*result) : Evaluation{};
  }

  evidence::LoadedEvidence ev_;
  catalog::Catalog catalog_;
};

TEST_F(EvaluateTest, CountsCompliantRowsAndListsFailingEntities) {
  AddRegistration("u1", 1);
  AddRegistration("u2", 0);
  AddRegistration("u3", 1);
  Evaluation e =
      Run({MakeControl("Mfa", {Alt("entity", {"user_registration"}, kRegistrationSql)})});
  ASSERT_EQ(e.controls.size(), 1u);
  EXPECT_EQ(e.controls[0].level, "entity");
  EXPECT_EQ(e.controls[0].passing, 2);
  ASSERT_EQ(e.controls[0].failing.size(), 1u);
  EXPECT_EQ(e.controls[0].failing[0].entity_id, "u2");
  EXPECT_EQ(e.controls[0].failing[0].reason, "not registered");
  EXPECT_EQ(e.score.controls[0].status, core::ControlStatus::kPartial);
  EXPECT_DOUBLE_EQ(e.score.controls[0].points, 9.0 * 2 / 3);
  EXPECT_EQ(e.tenant.display_name, "Contoso");
  EXPECT_EQ(e.catalog_version, "1.test");
}

TEST_F(EvaluateTest, MissingTablesMakeNoDataAndNameThem) {
  Evaluation e =
      Run({MakeControl("Mfa", {Alt("entity", {"user_registration"}, kRegistrationSql)})});
  EXPECT_EQ(e.score.controls[0].status, core::ControlStatus::kNoData);
  EXPECT_THAT(e.controls[0].missing_tables, ElementsAre("user_registration"));
  EXPECT_EQ(e.score.max, 0);
  EXPECT_EQ(e.score.coverage.no_data, 1);
}

TEST_F(EvaluateTest, FallsBackToTheFirstAlternativeWhoseTablesWereCollected) {
  AddRegistration("u1", 1);
  auto roles = Alt("roles", {"user_registration", "user_roles"}, kRegistrationSql);
  auto report = Alt("report", {"user_registration"}, kRegistrationSql,
                    "judged on the registration report alone");
  Evaluation e = Run({MakeControl("Mfa", {roles, report})});
  EXPECT_EQ(e.controls[0].level, "report");
  EXPECT_EQ(e.controls[0].note, "judged on the registration report alone");
  EXPECT_TRUE(e.controls[0].missing_tables.empty());
  EXPECT_EQ(e.score.controls[0].status, core::ControlStatus::kCompleted);

  ev_.db->MarkCollected("user_roles");
  Evaluation preferred = Run({MakeControl("Mfa", {roles, report})});
  EXPECT_EQ(preferred.controls[0].level, "roles");
}

TEST_F(EvaluateTest, AFailingQueryIsAnErrorWithSqlitesMessage) {
  AddRegistration("u1", 1);
  Evaluation e =
      Run({MakeControl("Broken", {Alt("entity", {"user_registration"},
                                      "SELECT no_such_column FROM user_registration")}),
           MakeControl("Fine", {Alt("entity", {"user_registration"}, kRegistrationSql)})});
  EXPECT_EQ(e.score.controls[0].status, core::ControlStatus::kError);
  EXPECT_THAT(e.controls[0].error, HasSubstr("no_such_column"));
  EXPECT_EQ(e.score.coverage.errors, 1);
  EXPECT_EQ(e.score.max, 9);  // the error control is out of max, the fine one counts
}

TEST_F(EvaluateTest, CompliantMustBeZeroOrOne) {
  AddRegistration("u1", 1);
  Evaluation e = Run({MakeControl(
      "NullCompliant",
      {Alt("entity", {"user_registration"},
           "SELECT user_id AS entity_id, '' AS entity_name, 'user' AS entity_type, NULL AS "
           "compliant, '' AS reason FROM user_registration")})});
  EXPECT_EQ(e.score.controls[0].status, core::ControlStatus::kError);
  EXPECT_THAT(e.controls[0].error, HasSubstr("expected 0 or 1"));
}

TEST_F(EvaluateTest, WritingQueriesAreRefused) {
  AddRegistration("u1", 1);
  Evaluation e = Run({MakeControl(
      "Writer", {Alt("entity", {"user_registration"}, "DELETE FROM user_registration")})});
  EXPECT_EQ(e.score.controls[0].status, core::ControlStatus::kError);
  EXPECT_THAT(e.controls[0].error, HasSubstr("read-only"));
}

TEST_F(EvaluateTest, ExceptedEntitiesAreLeftOutOfCountAndTotalButListed) {
  AddRegistration("u1", 1);
  AddRegistration("u2", 0);
  AddRegistration("break-glass", 0);
  EvaluateOptions options;
  options.exceptions["Mfa"] = {"break-glass"};
  Evaluation e =
      Run({MakeControl("Mfa", {Alt("entity", {"user_registration"}, kRegistrationSql)})}, options);
  EXPECT_EQ(e.score.controls[0].count, 1);
  EXPECT_EQ(e.score.controls[0].total, 2);
  ASSERT_EQ(e.controls[0].excepted.size(), 1u);
  EXPECT_EQ(e.controls[0].excepted[0].entity_id, "break-glass");
  EXPECT_DOUBLE_EQ(e.score.controls[0].points, 4.5);
}

TEST_F(EvaluateTest, AttestedStatesApplyUnlessAnOptionSaysOtherwise) {
  AddRegistration("u1", 0);
  ev_.attestations.push_back({"Mfa", "third_party", "Vendor X", "MFA at the IdP", ""});
  ev_.attestations.push_back({"Other", "risk_accepted", "", "", ""});
  ev_.attestations.push_back({"Mfa2", "sideways", "", "", ""});
  auto control = MakeControl("Mfa", {Alt("entity", {"user_registration"}, kRegistrationSql)});
  auto control2 = MakeControl("Mfa2", {Alt("entity", {"user_registration"}, kRegistrationSql)});

  Evaluation attested = Run({control, control2});
  EXPECT_EQ(attested.controls[0].state, core::ControlState::kThirdParty);
  EXPECT_EQ(attested.controls[0].state_source, StateSource::kAttestation);
  EXPECT_EQ(attested.controls[0].state_by, "Vendor X");
  EXPECT_DOUBLE_EQ(attested.score.controls[0].points, 9);
  EXPECT_DOUBLE_EQ(attested.score.controls[0].measured_points, 0);
  EXPECT_EQ(attested.controls[1].state, core::ControlState::kToAddress);
  EXPECT_EQ(attested.warnings.size(), 2u);  // unknown control, unknown state

  EvaluateOptions options;
  options.states["Mfa"] = core::ControlState::kPlanned;
  Evaluation explicit_state = Run({control}, options);
  EXPECT_EQ(explicit_state.controls[0].state, core::ControlState::kPlanned);
  EXPECT_EQ(explicit_state.controls[0].state_source, StateSource::kOption);
  EXPECT_DOUBLE_EQ(explicit_state.score.controls[0].points, 0);
  EXPECT_DOUBLE_EQ(explicit_state.score.planned, 9);
}

TEST_F(EvaluateTest, OnlyAndKeepPassingNarrowTheRun) {
  AddRegistration("u1", 1);
  EvaluateOptions options;
  options.only = {"B"};
  options.keep_passing_of = "B";
  Evaluation e = Run({MakeControl("A", {Alt("entity", {"user_registration"}, kRegistrationSql)}),
                      MakeControl("B", {Alt("entity", {"user_registration"}, kRegistrationSql)})},
                     options);
  ASSERT_EQ(e.controls.size(), 1u);
  EXPECT_EQ(e.controls[0].control->id, "B");
  ASSERT_EQ(e.controls[0].passing_entities.size(), 1u);
  EXPECT_EQ(e.controls[0].passing_entities[0].entity_id, "u1");
}

TEST_F(EvaluateTest, ThreadsGiveTheSameEvaluation) {
  for (int i = 0; i < 50; ++i) AddRegistration("u" + std::to_string(i), i % 3 == 0 ? 1 : 0);
  std::vector<catalog::Control> controls;
  controls.reserve(14);
  for (int i = 0; i < 12; ++i) {
    // Each control fails a different slice, so results landing on the wrong control show.
    controls.push_back(MakeControl("C" + std::to_string(i),
                                   {Alt("entity", {"user_registration"},
                                        "SELECT user_id, user_principal_name, 'user', "
                                        "CASE WHEN rowid % 12 = " +
                                            std::to_string(i) + " THEN 0 ELSE 1 END, 'slice " +
                                            std::to_string(i) + "' FROM user_registration")}));
  }
  controls.push_back(MakeControl("Broken", {Alt("entity", {"user_registration"}, "SELECT 1")}));
  controls.push_back(MakeControl("NoData", {Alt("entity", {"users"}, kRegistrationSql)}));
  EvaluateOptions options;
  options.exceptions["C3"] = {"u2"};  // u2 fails C3: it moves from failing to excepted
  const Evaluation one = Run(controls, options);
  options.threads = 3;
  const Evaluation three = Run(controls, options);
  ASSERT_EQ(one.controls.size(), three.controls.size());
  auto ids = [](const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    out.reserve(findings.size());
    for (const Finding& f : findings) out.push_back(f.entity_id + "/" + f.reason);
    return out;
  };
  // Run() replaces the catalog, so `one`'s control pointers are stale: name controls by index.
  for (size_t i = 0; i < one.controls.size(); ++i) {
    const ControlEvaluation& a = one.controls[i];
    const ControlEvaluation& b = three.controls[i];
    const std::string& id = controls[i].id;
    EXPECT_EQ(b.control->id, id);
    EXPECT_EQ(a.outcome, b.outcome) << id;
    EXPECT_EQ(a.passing, b.passing) << id;
    EXPECT_EQ(ids(a.failing), ids(b.failing)) << id;
    EXPECT_EQ(ids(a.excepted), ids(b.excepted)) << id;
    EXPECT_EQ(a.error, b.error) << id;
  }
  EXPECT_EQ(one.controls[3].failing.size() + one.controls[3].excepted.size(), 4u);
  EXPECT_EQ(one.controls[12].outcome, core::Outcome::kError);
  EXPECT_EQ(one.controls[13].outcome, core::Outcome::kNoData);
  EXPECT_EQ(one.score.percentage, three.score.percentage);
}

}  // namespace
}  // namespace securescore::engine
