# shellcheck shell=bash
# Shared by the fleet end-to-end tests (fleet_cli_test.sh, fleet_reliability_test.sh): a fresh
# store per test run on the engine named by $ENGINE, helpers to run the real binary against it,
# and SQL for looking at what is really stored.
#
# SQLite: a file in a temporary directory. PostgreSQL: a fresh schema in the database named by
# SECURESCORE_TEST_PG_URL (scripts/services/postgres.sh starts it); the test fails, never skips,
# when that variable is missing.
set -euo pipefail

BIN=${1:?usage: $0 SECURESCORE_BINARY sqlite|postgresql}
ENGINE=${2:?usage: $0 SECURESCORE_BINARY sqlite|postgresql}
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FIXTURES="${SECURESCORE_FIXTURES_DIR:-$HERE/../../shared/fixtures}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/securescore-fleet.XXXXXX")
SCHEMA=""

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cleanup() {
  local pids
  pids=$(jobs -p)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  if [ -n "$SCHEMA" ]; then
    psql "$SECURESCORE_TEST_PG_URL" -qtAX -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

case "$ENGINE" in
  sqlite)
    DB="sqlite:$WORK/store.db"
    ;;
  postgresql)
    [ -n "${SECURESCORE_TEST_PG_URL:-}" ] ||
      fail "SECURESCORE_TEST_PG_URL is not set; start the test PostgreSQL with" \
        "'source scripts/setup.sh && source scripts/services/postgres.sh' (scripts/test.sh does)"
    SCHEMA="fleet_$$_${RANDOM}"
    psql "$SECURESCORE_TEST_PG_URL" -qtAX -c "CREATE SCHEMA $SCHEMA" >/dev/null
    # application_name lets the tests find (and terminate) exactly this run's connections.
    DB="$SECURESCORE_TEST_PG_URL?application_name=$SCHEMA&options=-csearch_path%3D$SCHEMA"
    ;;
  *) fail "unknown engine $ENGINE" ;;
esac

# The binary against this run's store.
ss() { "$BIN" --db "$DB" "$@"; }

# One SQL query against this run's store; prints the rows, '|'-separated.
sql() {
  if [ "$ENGINE" = sqlite ]; then
    # Wait out a lock held for a moment (a killed writer's WAL being recovered) instead of failing.
    sqlite3 -bail -cmd '.timeout 10000' "$WORK/store.db" "$1"
  else
    psql "$SECURESCORE_TEST_PG_URL" -qtAX -v ON_ERROR_STOP=1 \
      -c "SET search_path TO $SCHEMA" -c "$1"
  fi
}

# The database opens and is sound, and no evaluation is stored partially: every evaluation has
# its five categories and as many controls as the evaluation with the most.
check_database() {
  if [ "$ENGINE" = sqlite ]; then
    [ "$(sqlite3 -cmd '.timeout 10000' "$WORK/store.db" 'PRAGMA integrity_check')" = ok ] ||
      fail "integrity_check failed"
  else
    [ "$(sql 'SELECT 1')" = 1 ] || fail "PostgreSQL sanity query failed"
  fi
  local partial
  partial=$(sql "SELECT COUNT(*) FROM evaluations e WHERE
      (SELECT COUNT(*) FROM evaluation_categories c WHERE c.evaluation_id = e.id) <> 5 OR
      (SELECT COUNT(*) FROM evaluation_controls c WHERE c.evaluation_id = e.id) <>
      (SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM evaluation_controls
                                        GROUP BY evaluation_id) AS per_evaluation)")
  [ "$partial" = 0 ] || fail "$partial evaluation(s) stored partially"
}

# Generated snapshots $WORK/snap-SEED.json for seeds $1..$2 (small tenants: $3 users).
generate_snapshots() {
  local seed
  for seed in $(seq "$1" "$2"); do
    "$BIN" generate --users "$3" --seed "$seed" -o "$WORK/snap-$seed.json" >/dev/null
  done
}
