// The scoring model: what a control is worth, what its evidence said, and what a person decided
// about it. Pure data shared by every layer above core; nothing here does I/O or reads a clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace securescore::core {

// How a control turns its findings into points (DESIGN §2).
enum class ScoringKind {
  kBinary,     // all assessed entities compliant → max, else 0
  kPerEntity,  // max × count / total
};

// What a control is worth when its query assessed nothing (total = 0).
enum class WhenEmpty {
  kFull,           // Microsoft's behaviour: "0 of 0 users" earns full points
  kNotApplicable,  // excluded from current and max
};

// The outcome of evaluating one control, before user-set states.
enum class ControlStatus {
  kCompleted,
  kPartial,
  kToAddress,
  kNotApplicable,
  kNoData,  // an evidence table the control needs was not collected
  kError,   // the control's query failed
};

// A person's decision about a control (Microsoft's statuses).
enum class ControlState {
  kToAddress,  // Graph "Default"
  kPlanned,
  kRiskAccepted,  // Graph "Ignored"
  kThirdParty,
  kAlternateMitigation,
  kReviewed,
};

// Categories in the order Microsoft lists them.
inline constexpr std::string_view kCategories[] = {"Identity", "Data", "Device", "Apps",
                                                   "Infrastructure"};

std::string_view ToString(ScoringKind kind);
std::string_view ToString(WhenEmpty when_empty);
std::string_view ToString(ControlStatus status);
std::string_view ToString(ControlState state);
std::optional<ScoringKind> ParseScoringKind(std::string_view s);
std::optional<WhenEmpty> ParseWhenEmpty(std::string_view s);
std::optional<ControlStatus> ParseControlStatus(std::string_view s);
// Accepts our names (risk_accepted) and Graph's (Ignored, ThirdParty, Default, Reviewed),
// case-insensitively.
std::optional<ControlState> ParseControlState(std::string_view s);
// Graph's controlStateUpdates.state spelling for a state.
std::string_view GraphStateName(ControlState state);

}  // namespace securescore::core
