// `securescore import-msgraph --tenant ID FILE…`: keep Microsoft's own daily Secure Score
// (Graph secureScores responses) beside ours, beyond Microsoft's 90 days. Every file is read
// and checked before anything is stored; a day imported again replaces itself.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "securescore/catalog/json_writer.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/msgraph_import.h"
#include "securescore/store/msgraph_scores.h"

namespace securescore::cli {
namespace {

struct ImportArgs {
  std::string tenant;
  std::vector<std::string> files;
  std::string format = "table";
};

int RunImport(store::Store& store, const ImportArgs& args) {
  std::vector<store::MicrosoftScore> all;
  for (const std::string& file : args.files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return ReportError(InvalidInput("cannot open the file", file), std::cerr);
    std::ostringstream text;
    text << in.rdbuf();
    Result<std::vector<store::MicrosoftScore>> days =
        store::ParseGraphSecureScores(text.str(), args.tenant, file);
    if (!days) return ReportError(days.error(), std::cerr);
    all.insert(all.end(), days->begin(), days->end());
  }
  Result<service::ImportSummary> summary =
      service::ImportMicrosoftScores(store, args.tenant, std::move(all));
  if (!summary) return ReportError(summary.error(), std::cerr);
  if (args.format == "json") {
    catalog::JsonWriter w;
    w.BeginObject().Key("tenant").String(args.tenant).Key("added").Int(summary->added);
    w.Key("replaced").Int(summary->replaced).EndObject();
    std::cout << w.str() << "\n";
  } else {
    std::cout << fmt::format("{}: {} Microsoft day(s) added, {} replaced\n", args.tenant,
                             summary->added, summary->replaced);
  }
  return kExitOk;
}

}  // namespace

void RegisterImportMsgraphCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = AddStoreCommand(app, "import-msgraph",
                                  "Keep Microsoft's own Secure Score history (Graph secureScores)");
  cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
  cmd->add_option("FILE", args->files,
                  "Graph secureScores response(s): {\"value\":[…]} or one object")
      ->required();
  cmd->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->callback([cmd, args, exit_code] {
    *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return RunImport(s, *args); });
  });
}

}  // namespace securescore::cli
