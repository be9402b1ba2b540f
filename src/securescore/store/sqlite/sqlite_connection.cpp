#include "securescore/store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace securescore::store::sqlite {
namespace {

// How long one statement waits for another process's write lock before SQLITE_BUSY; the store
// then retries the whole transaction, so contention is only ever reported after minutes.
constexpr int kBusyTimeoutMs = 10'000;
// Prepared statements kept per connection; the store issues a few dozen distinct ones.
constexpr std::size_t kMaxCachedStatements = 256;

class SqliteConnection final : public sql::Connection {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConnection() override {
    for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }

  Result<std::vector<sql::Row>> Query(std::string_view text,
                                      std::span<const sql::Value> params) override {
    Result<sqlite3_stmt*> prepared = Prepare(text);
    if (!prepared) return prepared.error();
    sqlite3_stmt* stmt = *prepared;
    // Reset even on early return so the statement never holds a read lock between calls.
    struct ResetOnExit {
      sqlite3_stmt* s;
      ~ResetOnExit() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    for (std::size_t i = 0; i < params.size(); ++i) {
      int rc = Bind(stmt, static_cast<int>(i + 1), params[i]);
      if (rc != SQLITE_OK) return Fail(rc, "binding parameter " + std::to_string(i + 1));
    }
    std::vector<sql::Row> rows;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail(rc, std::string(text.substr(0, 80)));
      sql::Row row;
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) row.push_back(Column(stmt, c));
      rows.push_back(std::move(row));
    }
    retryable_ = false;
    return rows;
  }

  Status ExecuteScript(std::string_view text) override {
    std::string owned(text);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &message);
    std::string detail = message != nullptr ? message : "";
    sqlite3_free(message);
    if (rc != SQLITE_OK) return Fail(rc, detail);
    return OkStatus();
  }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
  Status BeginRead() override { return ExecuteScript("BEGIN"); }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool LastErrorRetryable() const override { return retryable_; }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view text) {
    auto it = statements_.find(std::string(text));
    if (it != statements_.end()) return it->second;
    if (statements_.size() >= kMaxCachedStatements) {
      for (auto& [t, s] : statements_) sqlite3_finalize(s);
      statements_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, text.data(), static_cast<int>(text.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return Fail(rc, "preparing " + std::string(text.substr(0, 80)));
    }
    statements_.emplace(std::string(text), stmt);
    return stmt;
  }

  static int Bind(sqlite3_stmt* stmt, int index, const sql::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return sqlite3_bind_int64(stmt, index, *i);
    if (const auto* d = std::get_if<double>(&v)) return sqlite3_bind_double(stmt, index, *d);
    if (const auto* s = std::get_if<std::string>(&v)) {
      return sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (const auto* b = std::get_if<sql::Blob>(&v)) {
      return sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
    }
    return sqlite3_bind_null(stmt, index);
  }

  static sql::Value Column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(stmt, c));
      case SQLITE_FLOAT: return sqlite3_column_double(stmt, c);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
        auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
        return sql::Blob{p != nullptr ? std::string(p, n) : std::string()};
      }
      default: return std::monostate{};
    }
  }

  Error Fail(int rc, const std::string& what) {
    const int primary = rc & 0xff;
    retryable_ = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    ErrorCode code = ErrorCode::kIo;
    if (primary == SQLITE_CONSTRAINT) code = ErrorCode::kConflict;
    if (retryable_) code = ErrorCode::kUnavailable;
    std::string message = std::string("SQLite: ") + sqlite3_errmsg(db_);
    if (!what.empty()) message += " (" + what + ")";
    return Error{code, std::move(message), path_};
  }

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  bool retryable_ = false;
};

}  // namespace

Result<std::unique_ptr<sql::Connection>> OpenSqliteConnection(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error{ErrorCode::kIo, "cannot open SQLite database: " + message, path};
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto connection = std::make_unique<SqliteConnection>(db, path);
  // Switching to WAL needs a moment of exclusive access; when another process is creating the
  // same file at the same time, wait for it and try again.
  Status setup;
  for (int attempt = 0; attempt < 50; ++attempt) {
    setup = connection->ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    if (setup || !connection->LastErrorRetryable()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
  }
  if (!setup) return setup.error();
  return std::unique_ptr<sql::Connection>(std::move(connection));
}

}  // namespace securescore::store::sqlite
