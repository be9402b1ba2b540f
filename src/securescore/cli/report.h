// Renderings of an evaluation: the JSON contract of DESIGN §4 for tools, and a table, CSV and
// Markdown for people; plus --explain (everything about one control) and the control
// description `catalog show` prints.
#pragma once

#include <string>
#include <vector>

#include "securescore/catalog/control.h"
#include "securescore/cli/common.h"
#include "securescore/engine/evaluate.h"

namespace securescore::cli {

std::string RenderJson(const engine::Evaluation& ev);
std::string RenderTable(const engine::Evaluation& ev, const Style& style);
std::string RenderCsv(const engine::Evaluation& ev);
std::string RenderMarkdown(const engine::Evaluation& ev);

// Everything about one evaluated control: metadata, evidence level and note, each entity with
// its reason, the arithmetic, the state. `index` is the control's position in ev.controls.
std::string RenderExplain(const engine::Evaluation& ev, size_t index, const Style& style);

// A control's catalog entry in full, for `catalog show`.
std::string DescribeControl(const catalog::Control& control, const Style& style);

// Positions of the assessed controls (not excluded), highest score impact first, then by id.
std::vector<size_t> ActionsByImpact(const engine::Evaluation& ev);

// "2.50" — every figure people read has two decimals; JSON keeps the exact double.
std::string Fixed2(double v);

}  // namespace securescore::cli
