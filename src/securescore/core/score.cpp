#include "securescore/core/score.h"

#include <cmath>

namespace securescore::core {

ControlStatus StatusOf(const ControlInput& in) {
  switch (in.outcome) {
    case Outcome::kNoData: return ControlStatus::kNoData;
    case Outcome::kError: return ControlStatus::kError;
    case Outcome::kEvaluated: break;
  }
  if (in.total <= 0) {
    return in.when_empty == WhenEmpty::kNotApplicable ? ControlStatus::kNotApplicable
                                                      : ControlStatus::kCompleted;
  }
  if (in.count >= in.total) return ControlStatus::kCompleted;
  if (in.kind == ScoringKind::kPerEntity && in.count > 0) return ControlStatus::kPartial;
  return ControlStatus::kToAddress;
}

double MeasuredPoints(const ControlInput& in, ControlStatus status) {
  switch (status) {
    case ControlStatus::kCompleted: return in.max_points;
    case ControlStatus::kPartial:
      return in.max_points * static_cast<double>(in.count) / static_cast<double>(in.total);
    default: return 0;
  }
}

double OfficialPoints(double measured, double max_points, ControlState state) {
  switch (state) {
    case ControlState::kRiskAccepted: return 0;
    case ControlState::kThirdParty:
    case ControlState::kAlternateMitigation: return max_points;
    default: return measured;
  }
}

double Percentage(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

TenantScore ScoreTenant(std::span<const ControlInput> controls) {
  TenantScore t;
  for (auto name : kCategories) t.categories.push_back({std::string(name), 0, 0, 0});
  auto category_of = [&t](const std::string& name) -> CategoryScore* {
    for (auto& c : t.categories) {
      if (c.name == name) return &c;
    }
    return nullptr;
  };

  t.controls.reserve(controls.size());
  for (const auto& in : controls) {
    ControlScore cs;
    cs.id = in.id;
    cs.category = in.category;
    cs.state = in.state;
    cs.count = in.count;
    cs.total = in.total;
    cs.status = StatusOf(in);
    switch (cs.status) {
      case ControlStatus::kNotApplicable: ++t.coverage.not_applicable; break;
      case ControlStatus::kNoData: ++t.coverage.no_data; break;
      case ControlStatus::kError: ++t.coverage.errors; break;
      default: ++t.coverage.assessed; break;
    }
    cs.excluded = cs.status == ControlStatus::kNotApplicable ||
                  cs.status == ControlStatus::kNoData || cs.status == ControlStatus::kError;
    if (!cs.excluded) {
      cs.max = in.max_points;
      cs.measured_points = MeasuredPoints(in, cs.status);
      cs.points = OfficialPoints(cs.measured_points, in.max_points, in.state);
      t.current += cs.points;
      t.max += cs.max;
      t.measured += cs.measured_points;
      t.planned += in.state == ControlState::kPlanned ? cs.max : cs.points;
      if (CategoryScore* cat = category_of(in.category)) {
        cat->current += cs.points;
        cat->max += cs.max;
      }
    }
    t.controls.push_back(std::move(cs));
  }
  t.percentage = Percentage(t.current, t.max);
  for (auto& c : t.categories) c.percentage = Percentage(c.current, c.max);
  for (auto& cs : t.controls) {
    cs.score_impact = cs.excluded ? 0.0 : Percentage(cs.max - cs.points, t.max);
  }
  return t;
}

}  // namespace securescore::core
