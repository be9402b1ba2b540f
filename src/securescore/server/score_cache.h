// The current score per tenant, computed once and served many times: the ScoreView and its
// serialized JSON, dropped when a state, exception, goal or evaluation of the tenant changes
// (Invalidate) and after a short lifetime, so that a state expiring on its own or a change
// made by another process sharing the database shows within kMaxAge.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/service/score_view.h"

namespace securescore::server {

struct CachedScore {
  service::ScoreView view;
  std::vector<store::Goal> goals;
  std::optional<store::ScoreZones> zones;
  // GET …/score body (entity counts, not lists), shared with responses being sent.
  std::shared_ptr<const std::string> json;
  store::Timestamp computed_at;
};

class ScoreCache {
 public:
  static constexpr std::chrono::seconds kMaxAge{30};

  using Compute = std::function<Result<std::shared_ptr<const CachedScore>>()>;

  // The cached score of `tenant_id`, or `compute()`'s result (kept unless an invalidation of
  // the tenant happened while it was computed).
  Result<std::shared_ptr<const CachedScore>> Get(std::string_view tenant_id, store::Timestamp now,
                                                 const Compute& compute);
  void Invalidate(std::string_view tenant_id);
  void InvalidateAll();

 private:
  struct Entry {
    std::shared_ptr<const CachedScore> score;
    std::uint64_t generation = 0;
  };
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::uint64_t all_generation_ = 0;
};

}  // namespace securescore::server
