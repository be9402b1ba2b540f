// `securescore goal set|list`: a target percentage by a date, and the tenant's score zones
// (good / okay thresholds).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>

#include "securescore/catalog/json_writer.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::cli {
namespace {

struct GoalArgs {
  std::string tenant;
  double target = std::nan("");
  std::string by;
  double good = std::nan("");
  double okay = std::nan("");
  std::string format = "table";
};

int Set(store::Store& store, const GoalArgs& a) {
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  Result<store::Day> day = service::ParseDay(a.by, "--by");
  if (!day) return ReportError(day.error(), std::cerr);
  if (Status s = CheckPercentage(a.target, "--target"); !s)
    return ReportError(s.error(), std::cerr);
  const store::Timestamp now = Now();
  if (!std::isnan(a.good) || !std::isnan(a.okay)) {
    Result<std::optional<store::ScoreZones>> current = store.GetScoreZones(a.tenant);
    if (!current) return ReportError(current.error(), std::cerr);
    // Microsoft's dashboards colour ≥ 80 % good and ≥ 50 % okay; keep what is not given.
    store::ScoreZones z = current->value_or(store::ScoreZones{80, 50});
    if (!std::isnan(a.good)) z.good = a.good;
    if (!std::isnan(a.okay)) z.okay = a.okay;
    if (Status s = CheckPercentage(z.good, "--good"); !s) return ReportError(s.error(), std::cerr);
    if (Status s = CheckPercentage(z.okay, "--okay"); !s) return ReportError(s.error(), std::cerr);
    if (z.okay > z.good) {
      return ReportError(InvalidInput("the okay threshold must not exceed the good one", "--okay"),
                         std::cerr);
    }
    if (Status s = store.SetScoreZones(a.tenant, z); !s) return ReportError(s.error(), std::cerr);
  }
  Status s = store.SetGoal({a.tenant, *day, a.target, CurrentUser(), now});
  if (!s) return ReportError(s.error(), std::cerr);
  std::cout << fmt::format("{}: goal {} % by {}\n", a.tenant, Fixed2(a.target),
                           service::FormatDay(*day));
  return kExitOk;
}

int List(store::Store& store, const GoalArgs& a) {
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  Result<std::vector<store::Goal>> goals = store.ListGoals(a.tenant);
  if (!goals) return ReportError(goals.error(), std::cerr);
  Result<std::optional<store::ScoreZones>> zones = store.GetScoreZones(a.tenant);
  if (!zones) return ReportError(zones.error(), std::cerr);
  if (a.format == "json") {
    catalog::JsonWriter w(2);
    w.BeginObject().Key("goals").BeginArray();
    for (const auto& g : *goals) {
      w.BeginObject().Key("targetDate").String(service::FormatDay(g.target_date));
      w.Key("targetPercentage").Number(g.target_percentage).Key("setBy").String(g.set_by);
      w.Key("setAt").String(service::FormatTimestamp(g.set_at)).EndObject();
    }
    w.EndArray().Key("zones");
    if (*zones) {
      w.BeginObject().Key("good").Number((*zones)->good).Key("okay").Number((*zones)->okay);
      w.EndObject();
    } else {
      w.Null();
    }
    w.EndObject();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  for (const auto& g : *goals) {
    std::cout << fmt::format("goal {} % by {} (set by {})\n", Fixed2(g.target_percentage),
                             service::FormatDay(g.target_date), g.set_by);
  }
  if (*zones) {
    std::cout << fmt::format("zones: good ≥ {} %, okay ≥ {} %\n", Fixed2((*zones)->good),
                             Fixed2((*zones)->okay));
  }
  return kExitOk;
}

}  // namespace

void RegisterGoalCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<GoalArgs>();
  CLI::App* goal = AddStoreCommand(app, "goal", "Score goals and zones: set, list");
  goal->require_subcommand(1);
  auto bind = [&](CLI::App* cmd, int (*run)(store::Store&, const GoalArgs&)) {
    cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
    cmd->callback([cmd, args, exit_code, run] {
      *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return run(s, *args); });
    });
  };
  CLI::App* set = AddStoreCommand(*goal, "set", "Set a target percentage by a date");
  set->add_option("--target", args->target, "Target percentage (0-100)")->required();
  set->add_option("--by", args->by, "Target date (YYYY-MM-DD)")->required();
  set->add_option("--good", args->good, "Score zone: good at or above this percentage");
  set->add_option("--okay", args->okay, "Score zone: okay at or above this percentage");
  bind(set, Set);
  CLI::App* list = AddStoreCommand(*goal, "list", "A tenant's goals and zones");
  list->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  bind(list, List);
}

}  // namespace securescore::cli
