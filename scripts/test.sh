#!/usr/bin/env bash
# The whole test suite: installs and builds what is missing, checks formatting, runs every test
# (unit, integration, end-to-end, control test cases, fuzz-corpus replay) and prints CTest's
# summary. Exit status is non-zero when anything fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ensure_packages "${APT_PACKAGES[@]}" "${APT_TEST_PACKAGES[@]}"
build

cd "$ROOT"
log "checking formatting (clang-format-19)"
mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'fuzz/*.cpp' 'bench/*.cpp')
clang-format-19 --dry-run --Werror "${sources[@]}"

# clang-tidy (.clang-tidy): findings are logged and counted; SECURESCORE_TIDY_STRICT=1 (set by
# .ci/run) makes any finding fatal. SECURESCORE_SKIP_TIDY=1 skips it for quick local runs.
if [ "${SECURESCORE_SKIP_TIDY:-0}" != 1 ]; then
log "running clang-tidy-19 on the project's sources"
mapfile -t tidy_sources < <(git ls-files 'src/*.cpp' | grep -v '_test\.cpp$')
tidy_log="$BUILD_DIR/clang-tidy.log"
printf '%s\n' "${tidy_sources[@]}" |
  xargs -P 2 -n 4 clang-tidy-19 -p "$BUILD_DIR" --quiet 2>/dev/null >"$tidy_log" || true
tidy_findings=$(grep -cE 'warning:|error:' "$tidy_log" || true)
echo "clang-tidy: ${tidy_findings} finding(s) (details in $tidy_log)"
if [ "${SECURESCORE_TIDY_STRICT:-0}" = 1 ] && [ "$tidy_findings" -gt 0 ]; then
  grep -E 'warning:|error:' "$tidy_log" >&2
  exit 1
fi
fi

# Services the tests need (PostgreSQL on loopback for the storage conformance suite), each
# started by its own script, which exports how to reach it.
for service in "$ROOT"/scripts/services/*.sh; do
  [ -e "$service" ] || continue
  # shellcheck disable=SC1090
  source "$service"
done

log "running tests"
ctest --test-dir "$BUILD_DIR" -j 2 --output-on-failure "$@"
