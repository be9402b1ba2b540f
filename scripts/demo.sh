#!/usr/bin/env bash
# The main job: installs and builds what is missing, then opens the dashboard on a demo store
# (generated tenants with 90 days of history, created once) and prints the link to open, which
# carries a fresh admin token. Ctrl-C stops the server. No configuration needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ensure_packages "${APT_PACKAGES[@]}"
NINJA_TARGETS=(securescore web)
build

BIN="$BUILD_DIR/src/securescore/cli/securescore"
log "starting the dashboard on the demo store; open the link below (Ctrl-C stops the server)"
exec "$BIN" serve --demo --web "$ROOT/web/dist" "$@"
