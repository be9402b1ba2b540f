#include "securescore/cli/app.h"

#include <CLI/CLI.hpp>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/store_common.h"

namespace securescore::cli {

int Run(int argc, char** argv) {
  CLI::App app{"securescore: open security-posture scoring for Microsoft 365 / Entra ID"};
  app.require_subcommand(1);
  int exit_code = kExitOk;
  RegisterAssessCommand(app, &exit_code);
  RegisterCatalogCommand(app, &exit_code);
  RegisterDocsCommand(app, &exit_code);
  RegisterGenerateCommand(app, &exit_code);
  AddDatabaseOption(app);
  RegisterTenantCommand(app, &exit_code);
  RegisterIngestCommand(app, &exit_code);
  RegisterScoreCommand(app, &exit_code);
  RegisterHistoryCommand(app, &exit_code);
  RegisterStateCommand(app, &exit_code);
  RegisterExceptionCommand(app, &exit_code);
  RegisterGoalCommand(app, &exit_code);
  RegisterCompareCommand(app, &exit_code);
  RegisterExportCommand(app, &exit_code);
  RegisterImportMsgraphCommand(app, &exit_code);
  RegisterReevaluateCommand(app, &exit_code);
  RegisterWorkerCommand(app, &exit_code);
  RegisterServeCommand(app, &exit_code);
  RegisterTokenCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; everything else is bad input.
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  return exit_code;
}

}  // namespace securescore::cli
