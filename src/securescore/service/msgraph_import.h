// Microsoft's own Secure Score history kept beside ours, beyond Microsoft's 90 days: days parsed
// from Graph `security/secureScores` responses (store/msgraph_scores.h) stored as a separate
// series, counting which days are new.
//
//   Result<std::vector<store::MicrosoftScore>> days = store::ParseGraphSecureScores(json, "t1", f);
//   Result<ImportSummary> s = ImportMicrosoftScores(store, "t1", *days);
#pragma once

#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/store/store.h"

namespace securescore::service {

struct ImportSummary {
  int added = 0;     // days not stored before
  int replaced = 0;  // days already stored, now replaced by the imported object
};

// Stores the days for an existing tenant (kNotFound otherwise). A day given twice, or imported
// again later, is stored once: the last object given for it wins.
Result<ImportSummary> ImportMicrosoftScores(store::Store& store, std::string_view tenant_id,
                                            std::vector<store::MicrosoftScore> scores);

}  // namespace securescore::service
