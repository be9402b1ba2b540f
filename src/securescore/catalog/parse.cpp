#include "securescore/catalog/parse.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <span>

#include "securescore/catalog/yaml_json.h"

namespace securescore::catalog {
namespace {

constexpr std::string_view kTiers[] = {"Core", "Defense In Depth", "Advanced"};
constexpr std::string_view kUserImpacts[] = {"Low", "Moderate", "High"};
constexpr std::string_view kCosts[] = {"Low", "Moderate", "High", "Unknown"};
constexpr std::string_view kActionTypes[] = {"Config", "Review", "Behavior"};
constexpr std::string_view kScorings[] = {"binary", "per_entity"};
constexpr std::string_view kWhenEmpty[] = {"full", "not_applicable"};
constexpr std::string_view kExpectStatuses[] = {"completed", "partial", "to_address",
                                                "not_applicable", "no_data"};

constexpr std::string_view kTopLevelKeys[] = {
    "id",          "title",       "category",    "service",
    "max_points",  "tier",        "user_impact", "implementation_cost",
    "action_type", "threats",     "scoring",     "when_empty",
    "population",  "description", "remediation", "portal",
    "powershell",  "user_notice", "notes",       "frameworks",
    "evidence",    "tests"};

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

std::string Join(std::span<const std::string_view> values) {
  std::string s;
  for (auto v : values) s += (s.empty() ? "" : " | ") + std::string(v);
  return s;
}

// Reads the fields of one YAML mapping, reporting what is missing or malformed at its line.
class MapReader {
 public:
  MapReader(const YAML::Node& map, std::string_view what, std::string_view file, LoadReport& report)
      : map_(map), what_(what), file_(file), report_(report) {}

  const YAML::Node& node() const { return map_; }
  int line() const { return LineOf(map_); }

  void Error(std::string code, std::string message, int line) {
    report_.Error(std::move(code), std::move(message), std::string(file_), line);
  }

  // The value node, or an undefined node (with an error when required).
  YAML::Node Get(const char* key, bool required) {
    const YAML::Node v = map_[key];
    if ((!v.IsDefined() || v.IsNull()) && required) {
      Error("missing-field", fmt::format("{} has no `{}`", what_, key), line());
      return YAML::Node(YAML::NodeType::Undefined);
    }
    return v;
  }

  std::string String(const char* key, bool required) {
    YAML::Node v = Get(key, required);
    if (!v.IsDefined() || v.IsNull()) return {};
    if (!v.IsScalar()) {
      Error("bad-type", fmt::format("`{}` must be text", key), LineOf(v));
      return {};
    }
    if (required && v.Scalar().empty()) {
      Error("missing-field", fmt::format("`{}` is empty", key), LineOf(v));
    }
    return v.Scalar();
  }

  std::string Enum(const char* key, std::span<const std::string_view> allowed, bool required,
                   std::string_view fallback = {}) {
    YAML::Node v = Get(key, required);
    if (!v.IsDefined() || v.IsNull()) return std::string(fallback);
    std::string s = v.IsScalar() ? v.Scalar() : std::string();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
      Error("bad-enum", fmt::format("`{}` is '{}'; expected one of: {}", key, s, Join(allowed)),
            LineOf(v));
      return std::string(fallback);
    }
    return s;
  }

  std::optional<double> Number(const char* key, bool required) {
    YAML::Node v = Get(key, required);
    if (!v.IsDefined() || v.IsNull()) return std::nullopt;
    double d = 0;
    if (!v.IsScalar() || v.Tag() == "!" || !YAML::convert<double>::decode(v, d)) {
      Error("bad-type", fmt::format("`{}` must be a number", key), LineOf(v));
      return std::nullopt;
    }
    return d;
  }

  std::optional<std::int64_t> Integer(const char* key) {
    YAML::Node v = Get(key, false);
    if (!v.IsDefined() || v.IsNull()) return std::nullopt;
    std::int64_t i = 0;
    if (!v.IsScalar() || v.Tag() == "!" || !YAML::convert<std::int64_t>::decode(v, i)) {
      Error("bad-type", fmt::format("`{}` must be a whole number", key), LineOf(v));
      return std::nullopt;
    }
    return i;
  }

  std::vector<std::string> StringList(const char* key, bool required) {
    std::vector<std::string> out;
    YAML::Node v = Get(key, required);
    if (!v.IsDefined() || v.IsNull()) return out;
    if (!v.IsSequence()) {
      Error("bad-type", fmt::format("`{}` must be a list", key), LineOf(v));
      return out;
    }
    for (const auto& item : v) {
      if (!item.IsScalar()) {
        Error("bad-type", fmt::format("`{}` items must be text", key), LineOf(item));
        continue;
      }
      out.push_back(item.Scalar());
    }
    if (required && out.empty()) {
      Error("missing-field", fmt::format("`{}` is empty", key), LineOf(v));
    }
    return out;
  }

