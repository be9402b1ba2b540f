#!/usr/bin/env bash
# Robustness of `securescore worker` on one engine, driving the real binary:
#   fleet_worker_test.sh BINARY sqlite|postgresql
# (a) SIGINT stops an idle worker at once, exit 0;
# (b) SIGTERM in the middle of a job: the worker finishes that job, then exits 0;
# (c) SIGKILL in the middle of a job: the job stays running under the dead worker's lease, and
#     once the lease runs out another worker takes it over and completes it, storing its
#     evaluation once;
# (d) a second signal gives the current job back to the queue (its attempt not counted) and
#     exits 0 at once; another worker then completes it.
# "In the middle of a job" is made certain, not hoped for: the worker is frozen with SIGSTOP
# once it has claimed the job, and the job is checked to be still running before the signal.
# Nothing here asserts on timing; waits are bounded only to turn a hang into a failure.
source "$(dirname "${BASH_SOURCE[0]}")/fleet_lib.sh"

# Big enough that evaluating one takes a while, so that the freeze usually lands mid-job.
USERS=${SECURESCORE_WORKER_TEST_USERS:-20000}

# Waits (at most a minute) until the SQL query $1 prints $2.
wait_for_sql() {
  for _ in $(seq 1 1200); do
    [ "$(sql "$1")" = "$2" ] && return 0
    sleep 0.05
  done
  fail "waited for '$1' to be '$2'; it is '$(sql "$1")'"
}

# Waits (at most a minute) until file $1 contains text $2.
wait_for_text() {
  for _ in $(seq 1 1200); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "waited for '$2' in $1: $(cat "$1")"
}

# Queues snapshot seed $1 (generated on first use); prints the job id.
queue() {
  [ -f "$WORK/snap-$1.json" ] || generate_snapshots "$1" "$1" "$USERS"
  ss ingest --queue "$WORK/snap-$1.json" --format json >"$WORK/queue-$1.json" 2>/dev/null
  sql "SELECT MAX(id) FROM jobs"
}

job_field() { sql "SELECT $2 FROM jobs WHERE id = $1"; }

# Waits (at most a minute) for background process $1 to exit; its exit status is then in $RC.
wait_exit() {
  for _ in $(seq 1 1200); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$1" 2>/dev/null && fail "process $1 did not exit within a minute"
  RC=0
  wait "$1" || RC=$?
}

# Starts worker $1 (more options after it) in the background: PID in $WPID, output in
# $WORK/$1.out and $WORK/$1.err; returns once it handles signals.
start_worker() {
  local name=$1
  shift
  # The binary itself, not through `ss`: signals must reach the worker, not a subshell.
  "$BIN" --db "$DB" worker --id "$name" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  WPID=$!
  wait_for_text "$WORK/$name.err" "worker $name: running jobs"
}

# Freezes worker $2 (pid $3) once it has claimed job $1; returns non-zero when the job was
# over before the freeze (the worker is then left frozen for the caller to kill).
freeze_mid_job() {
  wait_for_sql "SELECT CASE WHEN status = 'done' OR (status = 'running' AND claimed_by = '$2')
                THEN 'claimed' ELSE status END FROM jobs WHERE id = $1" claimed
  kill -STOP "$3"
  [ "$(job_field "$1" status)" = running ]
}

# Queues snapshot seeds $1, $1+1, $1+2 one at a time until a worker named $2-N (started with
# the options after it) is frozen mid-job; sets JOB, WPID, WNAME and TENANT.
freeze_a_worker_mid_job() {
  local seed=$1 name=$2 n
  shift 2
  for n in 0 1 2; do
    JOB=$(queue $((seed + n)))
    TENANT=$(jq -r .tenant "$WORK/queue-$((seed + n)).json")
    WNAME="$name-$n"
    start_worker "$WNAME" "$@"
    freeze_mid_job "$JOB" "$WNAME" "$WPID" && return 0
    kill -9 "$WPID"
    wait "$WPID" 2>/dev/null || true
  done
  fail "the worker finished every job before it could be frozen; raise SECURESCORE_WORKER_TEST_USERS"
}

echo "--- (a) SIGINT stops an idle worker"
start_worker idle --poll 600
kill -INT "$WPID"
wait_exit "$WPID"
[ "$RC" = 0 ] || fail "an idle worker stopped by SIGINT exited $RC: $(cat "$WORK/idle.err")"
grep -q "worker idle: 0 job(s) done, 0 failed; stopped by a signal" "$WORK/idle.err" ||
  fail "idle worker summary: $(cat "$WORK/idle.err")"

