// `securescore reevaluate --tenant ID | --all`: evaluate stored snapshots again under the
// current catalog; old evaluations are kept, and a snapshot already evaluated under this very
// catalog version is left as it is.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/catalog/json_writer.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/ingest.h"

namespace securescore::cli {
namespace {

struct ReevaluateArgs {
  std::string tenant;
  bool all = false;
  std::string catalog_dir;
  std::string format = "table";
};

int RunReevaluate(store::Store& store, const ReevaluateArgs& args) {
  if (args.all == !args.tenant.empty()) {
    return ReportError(InvalidInput("give either --tenant ID or --all", "--tenant"), std::cerr);
  }
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  Result<std::vector<service::IngestResult>> results =
      service::Reevaluate(store, *catalog, args.tenant, Now());
  if (!results) return ReportError(results.error(), std::cerr);
  int added = 0;
  for (const service::IngestResult& r : *results) {
    added += r.evaluation_inserted ? 1 : 0;
    if (args.format == "json") {
      catalog::JsonWriter w;
      w.BeginObject().Key("tenant").String(r.tenant_id).Key("snapshotHash").String(r.snapshot_hash);
      w.Key("evaluationId")
          .Int(r.evaluation_id)
          .Key("status")
          .String(r.evaluation_inserted ? "stored" : "unchanged");
      w.Key("percentage").Number(r.summary.percentage).EndObject();
      std::cout << w.str() << "\n";
    } else {
      std::cout << fmt::format("{} evaluation {} of {}: {} % (snapshot {})\n",
                               r.evaluation_inserted ? "stored" : "already current",
                               r.evaluation_id, r.tenant_id, Fixed2(r.summary.percentage),
                               r.snapshot_hash.substr(0, 12));
    }
  }
  std::cerr << fmt::format("reevaluate: {} snapshot(s) under catalog {}: {} new evaluation(s)\n",
                           results->size(), catalog->version, added);
  return kExitOk;
}

}  // namespace

void RegisterReevaluateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ReevaluateArgs>();
  CLI::App* cmd = AddStoreCommand(app, "reevaluate",
                                  "Evaluate stored snapshots again under the current catalog");
  cmd->add_option("--tenant", args->tenant, "Tenant id");
  cmd->add_flag("--all", args->all, "Every tenant");
  cmd->add_option("--catalog", args->catalog_dir, "Directory of extra control YAML files");
  cmd->add_option("--format", args->format, "table (default) or json (one object per line)")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->callback([cmd, args, exit_code] {
    *exit_code =
        WithStore(*cmd, std::cerr, [&](store::Store& s) { return RunReevaluate(s, *args); });
  });
}

}  // namespace securescore::cli
