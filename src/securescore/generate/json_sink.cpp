#include "securescore/generate/json_sink.h"

#include <cerrno>
#include <cstring>

namespace securescore::generate {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
void CivilFromDays(std::int64_t days, int* year, unsigned* month, unsigned* day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (*month <= 2));
}

void Put2(char* out, unsigned value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

}  // namespace

Guid MakeGuid(std::uint64_t hi, std::uint64_t lo) {
  hi = (hi & ~0xf000ULL) | 0x4000ULL;                         // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  Guid g;
  int pos = 0;
  auto put = [&](std::uint64_t word, int nibbles_from, int nibbles_to) {
    for (int n = nibbles_from; n < nibbles_to; ++n) {
      g.text[pos++] = kHex[(word >> (60 - 4 * n)) & 0xf];
    }
  };
  put(hi, 0, 8);
  g.text[pos++] = '-';
  put(hi, 8, 12);
  g.text[pos++] = '-';
  put(hi, 12, 16);
  g.text[pos++] = '-';
  put(lo, 0, 4);
  g.text[pos++] = '-';
  put(lo, 4, 16);
  return g;
}

void FormatIsoTime(std::int64_t seconds, char out[20]) {
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  Put2(out, static_cast<unsigned>(year / 100));
  Put2(out + 2, static_cast<unsigned>(year % 100));
  out[4] = '-';
  Put2(out + 5, month);
  out[7] = '-';
  Put2(out + 8, day);
  out[10] = 'T';
  Put2(out + 11, static_cast<unsigned>(rem / 3600));
  out[13] = ':';
  Put2(out + 14, static_cast<unsigned>(rem / 60 % 60));
  out[16] = ':';
  Put2(out + 17, static_cast<unsigned>(rem % 60));
  out[19] = 'Z';
}

std::string FormatIsoTime(std::int64_t seconds) {
  char text[20];
  FormatIsoTime(seconds, text);
  return std::string(text, sizeof text);
}

void JsonSink::Time(std::int64_t seconds) {
  char text[20];
  FormatIsoTime(seconds, text);
  Char('"');
  Raw(std::string_view(text, sizeof text));
  Char('"');
}

void JsonSink::String(std::string_view text) {
  Char('"');
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      Char('\\');
      Char(c);
    } else if (u < 0x20) {
      switch (c) {
        case '\n': Raw("\\n"); break;
        case '\r': Raw("\\r"); break;
        case '\t': Raw("\\t"); break;
        default: Format("\\u{:04x}", u); break;
      }
    } else {
      Char(c);
    }
  }
  Char('"');
}

void JsonSink::Flush() {
  if (buffer_.size() == 0) return;
  if (string_ != nullptr) {
    string_->append(buffer_.data(), buffer_.size());
  } else if (!write_failed_ &&
             std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    write_failed_ = true;
  }
  buffer_.clear();
}

Status JsonSink::Finish() {
  Flush();
  if (file_ != nullptr && !write_failed_ && std::fflush(file_) != 0) write_failed_ = true;
  if (write_failed_) {
    return Error{
        ErrorCode::kIo, fmt::format("writing the snapshot failed: {}", std::strerror(errno)), {}};
  }
  return OkStatus();
}

}  // namespace securescore::generate
