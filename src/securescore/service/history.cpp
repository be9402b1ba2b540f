#include "securescore/service/history.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>

#include "securescore/catalog/json_writer.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::service {
namespace {

constexpr double kEpsilon = 1e-9;

EvaluationChange Diff(const store::Evaluation& from, const store::Evaluation& to) {
  EvaluationChange change;
  change.from_id = from.summary.id;
  change.to_id = to.summary.id;
  change.at = to.summary.evaluated_at;
  change.from_current = from.summary.current;
  change.to_current = to.summary.current;
  change.from_percentage = from.summary.percentage;
  change.to_percentage = to.summary.percentage;
  std::map<std::string, const store::ControlResult*, std::less<>> before;
  for (const store::ControlResult& c : from.controls) before[c.id] = &c;
  bool state_changed = false;
  for (const store::ControlResult& c : to.controls) {
    auto it = before.find(c.id);
    store::ControlResult absent;  // a control new in this catalog
    absent.id = c.id;
    const store::ControlResult& b = it != before.end() ? *it->second : absent;
    if (b.state != c.state) state_changed = true;
    if (b.status == c.status && b.state == c.state && std::abs(b.points - c.points) < kEpsilon &&
        it != before.end()) {
      continue;
    }
    ControlChange cc;
    cc.control_id = c.id;
    cc.from_status = b.status;
    cc.to_status = c.status;
    cc.from_state = b.state;
    cc.to_state = c.state;
    cc.from_points = b.points;
    cc.to_points = c.points;
    cc.regressed = it != before.end() && c.measured_points < b.measured_points - kEpsilon;
    change.controls.push_back(std::move(cc));
  }
  if (from.summary.snapshot_hash != to.summary.snapshot_hash) change.causes.push_back("evidence");
  if (state_changed) change.causes.push_back("state");
  if (from.summary.catalog_version != to.summary.catalog_version) {
    change.causes.push_back("catalog");
  }
  return change;
}

RiskAcceptancePoint RiskOf(const store::Evaluation& ev) {
  RiskAcceptancePoint p;
  p.evaluation_id = ev.summary.id;
  p.at = ev.summary.evaluated_at;
  for (const store::ControlResult& c : ev.controls) {
    if (c.state != core::ControlState::kRiskAccepted) continue;
    ++p.controls;
    p.points_forgone += std::max(0.0, c.measured_points - c.points);
  }
  return p;
}

}  // namespace

Result<History> LoadHistory(store::Store& store, std::string_view tenant_id,
                            store::TimeRange range) {
  Result<store::Tenant> tenant = RequireTenant(store, tenant_id);
  if (!tenant) return tenant.error();
  History h;
  Result<std::vector<store::DailyPoint>> ours = store.DailySeries(tenant_id, range);
  if (!ours) return ours.error();
  for (const store::DailyPoint& p : *ours) {
    h.daily.push_back(
        {p.day, p.evaluation.current, p.evaluation.max, p.evaluation.percentage, "securescore"});
  }
  Result<std::vector<store::MicrosoftScore>> microsoft = store.MicrosoftSeries(tenant_id, range);
  if (!microsoft) return microsoft.error();
  for (const store::MicrosoftScore& m : *microsoft) {
    h.daily.push_back({m.day, m.current_score, m.max_score,
                       core::Percentage(m.current_score, m.max_score), "microsoft"});
  }
  std::stable_sort(h.daily.begin(), h.daily.end(), [](const DailyScore& a, const DailyScore& b) {
    // "securescore" sorts after "microsoft"; ours first on a shared day reads better.
    return std::tuple(a.day, a.source != "securescore") <
           std::tuple(b.day, b.source != "securescore");
  });

  Result<std::vector<store::EvaluationSummary>> evaluations =
      store.ListEvaluations(tenant_id, range);
  if (!evaluations) return evaluations.error();
  h.evaluations = std::move(*evaluations);
  std::optional<store::Evaluation> previous;
  for (const store::EvaluationSummary& s : h.evaluations) {
    Result<store::Evaluation> ev = store.GetEvaluation(s.id);
    if (!ev) return ev.error();
    h.risk_acceptance.push_back(RiskOf(*ev));
    if (previous) h.changes.push_back(Diff(*previous, *ev));
    previous = std::move(*ev);
  }
  Result<std::vector<store::Goal>> goals = store.ListGoals(tenant_id);
  if (!goals) return goals.error();
  h.goals = std::move(*goals);
  Result<std::optional<store::ScoreZones>> zones = store.GetScoreZones(tenant_id);
  if (!zones) return zones.error();
  h.zones = *zones;
  return h;
}

