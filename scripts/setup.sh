#!/usr/bin/env bash
# Installs what securescore needs on Debian 12 (only what is missing) and builds it.
# Sourced by demo.sh and test.sh; safe and fast to run again: nothing missing → nothing installed,
# nothing changed → ninja has no work.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SECURESCORE_BUILD_DIR:-$ROOT/build}"

# ccache keyed on paths relative to the checkout, so a fresh clone in another folder (as CI
# makes) reuses what an earlier build compiled.
export CCACHE_BASEDIR="$ROOT"
export CCACHE_NOHASHDIR=1

APT_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libsimdjson-dev libsqlite3-dev libyaml-cpp-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libpq-dev libzstd-dev libssl-dev postgresql
  libcpp-httplib-dev libboost-dev
)
APT_TEST_PACKAGES=(clang-format-19 clang-tidy-19 jq wrk nginx chromium sqlite3)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  log "installing Debian packages: $(echo $missing)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: packages missing and not root; run as root or install: $missing" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing >/dev/null
}

# The dashboard (web/) is built with npm. Debian's nodejs/npm only when no node is installed at
# all: a node from elsewhere (e.g. NodeSource, which bundles npm) conflicts with Debian's npm.
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}

build() {
  ensure_node
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    log "configuring ($BUILD_DIR)"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  fi
  log "building"
  ninja -C "$BUILD_DIR" "${NINJA_TARGETS[@]}"
}

NINJA_TARGETS=()
