#include "securescore/server/alerts.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>

#include "securescore/catalog/json_writer.h"
#include "securescore/server/auth.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::server {
namespace {

// The kinds of rule there are, and what `threshold` means for each.
struct AlertKind {
  std::string_view name;
  std::string_view threshold;
};
constexpr AlertKind kKinds[] = {
    {"score_below", "a percentage from 0 to 100"},
    {"drop", "the points lost since the previous evaluation, more than 0"},
    {"regression", "not used (any number)"},
    {"state_expiring", "days before the expiry, 0 or more"},
};

// The tenant's evaluations up to and including `evaluation_id`, oldest first.
Result<std::vector<store::EvaluationSummary>> HistoryUpTo(store::Store& store,
                                                          const std::string& tenant_id,
                                                          std::int64_t evaluation_id) {
  Result<std::vector<store::EvaluationSummary>> all = store.ListEvaluations(tenant_id, {});
  if (!all) return all.error();
  auto it = std::find_if(all->begin(), all->end(),
                         [&](const store::EvaluationSummary& e) { return e.id == evaluation_id; });
  if (it != all->end()) all->erase(it + 1, all->end());
  return all;
}

// The first evaluation of the run, ending with the latest, whose scores were all below
// `threshold`. A score_below rule fires once per run, so a score that stays low over many
// evaluations alerts once, and again only after it recovered and fell again.
std::int64_t BelowSince(const std::vector<store::EvaluationSummary>& history,
                        std::int64_t latest_id, double threshold) {
  std::int64_t since = latest_id;
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->id == latest_id) continue;  // scored now, with today's states, by the caller
    if (it->percentage >= threshold) break;
    since = it->id;
  }
  return since;
}

}  // namespace

Status ValidateAlertRule(const store::AlertRule& rule) {
  const auto known = std::find_if(std::begin(kKinds), std::end(kKinds),
                                  [&](const AlertKind& k) { return k.name == rule.kind; });
  if (known == std::end(kKinds)) {
    std::string names;
    for (const AlertKind& k : kKinds) names += (names.empty() ? "" : ", ") + std::string(k.name);
    return InvalidInput("unknown alert kind '" + rule.kind + "': expected " + names, "/kind");
  }
  const double t = rule.threshold;
  const bool ok = rule.kind == "score_below"      ? t >= 0 && t <= 100
                  : rule.kind == "drop"           ? t > 0
                  : rule.kind == "state_expiring" ? t >= 0
                                                  : true;
  if (!ok || !std::isfinite(t)) {
    return InvalidInput(
        "the threshold of a " + rule.kind + " rule is " + std::string(known->threshold),
        "/threshold");
  }
  if (rule.url.rfind("http://", 0) != 0 && rule.url.rfind("https://", 0) != 0) {
    return InvalidInput("a webhook url must start with http:// or https://", "/url");
  }
  return OkStatus();
}

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
  const std::int64_t eval_id = view->evaluation.id;
  const double pct = view->score.percentage;
  std::optional<std::vector<store::EvaluationSummary>> history;  // read once, when needed
  auto load_history = [&]() -> Status {
    if (history) return OkStatus();
    Result<std::vector<store::EvaluationSummary>> h = HistoryUpTo(store, tenant_id, eval_id);
    if (!h) return h.error();
    history = std::move(*h);
    return OkStatus();
  };
  for (const store::AlertRule* r : applicable) {
    // Keys name the tenant: a fleet-wide rule's events for two tenants are two events.
    const std::string prefix = r->kind + ":" + tenant_id + ":";
    auto fire = [&](const std::string& key, std::string message) -> AlertEvent& {
      return events.emplace_back(AlertEvent{*r, tenant_id, prefix + key, std::move(message), pct,
                                            eval_id, "", std::nullopt, std::nullopt, std::nullopt});
    };
    if (r->kind == "score_below" && pct < r->threshold) {
      if (Status s = load_history(); !s) return s.error();
      fire(std::to_string(BelowSince(*history, eval_id, r->threshold)),
           fmt::format("score {:.2f} % is below {:g} %", pct, r->threshold));
    } else if (r->kind == "drop" && r->threshold > 0) {
      if (Status s = load_history(); !s) return s.error();
      if (history->size() < 2) continue;
      const store::EvaluationSummary& prev = (*history)[history->size() - 2];
      const store::EvaluationSummary& last = history->back();
      if (prev.current - last.current >= r->threshold) {
        AlertEvent& e = fire(std::to_string(last.id),
                             fmt::format("score dropped {:.2f} points (from {:.2f} to {:.2f})",
                                         prev.current - last.current, prev.current, last.current));
        e.previous_points = prev.current;
        e.current_points = last.current;
      }
    } else if (r->kind == "regression") {
      for (const service::ControlView& c : view->controls) {
        if (!c.regressed) continue;
        fire(std::to_string(eval_id) + ":" + c.evaluated.id,
             "control " + c.evaluated.id + " regressed")
            .control_id = c.evaluated.id;
      }
    } else if (r->kind == "state_expiring") {
      const store::Timestamp horizon =
          now + std::chrono::seconds(static_cast<std::int64_t>(r->threshold * 86400));
      for (const service::ControlView& c : view->controls) {
        if (!c.state || !c.state->expires_at || *c.state->expires_at > horizon) continue;
        const std::string expiry = service::FormatTimestamp(*c.state->expires_at);
        AlertEvent& e = fire(c.evaluated.id + ":" + expiry,
                             "state " + std::string(core::ToString(c.state->state)) + " of " +
                                 c.evaluated.id + " expires " + expiry);
        e.control_id = c.evaluated.id;
        e.expires_at = c.state->expires_at;
      }
    }
  }
  return events;
}

