// The storage conformance suite: every test runs against SQLite and PostgreSQL.
//
// SQLite uses a fresh temporary file per test. PostgreSQL uses the server named by
// SECURESCORE_TEST_PG_URL, each test in a fresh schema that is dropped afterwards; without that
// variable the PostgreSQL instances fail (CI must exercise both engines), saying how to start
// the test server.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "securescore/store/codec.h"
#include "securescore/store/migrations.h"
#include "securescore/store/msgraph_scores.h"
#include "securescore/store/postgres/postgres_connection.h"
#include "securescore/store/sqlite/sqlite_connection.h"
#include "securescore/store/store.h"

namespace securescore::store {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::SizeIs;

// 2026-11-30T00:00:00Z
const Timestamp kDay0{seconds(1'795'996'800)};
// Long enough that no lease runs out in the tests that are not about leases.
constexpr seconds kLease = hours(1);

#define ASSERT_OK(expr)                                                        \
  do {                                                                         \
    const auto& assert_ok_result = (expr);                                     \
    ASSERT_TRUE(assert_ok_result.ok()) << assert_ok_result.error().ToString(); \
  } while (0)

// Unwraps a Result in a test, failing the test (fatally) when it holds an error.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                              \
  auto lhs##_result = (expr);                                        \
  ASSERT_TRUE(lhs##_result.ok()) << lhs##_result.error().ToString(); \
  auto lhs = std::move(*lhs##_result)

Tenant MakeTenant(const std::string& id, std::int64_t seats = 250,
                  const std::string& industry = "Finance") {
  return Tenant{id, "Tenant " + id, industry, seats};
}

std::vector<EntityRef> Entities(const std::string& prefix, int n) {
  std::vector<EntityRef> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(EntityRef{prefix + std::to_string(i) + "@contoso.example",
                            "User \"" + std::to_string(i) + "\" Ünïcode",
                            "no MFA method registered"});
  }
  return out;
}

ControlResult MakeControl(const std::string& id, double points, double max) {
  ControlResult c;
  c.id = id;
  c.title = "Title of " + id;
  c.category = "Identity";
  c.service = "AzureAD";
  c.status = points >= max ? core::ControlStatus::kCompleted : core::ControlStatus::kPartial;
  c.state = core::ControlState::kToAddress;
  c.points = points;
  c.measured_points = points;
  c.max = max;
  c.count = 25;
  c.total = 52;
  c.score_impact = max - points;
  c.evidence_level = "entity";
  return c;
}

Evaluation MakeEvaluation(const std::string& tenant, const std::string& hash, Timestamp at,
                          double current, int controls = 3,
                          const std::string& catalog_version = "2026.11") {
  Evaluation e;
  e.summary.tenant_id = tenant;
  e.summary.snapshot_hash = hash;
  e.summary.evaluated_at = at;
  e.summary.catalog_version = catalog_version;
  e.summary.current = current;
  e.summary.max = 100;
  e.summary.percentage = current;
  e.summary.measured = current - 1;
  e.summary.planned = current + 2;
  e.categories = {{"Identity", current / 2, 50, current},
                  {"Data", current / 2, 50, current},
                  {"Device", 0, 0, 0},
                  {"Apps", 0, 0, 0},
                  {"Infrastructure", 0, 0, 0}};
  e.coverage = core::Coverage{controls, 1, 2, 0};
  for (int i = 0; i < controls; ++i) {
    e.controls.push_back(MakeControl("Control" + std::to_string(i), i % 3, 2));
  }
  return e;
}

class StoreConformance : public ::testing::TestWithParam<std::string> {
 public:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    // Unique per process and test, and short enough for a PostgreSQL identifier (63 bytes).
    std::string name = std::to_string(getpid()) + "_" + std::string(info->name()).substr(0, 48);
    for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("securescore_store_" + name);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "store.db").string();
    } else {
      const char* base = std::getenv("SECURESCORE_TEST_PG_URL");
      if (base == nullptr || *base == '\0') {
        GTEST_FAIL() << "SECURESCORE_TEST_PG_URL is not set, so the PostgreSQL half of the "
                        "storage conformance suite cannot run. Start the test server with\n"
                        "  source scripts/setup.sh && source scripts/services/postgres.sh\n"
                        "(scripts/test.sh does this), or point SECURESCORE_TEST_PG_URL at a "
                        "database where this role may create schemas.";
      }
      base_url_ = base;
      schema_ = "t_" + name;
      ASSERT_OK_AND_ASSIGN(admin, postgres::OpenPostgresConnection(base_url_));
      ASSERT_OK(admin->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ +
                                     " CASCADE; CREATE SCHEMA " + schema_));
      url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") +
             "application_name=" + schema_ + "&options=-csearch_path%3D" + schema_;
    }
    ASSERT_OK_AND_ASSIGN(store, OpenStore(url_));
    store_ = std::move(store);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) {
      Result<std::unique_ptr<sql::Connection>> admin = postgres::OpenPostgresConnection(base_url_);
      for (const std::string& schema : {schema_, fresh_schema_}) {
        if (admin && !schema.empty()) {
          (void)(*admin)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
    }
  }

  bool postgres() const { return GetParam() == "postgresql"; }

  // The URL of a second, empty database (a file beside the first, or a second schema).
  Result<std::string> FreshDatabase() {
    if (!postgres()) return "sqlite:" + (dir_ / "fresh.db").string();
    fresh_schema_ = schema_.substr(0, 50) + "_fresh";
    Result<std::unique_ptr<sql::Connection>> admin = postgres::OpenPostgresConnection(base_url_);
    if (!admin) return admin.error();
    Status created = (*admin)->ExecuteScript("DROP SCHEMA IF EXISTS " + fresh_schema_ +
                                             " CASCADE; CREATE SCHEMA " + fresh_schema_);
    if (!created) return created.error();
    return base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + fresh_schema_;
  }

  Result<std::unique_ptr<sql::Connection>> RawConnection(const std::string& url) {
    if (postgres()) return postgres::OpenPostgresConnection(url);
    return sqlite::OpenSqliteConnection(url.substr(7));
  }

  // A second, independent connection to the same database.
  Result<std::unique_ptr<Store>> OpenAnother() { return OpenStore(url_); }

  // A raw SQL connection, to look at what is really stored.
  Result<std::unique_ptr<sql::Connection>> Raw() { return RawConnection(url_); }

  std::int64_t CountRows(const std::string& table) {
    Result<std::unique_ptr<sql::Connection>> raw = Raw();
    if (!raw) {
      ADD_FAILURE() << raw.error().ToString();
      return -1;
    }
    Result<std::vector<sql::Row>> rows = (*raw)->Query("SELECT COUNT(*) FROM " + table, {});
    if (!rows) {
      ADD_FAILURE() << rows.error().ToString();
      return -1;
    }
    return sql::AsInt((*rows)[0][0]);
  }

  // Puts a tenant and one snapshot of it; returns the snapshot's hash.
  std::string PutTenantWithSnapshot(Store& store, const std::string& tenant_id,
                                    const std::string& content) {
    Status upserted = store.UpsertTenant(MakeTenant(tenant_id));
    EXPECT_TRUE(upserted.ok()) << upserted.error().ToString();
    Result<SnapshotRef> ref = store.PutSnapshot(tenant_id, kDay0, content);
    EXPECT_TRUE(ref.ok()) << ref.error().ToString();
    return ref ? ref->hash : "";
  }

  std::filesystem::path dir_;
  std::string base_url_;
  std::string schema_;
  std::string fresh_schema_;  // a second schema some tests create
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, MigrationsAreAppliedOnceOnOpen) {
  EXPECT_EQ(store_->engine(), GetParam());
  ASSERT_OK_AND_ASSIGN(version, store_->SchemaVersion());
  EXPECT_EQ(version, Migrations().back().version);
  ASSERT_OK_AND_ASSIGN(again, OpenAnother());
  ASSERT_OK_AND_ASSIGN(version_again, again->SchemaVersion());
  EXPECT_EQ(version_again, version);
  EXPECT_EQ(CountRows("schema_migrations"), static_cast<std::int64_t>(Migrations().size()));
}

TEST_P(StoreConformance, AFreshDatabaseOpenedByManyAtOnceIsMigratedOnce) {
  ASSERT_OK_AND_ASSIGN(fresh_url, FreshDatabase());
  constexpr int kOpeners = 6;
  std::vector<std::string> errors(kOpeners);
  std::vector<std::thread> threads;
  threads.reserve(kOpeners);
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      Result<std::unique_ptr<Store>> s = OpenStore(fresh_url);
      if (!s) errors[i] = s.error().ToString();
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kOpeners; ++i) EXPECT_EQ(errors[i], "") << "opener " << i;
  ASSERT_OK_AND_ASSIGN(store, OpenStore(fresh_url));
  ASSERT_OK_AND_ASSIGN(version, store->SchemaVersion());
  EXPECT_EQ(version, Migrations().back().version);
}

