# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# Measuring: the API under wrk, the database-only ceiling under pgbench, each
# figure the median of $RUNS runs, a run disturbed by other processes done again.

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# (max - min) / median of the numbers on stdin, in percent
spread() { sort -g | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "%.0f\n", (m > 0 ? (v[NR] - v[1]) * 100 / m : 0) }'; }
# field NAME LINE: the value of NAME=value in a line of such pairs
# shellcheck disable=SC2001
field() { sed "s/.* $1=\([^ ]*\).*/\1/" <<<"$2"; }
# wrk: prints "rps p50 p90 p99 errors others%"; RSS sampled meanwhile into $RESULTS/rss.samples
run_wrk() {   # scenario users_file threads seconds [extra args]
  local scenario=$1 users=$2 threads=$3 seconds=$4; shift 4
  wrk -t "$threads" -c "$CONNECTIONS" -d "${seconds}s" --timeout 5s -s bench/load.lua "$BASE" \
      -- "$scenario" "$users" "$threads" "$@"
}

sample_rss() { while sleep 0.5; do ps -o rss= -p "$SERVER_PID" 2>/dev/null >>"$RESULTS/rss.samples" || break; done; }

# Warm-up in chunks with a short idle pause after each: on two cores under full load the JIT's
# compiler threads starve, and the pause lets them compile what queued up. Warm = a plateau:
# two chunks in a row without a new high by more than $STABLE_PERCENT %, after at least
# $WARMUP_MIN seconds (earlier plateaus were seen to be the JIT's: the measured runs after them
# kept rising by 40 %).
warm_up() {   # name scenario users_file threads [extra args]
  local name=$1 scenario=$2 users=$3 threads=$4; shift 4
  local out best=0 flat=0 rps chunk
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
    if [[ $flat -ge 2 && $((chunk * WARMUP_CHUNK)) -ge $WARMUP_MIN ]]; then
      echo "  warm after $((chunk * WARMUP_CHUNK)) s of load (best chunk ${best} req/s, then $flat without a new high)"
      return 0
    fi
    sleep 3
  done
  echo "  warm-up ended after ${WARMUP} s of load still improving (best chunk ${best} req/s)"
}

# One measured wrk run, done again (at most twice) when other processes disturbed it.
# Sets RUN_LINE (wrk's RESULT line) and RUN_OTHERS.
measured_wrk_run() {   # name run scenario users_file threads [extra args]
  local name=$1 run=$2 scenario=$3 users=$4 threads=$5; shift 5
  local out o line redo server_ticks db_ticks replica_ticks requests
  for redo in 0 1 2; do
    "${BEFORE_RUN:-true}"
    wait_quiet
    sample_rss & SAMPLER_PID=$!
    mark_cpu
    server_ticks=$(ticks_of "$SERVER_PID"); db_ticks=$(ticks_db); replica_ticks=$(ticks_replica)
    out=$(run_wrk "$scenario" "$users" "$threads" "$DURATION" "$@")
    server_ticks=$(( $(ticks_of "$SERVER_PID") - server_ticks )); db_ticks=$(( $(ticks_db) - db_ticks ))
    replica_ticks=$(( $(ticks_replica) - replica_ticks ))
    o=$(others_percent)
    kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
    echo "$out" >"$RESULTS/wrk-$name-$run.txt"
    line=$(grep '^RESULT' <<<"$out") || die "wrk gave no result for $name: $out"
    requests=$(field requests "$line")
    MEASURED_REQUESTS=$((MEASURED_REQUESTS + requests))
    # the CPU each request cost the server and PostgreSQL (both processes' ticks over the run)
    line="$line server_us=$(us_per "$server_ticks" "$requests") db_us=$(us_per "$db_ticks" "$requests")"
    if [[ -n ${REPLICA_PID:-} ]]; then line="$line replica_us=$(us_per "$replica_ticks" "$requests")"; fi
    echo "  run $run: ${line#RESULT } others=${o}%"
    grep '^FIRST_ERROR' <<<"$out" | sed 's/^/  /' || true
    [[ $o -lt $DISTURBED_PERCENT || $redo -eq 2 ]] && break
    echo "  disturbed by other processes: again"
  done
  RUN_LINE=$line; RUN_OTHERS=$o
}

# The fair-use buckets written so far (PostgreSQL's counters of fair_use_buckets: one update or
# insert per bucket transaction). A backend of the server's pool reports its counts at most once a
# second while busy and within 10 s once idle, and the server writes the reads it counted in
# batches within 8 s of a caller's last read (its 5 s tick, after 3 s idle): so the counter is read
# 20 s after the load stopped.
limiter_writes() {
  sleep 20
  db -c "select coalesce(sum(n_tup_upd + n_tup_ins), 0) from pg_stat_user_tables where relname = 'fair_use_buckets'"
}

