// Table, CSV and Markdown renderings of an evaluation (for people; tools read the JSON).
#include <fmt/format.h>

#include <algorithm>

#include "securescore/cli/report.h"

namespace securescore::cli {
namespace {

std::string StatusSgr(core::ControlStatus status) {
  switch (status) {
    case core::ControlStatus::kCompleted: return "32";
    case core::ControlStatus::kPartial: return "33";
    case core::ControlStatus::kToAddress: return "31";
    case core::ControlStatus::kError: return "1;31";
    default: return "2";
  }
}

std::string PointsOf(const core::ControlScore& cs) {
  return fmt::format("{} / {}", Fixed2(cs.points), Fixed2(cs.max));
}

// "27 of 52 failing", or empty for binary tenant-level controls where it says nothing more.
std::string FailingSummary(const engine::ControlEvaluation& ce, const core::ControlScore& cs) {
  if (cs.total == 0 || ce.failing.empty()) return {};
  return fmt::format("{} of {} failing", ce.failing.size(), cs.total);
}

std::vector<size_t> Excluded(const engine::Evaluation& ev, core::ControlStatus status) {
  std::vector<size_t> out;
  for (size_t i = 0; i < ev.score.controls.size(); ++i) {
    if (ev.score.controls[i].status == status) out.push_back(i);
  }
  return out;
}

}  // namespace

std::string Fixed2(double v) { return fmt::format("{:.2f}", core::Round2(v) + 0.0); }

std::vector<size_t> ActionsByImpact(const engine::Evaluation& ev) {
  std::vector<size_t> order;
  for (size_t i = 0; i < ev.score.controls.size(); ++i) {
    if (!ev.score.controls[i].excluded) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&ev](size_t a, size_t b) {
    const auto& x = ev.score.controls[a];
    const auto& y = ev.score.controls[b];
    if (x.score_impact != y.score_impact) return x.score_impact > y.score_impact;
    return x.id < y.id;
  });
  return order;
}

std::string RenderTable(const engine::Evaluation& ev, const Style& style) {
  const core::TenantScore& s = ev.score;
  std::string out = fmt::format(
      "{} ({})  collected {}  catalog {}\n\n", style.Bold(ev.tenant.display_name), ev.tenant.id,
      ev.collected_at.empty() ? "unknown" : ev.collected_at, ev.catalog_version);
  out += fmt::format("{}  {} / {}  {}\n", style.Bold("Secure Score"), style.Bold(Fixed2(s.current)),
                     Fixed2(s.max), style.Bold(Fixed2(s.percentage) + " %"));
  out += fmt::format("  measured  {} ({} %)  evidence alone, states ignored\n", Fixed2(s.measured),
                     Fixed2(core::Percentage(s.measured, s.max)));
  out += fmt::format("  planned   {} ({} %)  if every planned action were completed\n\n",
                     Fixed2(s.planned), Fixed2(core::Percentage(s.planned, s.max)));

  std::vector<std::vector<TableCell>> categories = {
      {{"CATEGORY", "1"}, {"POINTS", "1"}, {"%", "1"}}};
  for (const auto& c : s.categories) {
    categories.push_back({{c.name, ""},
                          {fmt::format("{} / {}", Fixed2(c.current), Fixed2(c.max)), ""},
                          {c.max > 0 ? Fixed2(c.percentage) : "-", ""}});
  }
  out += AlignedTable(categories, {false, true, true}, style) + "\n";

  std::vector<size_t> actions = ActionsByImpact(ev);
  out += style.Bold("ACTIONS BY SCORE IMPACT") + "\n";
  std::vector<std::vector<TableCell>> rows = {{{"IMPACT", "1"},
                                               {"POINTS", "1"},
                                               {"STATUS", "1"},
                                               {"STATE", "1"},
                                               {"CONTROL", "1"},
                                               {"TITLE", "1"}}};
  for (size_t i : actions) {
    const auto& cs = s.controls[i];
    const auto& ce = ev.controls[i];
    std::string title = ce.control->title;
    if (std::string failing = FailingSummary(ce, cs); !failing.empty()) {
      title += " (" + failing + ")";
    }
    rows.push_back({{fmt::format("{} %", Fixed2(cs.score_impact)), ""},
                    {PointsOf(cs), ""},
                    {std::string(core::ToString(cs.status)), StatusSgr(cs.status)},
                    {std::string(core::ToString(cs.state)), ""},
                    {cs.id, ""},
                    {title, ""}});
  }
  if (actions.empty()) rows.push_back({{"", ""}, {"", ""}, {"(no control was assessed)", ""}});
  out += AlignedTable(rows, {true, true, false, false, false, false}, style) + "\n";

  out += fmt::format("{}  {} assessed, {} not applicable, {} no data, {} errors\n",
                     style.Bold("COVERAGE"), s.coverage.assessed, s.coverage.not_applicable,
                     s.coverage.no_data,
                     s.coverage.errors > 0 ? style.Wrap("1;31", std::to_string(s.coverage.errors))
                                           : std::string("0"));
  if (auto no_data = Excluded(ev, core::ControlStatus::kNoData); !no_data.empty()) {
    out += "no data (evidence not collected in this snapshot):\n";
    std::vector<std::vector<TableCell>> nd;
    nd.reserve(no_data.size());
    for (size_t i : no_data) {
      nd.push_back(
          {{ev.controls[i].control->id, ""},
           {"needs " + fmt::format("{}", fmt::join(ev.controls[i].missing_tables, ", ")), "2"}});
    }
    out += AlignedTable(nd, {}, style, "  ");
  }
  if (auto errors = Excluded(ev, core::ControlStatus::kError); !errors.empty()) {
    out += style.Wrap("1;31",
                      "ERRORS: these controls' queries failed and are left out of the "
                      "score:") +
           "\n";
    for (size_t i : errors) {
      out += fmt::format("  {}  {}\n", style.Wrap("1;31", ev.controls[i].control->id),
                         ev.controls[i].error);
    }
  }
  for (const auto& warning : ev.warnings) out += style.Yellow("warning: " + warning) + "\n";
  return out;
}

