#!/usr/bin/env bash
# ./lockin bench: LockIN's benchmark, unattended (see BENCHMARKS.md).
#
#   ./lockin bench [--10m] [--duration S] [--warmup S] [--connections N] [--jfr] [--keep] [--no-docs]
#
#   --10m          also the 10 M time-log scale (progress cost, startup; adds ~10 minutes)
#   --duration S   seconds each measured load runs (default 30); every figure is the median of 3 runs
#   --warmup S     most seconds of warm-up load before a scenario is measured (default 120): 10 s
#                  chunks with a 3 s pause after each, until two chunks in a row bring no new high
#                  by more than 5 % (results thrown away)
#   --connections  concurrent connections of wrk and of pgbench (default 32)
#   --jfr          record a Java Flight Recording of the server at the 1 M scale (in the results)
#   --keep         keep the database's data folder at the end (it is removed otherwise)
#   --no-docs      do not update BENCHMARKS.md and bench/results.png
#
# What it does, in order, for each scale (10 k, 1 M time logs, and 10 M with --10m):
#   1. a fresh PostgreSQL database, migrated, filled by bench/generate.sql (set-based SQL)
#   2. Payara Micro started as in production (the launcher's JVM flags): seconds from launch to
#      /health/ready answering 200 with its database check, and its resident memory (RSS) idle
#   3. the progress query: EXPLAIN ANALYZE of the statement the application sends (captured from
#      the server's SQL log), and the endpoint's p50 under load
# and at 1 M, the main scale:
#   4. every scenario under wrk (32 connections, each simulated user sending its own token):
#      requests/s, p50/p99, errors (non-2xx included), RSS under load (the peak)
#   5. the database-only ceiling: pgbench with the same connections replaying exactly the SQL
#      statements one request of the scenario sent (captured with log_statement = all)
#   6. the table (printed, and written with the chart into BENCHMARKS.md)
#
# Everything it starts (PostgreSQL, Payara Micro) it stops on exit, Ctrl-C included.
# Other processes on this machine disturb the figures: each measurement records the CPU that
# processes other than the benchmark's own used meanwhile, and a disturbed one is run again.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BEGAN=$(date +%s)
BENCH_ARGS="$*"

# ---------------------------------------------------------------- options
SCALES=(10000 1000000)
MAIN_SCALE=1000000
DURATION=30
WARMUP=120
WARMUP_CHUNK=10
STABLE_PERCENT=5   # two warm-up chunks this close in throughput: warm
RUNS=3             # measured runs per figure (median reported, spread = (max - min) / median)
CONNECTIONS=32
JFR=false
KEEP=false
DOCS=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --10m) SCALES+=(10000000) ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    --jfr) JFR=true ;;
    --keep) KEEP=true ;;
    --no-docs) DOCS=false ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see ./lockin bench --help)" >&2; exit 2 ;;
  esac
  shift
done
PG_PORT=${BENCH_PG_PORT:-18432}
HTTP_PORT=${BENCH_HTTP_PORT:-18080}
BASE=http://127.0.0.1:$HTTP_PORT
STATE=$ROOT/.lockin/bench
RESULTS=$STATE/results/$(date +%Y%m%d-%H%M%S)
DISTURBED_PERCENT=10   # CPU of other processes (% of the machine) above which a measurement is redone
CLOCK_USERS=1024
mkdir -p "$RESULTS"
exec > >(tee "$RESULTS/run.log") 2>&1

say() { printf '\n[%s +%ds] %s\n' "$(date +%H:%M:%S)" $(($(date +%s) - BEGAN)) "$*"; }
die() { echo "bench: $*" >&2; exit 1; }

