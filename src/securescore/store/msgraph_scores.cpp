#include "securescore/store/msgraph_scores.h"

#include <simdjson.h>

#include <charconv>
#include <chrono>
#include <string>

namespace securescore::store {
namespace {

Error Bad(std::string_view source, const std::string& pointer, std::string message) {
  return InvalidInput(std::move(message), std::string(source) + ":" + pointer);
}

// "2024-01-01T00:00:00Z" (any time part) → that day.
std::optional<Day> ParseDay(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  auto number = [&](std::size_t at, std::size_t n, auto& out) {
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + n, out);
    return ec == std::errc() && end == text.data() + at + n;
  };
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return Day(ymd);
}

Result<double> Number(simdjson::dom::object object, std::string_view key, std::string_view source,
                      const std::string& pointer) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) {
    return Bad(source, pointer + "/" + std::string(key), "missing; expected a number");
  }
  double out = 0;
  if (value.get(out) != simdjson::SUCCESS) {
    return Bad(source, pointer + "/" + std::string(key), "expected a number");
  }
  return out;
}

}  // namespace

Result<std::vector<MicrosoftScore>> ParseGraphSecureScores(std::string_view json,
                                                           std::string_view tenant_id,
                                                           std::string_view source) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const simdjson::padded_string padded(json);
  if (auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
    return Bad(source, "", std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  // Accept the response as Graph sends it, its `value` array, or a single score object.
  simdjson::dom::array items;
  std::string base;
  simdjson::dom::element value;
  if (root.is_object() && root["value"].get(value) == simdjson::SUCCESS) {
    if (value.get(items) != simdjson::SUCCESS) return Bad(source, "/value", "expected an array");
    base = "/value";
  } else if (root.is_array()) {
    items = root.get_array().value_unsafe();
  } else if (!root.is_object()) {
    return Bad(source, "", "expected a secureScores response, array or object");
  }

  std::vector<MicrosoftScore> out;
  auto read = [&](simdjson::dom::element item, const std::string& pointer) -> Status {
    simdjson::dom::object object;
    if (item.get(object) != simdjson::SUCCESS) {
      return Bad(source, pointer, "expected a secureScore object");
    }
    std::string_view created;
    if (object["createdDateTime"].get(created) != simdjson::SUCCESS) {
      return Bad(source, pointer + "/createdDateTime", "missing; expected a date-time string");
    }
    std::optional<Day> day = ParseDay(created);
    if (!day) {
      return Bad(source, pointer + "/createdDateTime",
                 "expected an ISO 8601 date-time such as 2024-01-01T00:00:00Z, got '" +
                     std::string(created) + "'");
    }
    Result<double> current = Number(object, "currentScore", source, pointer);
    if (!current) return current.error();
    Result<double> max = Number(object, "maxScore", source, pointer);
    if (!max) return max.error();
    out.push_back(
        MicrosoftScore{std::string(tenant_id), *day, *current, *max, simdjson::minify(item)});
    return OkStatus();
  };
  if (base.empty() && root.is_object()) {
    Status one = read(root, "");
    if (!one) return one.error();
    return out;
  }
  std::size_t index = 0;
  for (simdjson::dom::element item : items) {
    Status s = read(item, base + "/" + std::to_string(index++));
    if (!s) return s.error();
  }
  return out;
}

Result<std::vector<MicrosoftAverage>> ParseMicrosoftAverages(std::string_view raw_json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  const simdjson::padded_string padded(raw_json);
  if (auto error = parser.parse(padded).get(object); error != simdjson::SUCCESS) {
    return Error{ErrorCode::kInternal,
                 std::string("a stored Microsoft secureScore is not a JSON object: ") +
                     simdjson::error_message(error),
                 "microsoft_scores.raw_json"};
  }
  std::vector<MicrosoftAverage> out;
  simdjson::dom::array averages;
  if (object["averageComparativeScores"].get(averages) != simdjson::SUCCESS) return out;
  for (simdjson::dom::element item : averages) {
    std::string_view basis;
    double score = 0;
    if (item["basis"].get(basis) != simdjson::SUCCESS ||
        item["averageScore"].get(score) != simdjson::SUCCESS || score < 0) {
      continue;
    }
    out.push_back(MicrosoftAverage{std::string(basis), score});
  }
  return out;
}

}  // namespace securescore::store
