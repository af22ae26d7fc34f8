# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# One scale (a number of time logs): its database, the server's start, and what is measured
# there: the progress statement at every scale, every scenario at the main one, and the
# progress, history and stats scenarios above it (10 M).

# tokens: bench-user-1 .. bench-user-N, signed by the development key (created when missing)
TOKENS=$RESULTS/tokens.txt
# figures by scale
declare -A STARTUP STARTUP_SPREAD PROGRESS_SPREAD RSS_IDLE PROGRESS_P50 PROGRESS_P99 PROGRESS_RPS EXPLAIN_MS PLAN_MS SIZE LOGS GEN_S TOTALS_S TOTALS_ROWS
# figures by scenario (the main scale)
declare -A API_RPS API_SPREAD API_P50 API_P99 API_ERR API_OTH API_SERVER_US API_DB_US DB_TPS DB_SPREAD DB_P50 DB_P99 DB_OTH
# history and stats by "scenario:scale" (the main scale and 10 M): wrk figures, EXPLAIN ANALYZE
declare -A AT_RPS AT_SPREAD AT_P50 AT_P99 AT_ERR AT_OTH AT_EXPLAIN AT_PLAN

# a fresh database, migrated, filled by bench/generate.sql
fill_database() {   # scale
  local scale=$1 t0
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
  echo "  $(tail -n 1 "$RESULTS/generate-$scale.log" | tr '|' ' ' | awk '{printf "%s users, %s groups, %s memberships, %s sessions, %s time logs, %s notifications, %s member-period totals", $1,$2,$3,$4,$5,$6,$7}')"
  # generate.sql's line "totals rebuilt: R rows for G groups in S s" (rebuild_member_period_totals)
  read -r "TOTALS_ROWS[$scale]" "TOTALS_S[$scale]" < <(sed -n 's/^totals rebuilt: \([0-9]*\) rows for [0-9]* groups in \([0-9.]*\) s$/\1 \2/p' "$RESULTS/generate-$scale.log")
  echo "  generated, vacuumed and analysed in ${GEN_S[$scale]} s (of which the member-period totals: ${TOTALS_S[$scale]} s); database ${SIZE[$scale]}"
}

# the simulated users: the hot group's first 20 members, and each clock user with their group;
# for history, the hot group's period starts; for stats, the year asked for
make_user_files() {
  HOT=$(db -c "select md5('bench-group-1')::uuid")
  if [[ ! -s $TOKENS ]]; then
    ./lockin tokens "$(db -c "select max(n) from bench.clock_users")" >"$TOKENS"
  fi
  sed -n '1,20p' "$TOKENS" | sed 's/$/ -/' >"$RESULTS/users-hot.txt"
  db -F ' ' -c "select n, group_id from bench.clock_users order by k" \
    | awk 'NR == FNR { token[NR] = $1; next } { print token[$1], $2 }' "$TOKENS" - >"$RESULTS/users-clock.txt"
  # history: the hot group's period starts (every local midnight of Europe/Paris in its year, as
  # the database steps them), all but the first (nothing before it), as ISO instants
  BEFORES=$RESULTS/history-befores-$1.txt
  db -c "select to_char(p.period_start at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
           from groups g
          cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at, g.start_at, now()) p
          where g.id = '$HOT' order by p.period_start offset 1" >"$BEFORES"
  HISTORY_BEFORE=$(sed -n "$(( $(wc -l <"$BEFORES") / 2 ))p" "$BEFORES")   # the captured request's
  # stats: a year up to today in Europe/Paris (the range's most: 366 days, both ends included)
  read -r STATS_FROM STATS_TO < <(db -F ' ' -c "select d - 365, d from (select (now() at time zone 'Europe/Paris')::date as d) x")
}

