// Alerts: rules per tenant or fleet-wide (score below a threshold, a drop of N points since
// the previous evaluation, any regressed control, a state expiring within N days), checked
// after each stored evaluation or state change and periodically, and delivered as JSON
// webhooks signed with HMAC-SHA256 (`X-Securescore-Signature: sha256=<hex>` over the body).
// Failed deliveries are retried with exponential backoff; every attempt is recorded in the
// store, and an event already delivered to a rule is not delivered again. Each event is named
// by a key that includes its tenant, so a fleet-wide rule alerts once per tenant and condition.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
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
// delivered once. The optional fields are those of the rule's kind.
struct AlertEvent {
  store::AlertRule rule;
  std::string tenant_id;
  std::string event_key;
  std::string message;
  double percentage = 0;                       // the tenant's score now
  std::int64_t evaluation_id = 0;              // the evaluation the score comes from
  std::string control_id;                      // regression, state_expiring
  std::optional<store::Timestamp> expires_at;  // state_expiring
  std::optional<double> previous_points;       // drop: the evaluation before
  std::optional<double> current_points;        // drop: the latest evaluation
};

// Checks a rule before it is stored: a known kind, a threshold that makes sense for it and an
// http(s) URL. The error's `where` is the JSON pointer of the field.
Status ValidateAlertRule(const store::AlertRule& rule);

// The JSON body posted for `event` (what the signature covers).
std::string AlertPayload(const AlertEvent& event, store::Timestamp now);

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
  // Waits out one backoff and says whether to try again; empty means sleeping. Passed in so
  // tests see the backoffs without waiting, and so a stopping worker can cut them short.
  std::function<bool(std::chrono::milliseconds)> wait;
};

// Delivers one event (skipping it when already delivered), recording every attempt.
Status Deliver(store::Store& store, const AlertEvent& event, const WebhookPost& post,
               const DeliveryPolicy& policy, store::Timestamp now);

// Checks and delivers for one tenant ("" = every tenant).
Status CheckAlerts(store::Store& store, const catalog::Catalog& catalog, const std::string& tenant,
                   const WebhookPost& post, const DeliveryPolicy& policy, store::Timestamp now);

// Runs CheckAlerts on a background thread: for tenants named by Notify ("" = every tenant), and
// for every tenant each `period` however often Notify is called. Stop() (or the destructor)
// cuts retry backoffs short, finishes the current check and joins.
class AlertWorker {
 public:
  AlertWorker(StorePool& stores, const catalog::Catalog& catalog, Clock now, WebhookPost post,
              DeliveryPolicy policy, std::chrono::seconds period);
  ~AlertWorker();
  void Notify(std::string_view tenant_id);
  // Blocks until every check asked for by Notify before this call has run (or Stop was called).
  void WaitUntilIdle();
  void Stop();

 private:
  void Loop();
  bool WaitBackoff(std::chrono::milliseconds backoff);

  StorePool& stores_;
  const catalog::Catalog& catalog_;
  Clock now_;
  WebhookPost post_;
  DeliveryPolicy policy_;
  std::chrono::seconds period_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::set<std::string> pending_;
  std::uint64_t requested_ = 0;  // Notify calls so far
  std::uint64_t checked_ = 0;    // of those, how many have been checked
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace securescore::server
