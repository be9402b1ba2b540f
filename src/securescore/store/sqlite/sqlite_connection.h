// The SQLite driver of the store's SQL connection: one database file in WAL mode, foreign keys
// on, and a busy timeout so that several processes writing one file wait for each other instead
// of failing.
#pragma once

#include <memory>
#include <string>

#include "securescore/base/result.h"
#include "securescore/store/sql/connection.h"

namespace securescore::store::sqlite {

// Opens (creating if needed) the database file at `path`.
Result<std::unique_ptr<sql::Connection>> OpenSqliteConnection(const std::string& path);

}  // namespace securescore::store::sqlite