std::string RenderHistoryJson(const History& h) {
  catalog::JsonWriter w(2);
  w.BeginObject();
  w.Key("daily").BeginArray();
  for (const DailyScore& d : h.daily) {
    w.BeginObject().Key("date").String(FormatDay(d.day)).Key("current").Number(d.current);
    w.Key("max").Number(d.max).Key("percentage").Number(d.percentage);
    w.Key("source").String(d.source).EndObject();
  }
  w.EndArray();
  w.Key("evaluations").BeginArray();
  for (const store::EvaluationSummary& e : h.evaluations) {
    w.BeginObject().Key("id").Int(e.id).Key("evaluatedAt").String(FormatTimestamp(e.evaluated_at));
    w.Key("current").Number(e.current).Key("max").Number(e.max);
    w.Key("snapshotHash").String(e.snapshot_hash).EndObject();
  }
  w.EndArray();
  w.Key("changes").BeginArray();
  for (const EvaluationChange& c : h.changes) {
    w.BeginObject().Key("fromId").Int(c.from_id).Key("toId").Int(c.to_id);
    w.Key("at").String(FormatTimestamp(c.at));
    w.Key("fromCurrent").Number(c.from_current).Key("toCurrent").Number(c.to_current);
    w.Key("delta").Number(c.to_current - c.from_current);
    w.Key("causes").BeginArray();
    for (const std::string& cause : c.causes) w.String(cause);
    w.EndArray();
    w.Key("controls").BeginArray();
    for (const ControlChange& cc : c.controls) {
      w.BeginObject().Key("id").String(cc.control_id);
      w.Key("fromStatus").String(core::ToString(cc.from_status));
      w.Key("toStatus").String(core::ToString(cc.to_status));
      w.Key("fromState").String(core::ToString(cc.from_state));
      w.Key("toState").String(core::ToString(cc.to_state));
      w.Key("fromPoints").Number(cc.from_points).Key("toPoints").Number(cc.to_points);
      w.Key("regressed").Bool(cc.regressed).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
  w.Key("regressions").BeginArray();
  for (const EvaluationChange& c : h.changes) {
    for (const ControlChange& cc : c.controls) {
      if (!cc.regressed) continue;
      w.BeginObject().Key("evaluationId").Int(c.to_id).Key("at").String(FormatTimestamp(c.at));
      w.Key("controlId").String(cc.control_id).Key("fromPoints").Number(cc.from_points);
      w.Key("toPoints").Number(cc.to_points).EndObject();
    }
  }
  w.EndArray();
  w.Key("riskAcceptance").BeginArray();
  for (const RiskAcceptancePoint& p : h.risk_acceptance) {
    w.BeginObject().Key("evaluationId").Int(p.evaluation_id);
    w.Key("at").String(FormatTimestamp(p.at)).Key("controls").Int(p.controls);
    w.Key("pointsForgone").Number(p.points_forgone).EndObject();
  }
  w.EndArray();
  w.Key("goals").BeginArray();
  for (const store::Goal& g : h.goals) {
    w.BeginObject().Key("targetDate").String(FormatDay(g.target_date));
    w.Key("targetPercentage").Number(g.target_percentage).Key("setBy").String(g.set_by);
    w.Key("setAt").String(FormatTimestamp(g.set_at)).EndObject();
  }
  w.EndArray();
  w.Key("zones");
  if (h.zones) {
    w.BeginObject().Key("good").Number(h.zones->good).Key("okay").Number(h.zones->okay);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  return w.str() + "\n";
}

}  // namespace securescore::service
