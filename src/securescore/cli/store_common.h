// What the commands over the store share (tenant, ingest, score, history, state, …): the
// global --db option, opening the store, the clock, state-name parsing, and one way of turning
// an Error into a message and an exit code.
//
// --db URL (or SECURESCORE_DB) picks the store: `sqlite:PATH` or `postgresql://…`. Without
// either, the store is the SQLite file $XDG_DATA_HOME/securescore/securescore.db
// (~/.local/share/… when XDG_DATA_HOME is unset): one per user, wherever the command runs.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "securescore/base/result.h"
#include "securescore/core/model.h"
#include "securescore/store/store.h"

namespace CLI {
class App;
}

namespace securescore::cli {

// Runtime failure that is not the user's input: the database is unreachable, a write failed.
inline constexpr int kExitFailure = 1;

// Adds --db (env SECURESCORE_DB) to the root command. Subcommands created with
// AddStoreCommand accept it after their own name too.
void AddDatabaseOption(CLI::App& app);

// A subcommand of `parent` that takes the global options after its name as well.
CLI::App* AddStoreCommand(CLI::App& parent, std::string_view name, std::string_view description);

// The URL --db / SECURESCORE_DB chose for `cmd`'s root command, or the default.
std::string DatabaseUrl(const CLI::App& cmd);
std::string DefaultDatabaseUrl();

// Opens the store named by DatabaseUrl(cmd).
Result<std::unique_ptr<store::Store>> OpenStoreForRun(const CLI::App& cmd);

// Prints "securescore: error: …" and returns the exit code for `error`: 2 for the user's input
// (bad values, unknown tenants or controls), 1 for everything else.
int ReportError(const Error& error, std::ostream& err);

// Opens the store and runs `body(store)`, which returns the exit code; a store that cannot be
// opened is reported (exit 2 for a malformed URL, 1 when the database is unreachable).
template <typename F>
int WithStore(const CLI::App& cmd, std::ostream& err, F&& body) {
  Result<std::unique_ptr<store::Store>> store = OpenStoreForRun(cmd);
  if (!store) return ReportError(store.error(), err);
  return body(**store);
}

// Now, in whole UTC seconds: the one place the CLI reads the clock.
store::Timestamp Now();

// The user running the command ($USER, else "cli"), for the audit fields.
std::string CurrentUser();

// A DESIGN §2 state name (or Graph's); the error lists the valid names.
Result<core::ControlState> ParseStateName(std::string_view name);

// A percentage option in [0, 100].
Status CheckPercentage(double value, std::string_view option);

}  // namespace securescore::cli
