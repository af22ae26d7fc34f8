#!/usr/bin/env bash
# Tests of the production route in deploy/, without touching this machine's
# system (everything happens in a scratch directory; the only processes
# started are nginx, PostgreSQL and Payara Micro of this test, stopped by pid):
#
#   1. shellcheck on the scripts (when it can be installed)
#   2. lockin.service: systemd-analyze verify, its settings, systemd-analyze security
#   3. the nginx sites (TLS and plain HTTP) as deploy.sh installs them: nginx -t,
#      then served for real in front of a stub backend (redirect, TLS, request ids,
#      forwarded headers, body limit, /metrics access, JSON access log)
#   4. deploy.sh --root: refusals, first install, upgrade (env file kept), no-op
#      re-run, TLS switch; --dry-run writes nothing (in a scratch root and on /)
#   5. smoke test with the real build (when lockin-web/target has it): the unit's
#      ExecStart, expanded as systemd would, runs the installed release against a
#      PostgreSQL, behind the installed nginx site; SIGTERM ends it with 143
#
# Prints each check; the last line is "deploy: N passed, N failed".
# Needs root only to install missing tools with apt-get (systemd, nginx, openssl,
# curl, jq, shellcheck). LOCKIN_DEPLOY_SMOKE=0 skips part 5;
# KEEP=1 keeps the scratch directory.
# The unit's text has $VARS that systemd expands, matched here literally.
# shellcheck disable=SC2016
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

