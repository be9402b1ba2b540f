# shellcheck shell=bash
# A private PostgreSQL cluster on loopback for the storage conformance suite. Sourced by
# scripts/test.sh (which provides `log`, `ensure_packages` and BUILD_DIR from setup.sh); exports
# SECURESCORE_TEST_PG_URL. Idempotent: a cluster already running is reused in well under a second.
#
# The cluster lives in $BUILD_DIR/pg-test (data/, the unix socket, log, password, port), or
# under /var/tmp when the postgres user cannot reach the build directory. It listens on
# 127.0.0.1 only (port 55432, or the next free one); the role authenticates with a password
# generated on first start, and the unix socket sits in a directory only the cluster's owner can
# enter. As root it runs as the `postgres` OS user (PostgreSQL refuses to run as root).

start_test_postgres() {
  local dir="${SECURESCORE_PG_TEST_DIR:-$BUILD_DIR/pg-test}"
  local role=securescore db=securescore_test
  ensure_packages postgresql libpq-dev

  local bin
  bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "error: PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
    return 1
  fi
  local as_owner=()
  if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
    # A checkout under a private directory (say /root) cannot be entered by `postgres`: keep
    # the cluster in a world-traversable place instead.
    if ! runuser -u postgres -- test -w "$dir"; then
      dir="/var/tmp/securescore-pg-test-$(printf '%s' "$BUILD_DIR" | md5sum | cut -c1-8)"
      mkdir -p "$dir"
      chown postgres:postgres "$dir"
    fi
  fi
  chmod 700 "$dir"

  # The port is chosen once per cluster and remembered: SECURESCORE_PG_TEST_PORT, else the
  # first free one from 55432 (another build directory's test cluster may hold 55432).
  local port
  if [ -f "$dir/port" ]; then
    port=$(cat "$dir/port")
  elif [ -f "$dir/data/postmaster.pid" ]; then
    port=$(sed -n 4p "$dir/data/postmaster.pid")  # a running cluster from an older script
    echo "$port" >"$dir/port"
  else
    port="${SECURESCORE_PG_TEST_PORT:-}"
    if [ -z "$port" ]; then
      port=55432
      while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    fi
    echo "$port" >"$dir/port"
  fi

  if ! "$bin/pg_isready" -q -h "$dir" -p "$port" 2>/dev/null; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "error: port $port (recorded in $dir/port) is taken by another program;" \
        "remove that file to pick a free port" >&2
      return 1
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      log "initialising the test PostgreSQL cluster in $dir"
      head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password"
      if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir/password"; fi
      chmod 600 "$dir/password"
      "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        return 1
      }
    fi
    log "starting the test PostgreSQL cluster on 127.0.0.1:$port"
    # fsync off: a throw-away test cluster trades durability for speed on a shared machine.
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=100" \
      >/dev/null || {
      tail -n 20 "$dir/server.log" >&2
      return 1
    }
  fi
  local tries=0
  until "$bin/pg_isready" -q -h "$dir" -p "$port"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then
      echo "error: test PostgreSQL on port $port is not ready; see $dir/server.log" >&2
      return 1
    fi
    sleep 0.5
  done

  local password psql=("${as_owner[@]}" "$bin/psql" -h "$dir" -p "$port" -U postgres -qtAX)
  password=$(cat "$dir/password")
  if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE ROLE $role LOGIN PASSWORD '$password'" >/dev/null
  fi
  if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $db OWNER $role" >/dev/null
  fi
  export SECURESCORE_TEST_PG_URL="postgresql://$role:$password@127.0.0.1:$port/$db"
}

start_test_postgres
