#include "securescore/store/codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "securescore/store/migrations.h"
#include "securescore/store/sql/connection.h"
#include "securescore/store/store.h"

namespace securescore::store {
namespace {

TEST(CodecTest, Sha256MatchesTheStandardTestVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CodecTest, ZstdRoundTripsAndRejectsGarbage) {
  std::string text(100000, 'x');
  text += std::string("\0\xff\x01", 3);
  std::string packed = ZstdCompress(text);
  EXPECT_LT(packed.size(), text.size() / 50);
  Result<std::string> back = ZstdDecompress(packed);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
  Result<std::string> empty = ZstdDecompress(ZstdCompress(""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  EXPECT_FALSE(ZstdDecompress("not zstd at all").ok());
  EXPECT_FALSE(ZstdDecompress(packed.substr(0, packed.size() / 2)).ok());
}

TEST(CodecTest, EntityListsRoundTripSmallAndLarge) {
  for (int n : {0, 1, 3, 2000}) {
    std::vector<EntityRef> entities;
    for (int i = 0; i < n; ++i) {
      entities.push_back({"id-" + std::to_string(i), std::string("name\0with nul", 13),
                          i % 2 == 0 ? "" : "reason " + std::to_string(i)});
    }
    std::string packed = PackEntities(entities);
    if (n == 0) {
      EXPECT_TRUE(packed.empty());
    }
    Result<std::vector<EntityRef>> back = UnpackEntities(packed);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    ASSERT_EQ(back->size(), entities.size());
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ((*back)[i].entity_id, entities[i].entity_id);
      EXPECT_EQ((*back)[i].entity_name, entities[i].entity_name);
      EXPECT_EQ((*back)[i].reason, entities[i].reason);
    }
  }
}

TEST(CodecTest, CorruptEntityListsAreErrorsNotCrashes) {
  std::string packed = PackEntities({{"a", "b", "c"}, {"d", "e", "f"}});
  for (std::size_t cut = 1; cut < packed.size(); ++cut) {
    EXPECT_FALSE(UnpackEntities(packed.substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(UnpackEntities("q123").ok());
  EXPECT_FALSE(UnpackEntities(packed + "x").ok());
  EXPECT_FALSE(UnpackEntities("z garbage").ok());
}

TEST(CodecTest, TagsAreAJsonArrayOfStrings) {
  std::vector<std::string> tags = {"q1", "quote \" and \\ backslash", "tab\there", "", "ünï"};
  std::string json = TagsToJson(tags);
  EXPECT_EQ(TagsToJson({"a", "b"}), R"(["a","b"])");
  EXPECT_EQ(TagsToJson({}), "[]");
  Result<std::vector<std::string>> back = TagsFromJson(json);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(*back, tags);
  Result<std::vector<std::string>> spaced = TagsFromJson(R"( [ "a" , "b\/c\n" ] )");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(*spaced, (std::vector<std::string>{"a", "b/c\n"}));
  for (const char* bad : {"", "[", R"(["a")", R"(["a",])", R"([1])", R"(["\x"])", "{}"}) {
    EXPECT_FALSE(TagsFromJson(bad).ok()) << bad;
  }
}

TEST(SqlTest, PlaceholdersAreNumberedOutsideQuotes) {
  EXPECT_EQ(sql::NumberPlaceholders("SELECT ? , '?' , \"a?\" , ?"),
            "SELECT $1 , '?' , \"a?\" , $2");
}

TEST(MigrationTest, DdlIsRenderedPerDialect) {
  const std::string ddl = "CREATE TABLE t (id {id}, b {blob})";
  EXPECT_EQ(RenderDdl(ddl, sql::Dialect::kSqlite),
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB)");
  EXPECT_EQ(RenderDdl(ddl, sql::Dialect::kPostgres),
            "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, b BYTEA)");
  std::int64_t previous = 0;
  for (const Migration& m : Migrations()) {
    EXPECT_EQ(m.version, previous + 1) << "migrations are numbered 1, 2, 3, …";
    previous = m.version;
    for (sql::Dialect d : {sql::Dialect::kSqlite, sql::Dialect::kPostgres}) {
      EXPECT_EQ(MigrationDdl(m, d).find('{'), std::string::npos) << m.name;
    }
  }
}

TEST(OpenStoreTest, UnknownUrlsAreInvalidInput) {
  for (const char* url : {"", "mysql://localhost/db", "sqlite:"}) {
    Result<std::unique_ptr<Store>> s = OpenStore(url);
    ASSERT_FALSE(s.ok()) << url;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput) << url;
  }
}

}  // namespace
}  // namespace securescore::store
