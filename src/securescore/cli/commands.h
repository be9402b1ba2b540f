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

}  // namespace securescore::cli