# one scenario under load: warm-up until throughput is stable, then $RUNS measured runs (a run
# disturbed by other processes is done again, at most twice). Sets W_RPS W_P50 W_P99 W_SERVER_US
# W_DB_US (medians; the last two the server's and PostgreSQL's CPU microseconds per request),
# W_SPREAD (throughput spread, %), W_ERRORS (sum), W_OTHERS (the most disturbed run kept).
# With COUNT_LIMITER=true (a scenario whose database-only ceiling follows): also how many of the
# measured requests did a fair-use bucket transaction, LIMITER_PPM[name] (per million; reads are
# counted in batches, so a read does one only now and then), which the replay repeats.
declare -A LIMITER_PPM=()
measure_api() {   # name scenario users_file threads [extra args]
  local name=$1 scenario=$2 users=$3 threads=$4; shift 4
  local run lines=() others=() writes_before writes
  warm_up "$name" "$scenario" "$users" "$threads" "$@"
  MEASURED_REQUESTS=0
  if ${COUNT_LIMITER:-false}; then writes_before=$(limiter_writes); fi
  for run in $(seq 1 "$RUNS"); do
    measured_wrk_run "$name" "$run" "$scenario" "$users" "$threads" "$@"
    lines+=("$RUN_LINE"); others+=("$RUN_OTHERS")
  done
  if ${COUNT_LIMITER:-false}; then
    writes=$(( $(limiter_writes) - writes_before ))
    LIMITER_PPM[$name]=$(( MEASURED_REQUESTS > 0 ? (writes * 1000000 + MEASURED_REQUESTS / 2) / MEASURED_REQUESTS : 1000000 ))
    echo "  fair-use bucket transactions: $writes in $MEASURED_REQUESTS measured requests (${LIMITER_PPM[$name]} per million; the replay does as many)"
  fi
  W_RPS=$(fields rps "${lines[@]}" | median)
  W_SPREAD=$(fields rps "${lines[@]}" | spread)
  W_P50=$(fields p50_ms "${lines[@]}" | median)
  W_P99=$(fields p99_ms "${lines[@]}" | median)
  W_SERVER_US=$(fields server_us "${lines[@]}" | median)
  W_DB_US=$(fields db_us "${lines[@]}" | median)
  W_REPLICA_US=
  if [[ -n ${REPLICA_PID:-} ]]; then W_REPLICA_US=$(fields replica_us "${lines[@]}" | median); fi
  W_ERRORS=$(fields errors "${lines[@]}" | paste -sd+ | bc)
  W_OTHERS=$(printf '%s\n' "${others[@]}" | sort -n | tail -n 1)
  echo "  median of $RUNS: ${W_RPS} req/s (spread ${W_SPREAD} %), p50 ${W_P50} ms, p99 ${W_P99} ms; CPU per request: server ${W_SERVER_US} µs, PostgreSQL ${W_DB_US} µs"
}
fields() { local name=$1 l; shift; for l in "$@"; do field "$name" "$l"; done; }   # NAME LINE...