# Payara Micro started $RUNS times (a start disturbed by other processes again, at most
# twice); the last start keeps running. Ready time: the median; then RSS idle. Before each, at the
# main scale, an empty Payara Micro started the same way (start_empty_micro): the anchor.
declare -A EMPTY_STARTUP=()
measure_startup() {   # scale
  local scale=$1 run attempt o readies=() empties=()
  say "Scale $scale: Payara Micro, started $RUNS times (ready time: the median)"
  for run in $(seq 1 "$RUNS"); do
    EMPTY_READY_S=
    if [[ $scale == "$MAIN_SCALE" ]]; then
      wait_quiet
      start_empty_micro
      empties+=("$EMPTY_READY_S")
    fi
    for attempt in 1 2 3; do
      wait_quiet
      mark_cpu
      start_server "$scale"
      o=$(others_percent)
      [[ $o -lt $DISTURBED_PERCENT || $attempt -eq 3 ]] && break
      echo "  ready in $READY_S s, but other processes used ${o}% of the machine meanwhile: again"
      stop_server
    done
    echo "  start $run: ready in $READY_S s${EMPTY_READY_S:+ (an empty Payara Micro just before: $EMPTY_READY_S s)}"
    readies+=("$READY_S")
    if [[ $run -lt $RUNS ]]; then stop_server; fi
  done
  if (( ${#empties[@]} > 0 )); then EMPTY_STARTUP[$scale]=$(printf '%s\n' "${empties[@]}" | median); fi
  READY_S=$(printf '%s\n' "${readies[@]}" | median)
  STARTUP_SPREAD[$scale]=$(printf '%s\n' "${readies[@]}" | spread)
  STARTUP[$scale]=$READY_S
  sleep 5
  RSS_IDLE[$scale]=$(rss_mb)
  echo "  ready in ${STARTUP[$scale]} s (median, spread ${STARTUP_SPREAD[$scale]} %); RSS idle ${RSS_IDLE[$scale]} MB"
}

# a few requests first, so that what is captured is a warm request (cached identity, pool)
warm_requests() {
  HOT_TOKEN=$(sed -n 1p "$TOKENS")
  USER_TOKEN=$(sed -n 1p "$RESULTS/users-clock.txt" | cut -d' ' -f1)
  CLOCK_GROUP=$(sed -n 1p "$RESULTS/users-clock.txt" | cut -d' ' -f2)
  for _ in 1 2 3 4 5 6; do
    curl -s -o /dev/null -H "Authorization: Bearer $HOT_TOKEN" "$BASE/api/groups/$HOT/progress/current"
    curl -s -o /dev/null -H "Authorization: Bearer $USER_TOKEN" "$BASE/api/groups"
    curl -s -o /dev/null -H "Authorization: Bearer $USER_TOKEN" "$BASE/api/notifications?limit=20"
    curl -s -o /dev/null -H "Authorization: Bearer $HOT_TOKEN" "$BASE/api/groups/$HOT/history?limit=20"
    curl -s -o /dev/null -H "Authorization: Bearer $USER_TOKEN" "$BASE/api/me/stats?from=$STATS_FROM&to=$STATS_TO&timezone=Europe/Paris"
  done
}

# one scenario under wrk (measure_api), with its users and arguments
measure_api_of() {   # name scenario
  local name=$1 scenario=$2
  case $scenario in
    progress) measure_api "$name" progress "$RESULTS/users-hot.txt" 2 "$HOT" ;;
    history) measure_api "$name" history "$RESULTS/users-hot.txt" 2 "$HOT" "$BEFORES" ;;
    stats) measure_api "$name" stats "$RESULTS/users-clock.txt" 2 "$STATS_FROM" "$STATS_TO" ;;
    clock) BEFORE_RUN=clock_reset measure_api "$name" clock "$RESULTS/users-clock.txt" "$CONNECTIONS" ;;
    *) measure_api "$name" "$scenario" "$RESULTS/users-clock.txt" 2 ;;
  esac
}
# history and stats: their figures at this scale
keep_at() {   # scenario scale
  AT_RPS[$1:$2]=$W_RPS; AT_SPREAD[$1:$2]=$W_SPREAD; AT_P50[$1:$2]=$W_P50; AT_P99[$1:$2]=$W_P99
  AT_ERR[$1:$2]=$W_ERRORS; AT_OTH[$1:$2]=$W_OTHERS
}
explain_at() {   # scenario scale
  read -r "AT_EXPLAIN[$1:$2]" "AT_PLAN[$1:$2]" < <(explain_scenario "$1" "$2")
  echo "  $1 EXPLAIN ANALYZE: execution ${AT_EXPLAIN[$1:$2]} ms, planning ${AT_PLAN[$1:$2]} ms (median; plans in explain-$1-$2*.txt)"
}

