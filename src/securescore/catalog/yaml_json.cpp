#include "securescore/catalog/yaml_json.h"

#include <regex>
#include <string>

namespace securescore::catalog {
namespace {

// YAML 1.2 core schema spellings (yaml-cpp also takes yes/no/on/off, which YAML 1.2 and JSON
// users read as strings, so those stay strings here).
bool IsNull(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}
bool IsTrue(const std::string& s) { return s == "true" || s == "True" || s == "TRUE"; }
bool IsFalse(const std::string& s) { return s == "false" || s == "False" || s == "FALSE"; }

void WritePlainScalar(const std::string& s, JsonWriter& out) {
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (IsNull(s)) {
    out.Null();
  } else if (IsTrue(s)) {
    out.Bool(true);
  } else if (IsFalse(s)) {
    out.Bool(false);
  } else if (std::regex_match(s, kInt)) {
    try {
      out.Int(std::stoll(s));
    } catch (const std::out_of_range&) {
      out.Number(std::stod(s));  // too large for 64 bits: still a number, as JSON would have it
    }
  } else if (std::regex_match(s, kFloat)) {
    out.Number(std::stod(s));
  } else {
    out.String(s);
  }
}

}  // namespace

void WriteYamlAsJson(const YAML::Node& node, JsonWriter& out) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: out.Null(); return;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted, literal and folded scalars "!"; plain ones "?".
      if (node.Tag() == "!") {
        out.String(node.Scalar());
      } else {
        WritePlainScalar(node.Scalar(), out);
      }
      return;
    case YAML::NodeType::Sequence:
      out.BeginArray();
      for (const auto& item : node) WriteYamlAsJson(item, out);
      out.EndArray();
      return;
    case YAML::NodeType::Map:
      out.BeginObject();
      for (const auto& kv : node) {
        out.Key(kv.first.Scalar());
        WriteYamlAsJson(kv.second, out);
      }
      out.EndObject();
      return;
  }
}

}  // namespace securescore::catalog
