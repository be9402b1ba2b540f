// Times as people and JSON write them: ISO 8601 UTC instants ("2026-11-30T04:00:00Z") and
// calendar days ("2026-11-30"). Parsing accepts what snapshots, Graph and command lines carry:
// fractional seconds, "Z" or a ±hh:mm offset, or a bare date (midnight UTC).
#pragma once

#include <string>
#include <string_view>

#include "securescore/base/result.h"
#include "securescore/store/records.h"

namespace securescore::service {

// InvalidInput naming `what` (e.g. "--expires") when `text` is not an ISO 8601 date or time.
Result<store::Timestamp> ParseTimestamp(std::string_view text, std::string_view what);
// A calendar day "YYYY-MM-DD" (a full timestamp is accepted and truncated to its UTC day).
Result<store::Day> ParseDay(std::string_view text, std::string_view what);

std::string FormatTimestamp(store::Timestamp t);  // "2026-11-30T04:00:00Z"
std::string FormatDay(store::Day d);              // "2026-11-30"

}  // namespace securescore::service
