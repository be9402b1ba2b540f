// A tenant's history: the daily series of our scores merged with Microsoft's own series, the
// evaluations, what changed between consecutive evaluations and why (evidence, state or
// catalog), regressions, the risk-acceptance trend, goals and score zones.
//
//   Result<History> h = LoadHistory(store, "contoso", {from, to}, now);
//   std::cout << RenderHistoryJson(*h);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/store/store.h"

namespace securescore::service {

struct DailyScore {
  store::Day day;
  double current = 0;
  double max = 0;
  double percentage = 0;
  std::string source;  // "securescore" or "microsoft"
};

struct ControlChange {
  std::string control_id;
  core::ControlStatus from_status = core::ControlStatus::kToAddress;
  core::ControlStatus to_status = core::ControlStatus::kToAddress;
  core::ControlState from_state = core::ControlState::kToAddress;
  core::ControlState to_state = core::ControlState::kToAddress;
  double from_points = 0;
  double to_points = 0;
  bool regressed = false;  // the points the evidence earns fell
};

// What changed from one evaluation to the next.
struct EvaluationChange {
  std::int64_t from_id = 0;
  std::int64_t to_id = 0;
  store::Timestamp at;  // the later evaluation's time
  double from_current = 0;
  double to_current = 0;
  double from_percentage = 0;
  double to_percentage = 0;
  // "evidence" (another snapshot), "state" (a control's state differs), "catalog" (another
  // catalog version), in that order; empty when nothing that scores changed.
  std::vector<std::string> causes;
  std::vector<ControlChange> controls;  // only controls whose status, state or points changed
};

// One evaluation's accepted risk: controls set to risk_accepted and the points given up.
struct RiskAcceptancePoint {
  std::int64_t evaluation_id = 0;
  store::Timestamp at;
  int controls = 0;
  double points_forgone = 0;  // Σ (measured − official) over risk_accepted controls
};

struct History {
  std::vector<DailyScore> daily;  // by day, securescore before microsoft on the same day
  std::vector<store::EvaluationSummary> evaluations;  // oldest first
  std::vector<EvaluationChange> changes;              // oldest first
  std::vector<RiskAcceptancePoint> risk_acceptance;   // one per evaluation
  std::vector<store::Goal> goals;
  std::optional<store::ScoreZones> zones;
};

// kNotFound for an unknown tenant.
Result<History> LoadHistory(store::Store& store, std::string_view tenant_id,
                            store::TimeRange range);

// {"daily":[{"date","current","max","percentage","source"}],
//  "evaluations":[{"id","evaluatedAt","current","max","snapshotHash"}],
//  "changes":[{"fromId","toId","at","fromCurrent","toCurrent","delta","causes",
//              "controls":[{"id","fromStatus","toStatus","fromState","toState","fromPoints",
//                           "toPoints","regressed"}]}],
//  "regressions":[{"evaluationId","at","controlId","fromPoints","toPoints"}],
//  "riskAcceptance":[{"evaluationId","at","controls","pointsForgone"}],
//  "goals":[{"targetDate","targetPercentage","setBy","setAt"}],
//  "zones":{"good","okay"} or null}
std::string RenderHistoryJson(const History& history);

}  // namespace securescore::service