TEST_P(StoreConformance, AnOlderDatabaseIsUpgradedOnOpen) {
  // A database as securescore left it before migration 2 (append-only guards), with data.
  ASSERT_OK_AND_ASSIGN(old_url, FreshDatabase());
  ASSERT_OK_AND_ASSIGN(raw, RawConnection(old_url));
  ASSERT_OK_AND_ASSIGN(old_version, MigrateTo(*raw, 1));
  ASSERT_EQ(old_version, 1);
  ASSERT_OK(
      raw->ExecuteScript("INSERT INTO audit_log (actor, action, target, detail_json, at) "
                         "VALUES ('alice', 'tenant.add', 'tenant/a', '{}', 0); "
                         "UPDATE audit_log SET actor = 'mallory'"));

  ASSERT_OK_AND_ASSIGN(upgraded, OpenStore(old_url));
  ASSERT_OK_AND_ASSIGN(version, upgraded->SchemaVersion());
  EXPECT_EQ(version, Migrations().back().version);
  EXPECT_FALSE(raw->ExecuteScript("UPDATE audit_log SET actor = 'alice'").ok());
  ASSERT_OK_AND_ASSIGN(entries, upgraded->ListAudit({}));
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_EQ(entries[0].actor, "mallory");  // data from before the upgrade is kept as it was
}

TEST_P(StoreConformance, RefusesADatabaseFromANewerSecurescore) {
  ASSERT_OK_AND_ASSIGN(raw, Raw());
  ASSERT_OK(raw->Query("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                       std::vector<sql::Value>{std::int64_t{9999}, std::string("future")}));
  Result<std::unique_ptr<Store>> reopened = OpenAnother();
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code, ErrorCode::kConflict);
  EXPECT_THAT(reopened.error().message, ::testing::HasSubstr("9999"));
}

TEST_P(StoreConformance, IntegrityCheckFindsBrokenReferences) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "snapshot");
  ASSERT_OK(store_->InsertEvaluation(MakeEvaluation("contoso", hash, kDay0, 50)));
  ASSERT_OK(store_->CheckIntegrity());
  if (!postgres()) {
    // Only SQLite lets a connection switch its foreign keys off and leave an orphan behind.
    ASSERT_OK_AND_ASSIGN(raw, Raw());
    ASSERT_OK(raw->ExecuteScript("PRAGMA foreign_keys = OFF; DELETE FROM evaluations"));
    Status broken = store_->CheckIntegrity();
    ASSERT_FALSE(broken.ok());
    EXPECT_THAT(broken.error().message, ::testing::HasSubstr("evaluation_"));
  }
}

TEST_P(StoreConformance, TenantsRoundTrip) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("b-tenant", 4200, "Healthcare")));
  ASSERT_OK(store_->UpsertTenant(MakeTenant("a-tenant", 12, "")));
  ASSERT_OK_AND_ASSIGN(b, store_->GetTenant("b-tenant"));
  EXPECT_EQ(b.display_name, "Tenant b-tenant");
  EXPECT_EQ(b.industry, "Healthcare");
  EXPECT_EQ(b.seats, 4200);

  ASSERT_OK(store_->UpsertTenant(Tenant{"b-tenant", "Renamed", "Retail", 4300}));
  ASSERT_OK_AND_ASSIGN(renamed, store_->GetTenant("b-tenant"));
  EXPECT_EQ(renamed.display_name, "Renamed");
  EXPECT_EQ(renamed.industry, "Retail");
  EXPECT_EQ(renamed.seats, 4300);

  ASSERT_OK_AND_ASSIGN(all, store_->ListTenants());
  ASSERT_THAT(all, SizeIs(2));
  EXPECT_EQ(all[0].id, "a-tenant");
  EXPECT_EQ(all[1].id, "b-tenant");

  ASSERT_OK(store_->RemoveTenant("a-tenant"));
  Result<Tenant> gone = store_->GetTenant("a-tenant");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  Status again = store_->RemoveTenant("a-tenant");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store_->UpsertTenant(Tenant{}).ok());
}

TEST_P(StoreConformance, RemovingATenantDeletesItsDataOnly) {
  for (const std::string id : {"gone", "kept"}) {
    std::string hash = PutTenantWithSnapshot(*store_, id, "snapshot of " + id);
    ASSERT_OK(store_->InsertEvaluation(MakeEvaluation(id, hash, kDay0, 50)));
    ControlStateChange change{
        {id, "Control0", core::ControlState::kPlanned, "", "", {}, {}, "alice", kDay0},
        "planned for Q1"};
    ASSERT_OK(store_->SetControlState(change));
    ASSERT_OK(store_->AddException(
        ExceptionRecord{id, "Control0", "breakglass", "r", "o", {}, "alice", kDay0}));
    ASSERT_OK(
        store_->SetGoal(Goal{id, std::chrono::floor<days>(kDay0) + days(30), 80, "a", kDay0}));
    ASSERT_OK(store_->SetScoreZones(id, ScoreZones{70, 40}));
    MicrosoftScore ms{id, std::chrono::floor<days>(kDay0), 10, 20, "{}"};
    ASSERT_OK(store_->PutMicrosoftScores(std::span(&ms, 1)));
    ASSERT_OK(store_->EnqueueJob(JobRequest{"evaluate", id, "{}", 3}, kDay0));
  }
  ASSERT_OK(
      store_->AppendAudit(AuditEntry{0, "alice", "tenant.remove", "tenant/gone", "{}", kDay0}));
  ASSERT_OK(store_->RemoveTenant("gone"));

  for (const std::string table :
       {"snapshots", "evaluations", "evaluation_categories", "evaluation_controls",
        "control_states", "control_state_history", "exceptions", "goals", "score_zones",
        "microsoft_scores", "jobs"}) {
    ASSERT_OK_AND_ASSIGN(raw, Raw());
    ASSERT_OK_AND_ASSIGN(rows,
                         raw->Query("SELECT COUNT(*) FROM " + table + " WHERE " +
                                        (table.starts_with("evaluation_")
                                             ? "evaluation_id IN (SELECT id FROM evaluations WHERE "
                                               "tenant_id = 'gone')"
                                             : "tenant_id = 'gone'"),
                                    {}));
    EXPECT_EQ(sql::AsInt(rows[0][0]), 0) << table;
  }
  EXPECT_EQ(CountRows("evaluations"), 1);
  EXPECT_EQ(CountRows("evaluation_controls"), 3);
  EXPECT_EQ(CountRows("jobs"), 1);
  // The audit log outlives what it describes.
  EXPECT_EQ(CountRows("audit_log"), 1);
  ASSERT_OK_AND_ASSIGN(kept, store_->LatestEvaluation("kept"));
  EXPECT_EQ(kept.controls.size(), 3U);
}

