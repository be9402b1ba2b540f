#include "securescore/server/json_schema.h"

namespace securescore::server {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool HasType(element value, std::string_view type) {
  switch (value.type()) {
    case element_type::STRING: return type == "string";
    case element_type::INT64:
    case element_type::UINT64: return type == "integer" || type == "number";
    case element_type::DOUBLE: {
      if (type == "number") return true;
      double d = value.get_double().value();
      return type == "integer" && d == static_cast<double>(static_cast<long long>(d));
    }
    case element_type::BOOL: return type == "boolean";
    case element_type::OBJECT: return type == "object";
    case element_type::ARRAY: return type == "array";
    case element_type::NULL_VALUE: return false;
  }
  return false;
}

std::string Escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> ValidateJson(element value, element schema, element document,
                                      const std::string& pointer) {
  std::vector<std::string> errors;
  const std::string at = pointer.empty() ? "/" : pointer;
  std::string_view ref;
  if (!schema["$ref"].get(ref)) {
    const std::string_view prefix = "#/";
    element target;
    if (ref.substr(0, 2) != prefix || document.at_pointer(ref.substr(1)).get(target)) {
      return {at + ": unresolvable $ref " + std::string(ref)};
    }
    return ValidateJson(value, target, document, pointer);
  }
  simdjson::dom::array all_of;
  if (!schema["allOf"].get(all_of)) {
    for (element sub : all_of) {
      for (std::string& e : ValidateJson(value, sub, document, pointer))
        errors.push_back(std::move(e));
    }
    return errors;
  }
  bool nullable = false;
  if (schema["nullable"].get(nullable)) nullable = false;
  if (value.is_null()) {
    std::string_view type;
    if (!nullable && !schema["type"].get(type)) errors.push_back(at + ": null is not allowed");
    return errors;
  }
  std::string_view type;
  if (!schema["type"].get(type) && !HasType(value, type)) {
    errors.push_back(at + ": expected " + std::string(type));
    return errors;
  }
  simdjson::dom::array options;
  if (!schema["enum"].get(options)) {
    bool found = false;
    std::string_view s;
    for (element option : options) {
      std::string_view o;
      if (!value.get_string().get(s) && !option.get_string().get(o) && s == o) found = true;
    }
    if (!found) errors.push_back(at + ": not one of the documented values");
  }
  simdjson::dom::object object;
  if (!value.get_object().get(object)) {
    simdjson::dom::array required;
    if (!schema["required"].get(required)) {
      for (element r : required) {
        std::string_view key = r.get_string().value();
        element ignored;
        if (object.at_key(key).get(ignored)) {
          errors.push_back(at + ": missing required " + std::string(key));
        }
      }
    }
    simdjson::dom::object properties;
    if (!schema["properties"].get(properties)) {
      for (auto [key, sub] : properties) {
        element field;
        if (object.at_key(key).get(field)) continue;
        for (std::string& e : ValidateJson(field, sub, document, pointer + "/" + Escape(key))) {
          errors.push_back(std::move(e));
        }
      }
    }
  }
  simdjson::dom::array array;
  element items;
  if (!value.get_array().get(array) && !schema["items"].get(items)) {
    std::size_t i = 0;
    for (element item : array) {
      for (std::string& e :
           ValidateJson(item, items, document, pointer + "/" + std::to_string(i++))) {
        errors.push_back(std::move(e));
      }
    }
  }
  return errors;
}

}  // namespace securescore::server
