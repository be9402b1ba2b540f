#!/usr/bin/env bash
# API speed beside nginx, in one run (DESIGN §7): wrk on loopback against GET of a tenant's
# score from `securescore serve`, and against nginx serving the very same bytes as a static
# file; then the latency from a PATCH of a control's state to the new score being served.
#
#   scripts/bench-api.sh [BUILD_DIR] [DURATION_S]
#
# Needs wrk and nginx (scripts/setup.sh installs them). nginx runs on a private port with a
# private config in a temporary directory and is stopped at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
duration="${2:-10}"
bin="$build/src/securescore/cli/securescore"
[[ -x "$bin" ]] || bin="$build/securescore"
[[ -x "$bin" ]] || { echo "no securescore binary under $build" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$nginx_bin" ]] || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 2; }

tmp="$(mktemp -d)"
server_pid=""
nginx_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

db="sqlite:$tmp/store.db"
"$bin" generate --users 2500 --seed 11 --industry Finance -o "$tmp/snapshot.json"
"$bin" --db "$db" ingest "$tmp/snapshot.json" --tenant bench >/dev/null
token="$("$bin" --db "$db" token create --role operator --tenant bench 2>/dev/null)"

threads=4
"$bin" --db "$db" serve --listen "127.0.0.1:0" --threads "$threads" >"$tmp/serve.out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do grep -q http "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
api="$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)"
score_url="$api/api/v1/tenants/bench/score"

mkdir -p "$tmp/www" "$tmp/nginx"
curl -sf -H "Authorization: Bearer $token" "$score_url" >"$tmp/www/score.json"
nginx_port="$(free_port)"
cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { root $tmp/www; default_type application/json; }
  }
}
CONF
"$nginx_bin" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" 2>/dev/null &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/score.json" >/dev/null && break; sleep 0.1; done
bytes="$(wc -c <"$tmp/www/score.json")"

# wrk keeps each of its connections open (keep-alive), as nginx's own benchmarks do; the server
# spreads connections over its event-loop threads, so 4 connections on 4 threads.
run_wrk() {  # URL [header] → "requests/s p99"
  local out
  if [[ $# -gt 1 ]]; then
    out="$(wrk -t2 -c"$threads" -d"${duration}s" --latency -H "$2" "$1")"
  else
    out="$(wrk -t2 -c"$threads" -d"${duration}s" --latency "$1")"
  fi
  echo "$out" >>"$tmp/wrk.log"
  local rps p99
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  echo "$rps $p99"
}
read -r api_rps api_p99 < <(run_wrk "$score_url" "Authorization: Bearer $token")
read -r nginx_rps nginx_p99 < <(run_wrk "http://127.0.0.1:$nginx_port/score.json")
ratio="$(python3 -c "print(f'{100*$api_rps/$nginx_rps:.0f}')")"

# PATCH → served score: alternate a control's state and time until GET shows it.
control="$(curl -sf -H "Authorization: Bearer $token" "$api/api/v1/tenants/bench/actions?status=to_address&limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
patch_ms="$(python3 - "$api" "$token" "$control" <<'PY'
import http.client, json, sys, time, urllib.parse
api, token, control = sys.argv[1:]
u = urllib.parse.urlparse(api)
c = http.client.HTTPConnection(u.hostname, u.port)
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
times = []
for i in range(50):
    state = "third_party" if i % 2 == 0 else "to_address"
    t0 = time.perf_counter()
    c.request("PATCH", f"/api/v1/tenants/bench/actions/{control}", json.dumps({"state": state}), h)
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
    c.request("GET", "/api/v1/tenants/bench/score", headers=h)
    r = c.getresponse(); body = json.loads(r.read())
    times.append((time.perf_counter() - t0) * 1000)
    got = next(x["state"] for x in body["controls"] if x["id"] == control)
    assert got == state, (got, state)
times.sort()
print(f"{times[len(times)//2]:.1f} {times[int(len(times)*0.99)-1]:.1f} {times[-1]:.1f}")
PY
)"
read -r patch_p50 patch_p99 patch_max <<<"$patch_ms"

cat <<REPORT
score document: $bytes bytes (2,500-user Finance tenant), $threads server threads, wrk -t2 -c$threads -d${duration}s
securescore GET /api/v1/tenants/bench/score: $api_rps req/s, p99 $api_p99
nginx static file, same bytes:               $nginx_rps req/s, p99 $nginx_p99
ratio securescore / nginx: $ratio %
PATCH → served score (50 rounds, keep-alive): p50 ${patch_p50} ms, p99 ${patch_p99} ms, max ${patch_max} ms
REPORT