  // Warns about keys this format does not define: usually a typo that would silently drop a
  // field.
  void WarnUnknownKeys(std::span<const std::string_view> known) {
    for (const auto& kv : map_) {
      std::string key = kv.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        report_.Warning("unknown-field", fmt::format("{} has unknown key `{}`", what_, key),
                        std::string(file_), LineOf(kv.first));
      }
    }
  }

 private:
  const YAML::Node map_;  // a handle: copies share the document
  std::string_view what_;
  std::string_view file_;
  LoadReport& report_;
};

void ParseEvidence(MapReader& root, Control& c, std::string_view file, LoadReport& report) {
  YAML::Node list = root.Get("evidence", true);
  if (!list.IsDefined()) return;
  if (!list.IsSequence() || list.size() == 0) {
    root.Error("bad-type", "`evidence` must be a non-empty list of alternatives", LineOf(list));
    return;
  }
  std::set<std::string> levels;
  for (const auto& item : list) {
    if (!item.IsMap()) {
      root.Error("bad-type", "each evidence alternative must be a mapping", LineOf(item));
      continue;
    }
    MapReader alt(item, "evidence alternative", file, report);
    EvidenceAlternative e;
    e.line = alt.line();
    e.level = alt.String("level", true);
    e.required_tables = alt.StringList("requires", true);
    e.sql = alt.String("sql", true);
    e.note = alt.String("note", false);
    static constexpr std::string_view kKeys[] = {"level", "requires", "sql", "note"};
    alt.WarnUnknownKeys(kKeys);
    if (!e.level.empty() && !levels.insert(e.level).second) {
      alt.Error("duplicate-level", fmt::format("evidence level '{}' is used twice", e.level),
                e.line);
    }
    c.evidence.push_back(std::move(e));
  }
}

void ParseTests(MapReader& root, Control& c, std::string_view file, LoadReport& report) {
  YAML::Node list = root.Get("tests", true);
  if (!list.IsDefined()) return;
  if (!list.IsSequence()) {
    root.Error("bad-type", "`tests` must be a list of cases", LineOf(list));
    return;
  }
  for (const auto& item : list) {
    if (!item.IsMap()) {
      root.Error("bad-type", "each test case must be a mapping", LineOf(item));
      continue;
    }
    MapReader tc(item, "test case", file, report);
    TestCase t;
    t.line = tc.line();
    t.name = tc.String("name", true);
    static constexpr std::string_view kKeys[] = {"name", "sources", "expect"};
    tc.WarnUnknownKeys(kKeys);
    YAML::Node sources = tc.Get("sources", true);
    if (sources.IsDefined() && !sources.IsMap()) {
      tc.Error("bad-type", "`sources` must be a mapping (a snapshot's `sources` object)",
               LineOf(sources));
    } else if (sources.IsDefined()) {
      JsonWriter w;
      WriteYamlAsJson(sources, w);
      t.sources_json = w.str();
    }
    YAML::Node expect = tc.Get("expect", true);
    if (expect.IsDefined() && !expect.IsMap()) {
      tc.Error("bad-type", "`expect` must be a mapping", LineOf(expect));
    } else if (expect.IsDefined()) {
      MapReader ex(expect, "expect", file, report);
      std::string status = ex.Enum("status", kExpectStatuses, true);
      if (auto s = core::ParseControlStatus(status)) t.expect.status = *s;
      t.expect.points = ex.Number("points", true).value_or(0);
      t.expect.count = ex.Integer("count");
      t.expect.total = ex.Integer("total");
      if (std::string level = ex.String("level", false); !level.empty()) t.expect.level = level;
      static constexpr std::string_view kExpectKeys[] = {"status", "points", "count", "total",
                                                         "level"};
      ex.WarnUnknownKeys(kExpectKeys);
    }
    c.tests.push_back(std::move(t));
  }
}

// The cases a control must carry so that its query is shown to both pass and fail.
void CheckTestCoverage(const Control& c, int line, std::string_view file, LoadReport& report) {
  auto has = [&c](core::ControlStatus s) {
    return std::any_of(c.tests.begin(), c.tests.end(),
                       [s](const TestCase& t) { return t.expect.status == s; });
  };
  auto need = [&](core::ControlStatus s, std::string_view what) {
    if (!has(s)) {
      report.Error(
          "missing-test",
          fmt::format("control has no {} test case (expect status: {})", what, core::ToString(s)),
          std::string(file), line);
    }
  };
  need(core::ControlStatus::kCompleted, "compliant");
  need(core::ControlStatus::kToAddress, "non-compliant");
  if (c.scoring == core::ScoringKind::kPerEntity) need(core::ControlStatus::kPartial, "partial");
  for (const auto& t : c.tests) {
    if (!t.expect.level) continue;
    bool known =
        std::any_of(c.evidence.begin(), c.evidence.end(),
                    [&t](const EvidenceAlternative& e) { return e.level == *t.expect.level; });
    if (!known) {
      report.Error("unknown-level",
                   fmt::format("test '{}' expects level '{}', which no evidence alternative has",
                               t.name, *t.expect.level),
                   std::string(file), t.line);
    }
  }
}

