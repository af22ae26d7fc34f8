# shellcheck shell=bash
# Live updates across instances: a write on beta must reach a subscriber on
# alpha within 1 s (the board and /api/me/stream). Leaves the group (LIVE_*,
# BOARD) and alpha's subscribers alpha-board and alpha-me to the next steps.

# A group of two people; the owner listens, the member writes (starts and
# pauses a session of the group: their is_focusing on the board, and a
# presence event on the owner's /api/me/stream).
check_write_across_instances() {
  local sent answered board_at presence_at
  LIVE_OWNER=$(token live-owner)
  LIVE_MEMBER=$(token live-member)
  MEMBER_ID=$(api "$LIVE_MEMBER" GET "$NGINX/api/me" | json_field id)
  LIVE_GROUP=$(api "$LIVE_OWNER" POST "$NGINX/api/groups" "$(python3 -c 'import datetime as d; e = d.datetime.now(d.timezone.utc) + d.timedelta(days=14)
print("{\"name\": \"Live\", \"end_at\": \"%s\", \"timezone\": \"UTC\", \"period\": \"daily\", \"period_target_minutes\": 600}" % e.isoformat())')" | json_field id)
  api "$LIVE_OWNER" POST "$NGINX/api/groups/$LIVE_GROUP/members" "{\"user_id\": \"$MEMBER_ID\", \"role\": \"member\"}" >/dev/null
  LIVE_SESSION=$(api "$LIVE_MEMBER" POST "$NGINX/api/sessions" "{\"group_id\": \"$LIVE_GROUP\"}" | json_field id)
  BOARD=/api/groups/$LIVE_GROUP/progress/stream

  subscribe alpha-board "$A" "$BOARD" "$LIVE_OWNER"
  subscribe alpha-me "$A" /api/me/stream "$LIVE_OWNER"
  awaits alpha-board 0 10 'ev(e, "leaderboard")' >/dev/null || fail "no board on alpha's stream (see $WORK/stream-alpha-board.jsonl)"
  awaits alpha-me 0 10 'e.get("status") == 200' >/dev/null || fail "alpha's /api/me/stream did not open (see $WORK/stream-alpha-me.jsonl)"
  sent=$(now)
  api "$LIVE_MEMBER" POST "$B/api/sessions/$LIVE_SESSION:start" >/dev/null || fail "the member's :start on beta failed"
  answered=$(now)
  board_at=$(awaits alpha-board "$sent" 5 'ev(e, "leaderboard") and focusing(e, m) is True' m="$MEMBER_ID") \
    || fail "alpha's board stream did not show beta's write within 5 s (see $WORK/stream-alpha-board.jsonl)"
  presence_at=$(awaits alpha-me "$sent" 5 'ev(e, "presence") and e["data"]["user_id"] == m and e["data"]["is_focusing"] is True' m="$MEMBER_ID") \
    || fail "alpha's /api/me/stream had no presence event for beta's write within 5 s (see $WORK/stream-alpha-me.jsonl)"
  say "beta answered the write in $(elapsed "$sent" "$answered") s; alpha's streams had it $(elapsed "$answered" "$board_at") s (board) and $(elapsed "$answered" "$presence_at") s (presence) after the answer"
  if ! below "$(elapsed "$answered" "$board_at")" 1 || ! below "$(elapsed "$answered" "$presence_at")" 1; then
    fail "a write on beta took 1 s or more to reach alpha's subscribers"
  fi
  check "a write on beta (a member's :start) reached a subscriber on alpha within 1 s: the board (is_focusing) and /api/me/stream (presence)"
}