TEST_P(StoreConformance, SnapshotsAreStoredOnceCompressedAndComeBackIntact) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  std::string content = R"({"schema":"securescore.snapshot/1","sources":{"graph":{"users":[)";
  for (int i = 0; i < 2000; ++i) {
    content += R"({"id":")" + std::to_string(i) + R"(","accountEnabled":true},)";
  }
  content += "{}]}}}";
  content += std::string("\0binary\xff", 8);

  ASSERT_OK_AND_ASSIGN(first, store_->PutSnapshot("contoso", kDay0, content));
  EXPECT_TRUE(first.inserted);
  EXPECT_EQ(first.hash, Sha256Hex(content));
  ASSERT_OK_AND_ASSIGN(second, store_->PutSnapshot("contoso", kDay0 + hours(1), content));
  EXPECT_FALSE(second.inserted);
  EXPECT_EQ(second.hash, first.hash);
  ASSERT_OK(store_->PutSnapshot("contoso", kDay0 + hours(2), "another snapshot"));

  ASSERT_OK_AND_ASSIGN(snapshot, store_->GetSnapshot("contoso", first.hash));
  EXPECT_EQ(snapshot.bytes, content);
  EXPECT_EQ(snapshot.info.collected_at, kDay0);
  EXPECT_EQ(snapshot.info.original_size, static_cast<std::int64_t>(content.size()));
  EXPECT_LT(snapshot.info.stored_size * 5, snapshot.info.original_size);

  ASSERT_OK_AND_ASSIGN(list, store_->ListSnapshots("contoso"));
  ASSERT_THAT(list, SizeIs(2));
  EXPECT_EQ(list[0].hash, first.hash);
  EXPECT_EQ(CountRows("snapshots"), 2);

  Result<Snapshot> missing = store_->GetSnapshot("contoso", std::string(64, '0'));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  Result<SnapshotRef> no_tenant = store_->PutSnapshot("nobody", kDay0, "x");
  ASSERT_FALSE(no_tenant.ok());
  EXPECT_EQ(no_tenant.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, EvaluationsRoundTripWithEveryField) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "snapshot");
  Evaluation e = MakeEvaluation("contoso", hash, kDay0 + hours(5), 61.5384615384615, 4);
  e.controls[1].failing = Entities("user", 1200);  // large enough to be compressed
  e.controls[1].excepted = {EntityRef{"breakglass1", "Break Glass 1", "excepted: emergency"},
                            EntityRef{"breakglass2", "Break Glass 2", ""}};
  e.controls[2].failing = Entities("admin", 2);
  e.controls[2].status = core::ControlStatus::kNoData;
  e.controls[2].state = core::ControlState::kAlternateMitigation;
  e.controls[3].status = core::ControlStatus::kError;
  e.controls[3].state = core::ControlState::kRiskAccepted;
  e.controls[3].points = 1.0 / 3.0;

  ASSERT_OK_AND_ASSIGN(ref, store_->InsertEvaluation(e));
  EXPECT_TRUE(ref.inserted);
  EXPECT_GT(ref.id, 0);
  ASSERT_OK_AND_ASSIGN(got, store_->GetEvaluation(ref.id));
  e.summary.id = ref.id;
  EXPECT_EQ(got.summary.id, ref.id);
  EXPECT_EQ(got.summary.tenant_id, "contoso");
  EXPECT_EQ(got.summary.snapshot_hash, hash);
  EXPECT_EQ(got.summary.evaluated_at, e.summary.evaluated_at);
  EXPECT_EQ(got.summary.catalog_version, "2026.11");
  EXPECT_EQ(got.summary.current, e.summary.current);  // exact doubles, not rounded
  EXPECT_EQ(got.summary.max, 100);
  EXPECT_EQ(got.summary.measured, e.summary.measured);
  EXPECT_EQ(got.summary.planned, e.summary.planned);
  EXPECT_EQ(got.coverage.assessed, 4);
  EXPECT_EQ(got.coverage.not_applicable, 1);
  EXPECT_EQ(got.coverage.no_data, 2);
  ASSERT_THAT(got.categories, SizeIs(5));
  EXPECT_EQ(got.categories[0].name, "Identity");
  EXPECT_EQ(got.categories[4].name, "Infrastructure");
  EXPECT_EQ(got.categories[1].current, e.categories[1].current);
  ASSERT_THAT(got.controls, SizeIs(4));
  for (std::size_t i = 0; i < e.controls.size(); ++i) {
    const ControlResult& want = e.controls[i];
    const ControlResult& have = got.controls[i];
    EXPECT_EQ(have.id, want.id);
    EXPECT_EQ(have.title, want.title);
    EXPECT_EQ(have.category, want.category);
    EXPECT_EQ(have.service, want.service);
    EXPECT_EQ(have.status, want.status);
    EXPECT_EQ(have.state, want.state);
    EXPECT_EQ(have.points, want.points);
    EXPECT_EQ(have.measured_points, want.measured_points);
    EXPECT_EQ(have.max, want.max);
    EXPECT_EQ(have.count, want.count);
    EXPECT_EQ(have.total, want.total);
    EXPECT_EQ(have.score_impact, want.score_impact);
    EXPECT_EQ(have.evidence_level, want.evidence_level);
    ASSERT_EQ(have.failing.size(), want.failing.size());
    for (std::size_t k = 0; k < want.failing.size(); ++k) {
      EXPECT_EQ(have.failing[k].entity_id, want.failing[k].entity_id);
      EXPECT_EQ(have.failing[k].entity_name, want.failing[k].entity_name);
      EXPECT_EQ(have.failing[k].reason, want.failing[k].reason);
    }
    ASSERT_EQ(have.excepted.size(), want.excepted.size());
    for (std::size_t k = 0; k < want.excepted.size(); ++k) {
      EXPECT_EQ(have.excepted[k].entity_id, want.excepted[k].entity_id);
      EXPECT_EQ(have.excepted[k].reason, want.excepted[k].reason);
    }
  }
  ASSERT_OK_AND_ASSIGN(latest, store_->LatestEvaluation("contoso"));
  EXPECT_EQ(latest.summary.id, ref.id);

  Result<Evaluation> missing = store_->GetEvaluation(ref.id + 1000);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  Result<Evaluation> none = store_->LatestEvaluation("nobody");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, SameSnapshotAndCatalogVersionIsStoredOnce) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "snapshot");
  ASSERT_OK_AND_ASSIGN(first, store_->InsertEvaluation(MakeEvaluation("contoso", hash, kDay0, 50)));
  ASSERT_OK_AND_ASSIGN(
      second, store_->InsertEvaluation(MakeEvaluation("contoso", hash, kDay0 + hours(1), 55)));
  EXPECT_TRUE(first.inserted);
  EXPECT_FALSE(second.inserted);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(CountRows("evaluations"), 1);
  EXPECT_EQ(CountRows("evaluation_controls"), 3);
  ASSERT_OK_AND_ASSIGN(kept, store_->GetEvaluation(first.id));
  EXPECT_EQ(kept.summary.current, 50);

  // A newer catalog re-evaluates the same snapshot as a new evaluation, keeping the old one.
  ASSERT_OK_AND_ASSIGN(reevaluated, store_->InsertEvaluation(MakeEvaluation(
                                        "contoso", hash, kDay0 + hours(2), 57, 3, "2026.12")));
  EXPECT_TRUE(reevaluated.inserted);
  EXPECT_NE(reevaluated.id, first.id);
  EXPECT_EQ(CountRows("evaluations"), 2);
}

TEST_P(StoreConformance, EvaluationOfAnUnstoredSnapshotIsRefused) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  Result<EvaluationRef> r =
      store_->InsertEvaluation(MakeEvaluation("contoso", std::string(64, 'a'), kDay0, 50));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(CountRows("evaluations"), 0);
}

TEST_P(StoreConformance, AFailureMidInsertLeavesNothingHalfWritten) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "snapshot");
  // 600 controls are written in several batches; a duplicate id near the end makes the last
  // batch fail after the evaluation row, its categories and most controls were written.
  Evaluation broken = MakeEvaluation("contoso", hash, kDay0, 50, 600);
  broken.controls[590].id = broken.controls[10].id;
  Result<EvaluationRef> failed = store_->InsertEvaluation(broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kConflict) << failed.error().ToString();
  EXPECT_EQ(CountRows("evaluations"), 0);
  EXPECT_EQ(CountRows("evaluation_categories"), 0);
  EXPECT_EQ(CountRows("evaluation_controls"), 0);

  // The connection is still usable and the same evaluation, corrected, goes in whole.
  ASSERT_OK_AND_ASSIGN(ok,
                       store_->InsertEvaluation(MakeEvaluation("contoso", hash, kDay0, 50, 600)));
  EXPECT_TRUE(ok.inserted);
  EXPECT_EQ(CountRows("evaluation_controls"), 600);
}

TEST_P(StoreConformance, AKilledWriterLeavesOnlyWholeEvaluations) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "snapshot");
  constexpr int kControls = 120;
  std::set<std::int64_t> reported;
  // Kill the writer at several points; each round continues where the last left off.
  for (int round = 0; round < 4; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(pipe_fds[0]);
      Result<std::unique_ptr<Store>> store = OpenStore(url_);
      if (!store) _exit(2);
      for (int i = 0;; ++i) {
        // Each evaluation is its own catalog version, so none is deduplicated.
        Evaluation e = MakeEvaluation("contoso", hash, kDay0 + seconds(i), 50, kControls,
                                      "r" + std::to_string(round) + "-" + std::to_string(i));
        Result<EvaluationRef> ref = (*store)->InsertEvaluation(e);
        if (!ref) _exit(3);
        // Reported only after the commit returned, as `ingest` reports "stored".
        if (write(pipe_fds[1], &ref->id, sizeof ref->id) != sizeof ref->id) _exit(4);
      }
    }
    close(pipe_fds[1]);
    // Let it commit a few evaluations, then kill it at whatever it is doing.
    std::int64_t id = 0;
    for (int k = 0; k < 3 + round * 2; ++k) {
      ASSERT_EQ(read(pipe_fds[0], &id, sizeof id), static_cast<ssize_t>(sizeof id));
      reported.insert(id);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3 * round + 1));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited on its own with " << WEXITSTATUS(status);
    while (read(pipe_fds[0], &id, sizeof id) == static_cast<ssize_t>(sizeof id)) {
      reported.insert(id);
    }
    close(pipe_fds[0]);
  }

  ASSERT_OK_AND_ASSIGN(reopened, OpenAnother());
  ASSERT_OK(reopened->CheckIntegrity());
  ASSERT_OK_AND_ASSIGN(raw, Raw());
  ASSERT_OK_AND_ASSIGN(partial,
                       raw->Query("SELECT e.id, COUNT(c.control_id) FROM evaluations e LEFT JOIN "
                                  "evaluation_controls c ON c.evaluation_id = e.id GROUP BY e.id",
                                  {}));
  std::set<std::int64_t> stored;
  for (const sql::Row& r : partial) {
    stored.insert(sql::AsInt(r[0]));
    EXPECT_EQ(sql::AsInt(r[1]), kControls) << "evaluation " << sql::AsInt(r[0]) << " is partial";
  }
  for (std::int64_t id : reported) EXPECT_TRUE(stored.count(id)) << "lost evaluation " << id;
  ASSERT_OK(reopened->InsertEvaluation(MakeEvaluation("contoso", hash, kDay0, 1, 1, "after")));
}

