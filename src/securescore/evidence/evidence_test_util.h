// Helpers for the evidence-layer tests: reading fixtures and looking into an EvidenceDb.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "securescore/evidence/evidence_db.h"

namespace securescore::evidence::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string ScubaResultsPath() {
  return std::string(SECURESCORE_FIXTURES_DIR) + "/scubagear/ScubaResults_fa5589b7-d528-4f80.json";
}

// Every row of a query, each as "a|b|c" (NULL shown as ∅).
inline std::vector<std::string> Rows(const EvidenceDb& db, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    rows.push_back("SQL error: " + std::string(sqlite3_errmsg(db.handle())));
    return rows;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      if (i) row += '|';
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row += text ? reinterpret_cast<const char*>(text) : "∅";
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  return rows;
}

inline std::string One(const EvidenceDb& db, const std::string& sql) {
  std::vector<std::string> rows = Rows(db, sql);
  return rows.size() == 1 ? rows[0] : "<" + std::to_string(rows.size()) + " rows>";
}

inline std::int64_t Count(const EvidenceDb& db, const std::string& table) {
  return std::stoll(One(db, "SELECT count(*) FROM " + table));
}

}  // namespace securescore::evidence::testing
