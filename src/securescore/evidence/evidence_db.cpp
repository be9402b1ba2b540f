#include "securescore/evidence/evidence_db.h"

#include <sqlite3.h>

#include <string>

#include "securescore/evidence/schema.h"

namespace securescore::evidence {

Result<std::unique_ptr<EvidenceDb>> EvidenceDb::Create() {
  sqlite3* handle = nullptr;
  // One connection, used by one thread at a time: SQLite's own mutexes only cost time.
  if (sqlite3_open_v2(":memory:", &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return Error{ErrorCode::kInternal, "cannot open in-memory SQLite database: " + message, ""};
  }
  std::unique_ptr<EvidenceDb> db(new EvidenceDb(handle));
  // The database lives and dies with one process and is rebuilt from the snapshot on demand, so
  // durability buys nothing: no journal, no fsync, temporary b-trees in memory.
  if (Status s = db->Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                          "PRAGMA temp_store=MEMORY;");
      !s) {
    return s.error();
  }
  for (const TableDecl& table : EvidenceTables()) {
    if (Status s = db->Exec(CreateTableSql(table)); !s) return s.error();
  }
  return db;
}

EvidenceDb::~EvidenceDb() { sqlite3_close(db_); }

bool EvidenceDb::Collected(std::string_view table) const {
  return collected_.find(table) != collected_.end();
}

void EvidenceDb::MarkCollected(std::string_view table) { collected_.emplace(table); }

Status EvidenceDb::Exec(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec needs a NUL-terminated string
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string what = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return Error{ErrorCode::kInternal, "SQLite: " + what, text.substr(0, 200)};
  }
  return OkStatus();
}

Status EvidenceDb::CreateIndexes(bool derived) {
  for (const TableDecl& table : EvidenceTables()) {
    if (table.derived != derived) continue;
    for (const std::string& sql : CreateIndexSql(table)) {
      if (Status s = Exec(sql); !s) return s;
    }
  }
  return OkStatus();
}

}  // namespace securescore::evidence
