// Parsing one control file (docs/catalog-format.md) into a Control, checking everything that
// one file can tell on its own: required fields, enum values, max_points, the id against the
// file name, SCuBA id syntax, evidence alternatives' shape and the test cases a control must
// carry. Every problem goes into the LoadReport with its line; parsing goes on past errors.
#pragma once

#include <optional>
#include <string_view>

#include "securescore/catalog/control.h"
#include "securescore/catalog/report.h"

namespace securescore::catalog {

// nullopt only when the text is not a YAML mapping at all; otherwise the Control as far as it
// could be read (check report.ErrorCount() to know whether it is usable).
std::optional<Control> ParseControl(std::string_view file, std::string_view content,
                                    LoadReport& report);

}  // namespace securescore::catalog
