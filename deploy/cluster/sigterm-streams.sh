# shellcheck shell=bash
# SIGTERM to an instance: its streams must get `event: end` (shutting_down)
# within 2 s, clients reconnecting through nginx meanwhile must all reach beta
# with the board first, and the instance must stop within 30 s.

# when a stream without its end was closed, for the failure's message
closed_after() { # NAME SIGTERM-TIME
  local at; at=$(awaits "$1" "$2" 0 'e.get("closed")') && echo ", closed without it $(elapsed "$2" "$at") s after SIGTERM"
}
# alpha started again (same port: nginx's upstream has it back), with a board stream
# and an /api/me/stream on it. SIGTERM: both must get `event: end`
# {"reason": "shutting_down"} within 2 s, and clients reconnecting through
# nginx while alpha stops must all reach beta, the board first.
check_sigterm_ends_streams() {
  local seen termed n end_board end_me upstreams first opened
  start_instance alpha-again "$PORT_A"; PID_A=$LAST_PID
  for _ in $(seq 180); do ready "$PORT_A" && break; sleep 1; done
  ready "$PORT_A" || fail "instance alpha did not start again (see $WORK/alpha-again.log)"
  subscribe term-board "$A" "$BOARD" "$LIVE_OWNER"
  subscribe term-me "$A" /api/me/stream "$LIVE_MEMBER"
  awaits term-board 0 10 'ev(e, "leaderboard")' >/dev/null || fail "no board on alpha's stream (see $WORK/stream-term-board.jsonl)"
  awaits term-me 0 10 'e.get("status") == 200' >/dev/null || fail "alpha's /api/me/stream did not open (see $WORK/stream-term-me.jsonl)"
  seen=$(python3 -c 'import json,sys; print([e for e in map(json.loads, open(sys.argv[1])) if e.get("id")][-1]["id"])' "$WORK/stream-term-board.jsonl")
  termed=$(now)
  kill -TERM "$PID_A"
  # its clients reconnect through nginx right away, all through the second
  # after SIGTERM in which alpha still answers (503, then 500) before its port closes
  for n in 1 2 3 4 5 6 7 8; do subscribe "rejoin-$n" "$NGINX" "$BOARD" "$LIVE_OWNER" "$seen"; sleep 0.15; done
  end_board=$(awaits term-board "$termed" 5 'ev(e, "end") and e["data"]["reason"] == "shutting_down"') \
    || fail "alpha's board stream got no event: end (shutting_down) within 5 s of SIGTERM$(closed_after term-board "$termed") (see $WORK/stream-term-board.jsonl)"
  end_me=$(awaits term-me "$termed" 5 'ev(e, "end") and e["data"]["reason"] == "shutting_down"') \
    || fail "alpha's /api/me/stream got no event: end (shutting_down) within 5 s of SIGTERM$(closed_after term-me "$termed") (see $WORK/stream-term-me.jsonl)"
  say "event: end (shutting_down) $(elapsed "$termed" "$end_board") s (board) and $(elapsed "$termed" "$end_me") s (/api/me/stream) after SIGTERM"
  if ! below "$(elapsed "$termed" "$end_board")" 2 || ! below "$(elapsed "$termed" "$end_me")" 2; then
    fail "the streams' end came 2 s or more after SIGTERM"
  fi
  upstreams=()
  for n in 1 2 3 4 5 6 7 8; do
    first=$(awaited "rejoin-$n" 0 10 '"event" in e or e.get("closed")') || fail "a stream reopened through nginx after SIGTERM got nothing (see $WORK/stream-rejoin-$n.jsonl)"
    opened=$(awaited "rejoin-$n" 0 0 '"status" in e')
    python3 - "$first" "$opened" "127.0.0.1:$PORT_B" <<'PY' || fail "a client reconnecting through nginx after SIGTERM (the $n. of 8) did not reach beta with the board first (see $WORK/stream-rejoin-$n.jsonl)"
import json, sys
first, opened, beta = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
assert opened["status"] == 200 and opened["upstream"].split(", ")[-1] == beta, opened
assert first.get("event") == "leaderboard", first
PY
    upstreams+=("$(json_field upstream <<<"$opened")")
    unsubscribe "rejoin-$n"
  done
  say "8 clients reopened the board through nginx 0 to 1.2 s after SIGTERM; nginx passed them to: $(printf '%s; ' "${upstreams[@]}")"
  for _ in $(seq 30); do kill -0 "$PID_A" 2>/dev/null || break; sleep 1; done
  kill -0 "$PID_A" 2>/dev/null && fail "instance alpha did not stop within 30 s of SIGTERM"
  check "SIGTERM: alpha's streams got event: end (shutting_down) within 2 s, clients reconnecting through nginx meanwhile all reached beta with the board first, and alpha stopped"
}
