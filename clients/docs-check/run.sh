#!/usr/bin/env bash
# CI checks that need the API running, on one start of `./lockin run`
# (embedded PostgreSQL, development tokens) on a free local port:
#   1. Spectral's spectral:oas ruleset (.spectral.yaml) on the OpenAPI document
#      as served at /openapi: no error and no warning;
#   2. /docs/ in a real browser (Debian's Chromium, headless, playwright-core):
#      Authorize with a development token, GET /api/me "Try it out" -> Execute,
#      the page shows 200 (docs-check.mjs).
# Installs what it needs: npm packages from the lockfile (npm ci), and Debian's
# chromium with apt-get when /usr/bin/chromium is missing (as root). A check
# that cannot run fails, saying why. Stops everything it started.
# Last line: "docs-check: PASS (...)" or "docs-check: FAIL: <why>".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
server_pid=

fail() { echo "docs-check: FAIL: $*"; exit 1; }

stop_server() {
  [[ -n $server_pid ]] || return 0
  # the launcher's process group: the launcher, Payara Micro, PostgreSQL
  kill -TERM -- "-$server_pid" 2>/dev/null
  for _ in $(seq 1 60); do
    kill -0 -- "-$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$server_pid" 2>/dev/null
  server_pid=
}
# the server's log stays in clients/docs-check/server.log (ignored by git)
trap 'stop_server; cp -f "$work/server.log" "$here/server.log" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { # the first free port from $1 up to $2
  local port
  for port in $(seq "$1" "$2"); do
    if port_free "$port"; then echo "$port"; return 0; fi
  done
  return 1
}

# ---------------------------------------------------------------- tools
command -v node >/dev/null && command -v npm >/dev/null || fail "Node.js 18+ and npm are needed"
chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  if [[ $chromium == /usr/bin/chromium && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "-- apt-get install chromium (Debian's; Playwright's own browser download is not used)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends chromium > "$work/apt.log" 2>&1 \
      || { apt-get update -q > "$work/apt.log" 2>&1 && apt-get install -y -q --no-install-recommends chromium >> "$work/apt.log" 2>&1; } \
      || { tail -n 5 "$work/apt.log"; fail "apt-get could not install chromium"; }
  else
    fail "no Chromium at $chromium (install Debian's: apt-get install chromium, as root; or set CHROMIUM)"
  fi
fi
"$chromium" --version 2>/dev/null | head -n 1
echo "-- npm ci (playwright-core, spectral-cli)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed in clients/docs-check"

# ---------------------------------------------------------------- the API
port=${DOCS_CHECK_PORT:-$(free_port 18190 18199)} || fail "no free port in 18190-18199 for the API"
db_port=$(free_port $((port + 1)) $((port + 20))) || fail "no free port for the embedded PostgreSQL"
base="http://127.0.0.1:$port"
echo "-- ./lockin run on port $port (embedded PostgreSQL on $db_port)"
started=$(date +%s)
(cd "$root" && LOCKIN_PORT=$port LOCKIN_DB_PORT=$db_port exec setsid ./lockin run) > "$work/server.log" 2>&1 &
server_pid=$!
until grep -q "LockIN is up" "$work/server.log"; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    tail -n 30 "$work/server.log"
    server_pid=
    fail "./lockin run ended before the API was up (its log above)"
  fi
  if (( $(date +%s) - started > 300 )); then
    tail -n 30 "$work/server.log"
    fail "the API was not up after 300 s (its log above)"
  fi
  sleep 1
done
echo "   up after $(( $(date +%s) - started )) s"
token=$(cd "$root" && ./lockin token docs-check 2>"$work/token.err") && [[ -n $token ]] \
  || { cat "$work/token.err"; fail "./lockin token could not make a development token"; }

# ---------------------------------------------------------------- 1. Spectral, as served
failures=()
echo "-- spectral lint (spectral:oas) $base/openapi"
if ! curl -sSf -o "$work/openapi.yaml" "$base/openapi"; then
  echo "spectral (served /openapi): FAIL: $base/openapi could not be read"
  failures+=("spectral")
elif (cd "$here" && npx --no-install spectral lint --ruleset "$root/.spectral.yaml" --fail-severity=warn "$work/openapi.yaml"); then
  echo "spectral (served /openapi): PASS (no error, no warning)"
else
  echo "spectral (served /openapi): FAIL (the problems above)"
  failures+=("spectral")
fi

# ---------------------------------------------------------------- 2. /docs/ in Chromium
if ! (cd "$here" && CHROMIUM=$chromium DOCS_CHECK_SCREENSHOT=${DOCS_CHECK_SCREENSHOT:-} node docs-check.mjs "$base" "$token"); then
  failures+=("docs")
fi

stop_server
if (( ${#failures[@]} > 0 )); then
  fail "${failures[*]} (lines above)"
fi
echo "docs-check: PASS (served /openapi: spectral:oas clean; /docs/ in Chromium: GET /api/me -> 200)"