TEST_P(StoreConformance, ListsEvaluationsBetweenDates) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "s");
  for (int d = 0; d < 5; ++d) {
    ASSERT_OK(store_->InsertEvaluation(
        MakeEvaluation("contoso", hash, kDay0 + days(d), 10.0 * d, 1, "v" + std::to_string(d))));
  }
  ASSERT_OK_AND_ASSIGN(middle,
                       store_->ListEvaluations("contoso", {kDay0 + days(1), kDay0 + days(3)}));
  ASSERT_THAT(middle, SizeIs(3));
  EXPECT_EQ(middle[0].current, 10);
  EXPECT_EQ(middle[2].current, 30);
  ASSERT_OK_AND_ASSIGN(all, store_->ListEvaluations("contoso", {}));
  EXPECT_THAT(all, SizeIs(5));
  ASSERT_OK_AND_ASSIGN(latest, store_->LatestEvaluation("contoso"));
  EXPECT_EQ(latest.summary.current, 40);
}

TEST_P(StoreConformance, DailySeriesTakesTheLastEvaluationOfEachDay) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "s");
  ASSERT_OK(store_->UpsertTenant(MakeTenant("other")));
  ASSERT_OK(store_->PutSnapshot("other", kDay0, "o"));
  // Inserted out of order: the series must follow evaluated_at, not insertion order.
  struct Point {
    Timestamp at;
    double current;
  };
  for (Point p : {Point{kDay0 + hours(17), 47}, Point{kDay0 + hours(8), 41},
                  Point{kDay0 + hours(12), 44}, Point{kDay0 + days(1) + hours(9), 52},
                  Point{kDay0 + days(3) + hours(23) + seconds(3599), 60},
                  Point{kDay0 + days(3) + hours(1), 58}}) {
    ASSERT_OK(store_->InsertEvaluation(MakeEvaluation(
        "contoso", hash, p.at, p.current, 1, std::to_string(p.at.time_since_epoch().count()))));
  }
  ASSERT_OK(
      store_->InsertEvaluation(MakeEvaluation("other", Sha256Hex("o"), kDay0 + hours(23), 99)));

  ASSERT_OK_AND_ASSIGN(series, store_->DailySeries("contoso", {}));
  ASSERT_THAT(series, SizeIs(3));
  const Day day0 = std::chrono::floor<days>(kDay0);
  EXPECT_EQ(series[0].day, day0);
  EXPECT_EQ(series[0].evaluation.current, 47);
  EXPECT_EQ(series[1].day, day0 + days(1));
  EXPECT_EQ(series[1].evaluation.current, 52);
  EXPECT_EQ(series[2].day, day0 + days(3));
  EXPECT_EQ(series[2].evaluation.current, 60);

  ASSERT_OK_AND_ASSIGN(window, store_->DailySeries("contoso", {kDay0 + days(1), kDay0 + days(2)}));
  ASSERT_THAT(window, SizeIs(1));
  EXPECT_EQ(window[0].evaluation.current, 52);
}

TEST_P(StoreConformance, PerControlPointsHistory) {
  std::string hash = PutTenantWithSnapshot(*store_, "contoso", "s");
  for (int d = 0; d < 3; ++d) {
    Evaluation e = MakeEvaluation("contoso", hash, kDay0 + days(d), 50, 2, std::to_string(d));
    e.controls[1].points = d;
    e.controls[1].count = d * 10;
    e.controls[1].state = d == 2 ? core::ControlState::kPlanned : core::ControlState::kToAddress;
    ASSERT_OK(store_->InsertEvaluation(e));
  }
  ASSERT_OK_AND_ASSIGN(history, store_->ControlHistory("contoso", "Control1", {}));
  ASSERT_THAT(history, SizeIs(3));
  EXPECT_EQ(history[0].points, 0);
  EXPECT_EQ(history[1].points, 1);
  EXPECT_EQ(history[2].points, 2);
  EXPECT_EQ(history[2].count, 20);
  EXPECT_EQ(history[2].state, core::ControlState::kPlanned);
  EXPECT_EQ(history[1].evaluated_at, kDay0 + days(1));
  ASSERT_OK_AND_ASSIGN(none, store_->ControlHistory("contoso", "NoSuchControl", {}));
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreConformance, StateChangesAreKeptWithTheirHistory) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  Result<ControlStateRecord> unset = store_->GetControlState("contoso", "MFARegistrationV2");
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().code, ErrorCode::kNotFound);

  ControlStateRecord planned{"contoso",
                             "MFARegistrationV2",
                             core::ControlState::kPlanned,
                             "rolling out in January",
                             "bob@contoso.example",
                             {"q1", "identity \"core\""},
                             std::nullopt,
                             "alice",
                             kDay0};
  ASSERT_OK(store_->SetControlState({planned, "roadmap review"}));
  ControlStateRecord accepted = planned;
  accepted.state = core::ControlState::kRiskAccepted;
  accepted.comment = "vendor app cannot do MFA";
  accepted.tags = {};
  accepted.expires_at = kDay0 + days(90);
  accepted.updated_by = "carol";
  accepted.updated_at = kDay0 + days(2);
  ASSERT_OK(store_->SetControlState({accepted, "CAB-1234"}));
  ASSERT_OK(store_->SetControlState({{"contoso",
                                      "AdminMFAV2",
                                      core::ControlState::kThirdParty,
                                      "",
                                      "",
                                      {},
                                      {},
                                      "dave",
                                      kDay0 + days(3)},
                                     ""}));

  ASSERT_OK_AND_ASSIGN(got, store_->GetControlState("contoso", "MFARegistrationV2"));
  EXPECT_EQ(got.state, core::ControlState::kRiskAccepted);
  EXPECT_EQ(got.comment, "vendor app cannot do MFA");
  EXPECT_EQ(got.assignee, "bob@contoso.example");
  EXPECT_TRUE(got.tags.empty());
  EXPECT_EQ(got.expires_at, kDay0 + days(90));
  EXPECT_EQ(got.updated_by, "carol");
  EXPECT_EQ(got.updated_at, kDay0 + days(2));

  ASSERT_OK_AND_ASSIGN(states, store_->ListControlStates("contoso"));
  ASSERT_THAT(states, SizeIs(2));
  EXPECT_EQ(states[0].control_id, "AdminMFAV2");

  ASSERT_OK_AND_ASSIGN(history, store_->StateHistory("contoso", "MFARegistrationV2"));
  ASSERT_THAT(history, SizeIs(2));
  EXPECT_EQ(history[0].from, core::ControlState::kToAddress);
  EXPECT_EQ(history[0].to, core::ControlState::kPlanned);
  EXPECT_EQ(history[0].changed_by, "alice");
  EXPECT_EQ(history[0].changed_at, kDay0);
  EXPECT_EQ(history[0].reason, "roadmap review");
  EXPECT_EQ(history[1].from, core::ControlState::kPlanned);
  EXPECT_EQ(history[1].to, core::ControlState::kRiskAccepted);
  EXPECT_EQ(history[1].changed_by, "carol");
  EXPECT_EQ(history[1].reason, "CAB-1234");
  ASSERT_OK_AND_ASSIGN(everything, store_->StateHistory("contoso", ""));
  EXPECT_THAT(everything, SizeIs(3));

  // Tags survive the round trip, quotes included.
  ASSERT_OK(store_->SetControlState({planned, "back to planned"}));
  ASSERT_OK_AND_ASSIGN(tagged, store_->GetControlState("contoso", "MFARegistrationV2"));
  EXPECT_THAT(tagged.tags, ElementsAre("q1", "identity \"core\""));

  Result<ControlStateRecord> no_tenant = store_->SetControlState(
      {{"nobody", "X", core::ControlState::kPlanned, "", "", {}, {}, "a", kDay0}, ""});
  ASSERT_FALSE(no_tenant.ok());
  EXPECT_EQ(no_tenant.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ExpiredStatesRevertAndTheHistorySaysSo) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  ASSERT_OK(store_->UpsertTenant(MakeTenant("fabrikam")));
  const Timestamp expiry = kDay0 + days(30);
  ASSERT_OK(store_->SetControlState({{"contoso",
                                      "MFARegistrationV2",
                                      core::ControlState::kRiskAccepted,
                                      "for now",
                                      "bob",
                                      {},
                                      expiry,
                                      "alice",
                                      kDay0},
                                     "temporary"}));
  ASSERT_OK(store_->SetControlState({{"fabrikam",
                                      "AdminMFAV2",
                                      core::ControlState::kThirdParty,
                                      "",
                                      "",
                                      {},
                                      expiry + days(1),
                                      "alice",
                                      kDay0},
                                     ""}));
  ASSERT_OK(store_->SetControlState({{"fabrikam",
                                      "BlockLegacyAuth",
                                      core::ControlState::kPlanned,
                                      "",
                                      "",
                                      {},
                                      std::nullopt,
                                      "alice",
                                      kDay0},
                                     ""}));

  ASSERT_OK_AND_ASSIGN(early, store_->ExpireStates(expiry - seconds(1)));
  EXPECT_TRUE(early.empty());
  ASSERT_OK_AND_ASSIGN(due, store_->ExpireStates(expiry));
  ASSERT_THAT(due, SizeIs(1));
  EXPECT_EQ(due[0].tenant_id, "contoso");
  EXPECT_EQ(due[0].from, core::ControlState::kRiskAccepted);
  EXPECT_EQ(due[0].to, core::ControlState::kToAddress);
  EXPECT_EQ(due[0].reason, "expired");
  EXPECT_EQ(due[0].changed_at, expiry);

  ASSERT_OK_AND_ASSIGN(reverted, store_->GetControlState("contoso", "MFARegistrationV2"));
  EXPECT_EQ(reverted.state, core::ControlState::kToAddress);
  EXPECT_FALSE(reverted.expires_at.has_value());
  EXPECT_EQ(reverted.comment, "for now");
  ASSERT_OK_AND_ASSIGN(history, store_->StateHistory("contoso", "MFARegistrationV2"));
  ASSERT_THAT(history, SizeIs(2));
  EXPECT_EQ(history[1].reason, "expired");
  EXPECT_EQ(history[1].from, core::ControlState::kRiskAccepted);

  ASSERT_OK_AND_ASSIGN(again, store_->ExpireStates(expiry));
  EXPECT_TRUE(again.empty());
  ASSERT_OK_AND_ASSIGN(later, store_->ExpireStates(expiry + days(365)));
  ASSERT_THAT(later, SizeIs(1));
  EXPECT_EQ(later[0].control_id, "AdminMFAV2");
  ASSERT_OK_AND_ASSIGN(untouched, store_->GetControlState("fabrikam", "BlockLegacyAuth"));
  EXPECT_EQ(untouched.state, core::ControlState::kPlanned);
}