# a scale other than the main one: the progress statement and the endpoint under load
measure_progress_only() {   # scale
  local scale=$1
  say "Scale $scale: the progress statement"
  capture send_progress
  read -r "EXPLAIN_MS[$scale]" "PLAN_MS[$scale]" < <(explain_scenario progress "$scale")
  echo "  EXPLAIN ANALYZE: execution ${EXPLAIN_MS[$scale]} ms, planning ${PLAN_MS[$scale]} ms (median)"
  say "Scale $scale: progress under load"
  measure_api_of "progress-$scale" progress
  PROGRESS_RPS[$scale]=$W_RPS; PROGRESS_P50[$scale]=$W_P50; PROGRESS_P99[$scale]=$W_P99; PROGRESS_SPREAD[$scale]=$W_SPREAD
}

# a scale above the main one (10 M): the progress statement, and history and stats (their target
# is set there: p99 < 50 ms at 32 connections), each EXPLAIN ANALYZE'd and under wrk
measure_large_scale() {   # scale
  local scale=$1 scenario
  say "Scale $scale: the statements of ${LARGE_SCENARIOS[*]}"
  capture send_large
  for scenario in "${LARGE_SCENARIOS[@]}"; do
    wanted "$scenario" || continue
    if [[ $scenario == progress ]]; then
      read -r "EXPLAIN_MS[$scale]" "PLAN_MS[$scale]" < <(explain_scenario progress "$scale")
      echo "  progress EXPLAIN ANALYZE: execution ${EXPLAIN_MS[$scale]} ms, planning ${PLAN_MS[$scale]} ms (median)"
    else
      explain_at "$scenario" "$scale"
    fi
  done
  for scenario in "${LARGE_SCENARIOS[@]}"; do
    wanted "$scenario" || continue
    say "Scale $scale: $scenario under load"
    measure_api_of "$scenario-$scale" "$scenario"
    if [[ $scenario == progress ]]; then
      PROGRESS_RPS[$scale]=$W_RPS; PROGRESS_P50[$scale]=$W_P50; PROGRESS_P99[$scale]=$W_P99; PROGRESS_SPREAD[$scale]=$W_SPREAD
    else
      keep_at "$scenario" "$scale"
    fi
  done
}

# one scenario at the main scale: the API under wrk, then the database alone under pgbench
measure_scenario() {   # scale scenario
  local scale=$1 scenario=$2 before=true
  [[ $scenario == clock ]] && before=clock_reset
  say "Scale $scale: $scenario, API under wrk"
  COUNT_LIMITER=true measure_api_of "$scenario" "$scenario"
  API_RPS[$scenario]=$W_RPS; API_SPREAD[$scenario]=$W_SPREAD; API_P50[$scenario]=$W_P50; API_P99[$scenario]=$W_P99; API_ERR[$scenario]=$W_ERRORS; API_OTH[$scenario]=$W_OTHERS
  API_SERVER_US[$scenario]=$W_SERVER_US; API_DB_US[$scenario]=$W_DB_US
  if [[ $scenario == history || $scenario == stats ]]; then keep_at "$scenario" "$scale"; fi
  say "Scale $scale: $scenario, database only (pgbench)"
  BEFORE_RUN=$before measure_db "$scenario"
  DB_TPS[$scenario]=$D_TPS; DB_SPREAD[$scenario]=$D_SPREAD; DB_P50[$scenario]=$D_P50; DB_P99[$scenario]=$D_P99; DB_OTH[$scenario]=$D_OTHERS
  # the clock's last replay leaves its cycles (sessions and logs of the clock users, who are the
  # stats scenario's users too): gone before the scenarios after it
  if [[ $scenario == clock ]]; then clock_reset; fi
}

