// The catalog: every control the engine evaluates. Loading runs as small stages — read files,
// parse each, merge (a directory's controls override embedded ones by id), check the SQL —
// and records every problem in a LoadReport instead of stopping at the first.
//
//   LoadReport report;
//   Catalog catalog = LoadCatalog(EmbeddedCatalogSources(), overrides, report);
//   if (report.HasErrors()) { std::cerr << report.ToText(); return 2; }
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/control.h"
#include "securescore/catalog/report.h"

namespace securescore::catalog {

// A control file's text and the path diagnostics name it by.
struct SourceFile {
  std::string path;
  std::string content;
};

struct Catalog {
  // Ordered by category (core::kCategories order), then id.
  std::vector<Control> controls;
  // "1.<controls>.<8 hex digits of a hash of every control's text>": changes whenever any
  // control changes, so an evaluation records exactly which catalog produced it.
  std::string version;

  const Control* Find(std::string_view id) const;
};

// The catalog/controls/**/*.yaml files compiled into the binary, paths relative to the source
// tree ("catalog/controls/Identity/AdminMFAV2.yaml").
std::vector<SourceFile> EmbeddedCatalogSources();

// Every *.yaml / *.yml below `dir` (sorted, paths as `dir`/relative). An error when `dir` is
// not a readable directory.
Result<std::vector<SourceFile>> ReadCatalogDir(const std::string& dir);

// Parses and checks `base` then `overrides`; a control in `overrides` replaces the one in
// `base` with the same id. Controls with errors are reported and left out.
Catalog LoadCatalog(const std::vector<SourceFile>& base, const std::vector<SourceFile>& overrides,
                    LoadReport& report);

// The embedded catalog, plus `dir`'s controls when `dir` is not empty.
Catalog LoadDefaultCatalog(const std::string& dir, LoadReport& report);

}  // namespace securescore::catalog
