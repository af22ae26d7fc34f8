# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# The "push" scenario (issue 27): milestones in $PUSH_GROUPS groups of $PUSH_MEMBERS members with
# two phones each (an APNs and an FCM device: $PUSH_GROUPS x $PUSH_MEMBERS x 2 pushes) and
# $PUSH_WEBHOOKS group webhooks, delivered by the server through its outbox to the suite's own
# mock servers (app.lockin.testing.BenchReceivers: Pushy's MockApnsServer, an FCM with its OAuth2
# token endpoint, an HTTPS webhook receiver, run as a process of their own on this machine).
# bench/push/setup.sql adds the people, devices and webhooks; bench/push/milestones.sql is one
# group reaching its goal (milestone_group to each of its members, as record_group_milestones
# writes it), run by pgbench at $PUSH_RATE groups a second: $PUSH_RATE x $PUSH_MEMBERS x 2 pushes
# a second. Measured: commit -> delivered (the outbox item's created_at, its transaction's start,
# to its ended_at, when the server recorded the receiver's answer) p50 and p99 per channel; the
# drained rate (items / first commit to last delivery); what arrived at the receivers; the
# clock step's requests a second alone and while the deliveries run (wrk, $PUSH_CLOCK_SECONDS s
# each, after a clock_reset), against the database-only ceiling when the run measured it, and
# that ceiling's statements replayed by pgbench while a second set of milestones is delivered
# (what the database and the machine leave the clock step beside the deliveries); the server's
# RSS (peak). Runs on a server started for it with the receivers' settings, after the other
# scenarios, once $PUSH_WARM_GROUPS groups' milestones have warmed its delivery path up and the
# clock step has run to its plateau, as in the clock scenario (the JIT: a server two minutes old
# still spends a third of a core compiling, measured with --jfr on 2026-12-07).

PUSH_GROUPS=${BENCH_PUSH_GROUPS:-200}
PUSH_MEMBERS=${BENCH_PUSH_MEMBERS:-50}
PUSH_WEBHOOKS=${BENCH_PUSH_WEBHOOKS:-100}
PUSH_RATE=${BENCH_PUSH_RATE:-10}          # groups a second: x members x 2 pushes a second
PUSH_WARM_GROUPS=${BENCH_PUSH_WARM_GROUPS:-100}   # milestones first, at the same rate, not measured (JIT warm-up)
PUSH_CLOCK_SECONDS=20
PUSH_CLOCK=${BENCH_PUSH_CLOCK:-on}       # off: no clock step alongside (to see the deliveries alone)
declare -A PUSH_P50 PUSH_P99 PUSH_COUNT
PUSH_RECEIVERS_PID=""; PUSH_DRAINED_RATE=; PUSH_RSS=; PUSH_CLOCK_ALONE=; PUSH_CLOCK_DURING=; PUSH_ARRIVED=
PUSH_NOT_DELIVERED=; PUSH_ELAPSED=; PUSH_COLD_P99=; PUSH_CLOCK_DB_DURING=; PUSH_DB_SET_P99=

stop_push_receivers() {
  if [[ -n $PUSH_RECEIVERS_PID ]]; then
    kill "$PUSH_RECEIVERS_PID" 2>/dev/null || true
    wait "$PUSH_RECEIVERS_PID" 2>/dev/null || true
    PUSH_RECEIVERS_PID=""
  fi
}

# The receivers, on the lockin-web test classpath (compiled here: the bench's build skips tests).
start_push_receivers() {
  local work=$STATE/push-receivers cp
  rm -rf "$work"; mkdir -p "$work"
  mvn -q -B test-compile dependency:build-classpath -pl lockin-web -am -Dmdep.includeScope=test \
      -Dmdep.outputFile="$work/classpath.txt" >"$RESULTS/push-build.log" 2>&1 \
    || die "could not compile the push receivers: see ${RESULTS#"$ROOT"/}/push-build.log"
  cp="$ROOT/lockin-web/target/test-classes:$(cat "$work/classpath.txt")"
  # BENCH_RECEIVERS_NICE: the receivers' nice value (default 0). They stand in for Apple's, Google's
  # and the webhooks' servers, which run on other machines in production: at 10 or more they take only
  # the CPU the server, PostgreSQL and the clock's load leave (said in the results when set).
  nice -n "${BENCH_RECEIVERS_NICE:-0}" java -Xmx512m -cp "$cp" app.lockin.testing.BenchReceivers "$work" "$((HTTP_PORT + 11))" "$((HTTP_PORT + 12))" \
    >"$RESULTS/push-receivers.log" 2>&1 &
  PUSH_RECEIVERS_PID=$!
  for _ in $(seq 1 600); do [[ -s $work/receivers.env ]] && break; sleep 0.1; done
  [[ -s $work/receivers.env ]] || die "the push receivers did not start: see ${RESULTS#"$ROOT"/}/push-receivers.log"
  PUSH_WORK=$work
  HOOK_URL=$(sed -n 's/^HOOK_URL=//p' "$work/receivers.env")
  mapfile -t SERVER_EXTRA_ENV < <(grep '^LOCKIN_' "$work/receivers.env")
  # BENCH_OUTBOX_CONCURRENCY: the server's LOCKIN_OUTBOX_CONCURRENCY for this run (default: the server's own)
  if [[ -n ${BENCH_OUTBOX_CONCURRENCY:-} ]]; then SERVER_EXTRA_ENV+=("LOCKIN_OUTBOX_CONCURRENCY=$BENCH_OUTBOX_CONCURRENCY"); fi
}

