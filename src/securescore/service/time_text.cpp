#include "securescore/service/time_text.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace securescore::service {
namespace {

using std::chrono::days;
using std::chrono::seconds;

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
  return ec == std::errc() && p == s.data() + pos + n;
}

Error Bad(std::string_view text, std::string_view what) {
  return InvalidInput(
      "expected an ISO 8601 date or time such as 2026-11-30 or "
      "2026-11-30T04:00:00Z, got \"" +
          std::string(text) + "\"",
      std::string(what));
}

}  // namespace

Result<store::Timestamp> ParseTimestamp(std::string_view text, std::string_view what) {
  int y = 0, mo = 0, d = 0;
  if (!Digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !Digits(text, 5, 2, mo) ||
      text[7] != '-' || !Digits(text, 8, 2, d)) {
    return Bad(text, what);
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                  std::chrono::day(d)};
  if (!ymd.ok()) return Bad(text, what);
  store::Timestamp t = std::chrono::sys_days(ymd);
  if (text.size() == 10) return t;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return Bad(text, what);
  int h = 0, mi = 0, s = 0;
  if (!Digits(text, 11, 2, h) || text.size() < 16 || text[13] != ':' || !Digits(text, 14, 2, mi)) {
    return Bad(text, what);
  }
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!Digits(text, pos + 1, 2, s)) return Bad(text, what);
    pos += 3;
  }
  if (h > 23 || mi > 59 || s > 60) return Bad(text, what);
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;  // whole seconds
  }
  seconds offset{0};
  if (pos == text.size() || ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size())) {
    // UTC (a time without a zone is taken as UTC, as Graph writes it).
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh = 0, om = 0;
    if (!Digits(text, pos + 1, 2, oh)) return Bad(text, what);
    size_t mpos = pos + 3;
    if (mpos < text.size() && text[mpos] == ':') ++mpos;
    if (!Digits(text, mpos, 2, om) || mpos + 2 != text.size()) return Bad(text, what);
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (text[pos] == '-') offset = -offset;
  } else {
    return Bad(text, what);
  }
  return t + std::chrono::hours(h) + std::chrono::minutes(mi) + seconds(s) - offset;
}

Result<store::Day> ParseDay(std::string_view text, std::string_view what) {
  Result<store::Timestamp> t = ParseTimestamp(text, what);
  if (!t) return t.error();
  return std::chrono::floor<days>(*t);
}

std::string FormatTimestamp(store::Timestamp t) {
  const store::Day day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss<seconds> hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string FormatDay(store::Day d) { return FormatTimestamp(d).substr(0, 10); }

}  // namespace securescore::service
