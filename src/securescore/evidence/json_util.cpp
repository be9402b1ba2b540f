#include "securescore/evidence/json_util.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace securescore::evidence {

namespace ondemand = simdjson::ondemand;
namespace dom = simdjson::dom;

std::string_view TypeName(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::array: return "array";
    case ondemand::json_type::object: return "object";
    case ondemand::json_type::number: return "number";
    case ondemand::json_type::string: return "string";
    case ondemand::json_type::boolean: return "boolean";
    case ondemand::json_type::null: return "null";
  }
  return "unknown";
}

std::string_view TypeName(dom::element_type type) {
  switch (type) {
    case dom::element_type::ARRAY: return "array";
    case dom::element_type::OBJECT: return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "number";
    case dom::element_type::STRING: return "string";
    case dom::element_type::BOOL: return "boolean";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

std::string DescribeJsonError(simdjson::error_code code) {
  switch (code) {
    case simdjson::CAPACITY: return "the document is too large (more than 4 GiB)";
    case simdjson::MEMALLOC: return "out of memory while parsing";
    case simdjson::DEPTH_ERROR: return "arrays/objects are nested too deeply (limit 1024)";
    case simdjson::STRING_ERROR: return "invalid string (bad escape sequence)";
    case simdjson::T_ATOM_ERROR: return "invalid literal, expected `true`";
    case simdjson::F_ATOM_ERROR: return "invalid literal, expected `false`";
    case simdjson::N_ATOM_ERROR: return "invalid literal, expected `null`";
    case simdjson::NUMBER_ERROR: return "invalid number";
    case simdjson::NUMBER_OUT_OF_RANGE: return "number out of range";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::EMPTY: return "no JSON value found (empty or whitespace only)";
    case simdjson::UNESCAPED_CHARS: return "control character inside a string (must be escaped)";
    case simdjson::UNCLOSED_STRING: return "a string is not closed";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "the document ends early: an array or object is not closed (truncated file?)";
    case simdjson::TRAILING_CONTENT: return "unexpected content after the top-level value";
    case simdjson::INCORRECT_TYPE: return "a value has the wrong type";
    case simdjson::TAPE_ERROR:
      return "malformed JSON (missing or extra comma, colon or bracket, or a truncated file)";
    default: return std::string("malformed JSON (") + simdjson::error_message(code) + ")";
  }
}

std::optional<std::size_t> FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t min;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

std::string LineColumn(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::string_view before = text.substr(0, offset);
  std::size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  std::size_t last_newline = before.rfind('\n');
  std::size_t column = last_newline == std::string_view::npos ? offset + 1 : offset - last_newline;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

namespace {

// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm, valid for any int64 day).
void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += (m <= 2);
}

}  // namespace

void NormalizeDate(std::string_view text, std::string& out) {
  out.assign(text);
  constexpr std::string_view kOpen = "/Date(";
  constexpr std::string_view kClose = ")/";
  if (text.size() <= kOpen.size() + kClose.size() || text.substr(0, kOpen.size()) != kOpen ||
      text.substr(text.size() - kClose.size()) != kClose) {
    return;
  }
  std::string_view body = text.substr(kOpen.size(), text.size() - kOpen.size() - kClose.size());
  // The optional "+hhmm" suffix is the zone the date was *displayed* in; the number is
  // already UTC milliseconds, so the suffix is ignored.
  std::size_t sign = body.find_first_of("+-", 1);
  if (sign != std::string_view::npos) body = body.substr(0, sign);
  std::int64_t ms = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), ms);
  if (ec != std::errc() || end != body.data() + body.size()) return;
  // Keep the year within 4 digits' reach; anything else is not a real date.
  if (ms < -62135596800000 || ms > 253402300799999) return;
  std::int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  std::int64_t millis = ms - seconds * 1000;
  std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  std::int64_t in_day = seconds - days * 86400;
  std::int64_t year;
  unsigned month, day;
  CivilFromDays(days, year, month, day);
  char buf[40];
  int n =
      std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                    static_cast<long long>(year), month, day, static_cast<long long>(in_day / 3600),
                    static_cast<long long>(in_day / 60 % 60), static_cast<long long>(in_day % 60));
  out.assign(buf, static_cast<std::size_t>(n));
  if (millis != 0) {
    n = std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(millis));
    out.append(buf, static_cast<std::size_t>(n));
  }
  out.push_back('Z');
}

void MinifyJson(std::string_view raw, std::string& out) {
  out.resize(raw.size());
  std::size_t length = 0;
  if (simdjson::minify(raw.data(), raw.size(), out.data(), length) != simdjson::SUCCESS) {
    out.assign(raw);  // already validated by the parser; keep the text rather than lose it
    return;
  }
  out.resize(length);
}

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

