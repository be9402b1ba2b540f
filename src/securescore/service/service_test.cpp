// The application services over both store engines: ingest, the current score view with
// states and exceptions, history, export, Microsoft's series, re-evaluation, jobs and
// comparison. SQLite uses a temporary file per test; PostgreSQL (SECURESCORE_TEST_PG_URL, as
// in the storage conformance suite) a fresh schema per test. Without that variable the
// PostgreSQL instances fail rather than skip.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "securescore/engine/evaluate.h"
#include "securescore/generate/generate.h"
#include "securescore/service/actions.h"
#include "securescore/service/assess_json.h"
#include "securescore/service/compare.h"
#include "securescore/service/history.h"
#include "securescore/service/ingest.h"
#include "securescore/service/msgraph_import.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"
#include "securescore/store/codec.h"
#include "securescore/store/msgraph_scores.h"
#include "securescore/store/postgres/postgres_connection.h"

namespace securescore::service {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

#define ASSERT_OK(expr)                                                        \
  do {                                                                         \
    const auto& assert_ok_result = (expr);                                     \
    ASSERT_TRUE(assert_ok_result.ok()) << assert_ok_result.error().ToString(); \
  } while (0)

#define ASSERT_OK_AND_ASSIGN(lhs, expr)                              \
  auto lhs##_result = (expr);                                        \
  ASSERT_TRUE(lhs##_result.ok()) << lhs##_result.error().ToString(); \
  auto lhs = std::move(*lhs##_result)

// 2026-12-01T12:00:00Z: after the generator's default collection time.
const store::Timestamp kNow{seconds(1'796'126'400)};

const catalog::Catalog& DefaultCatalog() {
  static const catalog::Catalog* catalog = [] {
    catalog::LoadReport report;
    return new catalog::Catalog(catalog::LoadDefaultCatalog("", report));
  }();
  return *catalog;
}

std::string Snapshot(std::uint64_t seed, std::int64_t collected_at = 1796011200,
                     std::uint64_t users = 40) {
  generate::GenerateOptions o;
  o.users = users;
  o.seed = seed;
  o.collected_at = collected_at;
  Result<std::string> json = generate::GenerateSnapshotString(o);
  EXPECT_TRUE(json.ok());
  return json ? *json : "";
}

std::string TenantOf(const std::string& snapshot) {
  Result<evidence::LoadedEvidence> ev = evidence::LoadEvidenceJson(snapshot, "snapshot");
  return ev ? ev->tenant.id : "";
}

class ServiceTest : public ::testing::TestWithParam<std::string> {
 public:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::to_string(getpid()) + "_" + std::string(info->name()).substr(0, 40);
    for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("securescore_service_" + name);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "store.db").string();
    } else {
      const char* base = std::getenv("SECURESCORE_TEST_PG_URL");
      if (base == nullptr || *base == '\0') {
        GTEST_FAIL() << "SECURESCORE_TEST_PG_URL is not set; start the test PostgreSQL with "
                        "`source scripts/setup.sh && source scripts/services/postgres.sh` "
                        "(scripts/test.sh does this)";
      }
      base_url_ = base;
      schema_ = "svc_" + name;
      ASSERT_OK_AND_ASSIGN(admin, store::postgres::OpenPostgresConnection(base_url_));
      ASSERT_OK(admin->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ +
                                     " CASCADE; CREATE SCHEMA " + schema_));
      url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + schema_;
    }
    ASSERT_OK_AND_ASSIGN(opened, store::OpenStore(url_));
    store_ = std::move(opened);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) {
      auto admin = store::postgres::OpenPostgresConnection(base_url_);
      if (admin) (void)(*admin)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
  }

  store::Store& store() { return *store_; }

  // Ingests a generated snapshot and returns the result.
  IngestResult IngestSeed(std::uint64_t seed, std::int64_t collected_at = 1796011200) {
    Result<IngestResult> r =
        Ingest(store(), DefaultCatalog(), Snapshot(seed, collected_at), "gen", {}, kNow);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r ? *r : IngestResult{};
  }

  // Index of the first assessed control satisfying `pred` in a view.
  template <typename P>
  static std::optional<size_t> Find(const ScoreView& v, P pred) {
    for (size_t i = 0; i < v.controls.size(); ++i) {
      if (!v.score.controls[i].excluded && pred(v.controls[i], v.score.controls[i])) return i;
    }
    return std::nullopt;
  }

  Status SetState(const std::string& tenant, const std::string& control, core::ControlState s,
                  std::optional<store::Timestamp> expires = std::nullopt) {
    store::ControlStateChange change;
    change.record = {tenant, control, s, "because", "", {}, expires, "test", kNow};
    change.reason = "because";
    Result<store::ControlStateRecord> r = store().SetControlState(change);
    return r ? OkStatus() : Status(r.error());
  }

  std::filesystem::path dir_;
  std::string base_url_;
  std::string schema_;
  std::string url_;
  std::unique_ptr<store::Store> store_;
};

TEST_P(ServiceTest, IngestStoresTenantSnapshotAndOneEvaluation) {
  const std::string snapshot = Snapshot(7);
  ASSERT_OK_AND_ASSIGN(first, Ingest(store(), DefaultCatalog(), snapshot, "a.json", {}, kNow));
  EXPECT_TRUE(first.snapshot_inserted);
  EXPECT_TRUE(first.evaluation_inserted);
  EXPECT_EQ(first.tenant_id, TenantOf(snapshot));
  ASSERT_OK_AND_ASSIGN(tenant, store().GetTenant(first.tenant_id));
  EXPECT_FALSE(tenant.display_name.empty());
  EXPECT_GT(first.summary.max, 0);

  ASSERT_OK_AND_ASSIGN(again, Ingest(store(), DefaultCatalog(), snapshot, "a.json", {}, kNow));
  EXPECT_FALSE(again.snapshot_inserted);
  EXPECT_FALSE(again.evaluation_inserted);
  EXPECT_EQ(again.evaluation_id, first.evaluation_id);
  ASSERT_OK_AND_ASSIGN(list, store().ListEvaluations(first.tenant_id, {}));
  EXPECT_EQ(list.size(), 1u);
  // Filed under the snapshot's collectedAt (2026-11-30T04:00:00Z), not the ingest time.
  EXPECT_EQ(FormatTimestamp(list[0].evaluated_at), "2026-11-30T04:00:00Z");
}

TEST_P(ServiceTest, TenantOverrideAndBadInput) {
  ASSERT_OK_AND_ASSIGN(r, Ingest(store(), DefaultCatalog(), Snapshot(8), "a.json",
                                 IngestOptions{"my-tenant"}, kNow));
  EXPECT_EQ(r.tenant_id, "my-tenant");
  Result<IngestResult> bad =
      Ingest(store(), DefaultCatalog(), "{\"schema\": 3", "bad.json", {}, kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  ASSERT_OK_AND_ASSIGN(tenants, store().ListTenants());
  EXPECT_EQ(tenants.size(), 1u);  // nothing stored for the bad file
}

TEST_P(ServiceTest, StatesRescoreTheCurrentViewAtOnce) {
  IngestResult r = IngestSeed(11);
  ASSERT_OK_AND_ASSIGN(before, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  EXPECT_NEAR(before.score.current, r.summary.current, 1e-9);
  auto open = Find(
      before, [](const ControlView&, const core::ControlScore& s) { return s.points < s.max; });
  ASSERT_TRUE(open);
  const std::string open_id = before.score.controls[*open].id;
  auto earning = Find(before, [&](const ControlView&, const core::ControlScore& s) {
    return s.points > 0 && s.id != open_id;
  });
  ASSERT_TRUE(earning);
  const std::string earning_id = before.score.controls[*earning].id;
  ASSERT_NE(open_id, earning_id);
  ASSERT_OK(SetState(r.tenant_id, open_id, core::ControlState::kThirdParty));
  ASSERT_OK(SetState(r.tenant_id, earning_id, core::ControlState::kRiskAccepted));

  ASSERT_OK_AND_ASSIGN(after, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  const core::ControlScore& third = after.score.controls[*open];
  const core::ControlScore& accepted = after.score.controls[*earning];
  EXPECT_EQ(third.state, core::ControlState::kThirdParty);
  EXPECT_DOUBLE_EQ(third.points, third.max);
  EXPECT_EQ(accepted.state, core::ControlState::kRiskAccepted);
  EXPECT_DOUBLE_EQ(accepted.points, 0);
  EXPECT_DOUBLE_EQ(after.score.measured, before.score.measured);
  const double expected = before.score.current +
                          (before.score.controls[*open].max - before.score.controls[*open].points) -
                          before.score.controls[*earning].points;
  EXPECT_NEAR(after.score.current, expected, 1e-9);
  ASSERT_TRUE(after.controls[*open].state.has_value());
  EXPECT_EQ(after.controls[*open].state->comment, "because");
  EXPECT_FALSE(after.evidence_reevaluated);
  // The JSON contract carries the state detail.
  const std::string json = RenderAssessJson(ToAssessReport(after));
  EXPECT_THAT(json, ::testing::HasSubstr("\"evaluatedAt\": \"2026-11-30T04:00:00Z\""));
  EXPECT_THAT(json, ::testing::HasSubstr("\"stateComment\": \"because\""));
  EXPECT_THAT(json, ::testing::HasSubstr("\"regressed\": false"));
}

TEST_P(ServiceTest, ExpiredStatesRevertBeforeTheView) {
  IngestResult r = IngestSeed(12);
  ASSERT_OK_AND_ASSIGN(before, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  auto open = Find(
      before, [](const ControlView&, const core::ControlScore& s) { return s.points < s.max; });
  ASSERT_TRUE(open);
  const std::string id = before.score.controls[*open].id;
  ASSERT_OK(SetState(r.tenant_id, id, core::ControlState::kThirdParty, kNow + hours(1)));
  ASSERT_OK_AND_ASSIGN(during, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  EXPECT_EQ(during.score.controls[*open].state, core::ControlState::kThirdParty);
  ASSERT_OK_AND_ASSIGN(later,
                       CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow + hours(2)));
  EXPECT_EQ(later.score.controls[*open].state, core::ControlState::kToAddress);
  EXPECT_NEAR(later.score.current, before.score.current, 1e-9);
  ASSERT_OK_AND_ASSIGN(history, store().StateHistory(r.tenant_id, id));
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().reason, "expired");
}

TEST_P(ServiceTest, ExceptionsShrinkCountAndTotal) {
  IngestResult r = IngestSeed(13);
  ASSERT_OK_AND_ASSIGN(before, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  auto failing = Find(before, [](const ControlView& v, const core::ControlScore& s) {
    return !v.evaluated.failing.empty() && s.total > 1;
  });
  ASSERT_TRUE(failing) << "the generated tenant should fail some per-entity control";
  const ControlView& cv = before.controls[*failing];
  const core::ControlScore& cs = before.score.controls[*failing];
  const std::string entity = cv.evaluated.failing.front().entity_id;
  ASSERT_OK(store().AddException(
      {r.tenant_id, cs.id, entity, "break-glass", "secops", std::nullopt, "test", kNow}));

  ASSERT_OK_AND_ASSIGN(after, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  const core::ControlScore& ca = after.score.controls[*failing];
  EXPECT_EQ(ca.count, cs.count);
  EXPECT_EQ(ca.total, cs.total - 1);
  EXPECT_FALSE(after.evidence_reevaluated);  // exact from the stored lists
  const auto& excepted = after.controls[*failing].evaluated.excepted;
  ASSERT_EQ(excepted.size(), 1u);
  EXPECT_EQ(excepted[0].entity_id, entity);

  // A new evaluation applies the exception in the engine and agrees with the view.
  ASSERT_OK_AND_ASSIGN(
      fresh, Ingest(store(), DefaultCatalog(), Snapshot(13, 1796011200 + 3600), "b", {}, kNow));
  ASSERT_OK_AND_ASSIGN(ev, store().GetEvaluation(fresh.evaluation_id));
  const auto it = std::find_if(ev.controls.begin(), ev.controls.end(),
                               [&](const store::ControlResult& c) { return c.id == cs.id; });
  ASSERT_NE(it, ev.controls.end());
  EXPECT_EQ(it->total, cs.total - 1);
  ASSERT_EQ(it->excepted.size(), 1u);

  // Removing it needs the evidence again (was the entity compliant?): the view reruns it.
  ASSERT_OK(store().RemoveException(r.tenant_id, cs.id, entity));
  ASSERT_OK_AND_ASSIGN(removed, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  EXPECT_TRUE(removed.evidence_reevaluated);
  EXPECT_EQ(removed.score.controls[*failing].total, cs.total);
  EXPECT_EQ(removed.score.controls[*failing].count, cs.count);
}

TEST_P(ServiceTest, ReevaluationAddsAnEvaluationOnlyForANewCatalog) {
  IngestResult r = IngestSeed(14);
  ASSERT_OK_AND_ASSIGN(same, Reevaluate(store(), DefaultCatalog(), r.tenant_id, kNow));
  ASSERT_EQ(same.size(), 1u);
  EXPECT_FALSE(same[0].evaluation_inserted);
  catalog::Catalog newer = DefaultCatalog();
  newer.version += "-next";
  ASSERT_OK_AND_ASSIGN(all, Reevaluate(store(), newer, "", kNow));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].evaluation_inserted);
  ASSERT_OK_AND_ASSIGN(list, store().ListEvaluations(r.tenant_id, {}));
  EXPECT_EQ(list.size(), 2u);
  ASSERT_OK_AND_ASSIGN(h, LoadHistory(store(), r.tenant_id, {}));
  ASSERT_EQ(h.changes.size(), 1u);
  EXPECT_THAT(h.changes[0].causes, ::testing::ElementsAre("catalog"));
  // One day, one point: the newer evaluation.
  ASSERT_EQ(h.daily.size(), 1u);
  Result<IngestResult> unknown = [&]() -> Result<IngestResult> {
    auto v = Reevaluate(store(), newer, "nobody", kNow);
    if (!v) return v.error();
    return IngestResult{};
  }();
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(ServiceTest, HistoryMergesMicrosoftSeriesAndExplainsChanges) {
  // Two snapshots of one tenant on two days, the second with another seed's evidence.
  const std::string day1 = Snapshot(21, 1796011200);
  ASSERT_OK_AND_ASSIGN(a, Ingest(store(), DefaultCatalog(), day1, "d1", {"t"}, kNow));
  ASSERT_OK_AND_ASSIGN(
      b, Ingest(store(), DefaultCatalog(), Snapshot(22, 1796011200 + 86400), "d2", {"t"}, kNow));
  ASSERT_OK_AND_ASSIGN(ms_text, []() -> Result<std::string> {
    std::ifstream in(std::string(SECURESCORE_FIXTURES_DIR) +
                     "/graph-securescore/secureScore-multiple.json");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }());
  ASSERT_OK_AND_ASSIGN(days, store::ParseGraphSecureScores(ms_text, "t", "multiple.json"));
  ASSERT_OK_AND_ASSIGN(first, ImportMicrosoftScores(store(), "t", days));
  EXPECT_EQ(first.added, 1);  // both objects are of 2024-01-01: one day
  ASSERT_OK_AND_ASSIGN(second, ImportMicrosoftScores(store(), "t", days));
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(second.replaced, 1);

  ASSERT_OK_AND_ASSIGN(h, LoadHistory(store(), "t", {}));
  ASSERT_EQ(h.daily.size(), 3u);
  EXPECT_EQ(h.daily[0].source, "microsoft");
  EXPECT_EQ(FormatDay(h.daily[0].day), "2024-01-01");
  EXPECT_DOUBLE_EQ(h.daily[0].current, 128);
  EXPECT_EQ(h.daily[1].source, "securescore");
  EXPECT_EQ(FormatDay(h.daily[1].day), "2026-11-30");
  EXPECT_EQ(FormatDay(h.daily[2].day), "2026-12-01");
  ASSERT_EQ(h.evaluations.size(), 2u);
  EXPECT_EQ(h.evaluations[0].id, a.evaluation_id);
  ASSERT_EQ(h.changes.size(), 1u);
  EXPECT_EQ(h.changes[0].to_id, b.evaluation_id);
  EXPECT_THAT(h.changes[0].causes, ::testing::Contains("evidence"));
  const std::string json = RenderHistoryJson(h);
  EXPECT_THAT(json, ::testing::HasSubstr("\"source\": \"microsoft\""));
  EXPECT_THAT(json, ::testing::HasSubstr("\"snapshotHash\": \"" + b.snapshot_hash + "\""));

  Result<ImportSummary> unknown = ImportMicrosoftScores(store(), "nobody", days);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(ServiceTest, ExportListsAssessedControlsByImpact) {
  IngestResult r = IngestSeed(31);
  ASSERT_OK_AND_ASSIGN(view, CurrentScore(store(), DefaultCatalog(), r.tenant_id, kNow));
  std::vector<Action> actions = RecommendedActions(view);
  const auto assessed = std::count_if(view.score.controls.begin(), view.score.controls.end(),
                                      [](const core::ControlScore& c) { return !c.excluded; });
  ASSERT_EQ(static_cast<long>(actions.size()), assessed);
  for (size_t i = 1; i < actions.size(); ++i) {
    EXPECT_GE(actions[i - 1].score_impact, actions[i].score_impact);
  }
  EXPECT_FALSE(actions.front().user_impact.empty());
  const std::string csv = RenderActionsCsv(actions);
  EXPECT_TRUE(
      csv.starts_with("id,title,points,max,scoreImpact,status,state,category,service,userImpact,"
                      "implementationCost,regressed,lastEvaluated\r\n"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), assessed + 1);
  EXPECT_THAT(RenderActionsJson(view, actions), ::testing::HasSubstr("\"implementationCost\""));
}

TEST_P(ServiceTest, QueuedJobsAreEvaluatedByAWorker) {
  ASSERT_OK_AND_ASSIGN(q, EnqueueSnapshot(store(), Snapshot(41), "q.json", {}, kNow));
  ASSERT_OK_AND_ASSIGN(none, store().ListEvaluations(q.tenant_id, {}));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(job, store().ClaimJob("w1", kNow, std::chrono::hours(1)));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->id, q.job_id);
  ASSERT_OK_AND_ASSIGN(r, RunJob(store(), DefaultCatalog(), *job, kNow));
  EXPECT_TRUE(r.evaluation_inserted);
  EXPECT_EQ(r.snapshot_hash, q.snapshot_hash);
  store::Job bogus = *job;
  bogus.kind = "collect-the-moon";
  Result<IngestResult> unknown = RunJob(store(), DefaultCatalog(), bogus, kNow);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidInput);
}

TEST_P(ServiceTest, ComparisonWithholdsSmallBases) {
  IngestResult me = IngestSeed(51);
  ASSERT_OK_AND_ASSIGN(alone, CompareTenant(store(), me.tenant_id));
  ASSERT_EQ(alone.bases.size(), 3u);
  EXPECT_TRUE(alone.bases[0].withheld);
  for (std::uint64_t seed : {52, 53, 54}) IngestSeed(seed);
  ASSERT_OK_AND_ASSIGN(crowd, CompareTenant(store(), me.tenant_id));
  EXPECT_EQ(crowd.bases[0].peers, 3);
  EXPECT_FALSE(crowd.bases[0].withheld);
  EXPECT_THAT(RenderComparisonJson(crowd), ::testing::HasSubstr("\"basis\": \"AllTenants\""));
  EXPECT_EQ(CompareTenant(store(), "nobody").error().code, ErrorCode::kNotFound);
}

TEST_P(ServiceTest, ComparisonOverTimeAveragesTheFleetDayByDay) {
  // A small fleet with round percentages, so every average below is worked out by hand.
  // me, a, b and c have 1-100 seats; d has 5001+. me, a, c and d are in Finance.
  const store::Day d0 = std::chrono::floor<std::chrono::days>(kNow) - std::chrono::days(10);
  auto at = [&](int day, int hour) {
    return store::Timestamp(d0 + std::chrono::days(day)) + std::chrono::hours(hour);
  };
  struct Tenant {
    const char* id;
    std::int64_t seats;
    const char* industry;
  };
  for (Tenant t :
       {Tenant{"me", 50, "Finance"}, Tenant{"a", 60, "finance"}, Tenant{"b", 70, "Retail"},
        Tenant{"c", 80, "Finance"}, Tenant{"d", 6000, "Finance"}}) {
    ASSERT_OK(store().UpsertTenant({t.id, t.id, t.industry, t.seats}));
    ASSERT_OK(store().PutSnapshot(t.id, at(-5, 0), std::string("snapshot of ") + t.id));
  }
  struct Point {
    const char* tenant;
    store::Timestamp at;
    double percentage;
  };
  int version = 0;
  for (Point p : {Point{"me", at(0, 9), 40}, Point{"me", at(2, 9), 50},
                  Point{"a", at(-5, 9), 10},  // before the range: carried into day 0
                  Point{"a", at(1, 9), 30}, Point{"b", at(0, 8), 60},
                  Point{"b", at(0, 20), 70},  // the day's last evaluation counts
                  Point{"c", at(2, 9), 90}, Point{"d", at(3, 9), 20}}) {
    store::Evaluation e;
    e.summary.tenant_id = p.tenant;
    e.summary.snapshot_hash = store::Sha256Hex(std::string("snapshot of ") + p.tenant);
    e.summary.evaluated_at = p.at;
    e.summary.catalog_version = "v" + std::to_string(++version);
    e.summary.current = p.percentage;
    e.summary.max = 100;
    e.summary.percentage = p.percentage;
    ASSERT_OK(store().InsertEvaluation(e));
  }
  ASSERT_OK_AND_ASSIGN(c, CompareOverTime(store(), "me", d0, d0 + std::chrono::days(3)));
  ASSERT_EQ(c.days.size(), 4u);
  EXPECT_EQ(c.days.front(), d0);
  EXPECT_EQ(c.days.back(), d0 + std::chrono::days(3));
  EXPECT_EQ(c.percentages, (std::vector<std::optional<double>>{40, 40, 50, 50}));
  ASSERT_EQ(c.bases.size(), 3u);

  struct Expected {
    int peers;
    std::optional<double> average;  // nullopt: withheld
  };
  auto expect = [](const core::ComparativeSeries& b, std::vector<Expected> days) {
    ASSERT_EQ(b.days.size(), days.size());
    for (std::size_t d = 0; d < days.size(); ++d) {
      EXPECT_EQ(b.days[d].peers, days[d].peers) << core::ToString(b.basis) << " day " << d;
      EXPECT_EQ(b.days[d].withheld, !days[d].average) << core::ToString(b.basis) << " day " << d;
      EXPECT_NEAR(b.days[d].average_percentage, days[d].average.value_or(0), 1e-9)
          << core::ToString(b.basis) << " day " << d;
    }
  };
  // Day 0: a 10 (carried), b 70. Day 1: a 30, b 70. Day 2: + c 90. Day 3: + d 20.
  expect(c.bases[0], {{2, std::nullopt}, {2, std::nullopt}, {3, 190.0 / 3}, {4, 52.5}});
  EXPECT_EQ(c.bases[1].basis_value, "1-100");  // a, b, c; never d
  expect(c.bases[1], {{2, std::nullopt}, {2, std::nullopt}, {3, 190.0 / 3}, {3, 190.0 / 3}});
  EXPECT_EQ(c.bases[2].basis_value, "Finance");  // a, c, d
  expect(c.bases[2], {{1, std::nullopt}, {1, std::nullopt}, {2, std::nullopt}, {3, 140.0 / 3}});

  // The last day is exactly what the comparison of the latest evaluations says.
  ASSERT_OK_AND_ASSIGN(now, CompareTenant(store(), "me"));
  for (std::size_t b = 0; b < 3; ++b) {
    EXPECT_EQ(c.bases[b].days.back().withheld, now.bases[b].withheld);
    EXPECT_DOUBLE_EQ(c.bases[b].days.back().average_percentage, now.bases[b].average_percentage);
  }

  // An open start begins at the first evaluation anyone has; a reversed range has no days.
  ASSERT_OK_AND_ASSIGN(
      open, CompareOverTime(store(), "me", d0 - std::chrono::days(400), d0 + std::chrono::days(3)));
  ASSERT_EQ(open.days.size(), 9u);
  EXPECT_EQ(open.days.front(), d0 - std::chrono::days(5));
  EXPECT_FALSE(open.percentages.front().has_value());  // me had no evaluation yet
  ASSERT_OK_AND_ASSIGN(reversed, CompareOverTime(store(), "me", d0, d0 - std::chrono::days(1)));
  EXPECT_TRUE(reversed.days.empty());
  EXPECT_EQ(CompareOverTime(store(), "nobody", d0, d0).error().code, ErrorCode::kNotFound);

  // Microsoft's imported days come with the averages Microsoft reported.
  const std::vector<store::MicrosoftScore> microsoft = {
      {"me", d0 + std::chrono::days(1), 30, 120,
       R"({"averageComparativeScores":[{"basis":"AllTenants","averageScore":41.5},)"
       R"({"basis":"TotalSeats","averageScore":-1}]})"},
      {"me", d0 + std::chrono::days(30), 31, 120, "{}"}};  // outside the range
  ASSERT_OK(store().PutMicrosoftScores(microsoft));
  ASSERT_OK_AND_ASSIGN(with_ms, CompareOverTime(store(), "me", d0, d0 + std::chrono::days(3)));
  ASSERT_EQ(with_ms.microsoft.size(), 1u);
  EXPECT_EQ(with_ms.microsoft[0].day, d0 + std::chrono::days(1));
  EXPECT_DOUBLE_EQ(with_ms.microsoft[0].percentage, 25);
  ASSERT_EQ(with_ms.microsoft[0].averages.size(), 1u);
  EXPECT_DOUBLE_EQ(with_ms.microsoft[0].averages[0].average_score, 41.5);

  catalog::JsonWriter w;
  w.BeginObject();
  WriteComparisonOverTime(w, with_ms);
  w.EndObject();
  EXPECT_THAT(w.str(), ::testing::HasSubstr(
                           R"({"date":")" + FormatDay(d0) +
                           R"(","percentage":40,"bases":[{"basis":"AllTenants","basisValue":"",)"
                           R"("peers":2,"withheld":true,"averageScore":null})"));
  EXPECT_THAT(w.str(), ::testing::HasSubstr(
                           R"({"basis":"AllTenants","basisValue":"","peers":4,"withheld":false,)"
                           R"("averageScore":52.5})"));
  EXPECT_THAT(w.str(), ::testing::HasSubstr(R"("microsoftComparison":[{"date":")" +
                                            FormatDay(d0 + std::chrono::days(1)) +
                                            R"(","percentage":25,"bases":[{"basis":"AllTenants",)"
                                            R"("averageScore":41.5}]}])"));
}

TEST_P(ServiceTest, UnknownTenantIsNamed) {
  Result<ScoreView> v = CurrentScore(store(), DefaultCatalog(), "nobody", kNow);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(v.error().message, ::testing::HasSubstr("unknown tenant \"nobody\""));
  ASSERT_OK(store().UpsertTenant({"empty", "Empty", "", 0}));
  Result<ScoreView> none = CurrentScore(store(), DefaultCatalog(), "empty", kNow);
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.error().message, ::testing::HasSubstr("no evaluation yet"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ServiceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// `assess` streams its document straight from the engine's findings; it must be the very text
// of the report that `score` and the server render, entity lists and exceptions included.
TEST(AssessJson, StreamedDocumentIsTheRenderedReport) {
  Result<evidence::LoadedEvidence> loaded =
      evidence::LoadEvidenceJson(Snapshot(11, 1796011200, 4000), "snapshot");
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  engine::EvaluateOptions options;
  options.threads = 2;
  auto first = engine::Evaluate(DefaultCatalog(), *loaded, options);
  ASSERT_TRUE(first.ok());
  // Except the first failing entity of every control that has one.
  for (const engine::ControlEvaluation& ce : first->controls) {
    if (!ce.failing.empty()) options.exceptions[ce.control->id].insert(ce.failing[0].entity_id);
  }
  auto ev = engine::Evaluate(DefaultCatalog(), *loaded, options);
  ASSERT_TRUE(ev.ok());
  std::ostringstream streamed;
  WriteAssessJson(*ev, streamed);
  const std::string rendered = RenderAssessJson(FromEngine(*ev));
  EXPECT_THAT(rendered, ::testing::HasSubstr("\"excepted\": ["));
  EXPECT_GT(rendered.size(), size_t{1} << 20);  // streamed out in more than one piece
  EXPECT_EQ(streamed.str(), rendered);
}

TEST(TimeText, ParsesAndFormatsIso8601) {
  ASSERT_OK_AND_ASSIGN(t, ParseTimestamp("2026-11-30T04:00:00.123+01:30", "x"));
  EXPECT_EQ(FormatTimestamp(t), "2026-11-30T02:30:00Z");
  ASSERT_OK_AND_ASSIGN(d, ParseDay("2024-01-01T23:59:59Z", "x"));
  EXPECT_EQ(FormatDay(d), "2024-01-01");
  Result<store::Timestamp> bad = ParseTimestamp("2026-13-01", "--expires");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "--expires");
  EXPECT_FALSE(ParseTimestamp("yesterday", "x").ok());
  EXPECT_FALSE(ParseTimestamp("2026-11-30T25:00Z", "x").ok());
}

}  // namespace
}  // namespace securescore::service
