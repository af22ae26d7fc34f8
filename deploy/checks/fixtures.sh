# shellcheck shell=bash
# What several groups use: a self-signed certificate, stub artifacts for
# deploy.sh, and a scratch nginx.conf for a site installed under a scratch root.

# A zip archive is all deploy.sh asks of the artifacts here.
stub() { printf 'PK\003\004 LockIN test stub %s\n' "$2" > "$1"; }   # FILE LABEL

# $WORK/tls.{crt,key} and the stub artifacts in $WORK/stub (made once)
make_fixtures() {
  [[ -f $WORK/tls.crt ]] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=lockin.test" \
    -keyout "$WORK/tls.key" -out "$WORK/tls.crt" >/dev/null 2>&1
  chmod 644 "$WORK/tls.key" "$WORK/tls.crt"
  ok "self-signed certificate for the TLS server (openssl)"
  mkdir -p "$WORK/stub"
  stub "$WORK/stub/payara-micro.jar" jar-1
  stub "$WORK/stub/lockin.war" war-1
}

# An nginx.conf that includes conf.d/ as the distributions' nginx.conf does,
# with its pid, logs and temporary files in RUN (and its access log there too
# with "access-log").
write_nginx_conf() { # FILE RUN [access-log]
  local access_log=""
  [[ ${3:-} == access-log ]] && access_log="    access_log $2/logs/access.log;"$'\n'
  cat > "$1" <<CONF
worker_processes 1;
pid $2/nginx.pid;
error_log $2/logs/error.log;
events { worker_connections 64; }
http {
    client_body_temp_path $2/tmp-body;
    proxy_temp_path $2/tmp-proxy;
    fastcgi_temp_path $2/tmp-fastcgi;
    uwsgi_temp_path $2/tmp-uwsgi;
    scgi_temp_path $2/tmp-scgi;
${access_log}    include conf.d/*.conf;
}
CONF
}
# The site and snippet installed under an nginx directory log into RUN/logs.
move_nginx_logs() { # NGINX-DIR RUN
  mkdir -p "$2/logs"
  sed -i "s|/var/log/nginx/|$2/logs/|" "$1/conf.d/lockin.conf" "$1/snippets/lockin-proxy.conf"
}