# wrk's clock cycle for $PUSH_CLOCK_SECONDS s, after a reset: its requests a second
push_clock_rps() {
  clock_reset
  field rps "$(run_wrk clock "$RESULTS/users-clock.txt" "$CONNECTIONS" "$PUSH_CLOCK_SECONDS" | grep '^RESULT')"
}

# the clock's captured statements replayed by pgbench for $PUSH_CLOCK_SECONDS s, after a reset, as
# the clock scenario's database-only ceiling runs them (measure_db): its transactions a second
push_clock_db_tps() {
  local defines=()
  mapfile -t defines <"$RESULTS/sql/clock.defines"
  PGBENCH_NAME=clock
  PGBENCH_ARGS=(-h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2
                -f "$RESULTS/sql/clock.pgbench" "${defines[@]}" -D "clients=$CONNECTIONS" -D "users=$CLOCK_USERS"
                -D "limiter_ppm=${LIMITER_PPM[clock]:-1000000}" -D limiter_acc=0)
  clock_reset
  pgbench_replay "$PUSH_CLOCK_SECONDS" "$RESULTS/pgbench-push-clock.txt"
  sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$RESULTS/pgbench-push-clock.txt" | xargs printf '%.1f\n'
}

# the next $1 groups' milestones, $PUSH_RATE groups a second (pgbench's log in $RESULTS/$2)
push_milestones() {
  "$PG_BIN/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 1 -j 1 -R "$PUSH_RATE" -t "$1" \
          -f bench/push/milestones.sql lockin >"$RESULTS/$2" 2>&1
}

# commit -> delivered p99 (ms) of the items written since $1
push_p99_since() {
  db -c "select round((1000 * percentile_cont(0.99) within group
                         (order by extract(epoch from ended_at - created_at)))::numeric)
           from outbox where created_at >= '$1' and status = 'delivered'"
}

# until no item written since $1 is pending (5 minutes at most)
await_push_drained() {
  local pending
  for _ in $(seq 1 300); do
    pending=$(db -c "select count(*) from outbox where created_at >= '$1' and status = 'pending'")
    [[ $pending == 0 ]] && return
    sleep 1
  done
}

