#include "securescore/catalog/validate.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <set>
#include <string>

#include "securescore/evidence/schema.h"

namespace securescore::catalog {
namespace {

// Tables a statement reads, collected by SQLite's authorizer while it prepares the statement.
int CollectReadTables(void* user, int action, const char* table, const char*, const char*,
                      const char*) {
  if (action == SQLITE_READ && table != nullptr) {
    static_cast<std::set<std::string>*>(user)->insert(table);
  }
  return SQLITE_OK;
}

void ValidateAlternative(const Control& c, const EvidenceAlternative& alt, sqlite3* db,
                         LoadReport& report) {
  auto error = [&](std::string code, std::string message) {
    report.Error(std::move(code), fmt::format("evidence '{}': {}", alt.level, std::move(message)),
                 c.file, alt.line);
  };
  for (const auto& table : alt.required_tables) {
    if (evidence::FindTable(table) == nullptr) {
      error("unknown-table", fmt::format("requires '{}', which is not an evidence table "
                                         "(see docs/evidence-tables.md)",
                                         table));
    }
  }
  if (alt.sql.empty()) return;

  std::set<std::string> read_tables;
  sqlite3_set_authorizer(db, CollectReadTables, &read_tables);
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v2(db, alt.sql.c_str(), static_cast<int>(alt.sql.size()), &stmt, nullptr);
  sqlite3_set_authorizer(db, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    error("sql-prepare", fmt::format("SQL does not prepare: {}", sqlite3_errmsg(db)));
    sqlite3_finalize(stmt);
    return;
  }
  if (stmt == nullptr) {
    error("sql-prepare", "SQL is empty");
    return;
  }
  if (!sqlite3_stmt_readonly(stmt)) {
    error("sql-not-readonly", "SQL must be a read-only SELECT");
  }
  int n = sqlite3_column_count(stmt);
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(n > 0 ? n : 0));
  for (int i = 0; i < n; ++i) names.emplace_back(sqlite3_column_name(stmt, i));
  bool exact = n == static_cast<int>(std::size(kQueryColumns)) &&
               std::equal(names.begin(), names.end(), std::begin(kQueryColumns));
  if (!exact) {
    error("sql-columns",
          fmt::format("SQL returns columns ({}); expected exactly (entity_id, entity_name, "
                      "entity_type, compliant, reason)",
                      fmt::join(names, ", ")));
  }
  sqlite3_finalize(stmt);
  for (const auto& table : read_tables) {
    if (evidence::FindTable(table) == nullptr) continue;  // CTEs, sqlite_* and the like
    bool declared = std::find(alt.required_tables.begin(), alt.required_tables.end(), table) !=
                    alt.required_tables.end();
    // `tenant` is always filled by the loader, so reading it needs no declaration.
    if (!declared && table != "tenant") {
      error("undeclared-table",
            fmt::format("SQL reads '{}' but `requires` does not list it: when it is not "
                        "collected the control would be judged on an empty table instead of "
                        "being no_data",
                        table));
    }
  }
}

}  // namespace

void ValidateEvidence(const Control& control, evidence::EvidenceDb& db, LoadReport& report) {
  for (const auto& alt : control.evidence) ValidateAlternative(control, alt, db.handle(), report);
}

}  // namespace securescore::catalog
