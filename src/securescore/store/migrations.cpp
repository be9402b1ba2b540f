#include "securescore/store/migrations.h"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace securescore::store {
namespace {

// Times are BIGINT seconds since the Unix epoch (UTC) and days are BIGINT days since it, so
// both engines compare and group them the same way. Entity lists are packed per control
// (codec.h) so a 2,000-user tenant costs one row per control, not one per entity.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  industry TEXT NOT NULL DEFAULT '',
  seats BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE snapshots (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  collected_at BIGINT NOT NULL,
  original_size BIGINT NOT NULL,
  stored_size BIGINT NOT NULL,
  content {blob} NOT NULL,
  PRIMARY KEY (tenant_id, hash)
);
CREATE INDEX snapshots_by_time ON snapshots(tenant_id, collected_at);
CREATE TABLE evaluations (
  id {id},
  tenant_id TEXT NOT NULL,
  snapshot_hash TEXT NOT NULL,
  evaluated_at BIGINT NOT NULL,
  catalog_version TEXT NOT NULL,
  current_points DOUBLE PRECISION NOT NULL,
  max_points DOUBLE PRECISION NOT NULL,
  percentage DOUBLE PRECISION NOT NULL,
  measured_points DOUBLE PRECISION NOT NULL,
  planned_points DOUBLE PRECISION NOT NULL,
  assessed BIGINT NOT NULL,
  not_applicable BIGINT NOT NULL,
  no_data BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  UNIQUE (tenant_id, snapshot_hash, catalog_version),
  FOREIGN KEY (tenant_id, snapshot_hash) REFERENCES snapshots(tenant_id, hash) ON DELETE CASCADE
);
CREATE INDEX evaluations_by_time ON evaluations(tenant_id, evaluated_at);
CREATE TABLE evaluation_categories (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  current_points DOUBLE PRECISION NOT NULL,
  max_points DOUBLE PRECISION NOT NULL,
  percentage DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (evaluation_id, name)
);
CREATE TABLE evaluation_controls (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  control_id TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  service TEXT NOT NULL,
  status TEXT NOT NULL,
  state TEXT NOT NULL,
  points DOUBLE PRECISION NOT NULL,
  measured_points DOUBLE PRECISION NOT NULL,
  max_points DOUBLE PRECISION NOT NULL,
  entity_count BIGINT NOT NULL,
  entity_total BIGINT NOT NULL,
  score_impact DOUBLE PRECISION NOT NULL,
  evidence_level TEXT NOT NULL,
  failing {blob} NOT NULL,
  excepted {blob} NOT NULL,
  PRIMARY KEY (evaluation_id, control_id)
);
CREATE TABLE control_states (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  control_id TEXT NOT NULL,
  state TEXT NOT NULL,
  comment TEXT NOT NULL,
  assignee TEXT NOT NULL,
  tags TEXT NOT NULL,
  expires_at BIGINT,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, control_id)
);
CREATE INDEX control_states_by_expiry ON control_states(expires_at);
CREATE TABLE control_state_history (
  id {id},
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  control_id TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at BIGINT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX control_state_history_by_control ON control_state_history(tenant_id, control_id);
CREATE TABLE exceptions (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  control_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  rationale TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, control_id, entity_id)
);
CREATE TABLE goals (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  target_day BIGINT NOT NULL,
  target_percentage DOUBLE PRECISION NOT NULL,
  set_by TEXT NOT NULL,
  set_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, target_day)
);
CREATE TABLE score_zones (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  good DOUBLE PRECISION NOT NULL,
  okay DOUBLE PRECISION NOT NULL
);
CREATE TABLE microsoft_scores (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  day BIGINT NOT NULL,
  current_score DOUBLE PRECISION NOT NULL,
  max_score DOUBLE PRECISION NOT NULL,
  raw_json TEXT NOT NULL,
  PRIMARY KEY (tenant_id, day)
);
CREATE TABLE jobs (
  id {id},
  kind TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  max_attempts BIGINT NOT NULL,
  claimed_by TEXT NOT NULL,
  claimed_at BIGINT,
  last_error TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX jobs_by_status ON jobs(status, id);
CREATE TABLE audit_log (
  id {id},
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log(at);
)sql";

// The audit log and the state history are append-only: the database itself refuses to change
// them (a history row still goes when its tenant is removed).
constexpr std::string_view kAppendOnlySqlite = R"sql(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER control_state_history_no_update BEFORE UPDATE ON control_state_history
  BEGIN SELECT RAISE(ABORT, 'control_state_history is append-only'); END;
)sql";
constexpr std::string_view kAppendOnlyPostgres = R"sql(
CREATE FUNCTION securescore_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION securescore_append_only();
CREATE TRIGGER control_state_history_append_only BEFORE UPDATE ON control_state_history
  FOR EACH ROW EXECUTE FUNCTION securescore_append_only();
)sql";

