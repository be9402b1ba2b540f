// What the subcommands share: loading the catalog the way every command does (embedded plus
// --catalog DIR), taking SIGINT/SIGTERM, terminal colour, and the exit codes of app.h.
#pragma once

#include <signal.h>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/catalog/catalog.h"
#include "securescore/service/actions.h"

namespace securescore::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitBelowMinScore = 3;

// The embedded catalog plus `dir`'s controls. Problems in `dir` are the user's input: they are
// printed to `err` and the result is nullopt (exit 2). A broken embedded control is a build
// defect the test suite catches; it is left out with a warning rather than blocking every run.
std::optional<catalog::Catalog> LoadCatalogForRun(const std::string& dir, std::ostream& err);

// Blocks SIGINT and SIGTERM in the calling thread and returns them, for one thread to take with
// sigwait, so that no handler runs in signal context. Call it before starting any thread, so
// that every thread inherits the mask. The set also holds kWakeSignal, which the program sends
// that thread itself (pthread_kill) to end its wait when it stops for another reason.
inline constexpr int kWakeSignal = SIGUSR1;
sigset_t BlockStopSignals();

// ANSI styling, only when stdout is a terminal and NO_COLOR is unset.
class Style {
 public:
  static Style ForStdout();
  explicit Style(bool enabled) : enabled_(enabled) {}
  std::string Bold(std::string_view s) const { return Wrap("1", s); }
  std::string Dim(std::string_view s) const { return Wrap("2", s); }
  std::string Red(std::string_view s) const { return Wrap("31", s); }
  std::string Green(std::string_view s) const { return Wrap("32", s); }
  std::string Yellow(std::string_view s) const { return Wrap("33", s); }
  // `code` is an SGR parameter ("1", "31"); empty leaves the text plain.
  std::string Wrap(std::string_view code, std::string_view s) const;
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
};

// Pads `s` to `width` display columns (UTF-8 aware), text left and numbers right.
std::string PadRight(std::string_view s, size_t width);
std::string PadLeft(std::string_view s, size_t width);
size_t DisplayWidth(std::string_view s);

// A column-aligned text table: cells are padded first and styled after, so colour codes never
// upset the alignment.
struct TableCell {
  std::string text;
  std::string sgr;  // Style::Wrap code, or empty
};
std::string AlignedTable(const std::vector<std::vector<TableCell>>& rows,
                         const std::vector<bool>& right_aligned, const Style& style,
                         std::string_view indent = "");

using service::CsvField;  // RFC 4180 quoting, shared with the API's CSV export

}  // namespace securescore::cli
