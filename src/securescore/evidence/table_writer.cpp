#include "securescore/evidence/table_writer.h"

#include <sqlite3.h>

#include <stdexcept>

#include "securescore/evidence/json_util.h"

namespace securescore::evidence {

TableWriter::TableWriter(EvidenceDb& db, const TableDecl& table)
    : db_(db), table_(table), scratch_(table.columns.size()) {
  std::string sql = "INSERT INTO " + std::string(table.name) + " VALUES (";
  for (std::size_t i = 0; i < table.columns.size(); ++i) sql += i ? ",?" : "?";
  sql += ")";
  if (sqlite3_prepare_v3(db.handle(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_,
                         nullptr) != SQLITE_OK) {
    throw std::logic_error("cannot prepare " + sql + ": " + sqlite3_errmsg(db.handle()));
  }
}

TableWriter::~TableWriter() { sqlite3_finalize(stmt_); }

int TableWriter::Column(std::string_view name) const {
  for (std::size_t i = 0; i < table_.columns.size(); ++i) {
    if (table_.columns[i].name == name) return static_cast<int>(i);
  }
  throw std::logic_error("table " + std::string(table_.name) + " has no column " +
                         std::string(name));
}

void TableWriter::Null(int column) { sqlite3_bind_null(stmt_, column + 1); }

void TableWriter::Int(int column, std::int64_t value) {
  sqlite3_bind_int64(stmt_, column + 1, value);
}

void TableWriter::Real(int column, double value) { sqlite3_bind_double(stmt_, column + 1, value); }

void TableWriter::Text(int column, std::string_view value) {
  // SQLite's default length limit is 1e9 bytes; longer text is a property of the input.
  if (value.size() > 1'000'000'000 ||
      sqlite3_bind_text64(stmt_, column + 1, value.data(), value.size(), SQLITE_STATIC,
                          SQLITE_UTF8) != SQLITE_OK) {
    throw InputError("a value of " + std::to_string(value.size()) + " bytes for " +
                     std::string(table_.name) + "." + std::string(table_.columns[column].name) +
                     " is larger than can be stored");
  }
}

void TableWriter::TextCopy(int column, std::string_view value) {
  scratch_[column].assign(value);
  Text(column, scratch_[column]);
}

void TableWriter::OptInt(int column, std::optional<std::int64_t> value) {
  value ? Int(column, *value) : Null(column);
}

void TableWriter::OptBool(int column, std::optional<bool> value) {
  value ? Int(column, *value ? 1 : 0) : Null(column);
}

void TableWriter::OptReal(int column, std::optional<double> value) {
  value ? Real(column, *value) : Null(column);
}

void TableWriter::OptText(int column, std::optional<std::string_view> value) {
  value ? Text(column, *value) : Null(column);
}

void TableWriter::Insert() {
  int rc = sqlite3_step(stmt_);
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (rc != SQLITE_DONE) {
    // SQLite refuses text over its length limit (1e9 bytes): that is a property of the input.
    throw InputError("cannot store a row in table " + std::string(table_.name) + ": " +
                     sqlite3_errmsg(db_.handle()));
  }
}

TableWriter& TableWriters::operator[](std::string_view table) {
  auto it = writers_.find(table);
  if (it != writers_.end()) return *it->second;
  const TableDecl* decl = FindTable(table);
  if (!decl) throw std::logic_error("no evidence table " + std::string(table));
  auto writer = std::make_unique<TableWriter>(db_, *decl);
  TableWriter& ref = *writer;
  writers_.emplace(std::string(table), std::move(writer));
  return ref;
}

}  // namespace securescore::evidence
