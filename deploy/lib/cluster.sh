# shellcheck shell=bash
# What the cluster test's steps (deploy/cluster/) share: its output and
# clean-up, the embedded PostgreSQL and the Payara Micro instances it starts,
# and clients of them (psql, development tokens, the API). Sourced by
# deploy/cluster-test.sh, which sets WORK (its scratch directory) and PIDS.

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

say() { printf '[%s] %s\n' "${SAY_AS:-cluster-test}" "$*"; }
fail() { say "FAILED: $*"; exit 1; }
check() { say "ok: $*"; }

# install_missing COMMAND:PACKAGE ...: Debian's packages of the commands not on this machine
install_missing() {
  local pair packages=()
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || packages+=("${pair#*:}"); done
  [[ ${#packages[@]} -gt 0 ]] || return 0
  say "installing ${packages[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }
# seconds from A to B, two decimals; below LIMIT?
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
below() { awk -v x="$1" -v limit="$2" 'BEGIN { exit !(x < limit) }'; }

# The dev launcher's embedded PostgreSQL (./lockin db), its data in $WORK/pgdata, with
# a streaming replica of it on REPLICA_PORT (data in $WORK/pgdata-replica) from which
# the instances read (DATABASE_READ_URL).
# Started as the JVM itself (not a subshell), so SIGTERM reaches it and its
# shutdown hook stops PostgreSQL (pg_ctl stop -m fast: clients are cut at
# once); started again on the same port and data directory, it is a restart.
DB_PID=""
start_database() { # LOG
  : > "$1"   # there before the loop below reads it (the JVM opens it a moment later)
  LOCKIN_DB_PORT=$DB_PORT LOCKIN_DB_DIR=$WORK/pgdata LOCKIN_DB_REPLICA_PORT=${REPLICA_PORT:-} \
    java -cp "$DEV_CP" app.lockin.dev.Launcher db > "$1" 2>&1 &
  DB_PID=$!
  PIDS+=("$DB_PID")
  for _ in $(seq 60); do grep -q '^DATABASE_URL=' "$1" && return 0; sleep 0.5; done
  return 1
}
# sql QUERY: its answer, unaligned, from the test's database as postgres
sql() { psql "postgresql://postgres@localhost:$DB_PORT/lockin" -qtAX -v ON_ERROR_STOP=1 -c "$1"; }
# replica_sql QUERY: the same, from the replica
replica_sql() { psql "postgresql://postgres@localhost:$REPLICA_PORT/lockin" -qtAX -v ON_ERROR_STOP=1 -c "$1"; }
# development tokens, signed by a key of this run (the launcher's token command)
token() { java -Dlockin.home="$WORK/state" -cp "$DEV_CP" app.lockin.dev.Launcher token "$1" 2>/dev/null; }

# start_instance NAME PORT: a Payara Micro instance of the build in lockin-web/target,
# in the data grid whose first port is HZ, logging to $WORK/NAME.log; sets LAST_PID.
# INSTANCE_JAVA_OPTS, INSTANCE_HTTP_THREADS, INSTANCE_MALLOC_ARENA_MAX, INSTANCE_RATE_LIMITS and
# INSTANCE_ARCHIVE_SCHEDULE replace the cluster test's own (./lockin soak runs the production ones).
start_instance() {
  local java_opts threads=() arenas=()
  read -r -a java_opts <<<"${INSTANCE_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}"
  if [[ -n ${INSTANCE_HTTP_THREADS:-} ]]; then threads=(--maxhttpthreads "$INSTANCE_HTTP_THREADS"); fi
  if [[ -n ${INSTANCE_MALLOC_ARENA_MAX:-} ]]; then arenas=("MALLOC_ARENA_MAX=$INSTANCE_MALLOC_ARENA_MAX"); fi
  DATABASE_URL=$DATABASE_URL DATABASE_READ_URL=${DATABASE_READ_URL:-} LOCKIN_JWT_ISSUER=$ISSUER LOCKIN_JWKS_LOCATION=$JWKS COGNITO_CLIENT_ID=$CLIENT \
  LOCKIN_ARCHIVE_SCHEDULE=${INSTANCE_ARCHIVE_SCHEDULE:-2s} \
  LOCKIN_RATE_LIMITS=${INSTANCE_RATE_LIMITS:-"writes=100000/1m, reads=100000/1m, streams=1000/1h"} \
  LOCKIN_EXTRA_CA_CERTIFICATES=${EXTRA_CA:-} LOCKIN_WEBHOOK_PRIVATE_ADDRESSES=allow LOCKIN_OUTBOX_FIRST_RETRY=1s \
    env "${arenas[@]}" java "${java_opts[@]}" -Duser.timezone=UTC -Dmp.health.default.readiness.empty.response=DOWN \
      -jar lockin-web/target/payara-micro.jar --deploy lockin-web/target/lockin.war --contextroot / \
      --port "$2" --name "$1" --clustername "lockin-cluster-test" "${threads[@]}" \
      --clustermode "tcpip:127.0.0.1:$HZ" --startport "$HZ" --interfaces 127.0.0.1 \
      --prebootcommandfile deploy/payara-preboot.asadmin --postdeploycommandfile deploy/payara-postdeploy.asadmin \
      --rootdir "$WORK/$1" > "$WORK/$1.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}
ready() { curl -fs "http://127.0.0.1:$1/health/ready" 2>/dev/null | grep -q '"database"'; }

api() { # TOKEN METHOD URL [JSON]: the answer's body; fails unless 2xx
  if [[ -n ${4:-} ]]; then
    curl -fsS -m 10 -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data "$4" "$3"
  else
    curl -fsS -m 10 -X "$2" -H "Authorization: Bearer $1" "$3"
  fi
}
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