TEST_P(StoreConformance, ExceptionsPerEntityWithExpiry) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  ExceptionRecord first{"contoso",
                        "MFARegistrationV2",
                        "breakglass1@contoso.example",
                        "emergency access account",
                        "secops",
                        std::nullopt,
                        "alice",
                        kDay0};
  ExceptionRecord second = first;
  second.entity_id = "breakglass2@contoso.example";
  second.expires_at = kDay0 + days(10);
  ASSERT_OK(store_->AddException(first));
  ASSERT_OK(store_->AddException(second));

  ASSERT_OK_AND_ASSIGN(all, store_->ListExceptions("contoso"));
  ASSERT_THAT(all, SizeIs(2));
  EXPECT_EQ(all[0].entity_id, "breakglass1@contoso.example");
  EXPECT_EQ(all[0].rationale, "emergency access account");
  EXPECT_EQ(all[0].owner, "secops");
  EXPECT_FALSE(all[0].expires_at.has_value());
  EXPECT_EQ(all[1].expires_at, kDay0 + days(10));
  EXPECT_EQ(all[1].created_by, "alice");
  EXPECT_EQ(all[1].created_at, kDay0);

  ASSERT_OK_AND_ASSIGN(active_before, store_->ActiveExceptions("contoso", kDay0 + days(9)));
  EXPECT_THAT(active_before, SizeIs(2));
  ASSERT_OK_AND_ASSIGN(active_after, store_->ActiveExceptions("contoso", kDay0 + days(10)));
  ASSERT_THAT(active_after, SizeIs(1));
  EXPECT_EQ(active_after[0].entity_id, "breakglass1@contoso.example");

  second.rationale = "renewed";
  second.expires_at = kDay0 + days(40);
  ASSERT_OK(store_->AddException(second));
  ASSERT_OK_AND_ASSIGN(renewed, store_->ActiveExceptions("contoso", kDay0 + days(20)));
  ASSERT_THAT(renewed, SizeIs(2));
  EXPECT_EQ(renewed[1].rationale, "renewed");

  ASSERT_OK(store_->RemoveException("contoso", "MFARegistrationV2", "breakglass1@contoso.example"));
  ASSERT_OK_AND_ASSIGN(left, store_->ListExceptions("contoso"));
  EXPECT_THAT(left, SizeIs(1));
  Status missing =
      store_->RemoveException("contoso", "MFARegistrationV2", "breakglass1@contoso.example");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, GoalsAndScoreZones) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  const Day day0 = std::chrono::floor<days>(kDay0);
  ASSERT_OK(store_->SetGoal(Goal{"contoso", day0 + days(90), 75, "alice", kDay0}));
  ASSERT_OK(store_->SetGoal(Goal{"contoso", day0 + days(30), 60, "alice", kDay0}));
  ASSERT_OK(store_->SetGoal(Goal{"contoso", day0 + days(90), 80, "bob", kDay0 + days(1)}));
  ASSERT_OK_AND_ASSIGN(goals, store_->ListGoals("contoso"));
  ASSERT_THAT(goals, SizeIs(2));
  EXPECT_EQ(goals[0].target_date, day0 + days(30));
  EXPECT_EQ(goals[0].target_percentage, 60);
  EXPECT_EQ(goals[1].target_percentage, 80);
  EXPECT_EQ(goals[1].set_by, "bob");
  EXPECT_EQ(goals[1].set_at, kDay0 + days(1));
  ASSERT_OK(store_->RemoveGoal("contoso", day0 + days(30)));
  ASSERT_OK_AND_ASSIGN(one, store_->ListGoals("contoso"));
  EXPECT_THAT(one, SizeIs(1));
  EXPECT_FALSE(store_->SetGoal(Goal{"contoso", day0, 120, "a", kDay0}).ok());

  ASSERT_OK_AND_ASSIGN(no_zones, store_->GetScoreZones("contoso"));
  EXPECT_FALSE(no_zones.has_value());
  ASSERT_OK(store_->SetScoreZones("contoso", ScoreZones{70, 40}));
  ASSERT_OK(store_->SetScoreZones("contoso", ScoreZones{75, 45}));
  ASSERT_OK_AND_ASSIGN(zones, store_->GetScoreZones("contoso"));
  ASSERT_TRUE(zones.has_value());
  EXPECT_EQ(zones->good, 75);
  EXPECT_EQ(zones->okay, 45);
  Status inverted = store_->SetScoreZones("contoso", ScoreZones{30, 60});
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(inverted.error().code, ErrorCode::kInvalidInput);
}

TEST_P(StoreConformance, MicrosoftSeriesIsUpsertedPerDay) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  const Day day0 = std::chrono::floor<days>(kDay0);
  std::vector<MicrosoftScore> first = {
      {"contoso", day0, 41.5, 120, R"({"currentScore":41.5})"},
      {"contoso", day0 + days(1), 42.5, 120, R"({"currentScore":42.5})"}};
  ASSERT_OK(store_->PutMicrosoftScores(first));
  std::vector<MicrosoftScore> again = {
      {"contoso", day0 + days(1), 43, 121, R"({"currentScore":43})"},
      {"contoso", day0 + days(2), 44, 121, R"({"currentScore":44})"}};
  ASSERT_OK(store_->PutMicrosoftScores(again));

  ASSERT_OK_AND_ASSIGN(series, store_->MicrosoftSeries("contoso", {}));
  ASSERT_THAT(series, SizeIs(3));
  EXPECT_EQ(series[0].day, day0);
  EXPECT_EQ(series[1].day, day0 + days(1));
  EXPECT_EQ(series[1].current_score, 43);
  EXPECT_EQ(series[1].max_score, 121);
  EXPECT_EQ(series[1].raw_json, R"({"currentScore":43})");
  ASSERT_OK_AND_ASSIGN(
      window, store_->MicrosoftSeries("contoso", {kDay0 + days(1) + hours(5), kDay0 + days(2)}));
  EXPECT_THAT(window, SizeIs(2));

  std::vector<MicrosoftScore> unknown = {{"nobody", day0, 1, 2, "{}"}};
  EXPECT_FALSE(store_->PutMicrosoftScores(unknown).ok());
}

