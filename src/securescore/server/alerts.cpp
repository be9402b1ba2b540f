#include "securescore/server/alerts.h"

#include <httplib.h>

#include <cmath>

#include "securescore/catalog/json_writer.h"
#include "securescore/server/auth.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::server {

Result<std::vector<AlertEvent>> EvaluateRules(store::Store& store, const catalog::Catalog& catalog,
                                              const std::vector<store::AlertRule>& rules,
                                              const std::string& tenant_id, store::Timestamp now) {
  std::vector<AlertEvent> events;
  std::vector<const store::AlertRule*> applicable;
  for (const store::AlertRule& r : rules) {
    if (r.tenant_id.empty() || r.tenant_id == tenant_id) applicable.push_back(&r);
  }
  if (applicable.empty()) return events;
  Result<service::ScoreView> view = service::CurrentScore(store, catalog, tenant_id, now);
  if (!view) {
    if (view.error().code == ErrorCode::kNotFound) return events;  // nothing evaluated yet
    return view.error();
  }
  const std::string eval = std::to_string(view->evaluation.id);
  const double pct = view->score.percentage;
  for (const store::AlertRule* r : applicable) {
    auto fire = [&](std::string key, std::string message) {
      events.push_back(AlertEvent{*r, tenant_id, std::move(key), std::move(message), pct});
    };
    if (r->kind == "score_below" && pct < r->threshold) {
      fire("score_below:" + eval + ":" + std::to_string(std::llround(pct * 100)),
           "score " + std::to_string(core::Round2(pct)) + " % is below " +
               std::to_string(r->threshold) + " %");
    } else if (r->kind == "drop") {
      Result<std::vector<store::EvaluationSummary>> evals = store.ListEvaluations(tenant_id, {});
      if (!evals) return evals.error();
      if (evals->size() >= 2) {
        const auto& prev = (*evals)[evals->size() - 2];
        const auto& last = evals->back();
        if (prev.current - last.current >= r->threshold && r->threshold > 0) {
          fire("drop:" + std::to_string(last.id),
               "score dropped " + std::to_string(prev.current - last.current) + " points");
        }
      }
    } else if (r->kind == "regression") {
      for (const service::ControlView& c : view->controls) {
        if (c.regressed)
          fire("regression:" + eval + ":" + c.evaluated.id,
               "control " + c.evaluated.id + " regressed");
      }
    } else if (r->kind == "state_expiring") {
      const store::Timestamp horizon =
          now + std::chrono::seconds(static_cast<std::int64_t>(r->threshold * 86400));
      for (const service::ControlView& c : view->controls) {
        if (c.state && c.state->expires_at && *c.state->expires_at <= horizon) {
          fire("state_expiring:" + c.evaluated.id + ":" +
                   service::FormatTimestamp(*c.state->expires_at),
               "state " + std::string(core::ToString(c.state->state)) + " of " + c.evaluated.id +
                   " expires " + service::FormatTimestamp(*c.state->expires_at));
        }
      }
    }
  }
  return events;
}

WebhookPost HttpWebhookPost(std::chrono::seconds timeout) {
  return [timeout](const std::string& url, const std::string& body,
                   const std::vector<std::pair<std::string, std::string>>& headers) -> Result<int> {
    // "http://host:port/path" → client for the origin, request for the path.
    const std::size_t scheme = url.find("://");
    if (scheme == std::string::npos || url.compare(0, scheme, "http") != 0) {
      return InvalidInput("a webhook url must be http:// or https://", url);
    }
    const std::size_t path_at = url.find('/', scheme + 3);
    const std::string origin = url.substr(0, path_at);
    const std::string path = path_at == std::string::npos ? "/" : url.substr(path_at);
    httplib::Client client(origin);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    httplib::Headers h;
    for (const auto& [k, v] : headers) h.emplace(k, v);
    httplib::Result res = client.Post(path, h, body, "application/json");
    if (!res) {
      return Error{ErrorCode::kUnavailable, httplib::to_string(res.error()), url};
    }
    return res->status;
  };
}

