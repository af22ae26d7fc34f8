# shellcheck shell=bash
# Clock cycles through nginx while alpha is killed with SIGKILL: every write the
# API acknowledged must be in the database, beta must keep serving, and a board
# stream cut on alpha must reconnect through nginx to beta, the board first.

# Each worker runs cycles (create, start, pause, resume, stop) as its own user and
# records every acknowledged (2xx) step; a step that fails is not acknowledged.
worker() { # n
  local tok; tok=$(token "cluster-worker-$1")
  local out=$WORK/acks-$1.txt; : > "$out"
  local deadline=$(( $(date +%s) + 20 ))
  while (( $(date +%s) < deadline )); do
    local body code id
    body=$(curl -s -m 10 -w '\n%{http_code}' -X POST -H "Authorization: Bearer $tok" "http://127.0.0.1:$PROXY/api/sessions") || continue
    code=${body##*$'\n'}; body=${body%$'\n'*}
    [[ $code == 201 ]] || continue
    id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$body")
    echo "$id create" >> "$out"
    for step in start pause resume stop; do
      code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $tok" "http://127.0.0.1:$PROXY/api/sessions/$id:$step") || code=000
      [[ $code == 200 ]] || break
      echo "$id $step" >> "$out"
    done
  done
}
# A client of the board whose stream, through nginx, is on alpha (nginx
# balances round-robin: a few openings find it).
open_board_stream_on_alpha() {
  local n
  unsubscribe alpha-board
  for n in 1 2 3 4 5 6; do
    subscribe "via-nginx-$n" "$NGINX" "$BOARD" "$LIVE_OWNER"
    awaits "via-nginx-$n" 0 10 'ev(e, "leaderboard")' >/dev/null || fail "no board through nginx (see $WORK/stream-via-nginx-$n.jsonl)"
    if awaits "via-nginx-$n" 0 0 'e.get("upstream") == u' u="127.0.0.1:$PORT_A" >/dev/null; then ON_ALPHA=via-nginx-$n; break; fi
    unsubscribe "via-nginx-$n"
  done
  [[ -n ${ON_ALPHA:-} ]] || fail "nginx passed no board stream to alpha in 6 openings"
}
kill_alpha_under_load() {
  local n pid acks missing id step status ok overlaps sessions
  WORKERS=()
  for n in 1 2 3 4; do worker "$n" & WORKERS+=("$!"); done
  sleep 6
  { kill -9 "$PID_A"; wait "$PID_A"; } 2>/dev/null || true
  check "instance alpha killed (SIGKILL) under load"
  for pid in "${WORKERS[@]}"; do wait "$pid" || true; done

  cat "$WORK"/acks-*.txt > "$WORK/acks.txt"
  acks=$(wc -l < "$WORK/acks.txt")
  (( acks > 20 )) || fail "too few acknowledged steps ($acks): the load did not run"
  # the last acknowledged step of each session, and the states the database may hold for it
  # (one step further when the next step was applied but its answer was lost with the instance)
  missing=0
  while read -r id step; do
    status=$(sql "select status from sessions where id = '$id'")
    case $step in
      create) ok="scheduled running cancelled" ;;
      start)  ok="running paused ended" ;;
      pause)  ok="paused running" ;;
      resume) ok="running ended" ;;
      stop)   ok="ended" ;;
    esac
    [[ " $ok " == *" $status "* ]] || { say "session $id: acknowledged '$step' but the database says '${status:-nothing}'"; missing=$((missing + 1)); }
  done < <(awk '{ last[$1] = $2 } END { for (id in last) print id, last[id] }' "$WORK/acks.txt")
  (( missing == 0 )) || fail "$missing acknowledged writes are not in the database"
  overlaps=$(sql "select count(*) from time_logs a join time_logs b on a.user_id = b.user_id and a.id < b.id and tstzrange(a.started_at, a.ended_at) && tstzrange(b.started_at, b.ended_at)")
  [[ $overlaps == 0 ]] || fail "$overlaps overlapping time logs"
  sessions=$(awk '{print $1}' "$WORK/acks.txt" | sort -u | wc -l)
  check "$acks acknowledged steps over $sessions sessions: every one is in the database, no overlapping logs"
}
check_beta_serves_alone() {
  local code
  ready "$PORT_B" || fail "instance beta stopped serving"
  for _ in 1 2 3 4 5; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OWNER_TOKEN" "http://127.0.0.1:$PROXY/api/me")
    [[ $code == 200 ]] || fail "through nginx after the kill: HTTP $code"
  done
  check "instance beta serves alone, through nginx"
}
# The board client whose stream was on alpha: cut by the kill, it reconnects
# through nginx with the last event id it had, reaches beta, and the first
# event is the current board (the same as GET .../progress/current).
check_board_stream_moves_to_beta() {
  local last_id first current opened
  awaits "$ON_ALPHA" 0 5 'e.get("closed")' >/dev/null || fail "the board stream on alpha was not cut by the kill (see $WORK/stream-$ON_ALPHA.jsonl)"
  last_id=$(python3 -c 'import json,sys; print([e for e in map(json.loads, open(sys.argv[1])) if e.get("id")][-1]["id"])' "$WORK/stream-$ON_ALPHA.jsonl")
  subscribe reconnected "$NGINX" "$BOARD" "$LIVE_OWNER" "$last_id"
  first=$(awaited reconnected 0 10 '"event" in e') || fail "the reconnected stream got no event (see $WORK/stream-reconnected.jsonl)"
  current=$(api "$LIVE_OWNER" GET "$NGINX/api/groups/$LIVE_GROUP/progress/current")
  opened=$(awaited reconnected 0 0 '"status" in e')
  say "reconnected with Last-Event-ID $last_id: HTTP $(json_field status <<<"$opened") from $(json_field upstream <<<"$opened") (nginx's upstream tries)"
  python3 - "$first" "$current" "$opened" "127.0.0.1:$PORT_B" <<'PY' || fail "the reconnect through nginx did not reach beta with the current board first"
import json, sys
first, current, opened, beta = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
assert opened["status"] == 200 and opened["upstream"].split(", ")[-1] == beta, opened
assert first["event"] == "leaderboard" and first["data"] == current, (first, current)
PY
  check "alpha's board stream (through nginx) was cut by the kill; its client reconnected through nginx to beta and got the current board first"
  unsubscribe reconnected
}
