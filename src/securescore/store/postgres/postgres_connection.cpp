#include "securescore/store/postgres/postgres_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace securescore::store::postgres {
namespace {

// Type OIDs from PostgreSQL's pg_type.h (stable across versions; the server headers are not a
// client dependency).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

// Owns a PGresult.
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection final : public sql::Connection {
 public:
  PostgresConnection(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

  Result<std::vector<sql::Row>> Query(std::string_view text,
                                      std::span<const sql::Value> params) override {
    ReconnectIfLost();
    const std::string numbered = sql::NumberPlaceholders(text);
    const std::size_t n = params.size();
    std::vector<std::string> storage(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0);
    std::vector<int> formats(n, 0);
    std::vector<Oid> types(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const sql::Value& v = params[i];
      if (const auto* x = std::get_if<std::int64_t>(&v)) {
        storage[i] = std::to_string(*x);
        types[i] = kInt8Oid;
      } else if (const auto* d = std::get_if<double>(&v)) {
        storage[i] = FormatDouble(*d);
        types[i] = kFloat8Oid;
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        storage[i] = *s;
        types[i] = kTextOid;
      } else if (const auto* b = std::get_if<sql::Blob>(&v)) {
        storage[i] = b->bytes;
        types[i] = kByteaOid;
        formats[i] = 1;  // binary: the bytes as they are
      } else {
        continue;  // NULL
      }
      values[i] = storage[i].data();
      lengths[i] = static_cast<int>(storage[i].size());
    }
    ResultPtr res(PQexecParams(conn_, numbered.c_str(), static_cast<int>(n), types.data(),
                               values.data(), lengths.data(), formats.data(), 0));
    Status status = Check(res.get(), text);
    if (!status) return status.error();
    std::vector<sql::Row> rows;
    const int nrows = PQntuples(res.get());
    const int ncols = PQnfields(res.get());
    rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      sql::Row row;
      row.reserve(ncols);
      for (int c = 0; c < ncols; ++c) row.push_back(Column(res.get(), r, c));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status ExecuteScript(std::string_view text) override {
    std::string owned(text);
    ResultPtr res(PQexec(conn_, owned.c_str()));
    return Check(res.get(), text);
  }

  Status Begin() override { return StartTransaction("BEGIN"); }
  Status BeginRead() override {
    return StartTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Status Commit() override {
    in_transaction_ = false;
    return ExecuteScript("COMMIT");
  }
  void Rollback() override {
    in_transaction_ = false;
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      ResultPtr res(PQexec(conn_, "ROLLBACK"));
    }
  }
  bool LastErrorRetryable() const override { return retryable_; }

 private:
  Status StartTransaction(const char* begin) {
    ReconnectIfLost();
    Status begun = ExecuteScript(begin);
    in_transaction_ = begun.ok();
    return begun;
  }

  // A connection lost between transactions (say, the server restarted) is re-established
  // once; one lost inside a transaction is not, so its remaining statements never run outside
  // it. A server still gone gives kUnavailable from the statement that follows.
  void ReconnectIfLost() {
    if (!in_transaction_ && PQstatus(conn_) == CONNECTION_BAD) PQreset(conn_);
  }

  Status Check(PGresult* res, std::string_view text) {
    ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      retryable_ = false;
      return OkStatus();
    }
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state != nullptr ? state : "";
    std::string detail = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    if (PQstatus(conn_) == CONNECTION_BAD) {
      retryable_ = false;
      return Error{ErrorCode::kUnavailable,
                   "lost the connection to PostgreSQL: " + detail +
                       " (is the server running? the operation was not completed)",
                   where_};
    }
    // 40001 serialization_failure, 40P01 deadlock_detected, 55P03 lock_not_available.
    retryable_ = sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03";
    ErrorCode code = ErrorCode::kIo;
    if (sqlstate.rfind("23", 0) == 0) code = ErrorCode::kConflict;
    if (retryable_) code = ErrorCode::kUnavailable;
    std::string message = "PostgreSQL: " + detail;
    if (!sqlstate.empty()) message += " [SQLSTATE " + sqlstate + "]";
    message += " (" + std::string(text.substr(0, 80)) + ")";
    return Error{code, std::move(message), where_};
  }

  static sql::Value Column(PGresult* res, int r, int c) {
    if (PQgetisnull(res, r, c) != 0) return std::monostate{};
    const char* text = PQgetvalue(res, r, c);
    const auto length = static_cast<std::size_t>(PQgetlength(res, r, c));
    switch (PQftype(res, c)) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kOidOid: {
        std::int64_t v = 0;
        std::from_chars(text, text + length, v);
        return v;
      }
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid: return sql::AsDouble(sql::Value(std::string(text, length)));
      case kBoolOid: return static_cast<std::int64_t>(text[0] == 't' ? 1 : 0);
      case kByteaOid: {
        std::size_t n = 0;
        unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
        if (bytes == nullptr) return sql::Blob{};
        sql::Blob blob{std::string(reinterpret_cast<const char*>(bytes), n)};
        PQfreemem(bytes);
        return blob;
      }
      default: return std::string(text, length);
    }
  }

  PGconn* conn_;
  std::string where_;
  bool retryable_ = false;
  bool in_transaction_ = false;
};

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

std::string RedactUrl(const std::string& url) {
  // postgresql://user:password@host/… → postgresql://user:***@host/…
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t at = url.find('@', scheme + 3);
  const std::size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const std::size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  std::string out = url.substr(0, colon + 1) + "***" + url.substr(at);
  return out;
}

Result<std::unique_ptr<sql::Connection>> OpenPostgresConnection(const std::string& url) {
  const std::string where = RedactUrl(url);
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return Error{ErrorCode::kInternal, "libpq could not allocate", where};
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string detail = PQerrorMessage(conn);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    PQfinish(conn);
    return Error{ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + detail, where};
  }
  // IF NOT EXISTS and friends emit notices, which libpq would print to stderr by default.
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<sql::Connection>(std::make_unique<PostgresConnection>(conn, where));
}

}  // namespace securescore::store::postgres
