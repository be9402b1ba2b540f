// Loading a tenant's evidence: a snapshot file (DESIGN §3) or a ScubaGear export, parsed with
// simdjson and mapped by one adapter per source into the evidence tables of schema.h, held in
// an in-memory SQLite database that the engine queries.
//
//   Result<LoadedEvidence> ev = LoadEvidenceFile("tenant.json");
//   if (!ev) { std::cerr << ev.error().ToString(); return 2; }
//   ev->db->Collected("users");   // false when the snapshot had no graph `users` key
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/evidence/evidence_db.h"

namespace securescore::evidence {

struct TenantInfo {
  std::string id;
  std::string display_name;
  std::string industry;
  std::int64_t licensed_user_count = 0;
};

// A state asserted in the snapshot itself (e.g. "a third-party mail gateway covers this").
struct Attestation {
  std::string control;
  std::string state;  // DESIGN §2 state name
  std::string by;
  std::string comment;
  std::string collected_at;
};

enum class InputKind {
  kSnapshot,             // securescore.snapshot/1
  kScubaProviderExport,  // ScubaGear ProviderSettingsExport.json
  kScubaResults,         // ScubaGear ScubaResults_*.json (its `Raw` key holds the export)
};

struct LoadedEvidence {
  InputKind kind = InputKind::kSnapshot;
  TenantInfo tenant;
  std::string collected_at;  // ISO 8601 UTC
  std::vector<Attestation> attestations;
  std::vector<std::string> warnings;  // non-fatal oddities worth telling the user
  std::unique_ptr<EvidenceDb> db;
};

// Reads and loads a file. Errors name the file, the JSON pointer and what was expected.
Result<LoadedEvidence> LoadEvidenceFile(const std::string& path);

// Loads JSON already in memory; `name` is used in error messages in place of a file name.
Result<LoadedEvidence> LoadEvidenceJson(std::string_view json, std::string_view name);

}  // namespace securescore::evidence
