# shellcheck shell=bash
# 3. the nginx sites (TLS and plain HTTP) as deploy.sh installs them: nginx -t,
# their settings, then served for real in front of a stub backend (redirect,
# TLS, request ids, forwarded headers, body limit, hostile paths, /metrics
# access, Cache-Control, JSON access log), the live-update streams' location
# in front of stand-in instances (events passed on as written, no gzip,
# retried only before an answer), and the limits per client address (requests
# and open streams: 429 problem+json past them, the address a load balancer
# saw, none to choose for a client facing the TLS site; 503 without an instance).

# Installs one site variant with deploy.sh into a scratch root, then writes a
# scratch nginx.conf beside it. The site's relative `include snippets/...`
# resolves there. Log paths move into the scratch directory (nginx -t opens
# them); for serving, the listen ports and the upstream port move to free ones.
# Prints the nginx.conf path.
nginx_root() { # NAME DEPLOY-OPTIONS...
  local name=$1; shift
  local root=$WORK/nginx-$name run=$WORK/nginx-$name.run
  "$REPO/deploy/deploy.sh" --root "$root" --artifacts "$WORK/stub" "$@" > "$WORK/nginx-$name.deploy.out" 2>&1
  move_nginx_logs "$root/etc/nginx" "$run"
  write_nginx_conf "$root/etc/nginx/nginx.conf" "$run" access-log
  echo "$root/etc/nginx/nginx.conf"
}
nginx_test() { nginx -t -q -c "$1" -p "$(dirname "$1")"; }

check_nginx_sites_installed() {
  local out site snippet
  check "deploy.sh --nginx tls installed the TLS site" contains "$(dirname "$TLS_CONF")/conf.d/lockin.conf" "ssl_certificate $WORK/tls.crt;"
  check "deploy.sh --nginx http installed the plain-HTTP site" lacks "$(dirname "$HTTP_CONF")/conf.d/lockin.conf" "ssl_certificate"
  check "TLS site: Mozilla intermediate cipher list (forward-secret AEAD only for TLS 1.2)" contains "$(dirname "$TLS_CONF")/conf.d/lockin.conf" \
    "ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
  if out=$(nginx_test "$TLS_CONF" 2>&1); then ok "nginx -t: TLS site (443 + redirect on 80) with the snippet"; else not_ok "nginx -t TLS site: $out"; fi
  if out=$(nginx_test "$HTTP_CONF" 2>&1); then ok "nginx -t: plain-HTTP site with the snippet"; else not_ok "nginx -t HTTP site: $out"; fi
  site=$(dirname "$TLS_CONF")/conf.d/lockin.conf
  snippet=$(dirname "$TLS_CONF")/snippets/lockin-proxy.conf
  check "site: upstream lockin { server 127.0.0.1:8080 ... }" contains "$site" '^ *server 127.0.0.1:8080 '
  check "site: JSON access log (log_format escape=json)" contains "$site" 'log_format lockin_json escape=json'
  check "snippet: client_max_body_size 1m" contains "$snippet" '^client_max_body_size 1m;'
  check "snippet: proxy_buffering off" contains "$snippet" '^proxy_buffering off;'
  check_stream_location_settings "$snippet"
  check "site: limits per client address (limit_req_zone and limit_conn_zone; limit_req and limit_conn in the server)" \
    bash -c "grep -q '^limit_req_zone \$lockin_client zone=lockin_requests:' '$site' && grep -q '^limit_conn_zone \$lockin_stream_client zone=lockin_streams:' '$site' \
             && grep -q '^ *limit_req zone=lockin_requests burst=120 nodelay;' '$site' && grep -q '^ *limit_conn lockin_streams 40;' '$site'"
  check "snippet: over a limit per address, 429 as problem+json (limit_req_status, limit_conn_status, error_page 429)" \
    bash -c "grep -q '^limit_req_status 429;' '$snippet' && grep -q '^limit_conn_status 429;' '$snippet' && grep -q '^error_page 429 @lockin_429;' '$snippet'"
  check "snippet: X-Forwarded-For/Proto and X-Request-Id to the upstream" \
    bash -c "grep -q 'X-Forwarded-For \$proxy_add_x_forwarded_for' '$snippet' && grep -q 'X-Forwarded-Proto' '$snippet' && grep -q 'X-Request-Id \$lockin_request_id' '$snippet'"
}

