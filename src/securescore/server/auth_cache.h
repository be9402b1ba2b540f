// What every request asks the store before its handler runs (is this token valid, does this
// tenant exist), remembered for a few seconds, so that a cached score is served without a
// query. Changes made through this server clear it at once; changes made by another process
// sharing the database (a token revoked with `securescore token revoke`, a tenant removed)
// show within kMaxAge. Expiry is checked against the remembered record on every request.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

#include "securescore/base/result.h"
#include "securescore/server/auth.h"
#include "securescore/store/store.h"

namespace securescore::server {

class AuthCache {
 public:
  static constexpr std::chrono::seconds kMaxAge{5};
  // Beyond this many remembered tokens or tenants the cache starts over, so that a flood of
  // distinct names cannot grow it without bound.
  static constexpr std::size_t kMaxEntries = 10000;

  // As server::Authenticate, answering from memory when the token was looked up lately.
  std::variant<Principal, AuthError> Authenticate(store::Store& store,
                                                  std::string_view authorization,
                                                  store::Timestamp now);
  // Whether the tenant exists (kNotFound is an answer, not an error; other store errors are).
  Result<bool> TenantExists(store::Store& store, const std::string& tenant_id,
                            store::Timestamp now);

  // Forget everything: after a token is revoked or a tenant removed through this server.
  void Clear();

 private:
  struct Token {
    store::AccessToken record;
    store::Timestamp fetched_at;
  };
  std::mutex mu_;
  std::map<std::string, Token, std::less<>> tokens_;              // by token hash
  std::map<std::string, store::Timestamp, std::less<>> tenants_;  // existing, when seen
};

}  // namespace securescore::server