# the main scale: the SQL of each scenario captured, then every scenario, and RSS under load
measure_main_scale() {   # scale
  local scale=$1 scenario
  if wanted_ceiling; then
    say "Scale $scale: capturing the SQL of one request of each scenario"
    CLOCK_UID=$(db -c "select profile_id from bench.clock_users where k = 1")
    capture send_all
  fi
  if wanted progress; then
    read -r "EXPLAIN_MS[$scale]" "PLAN_MS[$scale]" < <(explain_scenario progress "$scale")
    echo "  progress EXPLAIN ANALYZE: execution ${EXPLAIN_MS[$scale]} ms, planning ${PLAN_MS[$scale]} ms (median)"
  fi
  for scenario in history stats; do if wanted "$scenario"; then explain_at "$scenario" "$scale"; fi; done
  : >"$RESULTS/rss.samples"
  for scenario in "${ALL_SCENARIOS[@]}"; do
    if wanted "$scenario"; then measure_scenario "$scale" "$scenario"; fi
  done
  for scenario in "${ANCHOR_SCENARIOS[@]}"; do
    if wanted "$scenario"; then
      say "Scale $scale: $scenario (the server's own ceiling), API under wrk"
      measure_api_of "$scenario" "$scenario"
      API_RPS[$scenario]=$W_RPS; API_SPREAD[$scenario]=$W_SPREAD; API_P50[$scenario]=$W_P50; API_P99[$scenario]=$W_P99
      API_ERR[$scenario]=$W_ERRORS; API_OTH[$scenario]=$W_OTHERS
      API_SERVER_US[$scenario]=$W_SERVER_US; API_DB_US[$scenario]=$W_DB_US
    fi
  done
  if wanted progress; then
    say "Scale $scale: the streaks' cost, the board with them against the board before them (pgbench)"
    measure_streak_cost
    PROGRESS_RPS[$scale]=${API_RPS[progress]}; PROGRESS_P50[$scale]=${API_P50[progress]}; PROGRESS_P99[$scale]=${API_P99[progress]}
    PROGRESS_SPREAD[$scale]=${API_SPREAD[progress]}
  fi
  RSS_LOAD=$(( $(sort -n "$RESULTS/rss.samples" | tail -n 1) / 1024 ))
  echo "  RSS under load (peak): $RSS_LOAD MB"
}

run_scale() {   # scale
  local scale=$1
  fill_database "$scale"
  if [[ $ONLY == live ]]; then
    measure_live "$scale"
  else
    make_user_files "$scale"
    measure_startup "$scale"
    warm_requests
    if [[ $scale == "$MAIN_SCALE" ]]; then
      if wanted_wrk; then measure_main_scale "$scale"; fi
      if wanted export; then measure_export "$scale"; fi
      if wanted live; then measure_live "$scale"; fi   # it adds members to the hot group
      if wanted push; then measure_push "$scale"; fi   # a server of its own, with the receivers' settings
      # last: a server of its own, reading from a replica; a replica that cannot be made skips it
      if $REPLICA; then measure_replica "$scale" || echo "  the replica scenario was skipped: see above"; fi
    elif [[ $scale -gt $MAIN_SCALE ]]; then
      measure_large_scale "$scale"
    else
      measure_progress_only "$scale"
    fi
  fi
  stop_server
}