void JsonPath::PushKey(std::string_view key) {
  if (depth_ == segments_.size()) segments_.emplace_back();
  Segment& s = segments_[depth_++];
  s.key.assign(key);
  s.is_index = false;
}

void JsonPath::PushIndex(std::size_t index) {
  if (depth_ == segments_.size()) segments_.emplace_back();
  Segment& s = segments_[depth_++];
  s.index = index;
  s.is_index = true;
}

std::string JsonPath::ToPointer() const {
  std::string pointer;
  for (std::size_t i = 0; i < depth_; ++i) {
    if (segments_[i].is_index) {
      pointer += '/' + std::to_string(segments_[i].index);
    } else {
      AppendPointerToken(pointer, segments_[i].key);
    }
  }
  return pointer;
}

// ---- DOM lookups -------------------------------------------------------------------------

std::optional<DomElement> Find(DomElement obj, std::string_view key) {
  if (!obj.is_object()) return std::nullopt;
  for (dom::key_value_pair field : dom::object(obj)) {
    if (KeyIs(field.key, key)) return field.value;
  }
  return std::nullopt;
}

std::optional<DomElement> FindPath(DomElement obj, std::initializer_list<std::string_view> keys) {
  std::optional<DomElement> at = obj;
  for (std::string_view key : keys) {
    at = Find(*at, key);
    if (!at) return std::nullopt;
  }
  return at;
}

std::optional<DomElement> FindFirst(DomElement obj, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    std::optional<DomElement> v = Find(obj, key);
    if (v && !v->is_null()) return v;
  }
  return std::nullopt;
}

std::optional<std::string_view> StringOf(std::optional<DomElement> value) {
  if (!value || !value->is_string()) return std::nullopt;
  return std::string_view(*value);
}

std::optional<bool> BoolOf(std::optional<DomElement> value) {
  if (!value) return std::nullopt;
  switch (value->type()) {
    case dom::element_type::BOOL: return bool(*value);
    case dom::element_type::INT64: return int64_t(*value) != 0;
    case dom::element_type::UINT64: return uint64_t(*value) != 0;
    case dom::element_type::DOUBLE: return double(*value) != 0;
    case dom::element_type::STRING: {
      std::string_view s(*value);
      if (KeyIs(s, "true")) return true;
      if (KeyIs(s, "false")) return false;
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

namespace {

template <typename Number>
std::optional<Number> ParseNumber(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  Number n{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

}  // namespace

std::optional<std::int64_t> IntOf(std::optional<DomElement> value) {
  if (!value) return std::nullopt;
  switch (value->type()) {
    case dom::element_type::INT64: return int64_t(*value);
    case dom::element_type::UINT64: {
      uint64_t u = uint64_t(*value);
      if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<int64_t>(u);
    }
    case dom::element_type::DOUBLE: {
      double d = double(*value);
      if (!(d > -9.2e18 && d < 9.2e18)) return std::nullopt;
      return static_cast<int64_t>(d);
    }
    case dom::element_type::BOOL: return bool(*value) ? 1 : 0;
    case dom::element_type::STRING: return ParseNumber<std::int64_t>(std::string_view(*value));
    default: return std::nullopt;
  }
}

std::optional<double> RealOf(std::optional<DomElement> value) {
  if (!value) return std::nullopt;
  switch (value->type()) {
    case dom::element_type::INT64: return static_cast<double>(int64_t(*value));
    case dom::element_type::UINT64: return static_cast<double>(uint64_t(*value));
    case dom::element_type::DOUBLE: return double(*value);
    case dom::element_type::STRING: return ParseNumber<double>(std::string_view(*value));
    default: return std::nullopt;
  }
}

void JsonArrayOf(std::optional<DomElement> value, std::string& out) {
  if (!value || value->is_null()) {
    out = "[]";
  } else if (value->is_array()) {
    out = simdjson::minify(*value);
  } else {
    out = "[" + simdjson::minify(*value) + "]";
  }
}

bool ContainsString(std::optional<DomElement> value, std::string_view want) {
  if (!value) return false;
  if (value->is_string()) return KeyIs(std::string_view(*value), want);
  if (!value->is_array()) return false;
  for (DomElement item : dom::array(*value)) {
    if (item.is_string() && KeyIs(std::string_view(item), want)) return true;
  }
  return false;
}

std::int64_t CountOf(std::optional<DomElement> value) {
  if (!value || value->is_null()) return 0;
  if (value->is_array()) return static_cast<std::int64_t>(dom::array(*value).size());
  return 1;
}

}  // namespace securescore::evidence
