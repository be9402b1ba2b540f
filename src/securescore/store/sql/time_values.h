// Times as the store keeps them: whole seconds (and days) since 1970 in integer columns, NULL
// for an absent optional. Shared by every SQL-backed part of the store.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "securescore/store/records.h"
#include "securescore/store/sql/connection.h"

namespace securescore::store::sql {

inline std::int64_t Seconds(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp ToTimestamp(const Value& v) { return Timestamp(std::chrono::seconds(AsInt(v))); }
inline Value Optional(const std::optional<Timestamp>& t) {
  if (!t) return std::monostate{};
  return Seconds(*t);
}
inline std::optional<Timestamp> ToOptional(const Value& v) {
  if (IsNull(v)) return std::nullopt;
  return ToTimestamp(v);
}

}  // namespace securescore::store::sql
