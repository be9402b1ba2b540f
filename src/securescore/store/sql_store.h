// The one implementation of Store, written against the small SQL connection (sql/connection.h)
// so SQLite and PostgreSQL run the very same queries; engine differences stay in the drivers
// and in a few dialect substitutions.
#pragma once

#include <memory>

#include "securescore/base/result.h"
#include "securescore/store/sql/connection.h"
#include "securescore/store/store.h"

namespace securescore::store {

// Migrates the database behind `connection` and returns a Store over it.
Result<std::unique_ptr<Store>> MakeSqlStore(std::unique_ptr<sql::Connection> connection);

}  // namespace securescore::store
