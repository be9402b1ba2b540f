#include "securescore/store/sql_store.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "securescore/store/codec.h"
#include "securescore/store/migrations.h"
#include "securescore/store/sql/time_values.h"
#include "securescore/store/sql_access.h"

namespace securescore::store {
namespace {

using sql::AsDouble;
using sql::AsInt;
using sql::AsText;
using sql::Optional;
using sql::Row;
using sql::Seconds;
using sql::ToOptional;
using sql::ToTimestamp;
using sql::Value;
using Params = std::vector<Value>;
using Rows = std::vector<Row>;

// A transaction that loses to contention is retried this many times (each attempt already
// waits out the engine's own lock timeout), so lock contention is waited for, not reported.
constexpr int kMaxAttempts = 30;
// Who ExpireStates records as having changed a state.
constexpr std::string_view kSystemActor = "securescore";

std::int64_t Days(Day d) { return d.time_since_epoch().count(); }
Day ToDay(const Value& v) { return Day(std::chrono::days(AsInt(v))); }

Error Corrupt(std::string_view what, std::string_view value) {
  return Error{ErrorCode::kInternal,
               "stored " + std::string(what) + " '" + std::string(value) + "' is not known",
               "store"};
}

Result<core::ControlState> StateFrom(const Value& v) {
  std::string s = AsText(v);
  std::optional<core::ControlState> state = core::ParseControlState(s);
  if (!state) return Corrupt("control state", s);
  return *state;
}

Result<core::ControlStatus> StatusFrom(const Value& v) {
  std::string s = AsText(v);
  std::optional<core::ControlStatus> status = core::ParseControlStatus(s);
  if (!status) return Corrupt("control status", s);
  return *status;
}

Error NotFound(std::string what, std::string where) {
  return Error{ErrorCode::kNotFound, std::move(what), std::move(where)};
}

// Unit for transactions that return nothing.
struct Done {};

// Runs `body` in a transaction, retrying the whole of it when it lost to contention.
template <typename F>
auto Transaction(sql::Connection& db, F&& body, bool write) -> decltype(body()) {
  for (int attempt = 1;; ++attempt) {
    Status begun = write ? db.Begin() : db.BeginRead();
    if (begun) {
      auto result = body();
      if (result) {
        Status committed = db.Commit();
        if (committed) return result;
        begun = committed;
      } else {
        begun = result.error();
      }
    }
    const bool retry = db.LastErrorRetryable();
    db.Rollback();
    if (!retry || attempt >= kMaxAttempts) return begun.error();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 200)));
  }
}

// A write transaction; a body returning Result<Done> makes it return a Status.
template <typename F>
auto Write(sql::Connection& db, F&& body) {
  auto result = Transaction(db, std::forward<F>(body), /*write=*/true);
  if constexpr (std::is_same_v<decltype(result), Result<Done>>) {
    return result ? OkStatus() : Status(result.error());
  } else {
    return result;
  }
}

// Several reads that must see one state of the database.
template <typename F>
auto Read(sql::Connection& db, F&& body) {
  return Transaction(db, std::forward<F>(body), /*write=*/false);
}

// Column lists shared by the queries that read them, so readers and writers cannot drift.
constexpr std::string_view kSummaryColumns =
    "id, tenant_id, snapshot_hash, evaluated_at, catalog_version, current_points, max_points, "
    "percentage, measured_points, planned_points";
constexpr std::string_view kStateColumns =
    "tenant_id, control_id, state, comment, assignee, tags, expires_at, updated_by, updated_at";
constexpr std::string_view kHistoryColumns =
    "id, tenant_id, control_id, from_state, to_state, changed_by, changed_at, reason";
constexpr std::string_view kExceptionColumns =
    "tenant_id, control_id, entity_id, rationale, owner, expires_at, created_by, created_at";
constexpr std::string_view kJobColumns =
    "id, kind, tenant_id, payload, status, attempts, max_attempts, claimed_by, claimed_at, "
    "last_error, created_at, heartbeat_at, lease_expires_at";

EvaluationSummary SummaryFrom(const Row& r) {
  EvaluationSummary s;
  s.id = AsInt(r[0]);
  s.tenant_id = AsText(r[1]);
  s.snapshot_hash = AsText(r[2]);
  s.evaluated_at = ToTimestamp(r[3]);
  s.catalog_version = AsText(r[4]);
  s.current = AsDouble(r[5]);
  s.max = AsDouble(r[6]);
  s.percentage = AsDouble(r[7]);
  s.measured = AsDouble(r[8]);
  s.planned = AsDouble(r[9]);
  return s;
}

Result<ControlStateRecord> StateRecordFrom(const Row& r) {
  ControlStateRecord s;
  s.tenant_id = AsText(r[0]);
  s.control_id = AsText(r[1]);
  Result<core::ControlState> state = StateFrom(r[2]);
  if (!state) return state.error();
  s.state = *state;
  s.comment = AsText(r[3]);
  s.assignee = AsText(r[4]);
  Result<std::vector<std::string>> tags = TagsFromJson(AsText(r[5]));
  if (!tags) return tags.error();
  s.tags = std::move(*tags);
  s.expires_at = ToOptional(r[6]);
  s.updated_by = AsText(r[7]);
  s.updated_at = ToTimestamp(r[8]);
  return s;
}

Result<StateHistoryEntry> HistoryFrom(const Row& r) {
  StateHistoryEntry h;
  h.id = AsInt(r[0]);
  h.tenant_id = AsText(r[1]);
  h.control_id = AsText(r[2]);
  Result<core::ControlState> from = StateFrom(r[3]);
  if (!from) return from.error();
  Result<core::ControlState> to = StateFrom(r[4]);
  if (!to) return to.error();
  h.from = *from;
  h.to = *to;
  h.changed_by = AsText(r[5]);
  h.changed_at = ToTimestamp(r[6]);
  h.reason = AsText(r[7]);
  return h;
}

ExceptionRecord ExceptionFrom(const Row& r) {
  ExceptionRecord e;
  e.tenant_id = AsText(r[0]);
  e.control_id = AsText(r[1]);
  e.entity_id = AsText(r[2]);
  e.rationale = AsText(r[3]);
  e.owner = AsText(r[4]);
  e.expires_at = ToOptional(r[5]);
  e.created_by = AsText(r[6]);
  e.created_at = ToTimestamp(r[7]);
  return e;
}

Result<Job> JobFrom(const Row& r) {
  Job j;
  j.id = AsInt(r[0]);
  j.kind = AsText(r[1]);
  j.tenant_id = AsText(r[2]);
  j.payload = AsText(r[3]);
  std::optional<JobStatus> status = ParseJobStatus(AsText(r[4]));
  if (!status) return Corrupt("job status", AsText(r[4]));
  j.status = *status;
  j.attempts = AsInt(r[5]);
  j.max_attempts = AsInt(r[6]);
  j.claimed_by = AsText(r[7]);
  j.claimed_at = ToOptional(r[8]);
  j.last_error = AsText(r[9]);
  j.created_at = ToTimestamp(r[10]);
  j.heartbeat_at = ToOptional(r[11]);
  j.lease_expires_at = ToOptional(r[12]);
  return j;
}

