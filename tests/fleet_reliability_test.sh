#!/usr/bin/env bash
# Reliability of fleet ingest on one engine, driving the real binary:
#   fleet_reliability_test.sh BINARY sqlite|postgresql
# (a) SIGKILL at random moments, repeatedly: the database stays sound and holds every
#     evaluation `ingest` reported as stored, and no partial one;
# (b) concurrent writers (2 processes on one SQLite file, 8 on one PostgreSQL database) lose
#     nothing and do not fail on lock contention;
# (c) PostgreSQL only: the server dropping the connections mid-run gives a clear error and a
#     non-zero exit, and a rerun completes with nothing half-written.
# Small tenants keep every part to a few seconds; nothing here asserts on timing.
source "$(dirname "${BASH_SOURCE[0]}")/fleet_lib.sh"

N=12
generate_snapshots 1 "$N" 30
FILES=()
for i in $(seq 1 "$N"); do FILES+=("$WORK/snap-$i.json"); done

# Evaluation ids an ingest output reported as stored (complete JSON lines only: a killed
# process may leave half a line).
reported_ids() { grep '}$' "$1" | jq -r 'select(.status == "stored") | .evaluationId'; }

echo "--- (a) SIGKILL during ingest, repeatedly"
for round in 1 2 3 4 5 6; do
  ss ingest "${FILES[@]}" --jobs 2 --format json >"$WORK/kill-$round.out" 2>/dev/null &
  pid=$!
  # A random moment between start-up and the end of the run.
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_database
  for id in $(reported_ids "$WORK/kill-$round.out"); do
    [ "$(sql "SELECT COUNT(*) FROM evaluations WHERE id = $id")" = 1 ] ||
      fail "round $round: evaluation $id was reported stored but is missing"
  done
done
ss ingest "${FILES[@]}" --jobs 2 --format json >"$WORK/final.out" || fail "the run after the kills failed"
check_database
[ "$(sql 'SELECT COUNT(*) FROM evaluations')" = "$N" ] || fail "one evaluation per snapshot expected"
[ "$(sql 'SELECT COUNT(DISTINCT tenant_id) FROM evaluations')" = "$N" ] || fail "tenants"

echo "--- (b) concurrent writers"
writers=2
[ "$ENGINE" = postgresql ] && writers=8
generate_snapshots 101 $((100 + N)) 30
MORE=()
for i in $(seq 101 $((100 + N))); do MORE+=("$WORK/snap-$i.json"); done
pids=()
for w in $(seq 1 "$writers"); do
  # Every writer ingests every file, each in its own order: the most contention there can be.
  mapfile -t order < <(printf '%s\n' "${MORE[@]}" | shuf)
  ss ingest "${order[@]}" --jobs 1 --format json >"$WORK/writer-$w.out" 2>"$WORK/writer-$w.err" &
  pids+=($!)
done
for w in $(seq 1 "$writers"); do
  wait "${pids[$((w - 1))]}" || fail "writer $w failed: $(cat "$WORK/writer-$w.err")"
done
check_database
[ "$(sql 'SELECT COUNT(*) FROM evaluations')" = $((2 * N)) ] ||
  fail "concurrent writers: $(sql 'SELECT COUNT(*) FROM evaluations') evaluations, expected $((2 * N))"
stored=$(cat "$WORK"/writer-*.out | jq -r 'select(.status == "stored") | .evaluationId' | sort -u | wc -l)
[ "$stored" = "$N" ] || fail "each snapshot must be reported stored exactly once, got $stored"

if [ "$ENGINE" = postgresql ]; then
  echo "--- (c) PostgreSQL drops the connections mid-run"
  generate_snapshots 201 $((200 + N)) 30
  LAST=()
  for i in $(seq 201 $((200 + N))); do LAST+=("$WORK/snap-$i.json"); done
  ss ingest "${LAST[@]}" --jobs 1 --format json >"$WORK/gone.out" 2>"$WORK/gone.err" &
  pid=$!
  # Once the first evaluation is stored, terminate every connection of this run while it goes on.
  for _ in $(seq 1 600); do
    grep -q '"stored"' "$WORK/gone.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  while kill -0 "$pid" 2>/dev/null; do
    psql "$SECURESCORE_TEST_PG_URL" -qtAX -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = '$SCHEMA' AND pid <> pg_backend_pid()" >/dev/null
    sleep 0.05
  done
  rc=0
  wait "$pid" || rc=$?
  [ "$rc" != 0 ] || fail "ingest must fail when the database goes away"
  grep -q "securescore: error: .*PostgreSQL" "$WORK/gone.err" ||
    fail "a clear error naming PostgreSQL expected: $(cat "$WORK/gone.err")"
  grep -q "stopped at the first store error; rerun to finish" "$WORK/gone.err" ||
    fail "the summary says how to finish: $(cat "$WORK/gone.err")"
  check_database
  for id in $(reported_ids "$WORK/gone.out"); do
    [ "$(sql "SELECT COUNT(*) FROM evaluations WHERE id = $id")" = 1 ] ||
      fail "evaluation $id was reported stored but is missing"
  done
  ss ingest "${LAST[@]}" --jobs 2 --format json >/dev/null || fail "the rerun failed"
  check_database
  [ "$(sql 'SELECT COUNT(*) FROM evaluations')" = $((3 * N)) ] || fail "the rerun must complete"
fi

echo "PASS ($ENGINE)"
