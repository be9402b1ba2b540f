// The SQL behind the Store's token and alert methods (access_records.h), kept apart from
// sql_store.cpp so the one implementation stays readable; each is a single statement, so no
// transaction is needed. Both engines run the same text.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/store/access_records.h"
#include "securescore/store/sql/connection.h"

namespace securescore::store::sql_access {

Status InsertToken(sql::Connection& db, const AccessToken& token);
Result<AccessToken> FindTokenByHash(sql::Connection& db, std::string_view secret_hash);
Result<std::vector<AccessToken>> ListTokens(sql::Connection& db);
Status RevokeToken(sql::Connection& db, std::string_view token_id, Timestamp at);

Result<std::int64_t> AddAlertRule(sql::Connection& db, const AlertRule& rule);
Result<std::vector<AlertRule>> ListAlertRules(sql::Connection& db);
Status RemoveAlertRule(sql::Connection& db, std::int64_t rule_id);
Result<std::int64_t> RecordDelivery(sql::Connection& db, const AlertDelivery& delivery);
Result<std::vector<AlertDelivery>> ListDeliveries(sql::Connection& db, std::int64_t limit);
Result<bool> WasDelivered(sql::Connection& db, std::int64_t rule_id, std::string_view event_key);

}  // namespace securescore::store::sql_access
