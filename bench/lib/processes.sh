# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# What the benchmark starts: its PostgreSQL and Payara Micro, and their stop
# on exit (Ctrl-C included).

SERVER_PID=
PG_DIR=
PG_PID=
PG_LOG=
SAMPLER_PID=
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }

stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

stop_postgres() {
  [[ -n $PG_DIR ]] || return 0
  stop_replica
  if [[ -f $PG_DIR/data/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if $KEEP; then echo "database data kept in $PG_DIR (start: $PG_BIN/pg_ctl -D $PG_DIR/data start)"
  else rm -rf "$PG_DIR"; fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_server
  stop_push_receivers
  if [[ -n ${SAMPLER_PID:-} ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  stop_postgres
  echo "results in ${RESULTS#"$ROOT"/}"
  exit $status
}
stop_on_exit() {
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

# PostgreSQL with its data in a folder of its own (the server refuses to run as root: as nobody).
# Settings: enough memory to hold the 1 M scale; fsync and synchronous commit as in production.
start_postgres() {
  PG_DIR=$(mktemp -d /tmp/lockin-bench-pg.XXXXXX)
  chmod 755 "$PG_DIR"; mkdir "$PG_DIR/data" "$PG_DIR/run"
  [[ $EUID -eq 0 ]] && chown nobody "$PG_DIR/data" "$PG_DIR/run"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$RESULTS/initdb.log" 2>&1
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR/run'
max_connections = 100
shared_buffers = 2GB
effective_cache_size = 8GB
work_mem = 16MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min
timezone = 'UTC'
log_line_prefix = '%m [%p] %a '
CONF
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/run/server.log" -w start >/dev/null
  PG_LOG=$PG_DIR/run/server.log
  PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
}

DATABASE_URL=postgresql://postgres:bench@127.0.0.1:$PG_PORT/lockin
db() { "${PSQL[@]}" -d lockin -v ON_ERROR_STOP=1 -Atq "$@"; }

# settings added to the server's environment by a scenario (NAME=value each: the push receivers')
SERVER_EXTRA_ENV=()
# Payara Micro with the settings of read_server_settings. Sets SERVER_PID, and
# READY_S: the seconds from launch to ready.
start_server() {
  local label=$1 jfr=() java_opts=()
  rm -rf "$STATE/micro"; mkdir -p "$STATE/micro"
  if $JFR && [[ $label == "$MAIN_SCALE" || $label == push ]]; then
    jfr=("-XX:StartFlightRecording=filename=$RESULTS/server-$label.jfr,settings=profile,dumponexit=true")
  fi
  read -ra java_opts <<<"$SERVER_JAVA_OPTS"   # split at spaces, as the unit does
  local launched
  launched=$(date +%s.%N)
  # The hot group's 20 simulated members read ~1,500 boards a second between
  # them, far past a person's 600 reads a minute: every read still takes its
  # token (counted in batches, as in production: a bucket transaction now and
  # then is part of what is measured), none is refused. The anchors (a constant
  # answer, with and without the API's path) are on for the anchor scenarios.
  env DATABASE_URL="$DATABASE_URL" \
      LOCKIN_RATE_LIMITS="reads=1000000/1m" \
      LOCKIN_BENCH_ANCHORS=true \
      LOCKIN_JWT_ISSUER=https://lockin.localhost/dev \
      LOCKIN_JWKS_LOCATION="$ROOT/.lockin/dev-jwks.json" \
      COGNITO_CLIENT_ID=lockin-dev-client \
      MALLOC_ARENA_MAX="$SERVER_MALLOC_ARENA_MAX" \
      "${SERVER_EXTRA_ENV[@]}" \
      java "${java_opts[@]}" -Duser.timezone=UTC \
           -Dmp.health.default.readiness.empty.response=DOWN "${jfr[@]}" \
           -jar "$MICRO" --deploy "$WAR" --contextroot / --port "$HTTP_PORT" \
           --maxhttpthreads "$SERVER_HTTP_THREADS" --nocluster \
           --rootdir "$STATE/micro" --prebootcommandfile "$ROOT/deploy/payara-preboot.asadmin" \
           --postdeploycommandfile "$ROOT/deploy/payara-postdeploy.asadmin" \
           >"$RESULTS/server-$label.log" 2>&1 &
  SERVER_PID=$!
  await_ready "$label" "$launched"
}
# An empty Payara Micro (no application) started as start_server starts the server, the anchor of
# the ready time (issue 28: within 3 s of it): EMPTY_READY_S, the seconds from launch until it
# logs that it is ready (with nothing deployed it serves no health endpoint: every path is 404,
# and its listener answers before its boot is over). Stopped at once.
start_empty_micro() {
  local java_opts=() launched pid
  rm -rf "$STATE/micro-empty"; mkdir -p "$STATE/micro-empty"
  read -ra java_opts <<<"$SERVER_JAVA_OPTS"
  launched=$(date +%s.%N)
  env MALLOC_ARENA_MAX="$SERVER_MALLOC_ARENA_MAX" \
      java "${java_opts[@]}" -Duser.timezone=UTC -jar "$MICRO" --port "$HTTP_PORT" \
           --maxhttpthreads "$SERVER_HTTP_THREADS" --nocluster \
           --rootdir "$STATE/micro-empty" --prebootcommandfile "$ROOT/deploy/payara-preboot.asadmin" \
           --postdeploycommandfile "$ROOT/deploy/payara-postdeploy.asadmin" \
           >"$RESULTS/server-empty.log" 2>&1 &
  pid=$!
  EMPTY_READY_S=
  for _ in $(seq 1 1800); do
    kill -0 "$pid" 2>/dev/null || die "the empty Payara Micro stopped while starting: see $RESULTS/server-empty.log"
    if grep -q 'Payara Micro .* ready in' "$RESULTS/server-empty.log"; then
      EMPTY_READY_S=$(echo "$(date +%s.%N) - $launched" | bc | xargs printf '%.1f')
      break
    fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  [[ -n $EMPTY_READY_S ]] || die "the empty Payara Micro was not ready within 3 minutes"
}

# ready = 200 from /health/ready with the application's database check in it
await_ready() { # label launched
  for _ in $(seq 1 1800); do
    kill -0 "$SERVER_PID" 2>/dev/null || die "Payara Micro stopped while starting: see $RESULTS/server-$1.log"
    if curl -s -m 1 "$BASE/health/ready" 2>/dev/null | grep -q '"database".*"UP"\|"UP".*"database"' \
       && [[ $(curl -s -o /dev/null -w '%{http_code}' -m 1 "$BASE/health/ready") == 200 ]]; then
      READY_S=$(echo "$(date +%s.%N) - $2" | bc | xargs printf '%.1f')
      return
    fi
    sleep 0.1
  done
  die "Payara Micro was not ready within 3 minutes"
}

rss_mb() { echo $(( $(ps -o rss= -p "$SERVER_PID") / 1024 )); }
