// Conformance of the Store's token and alert methods (access_records.h) on both engines: the
// same cases run on SQLite and on PostgreSQL (SECURESCORE_TEST_PG_URL, as in
// store_conformance_test.cpp).
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "securescore/store/postgres/postgres_connection.h"
#include "securescore/store/store.h"

namespace securescore::store {
namespace {

Timestamp At(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

class AccessConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string name = "access_" + std::to_string(getpid()) + "_" +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
    std::string url;
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / name;
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url = "sqlite:" + (dir_ / "store.db").string();
    } else {
      const char* base = std::getenv("SECURESCORE_TEST_PG_URL");
      if (base == nullptr || *base == '\0') {
        GTEST_FAIL() << "SECURESCORE_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL)";
      }
      base_ = base;
      schema_ = name.substr(0, 60);
      auto admin = postgres::OpenPostgresConnection(base_);
      ASSERT_TRUE(admin) << admin.error().ToString();
      ASSERT_TRUE((*admin)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ +
                                          " CASCADE; CREATE SCHEMA " + schema_));
      url = base_ + (base_.find('?') == std::string::npos ? "?" : "&") +
            "options=-csearch_path%3D" + schema_;
    }
    auto store = OpenStore(url);
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) {
      auto admin = postgres::OpenPostgresConnection(base_);
      if (admin) (void)(*admin)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
  }

  std::unique_ptr<Store> store_;
  std::filesystem::path dir_;
  std::string base_, schema_;
};

AccessToken Token(std::string id, std::string role, std::string tenant, char fill) {
  return AccessToken{std::move(id),         "ci",    std::move(role), std::move(tenant),
                     std::string(64, fill), At(100), std::nullopt,    std::nullopt};
}

TEST_P(AccessConformance, TokensAreFoundByHashListedAndRevokedOnce) {
  ASSERT_TRUE(store_->InsertToken(Token("tok1", "reader", "contoso", 'a')));
  AccessToken admin = Token("tok2", "admin", "", 'b');
  admin.expires_at = At(5000);
  ASSERT_TRUE(store_->InsertToken(admin));

  auto found = store_->FindTokenByHash(std::string(64, 'b'));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "tok2");
  EXPECT_EQ(found->role, "admin");
  EXPECT_EQ(found->tenant_id, "");
  ASSERT_TRUE(found->expires_at.has_value());
  EXPECT_EQ(*found->expires_at, At(5000));
  EXPECT_FALSE(found->revoked_at.has_value());

  auto missing = store_->FindTokenByHash(std::string(64, 'c'));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(store_->RevokeToken("tok1", At(200)));
  ASSERT_TRUE(store_->RevokeToken("tok1", At(300)));  // the first revocation time stays
  auto revoked = store_->FindTokenByHash(std::string(64, 'a'));
  ASSERT_TRUE(revoked);
  ASSERT_TRUE(revoked->revoked_at.has_value());
  EXPECT_EQ(*revoked->revoked_at, At(200));
  Status unknown = store_->RevokeToken("nope", At(1));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  auto all = store_->ListTokens();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "tok1");
}

TEST_P(AccessConformance, TokensRejectBadRolesHashesAndDuplicates) {
  EXPECT_FALSE(store_->InsertToken(Token("t", "root", "", 'a')));
  AccessToken short_hash = Token("t", "reader", "", 'a');
  short_hash.secret_hash = "abc";
  EXPECT_FALSE(store_->InsertToken(short_hash));
  ASSERT_TRUE(store_->InsertToken(Token("t", "reader", "", 'a')));
  EXPECT_FALSE(store_->InsertToken(Token("t", "reader", "", 'd')));  // same id
  EXPECT_FALSE(store_->InsertToken(Token("u", "reader", "", 'a')));  // same hash
}

TEST_P(AccessConformance, AlertRulesAndDeliveries) {
  AlertRule rule{0, "contoso", "score_below", 40, "http://127.0.0.1:9/hook", "k", "admin", At(1)};
  auto id = store_->AddAlertRule(rule);
  ASSERT_TRUE(id) << id.error().ToString();
  rule.kind = "explode";
  EXPECT_FALSE(store_->AddAlertRule(rule));
  rule.kind = "drop";
  rule.url = "file:///etc/passwd";
  EXPECT_FALSE(store_->AddAlertRule(rule));

  auto rules = store_->ListAlertRules();
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0].id, *id);
  EXPECT_EQ((*rules)[0].threshold, 40);

  AlertDelivery failed{0, *id, "contoso", "score_below:7", 1, 500, "HTTP 500", false, "{}", At(10)};
  ASSERT_TRUE(store_->RecordDelivery(failed));
  auto delivered = store_->WasDelivered(*id, "score_below:7");
  ASSERT_TRUE(delivered);
  EXPECT_FALSE(*delivered);
  AlertDelivery ok = failed;
  ok.attempt = 2;
  ok.http_status = 200;
  ok.error.clear();
  ok.delivered = true;
  ASSERT_TRUE(store_->RecordDelivery(ok));
  delivered = store_->WasDelivered(*id, "score_below:7");
  ASSERT_TRUE(delivered);
  EXPECT_TRUE(*delivered);

  auto list = store_->ListDeliveries(10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].attempt, 2);  // newest first
  EXPECT_TRUE((*list)[0].delivered);
  EXPECT_EQ((*list)[1].http_status, 500);

  ASSERT_TRUE(store_->RemoveAlertRule(*id));
  EXPECT_FALSE(store_->RemoveAlertRule(*id));
}

INSTANTIATE_TEST_SUITE_P(Engines, AccessConformance, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace securescore::store
