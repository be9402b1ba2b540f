#include "securescore/catalog/docs.h"

#include <fmt/format.h>

#include <cctype>

namespace securescore::catalog {
namespace {

// Table cells: a `|` would end the cell and a newline the row.
std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string EvidenceSummary(const Control& control) {
  std::string s;
  for (const auto& alt : control.evidence) {
    if (!s.empty()) s += "; else ";
    s += fmt::format("{}: {}", alt.level, fmt::join(alt.required_tables, ", "));
  }
  return s;
}

std::string ControlsMarkdown(const Catalog& catalog) {
  double total_points = 0;
  for (const auto& c : catalog.controls) total_points += c.max_points;
  std::string md = fmt::format(
      "# Controls\n\n"
      "<!-- Generated from catalog/controls/ by `{}`. Do not edit: a test fails when this "
      "file is stale. -->\n\n"
      "The default catalog (version `{}`): {} controls worth {} points in all. Each control is "
      "a YAML file in `catalog/controls/<Category>/` ([format](catalog-format.md)); its "
      "evidence alternatives are tried in order and name the [evidence "
      "tables](evidence-tables.md) they need. `securescore catalog show <id>` prints one in "
      "full.\n\n"
      "| category | controls | points |\n|---|---:|---:|\n",
      kControlsDocCommand, catalog.version, catalog.controls.size(), total_points);
  for (auto category : core::kCategories) {
    int count = 0;
    double points = 0;
    for (const auto& c : catalog.controls) {
      if (c.category == category) {
        ++count;
        points += c.max_points;
      }
    }
    std::string anchor(category);
    for (char& ch : anchor) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    md += fmt::format("| [{}](#{}) | {} | {} |\n", category, anchor, count, points);
  }
  for (auto category : core::kCategories) {
    md += fmt::format("\n## {}\n\n", category);
    md +=
        "| id | title | service | points | scoring | evidence needed | SCuBA |\n"
        "|---|---|---|---:|---|---|---|\n";
    bool any = false;
    for (const auto& c : catalog.controls) {
      if (c.category != category) continue;
      any = true;
      md += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", c.id, Cell(c.title),
                        Cell(c.service), c.max_points, core::ToString(c.scoring),
                        Cell(EvidenceSummary(c)), fmt::join(c.scuba_ids, ", "));
    }
    if (!any) md += "| | *none yet* | | | | | |\n";
  }
  return md;
}

}  // namespace securescore::catalog
