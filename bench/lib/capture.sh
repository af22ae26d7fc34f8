# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# Capturing the SQL one request of each scenario sends (for the database-only ceiling), and
# EXPLAIN ANALYZE of the progress statement.

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
# shellcheck disable=SC2016
explain_progress() {
  [[ -s $RESULTS/sql/progress.explain.sql ]] || die "the progress statement was not captured"
  {
    echo "set jit = off;"
    cat "$RESULTS/sql/progress.explain.sql"
    for _ in $(seq 1 15); do echo "explain (analyze, buffers) execute bench_progress($(cat "$RESULTS/sql/progress.explain.args"));"; done
  } >"$RESULTS/sql/progress-explain.sql"
  db -f "$RESULTS/sql/progress-explain.sql" >"$RESULTS/explain-$1.txt"
  local last_ten='NR > 5 { print $3 }'
  echo "$(grep 'Execution Time' "$RESULTS/explain-$1.txt" | awk "$last_ten" | median)" \
       "$(grep 'Planning Time' "$RESULTS/explain-$1.txt" | awk "$last_ten" | median)"
}
