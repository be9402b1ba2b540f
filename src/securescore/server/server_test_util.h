// Test fixture for the server: a temporary SQLite store with four small generated tenants
// evaluated by the real engine, tokens of every role and scope (plus expired, revoked and
// unknown ones), and an ApiServer whose Handle() runs requests without sockets.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "securescore/catalog/catalog.h"
#include "securescore/generate/generate.h"
#include "securescore/server/auth.h"
#include "securescore/server/auth_cache.h"
#include "securescore/server/http_server.h"
#include "securescore/server/metrics.h"
#include "securescore/server/routes.h"
#include "securescore/service/ingest.h"

namespace securescore::server::testing {

inline const catalog::Catalog& TestCatalog() {
  static const catalog::Catalog* catalog = [] {
    catalog::LoadReport report;
    return new catalog::Catalog(catalog::LoadDefaultCatalog("", report));
  }();
  return *catalog;
}

// 2026-11-30T04:00:00Z, the generator's default collection time.
inline constexpr std::int64_t kNow = 1796011200;

inline std::string Snapshot(std::uint64_t seed, generate::Profile profile, std::int64_t at,
                            std::uint64_t users = 40) {
  generate::GenerateOptions g;
  g.users = users;
  g.seed = seed;
  g.profile = profile;
  g.collected_at = at;
  g.industry = "Finance";
  Result<std::string> s = generate::GenerateSnapshotString(g);
  EXPECT_TRUE(s) << s.error().ToString();
  return s ? *s : std::string();
}

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("securescore_server_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    pool_ = std::make_unique<StorePool>("sqlite:" + (dir_ / "store.db").string());
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease) << lease.error().ToString();
    store::Store& s = **lease;
    const char* ids[] = {"t-alpha", "t-beta", "t-gamma", "t-delta"};
    for (int i = 0; i < 4; ++i) {
      service::IngestOptions o;
      o.tenant_override = ids[i];
      const generate::Profile p = i % 2 ? generate::Profile::kStrong : generate::Profile::kWeak;
      auto r =
          service::Ingest(s, TestCatalog(), Snapshot(10 + i, p, kNow - 86400), ids[i], o, Now());
      ASSERT_TRUE(r) << r.error().ToString();
    }
    // A second day for alpha, so history, changes and the Graph series have two points.
    service::IngestOptions o;
    o.tenant_override = "t-alpha";
    auto r = service::Ingest(s, TestCatalog(), Snapshot(10, generate::Profile::kTypical, kNow),
                             "alpha2", o, Now());
    ASSERT_TRUE(r) << r.error().ToString();
    for (Role role : {Role::kReader, Role::kOperator, Role::kAdmin}) {
      scoped_[role] = Issue(s, role, "t-alpha");
      fleet_[role] = Issue(s, role, "");
    }
    // Expired: stored directly, since IssueToken refuses an expiry in the past.
    expired_ = "sst_00000000000000ee_" + std::string(64, 'e');
    ASSERT_TRUE(s.InsertToken({"00000000000000ee", "old", "admin", "", Sha256Hex(expired_),
                               Now() - std::chrono::hours(48), Now() - std::chrono::hours(1),
                               std::nullopt}));
    revoked_ = Issue(s, Role::kAdmin, "");
    auto revoked_record = s.FindTokenByHash(Sha256Hex(revoked_));
    ASSERT_TRUE(revoked_record);
    ASSERT_TRUE(s.RevokeToken(revoked_record->id, Now()));

    context_ = ServerContext{
        pool_.get(), &TestCatalog(), [this] { return now_; }, &cache_, &metrics_, {}, &auth_cache_};
    router_ = MakeApiRouter();
    server_ = std::make_unique<ApiServer>(router_, context_, ServerOptions{});
  }

  void TearDown() override {
    server_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  static store::Timestamp Now() { return store::Timestamp(std::chrono::seconds(kNow + 3600)); }

  std::string Issue(store::Store& s, Role role, const std::string& tenant) {
    auto t = IssueToken(s, {role, tenant, std::nullopt, "test"}, Now());
    EXPECT_TRUE(t) << t.error().ToString();
    return t ? t->token : std::string();
  }

  HttpResponse Call(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body = "",
                    std::multimap<std::string, std::string> query = {},
                    std::map<std::string, std::string> headers = {}) {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.body = body;
    r.headers.emplace("Host", "127.0.0.1:8080");
    if (!token.empty()) r.headers.emplace("Authorization", "Bearer " + token);
    for (auto& [k, v] : headers) r.headers.emplace(k, v);
    HttpResponse out = server_->Handle(r);
    if (out.shared_body) out.body = *out.shared_body;  // tests read .body
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<StorePool> pool_;
  store::Timestamp now_ = Now();
  ScoreCache cache_;
  AuthCache auth_cache_;
  Metrics metrics_;
  ServerContext context_;
  Router router_;
  std::unique_ptr<ApiServer> server_;
  std::map<Role, std::string> scoped_;  // scoped to t-alpha
  std::map<Role, std::string> fleet_;   // every tenant
  std::string expired_;
  std::string revoked_;
};

}  // namespace securescore::server::testing
