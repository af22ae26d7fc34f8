# shellcheck shell=bash
# Graceful shutdown: a request in flight when SIGTERM comes must finish (200)
# and its write be whole (the session paused, its segment logged); the
# instance must then stop within 30 s.

# A pause on beta is held up by a row lock taken from psql; SIGTERM reaches
# the instance while the request waits; the lock is then released.
check_sigterm_request_in_flight() {
  local id code status logs
  HOST_TOKEN=$(token cluster-graceful)
  id=$(curl -fs -X POST -H "Authorization: Bearer $HOST_TOKEN" "http://127.0.0.1:$PORT_B/api/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer $HOST_TOKEN" "http://127.0.0.1:$PORT_B/api/sessions/$id:start"
  sleep 1
  psql "postgresql://postgres@localhost:$DB_PORT/lockin" -qtAX -c "begin; select 1 from sessions where id = '$id' for update; select pg_sleep(4); commit;" >/dev/null &
  LOCKER=$!
  sleep 1
  curl -s -m 30 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $HOST_TOKEN" "http://127.0.0.1:$PORT_B/api/sessions/$id:pause" > "$WORK/inflight.txt" &
  INFLIGHT=$!
  sleep 1
  kill -TERM "$PID_B"
  wait "$INFLIGHT" || true
  wait "$LOCKER" || true
  code=$(cat "$WORK/inflight.txt")
  status=$(sql "select status from sessions where id = '$id'")
  logs=$(sql "select count(*) from time_logs l join session_participants p on p.id = l.participant_id where p.session_id = '$id'")
  say "in-flight :pause answered HTTP $code; the session is $status with $logs log(s)"
  [[ $code == 200 && $status == paused && $logs == 1 ]] || fail "SIGTERM did not let the request in flight finish completely"
  for _ in $(seq 30); do kill -0 "$PID_B" 2>/dev/null || break; sleep 1; done
  kill -0 "$PID_B" 2>/dev/null && fail "instance beta did not stop within 30 s of SIGTERM"
  check "SIGTERM: the request in flight finished and was written whole; the instance stopped"
}
