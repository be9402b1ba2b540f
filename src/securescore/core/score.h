// Scoring: findings counts and user-set states in, points out — DESIGN §2 and nothing else.
//
// Pure functions: no I/O, no clock, no SQL. The engine fills one ControlInput per control
// (after leaving excepted entities out of count and total), and ScoreTenant returns the
// official, measured and planned figures, per category and per control.
//
//   std::vector<ControlInput> in = {{.id = "MFARegistrationV2", .category = "Identity",
//                                    .max_points = 9, .kind = ScoringKind::kPerEntity,
//                                    .count = 25, .total = 52}};
//   TenantScore s = ScoreTenant(in);   // s.current == 9 * 25 / 52.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "securescore/core/model.h"

namespace securescore::core {

// What the engine learned about one control.
enum class Outcome {
  kEvaluated,  // the query ran: count and total are meaningful
  kNoData,     // an evidence table the control needs was not collected
  kError,      // the query failed
};

struct ControlInput {
  std::string id;
  std::string category;
  double max_points = 0;
  ScoringKind kind = ScoringKind::kBinary;
  WhenEmpty when_empty = WhenEmpty::kFull;
  Outcome outcome = Outcome::kEvaluated;
  std::int64_t count = 0;  // compliant entities (exceptions already left out)
  std::int64_t total = 0;  // assessed entities (exceptions already left out)
  ControlState state = ControlState::kToAddress;
};

struct ControlScore {
  std::string id;
  std::string category;
  ControlStatus status = ControlStatus::kToAddress;
  ControlState state = ControlState::kToAddress;
  double points = 0;           // official: after the state
  double measured_points = 0;  // what the evidence alone earns
  double max = 0;              // max_points, or 0 when excluded
  std::int64_t count = 0;
  std::int64_t total = 0;
  double score_impact = 0;  // 100 × (max − points) / tenant max
  bool excluded = false;    // not_applicable, no_data, error: out of current and max
};

struct CategoryScore {
  std::string name;
  double current = 0;
  double max = 0;
  double percentage = 0;
};

struct Coverage {
  int assessed = 0;
  int not_applicable = 0;
  int no_data = 0;
  int errors = 0;
};

struct TenantScore {
  double current = 0;
  double max = 0;
  double percentage = 0;
  double measured = 0;                    // points with every state ignored
  double planned = 0;                     // points as if every `planned` control were completed
  std::vector<CategoryScore> categories;  // always the five, in kCategories order
  std::vector<ControlScore> controls;     // same order as the input
  Coverage coverage;
};

// The status the evidence alone gives a control (states are not applied).
ControlStatus StatusOf(const ControlInput& in);

// Points the evidence alone earns, for a status from StatusOf.
double MeasuredPoints(const ControlInput& in, ControlStatus status);

// Points after the user-set state.
double OfficialPoints(double measured, double max_points, ControlState state);

TenantScore ScoreTenant(std::span<const ControlInput> controls);

// 100 × part / whole, or 0 when whole is 0.
double Percentage(double part, double whole);

// Rounds for display (2 decimals); the stored and compared values stay exact.
double Round2(double v);

}  // namespace securescore::core
