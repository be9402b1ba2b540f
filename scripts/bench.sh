#!/usr/bin/env bash
# Measures securescore against the performance targets of DESIGN §7 and writes
# docs/performance.md. Builds Release, generates synthetic tenants of 10k, 100k and 1M users
# (cached under build/bench-data/), then times — several runs each, median reported, wall clock,
# CPU (user+sys) and peak RSS from /usr/bin/time:
#   securescore assess FILE --format json   the whole catalog over the tenant
#   bench_parse FILE                        a bare simdjson On-Demand pass touching every value
#   jq (1M only)                            only the MFA-registration ratio
#
# Usage: scripts/bench.sh            (env: RUNS=3 JQ_RUNS=1 SIZES="10000 100000 1000000"
#                                     BUILD_DIR=build/bench-release DATA_DIR=build/bench-data
#                                     JOBS=2 OUT=docs/performance.md)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build/bench-release}"
DATA_DIR="${DATA_DIR:-$ROOT/build/bench-data}"
OUT="${OUT:-$ROOT/docs/performance.md}"
RUNS="${RUNS:-3}"
JQ_RUNS="${JQ_RUNS:-1}"   # jq needs minutes and ~5x the file in memory on 1M users
JOBS="${JOBS:-2}"
SIZES="${SIZES:-10000 100000 1000000}"
SEED=1
PROFILE=typical