Status Deliver(store::Store& store, const AlertEvent& event, const WebhookPost& post,
               const DeliveryPolicy& policy, store::Timestamp now) {
  Result<bool> done = store.WasDelivered(event.rule.id, event.event_key);
  if (!done) return done.error();
  if (*done) return OkStatus();
  catalog::JsonWriter w;
  w.BeginObject().Key("rule").Int(event.rule.id).Key("kind").String(event.rule.kind);
  w.Key("tenant").String(event.tenant_id).Key("event").String(event.event_key);
  w.Key("message").String(event.message).Key("percentage").Number(event.percentage);
  w.Key("at").String(service::FormatTimestamp(now)).EndObject();
  const std::string body = w.str();
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Securescore-Signature", "sha256=" + HmacSha256Hex(event.rule.secret, body)},
      {"X-Securescore-Event", event.rule.kind}};
  std::chrono::milliseconds backoff = policy.first_backoff;
  for (int attempt = 1; attempt <= policy.max_attempts; ++attempt) {
    Result<int> status = post(event.rule.url, body, headers);
    store::AlertDelivery d{
        0, event.rule.id, event.tenant_id, event.event_key, attempt, 0, "", false, body, now};
    if (status) {
      d.http_status = *status;
      d.delivered = *status >= 200 && *status < 300;
      if (!d.delivered) d.error = "HTTP " + std::to_string(*status);
    } else {
      d.error = status.error().message;
    }
    Result<std::int64_t> recorded = store.RecordDelivery(d);
    if (!recorded) return recorded.error();
    if (d.delivered) return OkStatus();
    if (attempt < policy.max_attempts) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
  }
  return Error{ErrorCode::kUnavailable,
               "webhook for rule " + std::to_string(event.rule.id) + " not delivered after " +
                   std::to_string(policy.max_attempts) + " attempts",
               event.rule.url};
}

Status CheckAlerts(store::Store& store, const catalog::Catalog& catalog, const std::string& tenant,
                   const WebhookPost& post, const DeliveryPolicy& policy, store::Timestamp now) {
  Result<std::vector<store::AlertRule>> rules = store.ListAlertRules();
  if (!rules) return rules.error();
  if (rules->empty()) return OkStatus();
  std::vector<std::string> tenants;
  if (tenant.empty()) {
    Result<std::vector<store::Tenant>> all = store.ListTenants();
    if (!all) return all.error();
    for (const store::Tenant& t : *all) tenants.push_back(t.id);
  } else {
    tenants.push_back(tenant);
  }
  Status result;
  for (const std::string& t : tenants) {
    Result<std::vector<AlertEvent>> events = EvaluateRules(store, catalog, *rules, t, now);
    if (!events) return events.error();
    for (const AlertEvent& e : *events) {
      Status s = Deliver(store, e, post, policy, now);
      if (!s && result) result = s;  // keep going: one dead receiver must not block others
    }
  }
  return result;
}

AlertWorker::AlertWorker(StorePool& stores, const catalog::Catalog& catalog, Clock now,
                         WebhookPost post, DeliveryPolicy policy, std::chrono::seconds period)
    : stores_(stores),
      catalog_(catalog),
      now_(std::move(now)),
      post_(std::move(post)),
      policy_(policy),
      period_(period),
      thread_([this] { Loop(); }) {}

AlertWorker::~AlertWorker() { Stop(); }

void AlertWorker::Notify(std::string_view tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.insert(std::string(tenant_id));
  cv_.notify_one();
}

void AlertWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void AlertWorker::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const bool woken =
        cv_.wait_for(lock, period_, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) break;
    std::set<std::string> work;
    if (woken) {
      work.swap(pending_);
    } else {
      work.insert("");  // the periodic check of every tenant
    }
    lock.unlock();
    Result<StorePool::Lease> store = stores_.Acquire();
    if (store) {
      for (const std::string& t : work.count("") ? std::set<std::string>{""} : work) {
        (void)CheckAlerts(**store, catalog_, t, post_, policy_, now_());
      }
    }
    lock.lock();
  }
}

}  // namespace securescore::server
