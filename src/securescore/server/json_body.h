// Reading JSON request bodies: parse once, then typed, optional fields with errors that name
// the JSON pointer and what was expected (400 bodies a person can act on).
#pragma once

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"

namespace securescore::server {

class JsonBody {
 public:
  // InvalidInput "malformed JSON: …" for text that is not one JSON object.
  static Result<JsonBody> Parse(std::string_view text);

  bool Has(std::string_view key) const;
  Result<std::optional<std::string>> String(std::string_view key) const;
  Result<std::optional<double>> Number(std::string_view key) const;
  Result<std::optional<bool>> Bool(std::string_view key) const;
  Result<std::optional<std::vector<std::string>>> Strings(std::string_view key) const;
  // A nested object's field, e.g. Nested("zones", "good").
  Result<std::optional<double>> NestedNumber(std::string_view object, std::string_view key) const;

 private:
  std::shared_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::object root_;
};

}  // namespace securescore::server
