// `securescore export --tenant ID --format csv|json`: the recommended-actions list of the
// current score, for spreadsheets and ticketing tools.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/actions.h"

namespace securescore::cli {
namespace {

struct ExportArgs {
  std::string tenant;
  std::string format = "csv";
  std::string output;
  std::string catalog_dir;
};

int RunExport(store::Store& store, const ExportArgs& args) {
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  Result<service::ScoreView> view = service::CurrentScore(store, *catalog, args.tenant, Now());
  if (!view) return ReportError(view.error(), std::cerr);
  std::vector<service::Action> actions = service::RecommendedActions(*view);
  const std::string text = args.format == "json" ? service::RenderActionsJson(*view, actions)
                                                 : service::RenderActionsCsv(actions);
  if (args.output.empty() || args.output == "-") {
    std::cout << text;
    return kExitOk;
  }
  std::ofstream out(args.output, std::ios::binary);
  out << text;
  out.close();
  if (!out)
    return ReportError(Error{ErrorCode::kIo, "cannot write the file", args.output}, std::cerr);
  return kExitOk;
}

}  // namespace

void RegisterExportCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = AddStoreCommand(app, "export", "Export the recommended actions (CSV or JSON)");
  cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
  cmd->add_option("--format", args->format, "csv (default) or json")
      ->check(CLI::IsMember({"csv", "json"}));
  cmd->add_option("--output,-o", args->output, "Write to this file instead of stdout");
  cmd->add_option("--catalog", args->catalog_dir, "Directory of extra control YAML files");
  cmd->callback([cmd, args, exit_code] {
    *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return RunExport(s, *args); });
  });
}

}  // namespace securescore::cli
