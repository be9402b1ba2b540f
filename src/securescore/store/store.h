// Store: securescore's memory — tenants, snapshots, evaluations, control states with their
// history, exceptions, goals, Microsoft's own series, jobs and the audit log (DESIGN §1 step 5).
//
// One interface, two engines: SQLite (a file, the default) and PostgreSQL (shared by any number
// of processes). Both pass the same conformance suite. A Store is one database connection: use
// one per thread. Times are always passed in; the store never reads a clock.
//
//   Result<std::unique_ptr<Store>> store = OpenStore("sqlite:/var/lib/securescore/db");
//   if (!store) return store.error();
//   Result<EvaluationRef> ref = (*store)->InsertEvaluation(evaluation);
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/store/access_records.h"
#include "securescore/store/records.h"

namespace securescore::store {

// A closed interval of time; the default covers all of it.
struct TimeRange {
  Timestamp from = Timestamp::min();
  Timestamp to = Timestamp::max();
};

struct JobRequest {
  std::string kind;
  std::string tenant_id;
  std::string payload;
  std::int64_t max_attempts = 3;
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual std::string_view engine() const = 0;
  // The schema version after the migrations applied on open.
  virtual Result<std::int64_t> SchemaVersion() = 0;
  // The engine's own consistency checks (SQLite: integrity_check and foreign_key_check;
  // PostgreSQL: the catalog is readable). kInternal, with what failed, when one fails.
  virtual Status CheckIntegrity() = 0;

  // --- Tenants. Removing a tenant deletes everything stored for it except the audit log.
  virtual Status UpsertTenant(const Tenant& tenant) = 0;
  virtual Result<Tenant> GetTenant(std::string_view tenant_id) = 0;
  virtual Result<std::vector<Tenant>> ListTenants() = 0;
  virtual Status RemoveTenant(std::string_view tenant_id) = 0;

  // --- Snapshots, kept compressed and identified by the SHA-256 of their bytes. Putting the
  // same bytes for the same tenant again stores nothing new.
  virtual Result<SnapshotRef> PutSnapshot(std::string_view tenant_id, Timestamp collected_at,
                                          std::string_view bytes) = 0;
  virtual Result<Snapshot> GetSnapshot(std::string_view tenant_id, std::string_view hash) = 0;
  virtual Result<std::vector<SnapshotInfo>> ListSnapshots(std::string_view tenant_id) = 0;

  // --- Evaluations. Inserted in one transaction; the snapshot must have been put first. A
  // second evaluation of the same snapshot under the same catalog version returns the first.
  virtual Result<EvaluationRef> InsertEvaluation(const Evaluation& evaluation) = 0;
  virtual Result<Evaluation> GetEvaluation(std::int64_t evaluation_id) = 0;
  virtual Result<Evaluation> LatestEvaluation(std::string_view tenant_id) = 0;
  // Oldest first.
  virtual Result<std::vector<EvaluationSummary>> ListEvaluations(std::string_view tenant_id,
                                                                 TimeRange range) = 0;
  // One point per UTC day: that day's last evaluation. Oldest first.
  virtual Result<std::vector<DailyPoint>> DailySeries(std::string_view tenant_id,
                                                      TimeRange range) = 0;
  // One control across evaluations, oldest first.
  virtual Result<std::vector<ControlPoint>> ControlHistory(std::string_view tenant_id,
                                                           std::string_view control_id,
                                                           TimeRange range) = 0;

  // --- Control states. Every change appends to the state history.
  virtual Result<ControlStateRecord> SetControlState(const ControlStateChange& change) = 0;
  // kNotFound when no state was ever set (the control is then `to_address`).
  virtual Result<ControlStateRecord> GetControlState(std::string_view tenant_id,
                                                     std::string_view control_id) = 0;
  virtual Result<std::vector<ControlStateRecord>> ListControlStates(std::string_view tenant_id) = 0;
  // All of a tenant's history (control_id empty) or one control's; oldest first.
  virtual Result<std::vector<StateHistoryEntry>> StateHistory(std::string_view tenant_id,
                                                              std::string_view control_id) = 0;
  // Reverts every state whose expiry is at or before `now` to to_address, across tenants, and
  // returns the history entries written (reason "expired").
  virtual Result<std::vector<StateHistoryEntry>> ExpireStates(Timestamp now) = 0;

  // --- Exceptions per (tenant, control, entity). Adding an existing one replaces it.
  virtual Status AddException(const ExceptionRecord& exception) = 0;
  virtual Result<std::vector<ExceptionRecord>> ListExceptions(std::string_view tenant_id) = 0;
  virtual Status RemoveException(std::string_view tenant_id, std::string_view control_id,
                                 std::string_view entity_id) = 0;
  // Exceptions without an expiry or expiring after `now`.
  virtual Result<std::vector<ExceptionRecord>> ActiveExceptions(std::string_view tenant_id,
                                                                Timestamp now) = 0;

