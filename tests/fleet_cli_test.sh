#!/usr/bin/env bash
# End-to-end tests of the commands over the store, driving the real binary:
#   fleet_cli_test.sh BINARY sqlite|postgresql
# ingest (ScubaGear fixture and generated snapshots), the score and history JSON contracts,
# states, exceptions, Microsoft's series, re-evaluation, export, goals, comparison, the job
# queue and the errors people meet.
source "$(dirname "${BASH_SOURCE[0]}")/fleet_lib.sh"

# Asserts that a command fails with exit status $1 and its stderr contains $2.
expect_error() {
  local status=$1 text=$2 rc=0
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" = "$status" ] || fail "'$*' exited $rc, expected $status; stderr: $(cat "$WORK/err")"
  grep -qF -- "$text" "$WORK/err" || fail "'$*': stderr lacks '$text': $(cat "$WORK/err")"
}

echo "--- ingest the ScubaGear fixture, twice"
scuba=("$FIXTURES"/scubagear/ScubaResults_*.json)
ss ingest "${scuba[0]}" --format json >"$WORK/ingest1"
[ "$(jq -r .status "$WORK/ingest1")" = stored ] || fail "first ingest: $(cat "$WORK/ingest1")"
SCUBA=$(jq -r .tenant "$WORK/ingest1")
ss ingest "${scuba[0]}" --format json >"$WORK/ingest2"
[ "$(jq -r .status "$WORK/ingest2")" = unchanged ] || fail "second ingest stored again"
[ "$(jq -r .evaluationId "$WORK/ingest2")" = "$(jq -r .evaluationId "$WORK/ingest1")" ] ||
  fail "same snapshot, another evaluation"
[ "$(ss history --tenant "$SCUBA" --format json | jq '.evaluations | length')" = 1 ] ||
  fail "ingesting one snapshot twice must store one evaluation"

echo "--- ingest generated snapshots in parallel"
generate_snapshots 1 4 40
ss ingest "$WORK"/snap-{1,2,3,4}.json --jobs 2 --format json >"$WORK/ingest3"
[ "$(jq -r 'select(.status == "stored") | .tenant' "$WORK/ingest3" | sort -u | wc -l)" = 4 ] ||
  fail "four generated tenants expected: $(cat "$WORK/ingest3")"
T=$(jq -r 'select(.file | endswith("snap-1.json")) | .tenant' "$WORK/ingest3")
[ "$(ss tenant list --format json | jq length)" = 5 ] || fail "tenant list"

echo "--- score --format json: the assess contract plus evaluatedAt, state, stateComment, regressed"
ss score --tenant "$T" --format json >"$WORK/score0.json"
jq -e '
  (.tenant | has("id") and has("displayName")) and has("collectedAt") and has("evaluatedAt") and
  has("catalogVersion") and
  (.score | (.current, .max, .percentage, .measured, .planned) | type == "number") and
  (.categories | length == 5 and all(has("name") and has("current") and has("max") and
                                     has("percentage"))) and
  (.controls | length > 0 and all(
     has("id") and has("title") and has("category") and has("service") and has("status") and
     has("state") and has("stateComment") and has("regressed") and has("points") and
     has("max") and has("count") and has("total") and has("scoreImpact") and
     (.failing | type == "array"))) and
  (.coverage | has("assessed") and has("notApplicable") and has("noData") and has("errors"))
' "$WORK/score0.json" >/dev/null || fail "score JSON contract"

echo "--- states: third_party → max, risk_accepted → 0, measured unchanged"
OPEN=$(jq -r '[.controls[] | select(.max > 0 and .points < .max)][0].id' "$WORK/score0.json")
EARN=$(jq -r --arg o "$OPEN" '[.controls[] | select(.points > 0 and .id != $o)][0].id' "$WORK/score0.json")
[ "$OPEN" != null ] && [ "$EARN" != null ] || fail "no control to change in the generated tenant"
ss state set --tenant "$T" "$OPEN" third_party --comment "mail gateway X" --by alice >/dev/null
ss state set --tenant "$T" "$EARN" risk_accepted --comment "accepted" --tags a,b >/dev/null
ss score --tenant "$T" --format json >"$WORK/score1.json"
point() { jq -r --arg id "$2" '.controls[] | select(.id == $id) | .'"$3" "$1"; }
[ "$(point "$WORK/score1.json" "$OPEN" points)" = "$(point "$WORK/score1.json" "$OPEN" max)" ] ||
  fail "third_party must earn the maximum"
