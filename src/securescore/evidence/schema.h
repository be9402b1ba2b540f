// Evidence tables: the typed, documented SQL tables that controls query.
//
// Every table is declared once, in schema.cpp: its name, what it means, which source keys fill
// it, and each column's type and meaning. The same declaration creates the table in the
// in-memory SQLite database, drives the adapters' column order, and generates
// docs/evidence-tables.md (a test fails when that file is stale) — the way osquery's table
// specs drive both code and documentation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace securescore::evidence {

enum class ColumnType { kText, kInteger, kReal };

struct ColumnDecl {
  std::string_view name;
  ColumnType type;
  std::string_view doc;
};

struct TableDecl {
  std::string_view name;
  std::string_view doc;
  // Human-readable list of the snapshot keys that fill the table, e.g.
  // "graph `users`; scubagear `privileged_users`". For derived tables, what it is computed from.
  std::string_view sources;
  bool derived = false;  // computed in C++ from other tables (e.g. conditional-access coverage)
  std::vector<ColumnDecl> columns;
  // Column lists to index once the table is filled, for the joins controls make on it
  // (e.g. "user_id"). Created after loading, which is cheaper than keeping them up to date.
  std::vector<std::string_view> indexes = {};
};

// All evidence tables, in documentation order.
const std::vector<TableDecl>& EvidenceTables();

// nullptr when no table has that name.
const TableDecl* FindTable(std::string_view name);

// CREATE TABLE statement for a declaration (columns in declaration order).
std::string CreateTableSql(const TableDecl& table);

// CREATE INDEX statements for a declaration's `indexes`.
std::vector<std::string> CreateIndexSql(const TableDecl& table);

// The Markdown reference (docs/evidence-tables.md), generated from the declarations.
std::string EvidenceTablesMarkdown();

}  // namespace securescore::evidence
