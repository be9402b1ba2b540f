// `securescore assess FILE`: load a snapshot or ScubaGear export, evaluate the catalog, print
// the score. Exit 0, 2 on bad input (file, catalog, options), 3 below --min-score.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <thread>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/engine/evaluate.h"
#include "securescore/evidence/load.h"
#include "securescore/service/assess_json.h"

namespace securescore::cli {
namespace {

struct AssessArgs {
  std::string file;
  std::string format = "table";
  std::string explain;
  double min_score = std::nan("");  // NaN: no --min-score
  std::string catalog_dir;
  std::vector<std::string> states;      // ID=STATE
  std::vector<std::string> exceptions;  // ID=ENTITY
};

// Splits "ID=VALUE"; an error names the option and what was expected.
Result<std::pair<std::string, std::string>> SplitAssignment(const std::string& text,
                                                            std::string_view option) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return InvalidInput(fmt::format("'{}': expected CONTROL=VALUE", text), std::string(option));
  }
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

Result<engine::EvaluateOptions> OptionsFrom(const AssessArgs& args,
                                            const catalog::Catalog& catalog) {
  engine::EvaluateOptions options;
  for (const auto& s : args.states) {
    auto kv = SplitAssignment(s, "--state");
    if (!kv) return kv.error();
    auto state = core::ParseControlState(kv->second);
    if (!state) {
      return InvalidInput(fmt::format("'{}' is not a state (to_address, planned, risk_accepted, "
                                      "third_party, alternate_mitigation, reviewed)",
                                      kv->second),
                          "--state");
    }
    if (catalog.Find(kv->first) == nullptr) {
      return InvalidInput(fmt::format("no control '{}' in the catalog", kv->first), "--state");
    }
    options.states[kv->first] = *state;
  }
  for (const auto& e : args.exceptions) {
    auto kv = SplitAssignment(e, "--exception");
    if (!kv) return kv.error();
    if (catalog.Find(kv->first) == nullptr) {
      return InvalidInput(fmt::format("no control '{}' in the catalog", kv->first), "--exception");
    }
    options.exceptions[kv->first].insert(kv->second);
  }
  options.keep_passing_of = args.explain;
  // One tenant: its controls' queries share the cores (up to 4; more gains little).
  options.threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  return options;
}

int RunAssess(const AssessArgs& args) {
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  if (!args.explain.empty() && catalog->Find(args.explain) == nullptr) {
    std::cerr << "securescore: error: --explain: no control '" << args.explain
              << "' in the catalog (see `securescore catalog list`)\n";
    return kExitBadInput;
  }
  auto options = OptionsFrom(args, *catalog);
  if (!options) {
    std::cerr << "securescore: error: " << options.error().ToString() << "\n";
    return kExitBadInput;
  }
  auto evidence = evidence::LoadEvidenceFile(args.file);
  if (!evidence) {
    std::cerr << "securescore: error: " << evidence.error().ToString() << "\n";
    return kExitBadInput;
  }
  for (const auto& warning : evidence->warnings) {
    std::cerr << "securescore: warning: " << args.file << ": " << warning << "\n";
  }
  auto ev = engine::Evaluate(*catalog, *evidence, *options);
  if (!ev) {
    std::cerr << "securescore: error: " << ev.error().ToString() << "\n";
    return kExitBadInput;
  }

  Style style = Style::ForStdout();
  if (!args.explain.empty()) {
    for (size_t i = 0; i < ev->controls.size(); ++i) {
      if (ev->controls[i].control->id == args.explain) std::cout << RenderExplain(*ev, i, style);
    }
  } else if (args.format == "json") {
    service::WriteAssessJson(*ev, std::cout);  // streamed: the document may be hundreds of MB
  } else if (args.format == "csv") {
    std::cout << RenderCsv(*ev);
  } else if (args.format == "markdown") {
    std::cout << RenderMarkdown(*ev);
  } else {
    std::cout << RenderTable(*ev, style);
  }
  std::cout.flush();
  // Errors are loud even in machine formats: the score they leave out may be misleading.
  if (ev->score.coverage.errors > 0 && args.format != "table") {
    for (const auto& ce : ev->controls) {
      if (ce.outcome == core::Outcome::kError) {
        std::cerr << "securescore: error: control " << ce.control->id
                  << " failed and is left out of the score: " << ce.error << "\n";
      }
    }
  }
  if (!std::isnan(args.min_score) && ev->score.percentage < args.min_score) {
    std::cerr << fmt::format("securescore: score {} % is below --min-score {}\n",
                             Fixed2(ev->score.percentage), args.min_score);
    return kExitBelowMinScore;
  }
  return kExitOk;
}

}  // namespace

void RegisterAssessCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AssessArgs>();
  CLI::App* cmd = app.add_subcommand(
      "assess", "Score a tenant snapshot (securescore.snapshot/1) or a ScubaGear export");
  cmd->add_option("FILE", args->file,
                  "Snapshot JSON, ProviderSettingsExport.json or ScubaResults_*.json")
      ->required();
  cmd->add_option("--format", args->format, "Output: table (default), json, csv or markdown")
      ->check(CLI::IsMember({"table", "json", "csv", "markdown"}));
  cmd->add_option("--explain", args->explain,
                  "Print everything about one control: entities, reasons, arithmetic, state");
  cmd->add_option("--min-score", args->min_score,
                  "Exit 3 when the percentage is below this (0-100), for CI gating")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--catalog", args->catalog_dir,
                  "Directory of control YAML files added to (and overriding) the built-in catalog");
  cmd->add_option("--state", args->states,
                  "CONTROL=STATE: set a control's state (planned, risk_accepted, third_party, "
                  "alternate_mitigation, reviewed, to_address); repeatable");
  cmd->add_option("--exception", args->exceptions,
                  "CONTROL=ENTITY_ID: leave an entity out of a control's count and total; "
                  "repeatable");
  cmd->callback([args, exit_code] { *exit_code = RunAssess(*args); });
}

}  // namespace securescore::cli
