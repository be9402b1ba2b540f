// EvidenceDb: the in-memory SQLite database holding one snapshot's evidence tables, and the
// record of which tables were collected (absent ≠ empty, DESIGN §3).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "securescore/base/result.h"

struct sqlite3;

namespace securescore::evidence {

class EvidenceDb {
 public:
  // An empty database with every table of schema.h created and none collected.
  static Result<std::unique_ptr<EvidenceDb>> Create();
  ~EvidenceDb();
  EvidenceDb(const EvidenceDb&) = delete;
  EvidenceDb& operator=(const EvidenceDb&) = delete;

  sqlite3* handle() const { return db_; }

  // Another connection to the same tables, for reading them from a second thread while this
  // one reads too (the engine runs controls on two cores). Open it once loading is done.
  Result<std::shared_ptr<sqlite3>> OpenReader() const;

  bool Collected(std::string_view table) const;
  void MarkCollected(std::string_view table);
  const std::set<std::string, std::less<>>& collected() const { return collected_; }

  // Runs SQL with no result rows (DDL, BEGIN/COMMIT); errors carry SQLite's message.
  Status Exec(std::string_view sql);

  // Creates the declared indexes (schema.h) of the source tables, or of the derived ones.
  Status CreateIndexes(bool derived);

 private:
  EvidenceDb() = default;
  std::string uri_;  // names the database, so that OpenReader() reaches the same one
  sqlite3* db_ = nullptr;
  std::set<std::string, std::less<>> collected_;
};

}  // namespace securescore::evidence