[ "$(point "$WORK/score1.json" "$OPEN" stateComment)" = "mail gateway X" ] || fail "stateComment"
[ "$(point "$WORK/score1.json" "$EARN" points)" = 0 ] || fail "risk_accepted must earn 0"
[ "$(jq .score.measured "$WORK/score0.json")" = "$(jq .score.measured "$WORK/score1.json")" ] ||
  fail "measured must not move with states"
jq -e --slurpfile before "$WORK/score0.json" '.score.current != $before[0].score.current' \
  "$WORK/score1.json" >/dev/null || fail "the score must change at once"
[ "$(ss state history --tenant "$T" --format json | jq length)" = 2 ] || fail "state history"
ss state list --tenant "$T" | grep -q "$OPEN" || fail "state list"

echo "--- exceptions shrink count and total"
CTRL=$(jq -r '[.controls[] | select((.failing | length) > 0 and .total > 1)][0].id' "$WORK/score1.json")
[ "$CTRL" != null ] || fail "no failing per-entity control in the generated tenant"
ENTITY=$(jq -r --arg id "$CTRL" '.controls[] | select(.id == $id) | .failing[0].entityId' "$WORK/score1.json")
ss exception add --tenant "$T" "$CTRL" "$ENTITY" --rationale "break-glass" --owner secops >/dev/null
ss score --tenant "$T" --format json >"$WORK/score2.json"
[ "$(point "$WORK/score2.json" "$CTRL" count)" = "$(point "$WORK/score1.json" "$CTRL" count)" ] ||
  fail "an excepted failing entity leaves count as it is"
[ "$(point "$WORK/score2.json" "$CTRL" total)" = "$(($(point "$WORK/score1.json" "$CTRL" total) - 1))" ] ||
  fail "an excepted entity leaves the total"
[ "$(jq -r --arg id "$CTRL" '.controls[] | select(.id == $id) | .excepted[0].entityId' "$WORK/score2.json")" = "$ENTITY" ] ||
  fail "the excepted entity is listed"
[ "$(ss exception list --tenant "$T" --format json | jq length)" = 1 ] || fail "exception list"
ss exception remove --tenant "$T" "$CTRL" "$ENTITY" >/dev/null
[ "$(ss score --tenant "$T" --format json | point /dev/stdin "$CTRL" total)" = \
  "$(point "$WORK/score1.json" "$CTRL" total)" ] || fail "removing the exception restores the total"

echo "--- import-msgraph twice: no duplicate days"
ss import-msgraph --tenant "$T" "$FIXTURES/graph-securescore/secureScore.json" | grep -q "1 Microsoft day(s) added" ||
  fail "first import"
ss import-msgraph --tenant "$T" "$FIXTURES/graph-securescore/secureScore.json" \
  "$FIXTURES/graph-securescore/secureScore-multiple.json" | grep -q "0 Microsoft day(s) added, 1 replaced" ||
  fail "second import"
ss history --tenant "$T" --format json >"$WORK/history.json"
[ "$(jq '[.daily[] | select(.source == "microsoft")] | length' "$WORK/history.json")" = 1 ] ||
  fail "Microsoft's day must be stored once"

echo "--- history --format json contract"
jq -e '
  (keys | contains(["changes", "daily", "evaluations"])) and
  (.daily | length == 2 and all(has("date") and has("current") and has("max") and
                               has("percentage") and (.source == "securescore" or .source == "microsoft"))) and
  (.evaluations | length == 1 and all(has("id") and has("evaluatedAt") and has("current") and
                                      has("max") and has("snapshotHash"))) and
  (.changes | type == "array")
' "$WORK/history.json" >/dev/null || fail "history JSON contract: $(cat "$WORK/history.json")"
[ "$(ss history --tenant "$T" --from 2026-11-30 --to 2026-11-30 --format json | jq '.daily | length')" = 1 ] ||
  fail "history --from/--to"

echo "--- a second snapshot of the tenant: a change with its cause"
"$BIN" generate --users 40 --seed 1 --profile strong -o "$WORK/snap-1b.json" >/dev/null
ss ingest "$WORK/snap-1b.json" --tenant "$T" --format json >/dev/null
ss history --tenant "$T" --format json >"$WORK/history2.json"
[ "$(jq '.evaluations | length' "$WORK/history2.json")" = 2 ] || fail "second evaluation"
jq -e '.changes[0].causes | index("evidence")' "$WORK/history2.json" >/dev/null ||
  fail "the change is caused by evidence: $(jq .changes "$WORK/history2.json")"

