#include "securescore/store/store.h"

#include <string>

#include "securescore/store/postgres/postgres_connection.h"
#include "securescore/store/sql_store.h"
#include "securescore/store/sqlite/sqlite_connection.h"

namespace securescore::store {

Result<std::unique_ptr<Store>> OpenStore(std::string_view url) {
  if (url.empty()) {
    return InvalidInput("empty database URL; use sqlite:PATH or postgresql://…", "--db");
  }
  Result<std::unique_ptr<sql::Connection>> connection =
      Error{ErrorCode::kInternal, "no engine chosen", ""};
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    connection = postgres::OpenPostgresConnection(std::string(url));
  } else {
    std::string path(url.starts_with("sqlite:") ? url.substr(7) : url);
    // sqlite:///abs/path and sqlite://rel are accepted as well.
    if (path.starts_with("//")) path.erase(0, 2);
    if (path.empty()) return InvalidInput("sqlite: URL without a path", std::string(url));
    if (path.find("://") != std::string::npos) {
      return InvalidInput("unknown database URL scheme; use sqlite:PATH or postgresql://…",
                          std::string(url));
    }
    connection = sqlite::OpenSqliteConnection(path);
  }
  if (!connection) return connection.error();
  return MakeSqlStore(std::move(*connection));
}

}  // namespace securescore::store
