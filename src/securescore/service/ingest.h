// Ingest: a snapshot's bytes in, a stored evaluation out. Loads the evidence, creates or
// updates the tenant, keeps the snapshot, evaluates it under the catalog with the tenant's
// current control states and active exceptions, and stores the evaluation in one transaction
// (Store::InsertEvaluation). The same snapshot twice under the same catalog stores one
// evaluation. Re-evaluation runs stored snapshots again under the current catalog.
//
//   Result<IngestResult> r = Ingest(store, catalog, bytes, "tenant.json", {}, now);
//   if (r && r->evaluation_inserted) std::cout << "stored " << r->evaluation_id;
//
// An evaluation's `evaluated_at` is the snapshot's collectedAt — the moment whose posture it
// scores — so archived snapshots ingested later land on their own day in the history, and a
// re-evaluation of an old snapshot replaces that day's point rather than today's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/catalog.h"
#include "securescore/engine/evaluate.h"
#include "securescore/evidence/load.h"
#include "securescore/store/store.h"

namespace securescore::service {

struct IngestOptions {
  // Store under this tenant instead of the one the snapshot names. The tenant is created if
  // it does not exist; an existing tenant's details are left as they are.
  std::string tenant_override;
};

struct IngestResult {
  std::string tenant_id;
  std::string snapshot_hash;
  bool snapshot_inserted = false;
  std::int64_t evaluation_id = 0;
  bool evaluation_inserted = false;  // false: this snapshot was already evaluated so
  store::EvaluationSummary summary;  // the stored evaluation's figures
  std::vector<std::string> warnings;
};

// Loads and stores one snapshot. `name` is used in error messages (a file name). Bad input is
// kInvalidInput (nothing stored); store failures keep the store's error code.
Result<IngestResult> Ingest(store::Store& store, const catalog::Catalog& catalog,
                            std::string_view bytes, std::string_view name,
                            const IngestOptions& options, store::Timestamp now);

// Evaluates a snapshot already stored for `tenant_id` under `catalog` and stores the result
// (a new evaluation when the catalog version differs from earlier ones; otherwise the
// existing evaluation is returned). Used by re-evaluation and by queued jobs.
Result<IngestResult> EvaluateStoredSnapshot(store::Store& store, const catalog::Catalog& catalog,
                                            std::string_view tenant_id,
                                            std::string_view snapshot_hash, store::Timestamp now);

// The job kind `ingest --queue` enqueues and `worker` runs; its payload is
// {"snapshot":"<hash>"} for the job's tenant.
inline constexpr std::string_view kEvaluateJobKind = "evaluate";

struct QueuedSnapshot {
  std::string tenant_id;
  std::string snapshot_hash;
  bool snapshot_inserted = false;
  std::int64_t job_id = 0;
};

// Like Ingest up to keeping the snapshot, then queues an evaluation job for it instead of
// evaluating: workers on any machine sharing the store run it (they need only the database).
Result<QueuedSnapshot> EnqueueSnapshot(store::Store& store, std::string_view bytes,
                                       std::string_view name, const IngestOptions& options,
                                       store::Timestamp now);

// Runs a claimed job. kInvalidInput for a kind or payload this version does not know.
Result<IngestResult> RunJob(store::Store& store, const catalog::Catalog& catalog,
                            const store::Job& job, store::Timestamp now);

// Re-evaluates every stored snapshot of a tenant (all tenants when `tenant_id` is empty),
// oldest first. Old evaluations are kept.
Result<std::vector<IngestResult>> Reevaluate(store::Store& store, const catalog::Catalog& catalog,
                                             std::string_view tenant_id, store::Timestamp now);

// The tenant's current states and active exceptions as the engine takes them. Reverts
// expired states first (Store::ExpireStates), so what is applied is what is in force.
Result<engine::EvaluateOptions> CurrentEvaluateOptions(store::Store& store,
                                                       std::string_view tenant_id,
                                                       store::Timestamp now);

// The record the store keeps for an engine evaluation of snapshot `hash`.
store::Evaluation ToStoreEvaluation(const engine::Evaluation& ev, std::string_view tenant_id,
                                    std::string_view hash, store::Timestamp evaluated_at);

// The timestamp an evaluation of `evidence` is filed under: its collectedAt, or `fallback`
// when the snapshot has none (or an unreadable one).
store::Timestamp EvidenceTime(const evidence::LoadedEvidence& evidence, store::Timestamp fallback);

}  // namespace securescore::service
