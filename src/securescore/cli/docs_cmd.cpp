// `securescore docs evidence-tables|controls`: the generated reference documents.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/catalog/docs.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/evidence/schema.h"

namespace securescore::cli {

void RegisterDocsCommand(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("docs", "Print generated reference documentation");
  cmd->require_subcommand(1);

  CLI::App* tables = cmd->add_subcommand("evidence-tables",
                                         "The evidence tables reference (docs/evidence-tables.md)");
  tables->callback([exit_code] {
    std::cout << evidence::EvidenceTablesMarkdown();
    *exit_code = kExitOk;
  });

  auto catalog_dir = std::make_shared<std::string>();
  CLI::App* controls =
      cmd->add_subcommand("controls", "The control catalog reference (docs/controls.md)");
  controls->add_option("--catalog", *catalog_dir, "Directory of extra/overriding controls");
  controls->callback([catalog_dir, exit_code] {
    auto catalog = LoadCatalogForRun(*catalog_dir, std::cerr);
    if (!catalog) {
      *exit_code = kExitBadInput;
      return;
    }
    std::cout << catalog::ControlsMarkdown(*catalog);
    *exit_code = kExitOk;
  });
}

}  // namespace securescore::cli
