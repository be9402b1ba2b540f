#include "securescore/server/auth_cache.h"

namespace securescore::server {

std::variant<Principal, AuthError> AuthCache::Authenticate(store::Store& store,
                                                           std::string_view authorization,
                                                           store::Timestamp now) {
  std::variant<std::string, AuthError> hash = TokenHashOf(authorization);
  if (AuthError* e = std::get_if<AuthError>(&hash)) return std::move(*e);
  const std::string& key = std::get<std::string>(hash);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tokens_.find(key);
    if (it != tokens_.end() && now - it->second.fetched_at < kMaxAge) {
      return Verdict(it->second.record, now);
    }
  }
  // Unknown tokens are not remembered: a guess must not take a slot from a real token.
  Result<store::AccessToken> record = store.FindTokenByHash(key);
  if (record) {
    std::lock_guard<std::mutex> lock(mu_);
    if (tokens_.size() >= kMaxEntries) tokens_.clear();
    tokens_[key] = Token{*record, now};
  }
  return Verdict(record, now);
}

Result<bool> AuthCache::TenantExists(store::Store& store, const std::string& tenant_id,
                                     store::Timestamp now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tenants_.find(tenant_id);
    if (it != tenants_.end() && now - it->second < kMaxAge) return true;
  }
  Result<store::Tenant> tenant = store.GetTenant(tenant_id);
  if (!tenant) {
    if (tenant.error().code == ErrorCode::kNotFound) return false;
    return tenant.error();
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (tenants_.size() >= kMaxEntries) tenants_.clear();
  tenants_[tenant_id] = now;
  return true;
}

void AuthCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_.clear();
  tenants_.clear();
}

}  // namespace securescore::server
