#include "securescore/evidence/schema.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

namespace securescore::evidence {
namespace {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

TEST(SchemaTest, EveryTableIsCreatedWithUniqueColumnsAndDocs) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  std::set<std::string_view> table_names;
  for (const TableDecl& table : EvidenceTables()) {
    SCOPED_TRACE(std::string(table.name));
    EXPECT_TRUE(table_names.insert(table.name).second) << "table declared twice";
    EXPECT_FALSE(table.doc.empty());
    EXPECT_FALSE(table.sources.empty());
    ASSERT_FALSE(table.columns.empty());
    std::set<std::string_view> columns;
    for (const ColumnDecl& column : table.columns) {
      EXPECT_TRUE(columns.insert(column.name).second) << "column " << column.name << " twice";
      EXPECT_FALSE(column.doc.empty()) << "column " << column.name << " has no doc";
    }
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db.get(), CreateTableSql(table).c_str(), nullptr, nullptr, &error),
              SQLITE_OK)
        << CreateTableSql(table) << ": " << (error ? error : "");
    sqlite3_free(error);
    // Declared indexes name real columns: a typo would fail every load.
    for (const std::string& index : CreateIndexSql(table)) {
      error = nullptr;
      EXPECT_EQ(sqlite3_exec(db.get(), index.c_str(), nullptr, nullptr, &error), SQLITE_OK)
          << index << ": " << (error ? error : "");
      sqlite3_free(error);
    }
    EXPECT_EQ(FindTable(table.name), &table);
  }
  EXPECT_FALSE(CreateIndexSql(*FindTable("user_registration")).empty());
  EXPECT_EQ(FindTable("no_such_table"), nullptr);
}

TEST(SchemaTest, CreatedTableHasTheDeclaredColumnsInOrder) {
  const TableDecl* users = FindTable("users");
  ASSERT_NE(users, nullptr);
  const std::string sql = CreateTableSql(*users);
  EXPECT_EQ(sql.rfind("CREATE TABLE users (id TEXT, user_principal_name TEXT,", 0), 0u) << sql;
  EXPECT_NE(sql.find("account_enabled INTEGER"), std::string::npos) << sql;
}

TEST(SchemaTest, MarkdownReferenceIsUpToDate) {
  const std::string path = std::string(SECURESCORE_SOURCE_DIR) + "/docs/evidence-tables.md";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path
                  << ": generate it with `securescore docs evidence-tables > "
                     "docs/evidence-tables.md`";
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(text.str() == EvidenceTablesMarkdown())
      << "docs/evidence-tables.md is stale: regenerate it with `securescore docs "
         "evidence-tables > docs/evidence-tables.md`";
}

}  // namespace
}  // namespace securescore::evidence