WORK=$(mktemp -d /tmp/lockin-deploy-test.XXXXXX)
chmod 755 "$WORK"   # nginx workers (nobody) read the test's files
PIDS=()
NGINX_PIDFILES=()
cleanup() {
  local f p
  for f in "${NGINX_PIDFILES[@]}"; do
    [[ -f $f ]] && { p=$(cat "$f"); kill "$p" 2>/dev/null || true; }
  done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then echo "scratch directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

passed=0
failed=0
section() { printf '\n== %s\n' "$*"; }
ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
not_ok() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d"; fi; }
note() { printf '        %s\n' "$*"; }
contains() { grep -q -- "$2" "$1"; }         # FILE PATTERN (basic regex)
contains_fixed() { grep -qF -- "$2" "$1"; }  # FILE TEXT
lacks() { ! grep -q -- "$2" "$1"; }
mode_is() { [[ $(stat -c %a "$1") == "$2" ]]; }
same() { cmp -s "$1" "$2"; }
free_port() { # a port nothing listens on (bash's /dev/tcp: refused = free)
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

# --- tools ---------------------------------------------------------------------
apt_updated=0
ensure_tool() { # COMMAND PACKAGE [optional]
  command -v "$1" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [[ $EUID -eq 0 ]]; then
    echo "installing $2 (for $1)"
    if (( ! apt_updated )); then apt-get update -q >/dev/null 2>&1 || true; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 || true
  fi
  command -v "$1" >/dev/null 2>&1 && return 0
  [[ ${3:-} == optional ]] && return 1
  echo "deploy/test.sh: $1 is needed (package $2) and could not be installed" >&2
  exit 1
}
ensure_tool systemd-analyze systemd
ensure_tool nginx nginx
ensure_tool openssl openssl
ensure_tool curl curl
ensure_tool jq jq
ensure_tool psql postgresql-client
have_shellcheck=1
ensure_tool shellcheck shellcheck optional || have_shellcheck=0
# Debian's nginx package starts a system nginx on install; this test never uses it.

# --- 1. shellcheck -------------------------------------------------------------
section "shellcheck"
if (( have_shellcheck )); then
  check "shellcheck deploy/deploy.sh deploy/test.sh" shellcheck deploy/deploy.sh deploy/test.sh
else
  note "shellcheck not available: skipped"
fi

# --- 2. the systemd unit -------------------------------------------------------
section "systemd unit (deploy/lockin.service)"
# verify loads the unit as systemd would and reports unknown keys, bad values
# and a missing ExecStart executable (/usr/bin/java). It does not resolve
# User= (systemd does that at start), so no `lockin` user is needed here.
mkdir -p "$WORK/unit"
cp deploy/lockin.service "$WORK/unit/lockin.service"
if [[ ! -x /usr/bin/java ]]; then
  # deploy.sh installs Java there; a machine without it verifies a copy
  # naming whatever java it has (or /bin/sh), the rest unchanged.
  java_here=$(command -v java || echo /bin/sh)
  sed -i "s|^ExecStart=/usr/bin/java |ExecStart=$java_here |" "$WORK/unit/lockin.service"
  note "no /usr/bin/java on this machine: verified with ExecStart=$java_here"
fi
verify_out=$WORK/unit/verify.out
if systemd-analyze verify --man=no "$WORK/unit/lockin.service" >"$verify_out" 2>&1 && [[ ! -s $verify_out ]]; then
  ok "systemd-analyze verify: no errors, no warnings"
else
  not_ok "systemd-analyze verify:"; sed 's/^/        /' "$verify_out"
fi
# A control: the same check does catch a misspelt key.
sed 's/^NoNewPrivileges=/NoNewPrivilege=/' deploy/lockin.service > "$WORK/unit/typo.service"
systemd-analyze verify --man=no "$WORK/unit/typo.service" > "$WORK/unit/typo.out" 2>&1 || true
check "systemd-analyze verify catches a misspelt key (control)" contains "$WORK/unit/typo.out" "Unknown key"
u=deploy/lockin.service
for setting in 'User=lockin' 'Group=lockin' 'EnvironmentFile=/etc/lockin/lockin.env' 'Environment=LOCKIN_PORT=8080' \
               'Restart=on-failure' 'KillSignal=SIGTERM' 'TimeoutStopSec=30' 'SuccessExitStatus=143' \
               'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' 'ProtectHome=yes' \
               'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectControlGroups=yes' \
               'RestrictSUIDSGID=yes' 'LockPersonality=yes' 'StateDirectory=lockin'; do
  check "unit sets $setting" contains "$u" "^$setting\$"
done
check "unit: CapabilityBoundingSet= is empty (no capabilities)" contains "$u" '^CapabilityBoundingSet=$'
check "unit: MemoryDenyWriteExecute is not set (the JIT needs it off)" lacks "$u" '^MemoryDenyWriteExecute'
exec_start=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$u" | sed 's/^ExecStart=//; s/[[:space:]]*\\$//' | tr -s '\n ' ' ')
for arg in '/usr/bin/java $LOCKIN_JAVA_OPTS' '-XX:+ExitOnOutOfMemoryError' '-Duser.timezone=UTC' \
           '-Dmp.health.default.readiness.empty.response=DOWN' '-jar /opt/lockin/payara-micro.jar' \
           '--deploy /opt/lockin/lockin.war' '--contextroot /' '--port ${LOCKIN_PORT}' '--maxhttpthreads ${LOCKIN_HTTP_THREADS}' '--nocluster' \
           '--rootdir /var/lib/lockin/micro' '--logproperties /opt/lockin/logging.properties'; do
  check "ExecStart has: $arg" grep -qF -- "$arg" <<<"$exec_start"
done
check "JVM heap capped by default (-Xmx in LOCKIN_JAVA_OPTS)" contains "$u" 'LOCKIN_JAVA_OPTS=-Xmx[0-9]'
check "HTTP worker threads set by default (LOCKIN_HTTP_THREADS)" contains "$u" '^Environment=LOCKIN_HTTP_THREADS=[0-9]'
security_out=$WORK/unit/security.out
if systemd-analyze security --offline=true --threshold=30 "$u" >"$security_out" 2>&1; then
  ok "systemd-analyze security: $(grep -o 'Overall exposure level.*' "$security_out" | sed 's/ *[^ ]*$//') (threshold 3.0)"
else
  not_ok "systemd-analyze security over 3.0: $(grep -o 'Overall exposure level.*' "$security_out" || tail -n 3 "$security_out")"
fi

# --- 3. nginx --------------------------------------------------------------------
section "nginx sites"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=lockin.test" \
  -keyout "$WORK/tls.key" -out "$WORK/tls.crt" >/dev/null 2>&1
chmod 644 "$WORK/tls.key" "$WORK/tls.crt"
ok "self-signed certificate for the TLS server (openssl)"
# Artifacts for deploy.sh: anything that is a zip archive will do here.
mkdir -p "$WORK/stub"
stub() { printf 'PK\003\004 LockIN test stub %s\n' "$2" > "$1"; }
stub "$WORK/stub/payara-micro.jar" jar-1
stub "$WORK/stub/lockin.war" war-1

# Installs one site variant with deploy.sh into a scratch root, then writes a
# scratch nginx.conf beside it that includes conf.d/ as the distributions'
# nginx.conf does. The site's relative `include snippets/...` resolves there.
# Log paths move into the scratch directory (nginx -t opens them); for
# serving, the listen ports and the upstream port move to free ones.
# Prints the nginx.conf path.
nginx_root() { # NAME DEPLOY-OPTIONS...
  local name=$1; shift
  local root=$WORK/nginx-$name
  "$repo/deploy/deploy.sh" --root "$root" --artifacts "$WORK/stub" "$@" > "$WORK/nginx-$name.deploy.out" 2>&1
  mkdir -p "$WORK/nginx-$name.run/logs"
  sed -i "s|/var/log/nginx/|$WORK/nginx-$name.run/logs/|" "$root/etc/nginx/conf.d/lockin.conf" "$root/etc/nginx/snippets/lockin-proxy.conf"
  local run=$WORK/nginx-$name.run
  cat > "$root/etc/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $run/nginx.pid;
error_log $run/logs/error.log;
events { worker_connections 64; }
http {
    client_body_temp_path $run/tmp-body;
    proxy_temp_path $run/tmp-proxy;
    fastcgi_temp_path $run/tmp-fastcgi;
    uwsgi_temp_path $run/tmp-uwsgi;
    scgi_temp_path $run/tmp-scgi;
    access_log $run/logs/access.log;
    include conf.d/*.conf;
}
EOF
  echo "$root/etc/nginx/nginx.conf"
}
nginx_test() { nginx -t -q -c "$1" -p "$(dirname "$1")"; }

tls_conf=$(nginx_root tls --nginx tls --cert "$WORK/tls.crt" --key "$WORK/tls.key" --server-name lockin.test)
http_conf=$(nginx_root http --nginx http)
check "deploy.sh --nginx tls installed the TLS site" contains "$(dirname "$tls_conf")/conf.d/lockin.conf" "ssl_certificate $WORK/tls.crt;"
check "deploy.sh --nginx http installed the plain-HTTP site" lacks "$(dirname "$http_conf")/conf.d/lockin.conf" "ssl_certificate"
if out=$(nginx_test "$tls_conf" 2>&1); then ok "nginx -t: TLS site (443 + redirect on 80) with the snippet"; else not_ok "nginx -t TLS site: $out"; fi
if out=$(nginx_test "$http_conf" 2>&1); then ok "nginx -t: plain-HTTP site with the snippet"; else not_ok "nginx -t HTTP site: $out"; fi
site=$(dirname "$tls_conf")/conf.d/lockin.conf
snippet=$(dirname "$tls_conf")/snippets/lockin-proxy.conf
check "site: upstream lockin { server 127.0.0.1:8080 ... }" contains "$site" '^ *server 127.0.0.1:8080 '
check "site: JSON access log (log_format escape=json)" contains "$site" 'log_format lockin_json escape=json'
check "snippet: client_max_body_size 1m" contains "$snippet" '^client_max_body_size 1m;'
check "snippet: proxy_buffering off" contains "$snippet" '^proxy_buffering off;'
check "snippet: X-Forwarded-For/Proto and X-Request-Id to the upstream" \
  bash -c "grep -q 'X-Forwarded-For \$proxy_add_x_forwarded_for' '$snippet' && grep -q 'X-Forwarded-Proto' '$snippet' && grep -q 'X-Request-Id \$lockin_request_id' '$snippet'"

# Serves a site for real: ports moved to free ones, a stub backend (an nginx
# server in the same scratch nginx) that answers with what it received.
serve_site() { # NGINX.CONF -> sets P80 P443 PB
  local conf=$1 dir; dir=$(dirname "$conf")
  P80=$(free_port); P443=$(free_port); PB=$(free_port)
  sed -i -e '/listen \[::\]/d' \
         -e "s/listen 443 /listen 127.0.0.1:$P443 /" -e "s/listen 80 /listen 127.0.0.1:$P80 /" \
         -e "s/server 127.0.0.1:8080 /server 127.0.0.1:$PB /" "$dir/conf.d/lockin.conf"
  cat > "$dir/conf.d/zz-backend.conf" <<EOF
server {
    listen 127.0.0.1:$PB;
    location / {
        add_header X-Request-Id "from-backend";
        return 200 "rid=\$http_x_request_id proto=\$http_x_forwarded_proto xff=\$http_x_forwarded_for host=\$http_host uri=\$request_uri\n";
    }
}
EOF
  nginx -c "$conf" -p "$dir"
  NGINX_PIDFILES+=("$(sed -n 's/^pid \(.*\);/\1/p' "$conf")")
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$P80") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
stop_site() { local f; f=$(sed -n 's/^pid \(.*\);/\1/p' "$1"); [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null; sleep 0.3; }

if serve_site "$tls_conf"; then
  ok "nginx serves the TLS site (127.0.0.1:$P443, redirect on $P80, stub backend on $PB)"
  logs=$WORK/nginx-tls.run/logs
  headers=$WORK/h.txt
  code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$P80/api/me?x=1")
  check "port 80 redirects to HTTPS with the path ($code)" test "$code" = "301 https://127.0.0.1/api/me?x=1"
  body=$(curl -sk -D "$headers" -H 'X-Request-Id: abc-123.test' "https://127.0.0.1:$P443/api/me")
  check "HTTPS request reaches the upstream" grep -q '^rid=' <<<"$body"
  check "caller's sane X-Request-Id passed to the upstream" grep -q 'rid=abc-123.test ' <<<"$body"
  check "X-Forwarded-Proto https and X-Forwarded-For to the upstream" grep -q 'proto=https xff=127.0.0.1 ' <<<"$body"
  check "response X-Request-Id is the request's, once" test "$(grep -ic '^x-request-id: abc-123.test' "$headers")/$(grep -ic '^x-request-id:' "$headers")" = "1/1"
  check "HSTS header on HTTPS" grep -qi '^strict-transport-security: max-age=' "$headers"
  body=$(curl -sk -D "$headers" "https://127.0.0.1:$P443/api/groups")
  rid=$(sed -n 's/^rid=\([^ ]*\) .*/\1/p' <<<"$body")
  check "no X-Request-Id: nginx makes one (32 hex) and answers it ($rid)" \
    bash -c "[[ '$rid' =~ ^[0-9a-f]{32}$ ]] && grep -qi '^x-request-id: $rid' '$headers'"
  body=$(curl -sk -H 'X-Request-Id: bad id"<x>' "https://127.0.0.1:$P443/api/groups")
  check "an unsafe X-Request-Id is replaced by nginx's own" grep -Eq '^rid=[0-9a-f]{32} ' <<<"$body"
  head -c 2000000 /dev/zero > "$WORK/2mb.bin"
  code=$(curl -sk -o /dev/null -w '%{http_code}' -X POST --data-binary "@$WORK/2mb.bin" -H 'Content-Type: application/json' "https://127.0.0.1:$P443/api/groups")
  check "a 2 MB body is refused (413, client_max_body_size 1m): $code" test "$code" = 413
  code=$(curl -sk -o /dev/null -w '%{http_code}' -X POST --data '{"name":"x"}' -H 'Content-Type: application/json' "https://127.0.0.1:$P443/api/groups")
  check "a small body passes: $code" test "$code" = 200
  body=$(curl -sk -D "$headers" "https://127.0.0.1:$P443/api/sessions/a%00b")
  check "a NUL in the path: nginx's 400 as problem+json" \
    bash -c "grep -qi '^content-type: application/problem+json' '$headers' && jq -e '.status == 400' <<<'$body' >/dev/null"
  body=$(curl -sk -D "$headers" "https://127.0.0.1:$P443/api/sessions/a%5Cb")
  check "an encoded backslash in the path: 400 problem+json" \
    bash -c "grep -q '^HTTP/[0-9.]* 400' '$headers' && jq -e '.status == 400' <<<'$body' >/dev/null"
  code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$P443/api/groups/caf%C3%A9%F0%9F%98%80%e2%82%ac?q=%FF%00")
  check "a path of valid percent-encoded UTF-8 (query not checked) reaches the upstream: $code" test "$code" = 200
  body=$(curl -sk -D "$headers" "https://127.0.0.1:$P443/api/sessions/%ED%A0%80")
  check "an encoded UTF-16 surrogate (invalid UTF-8) in the path: 400 problem+json" \
    bash -c "grep -q '^HTTP/[0-9.]* 400' '$headers' && jq -e '.status == 400' <<<'$body' >/dev/null"
  body=$(curl -sk -D "$headers" -X POST --data-binary "@$WORK/2mb.bin" -H 'Content-Type: application/json' "https://127.0.0.1:$P443/api/groups")
  check "the 413 is problem+json" jq -e '.status == 413' <<<"$body"
  code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$P443/api/groups/$(head -c 20000 /dev/zero | tr '\0' a)")
  check "a 20,000-character path reaches the upstream (large_client_header_buffers 64k): $code" test "$code" = 200
  check "/health/ready proxied" grep -q 'uri=/health/ready' <<<"$(curl -sk "https://127.0.0.1:$P443/health/ready")"
  check "/metrics from this host: proxied (200)" test "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$P443/metrics")" = 200
  check "/metrics through a load balancer (X-Forwarded-For): 403" \
    test "$(curl -sk -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "https://127.0.0.1:$P443/metrics")" = 403
  curl -sk -o /dev/null -H 'X-Request-Id: log-check-1' -A 'agent "quoted"' "https://127.0.0.1:$P443/api/me?q=%22"
  sleep 0.3
  grep -F '"log-check-1"' "$logs/lockin.access.log" | tail -n 1 > "$WORK/line.json" || true
  check "access log: one JSON object per request" jq -e . "$WORK/line.json"
  check "access log fields: request_id, status (number), method, uri, request_time, upstream_status" \
    jq -e '.request_id == "log-check-1" and .status == 200 and .method == "GET" and (.uri | startswith("/api/me"))
           and (.request_time | type == "number") and .upstream_status == "200" and (.user_agent | contains("quoted"))' "$WORK/line.json"
  note "a line: $(cat "$WORK/line.json")"
  check "health checks are not logged" bash -c "! grep -q '/health/ready' '$logs/lockin.access.log'"
  check "every access log line is JSON" bash -c "jq -e . '$logs/lockin.access.log' >/dev/null"
  stop_site "$tls_conf"
else
  not_ok "nginx did not start with the TLS site: $(tail -n 5 "$WORK/nginx-tls.run/logs/error.log" 2>/dev/null)"
fi
if serve_site "$http_conf"; then
  ok "nginx serves the plain-HTTP site (127.0.0.1:$P80)"
  body=$(curl -s -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 198.51.100.7' "http://127.0.0.1:$P80/api/me")
  check "behind a load balancer: its X-Forwarded-Proto kept, X-Forwarded-For extended" grep -q 'proto=https xff=198.51.100.7, 127.0.0.1 ' <<<"$body"
  body=$(curl -s "http://127.0.0.1:$P80/api/me")
  check "without a load balancer: X-Forwarded-Proto http" grep -q 'proto=http ' <<<"$body"
  stop_site "$http_conf"
else
  not_ok "nginx did not start with the plain-HTTP site: $(tail -n 5 "$WORK/nginx-http.run/logs/error.log" 2>/dev/null)"
fi

# --- 4. deploy.sh ----------------------------------------------------------------
section "deploy.sh"
# A copy of the repository's deploy files with a "build" in lockin-web/target,
# so deploy.sh finds the artifacts the way it does in a checkout.
fake=$WORK/repo
mkdir -p "$fake/lockin-web/target"
cp -r deploy "$fake/deploy"
cp .env.example "$fake/.env.example"
deploy() { "$fake/deploy/deploy.sh" "$@"; }
snapshot() { # every file and directory under $1: path, mode, size, mtime, content hash
  [[ -e $1 ]] || { echo "(absent)"; return; }
  find "$1" -printf '%P %m %s %T@ %y\n' | sort
  find "$1" -type f -exec sha256sum {} + | sort
}

# refusals
r0=$WORK/root-refused
if deploy --root "$r0" > "$WORK/refused.out" 2>&1; then
  not_ok "without a build: deploy.sh refuses"
else
  ok "without a build: deploy.sh refuses (exit non-zero)"
fi
check "... and says how to build: mvn -B -DskipTests package" contains_fixed "$WORK/refused.out" "mvn -B -DskipTests package"
check "... or ./lockin build" contains_fixed "$WORK/refused.out" "./lockin build"
check "... and writes nothing" test ! -e "$r0"
echo "<html>502 Bad Gateway</html>" > "$WORK/not-a-jar"
if deploy --root "$r0" --jar "$WORK/not-a-jar" --war "$WORK/stub/lockin.war" > "$WORK/refused2.out" 2>&1; then
  not_ok "a jar that is not a zip archive is refused"
else
  ok "a jar that is not a zip archive is refused"
fi

# first install
stub "$fake/lockin-web/target/payara-micro.jar" jar-1
stub "$fake/lockin-web/target/lockin.war" war-1
cp "$fake/lockin-web/target/payara-micro.jar" "$WORK/jar-1"; cp "$fake/lockin-web/target/lockin.war" "$WORK/war-1"
R=$WORK/root
if deploy --root "$R" > "$WORK/run1.out" 2>&1; then ok "first run (--root): exit 0"; else not_ok "first run failed:"; sed 's/^/        /' "$WORK/run1.out"; fi
check "first run reports a fresh install" contains "$WORK/run1.out" "fresh install"
check "first run goes step by step ([1] ... [9])" bash -c "grep -q '^\[1\] ' '$WORK/run1.out' && grep -q '^\[9\] Summary' '$WORK/run1.out'"
check "payara-micro.jar installed (the build's, mode 644)" bash -c "cmp -s '$WORK/jar-1' '$R/opt/lockin/payara-micro.jar' && [[ \$(stat -c %a '$R/opt/lockin/payara-micro.jar') == 644 ]]"
check "lockin.war installed (the build's, mode 644)" bash -c "cmp -s '$WORK/war-1' '$R/opt/lockin/lockin.war' && [[ \$(stat -c %a '$R/opt/lockin/lockin.war') == 644 ]]"
check "logging.properties and preboot.asadmin installed (644)" \
  bash -c "cmp -s deploy/logging.properties '$R/opt/lockin/logging.properties' && cmp -s deploy/payara-preboot.asadmin '$R/opt/lockin/preboot.asadmin' && [[ \$(stat -c %a '$R/opt/lockin/preboot.asadmin') == 644 ]]"
check "unit at /etc/systemd/system/lockin.service (as in deploy/, 644)" bash -c "cmp -s deploy/lockin.service '$R/etc/systemd/system/lockin.service' && [[ \$(stat -c %a '$R/etc/systemd/system/lockin.service') == 644 ]]"
check "env file /etc/lockin/lockin.env from .env.example, mode 600" bash -c "cmp -s .env.example '$R/etc/lockin/lockin.env' && [[ \$(stat -c %a '$R/etc/lockin/lockin.env') == 600 ]]"
check "nginx snippet at /etc/nginx/snippets/lockin-proxy.conf (644)" bash -c "cmp -s deploy/nginx/lockin-proxy.conf '$R/etc/nginx/snippets/lockin-proxy.conf' && [[ \$(stat -c %a '$R/etc/nginx/snippets/lockin-proxy.conf') == 644 ]]"
check "nginx site at /etc/nginx/conf.d/lockin.conf: plain HTTP without a certificate (644)" \
  bash -c "cmp -s deploy/nginx/lockin-http.conf '$R/etc/nginx/conf.d/lockin.conf' && [[ \$(stat -c %a '$R/etc/nginx/conf.d/lockin.conf') == 644 ]]"
expected=(etc etc/lockin etc/lockin/lockin.env etc/nginx etc/nginx/conf.d etc/nginx/conf.d/lockin.conf etc/nginx/snippets
  etc/nginx/snippets/lockin-proxy.conf etc/systemd etc/systemd/system etc/systemd/system/lockin.service opt opt/lockin
  opt/lockin/lockin.war opt/lockin/logging.properties opt/lockin/payara-micro.jar opt/lockin/preboot.asadmin opt/lockin/previous
  var var/www var/www/letsencrypt)
check "nothing else written under the root" \
  test "$(cd "$R" && find . -mindepth 1 -printf '%P\n' | sort)" = "$(printf '%s\n' "${expected[@]}" | sort)"
check "system steps skipped under --root (packages, useradd, systemctl)" \
  bash -c "grep -q 'skipped (--root): useradd' '$WORK/run1.out' && grep -q 'skipped (--root): systemctl daemon-reload' '$WORK/run1.out'"
check "not started while the env file has CHANGE_ME placeholders" contains "$WORK/run1.out" "NOT started"

# the operator edits the env file; a new release is built; deploy.sh again
sed -i -e 's/CHANGE_ME/operator-value/g' -e 's/^LOCKIN_PORT=8080$/LOCKIN_PORT=8181/' "$R/etc/lockin/lockin.env"
echo "# edited by the operator" >> "$R/etc/lockin/lockin.env"
cp -p "$R/etc/lockin/lockin.env" "$WORK/env-edited"
stub "$fake/lockin-web/target/payara-micro.jar" jar-2
stub "$fake/lockin-web/target/lockin.war" war-2
if deploy --root "$R" > "$WORK/run2.out" 2>&1; then ok "second run: exit 0"; else not_ok "second run failed:"; sed 's/^/        /' "$WORK/run2.out"; fi
check "second run reports an upgrade" contains "$WORK/run2.out" "this is an upgrade in place"
check "second run: new jar and war in place" bash -c "cmp -s '$fake/lockin-web/target/payara-micro.jar' '$R/opt/lockin/payara-micro.jar' && cmp -s '$fake/lockin-web/target/lockin.war' '$R/opt/lockin/lockin.war'"
check "second run: the previous jar and war in /opt/lockin/previous" bash -c "cmp -s '$WORK/jar-1' '$R/opt/lockin/previous/payara-micro.jar' && cmp -s '$WORK/war-1' '$R/opt/lockin/previous/lockin.war'"
check "second run: the edited env file is NOT overwritten (content and mode)" bash -c "cmp -s '$WORK/env-edited' '$R/etc/lockin/lockin.env' && [[ \$(stat -c %a '$R/etc/lockin/lockin.env') == 600 ]]"
check "second run says it kept the env file" contains "$WORK/run2.out" "kept as it is"
check "second run: nginx upstream follows LOCKIN_PORT of the env file (8181)" contains "$R/etc/nginx/conf.d/lockin.conf" '^ *server 127.0.0.1:8181 '
check "second run: the old site kept as lockin.conf.previous" test -f "$R/etc/nginx/conf.d/lockin.conf.previous"
check "second run: restarts the service (daemon-reload, stop, start; skipped under --root)" \
  bash -c "grep -q 'systemctl daemon-reload' '$WORK/run2.out' && grep -q 'skipped (--root): systemctl stop lockin' '$WORK/run2.out' && grep -q 'skipped (--root): systemctl start lockin' '$WORK/run2.out'"
check "second run's summary says Upgraded" contains "$WORK/run2.out" "Upgraded:"

# the same again: idempotent
before=$(snapshot "$R")
if deploy --root "$R" > "$WORK/run3.out" 2>&1; then ok "third run, nothing new: exit 0"; else not_ok "third run failed"; sed 's/^/        /' "$WORK/run3.out"; fi
check "third run changes no file (contents, modes, mtimes)" test "$before" = "$(snapshot "$R")"
check "third run says there is nothing to change" contains "$WORK/run3.out" "nothing to change"
check "third run leaves the service alone" contains "$WORK/run3.out" "left alone"

# the certificate arrives: TLS site
mkdir -p "$R/etc/lockin/tls"
cp "$WORK/tls.crt" "$R/etc/lockin/tls/fullchain.pem"; cp "$WORK/tls.key" "$R/etc/lockin/tls/privkey.pem"
deploy --root "$R" --server-name api.example.test > "$WORK/run4.out" 2>&1 || true
check "with the certificate in place (auto): the TLS site" bash -c "grep -q '^ *ssl_certificate /etc/lockin/tls/fullchain.pem;' '$R/etc/nginx/conf.d/lockin.conf' && grep -q 'listen 443 ssl' '$R/etc/nginx/conf.d/lockin.conf'"
check "--server-name fills server_name" contains "$R/etc/nginx/conf.d/lockin.conf" 'server_name api.example.test;'
check "the env file still untouched" same "$WORK/env-edited" "$R/etc/lockin/lockin.env"
# an upgrade without the options keeps the installed site's settings
before=$(snapshot "$R/etc/nginx")
deploy --root "$R" > "$WORK/run5.out" 2>&1 || true
check "re-run without options keeps the TLS site and its server_name (no change)" test "$before" = "$(snapshot "$R/etc/nginx")"
rm "$R/etc/lockin/tls/fullchain.pem"
if deploy --root "$R" > "$WORK/run6.out" 2>&1; then
  not_ok "certificate gone: deploy.sh must not fall back to plain HTTP silently"
else
  check "certificate gone: deploy.sh refuses to fall back to plain HTTP silently" contains "$WORK/run6.out" "not there"
fi
deploy --root "$R" --nginx http > "$WORK/run7.out" 2>&1 || true
check "--nginx http: back to the plain-HTTP site, server_name kept" \
  bash -c "! grep -q ssl_certificate '$R/etc/nginx/conf.d/lockin.conf' && grep -q 'server_name api.example.test;' '$R/etc/nginx/conf.d/lockin.conf'"

# --dry-run
D=$WORK/root-dry
if deploy --dry-run --root "$D" > "$WORK/dry1.out" 2>&1; then ok "--dry-run --root (fresh): exit 0"; else not_ok "--dry-run --root failed"; sed 's/^/        /' "$WORK/dry1.out"; fi
check "--dry-run writes nothing (the scratch root stays absent)" test ! -e "$D"
check "--dry-run prints the actions (would write/run ...)" \
  bash -c "grep -q 'would write /etc/systemd/system/lockin.service' '$WORK/dry1.out' && grep -q 'would install /opt/lockin/lockin.war' '$WORK/dry1.out' && grep -q 'would write /etc/lockin/lockin.env' '$WORK/dry1.out'"
stub "$fake/lockin-web/target/lockin.war" war-3
before=$(snapshot "$R")
deploy --dry-run --root "$R" > "$WORK/dry2.out" 2>&1 || true
check "--dry-run of an upgrade changes nothing in an installation" test "$before" = "$(snapshot "$R")"
check "--dry-run of an upgrade says what it would replace" contains "$WORK/dry2.out" "would replace /opt/lockin/lockin.war"
# On this machine's real /, as a real run would (only reads): nothing may change.
targets=(/opt/lockin /etc/lockin /etc/systemd/system/lockin.service /etc/nginx/conf.d/lockin.conf
         /etc/nginx/snippets/lockin-proxy.conf /var/www/letsencrypt /etc/nginx/sites-enabled /etc/nginx/nginx.conf /var/lib/lockin)
real_state() { local p; for p in "${targets[@]}"; do printf '%s: ' "$p"; snapshot "$p" | sha256sum; done; }
before=$(real_state)
users_before=$(getent passwd | sha256sum)
if deploy --dry-run > "$WORK/dry3.out" 2>&1; then ok "--dry-run on this machine's / : exit 0"; else not_ok "--dry-run on / failed"; sed 's/^/        /' "$WORK/dry3.out"; fi
check "--dry-run on / changed none of /opt/lockin, /etc/lockin, the unit, nginx's files, users" \
  test "$before$users_before" = "$(real_state)$(getent passwd | sha256sum)"
check "--dry-run on / prints the system steps it would run" \
  bash -c "grep -q 'would run: systemctl daemon-reload' '$WORK/dry3.out' && grep -q 'would run: systemctl enable lockin' '$WORK/dry3.out'"

# --- 4b. deploy.sh as root on this host, in a private mount namespace -----------
section "deploy.sh on this host's real paths, isolated (private mount namespace)"
# /etc, /opt and /var get overlays that vanish with the namespace: deploy.sh
# runs without --root against this Debian's real nginx.conf, useradd, nginx -t,
# and nothing reaches the machine. There is no systemd here, so a stub
# systemctl records the calls; a stand-in for the application (an nginx that
# answers /health/ready) lets deploy.sh's wait after the restart finish.
iso=$WORK/iso
iso_port=$(free_port)   # the stand-in application's port
mkdir -p "$iso/bin" "$iso/mnt"
cat > "$iso/bin/systemctl" <<EOF
#!/bin/sh
echo "systemctl \$*" >> "$iso/systemctl.log"
case "\$1" in is-active|is-failed) exit 3 ;; esac
exit 0
EOF
chmod 755 "$iso/bin/systemctl"
cat > "$iso/inner.sh" <<EOF
set -u
mount -t tmpfs tmpfs "$iso/mnt" || exit 90
for d in etc opt var; do
  mkdir -p "$iso/mnt/\$d-up" "$iso/mnt/\$d-work"
  mount -t overlay overlay -o "lowerdir=/\$d,upperdir=$iso/mnt/\$d-up,workdir=$iso/mnt/\$d-work" "/\$d" || exit 91
done
export PATH="$iso/bin:\$PATH"
"$fake/deploy/deploy.sh" --artifacts "$WORK/stub" > "$iso/run1.out" 2>&1; echo "\$?" > "$iso/run1.rc"
getent passwd lockin > "$iso/user" || true
stat -c '%n %a %U:%G' /opt/lockin /opt/lockin/payara-micro.jar /opt/lockin/lockin.war /etc/lockin/lockin.env \
  /etc/systemd/system/lockin.service /etc/nginx/conf.d/lockin.conf /etc/nginx/snippets/lockin-proxy.conf > "$iso/stat" 2>&1
ls /etc/nginx/sites-enabled > "$iso/sites-enabled" 2>&1
nginx -t > "$iso/nginx-t" 2>&1; echo "\$?" >> "$iso/nginx-t"
# the operator fills in the env file; a new release comes
sed -i -e 's/CHANGE_ME/operator-value/g' -e 's/^LOCKIN_PORT=.*/LOCKIN_PORT=$iso_port/' /etc/lockin/lockin.env
cat > "$iso/app.conf" <<APP
pid $iso/app.pid;
error_log $iso/app-error.log;
events { worker_connections 16; }
http { access_log off; server { listen 127.0.0.1:$iso_port; location /health/ready { return 200 '{"status":"UP"}'; } } }
APP
nginx -c "$iso/app.conf" -p "$iso"
: > "$iso/systemctl.log"
"$fake/deploy/deploy.sh" --artifacts "$WORK/stub2" > "$iso/run2.out" 2>&1; echo "\$?" > "$iso/run2.rc"
grep '^ *server 127' /etc/nginx/conf.d/lockin.conf > "$iso/upstream"
kill "\$(cat "$iso/app.pid")"
exit 0
EOF
if ! command -v unshare >/dev/null 2>&1; then
  note "unshare not available: skipped"
else
  mkdir -p "$WORK/stub2"
  cp "$WORK/stub/payara-micro.jar" "$WORK/stub2/"
  stub "$WORK/stub2/lockin.war" war-2
  NGINX_PIDFILES+=("$iso/app.pid")   # the stand-in, should the inner script stop half-way
  unshare -m --propagation private bash "$iso/inner.sh" > "$iso/inner.out" 2>&1 && iso_rc=0 || iso_rc=$?
  if (( iso_rc >= 90 )); then
    note "no private mounts here (unshare/overlay refused, exit $iso_rc): skipped"
  else
    check "first install as root: exit 0" grep -qx 0 "$iso/run1.rc"
    check "the lockin system user was created (no login shell, home /var/lib/lockin)" grep -Eq '^lockin:x:[0-9]+:[0-9]+:.*:/var/lib/lockin:/(usr/)?sbin/nologin$' "$iso/user"
    check "files owned by root with their modes (jar/war 644, env 600, unit 644, site 644)" \
      bash -c "grep -q '^/opt/lockin/lockin.war 644 root:root' '$iso/stat' && grep -q '^/etc/lockin/lockin.env 600 root:root' '$iso/stat' \
               && grep -q '^/etc/systemd/system/lockin.service 644 root:root' '$iso/stat' && grep -q '^/etc/nginx/conf.d/lockin.conf 644 root:root' '$iso/stat'"
    check "nginx -t in deploy.sh passed with Debian's own nginx.conf" contains "$iso/run1.out" "nginx -t: configuration OK"
    check "Debian's default site disabled (its default_server would take port 80)" bash -c "! grep -qx default '$iso/sites-enabled'"
    check "nginx -t of the whole system configuration afterwards: 0" bash -c "tail -n 1 '$iso/nginx-t' | grep -qx 0"
    check "first install: nginx enabled and reloaded, daemon-reload, lockin enabled, not started (placeholders)" \
      bash -c "grep -q 'systemctl reload-or-restart nginx' '$iso/run1.out' && grep -q 'systemctl daemon-reload' '$iso/run1.out' \
               && grep -q 'systemctl enable lockin' '$iso/run1.out' && ! grep -q 'systemctl start lockin' '$iso/run1.out'"
    check "upgrade as root: exit 0" grep -qx 0 "$iso/run2.rc"
    check "upgrade: daemon-reload, stop, start, in this order" \
      test "$(grep -E 'daemon-reload|stop lockin|start lockin' "$iso/systemctl.log" | tr '\n' ' ')" = "systemctl daemon-reload systemctl stop lockin systemctl start lockin "
    check "upgrade: waited for /health/ready and reported it UP" contains "$iso/run2.out" "lockin is UP"
    check "upgrade: nginx points at the env file's LOCKIN_PORT" grep -q "127.0.0.1:$iso_port " "$iso/upstream"
    check "nothing of it reached this machine (no /opt/lockin, no user lockin)" bash -c "[[ ! -e /opt/lockin ]] && ! getent passwd lockin"
  fi
fi

# --- 5. smoke test: the real release, started as the unit says ---------------------
section "smoke test: the unit's ExecStart with the real build"
war=lockin-web/target/lockin.war
jar=lockin-web/target/payara-micro.jar
dev_jars=(lockin-dev/target/lockin-dev-*.jar)
dev_jar=""
[[ -f ${dev_jars[0]} ]] && dev_jar=${dev_jars[0]}
if [[ ${LOCKIN_DEPLOY_SMOKE:-1} == 0 ]]; then
  note "skipped (LOCKIN_DEPLOY_SMOKE=0)"
elif [[ ! -f $war || ! -f $jar || -z $dev_jar ]]; then
  note "skipped: no build in lockin-web/target (./lockin build, then run this again)"
else
  S=$WORK/smoke
  if "$repo/deploy/deploy.sh" --root "$S" > "$WORK/smoke-deploy.out" 2>&1; then
    ok "deploy.sh --root with the build in lockin-web/target (the default)"
  else
    not_ok "deploy.sh --root with the real build"; sed 's/^/        /' "$WORK/smoke-deploy.out"
  fi
  # the database: the embedded PostgreSQL of the dev launcher, serving TLS as RDS
  # does, and the application connecting with ?sslmode=require as on RDS
  DEV_CP="$dev_jar:lockin-dev/target/lib/*"
  db_port=$(free_port)
  openssl req -new -x509 -days 2 -nodes -subj "/CN=localhost" \
    -keyout "$WORK/db-key.pem" -out "$WORK/db-cert.pem" >/dev/null 2>&1 && chmod 600 "$WORK/db-key.pem"
  LOCKIN_DB_PORT=$db_port LOCKIN_DB_DIR=$WORK/pgdata LOCKIN_DB_TLS_CERT=$WORK/db-cert.pem LOCKIN_DB_TLS_KEY=$WORK/db-key.pem \
    java -cp "$DEV_CP" app.lockin.dev.Launcher db > "$WORK/db.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 120); do grep -q '^DATABASE_URL=' "$WORK/db.log" && break; sleep 0.5; done
  db_url="$(sed -n 's/^DATABASE_URL=//p' "$WORK/db.log")?sslmode=require"
  mkdir -p "$WORK/devstate"
  token=$(java -Dlockin.home="$WORK/devstate" -cp "$DEV_CP" app.lockin.dev.Launcher token smoke-user 2>/dev/null || true)
  app_port=$(free_port)
  # The operator's edit of the env file: a database, a token issuer, the port.
  # (The dev launcher's issuer stands in for Cognito here.)
  sed -i -e "s|^DATABASE_URL=.*|DATABASE_URL=$db_url|" -e "s|^LOCKIN_PORT=.*|LOCKIN_PORT=$app_port|" \
         -e 's/^COGNITO_/# COGNITO_/' "$S/etc/lockin/lockin.env"
  cat >> "$S/etc/lockin/lockin.env" <<EOF
LOCKIN_JWT_ISSUER=https://lockin.localhost/dev
LOCKIN_JWKS_LOCATION=$WORK/devstate/.lockin/dev-jwks.json
COGNITO_CLIENT_ID=lockin-dev-client
LOCKIN_ARCHIVE_SCHEDULE=off
EOF
  # ... and runs deploy.sh again, which points nginx at the new LOCKIN_PORT
  "$repo/deploy/deploy.sh" --root "$S" > "$WORK/smoke-deploy2.out" 2>&1 \
    || { not_ok "deploy.sh --root, second run"; sed 's/^/        /' "$WORK/smoke-deploy2.out"; }
  # ExecStart as systemd expands it: Environment= defaults, then the env file
  # (quotes stripped), ${VAR} as one word, $VAR split at spaces, %H the host
  # name. Paths of the release and state map into the scratch root.
  declare -A envv=()
  while IFS= read -r line; do
    line=${line#Environment=}; line=${line#\"}; line=${line%\"}
    envv[${line%%=*}]=${line#*=}
  done < <(grep '^Environment=' "$S/etc/systemd/system/lockin.service")
  while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    value=${BASH_REMATCH[2]}; value=${value#[\"\']}; value=${value%[\"\']}
    envv[${BASH_REMATCH[1]}]=$value
  done < "$S/etc/lockin/lockin.env"
  cmd=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$S/etc/systemd/system/lockin.service" | sed 's/^ExecStart=//; s/[[:space:]]*\\$//' | tr -s '\n ' ' ')
  cmd=${cmd//'${LOCKIN_PORT}'/${envv[LOCKIN_PORT]}}
  cmd=${cmd//'${LOCKIN_HTTP_THREADS}'/${envv[LOCKIN_HTTP_THREADS]}}
  cmd=${cmd//'$LOCKIN_JAVA_OPTS'/${envv[LOCKIN_JAVA_OPTS]}}
  cmd=${cmd//%H/$(hostname)}
  cmd=${cmd//\/opt\/lockin/$S/opt/lockin}
  cmd=${cmd//\/var\/lib\/lockin/$S/var/lib/lockin}
  read -ra argv <<<"$cmd"
  env_args=()
  for k in "${!envv[@]}"; do env_args+=("$k=${envv[$k]}"); done
  note "running: ${argv[*]}"
  mkdir -p "$S/var/lib/lockin"
  (cd "$S/var/lib/lockin" && exec env -i PATH=/usr/bin:/bin HOME="$S/var/lib/lockin" "${env_args[@]}" "${argv[@]}") > "$WORK/micro.log" 2>&1 &
  micro_pid=$!
  PIDS+=("$micro_pid")
  ready=0
  for _ in $(seq 180); do
    curl -fs -m 2 "http://127.0.0.1:$app_port/health/ready" >/dev/null 2>&1 && { ready=1; break; }
    kill -0 "$micro_pid" 2>/dev/null || break
    sleep 1
  done
  if (( ready )); then ok "Payara Micro started from the installed files; /health/ready UP on $app_port"; else not_ok "Payara Micro not ready; log tail:"; tail -n 20 "$WORK/micro.log" | sed 's/^/        /'; fi
  host_ip=$(hostname -I 2>/dev/null | awk '{print $1}' || true)
  if [[ -n $host_ip && $host_ip != 127.* ]]; then
    check "the HTTP listener answers on 127.0.0.1 only, not on $host_ip (preboot.asadmin)" \
      bash -c "! curl -s -m 3 -o /dev/null 'http://$host_ip:$app_port/health/live'"
  else
    note "no non-loopback address here: the listener's binding is not checked"
  fi
  check "log lines are JSON (logging.properties)" bash -c "grep -m1 '^{' '$WORK/micro.log' | jq -e .Level >/dev/null"
  # the installed plain-HTTP site in front of it
  ngx=$S/etc/nginx
  mkdir -p "$WORK/smoke-nginx/logs"
  sed -i "s|/var/log/nginx/|$WORK/smoke-nginx/logs/|" "$ngx/conf.d/lockin.conf" "$ngx/snippets/lockin-proxy.conf"
  sp=$(free_port)
  sed -i -e '/listen \[::\]/d' -e "s/listen 80 /listen 127.0.0.1:$sp /" "$ngx/conf.d/lockin.conf"
  cat > "$ngx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/smoke-nginx/nginx.pid;
error_log $WORK/smoke-nginx/logs/error.log;
events { worker_connections 64; }
http {
    client_body_temp_path $WORK/smoke-nginx/tmp-body;
    proxy_temp_path $WORK/smoke-nginx/tmp-proxy;
    fastcgi_temp_path $WORK/smoke-nginx/tmp-fastcgi;
    uwsgi_temp_path $WORK/smoke-nginx/tmp-uwsgi;
    scgi_temp_path $WORK/smoke-nginx/tmp-scgi;
    include conf.d/*.conf;
}
EOF
  NGINX_PIDFILES+=("$WORK/smoke-nginx/nginx.pid")
  if nginx -c "$ngx/nginx.conf" -p "$ngx" 2>"$WORK/smoke-nginx/start.err"; then
    sleep 0.5
    check "nginx upstream is the env file's LOCKIN_PORT ($app_port)" contains "$ngx/conf.d/lockin.conf" "server 127.0.0.1:$app_port "
    check "through nginx: /health/ready 200" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$sp/health/ready")" = 200
    code=$(curl -s -o /dev/null -D "$WORK/smoke-h.txt" -w '%{http_code}' -H 'X-Request-Id: smoke-rid-1' "http://127.0.0.1:$sp/api/me")
    check "through nginx: /api/me without a token 401, X-Request-Id answered" \
      bash -c "[[ $code == 401 ]] && grep -qi '^x-request-id: smoke-rid-1' '$WORK/smoke-h.txt'"
    if [[ -n $token ]]; then
      code=$(curl -s -o "$WORK/me.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'X-Request-Id: smoke-rid-2' "http://127.0.0.1:$sp/api/me")
      check "through nginx: /api/me with a token 200 (database migrated, profile made)" bash -c "[[ $code == 200 ]] && jq -e .id '$WORK/me.json' >/dev/null"
    else
      not_ok "no development token (the dev launcher's token command failed)"
    fi
    # paths Payara's connector refuses without a body (or answers 200 without one: %zz);
    # through nginx each must be a problem+json 4xx
    for hostile in 'a%00b' 'a%5Cb' '%zz' 'a%FFb' '%C0%AF' '..%2F..%2Fetc' '%2e%2e/x' 'a%2'; do
      code=$(curl -s -o "$WORK/hostile.json" -D "$WORK/hostile-h.txt" -w '%{http_code}' --path-as-is \
        -H "Authorization: Bearer $token" "http://127.0.0.1:$sp/api/sessions/$hostile")
      check "through nginx: /api/sessions/$hostile answers $code with a problem" bash -c \
        "[[ $code == 4* ]] && grep -qi '^content-type: application/problem+json' '$WORK/hostile-h.txt' && jq -e '.status == $code' '$WORK/hostile.json' >/dev/null"
    done
    check "the application's database connections use TLS (sslmode=require)" bash -c \
      "[[ \$(psql 'postgresql://postgres@localhost:$db_port/lockin' -tAX -c \"select count(*) from pg_stat_ssl s join pg_stat_activity a using (pid) where a.application_name = 'lockin' and s.ssl\") -gt 0 ]]"
    sleep 0.5
    check "the request id is the same in nginx's and the application's log" \
      bash -c "grep -q '\"request_id\":\"smoke-rid-1\"' '$WORK/smoke-nginx/logs/lockin.access.log' && grep -q 'smoke-rid-1' '$WORK/micro.log'"
  else
    not_ok "nginx did not start in front of the release: $(cat "$WORK/smoke-nginx/start.err")"
  fi
  # systemd's stop: SIGTERM, then up to TimeoutStopSec=30 s
  kill -TERM "$micro_pid" 2>/dev/null || true
  stopped=0
  for _ in $(seq 30); do kill -0 "$micro_pid" 2>/dev/null || { stopped=1; break; }; sleep 1; done
  if (( stopped )); then
    wait "$micro_pid" && code=0 || code=$?
    check "SIGTERM: Payara Micro stops within TimeoutStopSec=30 with exit $code (SuccessExitStatus=143 or 0)" bash -c "[[ $code == 143 || $code == 0 ]]"
  else
    not_ok "SIGTERM: still running after 30 s"
  fi
fi

printf '\ndeploy: %d passed, %d failed\n' "$passed" "$failed"
(( failed == 0 ))
