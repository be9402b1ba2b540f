#!/usr/bin/env bash
# One npm step of the CMake build, for web/ or tests/browser/: `install DIR` runs `npm ci` unless
# DIR/node_modules already matches DIR/package-lock.json; `build DIR` runs `npm run build`.
# Several build directories share the one source tree, so each step holds a lock on DIR while
# it runs: two `ninja` runs never write node_modules or dist at the same time.
set -euo pipefail
step="$1"
dir="$(cd "$2" && pwd)"
exec 9>"$dir/.npm-step.lock"
flock 9
cd "$dir"
case "$step" in
  install)
    # npm writes node_modules/.package-lock.json on every install: newer than the lock file
    # means another build directory installed exactly this lock already.
    if [ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
      npm ci --no-audit --no-fund --loglevel=error
      touch "$dir/node_modules/.package-lock.json"
    fi
    ;;
  build)
    npm run build --silent
    ;;
  *)
    echo "usage: $0 install|build DIR" >&2
    exit 2
    ;;
esac
