// What the server's access control and alerting keep in the store: API tokens (only their
// SHA-256, never the secret), alert rules, and one record per webhook delivery attempt.
// Plain records exchanged with a Store (store.h), like records.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "securescore/store/records.h"

namespace securescore::store {

// A bearer token. `secret_hash` is the hex SHA-256 of the whole token text; the token itself
// is shown once, when created, and never stored.
struct AccessToken {
  std::string id;         // public, short: what logs and `token list` show
  std::string name;       // a person's label
  std::string role;       // "reader", "operator" or "admin"
  std::string tenant_id;  // empty: every tenant
  std::string secret_hash;
  Timestamp created_at;
  std::optional<Timestamp> expires_at;
  std::optional<Timestamp> revoked_at;
};

// An alert rule: when `kind` fires for a tenant in scope, POST a signed JSON to `url`.
struct AlertRule {
  std::int64_t id = 0;    // assigned by the store
  std::string tenant_id;  // empty: fleet-wide
  // "score_below" (threshold = percentage), "drop" (threshold = points lost since the previous
  // evaluation), "regression" (any control regressed), "state_expiring" (threshold = days).
  std::string kind;
  double threshold = 0;
  std::string url;
  std::string secret;  // HMAC-SHA256 key for X-Securescore-Signature
  std::string created_by;
  Timestamp created_at;
};

// One attempt to deliver one alert.
struct AlertDelivery {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t rule_id = 0;
  std::string tenant_id;
  std::string event_key;  // what fired, so the same event is not delivered twice
  std::int64_t attempt = 1;
  std::int64_t http_status = 0;  // 0: no response
  std::string error;
  bool delivered = false;
  std::string payload;
  Timestamp at;
};

}  // namespace securescore::store
