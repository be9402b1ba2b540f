// The small SQL connection the store's one implementation (sql_store.h) runs on, so every query
// is written once for both engines. A driver (sqlite/, postgres/) adapts one C client library.
//
// Statements use `?` placeholders; the PostgreSQL driver numbers them ($1, $2, …). Values are
// NULL, 64-bit integers, doubles, text, or blobs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "securescore/base/result.h"

namespace securescore::store::sql {

enum class Dialect { kSqlite, kPostgres };

// Bytes that are stored as BLOB / BYTEA rather than text.
struct Blob {
  std::string bytes;
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;
using Row = std::vector<Value>;

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Runs one statement and returns its rows (none for statements that return nothing).
  virtual Result<std::vector<Row>> Query(std::string_view sql, std::span<const Value> params) = 0;

  // Runs several `;`-separated statements without parameters (DDL).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // A write transaction: SQLite takes the write lock at once (BEGIN IMMEDIATE), so waiting for
  // another writer happens here, under the busy timeout, rather than as a failed upgrade later.
  virtual Status Begin() = 0;
  // A read-only transaction in which several queries see one state of the database.
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // Whether the last failure was transient contention (SQLite busy/locked, PostgreSQL
  // serialization failure or deadlock): the whole transaction may be retried.
  virtual bool LastErrorRetryable() const = 0;
};

// Accessors that accept whatever numeric representation the engine chose.
std::int64_t AsInt(const Value& v);
double AsDouble(const Value& v);
std::string AsText(const Value& v);  // text or blob bytes; empty for NULL
bool IsNull(const Value& v);

// Rewrites `?` placeholders (outside quotes) as $1, $2, … for PostgreSQL.
std::string NumberPlaceholders(std::string_view sql);

}  // namespace securescore::store::sql