// Maps every row, stopping at the first that does not convert.
template <typename T, typename F>
Result<std::vector<T>> MapRows(const Rows& rows, F&& from) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    Result<T> item = from(r);
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

// (tenant id, evaluated_at, id) of an evaluation row that starts with those columns.
std::tuple<std::string_view, std::int64_t, std::int64_t> TenantTimeKey(const Row& r) {
  const std::string* tenant = std::get_if<std::string>(&r[0]);
  return {tenant ? std::string_view(*tenant) : std::string_view(), AsInt(r[1]), AsInt(r[2])};
}

// SQLite returns index order already, and then only the check is paid.
void SortByTenantAndTime(Rows& rows) {
  auto earlier = [](const Row& a, const Row& b) { return TenantTimeKey(a) < TenantTimeKey(b); };
  if (!std::is_sorted(rows.begin(), rows.end(), earlier)) {
    std::sort(rows.begin(), rows.end(), earlier);
  }
}

// Appends a (tenant_id, evaluated_at, id, percentage) row taken in TenantTimeKey order: a later
// evaluation of the same tenant and day replaces the earlier one.
void AppendLastOfDay(std::vector<TenantDayScore>& out, Row& r) {
  const Day day = std::chrono::floor<std::chrono::days>(ToTimestamp(r[1]));
  const double percentage = AsDouble(r[3]);
  if (!out.empty() && out.back().day == day &&
      out.back().tenant_id == std::get<0>(TenantTimeKey(r))) {
    out.back().percentage = percentage;
    return;
  }
  std::string* tenant = std::get_if<std::string>(&r[0]);
  out.push_back({tenant ? std::move(*tenant) : AsText(r[0]), day, percentage});
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<sql::Connection> connection)
      : db_(std::move(connection)),
        skip_locked_(db_->dialect() == sql::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : ""),
        for_update_(db_->dialect() == sql::Dialect::kPostgres ? " FOR UPDATE" : "") {}

  std::string_view engine() const override {
    return db_->dialect() == sql::Dialect::kPostgres ? "postgresql" : "sqlite";
  }

  Result<std::int64_t> SchemaVersion() override {
    Result<Rows> rows = Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
    if (!rows) return rows.error();
    return AsInt((*rows)[0][0]);
  }

  Status CheckIntegrity() override {
    if (db_->dialect() == sql::Dialect::kPostgres) {
      // PostgreSQL enforces constraints transactionally and checksums nothing we could add to;
      // a query over every table proves the schema is present and readable.
      for (std::string_view table : {"tenants", "snapshots", "evaluations", "evaluation_controls",
                                     "control_states", "jobs", "audit_log"}) {
        Result<Rows> r = Query("SELECT COUNT(*) FROM " + std::string(table), {});
        if (!r) return r.error();
      }
      return OkStatus();
    }
    Result<Rows> integrity = Query("PRAGMA integrity_check", {});
    if (!integrity) return integrity.error();
    if (integrity->empty() || AsText(integrity->front()[0]) != "ok") {
      std::string problems;
      for (const Row& r : *integrity) problems += (problems.empty() ? "" : "; ") + AsText(r[0]);
      return Error{ErrorCode::kInternal, "SQLite integrity check failed: " + problems, "store"};
    }
    Result<Rows> foreign = Query("PRAGMA foreign_key_check", {});
    if (!foreign) return foreign.error();
    if (!foreign->empty()) {
      return Error{ErrorCode::kInternal,
                   std::to_string(foreign->size()) + " rows break a foreign key, first in table " +
                       AsText(foreign->front()[0]),
                   "store"};
    }
    return OkStatus();
  }

  // ------------------------------------------------------------------------------ tenants

  Status UpsertTenant(const Tenant& tenant) override {
    if (tenant.id.empty()) return InvalidInput("a tenant needs an id", "tenant.id");
    if (tenant.seats < 0) return InvalidInput("seats cannot be negative", "tenant.seats");
    return Write(*db_, [&]() -> Result<Done> {
      Result<Rows> r = Query(
          "INSERT INTO tenants (id, display_name, industry, seats) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, "
          "industry = excluded.industry, seats = excluded.seats",
          {tenant.id, tenant.display_name, tenant.industry, tenant.seats});
      if (!r) return r.error();
      return Done{};
    });
  }

  Result<Tenant> GetTenant(std::string_view tenant_id) override {
    Result<Rows> rows = Query("SELECT id, display_name, industry, seats FROM tenants WHERE id = ?",
                              {std::string(tenant_id)});
    if (!rows) return rows.error();
    if (rows->empty()) return NoTenant(tenant_id);
    return TenantFrom(rows->front());
  }

  Result<std::vector<Tenant>> ListTenants() override {
    Result<Rows> rows =
        Query("SELECT id, display_name, industry, seats FROM tenants ORDER BY id", {});
    if (!rows) return rows.error();
    std::vector<Tenant> out;
    for (const Row& r : *rows) out.push_back(TenantFrom(r));
    return out;
  }

  Status RemoveTenant(std::string_view tenant_id) override {
    return Write(*db_, [&]() -> Result<Done> {
      // Jobs are not tied to the tenant by a foreign key (a job may create its tenant).
      Result<Rows> jobs = Query("DELETE FROM jobs WHERE tenant_id = ?", {std::string(tenant_id)});
      if (!jobs) return jobs.error();
      Result<Rows> r =
          Query("DELETE FROM tenants WHERE id = ? RETURNING id", {std::string(tenant_id)});
      if (!r) return r.error();
      if (r->empty()) return NoTenant(tenant_id);
      return Done{};
    });
  }

  // ---------------------------------------------------------------------------- snapshots

  Result<SnapshotRef> PutSnapshot(std::string_view tenant_id, Timestamp collected_at,
                                  std::string_view bytes) override {
    SnapshotRef ref{Sha256Hex(bytes), false};
    // Compress outside the transaction: it is the slow part and needs no lock.
    std::string compressed = ZstdCompress(bytes);
    return Write(*db_, [&]() -> Result<SnapshotRef> {
      Status tenant = RequireTenant(tenant_id);
      if (!tenant) return tenant.error();
      Result<Rows> r = Query(
          "INSERT INTO snapshots (tenant_id, hash, collected_at, original_size, stored_size, "
          "content) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, hash) DO NOTHING "
          "RETURNING hash",
          {std::string(tenant_id), ref.hash, Seconds(collected_at),
           static_cast<std::int64_t>(bytes.size()), static_cast<std::int64_t>(compressed.size()),
           sql::Blob{compressed}});
      if (!r) return r.error();
      SnapshotRef out = ref;
      out.inserted = !r->empty();
      return out;
    });
  }

  Result<Snapshot> GetSnapshot(std::string_view tenant_id, std::string_view hash) override {
    Result<Rows> rows = Query(
        "SELECT tenant_id, hash, collected_at, original_size, stored_size, content "
        "FROM snapshots WHERE tenant_id = ? AND hash = ?",
        {std::string(tenant_id), std::string(hash)});
    if (!rows) return rows.error();
    if (rows->empty()) {
      return NotFound("no snapshot " + std::string(hash) + " for tenant " + std::string(tenant_id),
                      std::string(hash));
    }
    const Row& r = rows->front();
    Result<std::string> bytes = ZstdDecompress(AsText(r[5]));
    if (!bytes) {
      Error e = bytes.error();
      e.where = std::string(hash);
      return e;
    }
    return Snapshot{SnapshotInfoFrom(r), std::move(*bytes)};
  }

  Result<std::vector<SnapshotInfo>> ListSnapshots(std::string_view tenant_id) override {
    Result<Rows> rows = Query(
        "SELECT tenant_id, hash, collected_at, original_size, stored_size FROM snapshots "
        "WHERE tenant_id = ? ORDER BY collected_at, hash",
        {std::string(tenant_id)});
    if (!rows) return rows.error();
    std::vector<SnapshotInfo> out;
    for (const Row& r : *rows) out.push_back(SnapshotInfoFrom(r));
    return out;
  }

  // -------------------------------------------------------------------------- evaluations

  Result<EvaluationRef> InsertEvaluation(const Evaluation& evaluation) override {
    const EvaluationSummary& s = evaluation.summary;
    if (s.tenant_id.empty() || s.snapshot_hash.empty()) {
      return InvalidInput("an evaluation needs a tenant and a snapshot hash", "evaluation");
    }
    // Pack entity lists before taking the write lock: compression is the slow part.
    std::vector<Value> controls;
    controls.reserve(evaluation.controls.size() * kControlColumns);
    std::int64_t position = 0;
    for (const ControlResult& c : evaluation.controls) {
      Value row[] = {std::int64_t{0},
                     position++,
                     c.id,
                     c.title,
                     c.category,
                     c.service,
                     std::string(core::ToString(c.status)),
                     std::string(core::ToString(c.state)),
                     c.points,
                     c.measured_points,
                     c.max,
                     c.count,
                     c.total,
                     c.score_impact,
                     c.evidence_level,
                     sql::Blob{PackEntities(c.failing)},
                     sql::Blob{PackEntities(c.excepted)}};
      for (Value& v : row) controls.push_back(std::move(v));
    }
    return Write(*db_, [&]() -> Result<EvaluationRef> {
      Result<Rows> snapshot = Query("SELECT 1 FROM snapshots WHERE tenant_id = ? AND hash = ?",
                                    {s.tenant_id, s.snapshot_hash});
      if (!snapshot) return snapshot.error();
      if (snapshot->empty()) {
        return NotFound("snapshot " + s.snapshot_hash + " of tenant " + s.tenant_id +
                            " is not stored; put the snapshot before its evaluation",
                        s.snapshot_hash);
      }
      const core::Coverage& cov = evaluation.coverage;
      Result<Rows> inserted = Query(
          "INSERT INTO evaluations (tenant_id, snapshot_hash, evaluated_at, catalog_version, "
          "current_points, max_points, percentage, measured_points, planned_points, assessed, "
          "not_applicable, no_data, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant_id, snapshot_hash, catalog_version) DO NOTHING RETURNING id",
          {s.tenant_id, s.snapshot_hash, Seconds(s.evaluated_at), s.catalog_version, s.current,
           s.max, s.percentage, s.measured, s.planned, std::int64_t{cov.assessed},
           std::int64_t{cov.not_applicable}, std::int64_t{cov.no_data}, std::int64_t{cov.errors}});
      if (!inserted) return inserted.error();
      if (inserted->empty()) {
        Result<Rows> existing = Query(
            "SELECT id FROM evaluations WHERE tenant_id = ? AND snapshot_hash = ? AND "
            "catalog_version = ?",
            {s.tenant_id, s.snapshot_hash, s.catalog_version});
        if (!existing) return existing.error();
        if (existing->empty()) return Error{ErrorCode::kInternal, "evaluation vanished", ""};
        return EvaluationRef{AsInt(existing->front()[0]), false};
      }
      const std::int64_t id = AsInt(inserted->front()[0]);
      std::vector<Value> categories;
      std::int64_t category_position = 0;
      for (const core::CategoryScore& c : evaluation.categories) {
        for (Value v : {Value(id), Value(category_position++), Value(c.name), Value(c.current),
                        Value(c.max), Value(c.percentage)}) {
          categories.push_back(std::move(v));
        }
      }
      Status cats = InsertRows(
          "evaluation_categories (evaluation_id, position, name, current_points, max_points, "
          "percentage)",
          6, categories);
      if (!cats) return cats.error();
      for (std::size_t i = 0; i < controls.size(); i += kControlColumns) controls[i] = id;
      Status ctrls = InsertRows(
          "evaluation_controls (evaluation_id, position, control_id, title, category, service, "
          "status, state, points, measured_points, max_points, entity_count, entity_total, "
          "score_impact, evidence_level, failing, excepted)",
          kControlColumns, controls);
      if (!ctrls) return ctrls.error();
      return EvaluationRef{id, true};
    });
  }

  Result<Evaluation> GetEvaluation(std::int64_t evaluation_id) override {
    return Read(*db_, [&]() -> Result<Evaluation> {
      Result<Rows> rows = Query("SELECT " + std::string(kSummaryColumns) +
                                    ", assessed, not_applicable, no_data, errors "
                                    "FROM evaluations WHERE id = ?",
                                {evaluation_id});
      if (!rows) return rows.error();
      if (rows->empty()) {
        return NotFound("no evaluation " + std::to_string(evaluation_id),
                        std::to_string(evaluation_id));
      }
      return LoadEvaluation(rows->front());
    });
  }

  Result<Evaluation> LatestEvaluation(std::string_view tenant_id) override {
    return Read(*db_, [&]() -> Result<Evaluation> {
      Result<Rows> rows = Query("SELECT " + std::string(kSummaryColumns) +
                                    ", assessed, not_applicable, no_data, errors "
                                    "FROM evaluations WHERE tenant_id = ? "
                                    "ORDER BY evaluated_at DESC, id DESC LIMIT 1",
                                {std::string(tenant_id)});
      if (!rows) return rows.error();
      if (rows->empty()) {
        return NotFound("tenant " + std::string(tenant_id) + " has no evaluation",
                        std::string(tenant_id));
      }
      return LoadEvaluation(rows->front());
    });
  }

  Result<std::vector<EvaluationSummary>> ListEvaluations(std::string_view tenant_id,
                                                         TimeRange range) override {
    Result<Rows> rows = Query("SELECT " + std::string(kSummaryColumns) +
                                  " FROM evaluations WHERE tenant_id = ? AND evaluated_at "
                                  "BETWEEN ? AND ? ORDER BY evaluated_at, id",
                              {std::string(tenant_id), Seconds(range.from), Seconds(range.to)});
    if (!rows) return rows.error();
    std::vector<EvaluationSummary> out;
    for (const Row& r : *rows) out.push_back(SummaryFrom(r));
    return out;
  }

  Result<std::vector<DailyPoint>> DailySeries(std::string_view tenant_id,
                                              TimeRange range) override {
    // The last evaluation of each UTC day: rank each day's evaluations newest first.
    Result<Rows> rows = Query(
        "SELECT " + std::string(kSummaryColumns) + " FROM (SELECT " + std::string(kSummaryColumns) +
            ", ROW_NUMBER() OVER (PARTITION BY evaluated_at / 86400 "
            "ORDER BY evaluated_at DESC, id DESC) AS rank_in_day FROM evaluations "
            "WHERE tenant_id = ? AND evaluated_at BETWEEN ? AND ?) AS ranked "
            "WHERE rank_in_day = 1 ORDER BY evaluated_at",
        {std::string(tenant_id), Seconds(range.from), Seconds(range.to)});
    if (!rows) return rows.error();
    std::vector<DailyPoint> out;
    for (const Row& r : *rows) {
      EvaluationSummary s = SummaryFrom(r);
      out.push_back(DailyPoint{std::chrono::floor<std::chrono::days>(s.evaluated_at), s});
    }
    return out;
  }

  Result<std::vector<ControlPoint>> ControlHistory(std::string_view tenant_id,
                                                   std::string_view control_id,
                                                   TimeRange range) override {
    Result<Rows> rows = Query(
        "SELECT e.id, e.evaluated_at, c.status, c.state, c.points, c.measured_points, "
        "c.max_points, c.entity_count, c.entity_total FROM evaluations e "
        "JOIN evaluation_controls c ON c.evaluation_id = e.id "
        "WHERE e.tenant_id = ? AND c.control_id = ? AND e.evaluated_at BETWEEN ? AND ? "
        "ORDER BY e.evaluated_at, e.id",
        {std::string(tenant_id), std::string(control_id), Seconds(range.from), Seconds(range.to)});
    if (!rows) return rows.error();
    return MapRows<ControlPoint>(*rows, [](const Row& r) -> Result<ControlPoint> {
      ControlPoint p;
      p.evaluation_id = AsInt(r[0]);
      p.evaluated_at = ToTimestamp(r[1]);
      Result<core::ControlStatus> status = StatusFrom(r[2]);
      if (!status) return status.error();
      Result<core::ControlState> state = StateFrom(r[3]);
      if (!state) return state.error();
      p.status = *status;
      p.state = *state;
      p.points = AsDouble(r[4]);
      p.measured_points = AsDouble(r[5]);
      p.max = AsDouble(r[6]);
      p.count = AsInt(r[7]);
      p.total = AsInt(r[8]);
      return p;
    });
  }

  // ------------------------------------------------------------------------ control states

  Result<ControlStateRecord> SetControlState(const ControlStateChange& change) override {
    const ControlStateRecord& s = change.record;
    if (s.control_id.empty()) return InvalidInput("a control state needs a control id", "");
    return Write(*db_, [&]() -> Result<ControlStateRecord> {
      Status tenant = RequireTenant(s.tenant_id);
      if (!tenant) return tenant.error();
      // Make sure a row exists, then lock it: concurrent changes of one control serialize and
      // each history entry's `from` is the state it really replaced.
      Result<Rows> seeded = Query("INSERT INTO control_states (" + std::string(kStateColumns) +
                                      ") VALUES (?, ?, 'to_address', '', '', '[]', NULL, ?, ?) "
                                      "ON CONFLICT (tenant_id, control_id) DO NOTHING",
                                  {s.tenant_id, s.control_id, s.updated_by, Seconds(s.updated_at)});
      if (!seeded) return seeded.error();
      Result<Rows> current = Query(
          "SELECT state FROM control_states WHERE tenant_id = ? AND control_id = ?" + for_update_,
          {s.tenant_id, s.control_id});
      if (!current) return current.error();
      Result<core::ControlState> from = StateFrom(current->front()[0]);
      if (!from) return from.error();
      Result<Rows> updated = Query(
          "UPDATE control_states SET state = ?, comment = ?, assignee = ?, tags = ?, "
          "expires_at = ?, updated_by = ?, updated_at = ? WHERE tenant_id = ? AND control_id = ?",
          {std::string(core::ToString(s.state)), s.comment, s.assignee, TagsToJson(s.tags),
           Optional(s.expires_at), s.updated_by, Seconds(s.updated_at), s.tenant_id, s.control_id});
      if (!updated) return updated.error();
      Result<std::int64_t> history = AppendHistory(s.tenant_id, s.control_id, *from, s.state,
                                                   s.updated_by, s.updated_at, change.reason);
      if (!history) return history.error();
      return s;
    });
  }

  Result<ControlStateRecord> GetControlState(std::string_view tenant_id,
                                             std::string_view control_id) override {
    Result<Rows> rows = Query("SELECT " + std::string(kStateColumns) +
                                  " FROM control_states WHERE tenant_id = ? AND control_id = ?",
                              {std::string(tenant_id), std::string(control_id)});
    if (!rows) return rows.error();
    if (rows->empty()) {
      return NotFound("no state set for control " + std::string(control_id) + " of tenant " +
                          std::string(tenant_id),
                      std::string(control_id));
    }
    return StateRecordFrom(rows->front());
  }

  Result<std::vector<ControlStateRecord>> ListControlStates(std::string_view tenant_id) override {
    Result<Rows> rows = Query("SELECT " + std::string(kStateColumns) +
                                  " FROM control_states WHERE tenant_id = ? ORDER BY control_id",
                              {std::string(tenant_id)});
    if (!rows) return rows.error();
    return MapRows<ControlStateRecord>(*rows, StateRecordFrom);
  }

  Result<std::vector<StateHistoryEntry>> StateHistory(std::string_view tenant_id,
                                                      std::string_view control_id) override {
    Result<Rows> rows =
        control_id.empty()
            ? Query("SELECT " + std::string(kHistoryColumns) +
                        " FROM control_state_history WHERE tenant_id = ? ORDER BY id",
                    {std::string(tenant_id)})
            : Query("SELECT " + std::string(kHistoryColumns) +
                        " FROM control_state_history WHERE tenant_id = ? AND control_id = ? "
                        "ORDER BY id",
                    {std::string(tenant_id), std::string(control_id)});
    if (!rows) return rows.error();
    return MapRows<StateHistoryEntry>(*rows, HistoryFrom);
  }

  Result<std::vector<StateHistoryEntry>> ExpireStates(Timestamp now) override {
    return Write(*db_, [&]() -> Result<std::vector<StateHistoryEntry>> {
      Result<Rows> due = Query(
          "SELECT tenant_id, control_id, state FROM control_states "
          "WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY tenant_id, control_id" +
              for_update_,
          {Seconds(now)});
      if (!due) return due.error();
      std::vector<StateHistoryEntry> written;
      for (const Row& r : *due) {
        const std::string tenant_id = AsText(r[0]);
        const std::string control_id = AsText(r[1]);
        Result<core::ControlState> from = StateFrom(r[2]);
        if (!from) return from.error();
        Result<Rows> reverted = Query(
            "UPDATE control_states SET state = 'to_address', expires_at = NULL, updated_by = ?, "
            "updated_at = ? WHERE tenant_id = ? AND control_id = ?",
            {std::string(kSystemActor), Seconds(now), tenant_id, control_id});
        if (!reverted) return reverted.error();
        if (*from == core::ControlState::kToAddress) continue;  // only the expiry was cleared
        StateHistoryEntry h{0,
                            tenant_id,
                            control_id,
                            *from,
                            core::ControlState::kToAddress,
                            std::string(kSystemActor),
                            now,
                            "expired"};
        Result<std::int64_t> id =
            AppendHistory(h.tenant_id, h.control_id, h.from, h.to, h.changed_by, now, h.reason);
        if (!id) return id.error();
        h.id = *id;
        written.push_back(std::move(h));
      }
      return written;
    });
  }

  // ---------------------------------------------------------------------------- exceptions

  Status AddException(const ExceptionRecord& e) override {
    if (e.control_id.empty() || e.entity_id.empty()) {
      return InvalidInput("an exception needs a control id and an entity id", "exception");
    }
    return Write(*db_, [&]() -> Result<Done> {
      Status tenant = RequireTenant(e.tenant_id);
      if (!tenant) return tenant.error();
      Result<Rows> r = Query(
          "INSERT INTO exceptions (" + std::string(kExceptionColumns) +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, control_id, entity_id) "
              "DO UPDATE SET rationale = excluded.rationale, owner = excluded.owner, "
              "expires_at = excluded.expires_at, created_by = excluded.created_by, "
              "created_at = excluded.created_at",
          {e.tenant_id, e.control_id, e.entity_id, e.rationale, e.owner, Optional(e.expires_at),
           e.created_by, Seconds(e.created_at)});
      if (!r) return r.error();
      return Done{};
    });
  }

  Result<std::vector<ExceptionRecord>> ListExceptions(std::string_view tenant_id) override {
    Result<Rows> rows =
        Query("SELECT " + std::string(kExceptionColumns) +
                  " FROM exceptions WHERE tenant_id = ? ORDER BY control_id, entity_id",
              {std::string(tenant_id)});
    if (!rows) return rows.error();
    std::vector<ExceptionRecord> out;
    for (const Row& r : *rows) out.push_back(ExceptionFrom(r));
    return out;
  }

  Status RemoveException(std::string_view tenant_id, std::string_view control_id,
                         std::string_view entity_id) override {
    return Write(*db_, [&]() -> Result<Done> {
      Result<Rows> r = Query(
          "DELETE FROM exceptions WHERE tenant_id = ? AND control_id = ? AND entity_id = ? "
          "RETURNING entity_id",
          {std::string(tenant_id), std::string(control_id), std::string(entity_id)});
      if (!r) return r.error();
      if (r->empty()) {
        return NotFound("no exception for entity " + std::string(entity_id) + " on control " +
                            std::string(control_id),
                        std::string(control_id));
      }
      return Done{};
    });
  }

  Result<std::vector<ExceptionRecord>> ActiveExceptions(std::string_view tenant_id,
                                                        Timestamp now) override {
    Result<Rows> rows = Query("SELECT " + std::string(kExceptionColumns) +
                                  " FROM exceptions WHERE tenant_id = ? AND "
                                  "(expires_at IS NULL OR expires_at > ?) "
                                  "ORDER BY control_id, entity_id",
                              {std::string(tenant_id), Seconds(now)});
    if (!rows) return rows.error();
    std::vector<ExceptionRecord> out;
    for (const Row& r : *rows) out.push_back(ExceptionFrom(r));
    return out;
  }

  // ------------------------------------------------------------------------ goals & zones

  Status SetGoal(const Goal& goal) override {
    if (goal.target_percentage < 0 || goal.target_percentage > 100) {
      return InvalidInput("a goal's target percentage must be between 0 and 100",
                          "goal.target_percentage");
    }
    return Write(*db_, [&]() -> Result<Done> {
      Status tenant = RequireTenant(goal.tenant_id);
      if (!tenant) return tenant.error();
      Result<Rows> r = Query(
          "INSERT INTO goals (tenant_id, target_day, target_percentage, set_by, set_at) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, target_day) DO UPDATE SET "
          "target_percentage = excluded.target_percentage, set_by = excluded.set_by, "
          "set_at = excluded.set_at",
          {goal.tenant_id, Days(goal.target_date), goal.target_percentage, goal.set_by,
           Seconds(goal.set_at)});
      if (!r) return r.error();
      return Done{};
    });
  }

  Result<std::vector<Goal>> ListGoals(std::string_view tenant_id) override {
    Result<Rows> rows = Query(
        "SELECT tenant_id, target_day, target_percentage, set_by, set_at FROM goals "
        "WHERE tenant_id = ? ORDER BY target_day",
        {std::string(tenant_id)});
    if (!rows) return rows.error();
    std::vector<Goal> out;
    for (const Row& r : *rows) {
      out.push_back(
          Goal{AsText(r[0]), ToDay(r[1]), AsDouble(r[2]), AsText(r[3]), ToTimestamp(r[4])});
    }
    return out;
  }

  Status RemoveGoal(std::string_view tenant_id, Day target_date) override {
    return Write(*db_, [&]() -> Result<Done> {
      Result<Rows> r =
          Query("DELETE FROM goals WHERE tenant_id = ? AND target_day = ? RETURNING tenant_id",
                {std::string(tenant_id), Days(target_date)});
      if (!r) return r.error();
      if (r->empty()) return NotFound("no goal for that date", std::string(tenant_id));
      return Done{};
    });
  }

  Status SetScoreZones(std::string_view tenant_id, ScoreZones zones) override {
    if (zones.okay < 0 || zones.good > 100 || zones.okay > zones.good) {
      return InvalidInput("score zones need 0 <= okay <= good <= 100", "zones");
    }
    return Write(*db_, [&]() -> Result<Done> {
      Status tenant = RequireTenant(tenant_id);
      if (!tenant) return tenant.error();
      Result<Rows> r = Query(
          "INSERT INTO score_zones (tenant_id, good, okay) VALUES (?, ?, ?) "
          "ON CONFLICT (tenant_id) DO UPDATE SET good = excluded.good, okay = excluded.okay",
          {std::string(tenant_id), zones.good, zones.okay});
      if (!r) return r.error();
      return Done{};
    });
  }

  Result<std::optional<ScoreZones>> GetScoreZones(std::string_view tenant_id) override {
    Result<Rows> rows =
        Query("SELECT good, okay FROM score_zones WHERE tenant_id = ?", {std::string(tenant_id)});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<ScoreZones>();
    return std::optional<ScoreZones>(
        ScoreZones{AsDouble(rows->front()[0]), AsDouble(rows->front()[1])});
  }

  // ---------------------------------------------------------------------------- microsoft

  Status PutMicrosoftScores(std::span<const MicrosoftScore> scores) override {
    return Write(*db_, [&]() -> Result<Done> {
      for (const MicrosoftScore& m : scores) {
        Status tenant = RequireTenant(m.tenant_id);
        if (!tenant) return tenant.error();
        Result<Rows> r = Query(
            "INSERT INTO microsoft_scores (tenant_id, day, current_score, max_score, raw_json) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, day) DO UPDATE SET "
            "current_score = excluded.current_score, max_score = excluded.max_score, "
            "raw_json = excluded.raw_json",
            {m.tenant_id, Days(m.day), m.current_score, m.max_score, m.raw_json});
        if (!r) return r.error();
      }
      return Done{};
    });
  }

  Result<std::vector<MicrosoftScore>> MicrosoftSeries(std::string_view tenant_id,
                                                      TimeRange range) override {
    const auto first_day = std::chrono::floor<std::chrono::days>(range.from);
    const auto last_day = std::chrono::floor<std::chrono::days>(range.to);
    Result<Rows> rows = Query(
        "SELECT tenant_id, day, current_score, max_score, raw_json FROM microsoft_scores "
        "WHERE tenant_id = ? AND day BETWEEN ? AND ? ORDER BY day",
        {std::string(tenant_id), Days(first_day), Days(last_day)});
    if (!rows) return rows.error();
    std::vector<MicrosoftScore> out;
    for (const Row& r : *rows) {
      out.push_back(
          MicrosoftScore{AsText(r[0]), ToDay(r[1]), AsDouble(r[2]), AsDouble(r[3]), AsText(r[4])});
    }
    return out;
  }

  // --------------------------------------------------------------------------- comparison

  Result<std::vector<ComparisonInput>> ComparisonInputs() override {
    return Read(*db_, [&]() -> Result<std::vector<ComparisonInput>> {
      constexpr std::string_view kLatest =
          "(SELECT id, tenant_id, percentage, ROW_NUMBER() OVER (PARTITION BY tenant_id "
          "ORDER BY evaluated_at DESC, id DESC) AS recency FROM evaluations) AS latest";
      Result<Rows> tenants = Query(
          "SELECT t.id, t.industry, t.seats, latest.percentage, latest.id FROM tenants t JOIN " +
              std::string(kLatest) + " ON latest.tenant_id = t.id AND latest.recency = 1 " +
              "ORDER BY t.id",
          {});
      if (!tenants) return tenants.error();
      Result<Rows> categories = Query(
          "SELECT latest.tenant_id, c.name, c.current_points, c.max_points, c.percentage "
          "FROM evaluation_categories c JOIN " +
              std::string(kLatest) +
              " ON latest.id = c.evaluation_id AND latest.recency = 1 "
              "ORDER BY latest.tenant_id, c.position",
          {});
      if (!categories) return categories.error();
      std::vector<ComparisonInput> out;
      std::size_t next_category = 0;
      for (const Row& r : *tenants) {
        ComparisonInput in{AsText(r[0]), AsText(r[1]), AsInt(r[2]), AsDouble(r[3]), {}};
        // Both lists are ordered by tenant id: walk them together.
        while (next_category < categories->size() &&
               AsText((*categories)[next_category][0]) < in.tenant_id) {
          ++next_category;
        }
        while (next_category < categories->size() &&
               AsText((*categories)[next_category][0]) == in.tenant_id) {
          const Row& c = (*categories)[next_category++];
          in.categories.push_back(
              core::CategoryScore{AsText(c[1]), AsDouble(c[2]), AsDouble(c[3]), AsDouble(c[4])});
        }
        out.push_back(std::move(in));
      }
      return out;
    });
  }

  Result<std::vector<TenantDayScore>> FleetDailySeries(TimeRange range) override {
    // Tenants drive both queries (CROSS JOIN keeps SQLite's loop order), so each reads the
    // (tenant_id, evaluated_at) index: the evaluations in the range, and the one just before
    // it. Ordering and picking each day's last evaluation happen here: an ORDER BY or a window
    // function would make the engine sort every row again, which costs several times the read.
    return Read(*db_, [&]() -> Result<std::vector<TenantDayScore>> {
      Result<Rows> in_range = Query(
          "SELECT e.tenant_id, e.evaluated_at, e.id, e.percentage FROM tenants t "
          "CROSS JOIN evaluations e WHERE e.tenant_id = t.id AND e.evaluated_at BETWEEN ? AND ?",
          {Seconds(range.from), Seconds(range.to)});
      if (!in_range) return in_range.error();
      Result<Rows> before = Query(
          "SELECT e.tenant_id, e.evaluated_at, e.id, e.percentage FROM tenants t "
          "JOIN evaluations e ON e.id = (SELECT p.id FROM evaluations p WHERE p.tenant_id = t.id "
          "AND p.evaluated_at < ? ORDER BY p.evaluated_at DESC, p.id DESC LIMIT 1)",
          {Seconds(range.from)});
      if (!before) return before.error();
      SortByTenantAndTime(*in_range);
      SortByTenantAndTime(*before);
      std::vector<TenantDayScore> out;
      out.reserve(in_range->size() + before->size());
      // Merge by tenant; a tenant's row from before the range precedes its rows in it.
      std::size_t i = 0;
      std::size_t j = 0;
      while (i < in_range->size() || j < before->size()) {
        const bool take_before =
            j < before->size() &&
            (i == in_range->size() || std::get<0>(TenantTimeKey((*before)[j])) <=
                                          std::get<0>(TenantTimeKey((*in_range)[i])));
        AppendLastOfDay(out, take_before ? (*before)[j++] : (*in_range)[i++]);
      }
      return out;
    });
  }

  // --------------------------------------------------------------------------------- jobs

  Result<std::int64_t> EnqueueJob(const JobRequest& request, Timestamp now) override {
    if (request.kind.empty()) return InvalidInput("a job needs a kind", "job.kind");
    if (request.max_attempts < 1) {
      return InvalidInput("a job needs at least one attempt", "job.max_attempts");
    }
    return Write(*db_, [&]() -> Result<std::int64_t> {
      Result<Rows> r = Query(
          "INSERT INTO jobs (kind, tenant_id, payload, status, attempts, max_attempts, "
          "claimed_by, claimed_at, last_error, created_at, finished_at) "
          "VALUES (?, ?, ?, 'queued', 0, ?, '', NULL, '', ?, NULL) RETURNING id",
          {request.kind, request.tenant_id, request.payload, request.max_attempts, Seconds(now)});
      if (!r) return r.error();
      return AsInt(r->front()[0]);
    });
  }

  Result<std::optional<Job>> ClaimJob(std::string_view worker, Timestamp now,
                                      std::chrono::seconds lease) override {
    if (lease.count() < 1) return InvalidInput("a job lease of at least 1 s", "lease");
    return Write(*db_, [&]() -> Result<std::optional<Job>> {
      // Jobs whose worker's lease ran out go back to the queue (or fail, out of attempts), in
      // the same transaction, so the claim below can take them.
      Result<Rows> expired = Query(
          "UPDATE jobs SET status = CASE WHEN attempts < max_attempts THEN 'queued' "
          "ELSE 'failed' END, last_error = 'the lease of worker ' || claimed_by || "
          "' ran out before it finished the job', finished_at = CASE WHEN attempts < "
          "max_attempts THEN NULL ELSE ? END WHERE status = 'running' AND lease_expires_at < ?",
          {Seconds(now), Seconds(now)});
      if (!expired) return expired.error();
      // PostgreSQL: SKIP LOCKED lets concurrent workers each take a different queued job
      // without waiting; SQLite: the write transaction already serializes claimers.
      Result<Rows> r = Query(
          "UPDATE jobs SET status = 'running', claimed_by = ?, claimed_at = ?, heartbeat_at = ?, "
          "lease_expires_at = ?, attempts = attempts + 1 WHERE id = (SELECT id FROM jobs "
          "WHERE status = 'queued' ORDER BY id LIMIT 1" +
              skip_locked_ + ") RETURNING " + std::string(kJobColumns),
          {std::string(worker), Seconds(now), Seconds(now), Seconds(now + lease)});
      if (!r) return r.error();
      if (r->empty()) return std::optional<Job>();
      Result<Job> job = JobFrom(r->front());
      if (!job) return job.error();
      return std::optional<Job>(std::move(*job));
    });
  }

  Status RenewJobLease(std::int64_t job_id, std::string_view worker, Timestamp now,
                       std::chrono::seconds lease) override {
    if (lease.count() < 1) return InvalidInput("a job lease of at least 1 s", "lease");
    return FinishJob(
        "UPDATE jobs SET heartbeat_at = ?, lease_expires_at = ? WHERE id = ? AND "
        "status = 'running' AND claimed_by = ? RETURNING id",
        {Seconds(now), Seconds(now + lease), job_id, std::string(worker)}, job_id,
        "is no longer running for " + std::string(worker));
  }

  Status ReleaseJob(std::int64_t job_id, std::string_view worker) override {
    return FinishJob(
        "UPDATE jobs SET status = 'queued', attempts = attempts - 1, claimed_by = '', "
        "claimed_at = NULL, heartbeat_at = NULL, lease_expires_at = NULL WHERE id = ? AND "
        "status = 'running' AND claimed_by = ? RETURNING id",
        {job_id, std::string(worker)}, job_id, "is no longer running for " + std::string(worker));
  }

  Status CompleteJob(std::int64_t job_id, Timestamp now) override {
    return FinishJob(
        "UPDATE jobs SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running' "
        "RETURNING id",
        {Seconds(now), job_id}, job_id);
  }

  Status FailJob(std::int64_t job_id, std::string_view error, Timestamp now) override {
    return FinishJob(
        "UPDATE jobs SET status = CASE WHEN attempts < max_attempts THEN 'queued' "
        "ELSE 'failed' END, last_error = ?, finished_at = ? WHERE id = ? AND status = 'running' "
        "RETURNING id",
        {std::string(error), Seconds(now), job_id}, job_id);
  }

  Result<std::int64_t> RequeueStaleJobs(Timestamp claimed_before, Timestamp now) override {
    return Write(*db_, [&]() -> Result<std::int64_t> {
      Result<Rows> r = Query(
          "UPDATE jobs SET status = CASE WHEN attempts < max_attempts THEN 'queued' "
          "ELSE 'failed' END, last_error = 'worker stopped before finishing the job', "
          "finished_at = ? WHERE status = 'running' AND claimed_at < ? RETURNING id",
          {Seconds(now), Seconds(claimed_before)});
      if (!r) return r.error();
      return static_cast<std::int64_t>(r->size());
    });
  }

  Result<Job> GetJob(std::int64_t job_id) override {
    Result<Rows> rows =
        Query("SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id = ?", {job_id});
    if (!rows) return rows.error();
    if (rows->empty()) return NotFound("no job " + std::to_string(job_id), "");
    return JobFrom(rows->front());
  }

  // -------------------------------------------------------------------------------- audit

  Result<std::int64_t> AppendAudit(const AuditEntry& entry) override {
    if (entry.action.empty()) return InvalidInput("an audit entry needs an action", "action");
    return Write(*db_, [&]() -> Result<std::int64_t> {
      Result<Rows> r = Query(
          "INSERT INTO audit_log (actor, action, target, detail_json, at) "
          "VALUES (?, ?, ?, ?, ?) RETURNING id",
          {entry.actor, entry.action, entry.target,
           entry.detail_json.empty() ? std::string("{}") : entry.detail_json, Seconds(entry.at)});
      if (!r) return r.error();
      return AsInt(r->front()[0]);
    });
  }

  Result<std::vector<AuditEntry>> ListAudit(TimeRange range) override {
    Result<Rows> rows = Query(
        "SELECT id, actor, action, target, detail_json, at FROM audit_log "
        "WHERE at BETWEEN ? AND ? ORDER BY id",
        {Seconds(range.from), Seconds(range.to)});
    if (!rows) return rows.error();
    std::vector<AuditEntry> out;
    for (const Row& r : *rows) {
      out.push_back(AuditEntry{AsInt(r[0]), AsText(r[1]), AsText(r[2]), AsText(r[3]), AsText(r[4]),
                               ToTimestamp(r[5])});
    }
    return out;
  }

  // ------------------------------------------------------------ tokens and alerts (sql_access.h)

  Status InsertToken(const AccessToken& token) override {
    return sql_access::InsertToken(*db_, token);
  }
  Result<AccessToken> FindTokenByHash(std::string_view hash) override {
    return sql_access::FindTokenByHash(*db_, hash);
  }
  Result<std::vector<AccessToken>> ListTokens() override { return sql_access::ListTokens(*db_); }
  Status RevokeToken(std::string_view id, Timestamp at) override {
    return sql_access::RevokeToken(*db_, id, at);
  }
  Result<std::int64_t> AddAlertRule(const AlertRule& rule) override {
    return sql_access::AddAlertRule(*db_, rule);
  }
  Result<std::vector<AlertRule>> ListAlertRules() override {
    return sql_access::ListAlertRules(*db_);
  }
  Status RemoveAlertRule(std::int64_t id) override { return sql_access::RemoveAlertRule(*db_, id); }
  Result<std::int64_t> RecordDelivery(const AlertDelivery& d) override {
    return sql_access::RecordDelivery(*db_, d);
  }
  Result<std::vector<AlertDelivery>> ListDeliveries(std::int64_t limit) override {
    return sql_access::ListDeliveries(*db_, limit);
  }
  Result<bool> WasDelivered(std::int64_t rule_id, std::string_view event_key) override {
    return sql_access::WasDelivered(*db_, rule_id, event_key);
  }

 private:
  static constexpr std::size_t kControlColumns = 17;

  Result<Rows> Query(const std::string& text, Params params) { return db_->Query(text, params); }

  // Inserts many rows with multi-row VALUES in a few fixed batch sizes, so each statement text
  // repeats (prepared once on SQLite) and PostgreSQL needs few round trips.
  Status InsertRows(std::string_view table_and_columns, std::size_t columns,
                    const std::vector<Value>& values) {
    const std::size_t rows = values.size() / columns;
    std::size_t done = 0;
    for (std::size_t batch : {256, 64, 16, 4, 1}) {
      while (rows - done >= batch) {
        std::string text = "INSERT INTO " + std::string(table_and_columns) + " VALUES ";
        std::string tuple = "(";
        for (std::size_t c = 0; c < columns; ++c) tuple += c == 0 ? "?" : ", ?";
        tuple += ")";
        for (std::size_t b = 0; b < batch; ++b) text += (b == 0 ? "" : ", ") + tuple;
        Params params(values.begin() + static_cast<std::ptrdiff_t>(done * columns),
                      values.begin() + static_cast<std::ptrdiff_t>((done + batch) * columns));
        Result<Rows> r = Query(text, std::move(params));
        if (!r) return r.error();
        done += batch;
      }
    }
    return OkStatus();
  }

  Result<Evaluation> LoadEvaluation(const Row& head) {
    Evaluation e;
    e.summary = SummaryFrom(head);
    e.coverage =
        core::Coverage{static_cast<int>(AsInt(head[10])), static_cast<int>(AsInt(head[11])),
                       static_cast<int>(AsInt(head[12])), static_cast<int>(AsInt(head[13]))};
    Result<Rows> categories = Query(
        "SELECT name, current_points, max_points, percentage FROM evaluation_categories "
        "WHERE evaluation_id = ? ORDER BY position",
        {e.summary.id});
    if (!categories) return categories.error();
    for (const Row& r : *categories) {
      e.categories.push_back(
          core::CategoryScore{AsText(r[0]), AsDouble(r[1]), AsDouble(r[2]), AsDouble(r[3])});
    }
    Result<Rows> controls = Query(
        "SELECT control_id, title, category, service, status, state, points, measured_points, "
        "max_points, entity_count, entity_total, score_impact, evidence_level, failing, excepted "
        "FROM evaluation_controls WHERE evaluation_id = ? ORDER BY position",
        {e.summary.id});
    if (!controls) return controls.error();
    Result<std::vector<ControlResult>> mapped =
        MapRows<ControlResult>(*controls, [](const Row& r) -> Result<ControlResult> {
          ControlResult c;
          c.id = AsText(r[0]);
          c.title = AsText(r[1]);
          c.category = AsText(r[2]);
          c.service = AsText(r[3]);
          Result<core::ControlStatus> status = StatusFrom(r[4]);
          if (!status) return status.error();
          Result<core::ControlState> state = StateFrom(r[5]);
          if (!state) return state.error();
          c.status = *status;
          c.state = *state;
          c.points = AsDouble(r[6]);
          c.measured_points = AsDouble(r[7]);
          c.max = AsDouble(r[8]);
          c.count = AsInt(r[9]);
          c.total = AsInt(r[10]);
          c.score_impact = AsDouble(r[11]);
          c.evidence_level = AsText(r[12]);
          Result<std::vector<EntityRef>> failing = UnpackEntities(AsText(r[13]));
          if (!failing) return failing.error();
          Result<std::vector<EntityRef>> excepted = UnpackEntities(AsText(r[14]));
          if (!excepted) return excepted.error();
          c.failing = std::move(*failing);
          c.excepted = std::move(*excepted);
          return c;
        });
    if (!mapped) return mapped.error();
    e.controls = std::move(*mapped);
    return e;
  }

  Result<std::int64_t> AppendHistory(const std::string& tenant_id, const std::string& control_id,
                                     core::ControlState from, core::ControlState to,
                                     const std::string& by, Timestamp at,
                                     const std::string& reason) {
    Result<Rows> r = Query(
        "INSERT INTO control_state_history (tenant_id, control_id, from_state, to_state, "
        "changed_by, changed_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {tenant_id, control_id, std::string(core::ToString(from)), std::string(core::ToString(to)),
         by, Seconds(at), reason});
    if (!r) return r.error();
    return AsInt(r->front()[0]);
  }

  Status FinishJob(const std::string& text, Params params, std::int64_t job_id,
                   const std::string& not_running = "is not running (unknown or finished)") {
    return Write(*db_, [&]() -> Result<Done> {
      Result<Rows> r = Query(text, params);
      if (!r) return r.error();
      if (r->empty()) {
        return Error{ErrorCode::kConflict, "job " + std::to_string(job_id) + " " + not_running,
                     std::to_string(job_id)};
      }
      return Done{};
    });
  }

  Status RequireTenant(std::string_view tenant_id) {
    Result<Rows> r = Query("SELECT 1 FROM tenants WHERE id = ?", {std::string(tenant_id)});
    if (!r) return r.error();
    if (r->empty()) return NoTenant(tenant_id);
    return OkStatus();
  }

  static Error NoTenant(std::string_view tenant_id) {
    return NotFound("no tenant " + std::string(tenant_id), std::string(tenant_id));
  }

  static Tenant TenantFrom(const Row& r) {
    return Tenant{AsText(r[0]), AsText(r[1]), AsText(r[2]), AsInt(r[3])};
  }

  static SnapshotInfo SnapshotInfoFrom(const Row& r) {
    return SnapshotInfo{AsText(r[0]), AsText(r[1]), ToTimestamp(r[2]), AsInt(r[3]), AsInt(r[4])};
  }

  std::unique_ptr<sql::Connection> db_;
  std::string skip_locked_;
  std::string for_update_;
};

}  // namespace

Result<std::unique_ptr<Store>> MakeSqlStore(std::unique_ptr<sql::Connection> connection) {
  Result<std::int64_t> version = Migrate(*connection);
  if (!version) return version.error();
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(connection)));
}

std::string_view ToString(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kDone: return "done";
    case JobStatus::kFailed: return "failed";
  }
  return "queued";
}

std::optional<JobStatus> ParseJobStatus(std::string_view s) {
  for (JobStatus status :
       {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kDone, JobStatus::kFailed}) {
    if (ToString(status) == s) return status;
  }
  return std::nullopt;
}

}  // namespace securescore::store
