// `securescore history --tenant ID [--from DATE] [--to DATE]`: the daily series (ours and
// Microsoft's), the evaluations and what changed between them (service/history.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/history.h"
#include "securescore/service/time_text.h"

namespace securescore::cli {
namespace {

struct HistoryArgs {
  std::string tenant;
  std::string from;
  std::string to;
  std::string format = "table";
};

Result<store::TimeRange> RangeFrom(const HistoryArgs& args) {
  store::TimeRange range;
  if (!args.from.empty()) {
    Result<store::Timestamp> from = service::ParseTimestamp(args.from, "--from");
    if (!from) return from.error();
    range.from = *from;
  }
  if (!args.to.empty()) {
    Result<store::Timestamp> to = service::ParseTimestamp(args.to, "--to");
    if (!to) return to.error();
    // A bare date means the whole of that day.
    range.to = args.to.size() == 10 ? *to + std::chrono::seconds(86399) : *to;
  }
  if (range.from > range.to) return InvalidInput("--from is after --to", "--from");
  return range;
}

std::string RenderHistoryTable(const service::History& h, const Style& style) {
  std::vector<std::vector<TableCell>> daily = {
      {{"DATE", "1"}, {"SOURCE", "1"}, {"CURRENT", "1"}, {"MAX", "1"}, {"%", "1"}}};
  for (const service::DailyScore& d : h.daily) {
    daily.push_back({{service::FormatDay(d.day), ""},
                     {d.source, ""},
                     {Fixed2(d.current), ""},
                     {Fixed2(d.max), ""},
                     {Fixed2(d.percentage), ""}});
  }
  std::string out = AlignedTable(daily, {false, false, true, true, true}, style);
  if (h.changes.empty()) return out;
  out += "\n";
  std::vector<std::vector<TableCell>> changes = {
      {{"AT", "1"}, {"EVALUATION", "1"}, {"DELTA", "1"}, {"CAUSE", "1"}, {"CONTROLS", "1"}}};
  for (const service::EvaluationChange& c : h.changes) {
    const double delta = c.to_current - c.from_current;
    std::string causes = fmt::format("{}", fmt::join(c.causes, ", "));
    std::string controls;
    for (const service::ControlChange& cc : c.controls) {
      if (!controls.empty()) controls += ", ";
      controls += cc.control_id + (cc.regressed ? " (regressed)" : "");
    }
    changes.push_back({{service::FormatTimestamp(c.at), ""},
                       {fmt::format("{} → {}", c.from_id, c.to_id), ""},
                       {(delta >= 0 ? "+" : "") + Fixed2(delta), delta < 0 ? "31" : ""},
                       {causes.empty() ? "-" : causes, ""},
                       {controls, ""}});
  }
  out += AlignedTable(changes, {false, false, true, false, false}, style);
  return out;
}

int RunHistory(store::Store& store, const HistoryArgs& args) {
  Result<store::TimeRange> range = RangeFrom(args);
  if (!range) return ReportError(range.error(), std::cerr);
  Result<service::History> h = service::LoadHistory(store, args.tenant, *range);
  if (!h) return ReportError(h.error(), std::cerr);
  if (args.format == "json") {
    std::cout << service::RenderHistoryJson(*h);
  } else {
    std::cout << RenderHistoryTable(*h, Style::ForStdout());
  }
  return kExitOk;
}

}  // namespace

void RegisterHistoryCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* cmd = AddStoreCommand(
      app, "history", "A tenant's daily scores (ours and Microsoft's) and what changed");
  cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
  cmd->add_option("--from", args->from, "First day or time (ISO 8601, e.g. 2026-11-01)");
  cmd->add_option("--to", args->to, "Last day or time (a date includes that whole day)");
  cmd->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->callback([cmd, args, exit_code] {
    *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return RunHistory(s, *args); });
  });
}

}  // namespace securescore::cli
