// A validator for the subset of JSON Schema the OpenAPI document uses — type, nullable,
// required, properties, items, enum, allOf and local $ref ("#/components/schemas/X") — so tests can
// check real responses against the documented ones.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace securescore::server {

// Problems of `value` against `schema`, each "JSON pointer: what is wrong"; empty when valid.
// `document` resolves $ref.
std::vector<std::string> ValidateJson(simdjson::dom::element value, simdjson::dom::element schema,
                                      simdjson::dom::element document,
                                      const std::string& pointer = "");

}  // namespace securescore::server
