// The current score of a tenant: its latest stored evaluation re-scored with the control
// states and exceptions in force now, so a state change shows at once without running the
// catalog's SQL again. What `score` prints and what the server will serve.
//
//   Result<ScoreView> view = CurrentScore(store, catalog, "contoso", now);
//   if (view) std::cout << RenderAssessJson(ToAssessReport(*view));
//
// States re-score exactly from the stored count and total. An exception on an entity the
// evaluation listed as failing leaves its count and total exactly too. Any other change of
// exceptions (one removed or expired, or one naming an entity that was not failing) needs the
// evidence: the latest snapshot is then evaluated again in memory, and nothing is stored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/catalog.h"
#include "securescore/core/score.h"
#include "securescore/service/assess_json.h"
#include "securescore/store/store.h"

namespace securescore::service {

struct ControlView {
  // The control as evaluated, its failing and excepted lists adjusted to today's exceptions.
  store::ControlResult evaluated;
  const catalog::Control* control = nullptr;       // null when the control has left the catalog
  std::optional<store::ControlStateRecord> state;  // the explicit state in force, if any
  // The points the evidence earns fell since the previous evaluation (a state change alone is
  // not a regression: it is a decision, not a drift).
  bool regressed = false;
};

struct ScoreView {
  store::Tenant tenant;
  store::EvaluationSummary evaluation;  // the stored evaluation the view starts from
  std::string catalog_version;          // the evaluation's, or today's after re-evaluation
  core::TenantScore score;              // re-scored with today's states and exceptions
  std::vector<ControlView> controls;    // same order as score.controls
  bool evidence_reevaluated = false;    // exceptions changed so that the snapshot was rerun
};

// kNotFound for an unknown tenant or one without an evaluation yet. Reverts expired states
// first.
Result<ScoreView> CurrentScore(store::Store& store, const catalog::Catalog& catalog,
                               std::string_view tenant_id, store::Timestamp now);

// The `assess` JSON object plus evaluatedAt and per control state, stateComment, regressed.
AssessReport ToAssessReport(const ScoreView& view);

// "unknown tenant X" as every command words it.
Error UnknownTenant(std::string_view tenant_id);

// Looks the tenant up, turning kNotFound into UnknownTenant.
Result<store::Tenant> RequireTenant(store::Store& store, std::string_view tenant_id);

}  // namespace securescore::service
