#include "securescore/evidence/evidence_db.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "securescore/evidence/schema.h"

namespace securescore::evidence {

namespace {

Error OpenError(sqlite3* handle) {
  std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
  sqlite3_close(handle);
  return Error{ErrorCode::kInternal, "cannot open in-memory SQLite database: " + message, ""};
}

}  // namespace

Result<std::unique_ptr<EvidenceDb>> EvidenceDb::Create() {
  std::unique_ptr<EvidenceDb> db(new EvidenceDb());
  // An in-memory database of the memdb VFS rather than ":memory:": it lives as long as a
  // connection to it is open, and other connections of this process can open it by name, which
  // lets the engine read it from two threads at once. The object's address makes the name
  // unique among the databases alive in the process.
  db->uri_ = "file:/securescore-evidence-" +
             std::to_string(reinterpret_cast<std::uintptr_t>(db.get())) + "?vfs=memdb";
  sqlite3* handle = nullptr;
  // Each connection is used by one thread at a time: SQLite's own mutexes only cost time.
  if (sqlite3_open_v2(
          db->uri_.c_str(), &handle,
          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
          nullptr) != SQLITE_OK) {
    return OpenError(handle);
  }
  db->db_ = handle;
  // memdb caps a database at 1 GiB by default; a million-user tenant needs more.
  sqlite3_int64 limit = sqlite3_int64{64} << 30;
  sqlite3_file_control(handle, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
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

Result<std::shared_ptr<sqlite3>> EvidenceDb::OpenReader() const {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(uri_.c_str(), &handle,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return OpenError(handle);
  }
  return std::shared_ptr<sqlite3>(handle, sqlite3_close);
}

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
