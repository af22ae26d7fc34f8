# shellcheck shell=bash disable=SC2154 # globals of deploy.sh: set in one file, read in another
# Step 7: the nginx site: TLS or plain HTTP, the installed site's name,
# certificate and limits per client address kept on an upgrade, the
# distribution's default server disabled; nginx reloaded only when something
# changed, and only if nginx -t accepts it.

SITE=/etc/nginx/conf.d/lockin.conf
site_setting() { sed -n "s/^[[:space:]]*$1[[:space:]]\{1,\}\([^;]*\);.*/\1/p" "$2" | head -n 1; }   # NAME FILE
# An upgrade keeps what the installed site says, unless options say otherwise.
# Sets INSTALLED_TLS.
keep_installed_site_settings() {
  local installed_site old_name old_cert old_key old_rate old_burst old_streams
  installed_site=$(t "$SITE")
  INSTALLED_TLS=0
  [[ -f $installed_site ]] || return 0
  old_name=$(site_setting server_name "$installed_site")
  old_cert=$(site_setting ssl_certificate "$installed_site")
  old_key=$(site_setting ssl_certificate_key "$installed_site")
  [[ -n $old_cert ]] && INSTALLED_TLS=1
  if [[ $GIVEN != *" name "* && -n $old_name && $old_name != "$SERVER_NAME" ]]; then SERVER_NAME=$old_name; say "server_name $SERVER_NAME (as installed)"; fi
  if [[ $GIVEN != *" cert "* && -n $old_cert && $old_cert != "$CERT" ]]; then CERT=$old_cert; say "certificate $CERT (as installed)"; fi
  if [[ $GIVEN != *" key "* && -n $old_key && $old_key != "$KEY" ]]; then KEY=$old_key; say "certificate key $KEY (as installed)"; fi
  old_rate=$(sed -n 's/^limit_req_zone .* rate=\([0-9]\{1,\}\)r\/s;.*/\1/p' "$installed_site" | head -n 1)
  old_burst=$(sed -n 's/^[[:space:]]*limit_req zone=lockin_requests burst=\([0-9]\{1,\}\) .*/\1/p' "$installed_site" | head -n 1)
  old_streams=$(sed -n 's/^[[:space:]]*limit_conn lockin_streams \([0-9]\{1,\}\);.*/\1/p' "$installed_site" | head -n 1)
  if [[ $GIVEN != *" rate "* && -n $old_rate && $old_rate != "$LIMIT_RATE" ]]; then LIMIT_RATE=$old_rate; say "limit: $LIMIT_RATE requests a second per address (as installed)"; fi
  if [[ $GIVEN != *" burst "* && -n $old_burst && $old_burst != "$LIMIT_BURST" ]]; then LIMIT_BURST=$old_burst; say "limit: $LIMIT_BURST requests at once per address (as installed)"; fi
  if [[ $GIVEN != *" streams "* && -n $old_streams && $old_streams != "$LIMIT_STREAMS" ]]; then LIMIT_STREAMS=$old_streams; say "limit: $LIMIT_STREAMS open streams per address (as installed)"; fi
  return 0
}
# --nginx auto: TLS when the certificate is there; never a silent fall back to
# plain HTTP on an upgrade. Sets SITE_SOURCE.
choose_site() {
  if [[ $NGINX_MODE == auto ]]; then
    if [[ -f $(t "$CERT") && -f $(t "$KEY") ]]; then
      NGINX_MODE=tls; say "certificate $CERT found: TLS site"
    elif (( INSTALLED_TLS )); then
      die "the installed site serves TLS with $CERT, which is not there: fix the certificate, give --cert/--key, or choose --nginx http"
    else
      NGINX_MODE=http; say "no certificate at $CERT (yet): plain-HTTP site; run again once it is there (docs/PRODUCTION.md, 8. TLS)"
    fi
  fi
  [[ $NGINX_MODE == http || -f $(t "$CERT") || $DRY_RUN -eq 1 || -n $ROOT ]] \
    || die "--nginx tls: no certificate at $CERT (see docs/PRODUCTION.md, 8. TLS)"
  SITE_SOURCE=$here/nginx/lockin-http.conf
  [[ $NGINX_MODE == tls ]] && SITE_SOURCE=$here/nginx/lockin.conf
  return 0
}
# The settings of the site file: server name, certificate paths, upstream
# port, limits per client address.
render_site() {
  sed -e "s|^\([[:space:]]*server_name\) _;|\1 $SERVER_NAME;|" \
      -e "s|^\(limit_req_zone .* rate=\)30r/s;|\1${LIMIT_RATE}r/s;|" \
      -e "s|^\([[:space:]]*limit_req zone=lockin_requests burst=\)120 |\1$LIMIT_BURST |" \
      -e "s|^\([[:space:]]*limit_conn lockin_streams\) 40;|\1 $LIMIT_STREAMS;|" \
      -e "s|^\([[:space:]]*ssl_certificate\) /etc/lockin/tls/fullchain.pem;|\1 $CERT;|" \
      -e "s|^\([[:space:]]*ssl_certificate_key\) /etc/lockin/tls/privkey.pem;|\1 $KEY;|" \
      -e "s|^\([[:space:]]*server\) 127.0.0.1:8080\([ ;]\)|\1 127.0.0.1:$PORT\2|" \
      "$SITE_SOURCE"
}
# Installs the snippet and the site; the site being replaced is kept, to put it
# back if nginx -t refuses the new one. Sets SNIPPET_ACTION, SITE_ACTION,
# SITE_INSTALL_ACTION and SITE_BACKUP.
install_site() {
  local site_target
  install_rendered /etc/nginx/snippets/lockin-proxy.conf 644 cat "$here/nginx/lockin-proxy.conf"
  SNIPPET_ACTION=$LAST_ACTION
  site_target=$(t "$SITE")
  SITE_BACKUP=0
  if [[ -f $site_target ]] && ! cmp -s <(render_site) "$site_target"; then
    run cp -p "$site_target" "$site_target.previous"
    SITE_BACKUP=1
  fi
  install_rendered "$SITE" 644 render_site
  say "variant: $NGINX_MODE ($(basename "$SITE_SOURCE")), server_name $SERVER_NAME, upstream 127.0.0.1:$PORT"
  say "limits per client address: $LIMIT_RATE requests a second ($LIMIT_BURST at once), $LIMIT_STREAMS open streams"
  SITE_ACTION=$LAST_ACTION
  SITE_INSTALL_ACTION=$LAST_ACTION
  ensure_dir /var/www/letsencrypt 755
}
# The distribution's own default server would take port 80 from ours.
disable_default_servers() {
  local main_conf
  if [[ -L $(t /etc/nginx/sites-enabled/default) ]]; then
    say "disabling Debian/Ubuntu's default site (its server on port 80 is the default_server)"
    run rm -f "$(t /etc/nginx/sites-enabled/default)"
    CHANGES+=("removed: /etc/nginx/sites-enabled/default (a link; the site stays in sites-available)")
    SITE_ACTION=replaced
  fi
  main_conf=$(t /etc/nginx/nginx.conf)
  if [[ -f $main_conf ]] && grep -Eq '^[[:space:]]*listen[[:space:]].*default_server' "$main_conf"; then
    say "nginx.conf declares its own default_server: removing that word (copy kept as nginx.conf.lockin-orig)"
    [[ -f $main_conf.lockin-orig ]] || run cp -p "$main_conf" "$main_conf.lockin-orig"
    run sed -i -E 's/^([[:space:]]*listen[[:space:]].*)[[:space:]]+default_server/\1/' "$main_conf"
    CHANGES+=("edited: /etc/nginx/nginx.conf (default_server)")
    SITE_ACTION=replaced
  fi
  return 0
}
# SELinux enforcing (RHEL-family hosts; AL2023 ships it permissive): nginx
# may not open connections to the upstream without this boolean.
allow_selinux_upstream() {
  if [[ -z $ROOT ]] && command -v getenforce >/dev/null 2>&1 && [[ $(getenforce 2>/dev/null) == Enforcing ]] \
     && [[ $(getsebool httpd_can_network_connect 2>/dev/null) != *on ]]; then
    say "SELinux is enforcing: letting nginx connect to the upstream"
    system setsebool -P httpd_can_network_connect 1
    CHANGES+=("SELinux boolean httpd_can_network_connect on")
  fi
  return 0
}
# nginx -t, the previous site put back when it refuses the new one
test_nginx_config() {
  local nginx_out site_target
  if [[ -n $ROOT ]]; then
    say "skipped (--root): nginx -t"; return 0
  elif (( DRY_RUN )); then
    say "would run: nginx -t (and put the previous site back if it fails)"; return 0
  fi
  if nginx_out=$(nginx -t 2>&1); then
    say "nginx -t: configuration OK"; return 0
  fi
  printf '%s\n' "$nginx_out" | sed 's/^/    nginx -t: /'
  site_target=$(t "$SITE")
  if (( SITE_BACKUP )); then mv -f "$site_target.previous" "$site_target"; say "put the previous site back"
  elif [[ $SITE_INSTALL_ACTION == created ]]; then rm -f "$site_target"; say "removed the new site again"; fi
  die "nginx -t refused the configuration (above); nginx keeps running the old one"
}
reload_nginx() {
  if [[ $SNIPPET_ACTION != unchanged || $SITE_ACTION != unchanged ]]; then
    test_nginx_config
    system systemctl enable nginx
    system systemctl reload-or-restart nginx
  else
    say "nginx configuration unchanged: no reload"
    system systemctl enable nginx
  fi
}
configure_nginx() {
  step "nginx site"
  if [[ $NGINX_MODE == none ]]; then
    say "skipped (--nginx none)"; return 0
  fi
  keep_installed_site_settings
  choose_site
  install_site
  disable_default_servers
  allow_selinux_upstream
  reload_nginx
}
