// `securescore generate`: writes a synthetic tenant snapshot (generate/generate.h) to stdout or
// a file, for demos, tests and the benchmarks.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/generate/generate.h"

namespace securescore::cli {
namespace {

struct GenerateArgs {
  std::uint64_t users = 0;
  std::uint64_t devices = 0;
  std::uint64_t seed = 1;
  std::string profile = "typical";
  std::string name;
  std::string industry;
  std::string output;
};

// Below this many users generation takes well under a second: no progress line.
constexpr std::uint64_t kProgressMinUsers = 100'000;

int RunGenerate(const GenerateArgs& args, const CLI::App& cmd) {
  Result<generate::Profile> profile = generate::ParseProfile(args.profile);
  if (!profile) {
    std::cerr << "error: " << profile.error().ToString() << "\n";
    return kExitBadInput;
  }
  generate::GenerateOptions options;
  options.users = args.users;
  options.seed = args.seed;
  options.profile = *profile;
  if (cmd.count("--devices")) options.devices = args.devices;
  if (cmd.count("--name")) options.name = args.name;
  if (cmd.count("--industry")) options.industry = args.industry;
  if (Status valid = generate::ValidateOptions(options); !valid) {
    std::cerr << "error: " << valid.error().ToString() << "\n";
    return kExitBadInput;
  }
  const bool show_progress = isatty(STDERR_FILENO) && args.users >= kProgressMinUsers;
  if (show_progress) {
    options.progress = [](std::uint64_t done, std::uint64_t total) {
      std::cerr << fmt::format("\rgenerating: {:3}%", total ? done * 100 / total : 100)
                << std::flush;
    };
  }

  std::FILE* out = stdout;
  if (!args.output.empty() && args.output != "-") {
    out = std::fopen(args.output.c_str(), "wb");
    if (out == nullptr) {
      std::cerr << fmt::format("error: {}: cannot open for writing: {}\n", args.output,
                               std::strerror(errno));
      return kExitBadInput;
    }
  }
  Status written = generate::GenerateSnapshot(options, out);
  if (out != stdout && std::fclose(out) != 0 && written.ok()) {
    written = Error{ErrorCode::kIo, fmt::format("closing failed: {}", std::strerror(errno)), {}};
  }
  if (show_progress) std::cerr << "\n";
  if (!written) {
    std::cerr << "error: " << (out != stdout ? args.output + ": " : "")
              << written.error().ToString() << "\n";
    if (out != stdout) std::remove(args.output.c_str());  // never leave half a snapshot behind
    return 1;
  }
  return kExitOk;
}

}  // namespace

void RegisterGenerateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Write a realistic synthetic tenant snapshot (deterministic for a given seed)");
  cmd->add_option("--users", args->users, "Number of users (1 to 50,000,000)")->required();
  cmd->add_option("--devices", args->devices, "Number of Intune devices (default: 80% of users)");
  cmd->add_option("--seed", args->seed, "Random seed; the same options give the same bytes")
      ->capture_default_str();
  cmd->add_option("--profile", args->profile, "Security posture: weak, typical or strong")
      ->capture_default_str();
  cmd->add_option("--name", args->name, "Organisation name (default: derived from the seed)");
  cmd->add_option("--industry", args->industry, "Industry (default: derived from the seed)");
  cmd->add_option("-o,--output", args->output, "Output file (default: stdout)");
  cmd->callback([args, cmd, exit_code] { *exit_code = RunGenerate(*args, *cmd); });
}

}  // namespace securescore::cli
