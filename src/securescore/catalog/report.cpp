#include "securescore/catalog/report.h"

#include <fmt/format.h>

#include <algorithm>

#include "securescore/catalog/json_writer.h"

namespace securescore::catalog {

std::string_view ToString(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

void LoadReport::Error(std::string code, std::string message, std::string file, int line) {
  diagnostics_.push_back(
      {Severity::kError, std::move(code), std::move(message), std::move(file), line});
}

void LoadReport::Warning(std::string code, std::string message, std::string file, int line) {
  diagnostics_.push_back(
      {Severity::kWarning, std::move(code), std::move(message), std::move(file), line});
}

int LoadReport::ErrorCount() const {
  return static_cast<int>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
                                        [](auto& d) { return d.severity == Severity::kError; }));
}

int LoadReport::WarningCount() const {
  return static_cast<int>(diagnostics_.size()) - ErrorCount();
}

std::string LoadReport::ToText() const {
  std::string text;
  for (const auto& d : diagnostics_) {
    std::string where = d.file;
    if (d.line > 0) where += fmt::format(":{}", d.line);
    text += fmt::format("{}: {} [{}] {}\n", where.empty() ? "catalog" : where, ToString(d.severity),
                        d.code, d.message);
  }
  text += fmt::format("{} error(s), {} warning(s)\n", ErrorCount(), WarningCount());
  return text;
}

std::string LoadReport::ToJson() const {
  JsonWriter w(2);
  w.BeginObject().Key("errors").Int(ErrorCount()).Key("warnings").Int(WarningCount());
  w.Key("diagnostics").BeginArray();
  for (const auto& d : diagnostics_) {
    w.BeginObject()
        .Key("severity")
        .String(ToString(d.severity))
        .Key("code")
        .String(d.code)
        .Key("message")
        .String(d.message)
        .Key("file")
        .String(d.file)
        .Key("line")
        .Int(d.line)
        .EndObject();
  }
  w.EndArray().EndObject();
  return w.str() + "\n";
}

}  // namespace securescore::catalog