TEST_P(StoreConformance, ImportingGraphSecureScoresTwiceKeepsOneRowPerDay) {
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  std::ifstream in(std::string(SECURESCORE_FIXTURES_DIR) +
                   "/graph-securescore/secureScore-multiple.json");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_OK_AND_ASSIGN(scores,
                       ParseGraphSecureScores(text.str(), "contoso", "secureScore-multiple.json"));
  ASSERT_THAT(scores, SizeIs(2));  // two objects for the same day
  ASSERT_OK(store_->PutMicrosoftScores(scores));
  ASSERT_OK(store_->PutMicrosoftScores(scores));
  ASSERT_OK_AND_ASSIGN(series, store_->MicrosoftSeries("contoso", {}));
  ASSERT_THAT(series, SizeIs(1));
  EXPECT_EQ(series[0].current_score, 128);
  EXPECT_EQ(series[0].max_score, scores.back().max_score);  // the later object wins
  EXPECT_EQ(series[0].raw_json, scores.back().raw_json);
}

TEST_P(StoreConformance, ComparisonInputsUseEachTenantsLatestEvaluation) {
  for (auto [id, seats, industry] : {std::tuple{"a", 50, "Finance"}, std::tuple{"b", 700, "Retail"},
                                     std::tuple{"c", 9000, "Finance"}}) {
    ASSERT_OK(store_->UpsertTenant(Tenant{id, id, industry, seats}));
  }
  ASSERT_OK(store_->PutSnapshot("a", kDay0, "a"));
  ASSERT_OK(store_->PutSnapshot("b", kDay0, "b"));
  // a: an older evaluation with a higher score, then the latest.
  ASSERT_OK(
      store_->InsertEvaluation(MakeEvaluation("a", Sha256Hex("a"), kDay0 + days(2), 20, 1, "new")));
  ASSERT_OK(store_->InsertEvaluation(MakeEvaluation("a", Sha256Hex("a"), kDay0, 90, 1, "old")));
  ASSERT_OK(store_->InsertEvaluation(MakeEvaluation("b", Sha256Hex("b"), kDay0, 60)));

  ASSERT_OK_AND_ASSIGN(inputs, store_->ComparisonInputs());
  ASSERT_THAT(inputs, SizeIs(2));  // c has no evaluation yet
  EXPECT_EQ(inputs[0].tenant_id, "a");
  EXPECT_EQ(inputs[0].industry, "Finance");
  EXPECT_EQ(inputs[0].seats, 50);
  EXPECT_EQ(inputs[0].percentage, 20);
  ASSERT_THAT(inputs[0].categories, SizeIs(5));
  EXPECT_EQ(inputs[0].categories[0].name, "Identity");
  EXPECT_EQ(inputs[0].categories[0].percentage, 20);
  EXPECT_EQ(inputs[1].tenant_id, "b");
  EXPECT_EQ(inputs[1].seats, 700);
  EXPECT_EQ(inputs[1].percentage, 60);
  EXPECT_THAT(inputs[1].categories, SizeIs(5));
}

TEST_P(StoreConformance, FleetDailySeriesGivesEveryTenantsDaysAndTheFigureBeforeTheRange) {
  const std::string a = PutTenantWithSnapshot(*store_, "a", "a");
  const std::string b = PutTenantWithSnapshot(*store_, "b", "b");
  PutTenantWithSnapshot(*store_, "c", "c");  // never evaluated: no rows
  struct Point {
    std::string tenant;
    std::string hash;
    Timestamp at;
    double percentage;
  };
  const Timestamp b_tie = kDay0 + days(1) + hours(6);
  // Out of time order, two on one day, two at the very same second (the later id wins).
  for (const Point& p :
       {Point{"a", a, kDay0 + hours(17), 20}, Point{"a", a, kDay0 + hours(8), 10},
        Point{"a", a, kDay0 + days(2) + hours(9), 30}, Point{"a", a, kDay0 + days(4), 40},
        Point{"b", b, kDay0 - days(3), 5}, Point{"b", b, kDay0 - days(1) + hours(20), 7},
        Point{"b", b, kDay0 - days(1) + hours(3), 6}, Point{"b", b, b_tie, 50},
        Point{"b", b, b_tie, 55}}) {
    ASSERT_OK(store_->InsertEvaluation(MakeEvaluation(
        p.tenant, p.hash, p.at, p.percentage, 1,
        std::to_string(p.at.time_since_epoch().count()) + std::to_string(p.percentage))));
  }
  const Day day0 = std::chrono::floor<days>(kDay0);
  auto as_tuples = [](const std::vector<TenantDayScore>& rows) {
    std::vector<std::tuple<std::string, Day, double>> out;
    out.reserve(rows.size());
    for (const TenantDayScore& r : rows) out.emplace_back(r.tenant_id, r.day, r.percentage);
    return out;
  };
  using Row = std::tuple<std::string, Day, double>;

  ASSERT_OK_AND_ASSIGN(window, store_->FleetDailySeries({kDay0, kDay0 + days(4) - seconds(1)}));
  EXPECT_THAT(as_tuples(window),
              ElementsAre(Row{"a", day0, 20}, Row{"a", day0 + days(2), 30},
                          Row{"b", day0 - days(1), 7}, Row{"b", day0 + days(1), 55}));

  ASSERT_OK_AND_ASSIGN(everything, store_->FleetDailySeries({}));
  EXPECT_THAT(as_tuples(everything),
              ElementsAre(Row{"a", day0, 20}, Row{"a", day0 + days(2), 30},
                          Row{"a", day0 + days(4), 40}, Row{"b", day0 - days(3), 5},
                          Row{"b", day0 - days(1), 7}, Row{"b", day0 + days(1), 55}));

  // A range after every evaluation still gives each tenant's latest figure.
  ASSERT_OK_AND_ASSIGN(later, store_->FleetDailySeries({kDay0 + days(10), kDay0 + days(20)}));
  EXPECT_THAT(as_tuples(later),
              ElementsAre(Row{"a", day0 + days(4), 40}, Row{"b", day0 + days(1), 55}));
}

TEST_P(StoreConformance, JobsAreClaimedCompletedAndRetried) {
  ASSERT_OK_AND_ASSIGN(
      first, store_->EnqueueJob(JobRequest{"evaluate", "contoso", R"({"s":1})", 2}, kDay0));
  ASSERT_OK_AND_ASSIGN(
      second, store_->EnqueueJob(JobRequest{"collect", "fabrikam", "{}", 1}, kDay0 + seconds(1)));
  ASSERT_OK_AND_ASSIGN(claimed, store_->ClaimJob("worker-1", kDay0 + seconds(5), kLease));
  ASSERT_TRUE(claimed.has_value());
  EXPECT_EQ(claimed->id, first);
  EXPECT_EQ(claimed->kind, "evaluate");
  EXPECT_EQ(claimed->tenant_id, "contoso");
  EXPECT_EQ(claimed->payload, R"({"s":1})");
  EXPECT_EQ(claimed->status, JobStatus::kRunning);
  EXPECT_EQ(claimed->attempts, 1);
  EXPECT_EQ(claimed->claimed_by, "worker-1");
  EXPECT_EQ(claimed->claimed_at, kDay0 + seconds(5));

  // A failure with attempts left queues it again; it is claimed before the newer job.
  ASSERT_OK(store_->FailJob(first, "graph throttled", kDay0 + seconds(6)));
  ASSERT_OK_AND_ASSIGN(requeued, store_->GetJob(first));
  EXPECT_EQ(requeued.status, JobStatus::kQueued);
  EXPECT_EQ(requeued.last_error, "graph throttled");
  ASSERT_OK_AND_ASSIGN(retry, store_->ClaimJob("worker-2", kDay0 + seconds(7), kLease));
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->id, first);
  EXPECT_EQ(retry->attempts, 2);
  ASSERT_OK(store_->FailJob(first, "still throttled", kDay0 + seconds(8)));
  ASSERT_OK_AND_ASSIGN(failed, store_->GetJob(first));
  EXPECT_EQ(failed.status, JobStatus::kFailed);

  ASSERT_OK_AND_ASSIGN(next, store_->ClaimJob("worker-1", kDay0 + seconds(9), kLease));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->id, second);
  ASSERT_OK(store_->CompleteJob(second, kDay0 + seconds(10)));
  ASSERT_OK_AND_ASSIGN(done, store_->GetJob(second));
  EXPECT_EQ(done.status, JobStatus::kDone);
  Status twice = store_->CompleteJob(second, kDay0 + seconds(11));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);

  ASSERT_OK_AND_ASSIGN(empty, store_->ClaimJob("worker-1", kDay0 + seconds(12), kLease));
  EXPECT_FALSE(empty.has_value());
  EXPECT_FALSE(store_->EnqueueJob(JobRequest{"", "", "", 1}, kDay0).ok());
}

