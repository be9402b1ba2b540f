#include "securescore/cli/store_common.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace securescore::cli {

void AddDatabaseOption(CLI::App& app) {
  app.add_option("--db",
                 "Store URL: sqlite:PATH or postgresql://… (default: sqlite: in "
                 "$XDG_DATA_HOME/securescore/securescore.db)")
      ->envname("SECURESCORE_DB")
      ->type_name("URL");
}

CLI::App* AddStoreCommand(CLI::App& parent, std::string_view name, std::string_view description) {
  CLI::App* cmd = parent.add_subcommand(std::string(name), std::string(description));
  // Options a subcommand does not know (--db) go up to its parent and so to the root.
  cmd->fallthrough();
  return cmd;
}

std::string DefaultDatabaseUrl() {
  std::filesystem::path dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    dir = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    dir = std::filesystem::path(home) / ".local" / "share";
  } else {
    return "sqlite:securescore.db";
  }
  dir /= "securescore";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);  // an error surfaces when opening the file
  return "sqlite:" + (dir / "securescore.db").string();
}

std::string DatabaseUrl(const CLI::App& cmd) {
  const CLI::App* root = &cmd;
  while (root->get_parent() != nullptr) root = root->get_parent();
  const CLI::Option* db = root->get_option_no_throw("--db");
  if (db != nullptr && db->count() > 0) return db->as<std::string>();
  // envname() fills the option only when parsing ran on the root; read it directly too.
  if (const char* env = std::getenv("SECURESCORE_DB"); env != nullptr && *env != '\0') return env;
  return DefaultDatabaseUrl();
}

Result<std::unique_ptr<store::Store>> OpenStoreForRun(const CLI::App& cmd) {
  const std::string url = DatabaseUrl(cmd);
  Result<std::unique_ptr<store::Store>> store = store::OpenStore(url);
  if (!store) {
    Error e = store.error();
    // Never echo a PostgreSQL password back to the terminal.
    if (e.where == url && url.find('@') != std::string::npos) e.where = "--db";
    return e;
  }
  return store;
}

int ReportError(const Error& error, std::ostream& err) {
  err << "securescore: error: " << error.ToString() << "\n";
  switch (error.code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound: return 2;
    default: return kExitFailure;
  }
}

store::Timestamp Now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string CurrentUser() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "cli";
}

Result<core::ControlState> ParseStateName(std::string_view name) {
  std::optional<core::ControlState> state = core::ParseControlState(name);
  if (!state) {
    return InvalidInput("'" + std::string(name) +
                            "' is not a state; valid states: to_address, planned, risk_accepted, "
                            "third_party, alternate_mitigation, reviewed",
                        "STATE");
  }
  return *state;
}

Status CheckPercentage(double value, std::string_view option) {
  if (!(value >= 0 && value <= 100)) {
    return InvalidInput("expected a percentage between 0 and 100", std::string(option));
  }
  return OkStatus();
}

}  // namespace securescore::cli
