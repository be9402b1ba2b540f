#include "securescore/catalog/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "securescore/catalog/embedded.h"
#include "securescore/catalog/parse.h"
#include "securescore/catalog/validate.h"
#include "securescore/evidence/evidence_db.h"

namespace securescore::catalog {
namespace {

std::uint64_t Fnv1a(std::string_view data, std::uint64_t hash = 1469598103934665603ULL) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

int CategoryRank(std::string_view category) {
  auto it = std::find(std::begin(core::kCategories), std::end(core::kCategories), category);
  return static_cast<int>(it - std::begin(core::kCategories));
}

struct Parsed {
  Control control;
  std::string content;
  // Had errors: still checked and still overrides a base control of the same id (a broken
  // override must never be silently replaced by the embedded version), but left out.
  bool broken = false;
};

// Parses `files` into `out` by id; a second file with an id already in `out` from the same set
// is an error.
void ParseSet(const std::vector<SourceFile>& files, std::map<std::string, Parsed>& out,
              LoadReport& report) {
  std::map<std::string, std::string> seen;  // id → file, within this set
  for (const auto& f : files) {
    int errors_before = report.ErrorCount();
    std::optional<Control> c = ParseControl(f.path, f.content, report);
    if (!c || c->id.empty()) continue;
    if (auto [it, fresh] = seen.emplace(c->id, f.path); !fresh) {
      report.Error("duplicate-id",
                   fmt::format("id '{}' is already defined in {}", c->id, it->second), f.path, 1);
      continue;
    }
    bool broken = report.ErrorCount() > errors_before;
    std::string id = c->id;
    out[id] = Parsed{std::move(*c), f.content, broken};
  }
}

}  // namespace

const Control* Catalog::Find(std::string_view id) const {
  for (const auto& c : controls) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::vector<SourceFile> EmbeddedCatalogSources() {
  std::vector<SourceFile> files;
  for (const auto& f : EmbeddedCatalogFiles()) {
    files.push_back({std::string(f.path), std::string(f.content)});
  }
  return files;
}

Result<std::vector<SourceFile>> ReadCatalogDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return InvalidInput("not a directory (expected a folder of control .yaml files)", dir);
  }
  std::vector<SourceFile> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto ext = it->path().extension();
    if (!it->is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Error{ErrorCode::kIo, "cannot read file", it->path().string()};
    files.push_back({it->path().string(), text.str()});
  }
  if (ec) return Error{ErrorCode::kIo, ec.message(), dir};
  std::sort(files.begin(), files.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  return files;
}

Catalog LoadCatalog(const std::vector<SourceFile>& base, const std::vector<SourceFile>& overrides,
                    LoadReport& report) {
  std::map<std::string, Parsed> merged;
  ParseSet(base, merged, report);
  std::map<std::string, Parsed> overriding;
  ParseSet(overrides, overriding, report);
  for (auto& [id, parsed] : overriding) merged[id] = std::move(parsed);

  Catalog catalog;
  auto db = evidence::EvidenceDb::Create();
  if (!db) {
    report.Error(
        "internal",
        "cannot create the evidence database to check control SQL: " + db.error().ToString(), "");
  }
  for (auto& [id, parsed] : merged) {
    int errors_before = report.ErrorCount();
    if (db) ValidateEvidence(parsed.control, **db, report);
    if (parsed.broken || report.ErrorCount() > errors_before) continue;
    catalog.controls.push_back(std::move(parsed.control));
  }
  std::sort(catalog.controls.begin(), catalog.controls.end(),
            [](const Control& a, const Control& b) {
              int ra = CategoryRank(a.category), rb = CategoryRank(b.category);
              return ra != rb ? ra < rb : a.id < b.id;
            });

  std::uint64_t hash = Fnv1a("");
  for (const auto& c : catalog.controls) {
    hash = Fnv1a(c.id, hash);
    hash = Fnv1a(std::string_view("\0", 1), hash);
    hash = Fnv1a(merged.at(c.id).content, hash);
  }
  catalog.version = fmt::format("1.{}.{:08x}", catalog.controls.size(), hash >> 32);
  return catalog;
}

Catalog LoadDefaultCatalog(const std::string& dir, LoadReport& report) {
  std::vector<SourceFile> overrides;
  if (!dir.empty()) {
    auto files = ReadCatalogDir(dir);
    if (!files) {
      report.Error("catalog-dir", files.error().message, dir);
    } else {
      overrides = std::move(*files);
    }
  }
  return LoadCatalog(EmbeddedCatalogSources(), overrides, report);
}

}  // namespace securescore::catalog
