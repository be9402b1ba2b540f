// JsonWriter: builds JSON text with commas, escaping and number formatting handled, so that
// reports (LoadReport, `assess --format json`) and YAML-to-JSON conversion of control test
// cases never hand-assemble JSON. Doubles are written in their shortest exact form.
//
//   JsonWriter w;
//   w.BeginObject().Key("points").Number(4.33).Key("ids").BeginArray().String("a").EndArray();
//   w.EndObject();  // w.str() == R"({"points":4.33,"ids":["a"]})"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace securescore::catalog {

class JsonWriter {
 public:
  // indent > 0 pretty-prints with that many spaces per level.
  explicit JsonWriter(int indent = 0) : indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);  // NaN and infinities become null
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Inserts already-valid JSON text (e.g. a number literal kept verbatim).
  JsonWriter& Raw(std::string_view json);

  const std::string& str() const { return out_; }

  // Hands the text written so far to `sink` (called with a std::string_view) and forgets it,
  // keeping the nesting state: a document of hundreds of MB can be streamed out in pieces
  // rather than held whole.
  template <typename Sink>
  void Drain(Sink&& sink) {
    sink(std::string_view(out_));
    out_.clear();
  }

 private:
  void BeforeValue();
  void Open(char bracket);
  void Close(char bracket);
  void NewLine();

  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
  int indent_ = 0;
};

// Appends `s` as a quoted JSON string (control characters and non-ASCII kept valid).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace securescore::catalog
