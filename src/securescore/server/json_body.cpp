#include "securescore/server/json_body.h"

namespace securescore::server {
namespace {

Error Expected(std::string_view key, std::string_view what) {
  return InvalidInput("expected " + std::string(what), "/" + std::string(key));
}

}  // namespace

Result<JsonBody> JsonBody::Parse(std::string_view text) {
  JsonBody body;
  body.parser_ = std::make_shared<simdjson::dom::parser>();
  simdjson::dom::element doc;
  simdjson::error_code error = body.parser_->parse(text.data(), text.size()).get(doc);
  if (error) {
    return InvalidInput(std::string("malformed JSON: ") + simdjson::error_message(error), "");
  }
  if (doc.get_object().get(body.root_)) return InvalidInput("expected a JSON object", "");
  return body;
}

bool JsonBody::Has(std::string_view key) const {
  simdjson::dom::element e;
  return !root_.at_key(key).get(e);
}

Result<std::optional<std::string>> JsonBody::String(std::string_view key) const {
  simdjson::dom::element e;
  if (root_.at_key(key).get(e) || e.is_null()) return std::optional<std::string>();
  std::string_view s;
  if (e.get_string().get(s)) return Expected(key, "a string");
  return std::optional<std::string>(std::string(s));
}

Result<std::optional<double>> JsonBody::Number(std::string_view key) const {
  simdjson::dom::element e;
  if (root_.at_key(key).get(e) || e.is_null()) return std::optional<double>();
  double d = 0;
  if (e.get_double().get(d)) return Expected(key, "a number");
  return std::optional<double>(d);
}

Result<std::optional<bool>> JsonBody::Bool(std::string_view key) const {
  simdjson::dom::element e;
  if (root_.at_key(key).get(e) || e.is_null()) return std::optional<bool>();
  bool b = false;
  if (e.get_bool().get(b)) return Expected(key, "true or false");
  return std::optional<bool>(b);
}

Result<std::optional<std::vector<std::string>>> JsonBody::Strings(std::string_view key) const {
  simdjson::dom::element e;
  if (root_.at_key(key).get(e) || e.is_null()) return std::optional<std::vector<std::string>>();
  simdjson::dom::array a;
  if (e.get_array().get(a)) return Expected(key, "an array of strings");
  std::vector<std::string> out;
  for (simdjson::dom::element item : a) {
    std::string_view s;
    if (item.get_string().get(s)) return Expected(key, "an array of strings");
    out.emplace_back(s);
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<double>> JsonBody::NestedNumber(std::string_view object,
                                                     std::string_view key) const {
  simdjson::dom::element e;
  if (root_.at_key(object).get(e) || e.is_null()) return std::optional<double>();
  simdjson::dom::object o;
  if (e.get_object().get(o)) return Expected(object, "an object");
  simdjson::dom::element v;
  if (o.at_key(key).get(v) || v.is_null()) return std::optional<double>();
  double d = 0;
  if (v.get_double().get(d)) {
    return InvalidInput("expected a number", "/" + std::string(object) + "/" + std::string(key));
  }
  return std::optional<double>(d);
}

}  // namespace securescore::server
