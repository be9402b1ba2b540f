// What the store keeps: plain records exchanged with a Store (store.h).
//
// They mirror what the engine produces (core::TenantScore, DESIGN §2 and §4) without depending
// on the engine, so the store sits directly above core. Times are whole UTC seconds chosen by
// the caller (the store never reads a clock).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "securescore/core/compare.h"
#include "securescore/core/model.h"
#include "securescore/core/score.h"

namespace securescore::store {

using Timestamp = std::chrono::sys_seconds;
using Day = std::chrono::sys_days;

struct Tenant {
  std::string id;
  std::string display_name;
  std::string industry;    // empty when unknown
  std::int64_t seats = 0;  // licensed users; 0 when unknown
};

struct SnapshotInfo {
  std::string tenant_id;
  std::string hash;  // SHA-256 hex of the canonical input bytes
  Timestamp collected_at;
  std::int64_t original_size = 0;  // bytes before compression
  std::int64_t stored_size = 0;    // bytes after zstd
};

struct Snapshot {
  SnapshotInfo info;
  std::string bytes;  // decompressed, exactly what was put
};

// Result of PutSnapshot: the snapshot's identity, and whether this call stored it.
struct SnapshotRef {
  std::string hash;
  bool inserted = false;
};

struct EntityRef {
  std::string entity_id;
  std::string entity_name;
  std::string reason;
};

struct ControlResult {
  std::string id;
  std::string title;
  std::string category;
  std::string service;
  core::ControlStatus status = core::ControlStatus::kToAddress;
  core::ControlState state = core::ControlState::kToAddress;
  double points = 0;
  double measured_points = 0;
  double max = 0;
  std::int64_t count = 0;
  std::int64_t total = 0;
  double score_impact = 0;
  std::string evidence_level;       // which evidence alternative was used, e.g. "entity"
  std::vector<EntityRef> failing;   // non-compliant entities
  std::vector<EntityRef> excepted;  // left out of count and total by an active exception
};

// Figures of one evaluation without its controls: what lists and series return.
struct EvaluationSummary {
  std::int64_t id = 0;  // assigned by the store
  std::string tenant_id;
  std::string snapshot_hash;
  Timestamp evaluated_at;
  std::string catalog_version;
  double current = 0;
  double max = 0;
  double percentage = 0;
  double measured = 0;
  double planned = 0;
};

struct Evaluation {
  EvaluationSummary summary;
  std::vector<core::CategoryScore> categories;
  core::Coverage coverage;
  std::vector<ControlResult> controls;
};

// Result of InsertEvaluation: the id of the stored evaluation; `inserted` is false when an
// evaluation of the same snapshot under the same catalog version already existed.
struct EvaluationRef {
  std::int64_t id = 0;
  bool inserted = false;
};

// One point of the daily series: the last evaluation of that UTC day.
struct DailyPoint {
  Day day;
  EvaluationSummary evaluation;
};

// One control's figures in one evaluation, for per-control history.
struct ControlPoint {
  std::int64_t evaluation_id = 0;
  Timestamp evaluated_at;
  core::ControlStatus status = core::ControlStatus::kToAddress;
  core::ControlState state = core::ControlState::kToAddress;
  double points = 0;
  double measured_points = 0;
  double max = 0;
  std::int64_t count = 0;
  std::int64_t total = 0;
};

// A person's decision about a control (DESIGN §2).
struct ControlStateRecord {
  std::string tenant_id;
  std::string control_id;
  core::ControlState state = core::ControlState::kToAddress;
  std::string comment;
  std::string assignee;
  std::vector<std::string> tags;
  std::optional<Timestamp> expires_at;
  std::string updated_by;
  Timestamp updated_at;
};

// What SetControlState writes: the new record plus why it changed (kept in the history).
struct ControlStateChange {
  ControlStateRecord record;
  std::string reason;
};

// One entry of the append-only state history.
struct StateHistoryEntry {
  std::int64_t id = 0;
  std::string tenant_id;
  std::string control_id;
  core::ControlState from = core::ControlState::kToAddress;
  core::ControlState to = core::ControlState::kToAddress;
  std::string changed_by;
  Timestamp changed_at;
  std::string reason;  // "expired" when ExpireStates reverted the state
};

// An entity left out of a control's count and total (e.g. a break-glass account).
struct ExceptionRecord {
  std::string tenant_id;
  std::string control_id;
  std::string entity_id;
  std::string rationale;
  std::string owner;
  std::optional<Timestamp> expires_at;  // none: until removed
  std::string created_by;
  Timestamp created_at;
};

struct Goal {
  std::string tenant_id;
  Day target_date;
  double target_percentage = 0;
  std::string set_by;
  Timestamp set_at;
};

// Score zones: percentage ≥ good is good, ≥ okay is okay, below is bad.
struct ScoreZones {
  double good = 0;
  double okay = 0;
};

// One day of Microsoft's own series (a Graph secureScores object).
struct MicrosoftScore {
  std::string tenant_id;
  Day day;  // the UTC day of createdDateTime
  double current_score = 0;
  double max_score = 0;
  std::string raw_json;  // the object as Graph returned it
};

// What comparison (core/compare.h) needs about one tenant: its latest evaluation's figures.
using ComparisonInput = core::TenantFigures;

// One tenant's percentage from one evaluation, for comparison over time
// (Store::FleetDailySeries).
struct TenantDayScore {
  std::string tenant_id;
  Day day;  // the UTC day of the evaluation
  double percentage = 0;
};

enum class JobStatus { kQueued, kRunning, kDone, kFailed };

struct Job {
  std::int64_t id = 0;
  std::string kind;  // e.g. "evaluate", "collect"
  std::string tenant_id;
  std::string payload;  // JSON chosen by the kind
  JobStatus status = JobStatus::kQueued;
  std::int64_t attempts = 0;  // claims so far
  std::int64_t max_attempts = 3;
  std::string claimed_by;
  std::optional<Timestamp> claimed_at;
  // While running: the claimer's last heartbeat and when its claim runs out (then any worker
  // may claim the job again).
  std::optional<Timestamp> heartbeat_at;
  std::optional<Timestamp> lease_expires_at;
  std::string last_error;
  Timestamp created_at;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string actor;
  std::string action;  // e.g. "state.set", "tenant.remove"
  std::string target;  // e.g. "tenant/contoso/control/MFARegistrationV2"
  std::string detail_json;
  Timestamp at;
};

}  // namespace securescore::store