echo "--- (b) SIGTERM mid-job: the job is finished, then the worker exits 0"
freeze_a_worker_mid_job 1 graceful --lease 60 --poll 0.1
kill -TERM "$WPID"
kill -CONT "$WPID"
wait_exit "$WPID"
[ "$RC" = 0 ] || fail "SIGTERM mid-job: exit $RC: $(cat "$WORK/$WNAME.err")"
grep -q "stopping after the current job" "$WORK/$WNAME.err" || fail "no stop notice"
[ "$(job_field "$JOB" "status || ' ' || claimed_by || ' ' || attempts")" = "done $WNAME 1" ] ||
  fail "the job must be finished by the stopped worker: $(job_field "$JOB" '*')"
grep -q "^job $JOB: stored evaluation" "$WORK/$WNAME.out" || fail "$(cat "$WORK/$WNAME.out")"
check_database

echo "--- (c) SIGKILL mid-job: another worker takes the job over when the lease runs out"
freeze_a_worker_mid_job 11 doomed --lease 3 --poll 0.1
kill -9 "$WPID"
wait "$WPID" 2>/dev/null || true
[ "$(job_field "$JOB" "status || ' ' || claimed_by || ' ' || attempts")" = "running $WNAME 1" ] ||
  fail "the dead worker's job must still be running: $(job_field "$JOB" '*')"
[ -n "$(job_field "$JOB" lease_expires_at)" ] || fail "a claimed job has a lease"
[ "$(sql "SELECT COUNT(*) FROM evaluations WHERE tenant_id = '$TENANT'")" = 0 ] ||
  fail "the killed worker stored its evaluation"
start_worker rescuer --lease 3 --poll 0.2
wait_for_sql "SELECT status FROM jobs WHERE id = $JOB" "done"
kill -TERM "$WPID"
wait_exit "$WPID"
[ "$RC" = 0 ] || fail "rescuer exit $RC: $(cat "$WORK/rescuer.err")"
[ "$(job_field "$JOB" "claimed_by || ' ' || attempts")" = "rescuer 2" ] ||
  fail "taken over: $(job_field "$JOB" '*')"
job_field "$JOB" last_error | grep -q "lease of worker $WNAME ran out" ||
  fail "the takeover names the dead worker: $(job_field "$JOB" last_error)"
[ "$(sql "SELECT COUNT(*) FROM evaluations WHERE tenant_id = '$TENANT'")" = 1 ] ||
  fail "the job's evaluation must be stored exactly once"
check_database

echo "--- (d) a second signal releases the job to the queue and exits 0 at once"
freeze_a_worker_mid_job 21 impatient --lease 60 --poll 0.1
# Two different signals, so that both are pending while the worker is frozen.
kill -TERM "$WPID"
kill -INT "$WPID"
kill -CONT "$WPID"
wait_exit "$WPID"
[ "$RC" = 0 ] || fail "second signal: exit $RC: $(cat "$WORK/$WNAME.err")"
if grep -q "job $JOB released to the queue" "$WORK/$WNAME.err"; then
  echo "    released mid-job"
  [ "$(job_field "$JOB" "status || ' ' || attempts || ' ' || claimed_by")" = "queued 0 " ] ||
    fail "a released job is queued with its attempt not counted: $(job_field "$JOB" '*')"
else
  # The job ended before the second signal was taken: then this worker finished it.
  echo "    the job ended before the second signal was taken"
  [ "$(job_field "$JOB" "status || ' ' || claimed_by")" = "done $WNAME" ] ||
    fail "neither released nor done: $(job_field "$JOB" '*'); $(cat "$WORK/$WNAME.err")"
fi
ss worker --once --id finisher >"$WORK/finisher.out" 2>"$WORK/finisher.err" ||
  fail "finisher: $(cat "$WORK/finisher.err")"
[ "$(job_field "$JOB" status)" = "done" ] || fail "the released job must be completed"
[ "$(sql "SELECT COUNT(*) FROM jobs WHERE status <> 'done'")" = 0 ] || fail "jobs left over"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = "$(sql "SELECT COUNT(DISTINCT tenant_id) FROM evaluations")" ] ||
  fail "one evaluation per tenant expected"
check_database

echo "PASS ($ENGINE)"