measure_push() {   # scale
  local scale=$1 started sampler load_pid clock_out summary channel
  say "Scale $scale: push, milestones in $PUSH_GROUPS groups of $PUSH_MEMBERS with two phones each, $PUSH_WEBHOOKS webhooks"
  stop_server
  start_push_receivers
  local sets=1
  if [[ $PUSH_CLOCK == on && -s $RESULTS/sql/clock.pgbench ]]; then sets=2; fi
  db -v warm="$PUSH_WARM_GROUPS" -v groups="$PUSH_GROUPS" -v sets="$sets" -v members="$PUSH_MEMBERS" -v webhooks="$PUSH_WEBHOOKS" \
     -v hook_url="$HOOK_URL" -f bench/push/setup.sql >"$RESULTS/push-setup.log"
  echo "  $(tail -n 1 "$RESULTS/push-setup.log" | awk -F'|' '{printf "%s groups, %s devices, %s webhooks", $1, $2, $3}') ($PUSH_WARM_GROUPS groups of them for the warm-up)"
  start_server "push"
  echo "  server ready in ${READY_S} s with the receivers' settings (APNs, FCM, webhooks)"
  warm_requests
  # the delivery path warmed up (its first seconds run interpreted code: ~4 s of extra delay, measured):
  # the first $PUSH_WARM_GROUPS groups' milestones at the same rate, delivered, not measured; with the
  # clock step in the run, its path too, from the same moment and until its plateau (warm_up, as
  # the clock scenario), so that neither figure of the clock below is a cold one
  if (( PUSH_WARM_GROUPS > 0 )); then
    started=$(db -c "select now()")
    push_milestones "$PUSH_WARM_GROUPS" push-warmup-pgbench.log & load_pid=$!
    if [[ $PUSH_CLOCK == on && -s $RESULTS/users-clock.txt ]]; then
      BEFORE_RUN=clock_reset warm_up push-clock clock "$RESULTS/users-clock.txt" "$CONNECTIONS"
    fi
    wait "$load_pid" || die "the warm-up milestones failed: see ${RESULTS#"$ROOT"/}/push-warmup-pgbench.log"
    await_push_drained "$started"
    PUSH_COLD_P99=$(push_p99_since "$started")
    echo "  warm-up: $((PUSH_WARM_GROUPS * PUSH_MEMBERS * 2)) pushes delivered, commit -> delivered p99 $PUSH_COLD_P99 ms (cold, not a target)"
  elif [[ $PUSH_CLOCK == on && -s $RESULTS/users-clock.txt ]]; then
    BEFORE_RUN=clock_reset warm_up push-clock clock "$RESULTS/users-clock.txt" "$CONNECTIONS"
  fi

  if [[ $PUSH_CLOCK == on && -s $RESULTS/users-clock.txt ]]; then
    wait_quiet
    PUSH_CLOCK_ALONE=$(push_clock_rps)
    echo "  clock step alone: $PUSH_CLOCK_ALONE req/s ($PUSH_CLOCK_SECONDS s)"
  fi

  wait_quiet
  : >"$RESULTS/push-rss.samples"
  while sleep 0.2; do ps -o rss= -p "$SERVER_PID" 2>/dev/null >>"$RESULTS/push-rss.samples" || break; done & sampler=$!
  started=$(db -c "select now()")
  # the milestones: one group a transaction, $PUSH_RATE a second
  push_milestones "$PUSH_GROUPS" push-pgbench.log & load_pid=$!
  if [[ $PUSH_CLOCK == on && -s $RESULTS/users-clock.txt ]]; then
    clock_out=$(push_clock_rps)
    PUSH_CLOCK_DURING=$clock_out
  fi
  wait "$load_pid" || die "the milestones' load failed: see ${RESULTS#"$ROOT"/}/push-pgbench.log"
  await_push_drained "$started"
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  PUSH_RSS=$(( $(sort -n "$RESULTS/push-rss.samples" | tail -n 1) / 1024 ))
  PUSH_NOT_DELIVERED=$(db -c "select count(*) from outbox where created_at >= '$started' and status <> 'delivered'")
  [[ -n ${PUSH_CLOCK_DURING:-} ]] && echo "  clock step while the deliveries ran: $PUSH_CLOCK_DURING req/s"

  db -F ' ' -c "
      select channel, count(*),
             round((1000 * percentile_cont(0.5) within group (order by extract(epoch from ended_at - created_at)))::numeric),
             round((1000 * percentile_cont(0.99) within group (order by extract(epoch from ended_at - created_at)))::numeric)
        from outbox
       where created_at >= '$started' and status = 'delivered'
       group by rollup (channel)
       order by channel nulls last" >"$RESULTS/push-latency.txt"
  while read -r channel count p50 p99; do
    [[ -n $channel ]] || continue
    [[ $channel =~ ^[0-9]+$ ]] && { p99=$p50; p50=$count; count=$channel; channel=all; }
    PUSH_COUNT[$channel]=$count; PUSH_P50[$channel]=$p50; PUSH_P99[$channel]=$p99
  done <"$RESULTS/push-latency.txt"
  summary=$(db -F ' ' -c "select count(*), extract(epoch from max(ended_at) - min(created_at))
                             from outbox where created_at >= '$started' and status = 'delivered'")
  read -r _ PUSH_ELAPSED <<<"$summary"
  PUSH_DRAINED_RATE=$(echo "${PUSH_COUNT[all]:-0} / ${PUSH_ELAPSED:-1}" | bc -l | xargs printf '%.0f')
  # the second set: the clock's database-only replay beside the same deliveries
  if (( sets == 2 )); then
    wait_quiet
    started=$(db -c "select now()")
    push_milestones "$PUSH_GROUPS" push-db-pgbench.log & load_pid=$!
    PUSH_CLOCK_DB_DURING=$(push_clock_db_tps)
    wait "$load_pid" || die "the second set's milestones failed: see ${RESULTS#"$ROOT"/}/push-db-pgbench.log"
    await_push_drained "$started"
    PUSH_DB_SET_P99=$(push_p99_since "$started")
    echo "  clock step's statements, database only (pgbench), while a second set was delivered: $PUSH_CLOCK_DB_DURING tps (that set's commit -> delivered p99 $PUSH_DB_SET_P99 ms)"
  fi
  stop_push_receivers
  PUSH_ARRIVED=$(tr '\n' ' ' <"$PUSH_WORK/receivers-counts.txt" 2>/dev/null)
  echo "  delivered: ${PUSH_COUNT[all]:-0} items in $(printf '%.1f' "${PUSH_ELAPSED:-0}") s ($PUSH_DRAINED_RATE a second), not delivered: $PUSH_NOT_DELIVERED"
  echo "  commit -> delivered: p50 ${PUSH_P50[all]:-–} ms, p99 ${PUSH_P99[all]:-–} ms; arrived at the receivers: $PUSH_ARRIVED"
  echo "  server RSS peak: $PUSH_RSS MB"
  echo "  outbox rows updated in place (HOT), the whole run: $(db -c "select n_tup_hot_upd || ' of ' || n_tup_upd
                                                                           from pg_stat_user_tables where relname = 'outbox'")"
}

write_push_table() {
  {
    echo "| channel ($PUSH_GROUPS groups x $PUSH_MEMBERS members x 2 phones, $PUSH_WEBHOOKS webhooks; $((PUSH_RATE * PUSH_MEMBERS * 2)) pushes/s offered; receivers at nice ${BENCH_RECEIVERS_NICE:-0}) | delivered | commit -> delivered p50 | p99 |"
    echo "|---|--:|--:|--:|"
    local c
    for c in apns fcm webhook all; do
      printf '| %s | %s | %s ms | %s ms |\n' "$c" "${PUSH_COUNT[$c]:-0}" "${PUSH_P50[$c]:-–}" "${PUSH_P99[$c]:-–}"
    done
    echo
    echo "| target | figure | |"
    echo "|---|---|---|"
    echo "| commit -> delivered p99 ≤ 2 s at $((PUSH_RATE * PUSH_MEMBERS * 2)) pushes/s | ${PUSH_P99[all]:-–} ms | $(yes_no "$(le "${PUSH_P99[all]:-999999}" 2000)") |"
    echo "| outbox drained rate (items delivered / first commit to last delivery) | $PUSH_DRAINED_RATE a second | reported |"
    echo "| every item delivered (none pending or dead) | $PUSH_NOT_DELIVERED not delivered | $(yes_no "$(( PUSH_NOT_DELIVERED == 0 ))") |"
    if [[ -n ${PUSH_CLOCK_DURING:-} ]]; then
      if [[ -n ${DB_TPS[clock]:-} ]]; then
        echo "| clock step while deliveries run ≥ 80 % of its database-only ceiling ($(printf '%.0f' "${DB_TPS[clock]}")/s) | $PUSH_CLOCK_DURING req/s ($(pct "$PUSH_CLOCK_DURING" "${DB_TPS[clock]}") %; alone: $PUSH_CLOCK_ALONE) | $(yes_no "$(le "$(echo "${DB_TPS[clock]} * 0.8" | bc -l)" "$PUSH_CLOCK_DURING")") |"
      else
        echo "| clock step while deliveries run, against the same $PUSH_CLOCK_SECONDS s alone (the database-only ceiling needs the clock scenario in the run) | $PUSH_CLOCK_DURING req/s ($(pct "$PUSH_CLOCK_DURING" "$PUSH_CLOCK_ALONE") % of $PUSH_CLOCK_ALONE) | reported |"
      fi
    fi
    if [[ -n ${PUSH_CLOCK_DURING:-} && -n ${PUSH_CLOCK_DB_DURING:-} ]]; then
      echo "| clock step while deliveries run, against its statements replayed by pgbench while the same deliveries run ($PUSH_CLOCK_DB_DURING/s: what the database and the machine leave it) | $(pct "$PUSH_CLOCK_DURING" "$PUSH_CLOCK_DB_DURING") % | reported |"
    fi
    echo "| server RSS ≤ 512 MB during the deliveries | $PUSH_RSS MB | $(yes_no "$(le "$PUSH_RSS" 512)") |"
    if [[ -n $PUSH_COLD_P99 ]]; then
      echo "| commit -> delivered p99 of the warm-up's $((PUSH_WARM_GROUPS * PUSH_MEMBERS * 2)) pushes (a server's first deliveries) | $PUSH_COLD_P99 ms | reported |"
    fi
  } >"$RESULTS/push-table.md"
  echo
  cat "$RESULTS/push-table.md"
}

# BENCHMARKS.md's push block (between its bench:push markers)
update_push_docs() {
  update_docs_block push "; the receivers run on the same machine. Arrived at the receivers, the warm-up's included: ${PUSH_ARRIVED% }."
}
