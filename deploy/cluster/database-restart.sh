# shellcheck shell=bash
# PostgreSQL restarted under both instances: their listeners must reconnect
# (a fresh board to each subscriber) and deliver a write within 10 s of it
# being up.

# PostgreSQL's clients are cut (the instances' listeners too). Once it is back, each
# instance's listener connects again and sends its subscribers a fresh board;
# a write after the restart reaches the subscribers of both.
check_database_restart() {
  local stopped up fresh_a fresh_b refused sent code answered got_a got_b
  subscribe beta-board "$B" "$BOARD" "$LIVE_MEMBER"
  awaits beta-board 0 10 'ev(e, "leaderboard")' >/dev/null || fail "no board on beta's stream (see $WORK/stream-beta-board.jsonl)"
  stopped=$(now)
  kill -TERM "$DB_PID"; wait "$DB_PID" 2>/dev/null || true
  psql "postgresql://postgres@localhost:$DB_PORT/lockin" -qtAX -c 'select 1' >/dev/null 2>&1 && fail "PostgreSQL still answers after its stop"
  start_database "$WORK/db-restarted.log" || fail "PostgreSQL did not start again (see $WORK/db-restarted.log)"
  up=$(now)
  say "PostgreSQL stopped and started again on port $DB_PORT, the same data directory (down $(elapsed "$stopped" "$up") s)"
  fresh_a=$(awaits alpha-board "$stopped" 20 'ev(e, "leaderboard")') || fail "alpha's subscriber got no fresh board after the restart: its listener did not reconnect (see $WORK/alpha.log)"
  fresh_b=$(awaits beta-board "$stopped" 20 'ev(e, "leaderboard")') || fail "beta's subscriber got no fresh board after the restart: its listener did not reconnect (see $WORK/beta.log)"
  # the first writes may meet pooled connections the restart cut: the client retries
  refused=()
  for _ in $(seq 20); do
    sent=$(now)
    code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $LIVE_MEMBER" "$NGINX/api/sessions/$LIVE_SESSION:pause") || code=000
    [[ $code == 200 ]] && break
    refused+=("$code"); sent=""; sleep 0.5
  done
  [[ -n $sent ]] || fail "no write succeeded within 10 s of the restart (answers: ${refused[*]})"
  answered=$(now)
  (( ${#refused[@]} == 0 )) || say "the first write after the restart was answered ${refused[*]} (retried every 0.5 s) before a 200"
  got_a=$(awaits alpha-board "$sent" 5 'ev(e, "leaderboard") and focusing(e, m) is False' m="$MEMBER_ID") || fail "alpha's subscriber missed the write after the restart"
  got_b=$(awaits beta-board "$sent" 5 'ev(e, "leaderboard") and focusing(e, m) is False' m="$MEMBER_ID") || fail "beta's subscriber missed the write after the restart"
  say "fresh boards $(elapsed "$up" "$fresh_a") s (alpha) and $(elapsed "$up" "$fresh_b") s (beta) after PostgreSQL was up; a write $(elapsed "$up" "$sent") s after it reached alpha in $(elapsed "$answered" "$got_a") s and beta in $(elapsed "$answered" "$got_b") s"
  if ! below "$(elapsed "$up" "$got_a")" 10 || ! below "$(elapsed "$up" "$got_b")" 10; then
    fail "the instances took 10 s or more after the restart to deliver a write"
  fi
  check "after a PostgreSQL restart both instances' listeners reconnected (a fresh board to each subscriber) and delivered a write within $(elapsed "$up" "$(printf '%s\n' "$got_a" "$got_b" | sort -n | tail -1)") s of it being up"
  unsubscribe alpha-me
  unsubscribe beta-board
}
