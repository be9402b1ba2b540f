// One registration function per subcommand, each defined in its own file. Run() (app.cpp)
// calls them all; a subcommand's callback stores its exit code in *exit_code.
#pragma once

namespace CLI {
class App;
}

namespace securescore::cli {

void RegisterAssessCommand(CLI::App& app, int* exit_code);    // assess.cpp
void RegisterCatalogCommand(CLI::App& app, int* exit_code);   // catalog_cmd.cpp
void RegisterDocsCommand(CLI::App& app, int* exit_code);      // docs_cmd.cpp
void RegisterGenerateCommand(CLI::App& app, int* exit_code);  // generate_cmd.cpp

// Commands over the store (store_common.h: --db, SECURESCORE_DB).
void RegisterTenantCommand(CLI::App& app, int* exit_code);         // tenant_cmd.cpp
void RegisterIngestCommand(CLI::App& app, int* exit_code);         // ingest_cmd.cpp
void RegisterScoreCommand(CLI::App& app, int* exit_code);          // score_cmd.cpp
void RegisterHistoryCommand(CLI::App& app, int* exit_code);        // history_cmd.cpp
void RegisterStateCommand(CLI::App& app, int* exit_code);          // state_cmd.cpp
void RegisterExceptionCommand(CLI::App& app, int* exit_code);      // exception_cmd.cpp
void RegisterGoalCommand(CLI::App& app, int* exit_code);           // goal_cmd.cpp
void RegisterCompareCommand(CLI::App& app, int* exit_code);        // compare_cmd.cpp
void RegisterExportCommand(CLI::App& app, int* exit_code);         // export_cmd.cpp
void RegisterImportMsgraphCommand(CLI::App& app, int* exit_code);  // import_msgraph_cmd.cpp
void RegisterReevaluateCommand(CLI::App& app, int* exit_code);     // reevaluate_cmd.cpp
void RegisterWorkerCommand(CLI::App& app, int* exit_code);         // worker_cmd.cpp
void RegisterServeCommand(CLI::App& app, int* exit_code);          // serve_cmd.cpp
void RegisterTokenCommand(CLI::App& app, int* exit_code);          // token_cmd.cpp

}  // namespace securescore::cli
