// `securescore score --tenant ID`: the tenant's current score — its latest evaluation
// re-scored with today's control states and exceptions (service/score_view.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/actions.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::cli {
namespace {

struct ScoreArgs {
  std::string tenant;
  std::string format = "table";
  std::string catalog_dir;
};

std::string ZoneOf(double percentage, const store::ScoreZones& z) {
  if (percentage >= z.good) return "good";
  if (percentage >= z.okay) return "okay";
  return "bad";
}

std::string RenderScoreTable(const service::ScoreView& view, const std::vector<store::Goal>& goals,
                             const std::optional<store::ScoreZones>& zones, const Style& style) {
  const core::TenantScore& s = view.score;
  std::string out = fmt::format(
      "{} ({})  evaluated {}  catalog {}\n", style.Bold(view.tenant.display_name), view.tenant.id,
      service::FormatTimestamp(view.evaluation.evaluated_at), view.catalog_version);
  out += fmt::format("Secure Score {} / {}  {}  measured {}  planned {}", Fixed2(s.current),
                     Fixed2(s.max), style.Bold(Fixed2(s.percentage) + " %"), Fixed2(s.measured),
                     Fixed2(s.planned));
  if (zones) out += "  zone " + ZoneOf(s.percentage, *zones);
  if (!goals.empty()) {
    out += fmt::format("  goal {} % by {}", Fixed2(goals.front().target_percentage),
                       service::FormatDay(goals.front().target_date));
  }
  out += "\n\n";
  std::vector<std::vector<TableCell>> cats = {
      {{"CATEGORY", "1"}, {"CURRENT", "1"}, {"MAX", "1"}, {"%", "1"}}};
  for (const core::CategoryScore& c : s.categories) {
    cats.push_back(
        {{c.name, ""}, {Fixed2(c.current), ""}, {Fixed2(c.max), ""}, {Fixed2(c.percentage), ""}});
  }
  out += AlignedTable(cats, {false, true, true, true}, style) + "\n";
  std::vector<std::vector<TableCell>> rows = {{{"ACTION", "1"},
                                               {"POINTS", "1"},
                                               {"MAX", "1"},
                                               {"IMPACT", "1"},
                                               {"STATUS", "1"},
                                               {"STATE", "1"},
                                               {"", ""}}};
  for (const service::Action& a : service::RecommendedActions(view)) {
    rows.push_back({{a.id, ""},
                    {Fixed2(a.points), ""},
                    {Fixed2(a.max), ""},
                    {Fixed2(a.score_impact), ""},
                    {a.status, a.status == "completed" ? "32" : ""},
                    {a.state == "to_address" ? "" : a.state, ""},
                    {a.regressed ? "regressed" : "", a.regressed ? "31" : ""}});
  }
  out += AlignedTable(rows, {false, true, true, true, false, false, false}, style);
  const core::Coverage& c = s.coverage;
  out += fmt::format("\n{} assessed, {} not applicable, {} without data, {} errors\n", c.assessed,
                     c.not_applicable, c.no_data, c.errors);
  return out;
}

int RunScore(store::Store& store, const ScoreArgs& args) {
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  Result<service::ScoreView> view = service::CurrentScore(store, *catalog, args.tenant, Now());
  if (!view) return ReportError(view.error(), std::cerr);
  if (args.format == "json") {
    std::cout << service::RenderAssessJson(service::ToAssessReport(*view));
    return kExitOk;
  }
  Result<std::vector<store::Goal>> goals = store.ListGoals(args.tenant);
  if (!goals) return ReportError(goals.error(), std::cerr);
  Result<std::optional<store::ScoreZones>> zones = store.GetScoreZones(args.tenant);
  if (!zones) return ReportError(zones.error(), std::cerr);
  std::cout << RenderScoreTable(*view, *goals, *zones, Style::ForStdout());
  return kExitOk;
}

}  // namespace

void RegisterScoreCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ScoreArgs>();
  CLI::App* cmd = AddStoreCommand(
      app, "score", "A tenant's current score: the latest evaluation with today's states");
  cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
  cmd->add_option("--format", args->format, "table (default) or json (the assess object)")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--catalog", args->catalog_dir,
                  "Directory of control YAML files added to (and overriding) the built-in catalog");
  cmd->callback([cmd, args, exit_code] {
    *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return RunScore(s, *args); });
  });
}

}  // namespace securescore::cli
