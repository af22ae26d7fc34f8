#!/usr/bin/env bash
# ./lockin soak [--minutes N] [--people N]: a long evening under faults (issue 28). Not part of CI.
#
# Two Payara Micro instances (the production JVM options, worker threads and fair-use limits of
# deploy/defaults.env) in one data grid behind nginx (the real site of deploy/nginx), one
# PostgreSQL, and bench/soak/client.js's load for N minutes (default 30): PEOPLE people (default
# 1000) in groups of 8 clocking in and out on two devices with retries and offline device
# times, reading boards, history and stats, holding two streams each (2,000 open streams),
# inviting and joining by links. During it, at fixed shares of the run:
#   7 %  SIGKILL of instance alpha, then its restart (the same command)
#   13 % a PostgreSQL restart (pg_ctl stop -m fast, start)
#   20 % a 15 s PostgreSQL outage (stopped, 15 s, started)
#   27 % an nginx reload
# Every minute (15 times in all in a run shorter than 15 minutes) each instance gets a full GC
# (jcmd GC.run) and its heap after it and its RSS are recorded. At the end it checks, in SQL,
# that every acknowledged write is in the database (sessions and their last acknowledged step,
# hand-made logs, memberships), that no two logs of a person overlap, that no session is stuck
# (running without its open segment, an open segment of a session not running, anything still
# running or paused once the people stopped); from the client: every stream open again and its
# first event received since its last (re)connection, every board stream's last board equal to
# GET .../progress/current, no 5xx and no network error outside the fault windows (a fault's
# start to 20 s after it ended); and that neither instance's heap after full GC nor RSS grew by
# more than 5 % over the last two-thirds of the run (the last 20 minutes of 30; means of the
# first and last three samples).
# Prints a summary (markdown, for BENCHMARKS.md) and draws bench/soak.png; keeps everything in
# .lockin/soak/<time>/. Exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=30
PEOPLE=1000
while (($#)); do
  case $1 in
    --minutes) MINUTES=$2; shift 2 ;;
    --people) PEOPLE=$2; shift 2 ;;
    *) echo "usage: ./lockin soak [--minutes N] [--people N]" >&2; exit 2 ;;
  esac
done
[[ $MINUTES =~ ^[0-9]+$ && $MINUTES -ge 3 ]] || { echo "--minutes: 3 or more" >&2; exit 2; }
[[ $PEOPLE =~ ^[0-9]+$ && $PEOPLE -ge 16 ]] || { echo "--people: 16 or more" >&2; exit 2; }

SAY_AS=soak
# shellcheck source=deploy/lib/cluster.sh
. deploy/lib/cluster.sh
# shellcheck source=deploy/lib/env-file.sh
. deploy/lib/env-file.sh
# shellcheck source=deploy/cluster/prerequisites.sh
. deploy/cluster/prerequisites.sh
# shellcheck source=deploy/cluster/database.sh
. deploy/cluster/database.sh
# shellcheck source=deploy/cluster/instances.sh
. deploy/cluster/instances.sh
# shellcheck source=deploy/cluster/nginx.sh
. deploy/cluster/nginx.sh

