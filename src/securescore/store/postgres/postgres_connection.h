// The PostgreSQL driver of the store's SQL connection (libpq). Serialization failures and
// deadlocks are reported as retryable; a lost server is a clear kUnavailable error.
#pragma once

#include <memory>
#include <string>

#include "securescore/base/result.h"
#include "securescore/store/sql/connection.h"

namespace securescore::store::postgres {

// Connects with a libpq connection URI (postgresql://user:password@host:port/db?…).
Result<std::unique_ptr<sql::Connection>> OpenPostgresConnection(const std::string& url);

// The URI with any password replaced by "***", for error messages and logs.
std::string RedactUrl(const std::string& url);

}  // namespace securescore::store::postgres
