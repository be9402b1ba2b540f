#include "securescore/service/score_view.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "securescore/evidence/load.h"
#include "securescore/service/ingest.h"
#include "securescore/service/time_text.h"

namespace securescore::service {
namespace {

using EntitySet = std::set<std::string>;

bool Excluded(core::ControlStatus s) {
  return s == core::ControlStatus::kNotApplicable || s == core::ControlStatus::kNoData ||
         s == core::ControlStatus::kError;
}

// Applies today's exceptions to a stored control. Returns false when that cannot be done from
// the stored lists alone (the evidence must be evaluated again).
bool ApplyExceptions(store::ControlResult& c, const EntitySet& active) {
  if (c.status == core::ControlStatus::kNoData || c.status == core::ControlStatus::kError) {
    return true;  // nothing was assessed: exceptions change nothing
  }
  EntitySet failing, excepted;
  for (const auto& e : c.failing) failing.insert(e.entity_id);
  for (const auto& e : c.excepted) excepted.insert(e.entity_id);
  for (const std::string& id : excepted) {
    if (!active.contains(id)) return false;  // no longer excepted: compliant or not?
  }
  for (const std::string& id : active) {
    if (!failing.contains(id) && !excepted.contains(id)) return false;  // passing or absent?
  }
  auto moved = std::stable_partition(
      c.failing.begin(), c.failing.end(),
      [&](const store::EntityRef& e) { return !active.contains(e.entity_id); });
  c.total -= std::distance(moved, c.failing.end());
  c.excepted.insert(c.excepted.end(), moved, c.failing.end());
  c.failing.erase(moved, c.failing.end());
  return true;
}

core::ControlInput InputFor(const store::ControlResult& c, const catalog::Control* control,
                            core::ControlState state) {
  core::ControlInput in;
  in.id = c.id;
  in.category = c.category;
  in.count = c.count;
  in.total = c.total;
  in.state = state;
  if (control != nullptr) {
    in.max_points = control->max_points;
    in.kind = control->scoring;
    in.when_empty = control->when_empty;
  } else {
    // The control left the catalog: keep what the stored figures say about it.
    in.max_points = c.max;
    in.kind = c.status == core::ControlStatus::kPartial ? core::ScoringKind::kPerEntity
                                                        : core::ScoringKind::kBinary;
    in.when_empty = c.status == core::ControlStatus::kNotApplicable
                        ? core::WhenEmpty::kNotApplicable
                        : core::WhenEmpty::kFull;
  }
  if (c.status == core::ControlStatus::kNoData) in.outcome = core::Outcome::kNoData;
  if (c.status == core::ControlStatus::kError) in.outcome = core::Outcome::kError;
  return in;
}

// The evaluation before `latest` (by time, then id), if any.
Result<std::optional<store::Evaluation>> PreviousEvaluation(
    store::Store& store, const store::EvaluationSummary& latest) {
  Result<std::vector<store::EvaluationSummary>> all = store.ListEvaluations(latest.tenant_id, {});
  if (!all) return all.error();
  std::optional<std::int64_t> previous;
  for (const store::EvaluationSummary& s : *all) {
    if (s.id == latest.id) break;
    previous = s.id;
  }
  if (!previous) return std::optional<store::Evaluation>();
  Result<store::Evaluation> ev = store.GetEvaluation(*previous);
  if (!ev) return ev.error();
  return std::optional<store::Evaluation>(std::move(*ev));
}

}  // namespace

Error UnknownTenant(std::string_view tenant_id) {
  return Error{ErrorCode::kNotFound,
               "unknown tenant \"" + std::string(tenant_id) +
                   "\" (see `securescore tenant list`; ingest a snapshot or `tenant add` it)",
               "--tenant"};
}

Result<store::Tenant> RequireTenant(store::Store& store, std::string_view tenant_id) {
  Result<store::Tenant> t = store.GetTenant(tenant_id);
  if (!t && t.error().code == ErrorCode::kNotFound) return UnknownTenant(tenant_id);
  return t;
}

Result<ScoreView> CurrentScore(store::Store& store, const catalog::Catalog& catalog,
                               std::string_view tenant_id, store::Timestamp now) {
  Result<store::Tenant> tenant = RequireTenant(store, tenant_id);
  if (!tenant) return tenant.error();
  Result<engine::EvaluateOptions> options = CurrentEvaluateOptions(store, tenant_id, now);
  if (!options) return options.error();
  Result<store::Evaluation> latest = store.LatestEvaluation(tenant_id);
  if (!latest) {
    if (latest.error().code != ErrorCode::kNotFound) return latest.error();
    return Error{ErrorCode::kNotFound,
                 "tenant \"" + std::string(tenant_id) +
                     "\" has no evaluation yet; run `securescore ingest` on a snapshot",
                 "--tenant"};
  }
  Result<std::vector<store::ControlStateRecord>> states = store.ListControlStates(tenant_id);
  if (!states) return states.error();

  ScoreView view;
  view.tenant = std::move(*tenant);
  view.evaluation = latest->summary;
  view.catalog_version = latest->summary.catalog_version;
  std::vector<store::ControlResult> controls = latest->controls;
  static const EntitySet kNone;
  bool exact = true;
  for (store::ControlResult& c : controls) {
    auto it = options->exceptions.find(c.id);
    exact = ApplyExceptions(c, it != options->exceptions.end() ? it->second : kNone) && exact;
  }
  if (!exact) {
    Result<store::Snapshot> snapshot = store.GetSnapshot(tenant_id, latest->summary.snapshot_hash);
    if (!snapshot) return snapshot.error();
    Result<evidence::LoadedEvidence> evidence =
        evidence::LoadEvidenceJson(snapshot->bytes, "snapshot " + latest->summary.snapshot_hash);
    if (!evidence) return evidence.error();
    Result<engine::Evaluation> ev = engine::Evaluate(catalog, *evidence, *options);
    if (!ev) return ev.error();
    controls = ToStoreEvaluation(*ev, tenant_id, latest->summary.snapshot_hash,
                                 latest->summary.evaluated_at)
                   .controls;
    view.catalog_version = ev->catalog_version;
    view.evidence_reevaluated = true;
  }

  Result<std::optional<store::Evaluation>> previous = PreviousEvaluation(store, latest->summary);
  if (!previous) return previous.error();
  std::map<std::string, const store::ControlResult*, std::less<>> before;
  if (*previous) {
    for (const store::ControlResult& c : (*previous)->controls) before[c.id] = &c;
  }
  std::map<std::string, const store::ControlStateRecord*, std::less<>> explicit_states;
  for (const store::ControlStateRecord& s : *states) explicit_states[s.control_id] = &s;

  std::vector<core::ControlInput> inputs;
  inputs.reserve(controls.size());
  for (store::ControlResult& c : controls) {
    ControlView cv;
    cv.control = catalog.Find(c.id);
    core::ControlState state = c.state;  // attested in the snapshot, or the default
    if (auto s = explicit_states.find(c.id); s != explicit_states.end()) {
      cv.state = *s->second;
      state = s->second->state;
    }
    inputs.push_back(InputFor(c, cv.control, state));
    cv.evaluated = std::move(c);
    view.controls.push_back(std::move(cv));
  }
  view.score = core::ScoreTenant(inputs);
  for (size_t i = 0; i < view.controls.size(); ++i) {
    const core::ControlScore& cs = view.score.controls[i];
    auto b = before.find(cs.id);
    view.controls[i].regressed = b != before.end() && !cs.excluded &&
                                 !Excluded(b->second->status) &&
                                 cs.measured_points < b->second->measured_points - 1e-9;
  }
  return view;
}

AssessReport ToAssessReport(const ScoreView& view) {
  AssessReport r;
  r.tenant_id = view.tenant.id;
  r.tenant_name = view.tenant.display_name;
  r.collected_at = FormatTimestamp(view.evaluation.evaluated_at);
  r.evaluated_at = r.collected_at;
  r.catalog_version = view.catalog_version;
  r.score = view.score;
  for (const ControlView& cv : view.controls) {
    const store::ControlResult& c = cv.evaluated;
    ControlReport cr;
    cr.id = c.id;
    cr.title = c.title;
    cr.category = c.category;
    cr.service = c.service;
    cr.max_points = cv.control != nullptr ? cv.control->max_points : c.max;
    cr.evidence_level = c.evidence_level;
    cr.failing = c.failing;
    cr.excepted = c.excepted;
    cr.state_comment = cv.state ? cv.state->comment : std::string();
    cr.regressed = cv.regressed;
    r.controls.push_back(std::move(cr));
  }
  return r;
}

}  // namespace securescore::service
