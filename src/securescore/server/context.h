// What every route needs: a store connection for this request (StorePool: one Store per
// concurrent request, since a Store is one connection), the catalog, the clock, the score
// cache, the metrics and the hook that tells alerting something changed.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/catalog.h"
#include "securescore/server/score_cache.h"
#include "securescore/store/store.h"

namespace securescore::server {

class Metrics;
class AuthCache;

// Stores opened from one URL, lent to one request at a time and kept for the next.
class StorePool {
 public:
  explicit StorePool(std::string url) : url_(std::move(url)) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<store::Store> store)
        : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    store::Store& operator*() { return *store_; }
    store::Store* operator->() { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<store::Store> store_;
  };

  Result<Lease> Acquire();
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<store::Store>> idle_;
};

using Clock = std::function<store::Timestamp()>;

// Called after something that can fire an alert happened to a tenant ("" for every tenant).
using ChangeListener = std::function<void(std::string_view tenant_id)>;

struct ServerContext {
  StorePool* stores = nullptr;
  const catalog::Catalog* catalog = nullptr;
  Clock now;
  ScoreCache* scores = nullptr;
  Metrics* metrics = nullptr;  // may be null in tests
  ChangeListener changed;      // may be empty
  AuthCache* auth = nullptr;   // null: every request asks the store about its token and tenant
};

// Whole seconds of the system clock: what `serve` passes as ServerContext::now.
store::Timestamp SystemNow();

}  // namespace securescore::server
