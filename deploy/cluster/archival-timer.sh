# shellcheck shell=bash
# The archival timer ticks on both instances: an expired group must be
# archived, and its running session logged exactly once.

check_archival_timer() {
  local logs
  OWNER_TOKEN=$(token cluster-owner)
  OWNER_ID=$(curl -fs -H "Authorization: Bearer $OWNER_TOKEN" "http://127.0.0.1:$PROXY/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  GROUP=$(python3 -c 'import uuid; print(uuid.uuid4())')
  SESSION=$(python3 -c 'import uuid; print(uuid.uuid4())')
  sql "begin;
   insert into groups (id, owner_id, name, start_at, end_at, period_target_minutes)
     values ('$GROUP', '$OWNER_ID', 'Expiring', now() - interval '2 days', now() - interval '1 second', 30);
   insert into group_members (group_id, user_id, role, created_at) values ('$GROUP', '$OWNER_ID', 'owner', now() - interval '2 days');
   insert into sessions (id, group_id, creator_id, status, started_at, segment_started_at)
     values ('$SESSION', '$GROUP', '$OWNER_ID', 'running', now() - interval '1 hour', now() - interval '1 hour');
   insert into session_participants (session_id, user_id, role, joined_at) values ('$SESSION', '$OWNER_ID', 'host', now() - interval '1 hour');
   commit;" >/dev/null
  for _ in $(seq 30); do [[ $(sql "select status from groups where id = '$GROUP'") == archived ]] && break; sleep 1; done
  [[ $(sql "select status from groups where id = '$GROUP'") == archived ]] || fail "the timers did not archive the expired group"
  logs=$(sql "select count(*) from time_logs where group_id = '$GROUP'")
  [[ $logs == 1 ]] || fail "the expired group's running session was logged $logs times (expected once)"
  sleep 5   # a few more ticks on both instances
  logs=$(sql "select count(*) from time_logs where group_id = '$GROUP'")
  [[ $logs == 1 ]] || fail "later ticks logged the session again ($logs logs)"
  check "the timer on both instances archived the group once: 1 clock log, status ended"
}
