#!/usr/bin/env bash
# Scale-out, proven on one machine (issue 6, point 6):
#   - one PostgreSQL, two Payara Micro instances on different ports joined in one
#     data grid on loopback (Hazelcast, tcpip discovery), nginx in front of both;
#   - the archival timer ticks on both instances, and an expired group's running
#     session is stopped and logged exactly once;
#   - clock cycles run through nginx while one instance is killed with SIGKILL:
#     every write the API acknowledged is in the database, and the other
#     instance keeps serving.
# Run: ./lockin cluster-test (builds first when needed). Needs nginx (installed
# with apt-get when missing) and curl. Prints what it checked; exits non-zero
# on the first failed check. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d /tmp/lockin-cluster.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -f $WORK/nginx.pid ]]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  echo "(logs and data of this run: $WORK)"
}
trap cleanup EXIT

say() { printf '[cluster-test] %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }
check() { say "ok: $*"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

command -v nginx >/dev/null || { say "installing nginx"; apt-get install -y -q nginx >/dev/null; }
[[ -f lockin-web/target/lockin.war && -f lockin-web/target/payara-micro.jar ]] || fail "build first: ./lockin build"

DEV_CP="$(ls lockin-dev/target/lockin-dev-*.jar):lockin-dev/target/lib/*"
DB_PORT=$(free_port); PORT_A=$(free_port); PORT_B=$(free_port); PROXY=$(free_port); HZ=$((20000 + RANDOM % 20000))

# --- the database and the signing key ---------------------------------------
LOCKIN_DB_PORT=$DB_PORT LOCKIN_DB_DIR=$WORK/pgdata java -cp "$DEV_CP" app.lockin.dev.Launcher db > "$WORK/db.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do grep -q '^DATABASE_URL=' "$WORK/db.log" && break; sleep 0.5; done
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$WORK/db.log")
[[ -n $DATABASE_URL ]] || fail "the embedded PostgreSQL did not start (see $WORK/db.log)"
command -v psql >/dev/null || { say "installing the PostgreSQL client"; apt-get install -y -q postgresql-client >/dev/null; }
sql() { psql "postgresql://postgres@localhost:$DB_PORT/lockin" -qtAX -v ON_ERROR_STOP=1 -c "$1"; }
# development tokens, signed by a key of this run (the launcher's token command)
mkdir -p "$WORK/state"
token() { java -Dlockin.home="$WORK/state" -cp "$DEV_CP" app.lockin.dev.Launcher token "$1" 2>/dev/null; }
token warmup >/dev/null
JWKS=$WORK/state/.lockin/dev-jwks.json
ISSUER=https://lockin.localhost/dev
CLIENT=lockin-dev-client

# --- two instances in one data grid -------------------------------------------
start_instance() { # name port
  DATABASE_URL=$DATABASE_URL LOCKIN_JWT_ISSUER=$ISSUER LOCKIN_JWKS_LOCATION=$JWKS COGNITO_CLIENT_ID=$CLIENT \
  LOCKIN_ARCHIVE_SCHEDULE=2s \
    java -Xmx384m -XX:+UseSerialGC -Duser.timezone=UTC -Dmp.health.default.readiness.empty.response=DOWN \
      -jar lockin-web/target/payara-micro.jar --deploy lockin-web/target/lockin.war --contextroot / \
      --port "$2" --name "$1" --clustername "lockin-cluster-test" \
      --clustermode "tcpip:127.0.0.1:$HZ" --startport "$HZ" --interfaces 127.0.0.1 \
      --rootdir "$WORK/$1" > "$WORK/$1.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}
ready() { curl -fs "http://127.0.0.1:$1/health/ready" 2>/dev/null | grep -q '"database"'; }

started=$(date +%s)
start_instance alpha "$PORT_A"; PID_A=$LAST_PID
for _ in $(seq 180); do ready "$PORT_A" && break; sleep 1; done
ready "$PORT_A" || fail "instance alpha is not ready (see $WORK/alpha.log)"
start_instance beta "$PORT_B"
for _ in $(seq 180); do ready "$PORT_B" && break; sleep 1; done
ready "$PORT_B" || fail "instance beta is not ready (see $WORK/beta.log)"
check "two instances ready in $(( $(date +%s) - started )) s (ports $PORT_A, $PORT_B)"

for _ in $(seq 30); do grep -q 'DG Size: 2' "$WORK/beta.log" && break; sleep 1; done
grep -q 'DG Size: 2' "$WORK/beta.log" || fail "the instances did not form one data grid"
check "one data grid of 2 members (Hazelcast on 127.0.0.1:$HZ)"

# --- nginx in front of both ---------------------------------------------------
cat > "$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $WORK/nginx-access.log;
  upstream lockin { server 127.0.0.1:$PORT_A max_fails=1 fail_timeout=30s; server 127.0.0.1:$PORT_B max_fails=1 fail_timeout=30s; }
  server {
    listen 127.0.0.1:$PROXY;
    location / {
      proxy_pass http://lockin;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;   # only requests that never reached an instance are retried
      proxy_connect_timeout 2s;
    }
  }
}
EOF
nginx -c "$WORK/nginx.conf" -p "$WORK" || fail "nginx did not start"
for _ in $(seq 20); do curl -fs "http://127.0.0.1:$PROXY/health/ready" >/dev/null && break; sleep 0.5; done
check "nginx on $PROXY balances both instances"

# --- the archival timer, ticking on both instances ---------------------------
OWNER_TOKEN=$(token cluster-owner)
OWNER_ID=$(curl -fs -H "Authorization: Bearer $OWNER_TOKEN" "http://127.0.0.1:$PROXY/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
GROUP=$(python3 -c 'import uuid; print(uuid.uuid4())')
SESSION=$(python3 -c 'import uuid; print(uuid.uuid4())')
sql "begin;
 insert into groups (id, owner_id, name, start_at, end_at, period_target_minutes)
   values ('$GROUP', '$OWNER_ID', 'Expiring', now() - interval '2 days', now() - interval '1 second', 30);
 insert into group_members (group_id, user_id, role) values ('$GROUP', '$OWNER_ID', 'owner');
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

# --- clock cycles under load, one instance killed -----------------------------
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
for n in 1 2 3 4; do worker "$n" & done
WORKERS=$(jobs -p | tail -4)
sleep 6
{ kill -9 "$PID_A"; wait "$PID_A"; } 2>/dev/null || true
check "instance alpha killed (SIGKILL) under load"
for pid in $WORKERS; do wait "$pid" || true; done

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

ready "$PORT_B" || fail "instance beta stopped serving"
for _ in 1 2 3 4 5; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OWNER_TOKEN" "http://127.0.0.1:$PROXY/api/me")
  [[ $code == 200 ]] || fail "through nginx after the kill: HTTP $code"
done
check "instance beta serves alone, through nginx"

# --- graceful shutdown: SIGTERM with a request in flight -----------------------
# A pause is held up by a row lock taken from psql; SIGTERM reaches the instance
# while the request waits; the lock is then released. The request must finish
# (200) and its write be complete: the session paused, its segment logged.
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
kill -TERM "$LAST_PID"
wait "$INFLIGHT" || true
wait "$LOCKER" || true
code=$(cat "$WORK/inflight.txt")
status=$(sql "select status from sessions where id = '$id'")
logs=$(sql "select count(*) from time_logs l join session_participants p on p.id = l.participant_id where p.session_id = '$id'")
say "in-flight :pause answered HTTP $code; the session is $status with $logs log(s)"
[[ $code == 200 && $status == paused && $logs == 1 ]] || fail "SIGTERM did not let the request in flight finish completely"
for _ in $(seq 30); do kill -0 "$LAST_PID" 2>/dev/null || break; sleep 1; done
kill -0 "$LAST_PID" 2>/dev/null && fail "instance beta did not stop within 30 s of SIGTERM"
check "SIGTERM: the request in flight finished and was written whole; the instance stopped"
say "all checks passed"