# pgbench replaying the captured statements of a scenario
PGBENCH_ARGS=()
pgbench_replay() {   # seconds output [more pgbench args]
  local seconds=$1 output=$2; shift 2
  # the application's connections run with jit=off (ConfiguredDataSource); so do these
  PGOPTIONS='-c jit=off' "$PG_BIN/pgbench" "${PGBENCH_ARGS[@]}" -T "$seconds" "$@" lockin >"$output" 2>&1 \
    || die "pgbench failed on $PGBENCH_NAME: see $output"
}
# One measured pgbench run, done again (at most twice) when other processes disturbed it.
# Sets RUN_TPS RUN_P50 RUN_P99 RUN_OTHERS.
measured_pgbench_run() {   # name run
  local name=$1 run=$2 redo out o tps failed
  for redo in 0 1 2; do
    "${BEFORE_RUN:-true}"
    wait_quiet
    rm -rf "$RESULTS/pgbench-log"; mkdir -p "$RESULTS/pgbench-log"
    mark_cpu
    pgbench_replay "$DURATION" "$RESULTS/pgbench-$name-$run.txt" -r -l --log-prefix="$RESULTS/pgbench-log/tx"
    o=$(others_percent)
    out=$(cat "$RESULTS/pgbench-log"/tx* | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END {printf "%.2f %.2f\n", v[int(NR*0.5)+1]/1000, v[int(NR*0.99)+1]/1000}')
    tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$RESULTS/pgbench-$name-$run.txt")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$RESULTS/pgbench-$name-$run.txt")
    echo "  run $run: tps=$tps p50_ms=${out% *} p99_ms=${out#* } failed=${failed:-0} others=${o}%"
    [[ ${failed:-0} -eq 0 ]] || die "the database-only replay of $name had ${failed} failed transactions: see $RESULTS/pgbench-$name-$run.txt"
    [[ $o -lt $DISTURBED_PERCENT || $redo -eq 2 ]] && break
    echo "  disturbed by other processes: again"
  done
  RUN_TPS=$tps; RUN_P50=${out% *}; RUN_P99=${out#* }; RUN_OTHERS=$o
}

# pgbench replaying the captured statements, $RUNS runs after a short warm-up: sets D_TPS D_P50
# D_P99 (medians), D_SPREAD, D_OTHERS (a replay with failed transactions is no ceiling: the run stops)
measure_db() {   # name
  local name=$1 run defines=() tpss=() p50s=() p99s=() others=()
  mapfile -t defines <"$RESULTS/sql/$name.defines"
  PGBENCH_NAME=$name
  # the limiter's transaction on a bucket of each client's own (bench/capture.pl), in the share of
  # the API's requests that did one (LIMITER_PPM, per million; every transaction when not measured)
  if [[ -s $RESULTS/sql/$name.setup.sql ]]; then db -v clients="$CONNECTIONS" -f "$RESULTS/sql/$name.setup.sql"; fi
  PGBENCH_ARGS=(-h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2
                -f "$RESULTS/sql/$name.pgbench" "${defines[@]}" -D "clients=$CONNECTIONS" -D "users=$CLOCK_USERS"
                -D "limiter_ppm=${LIMITER_PPM[$name]:-1000000}" -D limiter_acc=0)
  "${BEFORE_RUN:-true}"
  pgbench_replay 10 "$RESULTS/pgbench-$name-warmup.txt"
  for run in $(seq 1 "$RUNS"); do
    measured_pgbench_run "$name" "$run"
    tpss+=("$RUN_TPS"); p50s+=("$RUN_P50"); p99s+=("$RUN_P99"); others+=("$RUN_OTHERS")
  done
  D_TPS=$(printf '%s\n' "${tpss[@]}" | median); D_SPREAD=$(printf '%s\n' "${tpss[@]}" | spread)
  D_P50=$(printf '%s\n' "${p50s[@]}" | median); D_P99=$(printf '%s\n' "${p99s[@]}" | median)
  D_OTHERS=$(printf '%s\n' "${others[@]}" | sort -n | tail -n 1)
  echo "  median of $RUNS: ${D_TPS} tps (spread ${D_SPREAD} %), p50 ${D_P50} ms, p99 ${D_P99} ms"
  rm -rf "$RESULTS/pgbench-log"
}

# The streaks' cost (issue 13: a streak on the board adds no more than 10 % to its cost): the
# board as the application reads it (group_leaderboard, the hot group) against the board before
# streaks (the board function as released before them: bench/board-before-streaks.sql), on the same database in
# the same minutes: 9 rounds of one 10 s pgbench run each, their order swapped every round, one
# client per core (the cost of a read without queueing; with 32 clients the runs' spread is
# larger than the difference measured). A round's ratio compares two runs a few seconds apart,
# so the machine's drift cancels out; the median of the 9 ratios is kept. Sets STREAK_TPS and
# BEFORE_STREAKS_TPS (medians of the runs) and STREAK_X (the median ratio: the cost with streaks
# over the cost before them), STREAK_X_RANGE (the lowest and highest ratio).
measure_streak_cost() {
  local round name tps with before ratios=() all_with=() all_before=()
  db -f bench/board-before-streaks.sql
  echo "select * from group_leaderboard(:g::uuid);" >"$RESULTS/sql/board-streaks.pgbench"
  echo "select * from bench.board_before_streaks(:g::uuid);" >"$RESULTS/sql/board-before.pgbench"
  for round in $(seq 1 9); do
    for name in $( ((round % 2)) && echo streaks before || echo before streaks); do
      PGBENCH_NAME=board-$name
      PGBENCH_ARGS=(-h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c 2 -j 2 -f "$RESULTS/sql/board-$name.pgbench" -D "g=$HOT")
      wait_quiet
      pgbench_replay 10 "$RESULTS/pgbench-board-$name-$round.txt"
      tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$RESULTS/pgbench-board-$name-$round.txt")
      if [[ $name == streaks ]]; then with=$tps; else before=$tps; fi
    done
    all_with+=("$with"); all_before+=("$before")
    ratios+=("$(echo "$before / $with" | bc -l | xargs printf '%.3f')")
    echo "  round $round: with streaks $with tps, before them $before tps: cost x ${ratios[-1]}"
  done
  mapfile -t ratios < <(printf '%s\n' "${ratios[@]}" | sort -g)
  STREAK_TPS=$(printf '%s\n' "${all_with[@]}" | median)
  BEFORE_STREAKS_TPS=$(printf '%s\n' "${all_before[@]}" | median)
  STREAK_X=$(printf '%.2f' "${ratios[4]}")   # the 5th of 9, sorted: the median
  STREAK_X_RANGE="$(printf '%.2f' "${ratios[0]}")–$(printf '%.2f' "${ratios[-1]}")"
  echo "  board with streaks ${STREAK_TPS} tps, before them ${BEFORE_STREAKS_TPS} tps (medians); cost x ${STREAK_X} (median of the rounds' ratios, range ${STREAK_X_RANGE})"
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
