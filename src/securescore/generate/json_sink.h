// JsonSink: the generator's output buffer. JSON text is formatted straight into one reused
// memory buffer that is handed to a FILE* (in large chunks) or appended to a string, so writing a
// million users costs no per-user allocation.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "securescore/base/result.h"

namespace securescore::generate {

// A GUID in its canonical 36-character text form (version-4 layout).
struct Guid {
  char text[36];
  std::string_view view() const { return {text, sizeof text}; }
  std::string str() const { return std::string(view()); }
};

// Builds a GUID from 128 pseudo-random bits.
Guid MakeGuid(std::uint64_t hi, std::uint64_t lo);

// "YYYY-MM-DDTHH:MM:SSZ" for seconds since the Unix epoch (proleptic Gregorian, UTC).
std::string FormatIsoTime(std::int64_t seconds);
void FormatIsoTime(std::int64_t seconds, char out[20]);

class JsonSink {
 public:
  explicit JsonSink(std::FILE* out) : file_(out) {}
  explicit JsonSink(std::string* out) : string_(out) {}
  JsonSink(const JsonSink&) = delete;
  JsonSink& operator=(const JsonSink&) = delete;

  void Raw(std::string_view text) { buffer_.append(text); }
  void Char(char c) { buffer_.push_back(c); }
  template <typename... Args>
  void Format(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buffer_), format, std::forward<Args>(args)...);
  }

  // `"key":` — keys are literals of this program and never need escaping.
  void Key(std::string_view key) {
    Char('"');
    Raw(key);
    Raw("\":");
  }
  // A quoted JSON string, escaped.
  void String(std::string_view text);
  // A quoted string that is known to need no escaping (GUIDs, generated names, dates).
  void PlainString(std::string_view text) {
    Char('"');
    Raw(text);
    Char('"');
  }
  void Bool(bool value) { Raw(value ? "true" : "false"); }
  void Int(std::int64_t value) { Format("{}", value); }
  void Time(std::int64_t seconds);  // quoted ISO 8601
  void Null() { Raw("null"); }

  // Convenience for `"key":value` members.
  void StringMember(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void BoolMember(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }
  void IntMember(std::string_view key, std::int64_t value) {
    Key(key);
    Int(value);
  }

  // Hands the buffer to the destination once it is large; call between records.
  void MaybeFlush() {
    if (buffer_.size() >= kFlushBytes) Flush();
  }
  // Writes whatever is buffered and reports the first write failure, if any.
  Status Finish();

 private:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  void Flush();

  fmt::memory_buffer buffer_;
  std::FILE* file_ = nullptr;
  std::string* string_ = nullptr;
  bool write_failed_ = false;
};

}  // namespace securescore::generate
