// --explain and `catalog show`: one control, everything about it, in words and numbers.
#include <fmt/format.h>

#include "securescore/catalog/docs.h"
#include "securescore/cli/report.h"

namespace securescore::cli {
namespace {

// `label: text` with continuation lines indented under the text.
std::string Field(std::string_view label, std::string_view text, const Style& style) {
  if (text.empty()) return {};
  std::string body(text);
  while (!body.empty() && body.back() == '\n') body.pop_back();
  std::string indented;
  for (char c : body) {
    indented += c;
    if (c == '\n') indented += "    ";
  }
  return fmt::format("  {} {}\n", style.Bold(std::string(label) + ":"), indented);
}

// "9 × 25 / 52 = 4.33" and its siblings: how the evidence became measured points.
std::string Arithmetic(const catalog::Control& c, const core::ControlScore& cs) {
  std::string max = fmt::format("{}", c.max_points);  // "9 × 25 / 52 = 4.33"
  switch (cs.status) {
    case core::ControlStatus::kNoData: return "no data: left out of current and max";
    case core::ControlStatus::kError: return "error: left out of current and max";
    case core::ControlStatus::kNotApplicable:
      return "0 entities assessed, when_empty: not_applicable → left out of current and max";
    default: break;
  }
  if (cs.total == 0) return fmt::format("0 entities assessed, when_empty: full → {}", max);
  if (c.scoring == core::ScoringKind::kBinary) {
    return fmt::format("binary: {} of {} compliant → {}", cs.count, cs.total,
                       cs.count == cs.total ? max : std::string("0"));
  }
  return fmt::format("{} × {} / {} = {}", max, cs.count, cs.total, Fixed2(cs.measured_points));
}

std::string StateLine(const engine::ControlEvaluation& ce, const core::ControlScore& cs) {
  std::string line(core::ToString(cs.state));
  switch (ce.state_source) {
    case engine::StateSource::kOption: line += " (set with --state)"; break;
    case engine::StateSource::kAttestation:
      line += " (attested in the snapshot";
      if (!ce.state_by.empty()) line += " by " + ce.state_by;
      if (!ce.state_comment.empty()) line += ": " + ce.state_comment;
      line += ")";
      break;
    case engine::StateSource::kNone: line += " (no state set)"; break;
  }
  if (cs.points != cs.measured_points) {
    line += fmt::format(" → official points {} instead of measured {}", Fixed2(cs.points),
                        Fixed2(cs.measured_points));
  }
  return line;
}

}  // namespace

std::string DescribeControl(const catalog::Control& c, const Style& style) {
  std::string out = fmt::format("{}  {}\n", style.Bold(c.id), c.title);
  out += fmt::format("  {} · {} · {} points · {} · tier {} · user impact {} · cost {} · {}\n",
                     c.category, c.service, Fixed2(c.max_points), core::ToString(c.scoring), c.tier,
                     c.user_impact, c.implementation_cost, c.action_type);
  if (c.when_empty == core::WhenEmpty::kNotApplicable) {
    out += "  when nothing is assessed: not applicable\n";
  }
  out += Field("threats", fmt::format("{}", fmt::join(c.threats, ", ")), style);
  std::string frameworks;
  if (!c.scuba_ids.empty()) frameworks += fmt::format("SCuBA {}", fmt::join(c.scuba_ids, ", "));
  if (!c.cis_ids.empty()) {
    frameworks +=
        fmt::format("{}CIS {}", frameworks.empty() ? "" : "; ", fmt::join(c.cis_ids, ", "));
  }
  out += Field("frameworks", frameworks, style);
  out += Field("population", c.population, style);
  out += Field("description", c.description, style);
  out += Field("remediation", c.remediation, style);
  out += Field("portal", c.portal, style);
  out += Field("powershell", c.powershell, style);
  out += Field("user notice", c.user_notice, style);
  out += Field("notes", c.notes, style);
  out += Field("evidence", catalog::EvidenceSummary(c), style);
  out += Field("tests", fmt::format("{} case(s)", c.tests.size()), style);
  out += Field("file", c.file, style);
  return out;
}

std::string RenderExplain(const engine::Evaluation& ev, size_t index, const Style& style) {
  const engine::ControlEvaluation& ce = ev.controls[index];
  const core::ControlScore& cs = ev.score.controls[index];
  const catalog::Control& c = *ce.control;
  std::string out = DescribeControl(c, style) + "\n";

  out += style.Bold("Evidence") + "\n";
  if (ce.outcome == core::Outcome::kNoData) {
    out += fmt::format("  no alternative could run: not collected: {}\n",
                       fmt::join(ce.missing_tables, ", "));
  } else {
    out += fmt::format(
        "  level '{}' (alternative {} of {})\n", ce.level,
        [&] {
          for (size_t i = 0; i < c.evidence.size(); ++i) {
            if (c.evidence[i].level == ce.level) return i + 1;
          }
          return size_t{0};
        }(),
        c.evidence.size());
    out += Field("note", ce.note, style);
  }
  if (ce.outcome == core::Outcome::kError) {
    out += "  " + style.Wrap("1;31", "query failed: " + ce.error) + "\n";
  }

  if (ce.outcome == core::Outcome::kEvaluated) {
    out += "\n" +
           style.Bold(fmt::format("Entities ({} assessed, {} compliant, {} excepted)", cs.total,
                                  cs.count, ce.excepted.size())) +
           "\n";
    std::vector<std::vector<TableCell>> rows;
    auto add = [&rows](std::string_view mark, std::string sgr, const engine::Finding& f) {
      std::string who = f.entity_name.empty() ? f.entity_id : f.entity_name;
      if (!f.entity_name.empty() && f.entity_name != f.entity_id) {
        who += fmt::format(" ({} {})", f.entity_type, f.entity_id);
      }
      rows.push_back({{std::string(mark), std::move(sgr)}, {who, ""}, {f.reason, ""}});
    };
    for (const auto& f : ce.failing) add("FAIL", "31", f);
    for (const auto& f : ce.passing_entities) add("PASS", "32", f);
    for (const auto& f : ce.excepted) add("EXCEPTED", "2", f);
    out += rows.empty() ? "  (the query returned no rows)\n" : AlignedTable(rows, {}, style, "  ");
  }

  out += "\n" + style.Bold("Score") + "\n";
  out += fmt::format("  status: {}\n", core::ToString(cs.status));
  out += fmt::format("  measured: {}\n", Arithmetic(c, cs));
  out += fmt::format("  state: {}\n", StateLine(ce, cs));
  if (!cs.excluded) {
    out += fmt::format("  points: {} of {}\n", Fixed2(cs.points), Fixed2(cs.max));
    out += fmt::format("  score impact: 100 × ({} − {}) / {} = {} %\n", Fixed2(cs.max),
                       Fixed2(cs.points), Fixed2(ev.score.max), Fixed2(cs.score_impact));
  }
  return out;
}

}  // namespace securescore::cli
