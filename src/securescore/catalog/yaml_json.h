// Converts a YAML node (a control test case's `sources`) to JSON text for the snapshot loader.
// YAML's own typing is kept: quoted or block scalars stay strings even when they look like
// numbers, plain true/false become booleans, plain ~/null become null, plain numerals numbers.
#pragma once

#include <yaml-cpp/yaml.h>

#include "securescore/catalog/json_writer.h"

namespace securescore::catalog {

void WriteYamlAsJson(const YAML::Node& node, JsonWriter& out);

}  // namespace securescore::catalog