std::string RenderCsv(const engine::Evaluation& ev) {
  std::string out =
      "id,title,category,service,status,state,points,max,count,total,score_impact,"
      "evidence_level,failing,detail\r\n";
  for (size_t i = 0; i < ev.controls.size(); ++i) {
    const auto& ce = ev.controls[i];
    const auto& cs = ev.score.controls[i];
    std::string detail = !ce.error.empty() ? ce.error
                         : !ce.missing_tables.empty()
                             ? fmt::format("missing {}", fmt::join(ce.missing_tables, " "))
                             : ce.note;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", CsvField(cs.id),
                       CsvField(ce.control->title), CsvField(cs.category),
                       CsvField(ce.control->service), core::ToString(cs.status),
                       core::ToString(cs.state), Fixed2(cs.points), Fixed2(cs.max), cs.count,
                       cs.total, Fixed2(cs.score_impact), CsvField(ce.level), ce.failing.size(),
                       CsvField(detail));
  }
  return out;
}

std::string RenderMarkdown(const engine::Evaluation& ev) {
  const core::TenantScore& s = ev.score;
  auto cell = [](std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::string md = fmt::format("# Secure Score: {}\n\n", cell(ev.tenant.display_name));
  md += fmt::format("Tenant `{}`, collected {}, catalog `{}`.\n\n", ev.tenant.id, ev.collected_at,
                    ev.catalog_version);
  md += fmt::format("**{} / {} ({} %)**, measured {} ({} %), planned {} ({} %).\n\n",
                    Fixed2(s.current), Fixed2(s.max), Fixed2(s.percentage), Fixed2(s.measured),
                    Fixed2(core::Percentage(s.measured, s.max)), Fixed2(s.planned),
                    Fixed2(core::Percentage(s.planned, s.max)));
  md += "| category | points | max | % |\n|---|---:|---:|---:|\n";
  for (const auto& c : s.categories) {
    md += fmt::format("| {} | {} | {} | {} |\n", c.name, Fixed2(c.current), Fixed2(c.max),
                      c.max > 0 ? Fixed2(c.percentage) : "-");
  }
  md +=
      "\n## Actions by score impact\n\n"
      "| impact | points | status | state | control | title | failing |\n"
      "|---:|---:|---|---|---|---|---|\n";
  for (size_t i : ActionsByImpact(ev)) {
    const auto& cs = s.controls[i];
    const auto& ce = ev.controls[i];
    md += fmt::format("| {} % | {} | {} | {} | `{}` | {} | {} |\n", Fixed2(cs.score_impact),
                      PointsOf(cs), core::ToString(cs.status), core::ToString(cs.state), cs.id,
                      cell(ce.control->title), FailingSummary(ce, cs));
  }
  md += fmt::format("\n## Coverage\n\n{} assessed, {} not applicable, {} no data, {} errors.\n",
                    s.coverage.assessed, s.coverage.not_applicable, s.coverage.no_data,
                    s.coverage.errors);
  for (size_t i : Excluded(ev, core::ControlStatus::kNoData)) {
    md += fmt::format("- `{}`: no data (needs {})\n", ev.controls[i].control->id,
                      fmt::join(ev.controls[i].missing_tables, ", "));
  }
  for (size_t i : Excluded(ev, core::ControlStatus::kError)) {
    md += fmt::format("- `{}`: **error**: {}\n", ev.controls[i].control->id,
                      cell(ev.controls[i].error));
  }
  return md;
}

}  // namespace securescore::cli
