#!/usr/bin/env bash
# CTest entry: installs the locked client (npm ci) when node_modules is missing, then runs
# the Graph-client test against the given securescore binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [[ ! -d "$here/node_modules/@microsoft/microsoft-graph-client" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
exec node "$here/graph_client_test.mjs" "$1"
