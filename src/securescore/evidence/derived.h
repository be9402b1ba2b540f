// Derived evidence tables: semantics that are awkward in SQL, computed in C++ from the tables
// the adapters filled — which roles each user really holds once group assignments are expanded
// (user_roles), what each conditional-access policy enforces (ca_policy_facts), and which
// enabled policies cover each user (ca_user_coverage).
#pragma once

#include "securescore/base/result.h"
#include "securescore/evidence/evidence_db.h"

namespace securescore::evidence {

// Fills user_roles, ca_policy_facts and ca_user_coverage from the collected source tables and
// marks each collected when its inputs were: user_roles needs role_assignments (or was filled
// from ScubaGear's privileged_users by the adapter); ca_policy_facts needs ca_policies;
// ca_user_coverage needs users and ca_policies. Called by the loader after every adapter ran.
Status ComputeDerivedTables(EvidenceDb& db);

}  // namespace securescore::evidence