void ParseFrameworks(MapReader& root, Control& c, std::string_view file, LoadReport& report) {
  const YAML::Node fw = root.Get("frameworks", false);
  if (!fw.IsDefined() || fw.IsNull()) return;
  if (!fw.IsMap()) {
    root.Error("bad-type", "`frameworks` must be a mapping", LineOf(fw));
    return;
  }
  MapReader frameworks(fw, "frameworks", file, report);
  c.scuba_ids = frameworks.StringList("scuba", false);
  c.cis_ids = frameworks.StringList("cis", false);
  static const std::regex kScubaId(R"(MS\.[A-Z]+\.\d+\.\d+v\d+)");
  const YAML::Node scuba = fw["scuba"];
  for (size_t i = 0; i < c.scuba_ids.size(); ++i) {
    if (!std::regex_match(c.scuba_ids[i], kScubaId)) {
      frameworks.Error(
          "bad-scuba-id",
          fmt::format("SCuBA id '{}' does not match MS.<PRODUCT>.<n>.<n>v<n>", c.scuba_ids[i]),
          scuba.IsSequence() ? LineOf(scuba[i]) : frameworks.line());
    }
  }
}

Control ParseMapping(const YAML::Node& root, std::string_view file, LoadReport& report) {
  MapReader r(root, "control", file, report);
  Control c;
  c.file = std::string(file);
  c.id = r.String("id", true);
  c.title = r.String("title", true);
  std::vector<std::string_view> categories(std::begin(core::kCategories),
                                           std::end(core::kCategories));
  c.category = r.Enum("category", categories, true);
  c.service = r.String("service", true);
  if (auto points = r.Number("max_points", true)) {
    c.max_points = *points;
    if (!(c.max_points > 0)) {
      r.Error("bad-value", fmt::format("`max_points` must be > 0, got {}", c.max_points),
              LineOf(root["max_points"]));
    }
  }
  c.tier = r.Enum("tier", kTiers, true);
  c.user_impact = r.Enum("user_impact", kUserImpacts, true);
  c.implementation_cost = r.Enum("implementation_cost", kCosts, true);
  c.action_type = r.Enum("action_type", kActionTypes, true);
  c.threats = r.StringList("threats", false);
  c.scoring = *core::ParseScoringKind(r.Enum("scoring", kScorings, true, "binary"));
  c.when_empty = *core::ParseWhenEmpty(r.Enum("when_empty", kWhenEmpty, false, "full"));
  c.population = r.String("population", false);
  c.description = r.String("description", true);
  c.remediation = r.String("remediation", true);
  c.portal = r.String("portal", false);
  c.powershell = r.String("powershell", false);
  c.user_notice = r.String("user_notice", false);
  c.notes = r.String("notes", false);
  r.WarnUnknownKeys(kTopLevelKeys);
  ParseFrameworks(r, c, file, report);
  ParseEvidence(r, c, file, report);
  ParseTests(r, c, file, report);

  if (c.scoring == core::ScoringKind::kPerEntity && c.population.empty()) {
    report.Warning("missing-population",
                   "per_entity control has no `population` saying which entities count",
                   std::string(file), 1);
  }
  std::string stem = std::filesystem::path(std::string(file)).stem().string();
  if (!c.id.empty() && stem != c.id) {
    report.Error("id-mismatch",
                 fmt::format("id '{}' does not match the file name '{}'", c.id, stem),
                 std::string(file), LineOf(root["id"]));
  }
  if (const YAML::Node tests = root["tests"]; tests.IsDefined() && tests.IsSequence()) {
    CheckTestCoverage(c, LineOf(tests), file, report);
  }
  return c;
}

}  // namespace

std::optional<Control> ParseControl(std::string_view file, std::string_view content,
                                    LoadReport& report) {
  YAML::Node loaded;
  try {
    loaded = YAML::Load(std::string(content));
  } catch (const YAML::Exception& e) {
    report.Error("yaml-syntax", e.msg, std::string(file), e.mark.line + 1);
    return std::nullopt;
  }
  const YAML::Node root = loaded;  // const: lookups must never insert keys
  if (!root.IsMap()) {
    report.Error("not-a-control", "a control file must be a YAML mapping", std::string(file), 1);
    return std::nullopt;
  }

  try {
    return ParseMapping(root, file, report);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on node shapes the checks above did not foresee; report, never crash.
    report.Error("yaml-shape", e.msg, std::string(file), e.mark.line + 1);
    return std::nullopt;
  }
}

}  // namespace securescore::catalog
