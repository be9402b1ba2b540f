// LoadReport: every problem found while loading or checking a catalog, each with a severity, a
// stable code and a file:line, so a person sees all of them at once (in the manner of Falco's
// rule loader) and tools can read them as JSON.
//
//   LoadReport report;
//   Catalog c = LoadCatalog(sources, report);
//   if (report.HasErrors()) std::cerr << report.ToText();
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace securescore::catalog {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  // stable, kebab-case: "missing-field", "sql-columns", …
  std::string message;
  std::string file;
  int line = 0;  // 1-based; 0 when the problem concerns the whole file
};

class LoadReport {
 public:
  void Error(std::string code, std::string message, std::string file, int line = 0);
  void Warning(std::string code, std::string message, std::string file, int line = 0);
  void Add(Diagnostic d) { diagnostics_.push_back(std::move(d)); }

  bool HasErrors() const { return ErrorCount() > 0; }
  int ErrorCount() const;
  int WarningCount() const;
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  // One line per diagnostic ("file:line: error [code] message") and a summary line.
  std::string ToText() const;
  // {"errors":N,"warnings":N,"diagnostics":[{"severity","code","message","file","line"}]}
  std::string ToJson() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

std::string_view ToString(Severity severity);

}  // namespace securescore::catalog