TEST_P(StoreConformance, JobsOfAStoppedWorkerAreQueuedAgain) {
  ASSERT_OK_AND_ASSIGN(id, store_->EnqueueJob(JobRequest{"evaluate", "contoso", "{}", 2}, kDay0));
  ASSERT_OK_AND_ASSIGN(first, store_->ClaimJob("worker-that-dies", kDay0 + seconds(10), kLease));
  ASSERT_TRUE(first.has_value());
  // Claimed at +10 s: not stale for a cutoff at +10 s, stale for one after it.
  ASSERT_OK_AND_ASSIGN(none, store_->RequeueStaleJobs(kDay0 + seconds(10), kDay0 + hours(1)));
  EXPECT_EQ(none, 0);
  ASSERT_OK_AND_ASSIGN(one, store_->RequeueStaleJobs(kDay0 + seconds(11), kDay0 + hours(1)));
  EXPECT_EQ(one, 1);
  ASSERT_OK_AND_ASSIGN(requeued, store_->GetJob(id));
  EXPECT_EQ(requeued.status, JobStatus::kQueued);
  EXPECT_THAT(requeued.last_error, ::testing::HasSubstr("worker stopped"));

  ASSERT_OK_AND_ASSIGN(second, store_->ClaimJob("worker-that-dies-too", kDay0 + hours(2), kLease));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->attempts, 2);
  ASSERT_OK(store_->RequeueStaleJobs(kDay0 + hours(3), kDay0 + hours(3)));
  ASSERT_OK_AND_ASSIGN(failed, store_->GetJob(id));
  EXPECT_EQ(failed.status, JobStatus::kFailed);  // no attempts left
}

// Claims every claimable job at `now` from `workers` connections at once, completing each;
// returns the ids each worker claimed and what failed.
struct ConcurrentClaims {
  std::vector<std::vector<std::int64_t>> claimed;
  std::vector<std::string> errors;
};
ConcurrentClaims ClaimConcurrently(const std::string& url, int workers, Timestamp now) {
  ConcurrentClaims out{std::vector<std::vector<std::int64_t>>(workers),
                       std::vector<std::string>(workers)};
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      Result<std::unique_ptr<Store>> store = OpenStore(url);
      if (!store) {
        out.errors[w] = store.error().ToString();
        return;
      }
      for (;;) {
        Result<std::optional<Job>> job = (*store)->ClaimJob("w" + std::to_string(w), now, kLease);
        if (!job) {
          out.errors[w] = job.error().ToString();
          return;
        }
        if (!job->has_value()) return;
        out.claimed[w].push_back((*job)->id);
        Status done = (*store)->CompleteJob((*job)->id, now);
        if (!done) {
          out.errors[w] = done.error().ToString();
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return out;
}

// Every one of `jobs` was claimed exactly once across the workers, without errors.
void ExpectEachClaimedOnce(const ConcurrentClaims& claims, int jobs) {
  std::set<std::int64_t> all;
  std::size_t total = 0;
  for (std::size_t w = 0; w < claims.claimed.size(); ++w) {
    EXPECT_EQ(claims.errors[w], "") << "worker " << w;
    total += claims.claimed[w].size();
    all.insert(claims.claimed[w].begin(), claims.claimed[w].end());
  }
  EXPECT_EQ(total, static_cast<std::size_t>(jobs)) << "a job was claimed twice or lost";
  EXPECT_EQ(all.size(), static_cast<std::size_t>(jobs));
}

TEST_P(StoreConformance, ConcurrentWorkersNeverClaimTheSameJob) {
  constexpr int kJobs = 120;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_OK(store_->EnqueueJob(JobRequest{"evaluate", "t" + std::to_string(i), "{}", 1}, kDay0));
  }
  ExpectEachClaimedOnce(ClaimConcurrently(url_, postgres() ? 4 : 2, kDay0), kJobs);
}

TEST_P(StoreConformance, ClaimsAreLeasesThatHeartbeatsExtend) {
  ASSERT_OK_AND_ASSIGN(id, store_->EnqueueJob(JobRequest{"evaluate", "contoso", "{}", 3}, kDay0));
  ASSERT_OK_AND_ASSIGN(claimed, store_->ClaimJob("w-dies", kDay0 + seconds(10), seconds(30)));
  ASSERT_TRUE(claimed.has_value());
  EXPECT_EQ(claimed->heartbeat_at, kDay0 + seconds(10));
  EXPECT_EQ(claimed->lease_expires_at, kDay0 + seconds(40));
  // A heartbeat pushes the lease forward from the time it is sent.
  ASSERT_OK(store_->RenewJobLease(id, "w-dies", kDay0 + seconds(30), seconds(30)));
  ASSERT_OK_AND_ASSIGN(renewed, store_->GetJob(id));
  EXPECT_EQ(renewed.status, JobStatus::kRunning);
  EXPECT_EQ(renewed.heartbeat_at, kDay0 + seconds(30));
  EXPECT_EQ(renewed.lease_expires_at, kDay0 + seconds(60));
  // Only the claimer may renew; while the lease holds, nobody else may claim.
  Status stranger = store_->RenewJobLease(id, "w-other", kDay0 + seconds(31), seconds(30));
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kConflict);
  ASSERT_OK_AND_ASSIGN(held, store_->ClaimJob("w-other", kDay0 + seconds(60), seconds(30)));
  EXPECT_FALSE(held.has_value());
  // The lease ran out (the worker stopped heartbeating): the next claim takes the job over.
  ASSERT_OK_AND_ASSIGN(taken, store_->ClaimJob("w-other", kDay0 + seconds(61), seconds(30)));
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->id, id);
  EXPECT_EQ(taken->claimed_by, "w-other");
  EXPECT_EQ(taken->attempts, 2);
  EXPECT_EQ(taken->lease_expires_at, kDay0 + seconds(91));
  EXPECT_THAT(taken->last_error, ::testing::HasSubstr("lease of worker w-dies ran out"));
  // The first worker has lost its claim: it can neither renew nor release the job.
  Status lost = store_->RenewJobLease(id, "w-dies", kDay0 + seconds(62), seconds(30));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(store_->ReleaseJob(id, "w-dies").ok());
  ASSERT_OK(store_->CompleteJob(id, kDay0 + seconds(70)));
  ASSERT_OK_AND_ASSIGN(done, store_->GetJob(id));
  EXPECT_EQ(done.status, JobStatus::kDone);
  EXPECT_FALSE(store_->RenewJobLease(id, "w-other", kDay0 + seconds(71), seconds(30)).ok());
  EXPECT_EQ(store_->ClaimJob("w", kDay0, seconds(0)).error().code, ErrorCode::kInvalidInput);
}

TEST_P(StoreConformance, AJobWhoseLeaseRunsOutWithoutAttemptsLeftFails) {
  ASSERT_OK_AND_ASSIGN(id, store_->EnqueueJob(JobRequest{"evaluate", "contoso", "{}", 1}, kDay0));
  ASSERT_OK_AND_ASSIGN(claimed, store_->ClaimJob("w-dies", kDay0, seconds(10)));
  ASSERT_TRUE(claimed.has_value());
  ASSERT_OK_AND_ASSIGN(none, store_->ClaimJob("w-other", kDay0 + seconds(11), seconds(10)));
  EXPECT_FALSE(none.has_value());
  ASSERT_OK_AND_ASSIGN(failed, store_->GetJob(id));
  EXPECT_EQ(failed.status, JobStatus::kFailed);
  EXPECT_THAT(failed.last_error, ::testing::HasSubstr("lease of worker w-dies ran out"));
}

TEST_P(StoreConformance, AReleasedJobIsQueuedWithoutUsingAnAttempt) {
  ASSERT_OK_AND_ASSIGN(id, store_->EnqueueJob(JobRequest{"evaluate", "contoso", "{}", 1}, kDay0));
  ASSERT_OK_AND_ASSIGN(claimed, store_->ClaimJob("w-stops", kDay0, kLease));
  ASSERT_TRUE(claimed.has_value());
  Status stranger = store_->ReleaseJob(id, "w-other");
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kConflict);
  ASSERT_OK(store_->ReleaseJob(id, "w-stops"));
  ASSERT_OK_AND_ASSIGN(released, store_->GetJob(id));
  EXPECT_EQ(released.status, JobStatus::kQueued);
  EXPECT_EQ(released.attempts, 0);
  EXPECT_EQ(released.claimed_by, "");
  EXPECT_FALSE(released.lease_expires_at.has_value());
  // Its one attempt is still there for the next worker.
  ASSERT_OK_AND_ASSIGN(again, store_->ClaimJob("w-next", kDay0 + seconds(1), kLease));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->attempts, 1);
  EXPECT_FALSE(store_->ReleaseJob(id, "w-stops").ok());
}

