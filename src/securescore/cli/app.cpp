#include "securescore/cli/app.h"

#include <CLI/CLI.hpp>

namespace securescore::cli {

int Run(int argc, char** argv) {
  CLI::App app{"securescore: open security-posture scoring for Microsoft 365 / Entra ID"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace securescore::cli
