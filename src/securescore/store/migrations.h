// The store's schema as numbered migrations, written once for both engines. Open applies every
// migration newer than the database's version, each in its own transaction, and records it in
// `schema_migrations`; a database from a newer securescore is refused rather than misread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "securescore/base/result.h"
#include "securescore/store/sql/connection.h"

namespace securescore::store {

struct Migration {
  std::int64_t version;
  std::string_view name;
  // DDL with dialect placeholders: {id} (auto-increment primary key), {blob} (bytes).
  std::string_view ddl;
  // Used instead of `ddl` on PostgreSQL when the two cannot share text (triggers).
  std::string_view postgres_ddl = {};
};

// The DDL a migration runs on `dialect`, placeholders replaced.
std::string MigrationDdl(const Migration& migration, sql::Dialect dialect);

// Every migration, in version order.
std::span<const Migration> Migrations();

// The DDL with its placeholders replaced for `dialect`.
std::string RenderDdl(std::string_view ddl, sql::Dialect dialect);

// Brings the database up to the newest migration; safe when several processes open a fresh
// database at once. Returns the resulting version.
Result<std::int64_t> Migrate(sql::Connection& connection);

// Applies migrations up to and including `version` only: what an older securescore left.
Result<std::int64_t> MigrateTo(sql::Connection& connection, std::int64_t version);

}  // namespace securescore::store
