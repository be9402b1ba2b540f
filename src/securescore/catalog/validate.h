// Checks of a control against the evidence schema: every table an alternative `requires`
// exists, its SQL prepares against a fresh EvidenceDb, is read-only, reads only tables it
// declares, and returns exactly the five columns of the query contract.
#pragma once

#include "securescore/catalog/control.h"
#include "securescore/catalog/report.h"
#include "securescore/evidence/evidence_db.h"

namespace securescore::catalog {

// The columns every control query returns, in this order (docs/catalog-format.md).
inline constexpr const char* kQueryColumns[] = {"entity_id", "entity_name", "entity_type",
                                                "compliant", "reason"};

// Adds a diagnostic for each problem with `control`'s evidence alternatives. `db` is only
// prepared against, never written.
void ValidateEvidence(const Control& control, evidence::EvidenceDb& db, LoadReport& report);

}  // namespace securescore::catalog
