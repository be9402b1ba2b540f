// Reading Microsoft's own Secure Score history: a Graph `GET /security/secureScores` response
// (`{"value":[…]}`, a bare array, or one object) into MicrosoftScore records for
// Store::PutMicrosoftScores, so a tenant's Microsoft score is kept beyond Graph's 90 days.
//
//   Result<std::vector<MicrosoftScore>> days = ParseGraphSecureScores(text, "contoso", path);
#pragma once

#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/store/records.h"

namespace securescore::store {

// One record per object, for `tenant_id`, dated by the UTC day of its createdDateTime. `source`
// (a file name) prefixes the JSON pointer of any error.
Result<std::vector<MicrosoftScore>> ParseGraphSecureScores(std::string_view json,
                                                           std::string_view tenant_id,
                                                           std::string_view source);

}  // namespace securescore::store
