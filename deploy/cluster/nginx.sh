# shellcheck shell=bash disable=SC2034 # globals of cluster-test.sh: set in one step, read in another
# nginx in front of both instances with the real site of deploy/nginx (URL
# NGINX): the site must take both instances as its upstream and nginx start.

# deploy/nginx/lockin-http.conf and its snippet as deploy.sh installs them, with
# both instances in the upstream, this run's port and log paths, a header of
# this test's own: X-Lockin-Upstream, the instance(s) nginx passed to, and the
# limits per client address out of the way: every client of this test is
# 127.0.0.1 (deploy/test.sh checks those limits). NGINX_WORKER_CONNECTIONS: more
# than the test's 512 (./lockin soak holds 2,000 streams: two connections each).
start_nginx() {
  mkdir -p "$WORK/nginx/conf.d" "$WORK/nginx/snippets" "$WORK/nginx/logs"
  # shellcheck disable=SC2016 # nginx's $upstream_addr
  sed -e '/listen \[::\]/d' -e "s/listen 80 default_server;/listen 127.0.0.1:$PROXY default_server;/" \
      -e "s|^\( *\)server 127.0.0.1:8080 \(.*\)|\1server 127.0.0.1:$PORT_A \2\n\1server 127.0.0.1:$PORT_B \2|" \
      -e 's|^\( *\)include snippets/lockin-proxy.conf;|\1add_header X-Lockin-Upstream $upstream_addr always;\n&|' \
      -e 's|^\(limit_req_zone .* rate=\)30r/s;|\1100000r/s;|' -e 's|burst=120 nodelay;|burst=100000 nodelay;|' \
      -e 's|^\( *limit_conn lockin_streams\) 40;|\1 65535;|' \
      -e "s|/var/log/nginx/|$WORK/nginx/logs/|" deploy/nginx/lockin-http.conf > "$WORK/nginx/conf.d/lockin.conf"
  sed "s|/var/log/nginx/|$WORK/nginx/logs/|" deploy/nginx/lockin-proxy.conf > "$WORK/nginx/snippets/lockin-proxy.conf"
  cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile $(( 2 * ${NGINX_WORKER_CONNECTIONS:-512} + 64 ));
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections ${NGINX_WORKER_CONNECTIONS:-512}; }
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
  grep -q "lockin_streams 65535;" "$WORK/nginx/conf.d/lockin.conf" || fail "the site's limits per address were not raised for this test's one address"
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" || fail "nginx did not start (see $WORK/nginx/logs/error.log)"
  for _ in $(seq 20); do curl -fs "http://127.0.0.1:$PROXY/health/ready" >/dev/null && break; sleep 0.5; done
  check "nginx on $PROXY (the site of deploy/nginx, with its stream location) balances both instances"
  NGINX=http://127.0.0.1:$PROXY
}
