// Fuzz target: the snapshot loader must turn any bytes into either evidence or an
// invalid-input Error — never a crash, an exception, or an internal error. The same bytes are
// also loaded with the big Graph arrays parsed in tiny pieces (the path large files take), and
// both paths must agree on success or failure. (A document with several errors may have a
// different one reported first: pieces find a bad string inside a big array when they reach
// it, one pass finds it before reading anything.)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "securescore/evidence/load.h"
#include "securescore/evidence/load_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using securescore::ErrorCode;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  securescore::Result<securescore::evidence::LoadedEvidence> loaded =
      securescore::evidence::LoadEvidenceJson(json, "fuzz.json");
  if (loaded.ok()) {
    // A successful load always has its database and its one tenant row.
    if (!loaded->db || !loaded->db->Collected("tenant")) std::abort();
  } else {
    const securescore::Error& error = loaded.error();
    if (error.code != ErrorCode::kInvalidInput || error.message.empty() ||
        error.where.rfind("fuzz.json", 0) != 0) {
      std::fprintf(stderr, "unexpected error: %s (%s)\n", error.ToString().c_str(),
                   securescore::ErrorCodeName(error.code));
      std::abort();
    }
  }
  securescore::Result<securescore::evidence::LoadedEvidence> in_pieces =
      securescore::evidence::LoadEvidenceJsonInPieces(json, "fuzz.json", 1, 16);
  if (in_pieces.ok() != loaded.ok() ||
      (!loaded.ok() && in_pieces.error().code != loaded.error().code)) {
    std::fprintf(stderr, "one pass and pieces disagree: %s / %s\n",
                 loaded.ok() ? "ok" : loaded.error().ToString().c_str(),
                 in_pieces.ok() ? "ok" : in_pieces.error().ToString().c_str());
    std::abort();
  }
  return 0;
}
