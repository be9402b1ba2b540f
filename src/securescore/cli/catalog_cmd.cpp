// `securescore catalog list|show|lint|tables`: read and check the control catalog.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/catalog/docs.h"
#include "securescore/catalog/json_writer.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/engine/control_tests.h"
#include "securescore/evidence/schema.h"

namespace securescore::cli {
namespace {

struct CatalogArgs {
  std::string format = "table";
  std::string catalog_dir;
  std::string id;
  std::string lint_dir;
  bool markdown = false;
};

int List(const CatalogArgs& args) {
  auto catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  if (args.format == "json") {
    catalog::JsonWriter w(2);
    w.BeginObject().Key("catalogVersion").String(catalog->version).Key("controls").BeginArray();
    for (const auto& c : catalog->controls) {
      w.BeginObject().Key("id").String(c.id).Key("title").String(c.title);
      w.Key("category").String(c.category).Key("service").String(c.service);
      w.Key("maxPoints").Number(c.max_points).Key("scoring").String(core::ToString(c.scoring));
      w.Key("tier").String(c.tier).Key("userImpact").String(c.user_impact);
      w.Key("implementationCost").String(c.implementation_cost);
      w.Key("scuba").BeginArray();
      for (const auto& s : c.scuba_ids) w.String(s);
      w.EndArray().Key("evidence").String(catalog::EvidenceSummary(c)).EndObject();
    }
    w.EndArray().EndObject();
    std::cout << w.str() << "\n";
  } else if (args.format == "csv") {
    std::cout << "id,title,category,service,max_points,scoring,evidence\r\n";
    for (const auto& c : catalog->controls) {
      std::cout << fmt::format("{},{},{},{},{},{},{}\r\n", CsvField(c.id), CsvField(c.title),
                               CsvField(c.category), CsvField(c.service), c.max_points,
                               core::ToString(c.scoring), CsvField(catalog::EvidenceSummary(c)));
    }
  } else if (args.format == "markdown") {
    std::cout << catalog::ControlsMarkdown(*catalog);
  } else {
    Style style = Style::ForStdout();
    std::vector<std::vector<TableCell>> rows = {{{"ID", "1"},
                                                 {"CATEGORY", "1"},
                                                 {"SERVICE", "1"},
                                                 {"POINTS", "1"},
                                                 {"SCORING", "1"},
                                                 {"TITLE", "1"}}};
    for (const auto& c : catalog->controls) {
      rows.push_back({{c.id, ""},
                      {c.category, ""},
                      {c.service, ""},
                      {fmt::format("{}", c.max_points), ""},
                      {std::string(core::ToString(c.scoring)), ""},
                      {c.title, ""}});
    }
    std::cout << AlignedTable(rows, {false, false, false, true, false, false}, style);
    std::cout << fmt::format("{} controls, catalog {}\n", catalog->controls.size(),
                             catalog->version);
  }
  return kExitOk;
}

int Show(const CatalogArgs& args) {
  auto catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  const catalog::Control* c = catalog->Find(args.id);
  if (c == nullptr) {
    std::cerr << "securescore: error: no control '" << args.id
              << "' in the catalog (see `securescore catalog list`)\n";
    return kExitBadInput;
  }
  std::cout << DescribeControl(*c, Style::ForStdout());
  for (const auto& alt : c->evidence) {
    std::cout << fmt::format("\n  evidence '{}' (requires {}):\n", alt.level,
                             fmt::join(alt.required_tables, ", "));
    if (!alt.note.empty()) std::cout << "    note: " << alt.note << "\n";
    std::string sql = alt.sql;
    for (size_t pos = 0; (pos = sql.find('\n', pos)) != std::string::npos && pos + 1 < sql.size();
         pos += 5) {
      sql.insert(pos + 1, "    ");
    }
    std::cout << "    " << sql << (sql.empty() || sql.back() == '\n' ? "" : "\n");
  }
  return kExitOk;
}

// Loads the files, checks them, then runs every control's own test cases.
int Lint(const CatalogArgs& args) {
  std::vector<catalog::SourceFile> files;
  if (args.lint_dir.empty()) {
    files = catalog::EmbeddedCatalogSources();
  } else {
    auto read = catalog::ReadCatalogDir(args.lint_dir);
    if (!read) {
      std::cerr << "securescore: error: " << read.error().ToString() << "\n";
      return kExitBadInput;
    }
    files = std::move(*read);
  }
  catalog::LoadReport report;
  catalog::Catalog catalog = catalog::LoadCatalog({}, files, report);
  int cases = 0, passed = 0;
  for (const auto& control : catalog.controls) {
    for (const auto& result : engine::RunControlTests(control)) {
      ++cases;
      if (result.passed) {
        ++passed;
        continue;
      }
      report.Error("test-failed",
                   fmt::format("{}: test '{}': {}", control.id, result.name,
                               fmt::join(result.mismatches, "; ")),
                   control.file, result.line);
    }
  }
  if (args.format == "json") {
    std::cout << report.ToJson();
  } else {
    std::cout << report.ToText();
    std::cout << fmt::format("{} file(s), {} control(s) loaded, {} of {} test case(s) passed\n",
                             files.size(), catalog.controls.size(), passed, cases);
  }
  return report.HasErrors() ? kExitBadInput : kExitOk;
}

int Tables(const CatalogArgs& args) {
  if (args.markdown) {
    std::cout << evidence::EvidenceTablesMarkdown();
    return kExitOk;
  }
  for (const auto& t : evidence::EvidenceTables()) {
    std::cout << fmt::format("{}{}  {}\n", t.name, t.derived ? " (derived)" : "", t.doc);
  }
  return kExitOk;
}

}  // namespace

void RegisterCatalogCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CatalogArgs>();
  CLI::App* cmd = app.add_subcommand("catalog", "List, show and check the control catalog");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "List the controls");
  list->add_option("--format", args->format, "table (default), json, csv or markdown")
      ->check(CLI::IsMember({"table", "json", "csv", "markdown"}));
  list->add_option("--catalog", args->catalog_dir, "Directory of extra/overriding controls");
  list->callback([args, exit_code] { *exit_code = List(*args); });

  CLI::App* show = cmd->add_subcommand("show", "Print one control in full, with its SQL");
  show->add_option("ID", args->id, "Control id, e.g. AdminMFAV2")->required();
  show->add_option("--catalog", args->catalog_dir, "Directory of extra/overriding controls");
  show->callback([args, exit_code] { *exit_code = Show(*args); });

  CLI::App* lint = cmd->add_subcommand(
      "lint", "Check control files and run their test cases; exit 2 when anything is wrong");
  lint->add_option("DIR", args->lint_dir, "Directory of control files (default: built-in catalog)");
  lint->add_option("--format", args->format, "text (default) or json")
      ->check(CLI::IsMember({"table", "text", "json"}));
  lint->callback([args, exit_code] { *exit_code = Lint(*args); });

  CLI::App* tables = cmd->add_subcommand("tables", "List the evidence tables controls query");
  tables->add_flag("--markdown", args->markdown, "Print the reference (docs/evidence-tables.md)");
  tables->callback([args, exit_code] { *exit_code = Tables(*args); });
}

}  // namespace securescore::cli