std::string AlertPayload(const AlertEvent& event, store::Timestamp now) {
  catalog::JsonWriter w;
  w.BeginObject().Key("rule").Int(event.rule.id).Key("kind").String(event.rule.kind);
  w.Key("tenant").String(event.tenant_id).Key("event").String(event.event_key);
  w.Key("message").String(event.message).Key("percentage").Number(event.percentage);
  w.Key("evaluation").Int(event.evaluation_id);
  if (!event.control_id.empty()) w.Key("control").String(event.control_id);
  if (event.expires_at) w.Key("expiresAt").String(service::FormatTimestamp(*event.expires_at));
  if (event.previous_points) w.Key("previousPoints").Number(*event.previous_points);
  if (event.current_points) w.Key("currentPoints").Number(*event.current_points);
  w.Key("at").String(service::FormatTimestamp(now)).EndObject();
  return w.str();
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
  const std::string body = AlertPayload(event, now);
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
    if (attempt == policy.max_attempts) break;
    if (policy.wait && !policy.wait(backoff)) {
      return Error{ErrorCode::kUnavailable,
                   "webhook for rule " + std::to_string(event.rule.id) +
                       " not delivered: stopped after attempt " + std::to_string(attempt),
                   event.rule.url};
    }
    if (!policy.wait) std::this_thread::sleep_for(backoff);
    backoff *= 2;
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
      policy_(std::move(policy)),
      period_(period) {
  if (!policy_.wait) {
    policy_.wait = [this](std::chrono::milliseconds backoff) { return WaitBackoff(backoff); };
  }
  thread_ = std::thread([this] { Loop(); });
}

AlertWorker::~AlertWorker() { Stop(); }

void AlertWorker::Notify(std::string_view tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.insert(std::string(tenant_id));
  ++requested_;
  cv_.notify_all();
}

void AlertWorker::WaitUntilIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  const std::uint64_t target = requested_;
  idle_cv_.wait(lock, [&] { return stopping_ || checked_ >= target; });
}

void AlertWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
    idle_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool AlertWorker::WaitBackoff(std::chrono::milliseconds backoff) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, backoff, [this] { return stopping_; });
}

void AlertWorker::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  // A deadline rather than the wait's timeout, so that a stream of notifications cannot put
  // off the periodic check of every tenant (which is what notices states about to expire).
  auto next_sweep = std::chrono::steady_clock::now() + period_;
  while (!stopping_) {
    cv_.wait_until(lock, next_sweep, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) break;
    std::set<std::string> work;
    work.swap(pending_);
    const std::uint64_t covered = requested_;
    if (std::chrono::steady_clock::now() >= next_sweep) {
      work.insert("");
      next_sweep = std::chrono::steady_clock::now() + period_;
    }
    if (work.count("") != 0) work = {""};  // every tenant covers the ones named
    lock.unlock();
    Result<StorePool::Lease> store = stores_.Acquire();
    if (store) {
      for (const std::string& t : work) {
        (void)CheckAlerts(**store, catalog_, t, post_, policy_, now_());
      }
    }
    lock.lock();
    checked_ = covered;
    idle_cv_.notify_all();
  }
}

}  // namespace securescore::server
