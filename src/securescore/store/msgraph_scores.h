// Reading Microsoft's own Secure Score history: a Graph `GET /security/secureScores` response
// (`{"value":[…]}`, a bare array, or one object) into MicrosoftScore records for
// Store::PutMicrosoftScores, so a tenant's Microsoft score is kept beyond Graph's 90 days; and
// the comparison Microsoft reported with each day (averageComparativeScores).
//
//   Result<std::vector<MicrosoftScore>> days = ParseGraphSecureScores(text, "contoso", path);
//   Result<std::vector<MicrosoftAverage>> avg = ParseMicrosoftAverages(days->front().raw_json);
#pragma once

#include <string>
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

// One basis of a secureScore's averageComparativeScores: the average percentage Microsoft
// reported over its own population of organisations (not over this store's tenants).
struct MicrosoftAverage {
  std::string basis;  // "AllTenants", "TotalSeats", "IndustryTypes"
  double average_score = 0;
};

// The averageComparativeScores of one stored secureScore object (MicrosoftScore::raw_json), in
// Graph's order. Entries Microsoft marks as unavailable (a negative averageScore, as Graph has
// sent -1) or without a basis and a number are left out; none when the key is absent.
Result<std::vector<MicrosoftAverage>> ParseMicrosoftAverages(std::string_view raw_json);

}  // namespace securescore::store
