#include "securescore/server/score_cache.h"

namespace securescore::server {

Result<std::shared_ptr<const CachedScore>> ScoreCache::Get(std::string_view tenant_id,
                                                           store::Timestamp now,
                                                           const Compute& compute) {
  std::uint64_t generation = 0;
  std::uint64_t all_generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry& e = entries_[std::string(tenant_id)];
    if (e.score && now - e.score->computed_at < kMaxAge) return e.score;
    generation = e.generation;
    all_generation = all_generation_;
  }
  Result<std::shared_ptr<const CachedScore>> fresh = compute();
  if (!fresh) return fresh;
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[std::string(tenant_id)];
  // Keep it only if nothing changed the tenant meanwhile; else the next request recomputes.
  if (e.generation == generation && all_generation_ == all_generation) e.score = *fresh;
  return fresh;
}

void ScoreCache::Invalidate(std::string_view tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[std::string(tenant_id)];
  e.score.reset();
  ++e.generation;
}

void ScoreCache::InvalidateAll() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, e] : entries_) {
    e.score.reset();
    ++e.generation;
  }
  ++all_generation_;
}

}  // namespace securescore::server
