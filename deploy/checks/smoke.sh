# shellcheck shell=bash
# 5. smoke test with the real build (when lockin-web/target has it): the unit's
# ExecStart, expanded as systemd would, runs the installed release against a
# PostgreSQL (TLS, as RDS), behind the installed nginx site (hostile paths,
# Cache-Control however a path is spelled, DELETE with a body; the last two
# directly too); SIGTERM ends it with 143.
# The unit's text has $VARS that systemd expands, matched here literally.
# shellcheck disable=SC2016

SMOKE_WAR=lockin-web/target/lockin.war
SMOKE_JAR=lockin-web/target/payara-micro.jar
S=""            # the scratch root the release is installed into
DEV_CP=""       # the dev launcher's class path
DB_PORT=""      # its embedded PostgreSQL
APP_PORT=""     # Payara Micro's port
SP=""           # the port of nginx in front of it
TOKEN=""        # a development token (empty when the launcher could not make one)
MICRO_PID=""

dev_jar() { local jars=(lockin-dev/target/lockin-dev-*.jar); [[ -f ${jars[0]} ]] && echo "${jars[0]}"; }

smoke_install() {
  if "$REPO/deploy/deploy.sh" --root "$S" > "$WORK/smoke-deploy.out" 2>&1; then
    ok "deploy.sh --root with the build in lockin-web/target (the default)"
  else
    not_ok "deploy.sh --root with the real build"; indent "$WORK/smoke-deploy.out"
  fi
}
# the database: the embedded PostgreSQL of the dev launcher, serving TLS as RDS
# does, and the application connecting with ?sslmode=require as on RDS
smoke_database() {
  DB_PORT=$(free_port)
  openssl req -new -x509 -days 2 -nodes -subj "/CN=localhost" \
    -keyout "$WORK/db-key.pem" -out "$WORK/db-cert.pem" >/dev/null 2>&1 && chmod 600 "$WORK/db-key.pem"
  LOCKIN_DB_PORT=$DB_PORT LOCKIN_DB_DIR=$WORK/pgdata LOCKIN_DB_TLS_CERT=$WORK/db-cert.pem LOCKIN_DB_TLS_KEY=$WORK/db-key.pem \
    java -cp "$DEV_CP" app.lockin.dev.Launcher db > "$WORK/db.log" 2>&1 &
  PIDS+=($!)   # the JVM itself (not a subshell around it): cleanup's SIGTERM reaches it and it stops its PostgreSQL
  for _ in $(seq 120); do grep -q '^DATABASE_URL=' "$WORK/db.log" && break; sleep 0.5; done
}
# The operator's edit of the env file: a database, a token issuer, the port.
# (The dev launcher's issuer stands in for Cognito here.) Then deploy.sh
# again, which points nginx at the new LOCKIN_PORT.
smoke_configure() {
  local app_url migration_url
  # two roles, as docs/DATABASE.md "Database roles" sets them up on RDS: the migrations'
  # owns the database, the application's may only read and write rows
  if psql "postgresql://postgres@localhost:$DB_PORT/postgres" -qAtX -v ON_ERROR_STOP=1 > "$WORK/roles.out" 2>&1 <<'SQL'
create role lockin_migrator login password 'smoke-migrator';
create role lockin_app login password 'smoke-app';
alter database lockin owner to lockin_migrator;
\c lockin
alter schema public owner to lockin_migrator;
SQL
  then ok "two database roles: lockin_migrator owns the database, lockin_app for the application"
  else not_ok "the two database roles"; indent "$WORK/roles.out"
  fi
  app_url="postgresql://lockin_app:smoke-app@localhost:$DB_PORT/lockin?sslmode=require"
  migration_url="postgresql://lockin_migrator:smoke-migrator@localhost:$DB_PORT/lockin?sslmode=require"
  mkdir -p "$WORK/devstate"
  TOKEN=$(java -Dlockin.home="$WORK/devstate" -cp "$DEV_CP" app.lockin.dev.Launcher token smoke-user 2>/dev/null || true)
  APP_PORT=$(free_port)
  sed -i -e "s|^DATABASE_URL=.*|DATABASE_URL=$app_url|" -e "s|^DATABASE_MIGRATION_URL=.*|DATABASE_MIGRATION_URL=$migration_url|" \
         -e "s|^LOCKIN_DB_APP_ROLE=.*|LOCKIN_DB_APP_ROLE=lockin_app|" -e "s|^LOCKIN_PORT=.*|LOCKIN_PORT=$APP_PORT|" \
         -e 's/^COGNITO_/# COGNITO_/' "$S/etc/lockin/lockin.env"
  cat >> "$S/etc/lockin/lockin.env" <<ENV
LOCKIN_JWT_ISSUER=https://lockin.localhost/dev
LOCKIN_JWKS_LOCATION=$WORK/devstate/.lockin/dev-jwks.json
COGNITO_CLIENT_ID=lockin-dev-client
LOCKIN_ARCHIVE_SCHEDULE=off
ENV
  "$REPO/deploy/deploy.sh" --root "$S" > "$WORK/smoke-deploy2.out" 2>&1 \
    || { not_ok "deploy.sh --root, second run"; indent "$WORK/smoke-deploy2.out"; }
}
# The service's environment as systemd makes it: the unit's EnvironmentFile=s
# as installed (the release's defaults, then the env file), in that order.
# Sets SMOKE_ENV (NAME=value words) and SMOKE_ENV_FILES.
SMOKE_ENV=()
SMOKE_ENV_FILES=()
smoke_environment() {
  local f k
  SMOKE_ENV_FILES=()
  while IFS= read -r f; do SMOKE_ENV_FILES+=("$S$f"); done \
    < <(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$S/etc/systemd/system/lockin.service")
  SMOKE_ENV=()
  for k in $(env_file_names "${SMOKE_ENV_FILES[@]}"); do SMOKE_ENV+=("$k=$(env_file_value "$k" "${SMOKE_ENV_FILES[@]}")"); done
}
env_of() { local kv; for kv in "${SMOKE_ENV[@]}"; do [[ $kv == "$1="* ]] && { printf '%s' "${kv#*=}"; return; }; done; }
# ExecStart as systemd expands it: ${VAR} as one word, $VAR split at spaces, %H
# the host name. Paths of the release and state map into the scratch root.
smoke_command() {
  local cmd
  cmd=$(exec_start_of "$S/etc/systemd/system/lockin.service")
  cmd=${cmd//'${LOCKIN_PORT}'/$(env_of LOCKIN_PORT)}
  cmd=${cmd//'${LOCKIN_HTTP_THREADS}'/$(env_of LOCKIN_HTTP_THREADS)}
  cmd=${cmd//'$LOCKIN_JAVA_OPTS'/$(env_of LOCKIN_JAVA_OPTS)}
  cmd=${cmd//%H/$(hostname)}
  cmd=${cmd//\/opt\/lockin/$S/opt/lockin}
  cmd=${cmd//\/var\/lib\/lockin/$S/var/lib/lockin}
  printf '%s' "$cmd"
}
smoke_start() {
  local argv ready=0 code
  SMOKE_EARLY_ANSWERS=()
  smoke_environment
  read -ra argv <<<"$(smoke_command)"
  note "environment files: ${SMOKE_ENV_FILES[*]#"$S"}"
  note "running: ${argv[*]}"
  mkdir -p "$S/var/lib/lockin"
  (cd "$S/var/lib/lockin" && exec env -i PATH=/usr/bin:/bin HOME="$S/var/lib/lockin" "${SMOKE_ENV[@]}" "${argv[@]}") > "$WORK/micro.log" 2>&1 &
  MICRO_PID=$!
  PIDS+=("$MICRO_PID")
  for _ in $(seq 360); do
    # what a client gets while it starts: a refused connection (000), or the application's own 401
    code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APP_PORT/api/me" 2>/dev/null) || true
    [[ ${code:-000} == 000 || $code == 401 ]] || SMOKE_EARLY_ANSWERS+=("$code")
    curl -fs -m 2 "http://127.0.0.1:$APP_PORT/health/ready" >/dev/null 2>&1 && { ready=1; break; }
    kill -0 "$MICRO_PID" 2>/dev/null || break
    sleep 0.5
  done
  if (( ready )); then ok "Payara Micro started from the installed files; /health/ready UP on $APP_PORT"; else not_ok "Payara Micro not ready; log tail:"; tail -n 20 "$WORK/micro.log" | indent; fi
}
check_smoke_server() {
  local host_ip
  check "while it started, GET /api/me was refused or answered by the application (401), never by Payara's 404 page (postdeploy.asadmin; got: ${SMOKE_EARLY_ANSWERS[*]:-none other})" \
    test "${#SMOKE_EARLY_ANSWERS[@]}" -eq 0
  host_ip=$(hostname -I 2>/dev/null | awk '{print $1}' || true)
  if [[ -n $host_ip && $host_ip != 127.* ]]; then
    check "the HTTP listener answers on 127.0.0.1 only, not on $host_ip (preboot.asadmin)" \
      bash -c "! curl -s -m 3 -o /dev/null 'http://$host_ip:$APP_PORT/health/live'"
  else
    skip "the HTTP listener answers on 127.0.0.1 only (preboot.asadmin)" "no non-loopback address here"
  fi
  check "log lines are JSON (logging.properties)" bash -c "grep -m1 '^{' '$WORK/micro.log' | jq -e .Level >/dev/null"
}
# the installed plain-HTTP site in front of it
smoke_nginx_start() {
  local ngx=$S/etc/nginx run=$WORK/smoke-nginx
  move_nginx_logs "$ngx" "$run"
  SP=$(free_port)
  sed -i -e '/listen \[::\]/d' -e "s/listen 80 /listen 127.0.0.1:$SP /" "$ngx/conf.d/lockin.conf"
  write_nginx_conf "$ngx/nginx.conf" "$run"
  NGINX_PIDFILES+=("$run/nginx.pid")
  nginx -c "$ngx/nginx.conf" -p "$ngx" 2>"$run/start.err"
}
# paths Payara's connector refuses without a body (or answers 200 without one: %zz);
# through nginx each must be a problem+json 4xx
SMOKE_HOSTILE_PATHS=('a%00b' 'a%5Cb' '%zz' 'a%FFb' '%C0%AF' '..%2F..%2Fetc' '%2e%2e/x' 'a%2')
check_through_nginx() {
  local code hostile base=http://127.0.0.1:$SP
  sleep 0.5
  check "nginx upstream is the env file's LOCKIN_PORT ($APP_PORT)" contains "$S/etc/nginx/conf.d/lockin.conf" "server 127.0.0.1:$APP_PORT "
  check "through nginx: /health/ready 200" test "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200
  code=$(curl -s -o /dev/null -D "$WORK/smoke-h.txt" -w '%{http_code}' -H 'X-Request-Id: smoke-rid-1' "$base/api/me")
  check "through nginx: /api/me without a token 401, X-Request-Id answered" \
    bash -c "[[ $code == 401 ]] && grep -qi '^x-request-id: smoke-rid-1' '$WORK/smoke-h.txt'"
  if [[ -n $TOKEN ]]; then
    code=$(curl -s -o "$WORK/me.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'X-Request-Id: smoke-rid-2' "$base/api/me")
    check "through nginx: /api/me with a token 200 (database migrated, profile made)" bash -c "[[ $code == 200 ]] && jq -e .id '$WORK/me.json' >/dev/null"
  else
    not_ok "no development token (the dev launcher's token command failed)"
  fi
  for hostile in "${SMOKE_HOSTILE_PATHS[@]}"; do
    code=$(curl -s -o "$WORK/hostile.json" -D "$WORK/hostile-h.txt" -w '%{http_code}' --path-as-is \
      -H "Authorization: Bearer $TOKEN" "$base/api/sessions/$hostile")
    check "through nginx: /api/sessions/$hostile answers $code with a problem" bash -c \
      "[[ $code == 4* ]] && grep -qi '^content-type: application/problem+json' '$WORK/hostile-h.txt' && jq -e '.status == $code' '$WORK/hostile.json' >/dev/null"
  done
  check "the schema belongs to the migrations' role (every table of public)" bash -c \
    "[[ \$(psql 'postgresql://postgres@localhost:$DB_PORT/lockin' -tAX -c \"select count(*) from pg_tables where schemaname = 'public' and tableowner <> 'lockin_migrator'\") == 0 ]]"
  check "the application connects as lockin_app only" bash -c \
    "[[ \$(psql 'postgresql://postgres@localhost:$DB_PORT/lockin' -tAX -c \"select count(*) from pg_stat_activity where application_name = 'lockin' and usename <> 'lockin_app'\") == 0 ]]"
  check "lockin_app cannot create a table" bash -c \
    "! psql 'postgresql://lockin_app@localhost:$DB_PORT/lockin' -qtAX -c 'create table smoke_probe (x int)' 2>/dev/null"
  check "lockin_app cannot drop or alter a table, nor read Flyway's history" bash -c \
    "! psql 'postgresql://lockin_app@localhost:$DB_PORT/lockin' -qtAX -c 'drop table time_logs' 2>/dev/null \
     && ! psql 'postgresql://lockin_app@localhost:$DB_PORT/lockin' -qtAX -c 'alter table groups add column x int' 2>/dev/null \
     && ! psql 'postgresql://lockin_app@localhost:$DB_PORT/lockin' -qtAX -c 'select 1 from flyway_schema_history' 2>/dev/null"
  check "the application's database connections use TLS (sslmode=require)" bash -c \
    "[[ \$(psql 'postgresql://postgres@localhost:$DB_PORT/lockin' -tAX -c \"select count(*) from pg_stat_ssl s join pg_stat_activity a using (pid) where a.application_name = 'lockin' and s.ssl\") -gt 0 ]]"
  sleep 0.5
  check "the request id is the same in nginx's and the application's log" \
    bash -c "grep -q '\"request_id\":\"smoke-rid-1\"' '$WORK/smoke-nginx/logs/lockin.access.log' && grep -q 'smoke-rid-1' '$WORK/micro.log'"
}
# Issue 26, through nginx and directly: every answer, however its path is
# spelled, says no-store (once); a DELETE with a body (any content type) is
# done, the body ignored, never the connector's empty 400.
SMOKE_SPELLINGS=('/api/me' '/api/me/' '/%61pi/me' '//api/me' '/api/./me' '/api//me' '/API/me' '/nothing')
check_spellings_and_delete_bodies() {
  local base=$1 where=$2 path cc group link code ct
  for path in "${SMOKE_SPELLINGS[@]}"; do
    cc=$(curl -s --path-as-is -o /dev/null -D - -H "Authorization: Bearer $TOKEN" "$base$path" | tr -d '\r' | sed -n 's/^[Cc]ache-[Cc]ontrol: //p' | paste -sd'|')
    check "$where: $path answers Cache-Control: no-store, once ($cc)" test "$cc" = no-store
  done
  group=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data "{\"name\": \"Smoke\", \"end_at\": \"$(date -u -d '+14 days' +%Y-%m-%dT%H:%M:%SZ)\", \"period_target_minutes\": 30}" \
    "$base/api/groups" | jq -r '.id // empty')
  for ct in application/json text/plain application/octet-stream; do
    link=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" "$base/api/groups/$group/links" | jq -r '.id // empty')
    code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" -H "Content-Type: $ct" \
      --data '{"reason": "a body a DELETE does not need"}' "$base/api/groups/$group/links/$link")
    check "$where: DELETE of a join link with a $ct body is done, the body ignored ($code)" \
      bash -c "[[ -n '$link' && $code == 204 ]]"
  done
  code=$(curl -s -o "$WORK/delete-body.json" -D "$WORK/delete-body-h.txt" -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data '{}' "$base/api/groups/$group/links/00000000-0000-4000-8000-000000000000")
  check "$where: DELETE with a body of an unknown link: its 404 problem+json ($code)" bash -c \
    "[[ $code == 404 ]] && grep -qi '^content-type: application/problem+json' '$WORK/delete-body-h.txt' && jq -e '.status == 404' '$WORK/delete-body.json' >/dev/null"
}
# systemd's stop: SIGTERM, then up to TimeoutStopSec=30 s
check_sigterm() {
  local stopped=0 code
  kill -TERM "$MICRO_PID" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 "$MICRO_PID" 2>/dev/null || { stopped=1; break; }; sleep 1; done
  if (( stopped )); then
    wait "$MICRO_PID" && code=0 || code=$?
    check "SIGTERM: Payara Micro stops within TimeoutStopSec=30 with exit $code (SuccessExitStatus=143 or 0)" bash -c "[[ $code == 143 || $code == 0 ]]"
  else
    not_ok "SIGTERM: still running after 30 s"
  fi
}
checks_smoke() {
  local dev
  dev=$(dev_jar || true)
  if [[ ${LOCKIN_DEPLOY_SMOKE:-1} == 0 ]]; then
    skip "smoke test" "LOCKIN_DEPLOY_SMOKE=0"; return 0
  elif [[ ! -f $SMOKE_WAR || ! -f $SMOKE_JAR || -z $dev ]]; then
    skip "smoke test" "no build in lockin-web/target (./lockin build, then run this again)"; return 0
  fi
  S=$WORK/smoke
  DEV_CP="$dev:lockin-dev/target/lib/*"
  smoke_install
  smoke_database
  smoke_configure
  smoke_start
  check_smoke_server
  if smoke_nginx_start; then
    check_through_nginx
    if [[ -n $TOKEN ]]; then
      check_spellings_and_delete_bodies "http://127.0.0.1:$SP" "through nginx"
      check_spellings_and_delete_bodies "http://127.0.0.1:$APP_PORT" "directly"
    fi
  else
    not_ok "nginx did not start in front of the release: $(cat "$WORK/smoke-nginx/start.err")"
  fi
  check_sigterm
}
