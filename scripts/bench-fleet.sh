#!/usr/bin/env bash
# Fleet ingest benchmark (DESIGN §7): TENANTS generated tenants × USERS users each, evaluated and
# stored by one `securescore ingest` using every core — on SQLite, and on PostgreSQL when a
# server is reachable (SECURESCORE_BENCH_PG_URL, else the test server of
# scripts/services/postgres.sh).
#
#   scripts/bench-fleet.sh [TENANTS=1000] [USERS=2000]
#
# Snapshots are generated once into $SECURESCORE_BENCH_DIR (default /tmp/securescore-bench-fleet)
# and reused; only the ingest is timed. Prints one line per engine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TENANTS=${1:-1000}
USERS=${2:-2000}
BIN=${SECURESCORE_BIN:-$ROOT/build/src/securescore/cli/securescore}
DIR=${SECURESCORE_BENCH_DIR:-/tmp/securescore-bench-fleet}
[ -x "$BIN" ] || { echo "error: $BIN not built (set SECURESCORE_BIN)" >&2; exit 1; }

mkdir -p "$DIR/snapshots-$USERS"
files=()
for seed in $(seq 1 "$TENANTS"); do
  f="$DIR/snapshots-$USERS/tenant-$seed.json"
  [ -s "$f" ] || "$BIN" generate --users "$USERS" --seed "$seed" -o "$f" >/dev/null
  files+=("$f")
done
size=$(du -sh "$DIR/snapshots-$USERS" | cut -f1)
echo "bench-fleet: $TENANTS tenants × $USERS users ($size of snapshots), $(nproc) cores" >&2

# Runs one timed ingest into $1 and prints the figures.
run() {
  local engine=$1 url=$2 start end
  start=$(date +%s.%N)
  "$BIN" --db "$url" ingest "${files[@]}" >/dev/null 2>"$DIR/ingest-$engine.log" || {
    cat "$DIR/ingest-$engine.log" >&2
    return 1
  }
  end=$(date +%s.%N)
  awk -v e="$engine" -v s="$start" -v t="$end" -v n="$TENANTS" -v u="$USERS" 'BEGIN {
    printf "%-10s %d tenants x %d users: %.1f s (%.1f tenants/s)\n", e, n, u, t - s, n / (t - s) }'
  tail -n 1 "$DIR/ingest-$engine.log" >&2
}

rm -f "$DIR/bench.db" "$DIR/bench.db-wal" "$DIR/bench.db-shm"
run sqlite "sqlite:$DIR/bench.db"
ls -l "$DIR/bench.db" | awk '{ printf "sqlite file: %.1f MB\n", $5 / 1048576 }' >&2

pg=${SECURESCORE_BENCH_PG_URL:-}
if [ -z "$pg" ] && [ -f "$ROOT/scripts/services/postgres.sh" ]; then
  pg=$(bash -c "source '$ROOT/scripts/setup.sh' >/dev/null 2>&1 &&
                source '$ROOT/scripts/services/postgres.sh' >/dev/null 2>&1 &&
                echo \"\$SECURESCORE_TEST_PG_URL\"") || pg=""
fi
if [ -n "$pg" ]; then
  schema="bench_fleet_$$"
  psql "$pg" -qtAX -c "CREATE SCHEMA $schema" >/dev/null
  trap 'psql "$pg" -qtAX -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null' EXIT
  run postgresql "$pg?options=-csearch_path%3D$schema"
else
  echo "postgresql: skipped (no server; set SECURESCORE_BENCH_PG_URL)" >&2
fi