TEST_P(StoreConformance, ConcurrentWorkersTakeOverEachExpiredJobOnce) {
  constexpr int kJobs = 60;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_OK(store_->EnqueueJob(JobRequest{"evaluate", "t" + std::to_string(i), "{}", 2}, kDay0));
    ASSERT_OK_AND_ASSIGN(dead, store_->ClaimJob("w-dead", kDay0, seconds(5)));
    ASSERT_TRUE(dead.has_value());
  }
  // Every lease has run out: the live workers split the dead worker's jobs between them.
  ExpectEachClaimedOnce(ClaimConcurrently(url_, postgres() ? 4 : 2, kDay0 + hours(1)), kJobs);
}

constexpr int kTenantsPerWriter = 6;

// One writer of the concurrency tests: its own connection, its own tenants with snapshots and
// evaluations, plus changes to one shared control state. Returns the first error, or "".
std::string RunWriter(const std::string& url, int w) {
  Result<std::unique_ptr<Store>> opened = OpenStore(url);
  if (!opened) return opened.error().ToString();
  Store& store = **opened;
  std::string error;
  auto check = [&](const auto& r) {
    if (!r.ok() && error.empty()) error = r.error().ToString();
  };
  for (int t = 0; t < kTenantsPerWriter; ++t) {
    const std::string id = "w" + std::to_string(w) + "-t" + std::to_string(t);
    check(store.UpsertTenant(MakeTenant(id)));
    Result<SnapshotRef> snap = store.PutSnapshot(id, kDay0, "snapshot " + id);
    check(snap);
    if (!snap) return error;
    for (int e = 0; e < 3; ++e) {
      check(store.InsertEvaluation(
          MakeEvaluation(id, snap->hash, kDay0 + hours(e), 10.0 * e, 20, "v" + std::to_string(e))));
    }
    // Writers also contend on the same row, each with its own state.
    const core::ControlState state =
        w % 2 == 0 ? core::ControlState::kPlanned : core::ControlState::kThirdParty;
    check(store.SetControlState(
        {{"shared", "Control0", state, id, "", {}, {}, id, kDay0}, "concurrent"}));
    check(store.AppendAudit(AuditEntry{0, id, "ingest", "tenant/" + id, "{}", kDay0}));
  }
  return error;
}

// What `writers` RunWriter calls must have left behind.
void ExpectEveryWriteOf(StoreConformance& test, Store& store, int writers) {
  const std::int64_t tenants = writers * kTenantsPerWriter;
  EXPECT_EQ(test.CountRows("tenants"), tenants + 1);
  EXPECT_EQ(test.CountRows("snapshots"), tenants);
  EXPECT_EQ(test.CountRows("evaluations"), tenants * 3);
  EXPECT_EQ(test.CountRows("evaluation_controls"), tenants * 3 * 20);
  EXPECT_EQ(test.CountRows("audit_log"), tenants);
  Result<std::vector<StateHistoryEntry>> history = store.StateHistory("shared", "Control0");
  ASSERT_TRUE(history.ok()) << history.error().ToString();
  ASSERT_EQ(history->size(), static_cast<std::size_t>(tenants));
  // Each change replaced the state the previous one left: changes of one control serialize.
  EXPECT_EQ((*history)[0].from, core::ControlState::kToAddress);
  for (std::size_t i = 1; i < history->size(); ++i) {
    EXPECT_EQ((*history)[i].from, (*history)[i - 1].to) << "history entry " << i;
  }
}

TEST_P(StoreConformance, ConcurrentWriterThreadsLoseNothing) {
  const int writers = postgres() ? 8 : 2;
  ASSERT_OK(store_->UpsertTenant(MakeTenant("shared")));
  std::vector<std::string> errors(writers);
  std::vector<std::thread> threads;
  threads.reserve(writers);
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] { errors[w] = RunWriter(url_, w); });
  }
  for (std::thread& t : threads) t.join();
  for (int w = 0; w < writers; ++w) EXPECT_EQ(errors[w], "") << "writer " << w;
  ExpectEveryWriteOf(*this, *store_, writers);
}

TEST_P(StoreConformance, ConcurrentWriterProcessesLoseNothing) {
  const int writers = postgres() ? 8 : 2;
  ASSERT_OK(store_->UpsertTenant(MakeTenant("shared")));
  std::vector<pid_t> children;
  for (int w = 0; w < writers; ++w) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      std::string error = RunWriter(url_, w);
      if (!error.empty()) std::fprintf(stderr, "writer %d: %s\n", w, error.c_str());
      _exit(error.empty() ? 0 : 1);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer process failed";
  }
  ExpectEveryWriteOf(*this, *store_, writers);
}

TEST_P(StoreConformance, AuditLogIsAppendOnlyAndOrdered) {
  ASSERT_OK_AND_ASSIGN(
      a, store_->AppendAudit(AuditEntry{0, "alice", "state.set", "tenant/contoso/control/X",
                                        R"({"to":"planned"})", kDay0}));
  ASSERT_OK_AND_ASSIGN(b, store_->AppendAudit(AuditEntry{0, "bob", "tenant.add", "tenant/fabrikam",
                                                         "", kDay0 + days(1)}));
  EXPECT_LT(a, b);
  ASSERT_OK_AND_ASSIGN(all, store_->ListAudit({}));
  ASSERT_THAT(all, SizeIs(2));
  EXPECT_EQ(all[0].actor, "alice");
  EXPECT_EQ(all[0].action, "state.set");
  EXPECT_EQ(all[0].target, "tenant/contoso/control/X");
  EXPECT_EQ(all[0].detail_json, R"({"to":"planned"})");
  EXPECT_EQ(all[1].detail_json, "{}");
  EXPECT_EQ(all[1].at, kDay0 + days(1));
  ASSERT_OK_AND_ASSIGN(day1, store_->ListAudit({kDay0 + hours(1), kDay0 + days(2)}));
  ASSERT_THAT(day1, SizeIs(1));
  EXPECT_EQ(day1[0].id, b);

  // The database itself refuses to rewrite history.
  ASSERT_OK_AND_ASSIGN(raw, Raw());
  EXPECT_FALSE(raw->ExecuteScript("UPDATE audit_log SET actor = 'mallory'").ok());
  EXPECT_FALSE(raw->ExecuteScript("DELETE FROM audit_log").ok());
  EXPECT_EQ(CountRows("audit_log"), 2);
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  ASSERT_OK(store_->SetControlState(
      {{"contoso", "X", core::ControlState::kPlanned, "", "", {}, {}, "alice", kDay0}, "why"}));
  EXPECT_FALSE(raw->ExecuteScript("UPDATE control_state_history SET changed_by = 'm'").ok());
  ASSERT_OK_AND_ASSIGN(history, store_->StateHistory("contoso", "X"));
  ASSERT_THAT(history, SizeIs(1));
  EXPECT_EQ(history[0].changed_by, "alice");
}

TEST_P(StoreConformance, AnUnreachableDatabaseIsAClearError) {
  if (!postgres()) {
    Result<std::unique_ptr<Store>> r = OpenStore("sqlite:" + (dir_ / "missing/dir/x.db").string());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kIo);
    EXPECT_THAT(r.error().where, ::testing::HasSubstr("missing/dir/x.db"));
    return;
  }
  Result<std::unique_ptr<Store>> refused =
      OpenStore("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(refused.error().where, ::testing::Not(::testing::HasSubstr("secret")));

  // The server ends this test's connection: the next call says so, and the one after that
  // reconnects and succeeds.
  ASSERT_OK(store_->UpsertTenant(MakeTenant("contoso")));
  ASSERT_OK_AND_ASSIGN(admin, postgres::OpenPostgresConnection(base_url_));
  ASSERT_OK(admin->Query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
      std::vector<sql::Value>{schema_}));
  Result<Tenant> lost = store_->GetTenant("contoso");
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(lost.error().message, ::testing::HasSubstr("lost the connection"));
  ASSERT_OK(store_->UpsertTenant(MakeTenant("fabrikam")));
  ASSERT_OK_AND_ASSIGN(tenants, store_->ListTenants());
  EXPECT_THAT(tenants, SizeIs(2));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreConformance, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace securescore::store
