// `securescore compare --tenant ID`: the tenant beside the others in this store — all tenants,
// the same seat band, the same industry — each basis withheld below three peers.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/compare.h"

namespace securescore::cli {
namespace {

struct CompareArgs {
  std::string tenant;
  std::string format = "table";
};

int RunCompare(store::Store& store, const CompareArgs& args) {
  Result<service::Comparison> c = service::CompareTenant(store, args.tenant);
  if (!c) return ReportError(c.error(), std::cerr);
  if (args.format == "json") {
    std::cout << service::RenderComparisonJson(*c);
    return kExitOk;
  }
  std::cout << fmt::format("{}: {} %\n\n", args.tenant, Fixed2(c->tenant.percentage));
  std::vector<std::vector<TableCell>> rows = {{{"BASIS", "1"}, {"PEERS", "1"}, {"AVERAGE %", "1"}}};
  for (const std::string_view category : core::kCategories) {
    rows.front().push_back({std::string(category), "1"});
  }
  for (const core::ComparativeScore& b : c->bases) {
    std::string basis(core::ToString(b.basis));
    if (!b.basis_value.empty()) basis += " (" + b.basis_value + ")";
    std::vector<TableCell> row = {{basis, ""}, {std::to_string(b.peers), ""}};
    if (b.withheld) {
      row.push_back({"withheld", "2"});
      for (size_t i = 0; i < std::size(core::kCategories); ++i) row.push_back({"", ""});
    } else {
      row.push_back({Fixed2(b.average_percentage), ""});
      for (const core::CategoryAverage& a : b.categories) {
        row.push_back({a.tenants > 0 ? Fixed2(a.average_percentage) : "-", ""});
      }
    }
    rows.push_back(std::move(row));
  }
  std::vector<bool> right(rows.front().size(), true);
  right[0] = false;
  std::cout << AlignedTable(rows, right, Style::ForStdout());
  return kExitOk;
}

}  // namespace

void RegisterCompareCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = AddStoreCommand(app, "compare", "Compare a tenant with the others in this store");
  cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
  cmd->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->callback([cmd, args, exit_code] {
    *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return RunCompare(s, *args); });
  });
}

}  // namespace securescore::cli
