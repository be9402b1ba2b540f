#include "securescore/store/sql_access.h"

#include <chrono>
#include <string>

#include "securescore/store/sql/time_values.h"

namespace securescore::store::sql_access {
namespace {

using sql::AsDouble;
using sql::AsInt;
using sql::AsText;
using sql::Optional;
using sql::Row;
using sql::Seconds;
using sql::ToOptional;
using sql::ToTimestamp;
using sql::Value;
using Params = std::vector<Value>;

constexpr std::string_view kTokenColumns =
    "id, name, role, tenant_id, secret_hash, created_at, expires_at, revoked_at";
constexpr std::string_view kRuleColumns =
    "id, tenant_id, kind, threshold, url, secret, created_by, created_at";
constexpr std::string_view kDeliveryColumns =
    "id, rule_id, tenant_id, event_key, attempt, http_status, error, delivered, payload, at";

AccessToken TokenFrom(const Row& r) {
  return AccessToken{AsText(r[0]), AsText(r[1]),      AsText(r[2]),     AsText(r[3]),
                     AsText(r[4]), ToTimestamp(r[5]), ToOptional(r[6]), ToOptional(r[7])};
}

bool ValidRole(std::string_view role) {
  return role == "reader" || role == "operator" || role == "admin";
}

bool ValidRuleKind(std::string_view kind) {
  return kind == "score_below" || kind == "drop" || kind == "regression" ||
         kind == "state_expiring";
}

}  // namespace

Status InsertToken(sql::Connection& db, const AccessToken& t) {
  if (t.id.empty()) return InvalidInput("a token needs an id", "token.id");
  if (!ValidRole(t.role)) {
    return InvalidInput("role must be reader, operator or admin, not '" + t.role + "'",
                        "token.role");
  }
  if (t.secret_hash.size() != 64) {
    return InvalidInput("a token's hash must be 64 hex digits (SHA-256)", "token.secret_hash");
  }
  Result<std::vector<Row>> r = db.Query(
      "INSERT INTO api_tokens (" + std::string(kTokenColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      Params{t.id, t.name, t.role, t.tenant_id, t.secret_hash, Seconds(t.created_at),
             Optional(t.expires_at), Optional(t.revoked_at)});
  if (!r) return r.error();
  return OkStatus();
}

Result<AccessToken> FindTokenByHash(sql::Connection& db, std::string_view secret_hash) {
  Result<std::vector<Row>> rows =
      db.Query("SELECT " + std::string(kTokenColumns) + " FROM api_tokens WHERE secret_hash = ?",
               Params{std::string(secret_hash)});
  if (!rows) return rows.error();
  if (rows->empty()) return Error{ErrorCode::kNotFound, "no such token", ""};
  return TokenFrom(rows->front());
}

Result<std::vector<AccessToken>> ListTokens(sql::Connection& db) {
  Result<std::vector<Row>> rows = db.Query(
      "SELECT " + std::string(kTokenColumns) + " FROM api_tokens ORDER BY created_at, id", {});
  if (!rows) return rows.error();
  std::vector<AccessToken> out;
  for (const Row& r : *rows) out.push_back(TokenFrom(r));
  return out;
}

Status RevokeToken(sql::Connection& db, std::string_view token_id, Timestamp at) {
  Result<std::vector<Row>> rows = db.Query(
      "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? "
      "RETURNING id",
      Params{Seconds(at), std::string(token_id)});
  if (!rows) return rows.error();
  if (rows->empty()) {
    return Error{ErrorCode::kNotFound, "no token " + std::string(token_id), "token.id"};
  }
  return OkStatus();
}

Result<std::int64_t> AddAlertRule(sql::Connection& db, const AlertRule& rule) {
  if (!ValidRuleKind(rule.kind)) {
    return InvalidInput(
        "kind must be score_below, drop, regression or state_expiring, not '" + rule.kind + "'",
        "rule.kind");
  }
  if (rule.url.rfind("http://", 0) != 0 && rule.url.rfind("https://", 0) != 0) {
    return InvalidInput("a webhook url must start with http:// or https://", "rule.url");
  }
  Result<std::vector<Row>> r = db.Query(
      "INSERT INTO alert_rules (tenant_id, kind, threshold, url, secret, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      Params{rule.tenant_id, rule.kind, rule.threshold, rule.url, rule.secret, rule.created_by,
             Seconds(rule.created_at)});
  if (!r) return r.error();
  return AsInt(r->front()[0]);
}

Result<std::vector<AlertRule>> ListAlertRules(sql::Connection& db) {
  Result<std::vector<Row>> rows =
      db.Query("SELECT " + std::string(kRuleColumns) + " FROM alert_rules ORDER BY id", {});
  if (!rows) return rows.error();
  std::vector<AlertRule> out;
  for (const Row& r : *rows) {
    out.push_back(AlertRule{AsInt(r[0]), AsText(r[1]), AsText(r[2]), AsDouble(r[3]), AsText(r[4]),
                            AsText(r[5]), AsText(r[6]), ToTimestamp(r[7])});
  }
  return out;
}

Status RemoveAlertRule(sql::Connection& db, std::int64_t rule_id) {
  Result<std::vector<Row>> rows =
      db.Query("DELETE FROM alert_rules WHERE id = ? RETURNING id", Params{rule_id});
  if (!rows) return rows.error();
  if (rows->empty()) {
    return Error{ErrorCode::kNotFound, "no alert rule " + std::to_string(rule_id), "rule.id"};
  }
  return OkStatus();
}

Result<std::int64_t> RecordDelivery(sql::Connection& db, const AlertDelivery& d) {
  Result<std::vector<Row>> r = db.Query(
      "INSERT INTO alert_deliveries (rule_id, tenant_id, event_key, attempt, http_status, error, "
      "delivered, payload, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      Params{d.rule_id, d.tenant_id, d.event_key, d.attempt, d.http_status, d.error,
             std::int64_t{d.delivered ? 1 : 0}, d.payload, Seconds(d.at)});
  if (!r) return r.error();
  return AsInt(r->front()[0]);
}

Result<std::vector<AlertDelivery>> ListDeliveries(sql::Connection& db, std::int64_t limit) {
  Result<std::vector<Row>> rows = db.Query(
      "SELECT " + std::string(kDeliveryColumns) + " FROM alert_deliveries ORDER BY id DESC LIMIT ?",
      Params{limit});
  if (!rows) return rows.error();
  std::vector<AlertDelivery> out;
  for (const Row& r : *rows) {
    out.push_back(AlertDelivery{AsInt(r[0]), AsInt(r[1]), AsText(r[2]), AsText(r[3]), AsInt(r[4]),
                                AsInt(r[5]), AsText(r[6]), AsInt(r[7]) != 0, AsText(r[8]),
                                ToTimestamp(r[9])});
  }
  return out;
}

Result<bool> WasDelivered(sql::Connection& db, std::int64_t rule_id, std::string_view event_key) {
  Result<std::vector<Row>> rows = db.Query(
      "SELECT COUNT(*) FROM alert_deliveries WHERE rule_id = ? AND event_key = ? AND delivered = 1",
      Params{rule_id, std::string(event_key)});
  if (!rows) return rows.error();
  return AsInt(rows->front()[0]) > 0;
}

}  // namespace securescore::store::sql_access
