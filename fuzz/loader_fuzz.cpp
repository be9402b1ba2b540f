// Fuzz target: the snapshot loader must turn any bytes into either evidence or an
// invalid-input Error — never a crash, an exception, or an internal error.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "securescore/evidence/load.h"

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
  return 0;
}
