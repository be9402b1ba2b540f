#include "securescore/core/model.h"

#include <algorithm>
#include <cctype>

namespace securescore::core {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view ToString(ScoringKind kind) {
  return kind == ScoringKind::kBinary ? "binary" : "per_entity";
}

std::string_view ToString(WhenEmpty when_empty) {
  return when_empty == WhenEmpty::kFull ? "full" : "not_applicable";
}

std::string_view ToString(ControlStatus status) {
  switch (status) {
    case ControlStatus::kCompleted: return "completed";
    case ControlStatus::kPartial: return "partial";
    case ControlStatus::kToAddress: return "to_address";
    case ControlStatus::kNotApplicable: return "not_applicable";
    case ControlStatus::kNoData: return "no_data";
    case ControlStatus::kError: return "error";
  }
  return "error";
}

std::string_view ToString(ControlState state) {
  switch (state) {
    case ControlState::kToAddress: return "to_address";
    case ControlState::kPlanned: return "planned";
    case ControlState::kRiskAccepted: return "risk_accepted";
    case ControlState::kThirdParty: return "third_party";
    case ControlState::kAlternateMitigation: return "alternate_mitigation";
    case ControlState::kReviewed: return "reviewed";
  }
  return "to_address";
}

std::string_view GraphStateName(ControlState state) {
  switch (state) {
    case ControlState::kToAddress: return "Default";
    case ControlState::kPlanned: return "Planned";
    case ControlState::kRiskAccepted: return "Ignored";
    case ControlState::kThirdParty: return "ThirdParty";
    case ControlState::kAlternateMitigation: return "AlternateMitigation";
    case ControlState::kReviewed: return "Reviewed";
  }
  return "Default";
}

std::optional<ScoringKind> ParseScoringKind(std::string_view s) {
  if (s == "binary") return ScoringKind::kBinary;
  if (s == "per_entity") return ScoringKind::kPerEntity;
  return std::nullopt;
}

std::optional<WhenEmpty> ParseWhenEmpty(std::string_view s) {
  if (s == "full") return WhenEmpty::kFull;
  if (s == "not_applicable") return WhenEmpty::kNotApplicable;
  return std::nullopt;
}

std::optional<ControlStatus> ParseControlStatus(std::string_view s) {
  for (auto st : {ControlStatus::kCompleted, ControlStatus::kPartial, ControlStatus::kToAddress,
                  ControlStatus::kNotApplicable, ControlStatus::kNoData, ControlStatus::kError}) {
    if (s == ToString(st)) return st;
  }
  return std::nullopt;
}

std::optional<ControlState> ParseControlState(std::string_view s) {
  for (auto st :
       {ControlState::kToAddress, ControlState::kPlanned, ControlState::kRiskAccepted,
        ControlState::kThirdParty, ControlState::kAlternateMitigation, ControlState::kReviewed}) {
    if (EqualsIgnoreCase(s, ToString(st)) || EqualsIgnoreCase(s, GraphStateName(st))) return st;
  }
  return std::nullopt;
}

}  // namespace securescore::core
