# shellcheck shell=bash
# Reads from the streaming replica (DATABASE_READ_URL): both instances use it,
# and a write through one instance is in the writer's next read through the
# other although the replica is held behind (pg_wal_replay_pause()): the
# write's answer carries LockIN-Read-After, which the client echoes.

# A metric of an instance's application scope: the first value of NAME whose labels hold TEXT
metric() { # BASE NAME TEXT
  curl -fs -m 5 "$1/metrics?scope=application" | grep "^$2{" | grep -F "$3" | head -1 | awk '{print $NF}'
}

check_reads_on_replica() {
  local reader base before after code position group_id started
  reader=$(token replica-reader)
  for base in "$A" "$B"; do
    [[ $(metric "$base" lockin_replica_healthy "localhost:$REPLICA_PORT") == 1* ]] \
      || fail "$base does not count the replica healthy: $(curl -fs "$base/metrics?scope=application" | grep lockin_replica)"
    before=$(metric "$base" lockin_reads_total 'target="replica"'); before=${before:-0}
    api "$reader" GET "$base/api/me/memberships" >/dev/null
    after=$(metric "$base" lockin_reads_total 'target="replica"')
    awk -v a="$after" -v b="$before" 'BEGIN { exit !(a > b) }' || fail "a read on $base was not served by the replica ($before → $after)"
  done
  [[ $(replica_sql "select count(*) > 0 from pg_stat_activity where application_name = 'lockin-read'") == t ]] \
    || fail "no connection of the instances' read pools on the replica"
  check "both instances read from the streaming replica (lockin_reads_total{target=\"replica\"} grows; their read pools are connected to it)"

  replica_sql "select pg_wal_replay_pause()" >/dev/null
  started=$(now)
  code=$(curl -s -m 10 -D "$WORK/replica-headers.txt" -o "$WORK/replica-body.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $reader" -H 'Content-Type: application/json' \
    --data "{\"name\": \"Read after writing\", \"end_at\": \"$(date -u -d '+14 days' +%Y-%m-%dT%H:%M:%SZ)\", \"timezone\": \"UTC\", \"period\": \"daily\", \"period_target_minutes\": 30}" \
    "$A/api/groups")
  [[ $code == 201 ]] || { replica_sql "select pg_wal_replay_resume()" >/dev/null; fail "creating a group on alpha: HTTP $code ($(cat "$WORK/replica-body.json"))"; }
  position=$(grep -i '^LockIN-Read-After:' "$WORK/replica-headers.txt" | cut -d' ' -f2 | tr -d '\r')
  group_id=$(json_field id < "$WORK/replica-body.json")
  [[ $position =~ ^[0-9A-F]+/[0-9A-F]+$ ]] || { replica_sql "select pg_wal_replay_resume()" >/dev/null; fail "the write's answer carries no LockIN-Read-After (headers in $WORK/replica-headers.txt)"; }
  code=$(curl -s -m 10 -o "$WORK/replica-read.json" -w '%{http_code}' -H "Authorization: Bearer $reader" \
    -H "LockIN-Read-After: $position" "$B/api/groups/$group_id")
  replica_sql "select pg_wal_replay_resume()" >/dev/null
  [[ $code == 200 ]] || fail "the writer's next read on beta, echoing LockIN-Read-After $position: HTTP $code ($(cat "$WORK/replica-read.json"))"
  check "a group created through alpha while the replica was held behind is in its creator's next read through beta, which echoed LockIN-Read-After $position ($(elapsed "$started" "$(now)") s in all)"
}