# ---------------------------------------------------------- prerequisites
# Debian packages: wrk (load), gnuplot-nox (chart), PostgreSQL (server, psql, pgbench).
need_packages=()
command -v wrk >/dev/null || need_packages+=(wrk)
command -v gnuplot >/dev/null || need_packages+=(gnuplot-nox)
ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || need_packages+=(postgresql)
if [[ ${#need_packages[@]} -gt 0 ]]; then
  say "Installing ${need_packages[*]} (apt-get)"
  [[ $EUID -eq 0 ]] || die "missing ${need_packages[*]}: install them (apt-get install -y ${need_packages[*]})"
  # no cluster of its own: the benchmark makes its own database
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    mkdir -p /etc/postgresql-common && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold "${need_packages[@]}" >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PSQL=("$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U postgres)
command -v java >/dev/null || die "Java 17 is needed"

# the application, built when missing or older than its sources (as ./lockin run does)
WAR=lockin-web/target/lockin.war
MICRO=lockin-web/target/payara-micro.jar
if [[ ! -f $WAR || ! -f $MICRO ]] || ! ls lockin-dev/target/lockin-dev-*.jar >/dev/null 2>&1 \
   || [[ -n "$(find pom.xml db lockin-*/pom.xml lockin-*/src -newer "$WAR" -type f -print -quit 2>/dev/null)" ]]; then
  say "Building LockIN (mvn package, tests skipped)"
  mvn -B -q -DskipTests package
fi

# ------------------------------------------------ start and stop (and trap)
SERVER_PID=
PG_DIR=
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

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_server
  [[ -n ${SAMPLER_PID:-} ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [[ -n $PG_DIR && -f $PG_DIR/data/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [[ -n $PG_DIR ]]; then
    if $KEEP; then echo "database data kept in $PG_DIR (start: $PG_BIN/pg_ctl -D $PG_DIR/data start)"
    else rm -rf "$PG_DIR"; fi
  fi
  echo "results in ${RESULTS#$ROOT/}"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL with its data in a folder of its own (the server refuses to run as root: as nobody).
# Settings: enough memory to hold the 1 M scale; fsync and synchronous commit as in production.
start_postgres() {
  PG_DIR=$(mktemp -d /tmp/lockin-bench-pg.XXXXXX)
  chmod 755 "$PG_DIR"; mkdir "$PG_DIR/data" "$PG_DIR/run"
  [[ $EUID -eq 0 ]] && chown nobody "$PG_DIR/data" "$PG_DIR/run"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$RESULTS/initdb.log" 2>&1
  cat >>"$PG_DIR/data/postgresql.conf" <<EOF
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
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/run/server.log" -w start >/dev/null
  PG_LOG=$PG_DIR/run/server.log
  PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
}

DATABASE_URL=postgresql://postgres:bench@127.0.0.1:$PG_PORT/lockin
db() { "${PSQL[@]}" -d lockin -v ON_ERROR_STOP=1 -Atq "$@"; }

# Payara Micro the production way: the JVM options, malloc arenas and HTTP worker threads of
# the systemd unit (read from deploy/lockin.service), the launcher's environment (development key).
UNIT_JAVA_OPTS=$(sed -n 's/^Environment="LOCKIN_JAVA_OPTS=\(.*\)"$/\1/p' deploy/lockin.service)
UNIT_HTTP_THREADS=$(sed -n 's/^Environment=LOCKIN_HTTP_THREADS=\([0-9]*\)$/\1/p' deploy/lockin.service)
UNIT_MALLOC_ARENA_MAX=$(sed -n 's/^Environment=MALLOC_ARENA_MAX=\([0-9]*\)$/\1/p' deploy/lockin.service)
[[ -n $UNIT_JAVA_OPTS && -n $UNIT_HTTP_THREADS && -n $UNIT_MALLOC_ARENA_MAX ]] \
  || die "deploy/lockin.service lacks LOCKIN_JAVA_OPTS, LOCKIN_HTTP_THREADS or MALLOC_ARENA_MAX"
# Sets SERVER_PID, and READY_S: the seconds from launch to ready.
start_server() {
  local label=$1 jfr=()
  rm -rf "$STATE/micro"; mkdir -p "$STATE/micro"
  if $JFR && [[ $label == "$MAIN_SCALE" ]]; then
    jfr=("-XX:StartFlightRecording=filename=$RESULTS/server-$label.jfr,settings=profile,dumponexit=true")
  fi
  local launched
  launched=$(date +%s.%N)
  env DATABASE_URL="$DATABASE_URL" \
      LOCKIN_JWT_ISSUER=https://lockin.localhost/dev \
      LOCKIN_JWKS_LOCATION="$ROOT/.lockin/dev-jwks.json" \
      COGNITO_CLIENT_ID=lockin-dev-client \
      MALLOC_ARENA_MAX=$UNIT_MALLOC_ARENA_MAX \
      java $UNIT_JAVA_OPTS -Duser.timezone=UTC \
           -Dmp.health.default.readiness.empty.response=DOWN "${jfr[@]}" \
           -jar "$MICRO" --deploy "$WAR" --contextroot / --port "$HTTP_PORT" \
           --maxhttpthreads "$UNIT_HTTP_THREADS" --nocluster \
           --rootdir "$STATE/micro" --prebootcommandfile "$ROOT/deploy/payara-preboot.asadmin" \
           >"$RESULTS/server-$label.log" 2>&1 &
  SERVER_PID=$!
  # ready = 200 from /health/ready with the application's database check in it
  for _ in $(seq 1 1800); do
    kill -0 "$SERVER_PID" 2>/dev/null || die "Payara Micro stopped while starting: see $RESULTS/server-$label.log"
    if curl -s -m 1 "$BASE/health/ready" 2>/dev/null | grep -q '"database".*"UP"\|"UP".*"database"' \
       && [[ $(curl -s -o /dev/null -w '%{http_code}' -m 1 "$BASE/health/ready") == 200 ]]; then
      READY_S=$(echo "$(date +%s.%N) - $launched" | bc | xargs printf '%.1f')
      return
    fi
    sleep 0.1
  done
  die "Payara Micro was not ready within 3 minutes"
}

rss_mb() { echo $(( $(ps -o rss= -p "$SERVER_PID") / 1024 )); }

# --------------------------------------------------- disturbance by others
# CPU ticks: the machine's busy total, and the benchmark's own (this script and everything it
# waited for, the server, PostgreSQL and its backends, live and ended).
ticks_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
ticks_of() {   # a process's CPU ticks, its own and its ended children's (0 when it is gone)
  local t=
  [[ -n $1 ]] && t=$(awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null)
  echo "${t:-0}"
}
ticks_mine() {
  local total=$(( $(ticks_of $$) + $(ticks_of "$SERVER_PID") + $(ticks_of "$PG_PID") )) pid
  for pid in $(pgrep -P "$PG_PID"); do total=$((total + $(ticks_of "$pid"))); done
  echo $total
}
CORES=$(nproc)
mark_cpu() { MARK_T=$(date +%s.%N); MARK_BUSY=$(ticks_busy); MARK_MINE=$(ticks_mine); }
# percent of the machine the others used since mark_cpu
others_percent() {
  local seconds busy mine
  seconds=$(echo "$(date +%s.%N) - $MARK_T" | bc); busy=$(( $(ticks_busy) - MARK_BUSY )); mine=$(( $(ticks_mine) - MARK_MINE ))
  echo "o = ($busy - $mine) * 100 / ($seconds * 100 * $CORES); if (o < 0) o = 0; o" | bc -l | xargs printf '%.0f\n'
}
# waits (at most two minutes) until others use less than the threshold for 3 seconds
wait_quiet() {
  local i o
  for i in $(seq 1 24); do
    mark_cpu; sleep 3; o=$(others_percent)
    [[ $o -lt $DISTURBED_PERCENT ]] && return
    [[ $i -eq 1 ]] && echo "  (other processes use ${o}% of the machine: waiting for quiet)"
    sleep 2
  done
}

# ------------------------------------------------------------- measuring
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# (max - min) / median of the numbers on stdin, in percent
spread() { sort -g | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "%.0f\n", (m > 0 ? (v[NR] - v[1]) * 100 / m : 0) }'; }
field() { sed "s/.* $1=\([^ ]*\).*/\1/" <<<"$2"; }
# wrk: prints "rps p50 p90 p99 errors others%"; RSS sampled meanwhile into $RESULTS/rss.samples
run_wrk() {   # scenario users_file threads seconds [extra args]
  local scenario=$1 users=$2 threads=$3 seconds=$4; shift 4
  wrk -t "$threads" -c "$CONNECTIONS" -d "${seconds}s" --timeout 5s -s bench/load.lua "$BASE" \
      -- "$scenario" "$users" "$threads" "$@"
}

SAMPLER_PID=
sample_rss() { while sleep 0.5; do ps -o rss= -p "$SERVER_PID" 2>/dev/null >>"$RESULTS/rss.samples" || break; done; }

# one scenario under load: warm-up until throughput is stable, then $RUNS measured runs (a run
# disturbed by other processes is done again, at most twice). Sets W_RPS W_P50 W_P99 (medians),
# W_SPREAD (throughput spread, %), W_ERRORS (sum), W_OTHERS (the most disturbed run kept).
measure_api() {   # name scenario users_file threads [extra args]
  local name=$1 scenario=$2 users=$3 threads=$4; shift 4
  local out o line best=0 flat=0 rps chunk run redo lines=() others=()
  # Warm-up in chunks with a short idle pause after each: on two cores under full load the JIT's
  # compiler threads starve, and the pause lets them compile what queued up. Warm = a plateau:
  # two chunks in a row without a new high by more than $STABLE_PERCENT %.
  for chunk in $(seq 1 $((WARMUP / WARMUP_CHUNK))); do
    "${BEFORE_RUN:-true}"
    out=$(run_wrk "$scenario" "$users" "$threads" "$WARMUP_CHUNK" "$@")
    echo "$out" >"$RESULTS/wrk-$name-warmup-$chunk.txt"
    rps=$(field rps "$(grep '^RESULT' <<<"$out")")
    if [[ $(echo "$rps > $best * (1 + $STABLE_PERCENT / 100)" | bc -l) == 1 ]]; then
      best=$rps; flat=0
    else
      flat=$((flat + 1))
    fi
    if [[ $flat -ge 2 ]]; then
      echo "  warm after $((chunk * WARMUP_CHUNK)) s of load (best chunk ${best} req/s, then $flat without a new high)"
      break
    fi
    sleep 3
  done
  if [[ $flat -lt 2 ]]; then
    echo "  warm-up ended after ${WARMUP} s of load still improving (best chunk ${best} req/s)"
  fi
  for run in $(seq 1 "$RUNS"); do
    for redo in 0 1 2; do
      "${BEFORE_RUN:-true}"
      wait_quiet
      sample_rss & SAMPLER_PID=$!
      mark_cpu
      out=$(run_wrk "$scenario" "$users" "$threads" "$DURATION" "$@")
      o=$(others_percent)
      kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
      echo "$out" >"$RESULTS/wrk-$name-$run.txt"
      line=$(grep '^RESULT' <<<"$out") || die "wrk gave no result for $name: $out"
      echo "  run $run: ${line#RESULT } others=${o}%"
      grep '^FIRST_ERROR' <<<"$out" | sed 's/^/  /' || true
      [[ $o -lt $DISTURBED_PERCENT || $redo -eq 2 ]] && break
      echo "  disturbed by other processes: again"
    done
    lines+=("$line"); others+=("$o")
  done
  W_RPS=$(for l in "${lines[@]}"; do field rps "$l"; done | median)
  W_SPREAD=$(for l in "${lines[@]}"; do field rps "$l"; done | spread)
  W_P50=$(for l in "${lines[@]}"; do field p50_ms "$l"; done | median)
  W_P99=$(for l in "${lines[@]}"; do field p99_ms "$l"; done | median)
  W_ERRORS=$(for l in "${lines[@]}"; do field errors "$l"; done | paste -sd+ | bc)
  W_OTHERS=$(printf '%s\n' "${others[@]}" | sort -n | tail -n 1)
  echo "  median of $RUNS: ${W_RPS} req/s (spread ${W_SPREAD} %), p50 ${W_P50} ms, p99 ${W_P99} ms"
}

# pgbench replaying the captured statements, $RUNS runs after a short warm-up: sets D_TPS D_P50
# D_P99 (medians), D_SPREAD, D_OTHERS (a replay with failed transactions is no ceiling: the run stops)
measure_db() {   # name
  local name=$1 run redo out o defines=() tpss=() p50s=() p99s=() others=()
  mapfile -t defines <"$RESULTS/sql/$name.defines"
  local args=(-h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2
              -f "$RESULTS/sql/$name.pgbench" "${defines[@]}" -D "clients=$CONNECTIONS" -D "users=$CLOCK_USERS")
  # the application's connections run with jit=off (ConfiguredDataSource); so do these
  "${BEFORE_RUN:-true}"
  PGOPTIONS='-c jit=off' "$PG_BIN/pgbench" "${args[@]}" -T 10 lockin >"$RESULTS/pgbench-$name-warmup.txt" 2>&1 \
    || die "pgbench failed on $name: see $RESULTS/pgbench-$name-warmup.txt"
  for run in $(seq 1 "$RUNS"); do
    for redo in 0 1 2; do
      "${BEFORE_RUN:-true}"
      wait_quiet
      rm -rf "$RESULTS/pgbench-log"; mkdir -p "$RESULTS/pgbench-log"
      mark_cpu
      PGOPTIONS='-c jit=off' "$PG_BIN/pgbench" "${args[@]}" -T "$DURATION" -r -l --log-prefix="$RESULTS/pgbench-log/tx" lockin \
        >"$RESULTS/pgbench-$name-$run.txt" 2>&1 || die "pgbench failed on $name: see $RESULTS/pgbench-$name-$run.txt"
      o=$(others_percent)
      out=$(cat "$RESULTS/pgbench-log"/tx* | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END {printf "%.2f %.2f\n", v[int(NR*0.5)+1]/1000, v[int(NR*0.99)+1]/1000}')
      local tps failed
      tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$RESULTS/pgbench-$name-$run.txt")
      failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$RESULTS/pgbench-$name-$run.txt")
      echo "  run $run: tps=$tps p50_ms=${out% *} p99_ms=${out#* } failed=${failed:-0} others=${o}%"
      [[ ${failed:-0} -eq 0 ]] || die "the database-only replay of $name had ${failed} failed transactions: see $RESULTS/pgbench-$name-$run.txt"
      [[ $o -lt $DISTURBED_PERCENT || $redo -eq 2 ]] && break
      echo "  disturbed by other processes: again"
    done
    tpss+=("$tps"); p50s+=("${out% *}"); p99s+=("${out#* }"); others+=("$o")
  done
  D_TPS=$(printf '%s\n' "${tpss[@]}" | median); D_SPREAD=$(printf '%s\n' "${tpss[@]}" | spread)
  D_P50=$(printf '%s\n' "${p50s[@]}" | median); D_P99=$(printf '%s\n' "${p99s[@]}" | median)
  D_OTHERS=$(printf '%s\n' "${others[@]}" | sort -n | tail -n 1)
  echo "  median of $RUNS: ${D_TPS} tps (spread ${D_SPREAD} %), p50 ${D_P50} ms, p99 ${D_P99} ms"
  rm -rf "$RESULTS/pgbench-log"
}

# Before each clock run, the same tables: what earlier clock runs (and the capture) made is
# deleted (their sessions, with their participants and time logs, and the idempotency keys;
# a run stops mid-cycle and leaves sessions running, and one person may run one session at a
# time) and vacuumed. Without it every run adds to the tables and the ceiling drifts down from
# run to run (746 to 555 statements/s over four replays in the run of 2026-11-29).
clock_reset() {
  db -c "delete from sessions where created_at > '$GENERATED_AT'
          and creator_id in (select profile_id from bench.clock_users)" -c "delete from idempotency_keys" >/dev/null
  db -c "vacuum analyze sessions, session_participants, time_logs, idempotency_keys" >/dev/null
}

# ------------------------------------------------------- capturing the SQL
# capture SEND: with log_statement = all, runs the function SEND, which sends requests with
# `request LABEL curl-args...` (each followed by a marker statement in the log) and may add
# name=value pairs to CAPTURE_VARS; then bench/capture.pl turns the log into pgbench scripts.
request() {
  local label=$1; shift
  curl -s -f -o "$RESULTS/sql/answer.json" "$@" || die "request $label failed while capturing"
  PGAPPNAME=bench-marker "${PSQL[@]}" -d lockin -Atqc "select 'bench-capture-end:$label'" >/dev/null
}
capture() {
  local send=$1 offset
  mkdir -p "$RESULTS/sql"
  for _ in 1 2 3; do
    CAPTURE_VARS=()
    offset=$(stat -c %s "$PG_LOG")
    db -c "alter system set log_statement = 'all'" -c "select pg_reload_conf()" >/dev/null; sleep 0.5
    "$send"
    db -c "alter system reset log_statement" -c "select pg_reload_conf()" >/dev/null
    tail -c +$((offset + 1)) "$PG_LOG" >"$RESULTS/sql/capture.log"
    if perl bench/capture.pl "$RESULTS/sql/capture.log" "$RESULTS/sql" "${CAPTURE_VARS[@]}" >"$RESULTS/sql/capture.out" 2>&1; then
      sed 's/^/  /' "$RESULTS/sql/capture.out"; return
    fi
    cat "$RESULTS/sql/capture.out"
  done
  die "could not capture the statements"
}
auth() { echo "Authorization: Bearer $1"; }
send_progress() {
  request progress -H "$(auth "$HOT_TOKEN")" "$BASE/api/groups/$HOT/progress/current"
}
send_all() {
  send_progress
  request groups -H "$(auth "$USER_TOKEN")" "$BASE/api/groups"
  request notifications -H "$(auth "$USER_TOKEN")" "$BASE/api/notifications?limit=20"
  # one clock cycle as the first clock user, in their group
  request clock:0 -X POST -H "$(auth "$USER_TOKEN")" -H 'Content-Type: application/json' \
          -H "Idempotency-Key: bench-capture-key-0" -d "{\"group_id\":\"$CLOCK_GROUP\"}" "$BASE/api/sessions"
  local sid
  sid=$(sed 's/.*"id":"\([^"]*\)".*/\1/' "$RESULTS/sql/answer.json")
  local step=1 action
  for action in start pause resume stop; do
    request "clock:$step" -X POST -H "$(auth "$USER_TOKEN")" -H "Idempotency-Key: bench-capture-key-$step" \
            "$BASE/api/sessions/$sid:$action"
    step=$((step + 1))
  done
  CAPTURE_VARS=(uid="$CLOCK_UID" gid="$CLOCK_GROUP" sid="$sid")
  for step in 0 1 2 3 4; do CAPTURE_VARS+=("key$step=bench-capture-key-$step"); done
}

# The progress statement, prepared and run under EXPLAIN ANALYZE 15 times (the first 5 warm the
# plan cache as the application's connections are warm): prints the median execution and
# planning milliseconds of the last 10.
explain_progress() {
  [[ -s $RESULTS/sql/progress.explain.sql ]] || die "the progress statement was not captured"
  {
    echo "set jit = off;"
    cat "$RESULTS/sql/progress.explain.sql"
    for _ in $(seq 1 15); do echo "explain (analyze, buffers) execute bench_progress($(cat "$RESULTS/sql/progress.explain.args"));"; done
  } >"$RESULTS/sql/progress-explain.sql"
  db -f "$RESULTS/sql/progress-explain.sql" >"$RESULTS/explain-$1.txt"
  local median='NR > 5 { print $3 }'
  echo "$(grep 'Execution Time' "$RESULTS/explain-$1.txt" | awk "$median" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
       "$(grep 'Planning Time' "$RESULTS/explain-$1.txt" | awk "$median" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
}

# ================================================================== the run
say "LockIN benchmark: scales ${SCALES[*]} time logs, $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s per load"
echo "results: ${RESULTS#$ROOT/}"
start_postgres
say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT (data in $PG_DIR)"

# tokens: bench-user-1 .. bench-user-N, signed by the development key (created when missing)
TOKENS=$RESULTS/tokens.txt

declare -A STARTUP STARTUP_SPREAD PROGRESS_SPREAD RSS_IDLE PROGRESS_P50 PROGRESS_P99 PROGRESS_RPS EXPLAIN_MS PLAN_MS SIZE LOGS GEN_S
for scale in "${SCALES[@]}"; do
  say "Scale $scale time logs: database"
  "${PSQL[@]}" -d postgres -qc "drop database if exists lockin" -c "create database lockin"
  DATABASE_URL=$DATABASE_URL ./lockin migrate >"$RESULTS/migrate-$scale.log" 2>&1 || die "migration failed: $RESULTS/migrate-$scale.log"
  t0=$(date +%s.%N)
  # the load only: no fsync and no full-page images (a crash would mean generating again);
  # switched back before anything is measured
  db -c "alter system set fsync = off" -c "alter system set full_page_writes = off" -c "select pg_reload_conf()" >/dev/null
  db -v logs="$scale" -f bench/generate.sql >"$RESULTS/generate-$scale.log"
  db -c "vacuum analyze"
  db -c "alter system reset fsync" -c "alter system reset full_page_writes" -c "select pg_reload_conf()" -c "checkpoint" >/dev/null
  GENERATED_AT=$(db -c "select now()")
  GEN_S[$scale]=$(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.0f')
  LOGS[$scale]=$(db -c "select count(*) from time_logs")
  SIZE[$scale]=$(db -c "select pg_size_pretty(pg_database_size('lockin'))")
  echo "  $(tail -n 1 "$RESULTS/generate-$scale.log" | tr '|' ' ' | awk '{printf "%s users, %s groups, %s memberships, %s sessions, %s time logs, %s notifications", $1,$2,$3,$4,$5,$6}')"
  echo "  generated, vacuumed and analysed in ${GEN_S[$scale]} s; database ${SIZE[$scale]}"

  HOT=$(db -c "select md5('bench-group-1')::uuid")
  if [[ ! -s $TOKENS ]]; then
    ./lockin tokens "$(db -c "select max(n) from bench.clock_users")" >"$TOKENS"
  fi
  sed -n '1,20p' "$TOKENS" | sed 's/$/ -/' >"$RESULTS/users-hot.txt"
  db -F ' ' -c "select n, group_id from bench.clock_users order by k" \
    | awk 'NR == FNR { token[NR] = $1; next } { print token[$1], $2 }' "$TOKENS" - >"$RESULTS/users-clock.txt"

  say "Scale $scale: Payara Micro, started $RUNS times (ready time: the median)"
  readies=()
  for run in $(seq 1 "$RUNS"); do
    for attempt in 1 2 3; do
      wait_quiet
      mark_cpu
      start_server "$scale"
      o=$(others_percent)
      [[ $o -lt $DISTURBED_PERCENT || $attempt -eq 3 ]] && break
      echo "  ready in $READY_S s, but other processes used ${o}% of the machine meanwhile: again"
      stop_server
    done
    echo "  start $run: ready in $READY_S s"
    readies+=("$READY_S")
    if [[ $run -lt $RUNS ]]; then stop_server; fi
  done
  READY_S=$(printf '%s\n' "${readies[@]}" | median)
  STARTUP_SPREAD[$scale]=$(printf '%s\n' "${readies[@]}" | spread)
  STARTUP[$scale]=$READY_S
  sleep 5
  RSS_IDLE[$scale]=$(rss_mb)
  echo "  ready in ${STARTUP[$scale]} s (median, spread ${STARTUP_SPREAD[$scale]} %); RSS idle ${RSS_IDLE[$scale]} MB"

  HOT_TOKEN=$(sed -n 1p "$TOKENS")
  USER_TOKEN=$(sed -n 1p "$RESULTS/users-clock.txt" | cut -d' ' -f1)
  CLOCK_GROUP=$(sed -n 1p "$RESULTS/users-clock.txt" | cut -d' ' -f2)
  # a few requests first, so that what is captured is a warm request (cached identity, pool)
  for _ in 1 2 3 4 5 6; do
    curl -s -o /dev/null -H "Authorization: Bearer $HOT_TOKEN" "$BASE/api/groups/$HOT/progress/current"
    curl -s -o /dev/null -H "Authorization: Bearer $USER_TOKEN" "$BASE/api/groups"
    curl -s -o /dev/null -H "Authorization: Bearer $USER_TOKEN" "$BASE/api/notifications?limit=20"
  done

  if [[ $scale != "$MAIN_SCALE" ]]; then
    say "Scale $scale: the progress statement"
    capture send_progress
    read -r EXPLAIN_MS[$scale] PLAN_MS[$scale] < <(explain_progress "$scale")
    echo "  EXPLAIN ANALYZE: execution ${EXPLAIN_MS[$scale]} ms, planning ${PLAN_MS[$scale]} ms (median)"
    say "Scale $scale: progress under load"
    measure_api "progress-$scale" progress "$RESULTS/users-hot.txt" 2 "$HOT"
    PROGRESS_RPS[$scale]=$W_RPS; PROGRESS_P50[$scale]=$W_P50; PROGRESS_P99[$scale]=$W_P99; PROGRESS_SPREAD[$scale]=$W_SPREAD
    stop_server
    continue
  fi

  # ------------------------------------------------------ the main scale
  say "Scale $scale: capturing the SQL of one request of each scenario"
  CLOCK_UID=$(db -c "select profile_id from bench.clock_users where k = 1")
  capture send_all
  read -r EXPLAIN_MS[$scale] PLAN_MS[$scale] < <(explain_progress "$scale")
  echo "  progress EXPLAIN ANALYZE: execution ${EXPLAIN_MS[$scale]} ms, planning ${PLAN_MS[$scale]} ms (median)"

  : >"$RESULTS/rss.samples"
  declare -A API_RPS API_SPREAD API_P50 API_P99 API_ERR API_OTH DB_TPS DB_SPREAD DB_P50 DB_P99 DB_OTH
  for scenario in progress groups notifications clock; do
    say "Scale $scale: $scenario, API under wrk"
    case $scenario in
      progress) measure_api "$scenario" progress "$RESULTS/users-hot.txt" 2 "$HOT" ;;
      clock) BEFORE_RUN=clock_reset measure_api "$scenario" clock "$RESULTS/users-clock.txt" "$CONNECTIONS" ;;
      *) measure_api "$scenario" "$scenario" "$RESULTS/users-clock.txt" 2 ;;
    esac
    API_RPS[$scenario]=$W_RPS; API_SPREAD[$scenario]=$W_SPREAD; API_P50[$scenario]=$W_P50; API_P99[$scenario]=$W_P99; API_ERR[$scenario]=$W_ERRORS; API_OTH[$scenario]=$W_OTHERS
    say "Scale $scale: $scenario, database only (pgbench)"
    if [[ $scenario == clock ]]; then BEFORE_RUN=clock_reset measure_db "$scenario"; else measure_db "$scenario"; fi
    DB_TPS[$scenario]=$D_TPS; DB_SPREAD[$scenario]=$D_SPREAD; DB_P50[$scenario]=$D_P50; DB_P99[$scenario]=$D_P99; DB_OTH[$scenario]=$D_OTHERS
  done
  PROGRESS_RPS[$scale]=${API_RPS[progress]}; PROGRESS_P50[$scale]=${API_P50[progress]}; PROGRESS_P99[$scale]=${API_P99[progress]}
  PROGRESS_SPREAD[$scale]=${API_SPREAD[progress]}
  RSS_LOAD=$(( $(sort -n "$RESULTS/rss.samples" | tail -n 1) / 1024 ))
  echo "  RSS under load (peak): $RSS_LOAD MB"
  stop_server
done

# ============================================================== the table
say "Results"
pct() { echo "$1 * 100 / $2" | bc -l | xargs printf '%.0f'; }
yes_no() { if [[ $1 == 1 ]]; then echo met; else echo MISSED; fi; }
le() { [[ $(echo "$1 <= $2" | bc -l) == 1 ]] && echo 1 || echo 0; }
lt() { [[ $(echo "$1 < $2" | bc -l) == 1 ]] && echo 1 || echo 0; }

declare -A TITLE=([progress]="progress of the hot group" [clock]="clock cycle step" [groups]="groups list" [notifications]="notifications page")
declare -A TARGET=([progress]="≥ 50 %, p99 < 20 ms" [clock]="≥ 80 %" [groups]="–" [notifications]="–")
SMALL=${SCALES[0]}
LARGE=${SCALES[-1]}
human() { case $1 in 10000) echo "10 k" ;; 1000000) echo "1 M" ;; 10000000) echo "10 M" ;; *) echo "$1" ;; esac; }
GROWTH=$(echo "${PROGRESS_P50[$LARGE]} / ${PROGRESS_P50[$SMALL]}" | bc -l | xargs printf '%.2f')
{
  echo "| scenario (1 M logs, $CONNECTIONS connections; medians of $RUNS runs) | API req/s (spread) | p50 ms | p99 ms | errors | DB-only req/s (spread) | DB p50 ms | DB p99 ms | API / DB | target |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"
  for s in progress clock groups notifications; do
    ratio=$(pct "${API_RPS[$s]}" "${DB_TPS[$s]}")
    met=
    case $s in
      progress) met=" ($(yes_no $(( $(le 50 "$ratio") && $(lt "${API_P99[$s]}" 20) ))))" ;;
      clock) met=" ($(yes_no "$(le 80 "$ratio")"))" ;;
    esac
    printf '| %s | %.0f (%s %%) | %s | %s | %s | %.0f (%s %%) | %s | %s | %s %% | %s%s |\n' "${TITLE[$s]}" "${API_RPS[$s]}" "${API_SPREAD[$s]}" \
      "${API_P50[$s]}" "${API_P99[$s]}" "${API_ERR[$s]}" "${DB_TPS[$s]}" "${DB_SPREAD[$s]}" "${DB_P50[$s]}" "${DB_P99[$s]}" "$ratio" "${TARGET[$s]}" "$met"
  done
  echo
  echo "| time logs | generated in | database | progress EXPLAIN ANALYZE (execution / planning) | progress p50 / p99 under load | progress req/s (spread) | ready after (median of $RUNS, spread) | RSS idle |"
  echo "|--:|--:|--:|--:|--:|--:|--:|--:|"
  for scale in "${SCALES[@]}"; do
    printf '| %s (%s) | %s s | %s | %s ms / %s ms | %s ms / %s ms | %.0f (%s %%) | %s s (%s %%) | %s MB |\n' "$(human "$scale")" "${LOGS[$scale]}" "${GEN_S[$scale]}" \
      "${SIZE[$scale]}" "${EXPLAIN_MS[$scale]}" "${PLAN_MS[$scale]}" "${PROGRESS_P50[$scale]}" "${PROGRESS_P99[$scale]}" \
      "${PROGRESS_RPS[$scale]}" "${PROGRESS_SPREAD[$scale]}" "${STARTUP[$scale]}" "${STARTUP_SPREAD[$scale]}" "${RSS_IDLE[$scale]}"
  done
  echo
  echo "| target | figure | |"
  echo "|---|---|---|"
  echo "| progress read ≥ 50 % of its database-only ceiling, p99 < 20 ms | $(pct "${API_RPS[progress]}" "${DB_TPS[progress]}") %, p99 ${API_P99[progress]} ms | $(yes_no $(( $(le 50 "$(pct "${API_RPS[progress]}" "${DB_TPS[progress]}")") && $(lt "${API_P99[progress]}" 20) ))) |"
  echo "| clock cycle steps (with Idempotency-Key) ≥ 80 % of their ceiling | $(pct "${API_RPS[clock]}" "${DB_TPS[clock]}") % | $(yes_no "$(le 80 "$(pct "${API_RPS[clock]}" "${DB_TPS[clock]}")")") |"
  echo "| progress p50 at $(human "$LARGE") ≤ 1.5 × p50 at $(human "$SMALL") | ${PROGRESS_P50[$LARGE]} ms / ${PROGRESS_P50[$SMALL]} ms = ${GROWTH} × | $(yes_no "$(le "$GROWTH" 1.5)")$([[ $LARGE == 10000000 ]] || echo ' (10 M not run: --10m)') |"
  echo "| ready within 10 s (at 1 M) | ${STARTUP[$MAIN_SCALE]} s | $(yes_no "$(le "${STARTUP[$MAIN_SCALE]}" 10)") |"
  echo "| RSS under load ≤ 512 MB | $RSS_LOAD MB (idle ${RSS_IDLE[$MAIN_SCALE]} MB) | $(yes_no "$(le "$RSS_LOAD" 512)") |"
} >"$RESULTS/table.md"
DISTURBANCE=$(for s in progress clock groups notifications; do echo "${API_OTH[$s]}"; echo "${DB_OTH[$s]}"; done | sort -n | tail -n 1)
cat "$RESULTS/table.md"
echo
echo "CPU used by other processes during the measured runs: at most ${DISTURBANCE} % of the machine"

# ---------------------------------------------------------------- the chart
{
  echo "# scenario api_rps db_rps api_p99 db_p99"
  for s in progress clock groups notifications; do
    echo "\"${TITLE[$s]}\" ${API_RPS[$s]} ${DB_TPS[$s]} ${API_P99[$s]} ${DB_P99[$s]}"
  done
} >"$RESULTS/chart.dat"
gnuplot -e "data='$RESULTS/chart.dat'; out='$RESULTS/results.png'; subtitle='$(date +%Y-%m-%d), 1 M time logs, $CONNECTIONS connections, $CORES cores'" bench/chart.gp

# ------------------------------------------------------------- BENCHMARKS.md
ELAPSED=$(( $(date +%s) - BEGAN ))
if $DOCS; then
  cp "$RESULTS/results.png" bench/results.png
  {
    echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'), in $((ELAPSED / 60)) min $((ELAPSED % 60)) s, with:"
    echo
    echo '```bash'
    echo "./lockin bench${BENCH_ARGS:+ $BENCH_ARGS}"
    echo '```'
    echo
    echo "Machine: $CORES cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ {print $2}') GiB memory;"
    echo "$(java -version 2>&1 | head -n 1); PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'); $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}');"
    echo "$(grep -o -m 1 'Payara Micro [0-9.]* (build [0-9]*)' "$RESULTS/server-$MAIN_SCALE.log" || echo 'Payara Micro'), \`$UNIT_JAVA_OPTS\`, \`--maxhttpthreads $UNIT_HTTP_THREADS\` (deploy/lockin.service)."
    echo "Each figure is the median of $RUNS measured runs after a warm-up that lasts until two 10 s chunks in a row bring no new high by more than ${STABLE_PERCENT} %;"
    echo "spread = (max − min) / median of the $RUNS. CPU used by other processes during the measured loads: at most ${DISTURBANCE} % of the machine."
    echo
    cat "$RESULTS/table.md"
    echo
    echo '![throughput and p99 per scenario, API against the database-only ceiling](bench/results.png)'
  } >"$RESULTS/benchmarks-block.md"
  BLOCK="$RESULTS/benchmarks-block.md" perl -0pi -e '
      BEGIN { local $/; open my $f, "<", $ENV{BLOCK} or die "$ENV{BLOCK}: $!"; $block = <$f>; }
      s/(<!-- bench:results:begin -->\n).*?(<!-- bench:results:end -->)/$1\n$block\n$2/s' BENCHMARKS.md
  echo "BENCHMARKS.md and bench/results.png updated"
fi
say "Done in $((ELAPSED / 60)) min $((ELAPSED % 60)) s"
