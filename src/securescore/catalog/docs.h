// docs/controls.md, generated from the catalog: one table per category with each control's
// points, scoring kind, the evidence tables each alternative needs, and its SCuBA ids.
// A test fails when the committed file differs from what the embedded catalog generates.
#pragma once

#include <string>

#include "securescore/catalog/catalog.h"

namespace securescore::catalog {

// The command that regenerates docs/controls.md (named in the staleness test's message).
inline constexpr const char* kControlsDocCommand = "securescore docs controls > docs/controls.md";

std::string ControlsMarkdown(const Catalog& catalog);

// "entity: users, user_roles; else policy: ca_policy_facts"
std::string EvidenceSummary(const Control& control);

}  // namespace securescore::catalog
