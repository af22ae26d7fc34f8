# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# The replica scenario (--replica, issue 29): a streaming replica of the bench's PostgreSQL on this
# machine (pg_basebackup -R), the server started again with DATABASE_READ_URL naming it, and the
# progress, history and stats scenarios measured again with their reads on it: each one's API
# throughput, the primary's and the replica's CPU per request (against the primary's without the
# replica, from the run's own scenarios), and the replication lag the server measures
# (lockin_replica_lag_seconds, every 250 ms) while the clock scenario writes: its p99. The replica
# shares the machine's two cores with the primary and the server: its throughput is not a scale
# figure; the primary's CPU per request is what a replica takes off the primary.

REPLICA_PORT=${BENCH_REPLICA_PORT:-18433}
REPLICA_DIR=
REPLICA_PID=
REPLICA_SCENARIOS=(progress history stats)
declare -A REPLICA_RPS REPLICA_P99 REPLICA_PRIMARY_US REPLICA_REPLICA_US REPLICA_SERVER_US
REPLICA_LAG_P99=
REPLICA_LAG_MAX=
REPLICA_CLOCK_RPS=

# the replica's processes' CPU ticks: its postmaster and its backends, live and ended
ticks_replica() {
  local total pid
  [[ -n $REPLICA_PID ]] || { echo 0; return; }
  total=$(ticks_of "$REPLICA_PID")
  for pid in $(pgrep -P "$REPLICA_PID"); do total=$((total + $(ticks_of "$pid"))); done
  echo "$total"
}

start_replica() {
  REPLICA_DIR=$PG_DIR/replica
  mkdir -p "$REPLICA_DIR"; chmod 700 "$REPLICA_DIR"
  [[ $EUID -eq 0 ]] && chown nobody "$REPLICA_DIR"
  local t0; t0=$(date +%s.%N)
  as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DIR" -R -X stream -c fast \
    >"$RESULTS/replica-basebackup.log" 2>&1 || { echo "  pg_basebackup failed: see $RESULTS/replica-basebackup.log"; return 1; }
  cat >>"$REPLICA_DIR/postgresql.auto.conf" <<CONF
port = $REPLICA_PORT
hot_standby_feedback = on
CONF
  as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$PG_DIR/run/replica.log" -w start >/dev/null \
    || { echo "  the replica did not start: see $PG_DIR/run/replica.log"; cp "$PG_DIR/run/replica.log" "$RESULTS/" 2>/dev/null; return 1; }
  REPLICA_PID=$(head -n 1 "$REPLICA_DIR/postmaster.pid")
  echo "  replica on port $REPLICA_PORT, made in $(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.0f') s; in recovery: $("${PSQL[@]}" -p "$REPLICA_PORT" -d lockin -Atqc 'select pg_is_in_recovery()')"
}

stop_replica() {
  if [[ -n $REPLICA_DIR && -f $REPLICA_DIR/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  REPLICA_PID=
}

# the server's lockin_replica_lag_seconds every 250 ms into FILE, until killed
sample_lag() {   # file
  while sleep 0.25; do
    curl -fs -m 1 "$BASE/metrics?scope=application" 2>/dev/null \
      | sed -n 's/^lockin_replica_lag_seconds{[^}]*} \([0-9.eE+-]*\)$/\1/p' >>"$1" || true
  done
}

measure_replica() {   # scale
  local scale=$1 s lag_file sampler
  say "Scale $scale: replica, made with pg_basebackup -R beside the primary"
  start_replica || return 1
  stop_server
  SERVER_EXTRA_ENV=("DATABASE_READ_URL=postgresql://postgres:bench@127.0.0.1:$REPLICA_PORT/lockin")
  say "Scale $scale: replica, Payara Micro started again with DATABASE_READ_URL"
  start_server replica
  echo "  ready in $READY_S s"
  warm_requests
  for s in "${REPLICA_SCENARIOS[@]}"; do
    if ! wanted "$s"; then continue; fi
    say "Scale $scale: replica, $s with its reads on the replica"
    measure_api_of "replica-$s" "$s"
    REPLICA_RPS[$s]=$W_RPS; REPLICA_P99[$s]=$W_P99; REPLICA_PRIMARY_US[$s]=$W_DB_US; REPLICA_SERVER_US[$s]=$W_SERVER_US
    REPLICA_REPLICA_US[$s]=$W_REPLICA_US
  done
  if wanted clock; then
    say "Scale $scale: replica, the clock scenario's writes: replication lag as the server measures it"
    lag_file=$RESULTS/replica-lag.samples
    : >"$lag_file"
    sample_lag "$lag_file" & sampler=$!
    measure_api_of replica-clock clock
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    REPLICA_CLOCK_RPS=$W_RPS
    REPLICA_LAG_P99=$(sort -g "$lag_file" | awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", v[int(NR * 0.99 + 0.999)]; else print "–" }')
    REPLICA_LAG_MAX=$(sort -g "$lag_file" | tail -n 1)
    echo "  replication lag over $(wc -l <"$lag_file") samples: p99 $REPLICA_LAG_P99 s, max ${REPLICA_LAG_MAX:-–} s"
  fi
  SERVER_EXTRA_ENV=()
}

write_replica_table() {
  {
    echo "| scenario (1 M logs, $CONNECTIONS connections) | API req/s without → with the replica | p99 ms with | primary's CPU per request without → with | replica's CPU per request | server's CPU per request with |"
    echo "|---|--:|--:|--:|--:|--:|"
    local s
    for s in "${REPLICA_SCENARIOS[@]}"; do
      [[ -n ${REPLICA_RPS[$s]:-} ]] || continue
      printf '| %s | %s → %s | %s | %s µs → %s µs (%s %%) | %s µs | %s µs |\n' "$s" "${API_RPS[$s]:-–}" "${REPLICA_RPS[$s]}" \
        "${REPLICA_P99[$s]}" "${API_DB_US[$s]:-–}" "${REPLICA_PRIMARY_US[$s]}" \
        "$( [[ -n ${API_DB_US[$s]:-} && ${API_DB_US[$s]} -gt 0 ]] && pct "${REPLICA_PRIMARY_US[$s]}" "${API_DB_US[$s]}" || echo –)" \
        "${REPLICA_REPLICA_US[$s]}" "${REPLICA_SERVER_US[$s]}"
    done
    if [[ -n $REPLICA_LAG_P99 ]]; then
      echo
      echo "| while the clock scenario writes ($REPLICA_CLOCK_RPS req/s) | figure |"
      echo "|---|--:|"
      echo "| replication lag p99 (lockin_replica_lag_seconds, sampled every 250 ms) | $REPLICA_LAG_P99 s (max $REPLICA_LAG_MAX s) |"
    fi
  } >"$RESULTS/replica-table.md"
  echo
  cat "$RESULTS/replica-table.md"
}

update_replica_docs() {
  update_docs_block replica "; the replica on the same machine (pg_basebackup -R), sharing its two cores."
}