RUN=.lockin/soak/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
RUN=$(cd "$RUN" && pwd)
WORK=$RUN/work
mkdir -p "$WORK"
PIDS=()
SAMPLER_PID=""
finish() {
  if [[ -n $SAMPLER_PID ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  cleanup
}
trap finish EXIT

# the production settings (what the systemd unit reads)
INSTANCE_JAVA_OPTS=$(env_file_value LOCKIN_JAVA_OPTS deploy/defaults.env)
INSTANCE_HTTP_THREADS=$(env_file_value LOCKIN_HTTP_THREADS deploy/defaults.env)
INSTANCE_MALLOC_ARENA_MAX=$(env_file_value MALLOC_ARENA_MAX deploy/defaults.env)
INSTANCE_RATE_LIMITS="writes=120/1m"          # the defaults (one item is needed to replace the test's own)
INSTANCE_ARCHIVE_SCHEDULE=PT5M
NGINX_WORKER_CONNECTIONS=$(( 4 * PEOPLE + 1024 ))   # two streams a person, each a client and an upstream connection
install_missing node:nodejs gnuplot:gnuplot-nox   # the load client and the chart

require_tools_and_build
choose_ports
start_database_and_keys
start_instances
start_nginx
echo "$PID_A" > "$WORK/alpha.pid"
echo "$PID_B" > "$WORK/beta.pid"

java -Dlockin.home="$WORK/state" -cp "$DEV_CP" app.lockin.dev.Launcher tokens "$PEOPLE" soak-person- > "$WORK/tokens.txt" 2>/dev/null
say "$PEOPLE people's tokens made; $INSTANCE_JAVA_OPTS, $INSTANCE_HTTP_THREADS worker threads (deploy/defaults.env)"

# ---------------------------------------------------------------- memory: after a full GC, each minute
# (a short run more often: at least 15 samples over the run, so that its last two-thirds can be judged)
# memory.tsv: epoch, instance, pid, RSS KB, heap used after the full GC KB
SAMPLE_EVERY=$(( MINUTES * 60 / 15 < 60 ? MINUTES * 60 / 15 : 60 ))
sample_memory() {
  local name pid heap rss
  printf 'epoch\tinstance\tpid\trss_kb\theap_kb\n' > "$RUN/memory.tsv"
  while sleep "$SAMPLE_EVERY"; do
    for name in alpha beta; do
      pid=$(cat "$WORK/$name.pid")
      [[ -d /proc/$pid ]] || continue
      heap=$(bench/heap-after-gc.sh "$pid" 2>/dev/null) || continue
      rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      printf '%s\t%s\t%s\t%s\t%s\n' "$(date +%s)" "$name" "$pid" "$rss" "$heap" >> "$RUN/memory.tsv"
    done
  done
}
sample_memory &
SAMPLER_PID=$!

# ---------------------------------------------------------------- the load
cat > "$WORK/client.json" <<EOF
{"base": "$NGINX", "tokens": "$WORK/tokens.txt", "group_size": 8, "minutes": $MINUTES, "out": "$RUN"}
EOF
node bench/soak/client.js "$WORK/client.json" > "$RUN/client.log" 2>&1 &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
for _ in $(seq 600); do [[ -f $RUN/load-started ]] && break; kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 1; done
[[ -f $RUN/load-started ]] || fail "the load client did not get past its setup (see $RUN/client.log)"
LOAD_STARTED=$(cut -d. -f1 "$RUN/load-started")
say "$(head -1 "$RUN/client.log"); load for $MINUTES min from $(date -d "@$LOAD_STARTED" +%T)"

# ---------------------------------------------------------------- the faults
printf 'fault\tstart\tend\n' > "$RUN/faults.tsv"
at_share() { # PERCENT: sleeps until that share of the run
  local when=$(( LOAD_STARTED + MINUTES * 60 * $1 / 100 ))
  (( when > $(date +%s) )) && sleep $(( when - $(date +%s) ))
  return 0
}
fault() { printf '%s\t%s\t%s\n' "$1" "$2" "$(date +%s.%N)" >> "$RUN/faults.tsv"; }

at_share 7
t=$(now)
{ kill -9 "$PID_A"; wait "$PID_A"; } 2>/dev/null || true
say "alpha killed (SIGKILL); starting it again"
start_instance alpha "$PORT_A"; PID_A=$LAST_PID; echo "$PID_A" > "$WORK/alpha.pid"
for _ in $(seq 180); do ready "$PORT_A" && break; sleep 1; done
ready "$PORT_A" || fail "alpha did not come back after its kill (see $WORK/alpha.log)"
fault "kill alpha, restart" "$t"
say "alpha ready again $(elapsed "$t" "$(now)") s after its kill"

# database_down SECONDS FAULT NAME: PostgreSQL stopped (pg_ctl stop -m fast: its clients cut), down for
# SECONDS, started again on the same data (its log $WORK/db-NAME.log)
database_down() {
  local t; t=$(now)
  kill -TERM "$DB_PID"; wait "$DB_PID" 2>/dev/null || true
  sleep "$1"
  start_database "$WORK/db-$3.log" || fail "PostgreSQL did not start again (see $WORK/db-$3.log)"
  fault "$2" "$t"
  say "$2: PostgreSQL up again $(elapsed "$t" "$(now)") s after its stop"
}
at_share 13
database_down 0 "PostgreSQL restart" restart
at_share 20
database_down 15 "PostgreSQL outage 15 s" outage

at_share 27
t=$(now)
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s reload || fail "nginx did not reload"
sleep 2
fault "nginx reload" "$t"
say "nginx reloaded"

say "load until $(date -d "@$(( LOAD_STARTED + MINUTES * 60 ))" +%T), then the checks"
wait "$CLIENT_PID" || fail "the load client failed (see $RUN/client.log)"
kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""

# ---------------------------------------------------------------- the checks
FAILED=()
checked() { if [[ $1 == ok ]]; then check "$2"; else say "FAILED: $2"; FAILED+=("$2"); fi; }

sql "create table soak_acks (n bigserial, kind text, a text, b text, c text, d text)"
psql "postgresql://postgres@localhost:$DB_PORT/lockin" -qtAX -v ON_ERROR_STOP=1 \
  -c "\\copy soak_acks (kind, a, b, c, d) from '$RUN/acks.tsv' with (format text, null '')"
sql "select count(*) from soak_acks" > "$RUN/acks.count"
sql "$(cat bench/soak/checks.sql)" > "$RUN/checks.txt"
while IFS='|' read -r name bad total; do
  [[ -n $name ]] || continue
  if [[ $bad == 0 ]]; then checked ok "$name: 0 of $total"; else checked no "$name: $bad of $total"; fi
done < "$RUN/checks.txt"

python3 bench/soak/report.py "$RUN" "$MINUTES" > "$RUN/report.txt" || true
while IFS=$'\t' read -r verdict text; do
  [[ -n $verdict ]] || continue
  checked "$verdict" "$text"
done < "$RUN/report.txt"

if gnuplot -e "run='$RUN'" bench/soak/chart.gp 2>"$RUN/chart.log"; then cp "$RUN/soak.png" bench/soak.png
else say "no chart (see $RUN/chart.log)"; fi
cat "$RUN/summary.md"
echo "(everything of this run: ${RUN#"$PWD"/})"
((${#FAILED[@]} == 0)) || fail "${#FAILED[@]} checks failed"
say "all checks passed"
