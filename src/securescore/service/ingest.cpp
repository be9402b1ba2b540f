#include "securescore/service/ingest.h"

#include <simdjson.h>

#include <utility>

#include "securescore/catalog/json_writer.h"
#include "securescore/service/assess_json.h"
#include "securescore/service/time_text.h"

namespace securescore::service {
namespace {

// The tenant record to keep after loading `ev`: the existing one when there is one and the
// caller chose the tenant, else the snapshot's details filling in what the store lacks.
Status EnsureTenant(store::Store& store, const evidence::TenantInfo& info,
                    const std::string& tenant_id, bool overridden) {
  Result<store::Tenant> existing = store.GetTenant(tenant_id);
  if (!existing && existing.error().code != ErrorCode::kNotFound) return existing.error();
  store::Tenant t;
  if (existing) {
    if (overridden) return OkStatus();
    t = *existing;
  }
  t.id = tenant_id;
  if (!overridden) {
    if (!info.display_name.empty()) t.display_name = info.display_name;
    if (!info.industry.empty()) t.industry = info.industry;
    if (info.licensed_user_count > 0) t.seats = info.licensed_user_count;
  }
  if (existing && existing->display_name == t.display_name && existing->industry == t.industry &&
      existing->seats == t.seats) {
    return OkStatus();  // unchanged: no write lock taken
  }
  return store.UpsertTenant(t);
}

// Evaluates loaded evidence for a tenant whose snapshot `hash` is stored, and stores it.
Result<IngestResult> EvaluateAndStore(store::Store& store, const catalog::Catalog& catalog,
                                      evidence::LoadedEvidence& evidence,
                                      const std::string& tenant_id, const std::string& hash,
                                      store::Timestamp evaluated_at, store::Timestamp now) {
  Result<engine::EvaluateOptions> options = CurrentEvaluateOptions(store, tenant_id, now);
  if (!options) return options.error();
  Result<engine::Evaluation> ev = engine::Evaluate(catalog, evidence, *options);
  if (!ev) return ev.error();
  store::Evaluation record = ToStoreEvaluation(*ev, tenant_id, hash, evaluated_at);
  Result<store::EvaluationRef> ref = store.InsertEvaluation(record);
  if (!ref) return ref.error();
  IngestResult out;
  out.tenant_id = tenant_id;
  out.snapshot_hash = hash;
  out.evaluation_id = ref->id;
  out.evaluation_inserted = ref->inserted;
  out.summary = record.summary;
  out.summary.id = ref->id;
  if (!ref->inserted) {
    // The stored figures are the first evaluation's (states may have changed since).
    Result<store::Evaluation> stored = store.GetEvaluation(ref->id);
    if (!stored) return stored.error();
    out.summary = stored->summary;
  }
  out.warnings = evidence.warnings;
  out.warnings.insert(out.warnings.end(), ev->warnings.begin(), ev->warnings.end());
  return out;
}

// A snapshot loaded and kept, with its tenant in the store.
struct KeptSnapshot {
  evidence::LoadedEvidence evidence;
  std::string tenant_id;
  store::SnapshotRef snapshot;
  store::Timestamp evaluated_at;
};

Result<KeptSnapshot> KeepSnapshot(store::Store& store, std::string_view bytes,
                                  std::string_view name, const IngestOptions& options,
                                  store::Timestamp now) {
  Result<evidence::LoadedEvidence> evidence = evidence::LoadEvidenceJson(bytes, name);
  if (!evidence) return evidence.error();
  const bool overridden = !options.tenant_override.empty();
  std::string tenant_id = overridden ? options.tenant_override : evidence->tenant.id;
  if (tenant_id.empty()) {
    return InvalidInput("the snapshot names no tenant (tenant.id); pass --tenant ID",
                        std::string(name));
  }
  Status tenant = EnsureTenant(store, evidence->tenant, tenant_id, overridden);
  if (!tenant) return tenant.error();
  const store::Timestamp evaluated_at = EvidenceTime(*evidence, now);
  Result<store::SnapshotRef> snapshot = store.PutSnapshot(tenant_id, evaluated_at, bytes);
  if (!snapshot) return snapshot.error();
  return KeptSnapshot{std::move(*evidence), std::move(tenant_id), *snapshot, evaluated_at};
}

}  // namespace

store::Timestamp EvidenceTime(const evidence::LoadedEvidence& evidence, store::Timestamp fallback) {
  if (evidence.collected_at.empty()) return fallback;
  Result<store::Timestamp> t = ParseTimestamp(evidence.collected_at, "collectedAt");
  return t ? *t : fallback;
}

Result<engine::EvaluateOptions> CurrentEvaluateOptions(store::Store& store,
                                                       std::string_view tenant_id,
                                                       store::Timestamp now) {
  Result<std::vector<store::StateHistoryEntry>> expired = store.ExpireStates(now);
  if (!expired) return expired.error();
  engine::EvaluateOptions options;
  Result<std::vector<store::ControlStateRecord>> states = store.ListControlStates(tenant_id);
  if (!states) return states.error();
  for (const store::ControlStateRecord& s : *states) options.states[s.control_id] = s.state;
  Result<std::vector<store::ExceptionRecord>> exceptions = store.ActiveExceptions(tenant_id, now);
  if (!exceptions) return exceptions.error();
  for (const store::ExceptionRecord& e : *exceptions) {
    options.exceptions[e.control_id].insert(e.entity_id);
  }
  return options;
}

store::Evaluation ToStoreEvaluation(const engine::Evaluation& ev, std::string_view tenant_id,
                                    std::string_view hash, store::Timestamp evaluated_at) {
  store::Evaluation out;
  store::EvaluationSummary& s = out.summary;
  s.tenant_id = std::string(tenant_id);
  s.snapshot_hash = std::string(hash);
  s.evaluated_at = evaluated_at;
  s.catalog_version = ev.catalog_version;
  s.current = ev.score.current;
  s.max = ev.score.max;
  s.percentage = ev.score.percentage;
  s.measured = ev.score.measured;
  s.planned = ev.score.planned;
  out.categories = ev.score.categories;
  out.coverage = ev.score.coverage;
  out.controls.reserve(ev.controls.size());
  for (size_t i = 0; i < ev.controls.size(); ++i) {
    const engine::ControlEvaluation& ce = ev.controls[i];
    const core::ControlScore& cs = ev.score.controls[i];
    store::ControlResult c;
    c.id = ce.control->id;
    c.title = ce.control->title;
    c.category = ce.control->category;
    c.service = ce.control->service;
    c.status = cs.status;
    c.state = cs.state;
    c.points = cs.points;
    c.measured_points = cs.measured_points;
    c.max = cs.max;
    c.count = cs.count;
    c.total = cs.total;
    c.score_impact = cs.score_impact;
    c.evidence_level = ce.level;
    c.failing = ToEntityRefs(ce.failing);
    c.excepted = ToEntityRefs(ce.excepted);
    out.controls.push_back(std::move(c));
  }
  return out;
}

Result<IngestResult> Ingest(store::Store& store, const catalog::Catalog& catalog,
                            std::string_view bytes, std::string_view name,
                            const IngestOptions& options, store::Timestamp now) {
  Result<KeptSnapshot> kept = KeepSnapshot(store, bytes, name, options, now);
  if (!kept) return kept.error();
  Result<IngestResult> out = EvaluateAndStore(store, catalog, kept->evidence, kept->tenant_id,
                                              kept->snapshot.hash, kept->evaluated_at, now);
  if (out) out->snapshot_inserted = kept->snapshot.inserted;
  return out;
}

Result<QueuedSnapshot> EnqueueSnapshot(store::Store& store, std::string_view bytes,
                                       std::string_view name, const IngestOptions& options,
                                       store::Timestamp now) {
  Result<KeptSnapshot> kept = KeepSnapshot(store, bytes, name, options, now);
  if (!kept) return kept.error();
  catalog::JsonWriter payload;
  payload.BeginObject().Key("snapshot").String(kept->snapshot.hash).EndObject();
  Result<std::int64_t> job =
      store.EnqueueJob({std::string(kEvaluateJobKind), kept->tenant_id, payload.str(), 3}, now);
  if (!job) return job.error();
  return QueuedSnapshot{kept->tenant_id, kept->snapshot.hash, kept->snapshot.inserted, *job};
}

Result<IngestResult> RunJob(store::Store& store, const catalog::Catalog& catalog,
                            const store::Job& job, store::Timestamp now) {
  if (job.kind != kEvaluateJobKind) {
    return InvalidInput("unknown job kind \"" + job.kind + "\"", "job " + std::to_string(job.id));
  }
  simdjson::dom::parser parser;
  std::string_view hash;
  simdjson::dom::element payload;
  if (parser.parse(job.payload).get(payload) != simdjson::SUCCESS ||
      payload["snapshot"].get_string().get(hash) != simdjson::SUCCESS) {
    return InvalidInput("expected a payload {\"snapshot\": HASH}, got " + job.payload,
                        "job " + std::to_string(job.id));
  }
  return EvaluateStoredSnapshot(store, catalog, job.tenant_id, std::string(hash), now);
}

Result<IngestResult> EvaluateStoredSnapshot(store::Store& store, const catalog::Catalog& catalog,
                                            std::string_view tenant_id,
                                            std::string_view snapshot_hash, store::Timestamp now) {
  Result<store::Snapshot> snapshot = store.GetSnapshot(tenant_id, snapshot_hash);
  if (!snapshot) return snapshot.error();
  Result<evidence::LoadedEvidence> evidence =
      evidence::LoadEvidenceJson(snapshot->bytes, "snapshot " + std::string(snapshot_hash));
  if (!evidence) return evidence.error();
  return EvaluateAndStore(store, catalog, *evidence, std::string(tenant_id),
                          std::string(snapshot_hash), snapshot->info.collected_at, now);
}

Result<std::vector<IngestResult>> Reevaluate(store::Store& store, const catalog::Catalog& catalog,
                                             std::string_view tenant_id, store::Timestamp now) {
  std::vector<std::string> tenants;
  if (tenant_id.empty()) {
    Result<std::vector<store::Tenant>> all = store.ListTenants();
    if (!all) return all.error();
    for (const store::Tenant& t : *all) tenants.push_back(t.id);
  } else {
    Result<store::Tenant> t = store.GetTenant(tenant_id);
    if (!t) return t.error();
    tenants.push_back(t->id);
  }
  std::vector<IngestResult> out;
  for (const std::string& id : tenants) {
    Result<std::vector<store::SnapshotInfo>> snapshots = store.ListSnapshots(id);
    if (!snapshots) return snapshots.error();
    for (const store::SnapshotInfo& info : *snapshots) {
      Result<IngestResult> r = EvaluateStoredSnapshot(store, catalog, id, info.hash, now);
      if (!r) return r.error();
      out.push_back(std::move(*r));
    }
  }
  return out;
}

}  // namespace securescore::service
