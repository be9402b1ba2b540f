// Loader entry points for tests and the fuzz target only.
#pragma once

#include <cstddef>
#include <string_view>

#include "securescore/evidence/load.h"

namespace securescore::evidence {

// LoadEvidenceJson, but Graph arrays of at least `min_array` bytes are parsed in pieces of
// about `piece` bytes (chunked_arrays.h), as they are for large files. Tests use tiny sizes to
// check that both paths give the same evidence and the same errors.
Result<LoadedEvidence> LoadEvidenceJsonInPieces(std::string_view json, std::string_view name,
                                                std::size_t min_array, std::size_t piece);

}  // namespace securescore::evidence