echo "--- reevaluate: a new catalog adds an evaluation, the same one does not"
ss reevaluate --tenant "$T" >/dev/null
[ "$(ss history --tenant "$T" --format json | jq '.evaluations | length')" = 2 ] ||
  fail "reevaluating under the same catalog must not add evaluations"
mkdir -p "$WORK/catalog"
first_control=$(find "$HERE/../catalog/controls" -name '*.yaml' | sort | sed -n 1p)
sed 's/^title: .*/title: Changed for the reevaluate test/' "$first_control" >"$WORK/catalog/$(basename "$first_control")"
ss reevaluate --tenant "$T" --catalog "$WORK/catalog" >/dev/null
ss history --tenant "$T" --format json >"$WORK/history3.json"
[ "$(jq '.evaluations | length' "$WORK/history3.json")" = 4 ] ||
  fail "reevaluate under a new catalog adds one evaluation per snapshot"
jq -e '[.changes[].causes | index("catalog")] | any' "$WORK/history3.json" >/dev/null || fail "catalog cause"

echo "--- export"
ss export --tenant "$T" --format csv >"$WORK/actions.csv"
sed -n 1p "$WORK/actions.csv" | tr -d "\r" | grep -x >/dev/null \
  "id,title,points,max,scoreImpact,status,state,category,service,userImpact,implementationCost,regressed,lastEvaluated" ||
  fail "CSV header"
[ "$(ss export --tenant "$T" --format json | jq '.actions | length')" = "$(($(wc -l <"$WORK/actions.csv") - 1))" ] ||
  fail "CSV and JSON list the same actions"

echo "--- goals, zones, comparison, tenants"
ss goal set --tenant "$T" --target 80 --by 2027-06-30 --good 75 --okay 40 >/dev/null
[ "$(ss goal list --tenant "$T" --format json | jq -c '[.goals[0].targetPercentage, .zones.good]')" = "[80,75]" ] ||
  fail "goal list"
ss compare --tenant "$T" --format json >"$WORK/compare.json"
jq -e '.comparisons[0].basis == "AllTenants" and .comparisons[0].peers == 4 and
       (.comparisons[0].withheld | not)' "$WORK/compare.json" >/dev/null || fail "compare: $(cat "$WORK/compare.json")"
ss tenant show "$T" --format json | jq -e '.evaluations == 4' >/dev/null || fail "tenant show"
ss tenant add acme --name "Acme" --industry Retail --seats 120 >/dev/null
ss tenant remove acme >/dev/null
[ "$(ss tenant list --format json | jq length)" = 5 ] || fail "tenant remove"

echo "--- queue and worker"
generate_snapshots 5 6 30
ss ingest --queue "$WORK"/snap-{5,6}.json --format json >"$WORK/queued"
[ "$(jq -r .status "$WORK/queued" | sort -u)" = queued ] || fail "ingest --queue"
Q=$(jq -r .tenant "$WORK/queued" | sed -n 1p)
[ "$(ss history --tenant "$Q" --format json | jq '.evaluations | length')" = 0 ] ||
  fail "queued snapshots are not evaluated yet"
ss worker --once --id test-worker >"$WORK/worker.out"
[ "$(grep -c '^job .* stored evaluation' "$WORK/worker.out")" = 2 ] || fail "worker: $(cat "$WORK/worker.out")"
[ "$(ss history --tenant "$Q" --format json | jq '.evaluations | length')" = 1 ] || fail "worker evaluation"

echo "--- errors people meet"
expect_error 2 'unknown tenant "nobody"' ss score --tenant nobody
expect_error 2 "valid states: to_address, planned, risk_accepted, third_party, alternate_mitigation, reviewed" \
  ss state set --tenant "$T" "$OPEN" ignored_forever
expect_error 2 "expected an ISO 8601 date" ss history --tenant "$T" --from yesterday
expect_error 2 "expected an ISO 8601 date" ss goal set --tenant "$T" --target 50 --by 2027-13-45
expect_error 2 "no control 'NoSuchControl'" ss state set --tenant "$T" NoSuchControl planned
echo '{"schema": ' >"$WORK/broken.json"
expect_error 2 "broken.json" ss ingest "$WORK/broken.json"
expect_error 2 "give either --tenant ID or --all" ss reevaluate

check_database
echo "PASS ($ENGINE)"
