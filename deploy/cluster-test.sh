#!/usr/bin/env bash
# Scale-out, proven on one machine (issue 6, point 6):
#   - one PostgreSQL, two Payara Micro instances on different ports joined in one
#     data grid on loopback (Hazelcast, tcpip discovery), nginx in front of both;
#   - the archival timer ticks on both instances, and an expired group's running
#     session is stopped and logged exactly once;
#   - clock cycles run through nginx while one instance is killed with SIGKILL:
#     every write the API acknowledged is in the database, and the other
#     instance keeps serving.
# fair use (issue 14): one caller's limit (invites) holds across both instances;
# and the live updates (issue 12, Server-Sent Events), through the real nginx
# site of deploy/nginx (its stream location):
#   - a subscriber on one instance sees a write made on the other within 1 s
#     (PostgreSQL LISTEN/NOTIFY, one listener per instance);
#   - after a PostgreSQL restart both instances deliver again within seconds
#     (their listeners reconnected, every subscriber got a fresh board);
#   - a stream cut by SIGKILL of its instance reconnects through nginx to the
#     other one and gets the current board first;
#   - SIGTERM ends an instance's streams with `event: end` (shutting_down) at
#     once, and their clients reconnect through nginx to the other instance.
# Run: ./lockin cluster-test (builds first when needed). Needs nginx (installed
# with apt-get when missing), curl and python3. Prints what it checked; exits
# non-zero on the first failed check. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d /tmp/lockin-cluster.XXXXXX)
PIDS=()
# Only processes still this script's children are stopped: the pid of one
# that ended earlier (a killed instance, the first database, a closed
# stream's client) may belong to someone else by now.
cleanup() {
  for pid in "${PIDS[@]}"; do
    if [[ $(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ') == "$$" ]]; then kill "$pid" 2>/dev/null || true; fi
  done
  if [[ -f $WORK/nginx.pid ]]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  echo "(logs and data of this run: $WORK)"
}
trap cleanup EXIT

say() { printf '[cluster-test] %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }
check() { say "ok: $*"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }
# seconds from A to B, two decimals; below LIMIT?
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
below() { awk -v x="$1" -v limit="$2" 'BEGIN { exit !(x < limit) }'; }

# --- a Server-Sent Events client ------------------------------------------------
# sse.py listen URL TOKEN FILE [LAST-EVENT-ID]: reads the stream as the
# text/event-stream format says and appends one JSON object a line to FILE,
# each with "t", the time it arrived: {"status", "upstream"} when the answer's
# head arrives (upstream: nginx's X-Lockin-Upstream), then {"event", "id",
# "data"} for each event (data parsed as JSON), {"comment"} for each comment,
# and {"closed": true} when the stream ends or is cut.
# sse.py wait FILE AFTER TIMEOUT EXPR [NAME=VALUE...]: waits until FILE has a
# line, arrived at AFTER or later, for which the Python expression EXPR holds
# (e is the line; NAME=VALUE are variables; ev(e, name) and focusing(e, user)
# help); prints its "t" and the line; exits 1 after TIMEOUT seconds.
cat > "$WORK/sse.py" <<'PY'
import http.client, json, sys, time, urllib.parse

def listen(url, token, out, last_id=""):
    u = urllib.parse.urlsplit(url)
    headers = {"Authorization": "Bearer " + token, "Accept": "text/event-stream"}
    if last_id:
        headers["Last-Event-ID"] = last_id
    with open(out, "a", buffering=1) as f:
        def put(**record):
            record["t"] = time.time()
            f.write(json.dumps(record) + "\n")
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port)
            conn.request("GET", u.path + ("?" + u.query if u.query else ""), headers=headers)
            resp = conn.getresponse()
        except OSError as e:
            put(status=0, error=str(e)); put(closed=True); return
        put(status=resp.status, upstream=resp.getheader("X-Lockin-Upstream"))
        if resp.status != 200:
            put(body=resp.read().decode(errors="replace")); put(closed=True); return
        name, eid, data = None, None, []
        try:
            while True:
                line = resp.readline()
                if not line:
                    break
                line = line.decode().rstrip("\n").rstrip("\r")
                if line == "":
                    if data or name:
                        text = "\n".join(data)
                        try:
                            value = json.loads(text)
                        except ValueError:
                            value = text
                        put(event=name or "message", id=eid, data=value)
                    name, eid, data = None, None, []
                elif line.startswith(":"):
                    put(comment=line[1:].strip())
                else:
                    field, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if field == "event":
                        name = value
                    elif field == "id":
                        eid = value
                    elif field == "data":
                        data.append(value)
        except (OSError, http.client.HTTPException) as e:
            put(error=str(e))
        put(closed=True)

def ev(e, name):
    return e.get("event") == name

def focusing(e, user):
    if e.get("event") != "leaderboard":
        return None
    return next((m.get("is_focusing") for m in e["data"] if m.get("user_id") == user), None)

def wait(out, after, timeout, expr, *assignments):
    names = {"ev": ev, "focusing": focusing}
    names.update(a.split("=", 1) for a in assignments)
    deadline = time.time() + float(timeout)
    while True:
        try:
            with open(out) as f:
                lines = f.readlines()
        except FileNotFoundError:
            lines = []
        for line in lines:
            try:
                e = json.loads(line)
            except ValueError:
                continue  # a line being written
            if e["t"] >= float(after) and eval(expr, names, {"e": e}):
                print("%.3f %s" % (e["t"], json.dumps(e)))
                return 0
        if time.time() > deadline:
            return 1
        time.sleep(0.05)

if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    sys.exit(listen(*args) if command == "listen" else wait(*args))
PY
declare -A SUBSCRIBER   # name -> pid of its client
# subscribe NAME BASE PATH TOKEN [LAST-EVENT-ID]: a client of the stream at BASE (an
# instance's URL or nginx's), writing $WORK/stream-NAME.jsonl
subscribe() {
  : > "$WORK/stream-$1.jsonl"
  python3 "$WORK/sse.py" listen "$2$3" "$4" "$WORK/stream-$1.jsonl" "${5:-}" &
  SUBSCRIBER[$1]=$!
  PIDS+=("$!")
}
unsubscribe() { kill "${SUBSCRIBER[$1]}" 2>/dev/null || true; wait "${SUBSCRIBER[$1]}" 2>/dev/null || true; }
# awaits NAME AFTER TIMEOUT EXPR [NAME=VALUE...]: the time the first matching line arrived (see sse.py wait)
awaits() { local found; found=$(python3 "$WORK/sse.py" wait "$WORK/stream-$1.jsonl" "${@:2}") || return 1; echo "${found%% *}"; }
# the whole matching line
awaited() { local found; found=$(python3 "$WORK/sse.py" wait "$WORK/stream-$1.jsonl" "${@:2}") || return 1; echo "${found#* }"; }

command -v nginx >/dev/null || { say "installing nginx"; apt-get install -y -q nginx >/dev/null; }
[[ -f lockin-web/target/lockin.war && -f lockin-web/target/payara-micro.jar ]] || fail "build first: ./lockin build"

DEV_CP="$(ls lockin-dev/target/lockin-dev-*.jar):lockin-dev/target/lib/*"
DB_PORT=$(free_port); PORT_A=$(free_port); PORT_B=$(free_port); PROXY=$(free_port)
# The data grid's first port, with the next three free too (the instances take
# the first free one from it, and each names only this one to find the other),
# below the kernel's ephemeral range, where client connections of whatever
# else runs here do not take it meanwhile.
HZ=$(python3 -c '
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
while True:
    start = random.randrange(20000, min(low, 40000) - 4)
    try:
        for p in range(start, start + 4):
            with socket.socket() as s:
                s.bind(("127.0.0.1", p))
        print(start); break
    except OSError:
        pass')

# --- the database and the signing key ---------------------------------------
# The dev launcher's embedded PostgreSQL (./lockin db), its data in $WORK/pgdata.
# Started as the JVM itself (not a subshell), so SIGTERM reaches it and its
# shutdown hook stops PostgreSQL (pg_ctl stop -m fast: clients are cut at
# once); started again on the same port and data directory, it is a restart.
DB_PID=""
start_database() { # LOG
  LOCKIN_DB_PORT=$DB_PORT LOCKIN_DB_DIR=$WORK/pgdata java -cp "$DEV_CP" app.lockin.dev.Launcher db > "$1" 2>&1 &
  DB_PID=$!
  PIDS+=("$DB_PID")
  for _ in $(seq 60); do grep -q '^DATABASE_URL=' "$1" && return 0; sleep 0.5; done
  return 1
}
start_database "$WORK/db.log" || fail "the embedded PostgreSQL did not start (see $WORK/db.log)"
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$WORK/db.log")
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
  LOCKIN_ARCHIVE_SCHEDULE=2s LOCKIN_RATE_LIMITS="writes=100000/1m, streams=1000/1h" \
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
start_instance beta "$PORT_B"; PID_B=$LAST_PID
for _ in $(seq 180); do ready "$PORT_B" && break; sleep 1; done
ready "$PORT_B" || fail "instance beta is not ready (see $WORK/beta.log)"
check "two instances ready in $(( $(date +%s) - started )) s (ports $PORT_A, $PORT_B)"

for _ in $(seq 30); do grep -q 'DG Size: 2' "$WORK/beta.log" && break; sleep 1; done
grep -q 'DG Size: 2' "$WORK/beta.log" || fail "the instances did not form one data grid"
check "one data grid of 2 members (Hazelcast on 127.0.0.1:$HZ)"

# --- nginx in front of both: the real site -----------------------------------
# deploy/nginx/lockin-http.conf and its snippet as deploy.sh installs them, with
# both instances in the upstream, this run's port and log paths, and a header
# of this test's own: X-Lockin-Upstream, the instance(s) nginx passed to.
mkdir -p "$WORK/nginx/conf.d" "$WORK/nginx/snippets" "$WORK/nginx/logs"
# shellcheck disable=SC2016 # nginx's $upstream_addr
sed -e '/listen \[::\]/d' -e "s/listen 80 default_server;/listen 127.0.0.1:$PROXY default_server;/" \
    -e "s|^\( *\)server 127.0.0.1:8080 \(.*\)|\1server 127.0.0.1:$PORT_A \2\n\1server 127.0.0.1:$PORT_B \2|" \
    -e 's|^\( *\)include snippets/lockin-proxy.conf;|\1add_header X-Lockin-Upstream $upstream_addr always;\n&|' \
    -e "s|/var/log/nginx/|$WORK/nginx/logs/|" deploy/nginx/lockin-http.conf > "$WORK/nginx/conf.d/lockin.conf"
sed "s|/var/log/nginx/|$WORK/nginx/logs/|" deploy/nginx/lockin-proxy.conf > "$WORK/nginx/snippets/lockin-proxy.conf"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 512; }
http {
  client_body_temp_path $WORK/nginx/tmp-body;
  proxy_temp_path $WORK/nginx/tmp-proxy;
  fastcgi_temp_path $WORK/nginx/tmp-fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp-uwsgi;
  scgi_temp_path $WORK/nginx/tmp-scgi;
  include conf.d/*.conf;
}
EOF
grep -q "server 127.0.0.1:$PORT_B " "$WORK/nginx/conf.d/lockin.conf" || fail "the site's upstream was not rewritten to the two instances"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" || fail "nginx did not start (see $WORK/nginx/logs/error.log)"
for _ in $(seq 20); do curl -fs "http://127.0.0.1:$PROXY/health/ready" >/dev/null && break; sleep 0.5; done
check "nginx on $PROXY (the site of deploy/nginx, with its stream location) balances both instances"

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

# --- live updates: a write on one instance, seen on the other ---------------
# A group of two people; the owner listens, the member writes (starts and
# pauses a session of the group: their is_focusing on the board, and a
# presence event on the owner's /api/me/stream).
api() { # TOKEN METHOD URL [JSON]: the answer's body; fails unless 2xx
  if [[ -n ${4:-} ]]; then
    curl -fsS -m 10 -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data "$4" "$3"
  else
    curl -fsS -m 10 -X "$2" -H "Authorization: Bearer $1" "$3"
  fi
}
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
A=http://127.0.0.1:$PORT_A
B=http://127.0.0.1:$PORT_B
NGINX=http://127.0.0.1:$PROXY

# --- fair use: one caller's limits, shared by both instances --------------------
# The instances run with LOCKIN_RATE_LIMITS="writes=100000/1m, streams=1000/1h"
# (the clock load and the streams of the checks below need more than one
# person's defaults) and the default 30 invites an hour: one caller's invites,
# sent alternately to alpha and beta, pass 30 times; the 31st is 429 on each.
FAIR=$(token fair-use)
FAIR_ID=$(api "$FAIR" GET "$A/api/me" | json_field id)
FAIR_GROUP=$(api "$FAIR" POST "$A/api/groups" "$(python3 -c 'import datetime as d; e = d.datetime.now(d.timezone.utc) + d.timedelta(days=14)
print("{\"name\": \"Fair use\", \"end_at\": \"%s\", \"timezone\": \"UTC\", \"period\": \"daily\", \"period_target_minutes\": 60}" % e.isoformat())')" | json_field id)
invite() { # BASE N: the status of an invite by email; headers in $WORK/fair-headers.txt
  curl -s -m 10 -D "$WORK/fair-headers.txt" -o "$WORK/fair-body.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $FAIR" -H 'Content-Type: application/json' \
    --data "{\"email\": \"fair-use-$2@example.org\"}" "$1/api/groups/$FAIR_GROUP:invite"
}
header() { grep -i "^$1:" "$WORK/fair-headers.txt" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
for i in $(seq 30); do
  if (( i % 2 )); then base=$A; else base=$B; fi
  code=$(invite "$base" "$i")
  [[ $code == 201 ]] || fail "invite $i on $base: HTTP $code, expected 201 (see $WORK/fair-body.json)"
done
[[ $(header RateLimit) == *'"invites";r=0;'* ]] || fail "after 30 invites RateLimit says: $(header RateLimit)"
for base in "$A" "$B"; do
  code=$(invite "$base" 31)
  [[ $code == 429 ]] || fail "the 31st invite on $base: HTTP $code, expected 429"
  grep -q '"status":429' "$WORK/fair-body.json" || fail "the 429 on $base is not a problem: $(cat "$WORK/fair-body.json")"
  retry=$(header Retry-After)
  if ! [[ $retry =~ ^[0-9]+$ ]] || (( retry < 1 || retry > 120 )); then fail "Retry-After on $base: '$retry'"; fi
  [[ $(header RateLimit-Policy) == '"writes";q=100000;w=60, "invites";q=30;w=3600' ]] \
    || fail "RateLimit-Policy on $base: $(header RateLimit-Policy)"
  [[ $(header RateLimit) == *'"invites";r=0;'* ]] || fail "RateLimit on $base: $(header RateLimit)"
done
waiting=$(sql "select count(*) from email_invites where group_id = '$FAIR_GROUP'")
[[ $waiting == 30 ]] || fail "$waiting invites are waiting, expected 30 (the refused ones must do nothing)"
buckets=$(sql "select count(*) from fair_use_buckets where id like 'invites/%/$FAIR_ID'")
[[ $buckets == 1 ]] || fail "$buckets invite buckets for the caller, expected 1"
check "one caller's 30 invites an hour hold across both instances: 30 sent alternately to alpha and beta passed, the 31st was 429 on each (Retry-After ${retry} s, RateLimit \"invites\";r=0), nothing more was sent; one bucket row in PostgreSQL"
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

# --- live updates: PostgreSQL restarted under both instances --------------------
# Its clients are cut (the instances' listeners too). Once it is back, each
# instance's listener connects again and sends its subscribers a fresh board;
# a write after the restart reaches the subscribers of both.
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
# A client of the board whose stream, through nginx, is on alpha (nginx
# balances round-robin: a few openings find it).
unsubscribe alpha-board
for n in 1 2 3 4 5 6; do
  subscribe "via-nginx-$n" "$NGINX" "$BOARD" "$LIVE_OWNER"
  awaits "via-nginx-$n" 0 10 'ev(e, "leaderboard")' >/dev/null || fail "no board through nginx (see $WORK/stream-via-nginx-$n.jsonl)"
  if awaits "via-nginx-$n" 0 0 'e.get("upstream") == u' u="127.0.0.1:$PORT_A" >/dev/null; then ON_ALPHA=via-nginx-$n; break; fi
  unsubscribe "via-nginx-$n"
done
[[ -n ${ON_ALPHA:-} ]] || fail "nginx passed no board stream to alpha in 6 openings"
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

ready "$PORT_B" || fail "instance beta stopped serving"
for _ in 1 2 3 4 5; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OWNER_TOKEN" "http://127.0.0.1:$PROXY/api/me")
  [[ $code == 200 ]] || fail "through nginx after the kill: HTTP $code"
done
check "instance beta serves alone, through nginx"

# The board client whose stream was on alpha: cut by the kill, it reconnects
# through nginx with the last event id it had, reaches beta, and the first
# event is the current board (the same as GET .../progress/current).
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

# --- SIGTERM: an instance's streams end at once, their clients go elsewhere -------
# alpha again (same port: nginx's upstream has it back), with a board stream
# and an /api/me/stream on it. SIGTERM: both must get `event: end`
# {"reason": "shutting_down"} within 2 s, and clients reconnecting through
# nginx while alpha stops must all reach beta, the board first.
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
# when a stream without its end was closed, for the failure's message
closed_after() { local at; at=$(awaits "$1" "$termed" 0 'e.get("closed")') && echo ", closed without it $(elapsed "$termed" "$at") s after SIGTERM"; }
end_board=$(awaits term-board "$termed" 5 'ev(e, "end") and e["data"]["reason"] == "shutting_down"') \
  || fail "alpha's board stream got no event: end (shutting_down) within 5 s of SIGTERM$(closed_after term-board) (see $WORK/stream-term-board.jsonl)"
end_me=$(awaits term-me "$termed" 5 'ev(e, "end") and e["data"]["reason"] == "shutting_down"') \
  || fail "alpha's /api/me/stream got no event: end (shutting_down) within 5 s of SIGTERM$(closed_after term-me) (see $WORK/stream-term-me.jsonl)"
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
say "all checks passed"
