// TableWriter: one prepared INSERT per evidence table, reused for every row of a load, with
// columns bound by their position in the schema.h declaration. Failures throw InputError
// (they end the load; LoadEvidenceJson turns them into an Error).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/evidence/evidence_db.h"
#include "securescore/evidence/schema.h"

struct sqlite3_stmt;

namespace securescore::evidence {

class TableWriter {
 public:
  TableWriter(EvidenceDb& db, const TableDecl& table);
  ~TableWriter();
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  // Position of a column; a missing name is a programming error (throws std::logic_error).
  int Column(std::string_view name) const;

  // Binders. Unbound columns are NULL. Text() does NOT copy: the bytes must stay valid until
  // Insert() (simdjson strings and raw text do); TextCopy() copies into a per-column buffer
  // that is reused row after row, so steady-state rows allocate nothing.
  void Null(int column);
  void Int(int column, std::int64_t value);
  void Real(int column, double value);
  void Text(int column, std::string_view value);
  void TextCopy(int column, std::string_view value);
  std::string& Scratch(int column) { return scratch_[column]; }  // fill, then TextScratch()
  void TextScratch(int column) { Text(column, scratch_[column]); }

  void OptInt(int column, std::optional<std::int64_t> value);
  void OptBool(int column, std::optional<bool> value);
  void OptReal(int column, std::optional<double> value);
  void OptText(int column, std::optional<std::string_view> value);

  // Inserts the bound row and clears the bindings.
  void Insert();

  std::string_view table() const { return table_.name; }

 private:
  EvidenceDb& db_;
  const TableDecl& table_;
  sqlite3_stmt* stmt_ = nullptr;
  std::vector<std::string> scratch_;
};

// The writers of one load, created on first use.
class TableWriters {
 public:
  explicit TableWriters(EvidenceDb& db) : db_(db) {}
  TableWriter& operator[](std::string_view table);
  EvidenceDb& db() { return db_; }

 private:
  EvidenceDb& db_;
  std::map<std::string, std::unique_ptr<TableWriter>, std::less<>> writers_;
};

}  // namespace securescore::evidence