  // --- Goals (one per target date) and score zones.
  virtual Status SetGoal(const Goal& goal) = 0;
  virtual Result<std::vector<Goal>> ListGoals(std::string_view tenant_id) = 0;
  virtual Status RemoveGoal(std::string_view tenant_id, Day target_date) = 0;
  virtual Status SetScoreZones(std::string_view tenant_id, ScoreZones zones) = 0;
  // nullopt when the tenant has none set.
  virtual Result<std::optional<ScoreZones>> GetScoreZones(std::string_view tenant_id) = 0;

  // --- Microsoft's own series: one row per tenant and day; putting a day again replaces it.
  virtual Status PutMicrosoftScores(std::span<const MicrosoftScore> scores) = 0;
  virtual Result<std::vector<MicrosoftScore>> MicrosoftSeries(std::string_view tenant_id,
                                                              TimeRange range) = 0;

  // --- Comparison: every tenant with an evaluation, with its latest evaluation's figures.
  virtual Result<std::vector<ComparisonInput>> ComparisonInputs() = 0;
  // Comparison over time, for the whole fleet at once (two index-driven queries in one read,
  // never one per tenant or day): every tenant's daily series (the last evaluation of each UTC
  // day) within `range`, each preceded by that tenant's last evaluation before `range.from` when
  // there is one, so every tenant's figure as of the range's first day is known. Ordered by
  // tenant id, then day.
  virtual Result<std::vector<TenantDayScore>> FleetDailySeries(TimeRange range) = 0;

  // --- Jobs. Claiming is safe across processes and machines: no job is claimed twice while
  // its claim holds. A claim is a lease: it runs out at now + `lease` unless RenewJobLease
  // pushes it forward, and a running job whose lease ran out is claimed again by the next
  // ClaimJob (or failed, when it has no attempts left), so a dead worker's job is not lost.
  virtual Result<std::int64_t> EnqueueJob(const JobRequest& request, Timestamp now) = 0;
  // The oldest claimable job (queued, or running with an expired lease), now running for
  // `worker` until now + `lease`; nullopt when there is none.
  virtual Result<std::optional<Job>> ClaimJob(std::string_view worker, Timestamp now,
                                              std::chrono::seconds lease) = 0;
  // Extends `worker`'s claim of a running job to now + `lease`. kConflict when the job is no
  // longer running for `worker` (finished, or its lease ran out and another worker took it).
  virtual Status RenewJobLease(std::int64_t job_id, std::string_view worker, Timestamp now,
                               std::chrono::seconds lease) = 0;
  // Gives `worker`'s running job back to the queue without counting the attempt (a worker
  // asked to stop). kConflict when the job is no longer running for `worker`.
  virtual Status ReleaseJob(std::int64_t job_id, std::string_view worker) = 0;
  virtual Status CompleteJob(std::int64_t job_id, Timestamp now) = 0;
  // Queues the job again while it has attempts left, else marks it failed.
  virtual Status FailJob(std::int64_t job_id, std::string_view error, Timestamp now) = 0;
  virtual Result<Job> GetJob(std::int64_t job_id) = 0;
  // Jobs still running that were claimed before `claimed_before` (their worker died): queued
  // again while they have attempts left, else failed. Returns how many were touched.
  virtual Result<std::int64_t> RequeueStaleJobs(Timestamp claimed_before, Timestamp now) = 0;

  // --- Audit log: append-only.
  virtual Result<std::int64_t> AppendAudit(const AuditEntry& entry) = 0;
  // Oldest first.
  virtual Result<std::vector<AuditEntry>> ListAudit(TimeRange range) = 0;

  // --- API tokens (access_records.h). Ids are unique; a hash finds at most one token.
  virtual Status InsertToken(const AccessToken& token) = 0;
  // kNotFound when no token has this hash (revoked and expired ones are still returned).
  virtual Result<AccessToken> FindTokenByHash(std::string_view secret_hash) = 0;
  virtual Result<std::vector<AccessToken>> ListTokens() = 0;
  // kNotFound for an unknown id; revoking twice keeps the first time.
  virtual Status RevokeToken(std::string_view token_id, Timestamp at) = 0;

  // --- Alert rules and their delivery attempts.
  virtual Result<std::int64_t> AddAlertRule(const AlertRule& rule) = 0;
  virtual Result<std::vector<AlertRule>> ListAlertRules() = 0;
  virtual Status RemoveAlertRule(std::int64_t rule_id) = 0;
  virtual Result<std::int64_t> RecordDelivery(const AlertDelivery& delivery) = 0;
  // Newest first, at most `limit`.
  virtual Result<std::vector<AlertDelivery>> ListDeliveries(std::int64_t limit) = 0;
  // Whether an attempt for (rule, event) was already delivered successfully.
  virtual Result<bool> WasDelivered(std::int64_t rule_id, std::string_view event_key) = 0;
};

// Opens (creating if needed) and migrates a store. `url` is `sqlite:PATH`, a bare path, or
// `postgresql://…` / `postgres://…` (any libpq connection URI).
Result<std::unique_ptr<Store>> OpenStore(std::string_view url);

std::string_view ToString(JobStatus status);
std::optional<JobStatus> ParseJobStatus(std::string_view s);

}  // namespace securescore::store