# Serves a site for real: ports moved to free ones, a stub backend (an nginx
# server in the same scratch nginx) that answers with what it received.
serve_site() { # NGINX.CONF -> sets P80 P443 PB
  local conf=$1 dir; dir=$(dirname "$conf")
  P80=$(free_port); P443=$(free_port); PB=$(free_port)
  sed -i -e '/listen \[::\]/d' \
         -e "s/listen 443 /listen 127.0.0.1:$P443 /" -e "s/listen 80 /listen 127.0.0.1:$P80 /" \
         -e "s/server 127.0.0.1:8080 /server 127.0.0.1:$PB /" "$dir/conf.d/lockin.conf"
  cat > "$dir/conf.d/zz-backend.conf" <<CONF
server {
    listen 127.0.0.1:$PB;
    location / {
        add_header X-Request-Id "from-backend";
        return 200 "rid=\$http_x_request_id proto=\$http_x_forwarded_proto xff=\$http_x_forwarded_for host=\$http_host uri=\$request_uri\n";
    }
    location /docs/ {
        add_header Cache-Control "no-cache";
        return 200 "docs\n";
    }
}
CONF
  nginx -c "$conf" -p "$dir"
  NGINX_PIDFILES+=("$(pidfile_of "$conf")")
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$P80") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
stop_site() { local f; f=$(pidfile_of "$1"); [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null; sleep 0.3; }

# The TLS site's answers: what reaches the upstream, what the client gets back.
HTTPS=""   # https://127.0.0.1:<port> of the served TLS site
HEADERS="" # the response headers of the last request
status_of() { curl -sk -o /dev/null -w '%{http_code}' "$@"; }
check_tls_redirect_and_headers() {
  local code body rid
  code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$P80/api/me?x=1")
  check "port 80 redirects to HTTPS with the path ($code)" test "$code" = "301 https://127.0.0.1/api/me?x=1"
  body=$(curl -sk -D "$HEADERS" -H 'X-Request-Id: abc-123.test' "$HTTPS/api/me")
  check "HTTPS request reaches the upstream" grep -q '^rid=' <<<"$body"
  check "caller's sane X-Request-Id passed to the upstream" grep -q 'rid=abc-123.test ' <<<"$body"
  check "X-Forwarded-Proto https and X-Forwarded-For to the upstream" grep -q 'proto=https xff=127.0.0.1 ' <<<"$body"
  check "response X-Request-Id is the request's, once" test "$(grep -ic '^x-request-id: abc-123.test' "$HEADERS")/$(grep -ic '^x-request-id:' "$HEADERS")" = "1/1"
  check "HSTS header on HTTPS" grep -qi '^strict-transport-security: max-age=' "$HEADERS"
  body=$(curl -sk -D "$HEADERS" "$HTTPS/api/groups")
  rid=$(sed -n 's/^rid=\([^ ]*\) .*/\1/p' <<<"$body")
  check "no X-Request-Id: nginx makes one (32 hex) and answers it ($rid)" \
    bash -c "[[ '$rid' =~ ^[0-9a-f]{32}$ ]] && grep -qi '^x-request-id: $rid' '$HEADERS'"
  body=$(curl -sk -H 'X-Request-Id: bad id"<x>' "$HTTPS/api/groups")
  check "an unsafe X-Request-Id is replaced by nginx's own" grep -Eq '^rid=[0-9a-f]{32} ' <<<"$body"
}
# a 400 problem+json for PATH (DESCRIPTION), its status line checked by SHAPE
check_refused_path() { # DESCRIPTION PATH HEADER-PATTERN
  local body
  body=$(curl -sk -D "$HEADERS" "$HTTPS/api/sessions/$2")
  check "$1" bash -c "grep -qi '$3' '$HEADERS' && jq -e '.status == 400' <<<'$body' >/dev/null"
}
check_tls_bodies_and_paths() {
  local code body
  head -c 2000000 /dev/zero > "$WORK/2mb.bin"
  code=$(status_of -X POST --data-binary "@$WORK/2mb.bin" -H 'Content-Type: application/json' "$HTTPS/api/groups")
  check "a 2 MB body is refused (413, client_max_body_size 1m): $code" test "$code" = 413
  code=$(status_of -X POST --data '{"name":"x"}' -H 'Content-Type: application/json' "$HTTPS/api/groups")
  check "a small body passes: $code" test "$code" = 200
  check_refused_path "a NUL in the path: nginx's 400 as problem+json" 'a%00b' '^content-type: application/problem+json'
  check_refused_path "an encoded backslash in the path: 400 problem+json" 'a%5Cb' '^HTTP/[0-9.]* 400'
  code=$(status_of "$HTTPS/api/groups/caf%C3%A9%F0%9F%98%80%e2%82%ac?q=%FF%00")
  check "a path of valid percent-encoded UTF-8 (query not checked) reaches the upstream: $code" test "$code" = 200
  check_refused_path "an encoded UTF-16 surrogate (invalid UTF-8) in the path: 400 problem+json" '%ED%A0%80' '^HTTP/[0-9.]* 400'
  body=$(curl -sk -D "$HEADERS" -X POST --data-binary "@$WORK/2mb.bin" -H 'Content-Type: application/json' "$HTTPS/api/groups")
  check "the 413 is problem+json" jq -e '.status == 413' <<<"$body"
  code=$(status_of "$HTTPS/api/groups/$(head -c 20000 /dev/zero | tr '\0' a)")
  check "a 20,000-character path reaches the upstream (large_client_header_buffers 64k): $code" test "$code" = 200
}
# Cache-Control: the upstream's own, else no-store (nginx's own answers, an
# upstream answer without one: the stub sends none but on /docs/), once,
# however the path is spelled.
cache_control_of() { curl -sk --path-as-is -o /dev/null -D - "$@" | tr -d '\r' | sed -n 's/^[Cc]ache-[Cc]ontrol: //p' | paste -sd'|'; }
check_tls_cache_control() {
  local path cc
  for path in /api/me /%61pi/me //api/me /api/./me /API/me /nothing /health/ready; do
    cc=$(cache_control_of "$HTTPS$path")
    check "Cache-Control of $path (the upstream sent none): once, no-store ($cc)" test "$cc" = no-store
  done
  cc=$(cache_control_of "$HTTPS/docs/")
  check "Cache-Control of /docs/: the upstream's own (no-cache), once ($cc)" test "$cc" = no-cache
  cc=$(cache_control_of "$HTTPS/api/sessions/a%00b")
  check "nginx's own 400: no-store ($cc)" test "$cc" = no-store
  cc=$(cache_control_of -X POST --data-binary "@$WORK/2mb.bin" -H 'Content-Type: application/json' "$HTTPS/api/groups")
  check "nginx's own 413: no-store ($cc)" test "$cc" = no-store
}
check_tls_health_and_metrics() {
  local path code
  check "/health/ready proxied" grep -q 'uri=/health/ready' <<<"$(curl -sk "$HTTPS/health/ready")"
  check "/metrics from this host: proxied (200)" test "$(status_of "$HTTPS/metrics")" = 200
  check "/metrics through a load balancer (X-Forwarded-For): 403" \
    test "$(status_of -H 'X-Forwarded-For: 203.0.113.9' "$HTTPS/metrics")" = 403
  # a Java server reads these as /metrics (a path parameter after ..), nginx as other paths
  for path in '/x/..;/metrics' '/api/..;/metrics' '/x/..%3B/metrics' '/x/..%3b/metrics' '/health/..;/metrics' '/metrics;x'; do
    code=$(status_of --path-as-is -H 'X-Forwarded-For: 203.0.113.9' "$HTTPS$path")
    check "$path through a load balancer: refused ($code), never proxied" bash -c "[[ $code == 400 || $code == 403 ]]"
  done
  check "/x/..;/metrics: the 400 is problem+json" \
    jq -e '.status == 400' <<<"$(curl -sk --path-as-is "$HTTPS/x/..;/metrics")"
}
check_tls_access_log() {
  local logs=$WORK/nginx-tls.run/logs
  curl -sk -o /dev/null -H 'X-Request-Id: log-check-1' -A 'agent "quoted"' "$HTTPS/api/me?q=%22"
  sleep 0.3
  grep -F '"log-check-1"' "$logs/lockin.access.log" | tail -n 1 > "$WORK/line.json" || true
  check "access log: one JSON object per request" jq -e . "$WORK/line.json"
  check "access log fields: request_id, status (number), method, uri, request_time, upstream_status" \
    jq -e '.request_id == "log-check-1" and .status == 200 and .method == "GET" and (.uri | startswith("/api/me"))
           and (.request_time | type == "number") and .upstream_status == "200" and (.user_agent | contains("quoted"))' "$WORK/line.json"
  note "a line: $(cat "$WORK/line.json")"
  check "health checks are not logged" bash -c "! grep -q '/health/ready' '$logs/lockin.access.log'"
  check "every access log line is JSON" bash -c "jq -e . '$logs/lockin.access.log' >/dev/null"
}
check_tls_site_served() {
  if ! serve_site "$TLS_CONF"; then
    not_ok "nginx did not start with the TLS site: $(tail -n 5 "$WORK/nginx-tls.run/logs/error.log" 2>/dev/null)"
    return 0
  fi
  ok "nginx serves the TLS site (127.0.0.1:$P443, redirect on $P80, stub backend on $PB)"
  HTTPS=https://127.0.0.1:$P443
  HEADERS=$WORK/h.txt
  check_tls_redirect_and_headers
  check_tls_bodies_and_paths
  check_tls_cache_control
  check_tls_health_and_metrics
  check_tls_access_log
  stop_site "$TLS_CONF"
}
check_http_site_served() {
  local body
  if ! serve_site "$HTTP_CONF"; then
    not_ok "nginx did not start with the plain-HTTP site: $(tail -n 5 "$WORK/nginx-http.run/logs/error.log" 2>/dev/null)"
    return 0
  fi
  ok "nginx serves the plain-HTTP site (127.0.0.1:$P80)"
  body=$(curl -s -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 198.51.100.7' "http://127.0.0.1:$P80/api/me")
  check "behind a load balancer: its X-Forwarded-Proto kept, X-Forwarded-For extended" grep -q 'proto=https xff=198.51.100.7, 127.0.0.1 ' <<<"$body"
  body=$(curl -s "http://127.0.0.1:$P80/api/me")
  check "without a load balancer: X-Forwarded-Proto http" grep -q 'proto=http ' <<<"$body"
  stop_site "$HTTP_CONF"
}
# --- the live-update streams (GET /api/groups/<id>/progress/stream, /api/me/stream) ---
# The settings of their location in the snippet (the block of the location
# whose path regex names /stream$).
stream_location() { sed -n '/^location ~ .*\/stream\$"* {/,/^}/p' "$1"; }
check_stream_location_settings() { # SNIPPET
  local block=$WORK/stream-location.conf read_timeout
  stream_location "$1" > "$block"
  check "snippet: a location for the streams, /api/groups/<id>/progress/stream and /api/me/stream" test -s "$block"
  check "stream location: proxy_buffering off, X-Accel-Buffering ignored, gzip off" \
    bash -c "grep -q 'proxy_buffering off;' '$block' && grep -q 'proxy_ignore_headers X-Accel-Buffering;' '$block' && grep -q 'gzip off;' '$block'"
  read_timeout=$(sed -n 's/^ *proxy_read_timeout \([0-9]*\)s;/\1/p' "$block")
  check "stream location: proxy_read_timeout ${read_timeout:-?}s, above two of the contract's longest ping interval (2 x 20 s)" \
    test "${read_timeout:-0}" -gt 40
  # shellcheck disable=SC2016 # nginx's $request_uri, matched literally
  check "stream location: the same path check as the others" contains_fixed "$block" 'if ($request_uri !~* "^(?>[^%?;]'
  check "stream location: no add_header/proxy_set_header of its own (the server level's are inherited)" \
    bash -c "! grep -Eq 'add_header|proxy_set_header' '$block'"
}

# A stand-in instance: answers a request for a stream with text/event-stream, chunked
# (so a connection cut mid-answer is an error, not an end), with the header
# X-Accel-Buffering: yes (which the location ignores), and logs each request
# line to LOG. ?mode=slow: event "one", 3 s later event "two", end;
# ?mode=503 (not a stream, first only): the application's 503;
# ?mode=drop: event "one", then the connection is cut; ?mode=500: a 500 from
# the first stand-in (as Payara Micro answers for a moment while it stops).
# Any other path: 200 "ok" at once.
write_stream_standin() { # FILE
  cat > "$1" <<'PY'
import socket, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port, log, first = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "first"
class Standin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def chunk(self, text):
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data)); self.wfile.flush()
    def event(self, name):
        self.chunk("event: %s\nid: %s\ndata: {\"from\":%d,\"at\":%.3f}\n\n" % (name, name, port, time.time()))
    def do_GET(self):
        with open(log, "a") as f: f.write("%d %s\n" % (port, self.path))
        if "/stream" not in self.path and "mode=503" in self.path and first:
            self.send_response(503); self.send_header("Content-Length", "0"); self.end_headers(); return
        if "/stream" not in self.path:
            self.send_response(200); self.send_header("Content-Length", "3"); self.end_headers(); self.wfile.write(b"ok\n"); return
        if "mode=500" in self.path and first:
            self.send_response(500); self.send_header("Content-Length", "0"); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Accel-Buffering", "yes")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.event("one")
        if "mode=drop" in self.path:
            self.connection.shutdown(socket.SHUT_RDWR); return
        time.sleep(3)
        self.event("two")
        self.chunk("")
ThreadingHTTPServer(("127.0.0.1", port), Standin).serve_forever()
PY
}
start_stream_standin() { # PORT LOG first|second
  python3 "$WORK/stream-standin.py" "$1" "$2" "$3" > "$WORK/stream-standin-$1.out" 2>&1 &
  PIDS+=($!)
  STANDIN_PIDS+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
STANDIN_PIDS=()
# The plain-HTTP site with its upstreams (lockin, lockin_event_streams) made of two
# stand-ins with the site's own parameters, the second a backup (so every
# request goes to the first, and to the second only when nginx passes it on or
# the first is marked down), and gzip turned on for every type in nginx.conf,
# as an operator might.
serve_stream_site() { # NGINX.CONF -> sets STREAM_PORT STANDIN_A STANDIN_B
  local conf=$1 dir; dir=$(dirname "$conf")
  STREAM_PORT=$(free_port); STANDIN_A=$(free_port); STANDIN_B=$(free_port)
  sed -i -e '/listen \[::\]/d' -e "s/listen 80 /listen 127.0.0.1:$STREAM_PORT /" \
         -e "s/^\( *\)server 127.0.0.1:8080\( [^;]*\);/\1server 127.0.0.1:$STANDIN_A\2;\n\1server 127.0.0.1:$STANDIN_B backup;/" \
         "$dir/conf.d/lockin.conf"
  sed -i 's|^    include conf.d/\*.conf;|    gzip on; gzip_types *; gzip_min_length 1;\n&|' "$conf"
  write_stream_standin "$WORK/stream-standin.py"
  : > "$WORK/stream-requests.log"
  start_stream_standin "$STANDIN_A" "$WORK/stream-requests.log" first && start_stream_standin "$STANDIN_B" "$WORK/stream-requests.log" second || return 1
  nginx -c "$conf" -p "$dir" || return 1
  NGINX_PIDFILES+=("$(pidfile_of "$conf")")
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$STREAM_PORT") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
check_stream_served() {
  local base early=$WORK/stream-early.out out=$WORK/stream.out headers=$WORK/stream-h.txt code client
  if ! serve_stream_site "$STREAM_CONF"; then
    not_ok "nginx with the stream stand-ins did not start: $(tail -n 5 "$WORK/nginx-stream.run/logs/error.log" 2>/dev/null)"
    return 0
  fi
  ok "nginx serves the plain-HTTP site in front of two stand-in instances (127.0.0.1:$STREAM_PORT; upstream $STANDIN_A, backup $STANDIN_B)"
  base=http://127.0.0.1:$STREAM_PORT
  # an event written, 3 s of silence, another: the first must be at the client
  # before the second is written. (nginx 1.22 passed such a small event on at
  # once even with proxy_buffering on; gzip is what held it back until the
  # end, so that is what this catches. The buffering settings are checked in
  # the snippet's text above.)
  curl -sN -m 10 -D "$headers" -H 'Accept-Encoding: gzip' -H 'X-Request-Id: stream-1' \
    "$base/api/groups/g-1/progress/stream?mode=slow" > "$out" 2>/dev/null &
  client=$!
  sleep 1.5
  cp "$out" "$early"
  wait "$client" || true
  check "a stream is passed on as written: event 'one' at the client 1.5 s in, before 'two' is written (3 s)" \
    bash -c "grep -q '^event: one' '$early' && ! grep -q '^event: two' '$early' && grep -q '^event: two' '$out'"
  check "the stream is not gzipped (gzip on for all types in nginx.conf, the client accepting gzip)" \
    bash -c "grep -qi '^content-type: text/event-stream' '$headers' && ! grep -qi '^content-encoding' '$headers'"
  check "the stream's answer: the request id (inherited add_header), no X-Accel-Buffering passed on" \
    bash -c "grep -qi '^x-request-id: stream-1' '$headers' && ! grep -qi '^x-accel-buffering' '$headers'"
  curl -sN -m 10 "$base/api/me/stream?mode=drop" > "$out" 2>/dev/null || true
  sleep 0.3
  check "an instance that cuts a stream it started: the client has what was sent, and nginx does not retry it elsewhere" \
    bash -c "grep -q '^event: one' '$out' && grep -q '^$STANDIN_A /api/me/stream?mode=drop' '$WORK/stream-requests.log' && ! grep -q '^$STANDIN_B /api/me/stream?mode=drop' '$WORK/stream-requests.log'"
  code=$(curl -sN -m 10 -o "$out" -w '%{http_code}' "$base/api/me/stream?mode=500" || true)
  check "an instance answering 500 before the stream starts (Payara while it stops): the stream is opened on the other one ($code)" \
    bash -c "[[ $code == 200 ]] && grep -q '\"from\":$STANDIN_B' '$out' && grep -q '^$STANDIN_A /api/me/stream?mode=500' '$WORK/stream-requests.log'"
  curl -s -m 10 -o /dev/null "$base/api/me?after-a-refused-stream" || true
  check "the first instance refused a stream: the API's next request still goes to it (upstream lockin_event_streams apart from lockin)" \
    grep -q "^$STANDIN_A /api/me?after-a-refused-stream" "$WORK/stream-requests.log"
  curl -sN -m 10 -o /dev/null "$base/api/me/stream?mode=slow&after-a-refused-stream" || true
  check "the first instance refused a stream: the next stream still goes to it (no failure accounting for streams: nginx clears one only when a request ends)" \
    grep -q "^$STANDIN_A /api/me/stream?mode=slow&after-a-refused-stream" "$WORK/stream-requests.log"
  code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$base/api/me?mode=503" || true)
  curl -s -m 10 -o /dev/null "$base/api/me?after-a-503" || true
  check "an instance's own 503 (its database unavailable) reaches the client ($code), is not tried on the other instance, and does not take the instance out" \
    bash -c "[[ $code == 503 ]] && ! grep -q '^$STANDIN_B /api/me?mode=503' '$WORK/stream-requests.log' && grep -q '^$STANDIN_A /api/me?after-a-503' '$WORK/stream-requests.log'"
  kill "${STANDIN_PIDS[0]}" 2>/dev/null; wait "${STANDIN_PIDS[0]}" 2>/dev/null || true
  code=$(curl -sN -m 10 -o "$out" -w '%{http_code}' "$base/api/me/stream?mode=slow" || true)
  check "an instance that is gone (connection refused): the stream is opened on the other one ($code)" \
    bash -c "[[ $code == 200 ]] && grep -q '\"from\":$STANDIN_B' '$out' && grep -q '^$STANDIN_B /api/me/stream?mode=slow' '$WORK/stream-requests.log'"
  code=$(curl -s -o "$out" -D "$headers" -w '%{http_code}' "$base/api/groups/a%00b/progress/stream")
  check "a NUL in a stream's path: nginx's 400 as problem+json ($code)" \
    bash -c "[[ $code == 400 ]] && grep -qi '^content-type: application/problem+json' '$headers'"
  stop_site "$STREAM_CONF"
}

# --- the limits per client address (limit_req, limit_conn) -----------------------------
# The plain-HTTP site installed with small limits (--limit-rate 1
# --limit-burst 3 --limit-streams 1) in front of the stand-ins.
check_limits_served() {
  local base out=$WORK/limits.out headers=$WORK/limits-h.txt code codes stream
  if ! serve_stream_site "$LIMITS_CONF"; then
    not_ok "nginx with small limits did not start: $(tail -n 5 "$WORK/nginx-limits.run/logs/error.log" 2>/dev/null)"
    return 0
  fi
  ok "nginx serves the plain-HTTP site installed with --limit-rate 1 --limit-burst 3 --limit-streams 1 (127.0.0.1:$STREAM_PORT)"
  base=http://127.0.0.1:$STREAM_PORT
  # one address, one stream open (3 s): the next stream is refused, other requests are not
  curl -sN -m 10 -o "$WORK/limits-stream-1.out" "$base/api/me/stream?mode=slow" 2>/dev/null &
  stream=$!
  sleep 0.5
  code=$(curl -s -o "$out" -D "$headers" -w '%{http_code}' "$base/api/groups/g-1/progress/stream?mode=slow")
  check "a second open stream from one address: 429 problem+json saying so, Retry-After 10 ($code)" bash -c \
    "[[ $code == 429 ]] && grep -qi '^content-type: application/problem+json' '$headers' && grep -Eqi '^retry-after: 10[^0-9]' '$headers' \
     && jq -e '.status == 429 and (.detail | contains(\"streams\"))' '$out' >/dev/null"
  check "... with the request id, Cache-Control: no-store" bash -c "grep -Eqi '^x-request-id: [0-9a-f]{32}' '$headers' && grep -qi '^cache-control: no-store' '$headers'"
  code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$base/%61pi/me/stream?mode=slow")
  check "a stream's path spelled otherwise (/%61pi/me/stream) counts as a stream too ($code)" test "$code" = 429
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/me")
  check "meanwhile a request that is no stream passes ($code)" test "$code" = 200
  wait "$stream" || true
  check "the open stream was served whole meanwhile" grep -q '^event: two' "$WORK/limits-stream-1.out"
  # requests, from a client behind a load balancer (a fresh allowance): 1 + 3
  # at once, then 429 until the rate (1 a second) gives one back
  codes=""
  for _ in 1 2 3 4 5 6; do codes+="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.20' "$base/api/groups") "; done
  check "requests from one address: four at once pass, the next are 429 ($codes)" bash -c "[[ '$codes' == '200 200 200 200 429 429 ' ]]"
  code=$(curl -s -o "$out" -D "$headers" -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.20' "$base/api/groups")
  check "over the request limit: 429 problem+json saying so, Retry-After 1, request id, no-store ($code)" bash -c \
    "[[ $code == 429 ]] && grep -qi '^content-type: application/problem+json' '$headers' && grep -Eqi '^retry-after: 1[^0-9]' '$headers' \
     && grep -Eqi '^x-request-id: [0-9a-f]{32}' '$headers' && grep -qi '^cache-control: no-store' '$headers' \
     && jq -e '.status == 429 and (.detail | contains(\"requests\"))' '$out' >/dev/null"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.7' "$base/api/groups")
  check "behind a load balancer (a private peer): another client's address (X-Forwarded-For) has its own allowance ($code)" test "$code" = 200
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.8, 198.51.100.20' "$base/api/groups")
  check "... the address the load balancer saw counts (the last of X-Forwarded-For), not what the client wrote before it ($code)" test "$code" = 429
  sleep 0.3
  check "nginx's 429s are in the access log" bash -c "grep -q '\"status\":429' '$WORK/nginx-limits.run/logs/lockin.access.log'"
  # no instance at all: 503 (the status the body says), problem+json
  kill "${STANDIN_PIDS[@]: -2}" 2>/dev/null; wait "${STANDIN_PIDS[@]: -2}" 2>/dev/null || true
  code=$(curl -s -o "$out" -D "$headers" -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.9' "$base/api/me")
  check "no instance answers: 503 problem+json, as its body says ($code)" bash -c \
    "[[ $code == 503 ]] && grep -qi '^content-type: application/problem+json' '$headers' && jq -e '.status == 503' '$out' >/dev/null"
  stop_site "$LIMITS_CONF"
}
# The TLS site faces its clients: the key is the connection's address, and an
# X-Forwarded-For a client writes changes nothing.
check_limits_tls_served() {
  local codes xff
  if ! serve_site "$LIMITS_TLS_CONF"; then
    not_ok "nginx with the TLS site and small limits did not start: $(tail -n 5 "$WORK/nginx-limits-tls.run/logs/error.log" 2>/dev/null)"
    return 0
  fi
  codes=""
  for xff in 198.51.100.1 198.51.100.2 198.51.100.3 198.51.100.4; do
    codes+="$(curl -sk -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $xff" "https://127.0.0.1:$P443/api/me") "
  done
  check "TLS site (--limit-rate 1 --limit-burst 1): a client's own X-Forwarded-For gives it no other allowance ($codes)" \
    bash -c "[[ '$codes' == '200 200 429 429 ' ]]"
  stop_site "$LIMITS_TLS_CONF"
}

checks_nginx() {
  make_fixtures
  TLS_CONF=$(nginx_root tls --nginx tls --cert "$WORK/tls.crt" --key "$WORK/tls.key" --server-name lockin.test)
  HTTP_CONF=$(nginx_root http --nginx http)
  STREAM_CONF=$(nginx_root stream --nginx http)
  LIMITS_CONF=$(nginx_root limits --nginx http --limit-rate 1 --limit-burst 3 --limit-streams 1)
  LIMITS_TLS_CONF=$(nginx_root limits-tls --nginx tls --cert "$WORK/tls.crt" --key "$WORK/tls.key" --limit-rate 1 --limit-burst 1)
  check_nginx_sites_installed
  check_tls_site_served
  check_http_site_served
  check_limits_tls_served
  if command -v python3 >/dev/null 2>&1; then
    check_stream_served
    check_limits_served
  else
    skip "the streams through nginx (stand-in instances)" "python3 not installed"
    skip "the limits per client address through nginx (stand-in instances)" "python3 not installed"
  fi
}
