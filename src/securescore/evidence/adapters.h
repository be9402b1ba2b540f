// Source adapters: pure mappings from one source's JSON (the object a snapshot holds under
// `sources.graph`, `sources.scubagear` or `sources.powershell`) to rows of the evidence tables
// of schema.h. No file I/O happens here; load.cpp reads files, detects what they are and hands
// each source to its adapter inside one transaction.
//
//   auto db = EvidenceDb::Create();
//   Status s = MapSourceJson(SourceKind::kScubaGear, export_text, **db);
//   // rows are in **db; (*db)->Collected("ca_policies") says whether the key was present
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/evidence/chunked_arrays.h"
#include "securescore/evidence/evidence_db.h"
#include "securescore/evidence/json_util.h"
#include "securescore/evidence/table_writer.h"

namespace securescore::evidence {

enum class SourceKind {
  kGraph,       // Graph path → what Graph returned for it
  kScubaGear,   // the keys of ScubaGear's ProviderSettingsExport.json
  kPowerShell,  // cmdlet name → array of the objects it printed
};

// Facts about the tenant found in a ScubaGear export (empty when absent).
struct ScubaGearFacts {
  std::string tenant_id;
  std::string display_name;
  std::string collected_at;  // ISO 8601 UTC, from `timestamp_zulu`
};

// The input as the loader holds it. When it is a memory-mapped file, the parts already read
// can be handed back to the kernel as the big arrays stream past, so that a multi-gigabyte
// snapshot does not stay resident (its rows are in SQLite by then).
class InputWindow {
 public:
  virtual ~InputWindow() = default;
  // Everything before `position` will not be needed again (reading it anyway stays correct).
  virtual void ReleaseBefore(const char* position) = 0;
};

// State shared by the adapters of one load: the prepared writers, where in the document we
// are (for error messages), warnings, and a DOM parser reused for small items.
struct AdapterContext {
  explicit AdapterContext(EvidenceDb& evidence) : db(evidence), writers(evidence) {}
  EvidenceDb& db;
  TableWriters writers;
  JsonPath path;
  std::vector<std::string> warnings;
  simdjson::dom::parser dom;
  InputWindow* input = nullptr;  // optional

  // Set when the document parsed is a skeleton (chunked_arrays.h): `original` is the real
  // text, and the chunk being parsed, if any, is described by the chunk_* fields so that
  // errors inside it can be placed in the original text.
  const Skeleton* skeleton = nullptr;
  std::string_view original;
  simdjson::ondemand::parser chunk_parser;
  std::string chunk_buffer;
  simdjson::ondemand::document chunk_document;        // lives here so errors can still ask it
  simdjson::ondemand::document* chunk_doc = nullptr;  // &chunk_document while a piece is read
  std::size_t chunk_origin = 0;                       // original offset of chunk_buffer[0]
  // Where user_roles can come from: Graph role assignments are complete (derived.cpp expands
  // them), ScubaGear's privileged_users only covers the privileged roles.
  bool graph_role_sources = false;
  bool scubagear_user_roles = false;
};

// Each maps one source object (the value at ctx.path). They throw InputError or
// simdjson_error on unusable input; the caller turns those into an Error. The ScubaGear
// export is taken as text (it is small and walked twice).
void MapGraphSource(simdjson::ondemand::object source, AdapterContext& ctx);
void MapScubaGearSource(std::string_view export_json, AdapterContext& ctx, ScubaGearFacts& facts);
void MapPowerShellSource(simdjson::ondemand::object source, AdapterContext& ctx);

// Whether a sources.graph key is one of the big collections streamed row by row (and so may be
// chunked): users, registration details, managed devices, groups, groups/{id}/members.
bool IsStreamedGraphKey(std::string_view key);

// Cleans up after every adapter ran: fills role names known only from role_definitions, drops
// duplicate role assignments (a role seen both in roleAssignments and directoryRoles), and
// keeps ScubaGear's user_roles rows only when no Graph role assignments were collected (then
// ComputeDerivedTables derives user_roles from role_assignments instead).
void FinishAdapters(AdapterContext& ctx);

// Runs one adapter over JSON text (the source object itself, not a whole snapshot). Errors are
// kInvalidInput with the JSON pointer inside `json`. Meant for tests and tools.
Status MapSourceJson(SourceKind kind, std::string_view json, EvidenceDb& db,
                     std::vector<std::string>* warnings = nullptr);

}  // namespace securescore::evidence
