// Alerts: rules per tenant or fleet-wide (score below a threshold, a drop of N points since
// the previous evaluation, any regressed control, a state expiring within N days), checked
// after each stored evaluation or state change and periodically, and delivered as JSON
// webhooks signed with HMAC-SHA256 (`X-Securescore-Signature: sha256=<hex>` over the body).
// Failed deliveries are retried with exponential backoff; every attempt is recorded in the
// store, and an event already delivered to a rule is not delivered again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/catalog.h"
#include "securescore/server/context.h"
#include "securescore/store/store.h"

namespace securescore::server {

// One alert that fired: which rule, for which tenant, and a key that names the event so it is
// delivered once.
struct AlertEvent {
  store::AlertRule rule;
  std::string tenant_id;
  std::string event_key;
  std::string message;
  double percentage = 0;
};

// The events `rules` raise for `tenant_id` now (pure over the store's data).
Result<std::vector<AlertEvent>> EvaluateRules(store::Store& store, const catalog::Catalog& catalog,
                                              const std::vector<store::AlertRule>& rules,
                                              const std::string& tenant_id, store::Timestamp now);

// Posts `body` to `url` with `headers`; returns the HTTP status (an Error when no response).
using WebhookPost =
    std::function<Result<int>(const std::string& url, const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers)>;

WebhookPost HttpWebhookPost(std::chrono::seconds timeout);

struct DeliveryPolicy {
  int max_attempts = 4;
  std::chrono::milliseconds first_backoff{500};  // doubled after each failed attempt
};

// Delivers one event (skipping it when already delivered), recording every attempt.
Status Deliver(store::Store& store, const AlertEvent& event, const WebhookPost& post,
               const DeliveryPolicy& policy, store::Timestamp now);

// Checks and delivers for one tenant ("" = every tenant).
Status CheckAlerts(store::Store& store, const catalog::Catalog& catalog, const std::string& tenant,
                   const WebhookPost& post, const DeliveryPolicy& policy, store::Timestamp now);

// Runs CheckAlerts on a background thread: for tenants named by Notify, and for every tenant
// each `period`. Stop() (or the destructor) finishes the current check and joins.
class AlertWorker {
 public:
  AlertWorker(StorePool& stores, const catalog::Catalog& catalog, Clock now, WebhookPost post,
              DeliveryPolicy policy, std::chrono::seconds period);
  ~AlertWorker();
  void Notify(std::string_view tenant_id);
  void Stop();

 private:
  void Loop();

  StorePool& stores_;
  const catalog::Catalog& catalog_;
  Clock now_;
  WebhookPost post_;
  DeliveryPolicy policy_;
  std::chrono::seconds period_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace securescore::server