log() { printf '== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
need_apt=()
[[ -x /usr/bin/time ]] || need_apt+=(time)
command -v jq >/dev/null || need_apt+=(jq)
if ((${#need_apt[@]})); then
  log "installing ${need_apt[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get install -y "${need_apt[@]}" >&2
fi

# --- build -------------------------------------------------------------------------------
log "building Release in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSECURESCORE_TESTS=OFF \
  >/dev/null
ninja -C "$BUILD_DIR" -j"$JOBS" securescore bench_parse bench_generate bench_pipeline >&2
SECURESCORE="$BUILD_DIR/src/securescore/cli/securescore"
BENCH_PARSE="$BUILD_DIR/bench/bench_parse"

# --- measuring ---------------------------------------------------------------------------
# run_timed OUTFILE CMD...: one run; appends "wall cpu maxrss_kb" to OUTFILE. Output goes to
# /dev/null, as `--format json >/dev/null` in DESIGN §7.
run_timed() {
  local out="$1"; shift
  local t; t="$(mktemp)"
  /usr/bin/time -o "$t" -f '%e %U %S %M' "$@" >/dev/null 2>/dev/null || {
    echo "command failed: $*" >&2; cat "$t" >&2; rm -f "$t"; return 1; }
  awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }' "$t" >>"$out"
  rm -f "$t"
}

# median OUTFILE COLUMN
median() {
  sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure NAME RUNS CMD...: a warm-up run (page cache; skipped when WARMUP=0), then RUNS timed
# runs; sets WALL[NAME] CPU[NAME] RSS[NAME] (medians). Returns 1 when a run fails.
declare -A WALL CPU RSS
measure() {
  local name="$1" runs="$2"; shift 2
  local f; f="$(mktemp)"
  log "$name: warm-up + $runs runs"
  [[ "${WARMUP:-1}" == 0 ]] || "$@" >/dev/null 2>&1 || true
  for ((r = 0; r < runs; r++)); do run_timed "$f" "$@" || { rm -f "$f"; return 1; }; done
  WALL[$name]="$(median "$f" 1)"
  CPU[$name]="$(median "$f" 2)"
  RSS[$name]="$(awk -v kb="$(median "$f" 3)" 'BEGIN { printf "%.0f", kb / 1024 }')"
  log "$name: wall ${WALL[$name]} s, cpu ${CPU[$name]} s, rss ${RSS[$name]} MB"
  rm -f "$f"
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- data --------------------------------------------------------------------------------
mkdir -p "$DATA_DIR"
GEN_VERSION="$(git -C "$ROOT" rev-parse --short HEAD:src/securescore/generate 2>/dev/null || echo dev)"
declare -A FILE SIZE_MB
for n in $SIZES; do
  FILE[$n]="$DATA_DIR/tenant-$n-s$SEED-$PROFILE-$GEN_VERSION.json"
  if [[ ! -s "${FILE[$n]}" ]]; then
    log "generating $n users"
    "$SECURESCORE" generate --users "$n" --seed "$SEED" --profile "$PROFILE" -o "${FILE[$n]}.tmp"
    mv "${FILE[$n]}.tmp" "${FILE[$n]}"
  fi
  SIZE_MB[$n]="$(awk -v b="$(stat -c %s "${FILE[$n]}")" 'BEGIN { printf "%.0f", b / 1048576 }')"
  measure "generate-$n" "$RUNS" "$SECURESCORE" generate --users "$n" --seed "$SEED" \
    --profile "$PROFILE" -o /dev/null
done

# --- runs --------------------------------------------------------------------------------
for n in $SIZES; do
  measure "assess-$n" "$RUNS" "$SECURESCORE" assess "${FILE[$n]}" --format json
  measure "parse-$n" "$RUNS" "$BENCH_PARSE" "${FILE[$n]}"
done
JQ_FILTER='.sources.graph["reports/authenticationMethods/userRegistrationDetails"]
           | (map(select(.isMfaRegistered)) | length) / length'
BIG="$(printf '%s\n' $SIZES | sort -n | tail -1)"
# The assess runs left the file in the page cache. jq holds the whole document (about 5x the
# file); a 16 GB address-space cap makes it fail alone rather than starve the machine.
JQ_NOTE=""
export JQ_OUT="$DATA_DIR/jq-ratio.txt"
WARMUP=0 measure "jq-$BIG" "$JQ_RUNS" bash -c 'ulimit -v 16777216; exec jq "$@" >"$JQ_OUT"' jq \
  "$JQ_FILTER" "${FILE[$BIG]}" || {
  WALL[jq-$BIG]=0; CPU[jq-$BIG]=0; RSS[jq-$BIG]=0
  JQ_NOTE="jq failed (out of its 16 GB cap?), so the jq comparison is missing."
}
ASSESS_SCORE="$("$SECURESCORE" assess "${FILE[$BIG]}" --format json 2>/dev/null |
  jq -r '"\(.score.percentage * 100 | round / 100)% over \(.controls | length) controls"')"
JQ_RATIO="$(cat "$JQ_OUT" 2>/dev/null || echo "not computed")"

# --- report ------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
  ok = (op == "<") ? (v < t) : (v >= t); print ok ? "met" : "**missed**" }'; }
fmt_n() { awk -v n="$1" 'BEGIN { if (n >= 1000000) printf "%gM", n / 1000000;
  else if (n >= 1000) printf "%gk", n / 1000; else print n }'; }

# Sections of $OUT that other benchmarks own (below the marker line) are kept as they are.
MARKER='<!-- End of the part scripts/bench.sh writes; sections below are kept when it reruns. -->'
KEPT=""
if [[ -f "$OUT" ]]; then
  if grep -qxF "$MARKER" "$OUT"; then
    KEPT="$(awk -v m="$MARKER" 'f && (n || NF) { n = 1; print } $0 == m { f = 1 }' "$OUT")"
  else
    KEPT="$(awk '/^## Fleet ingest/ { f = 1 } f { print }' "$OUT")"
  fi
fi

COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)"
git -C "$ROOT" diff --quiet HEAD -- src bench catalog 2>/dev/null || COMMIT="$COMMIT (+ uncommitted changes)"
CPU_MODEL="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
MEM_GB="$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
B100="$(printf '%s\n' $SIZES | grep -x 100000 || true)"

{
  cat <<EOT
# Performance

Measured by \`scripts/bench.sh\` against the targets of DESIGN §7. Every figure is the median
of $RUNS runs (jq: $JQ_RUNS, it takes minutes) after one warm-up run, so files are read from the page cache;
*wall* is elapsed time, *CPU* is user + system time, *RSS* is peak resident memory, all from
\`/usr/bin/time\`. Output goes to \`/dev/null\`.

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Commit: $COMMIT
- Machine: $(nproc) CPUs ($CPU_MODEL), ${MEM_GB} GB RAM, $(uname -sr)
- Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $LOAD. The machine is
  shared: when it is busy, wall times exceed CPU times and CPU is the steadier figure.
- Input: \`securescore generate --users N --seed $SEED --profile $PROFILE\` (devices = 80 % of
  users; all sources: Graph, ScubaGear, PowerShell)

## Against the targets

| target (DESIGN §7) | measured | |
|---|---|---|
EOT
  if [[ -n "$B100" ]]; then
    echo "| \`assess\` of a 100k-user tenant < 1 s wall | ${WALL[assess-100000]} s wall (CPU ${CPU[assess-100000]} s) | $(verdict "${WALL[assess-100000]}" "<" 1) |"
  fi
  echo "| \`assess\` of a $(fmt_n "$BIG")-user tenant < 10 s wall | ${WALL[assess-$BIG]} s wall (CPU ${CPU[assess-$BIG]} s) | $(verdict "${WALL[assess-$BIG]}" "<" 10) |"
  echo "| … peak RSS < 1.5 GB | ${RSS[assess-$BIG]} MB (file: ${SIZE_MB[$BIG]} MB) | $(verdict "${RSS[assess-$BIG]}" "<" 1536) |"
  R_PARSE="$(ratio "${WALL[assess-$BIG]}" "${WALL[parse-$BIG]}")"
  R_PARSE_CPU="$(ratio "${CPU[assess-$BIG]}" "${CPU[parse-$BIG]}")"
  echo "| … ≤ 3× a bare simdjson pass (${WALL[parse-$BIG]} s) | ${R_PARSE}× wall (${R_PARSE_CPU}× CPU) | $(verdict "$R_PARSE" "<" 3.0001) |"
  R_JQ="$(ratio "${WALL[jq-$BIG]}" "${WALL[assess-$BIG]}")"
  echo "| ≥ 5× faster than jq computing only the MFA ratio (${WALL[jq-$BIG]} s) | ${R_JQ}× faster | $(verdict "$R_JQ" ">=" 5) |"
  cat <<EOT
| fleet of 1,000 × 2,000-user tenants < 60 s | not measured by this script | |
| API GET vs nginx, PATCH-to-served | not measured by this script | |

On the $(fmt_n "$BIG") file \`assess\` reports $ASSESS_SCORE; jq's MFA-registration ratio is
$JQ_RATIO. $JQ_NOTE

## All figures

| users | file | generate (wall / CPU / RSS) | assess (wall / CPU / RSS) | bare parse (wall / CPU / RSS) | assess ÷ parse (wall / CPU) |
|---|---|---|---|---|---|
EOT
  for n in $SIZES; do
    echo "| $(fmt_n "$n") | ${SIZE_MB[$n]} MB | ${WALL[generate-$n]} s / ${CPU[generate-$n]} s / ${RSS[generate-$n]} MB | ${WALL[assess-$n]} s / ${CPU[assess-$n]} s / ${RSS[assess-$n]} MB | ${WALL[parse-$n]} s / ${CPU[parse-$n]} s / ${RSS[parse-$n]} MB | $(ratio "${WALL[assess-$n]}" "${WALL[parse-$n]}")× / $(ratio "${CPU[assess-$n]}" "${CPU[parse-$n]}")× |"
  done
  echo "| jq, $(fmt_n "$BIG") | | | | ${WALL[jq-$BIG]} s / ${CPU[jq-$BIG]} s / ${RSS[jq-$BIG]} MB | |"
  cat <<EOT

## Reading the figures

- The bare parse is \`bench_parse\` (bench/bench_parse.cpp): \`padded_string::load\` plus one
  simdjson On-Demand pass that unescapes every key and string and converts every number. Its
  peak RSS is about 2.3× the file, because simdjson holds the padded document plus its
  structural index; any tool that parses the whole document at once pays that, so the RSS
  target for 1M users cannot be met by loading the file whole.
- simdjson's On-Demand API is dispatched at compile time: built without \`-march\` flags (as
  both \`securescore\` and \`bench_parse\` are here) it uses the portable \`fallback\`
  kernel even on AVX-512 machines. The comparison stays like for like.
- Generation is timed writing to \`/dev/null\`; writing the 1M-user file to this machine's disk
  (about 130 MB/s) takes several seconds more.

## Reproduce

\`\`\`sh
scripts/bench.sh     # RUNS=$RUNS JQ_RUNS=$JQ_RUNS SIZES="$SIZES"; writes this file
\`\`\`

Micro-benchmarks of the stages (Google Benchmark; built with the rest, never run by CTest):
\`build/bench-release/bench/bench_generate\` (snapshot generation) and
\`build/bench-release/bench/bench_pipeline\` (loading evidence tables; evaluating the catalog).
The jq filter is \`$(echo $JQ_FILTER)\`.

$MARKER
EOT
  [[ -z "$KEPT" ]] || printf '\n%s\n' "$KEPT"
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
log "wrote $OUT"