// API tokens (hash only), alert rules and webhook delivery attempts (the server, DESIGN §5).
constexpr std::string_view kAccessAndAlerts = R"sql(
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE alert_rules (
  id {id},
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  threshold DOUBLE PRECISION NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE alert_deliveries (
  id {id},
  rule_id BIGINT NOT NULL,
  tenant_id TEXT NOT NULL,
  event_key TEXT NOT NULL,
  attempt BIGINT NOT NULL,
  http_status BIGINT NOT NULL,
  error TEXT NOT NULL,
  delivered BIGINT NOT NULL,
  payload TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX alert_deliveries_by_event ON alert_deliveries(rule_id, event_key);
)sql";

// Job leases: a claimed job belongs to its worker until lease_expires_at, which the worker
// pushes forward while it runs (heartbeat_at records the last push). A job whose lease ran out
// (its worker died) is claimed again by the next worker. Jobs claimed before this migration
// have no lease and wait for RequeueStaleJobs as before.
constexpr std::string_view kJobLeases = R"sql(
ALTER TABLE jobs ADD COLUMN heartbeat_at BIGINT;
ALTER TABLE jobs ADD COLUMN lease_expires_at BIGINT;
CREATE INDEX jobs_by_lease ON jobs(status, lease_expires_at);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kInitialSchema},
    {2, "append-only audit log and state history", kAppendOnlySqlite, kAppendOnlyPostgres},
    {3, "api tokens, alert rules and deliveries", kAccessAndAlerts},
    {4, "job leases", kJobLeases},
};

// Serializes migrations of one PostgreSQL database across processes (an arbitrary constant
// shared by every securescore process; "ssco" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x7373636f;

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// Applies the next pending migration in one transaction; returns the version afterwards and
// whether anything was applied.
Result<std::pair<std::int64_t, bool>> ApplyNext(sql::Connection& c, std::int64_t target) {
  if (c.dialect() == sql::Dialect::kPostgres) {
    Result<std::vector<sql::Row>> lock =
        c.Query("SELECT pg_advisory_xact_lock(?)", std::vector<sql::Value>{kMigrationLockKey});
    if (!lock) return lock.error();
  }
  Status created = c.ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
  if (!created) return created.error();
  Result<std::vector<sql::Row>> rows =
      c.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
  if (!rows) return rows.error();
  const std::int64_t current = sql::AsInt((*rows)[0][0]);
  const std::span<const Migration> all = Migrations();
  if (current > all.back().version) {
    return Error{ErrorCode::kConflict,
                 "database schema version " + std::to_string(current) +
                     " is newer than this securescore understands (" +
                     std::to_string(all.back().version) + "); upgrade securescore",
                 "schema_migrations"};
  }
  for (const Migration& m : all) {
    if (m.version <= current) continue;
    if (m.version > target) break;
    Status applied = c.ExecuteScript(MigrationDdl(m, c.dialect()));
    if (!applied) {
      Error e = applied.error();
      e.message = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                  ") failed: " + e.message;
      return e;
    }
    std::vector<sql::Value> params = {m.version, std::string(m.name)};
    Result<std::vector<sql::Row>> recorded =
        c.Query("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", params);
    if (!recorded) return recorded.error();
    return std::pair{m.version, true};
  }
  return std::pair{current, false};
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

std::string RenderDdl(std::string_view ddl, sql::Dialect dialect) {
  std::string out(ddl);
  const bool sqlite = dialect == sql::Dialect::kSqlite;
  ReplaceAll(out, "{id}", sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY");
  ReplaceAll(out, "{blob}", sqlite ? "BLOB" : "BYTEA");
  return out;
}

std::string MigrationDdl(const Migration& migration, sql::Dialect dialect) {
  const bool own_text = dialect == sql::Dialect::kPostgres && !migration.postgres_ddl.empty();
  return RenderDdl(own_text ? migration.postgres_ddl : migration.ddl, dialect);
}

Result<std::int64_t> Migrate(sql::Connection& c) {
  return MigrateTo(c, Migrations().back().version);
}

Result<std::int64_t> MigrateTo(sql::Connection& c, std::int64_t target) {
  int contended = 0;
  for (;;) {
    Status begun = c.Begin();
    if (!begun) {
      if (c.LastErrorRetryable() && ++contended < 50) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      return begun.error();
    }
    Result<std::pair<std::int64_t, bool>> step = ApplyNext(c, target);
    if (!step) {
      const bool retry = c.LastErrorRetryable();
      c.Rollback();
      if (retry && ++contended < 50) continue;
      return step.error();
    }
    Status committed = c.Commit();
    if (!committed) {
      c.Rollback();
      return committed.error();
    }
    if (!step->second) return step->first;
  }
}

}  // namespace securescore::store
