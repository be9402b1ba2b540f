// Small JSON helpers shared by the snapshot loader and the source adapters: case-insensitive
// key matching (Graph JSON is camelCase, PowerShell/ScubaGear PascalCase), JSON-pointer
// tracking for error messages, lookups on simdjson DOM objects, and value conversions.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace securescore::evidence {

// Thrown inside the evidence layer when input is unusable; LoadEvidenceJson turns it into an
// Error. `pointer` is relative to the JsonPath position at the throw (usually empty).
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message, std::string pointer = {})
      : std::runtime_error(message), pointer_(std::move(pointer)) {}
  const std::string& pointer() const { return pointer_; }

 private:
  std::string pointer_;
};

// ASCII case-insensitive equality: "displayName" matches "DisplayName" and "displayname".
// Inline: it runs for every field of every user, so no locale-aware std::tolower either.
inline bool KeyIs(std::string_view key, std::string_view want) {
  if (key.size() != want.size()) return false;
  auto fold = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c | 0x20 : c; };
  for (std::size_t i = 0; i < key.size(); ++i) {
    unsigned char a = key[i];
    unsigned char b = want[i];
    if (a != b && fold(a) != fold(b)) return false;
  }
  return true;
}

// "object", "array", "string", ... for messages.
std::string_view TypeName(simdjson::ondemand::json_type type);
std::string_view TypeName(simdjson::dom::element_type type);

// A human sentence for a simdjson error code, e.g. "an array or object is not closed".
std::string DescribeJsonError(simdjson::error_code code);

// Byte offset of the first invalid UTF-8 sequence, or nullopt when `text` is valid.
std::optional<std::size_t> FirstInvalidUtf8(std::string_view text);

// "line L, column C" (1-based) of a byte offset in `text`.
std::string LineColumn(std::string_view text, std::size_t offset);

// Converts ScubaGear/.NET JSON dates ("/Date(1647536088205)/", optionally with a "+0000"
// offset) to ISO 8601 UTC ("2022-03-17T16:54:48.205Z"). Other text is copied unchanged.
void NormalizeDate(std::string_view text, std::string& out);

// Compact JSON text of `raw` (whitespace outside strings removed, tokens kept as written).
void MinifyJson(std::string_view raw, std::string& out);

// Appends "/token" with JSON-pointer escaping (~0, ~1).
void AppendPointerToken(std::string& pointer, std::string_view token);

// The JSON pointer of the value being read, kept cheaply as the loader descends (keys and
// array indexes) and rendered only when an error needs it. Segments are popped explicitly, not
// by RAII, so the path still names the failing value while an exception unwinds.
class JsonPath {
 public:
  void PushKey(std::string_view key);
  void PushIndex(std::size_t index);
  void SetIndex(std::size_t index) { segments_[depth_ - 1].index = index; }
  void Pop() { --depth_; }
  void Clear() { depth_ = 0; }
  std::string ToPointer() const;

 private:
  struct Segment {
    std::string key;
    std::size_t index = 0;
    bool is_index = false;
  };
  std::vector<Segment> segments_;
  std::size_t depth_ = 0;
};

// ---- simdjson DOM lookups (small objects: policies, settings) ----------------------------

using DomElement = simdjson::dom::element;

// The value of `key` (case-insensitive) when `obj` is an object that has it, else nullopt.
std::optional<DomElement> Find(DomElement obj, std::string_view key);

// Follows keys through nested objects: FindPath(p, {"conditions", "users", "includeUsers"}).
std::optional<DomElement> FindPath(DomElement obj, std::initializer_list<std::string_view> keys);

// The first of `keys` that is present and not null.
std::optional<DomElement> FindFirst(DomElement obj, std::initializer_list<std::string_view> keys);

// String value, or nullopt when absent, null or not a string.
std::optional<std::string_view> StringOf(std::optional<DomElement> value);

// Boolean: true/false, "true"/"false" (any case), numbers (non-zero = true); else nullopt.
std::optional<bool> BoolOf(std::optional<DomElement> value);

// Integer: numbers (truncated) and numeric strings; else nullopt.
std::optional<std::int64_t> IntOf(std::optional<DomElement> value);

// Real: numbers and numeric strings; else nullopt.
std::optional<double> RealOf(std::optional<DomElement> value);

// Compact JSON array text: an array as is, a lone scalar wrapped (PowerShell collapses
// one-element arrays), `[]` when absent or null.
void JsonArrayOf(std::optional<DomElement> value, std::string& out);

// True when `value` is an array containing the string `want` (case-insensitive), or is that
// string itself.
bool ContainsString(std::optional<DomElement> value, std::string_view want);

// Number of elements when `value` is an array, 0 when absent or null, 1 for anything else.
std::int64_t CountOf(std::optional<DomElement> value);

}  // namespace securescore::evidence
