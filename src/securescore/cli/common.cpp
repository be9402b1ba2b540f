#include "securescore/cli/common.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

namespace securescore::cli {

sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, kWakeSignal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A shell starts background commands with SIGINT ignored, and an ignored signal is dropped
  // rather than left pending for sigwait: `kill -INT` must stop a worker started with `&` too.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  return signals;
}

std::optional<catalog::Catalog> LoadCatalogForRun(const std::string& dir, std::ostream& err) {
  if (!dir.empty()) {
    auto files = catalog::ReadCatalogDir(dir);
    if (!files) {
      err << "securescore: error: --catalog " << files.error().ToString() << "\n";
      return std::nullopt;
    }
    catalog::LoadReport own;
    (void)catalog::LoadCatalog({}, *files, own);
    if (own.HasErrors()) {
      err << "securescore: error: the controls in " << dir << " have problems:\n" << own.ToText();
      return std::nullopt;
    }
  }
  catalog::LoadReport report;
  catalog::Catalog merged = catalog::LoadDefaultCatalog(dir, report);
  for (const auto& d : report.diagnostics()) {
    if (d.severity != catalog::Severity::kError) continue;
    err << fmt::format("securescore: warning: embedded control {}:{} left out: [{}] {}\n", d.file,
                       d.line, d.code, d.message);
  }
  return merged;
}

Style Style::ForStdout() {
  const char* no_color = std::getenv("NO_COLOR");
  return Style(isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0'));
}

std::string Style::Wrap(std::string_view code, std::string_view s) const {
  if (!enabled_ || code.empty()) return std::string(s);
  return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
}

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++width;  // count code points, not continuation bytes
  }
  return width;
}

std::string PadRight(std::string_view s, size_t width) {
  size_t w = DisplayWidth(s);
  return std::string(s) + std::string(w < width ? width - w : 0, ' ');
}

std::string PadLeft(std::string_view s, size_t width) {
  size_t w = DisplayWidth(s);
  return std::string(w < width ? width - w : 0, ' ') + std::string(s);
}

std::string AlignedTable(const std::vector<std::vector<TableCell>>& rows,
                         const std::vector<bool>& right_aligned, const Style& style,
                         std::string_view indent) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i].text));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line(indent);
    for (size_t i = 0; i < row.size(); ++i) {
      bool last = i + 1 == row.size();
      bool right = i < right_aligned.size() && right_aligned[i];
      std::string padded = right  ? PadLeft(row[i].text, widths[i])
                           : last ? row[i].text  // no trailing blanks
                                  : PadRight(row[i].text, widths[i]);
      line += style.Wrap(row[i].sgr, padded);
      if (!last) line += "  ";
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace securescore::cli
