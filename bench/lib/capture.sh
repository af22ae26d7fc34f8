# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# Capturing the SQL one request of each scenario sends (for the database-only ceiling), and
# EXPLAIN ANALYZE of the progress, history and stats statements.

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
  for CAPTURE_ATTEMPT in 1 2 3; do
    CAPTURE_VARS=()
    # reads are counted in batches: a caller's first read after 3 s without one writes its bucket
    # (the limiter's transaction), so after this pause the first request of each scenario's caller
    # has it, and the replay repeats it in the share of the API's requests that did (capture.pl)
    sleep 3.5
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
# The API reads a group's board once for all its readers of a second (issue 28): the ceiling stays the
# statement each request ran before, the board as the caller sees it (capture.pl writes it with these)
send_progress() {
  request progress -H "$(auth "$HOT_TOKEN")" "$BASE/api/groups/$HOT/progress/current"
  CAPTURE_VARS+=(progress_group="$HOT" progress_caller="$(db -c "select profile_id from auth_identities where subject = 'bench-user-1'")")
}
# a page of the hot group's history from the middle of its year (the replay repeats this page)
send_history() {
  request history -H "$(auth "$HOT_TOKEN")" "$BASE/api/groups/$HOT/history?limit=20&before=$HISTORY_BEFORE"
}
# a year of the first clock user's own focus
send_stats() {
  request stats -H "$(auth "$USER_TOKEN")" "$BASE/api/me/stats?from=$STATS_FROM&to=$STATS_TO&timezone=Europe/Paris"
}
# the scenarios measured at a scale above the main one
send_large() {
  local s
  for s in "${LARGE_SCENARIOS[@]}"; do if wanted "$s"; then "send_$s"; fi; done
}
# every scenario of the run (those of --only)
send_all() {
  if wanted progress; then send_progress; fi
  if wanted history; then send_history; fi
  if wanted stats; then send_stats; fi
  if wanted groups; then request groups -H "$(auth "$USER_TOKEN")" "$BASE/api/groups"; fi
  if wanted notifications; then request notifications -H "$(auth "$USER_TOKEN")" "$BASE/api/notifications?limit=20"; fi
  wanted clock || return 0
  # one clock cycle as the first clock user, in their group; its Idempotency-Keys new in each
  # attempt (a capture done again with the same keys would be answered from the first one's)
  local key=bench-capture-$CAPTURE_ATTEMPT-key
  request clock:0 -X POST -H "$(auth "$USER_TOKEN")" -H 'Content-Type: application/json' \
          -H "Idempotency-Key: $key-0" -d "{\"group_id\":\"$CLOCK_GROUP\"}" "$BASE/api/sessions"
  local sid
  sid=$(sed 's/.*"id":"\([^"]*\)".*/\1/' "$RESULTS/sql/answer.json")
  local step=1 action
  for action in start pause resume stop; do
    request "clock:$step" -X POST -H "$(auth "$USER_TOKEN")" -H "Idempotency-Key: $key-$step" \
            "$BASE/api/sessions/$sid:$action"
    step=$((step + 1))
  done
  CAPTURE_VARS+=(uid="$CLOCK_UID" gid="$CLOCK_GROUP" sid="$sid")
  for step in 0 1 2 3 4; do CAPTURE_VARS+=("key$step=$key-$step"); done
}

# A scenario's measured statements (capture.pl's SCENARIO.explain.*: the progress read's one, the
# history page's one, the stats' one: focus_stats), prepared and run under EXPLAIN ANALYZE 15 times each, in
# turn (the first 5 rounds warm the plan cache as the application's connections are warm): prints
# the median execution and planning milliseconds of the last 10 rounds, a round's being the sum
# over the statements (what one request costs the database in them). The plans are in
# $RESULTS/explain-SCENARIO-SCALE.txt; for history and stats, whose functions are PL/pgSQL (a
# function scan shows no plan), one more round with auto_explain adds the plans of the statements
# run inside them (explain-SCENARIO-SCALE-inner.txt; for history those of 1 ms or more).
# shellcheck disable=SC2016
explain_scenario() {   # scenario scale
  local scenario=$1 scale=$2 n i round
  local sql=$RESULTS/sql/$scenario.explain.sql args=$RESULTS/sql/$scenario.explain.args
  [[ -s $sql && -s $args ]] || die "the $scenario statement was not captured"
  n=$(wc -l <"$args")
  explain_execute() {   # statement number: "execute bench_SCENARIO_N(args)"
    local a
    a=$(sed -n "${1}p" "$args")
    if [[ -n $a ]]; then echo "execute bench_${scenario}_$1($a);"; else echo "execute bench_${scenario}_$1;"; fi
  }
  {
    echo "set jit = off;"
    cat "$sql"
    for round in $(seq 1 15); do
      for i in $(seq 1 "$n"); do echo "explain (analyze, buffers) $(explain_execute "$i")"; done
    done
  } >"$RESULTS/sql/$scenario-explain.sql"
  db -f "$RESULTS/sql/$scenario-explain.sql" >"$RESULTS/explain-$scenario-$scale.txt"
  if [[ $scenario != progress ]]; then
    {
      echo "set jit = off;"
      cat "$sql"
      echo "load 'auto_explain';"
      # the history page calls member_target_at hundreds of times (~0.02 ms each): those are left out
      echo "set auto_explain.log_min_duration = $([[ $scenario == history ]] && echo 1 || echo 0);"
      echo "set auto_explain.log_analyze = on; set auto_explain.log_buffers = on;"
      echo "set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice; set client_min_messages = notice;"
      echo '\o /dev/null'   # the rows; the plans are notices (stderr)
      for i in $(seq 1 "$n"); do explain_execute "$i"; done
    } >"$RESULTS/sql/$scenario-explain-inner.sql"
    db -f "$RESULTS/sql/$scenario-explain-inner.sql" >"$RESULTS/explain-$scenario-$scale-inner.txt" 2>&1
  fi
  local per_round="{ s += \$3 } NR % $n == 0 { if (NR / $n > 5) print s; s = 0 }"
  echo "$(grep 'Execution Time' "$RESULTS/explain-$scenario-$scale.txt" | awk "$per_round" | median)" \
       "$(grep 'Planning Time' "$RESULTS/explain-$scenario-$scale.txt" | awk "$per_round" | median)"
}
