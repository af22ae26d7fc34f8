# shellcheck shell=bash
# 4. deploy.sh --root: refusals, first install, upgrade (env file kept), no-op
# re-run, the limits per address (options, kept on upgrade), TLS switch;
# --dry-run writes nothing (in a scratch root and on /).

# A copy of the repository's deploy files with a "build" in lockin-web/target,
# so deploy.sh finds the artifacts the way it does in a checkout.
make_fake_repo() {
  FAKE=$WORK/repo
  mkdir -p "$FAKE/lockin-web/target"
  cp -r deploy "$FAKE/deploy"
  cp .env.example "$FAKE/.env.example"
}
deploy() { "$FAKE/deploy/deploy.sh" "$@"; }
# deploy.sh ARGS... into OUT: ok DESCRIPTION when it exits 0, else FAIL with its output
deploy_ok() { # DESCRIPTION FAILURE OUT ARGS...
  local d=$1 f=$2 out=$3; shift 3
  if deploy "$@" > "$out" 2>&1; then ok "$d"; else not_ok "$f"; indent "$out"; fi
}
snapshot() { # every file and directory under $1: path, mode, size, mtime, content hash
  [[ -e $1 ]] || { echo "(absent)"; return; }
  find "$1" -printf '%P %m %s %T@ %y\n' | sort
  find "$1" -type f -exec sha256sum {} + | sort
}
INSTALLED_FILES=(etc etc/lockin etc/lockin/lockin.env etc/nginx etc/nginx/conf.d etc/nginx/conf.d/lockin.conf etc/nginx/snippets
  etc/nginx/snippets/lockin-proxy.conf etc/systemd etc/systemd/system etc/systemd/system/lockin.service opt opt/lockin
  opt/lockin/defaults.env opt/lockin/lockin.war opt/lockin/logging.properties opt/lockin/payara-micro.jar opt/lockin/postdeploy.asadmin opt/lockin/preboot.asadmin opt/lockin/previous
  var var/www var/www/letsencrypt)

check_refusals() {
  local r0=$WORK/root-refused
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
}
check_first_install() {
  local out=$WORK/run1.out
  stub "$FAKE/lockin-web/target/payara-micro.jar" jar-1
  stub "$FAKE/lockin-web/target/lockin.war" war-1
  cp "$FAKE/lockin-web/target/payara-micro.jar" "$WORK/jar-1"; cp "$FAKE/lockin-web/target/lockin.war" "$WORK/war-1"
  deploy_ok "first run (--root): exit 0" "first run failed:" "$out" --root "$R"
  check "first run reports a fresh install" contains "$out" "fresh install"
  check "first run goes step by step ([1] ... [9])" bash -c "grep -q '^\[1\] ' '$out' && grep -q '^\[9\] Summary' '$out'"
  check "payara-micro.jar installed (the build's, mode 644)" same_with_mode "$WORK/jar-1" "$R/opt/lockin/payara-micro.jar" 644
  check "lockin.war installed (the build's, mode 644)" same_with_mode "$WORK/war-1" "$R/opt/lockin/lockin.war" 644
  check "logging.properties, preboot.asadmin and postdeploy.asadmin installed (644)" \
    bash -c "cmp -s deploy/logging.properties '$R/opt/lockin/logging.properties' && cmp -s deploy/payara-preboot.asadmin '$R/opt/lockin/preboot.asadmin' && [[ \$(stat -c %a '$R/opt/lockin/preboot.asadmin') == 644 ]] && cmp -s deploy/payara-postdeploy.asadmin '$R/opt/lockin/postdeploy.asadmin' && [[ \$(stat -c %a '$R/opt/lockin/postdeploy.asadmin') == 644 ]]"
  check "defaults.env at /opt/lockin/defaults.env (as in deploy/, 644)" same_with_mode deploy/defaults.env "$R/opt/lockin/defaults.env" 644
  check "unit at /etc/systemd/system/lockin.service (as in deploy/, 644)" same_with_mode deploy/lockin.service "$R/etc/systemd/system/lockin.service" 644
  check "env file /etc/lockin/lockin.env from .env.example, mode 600" same_with_mode .env.example "$R/etc/lockin/lockin.env" 600
  check "nginx snippet at /etc/nginx/snippets/lockin-proxy.conf (644)" same_with_mode deploy/nginx/lockin-proxy.conf "$R/etc/nginx/snippets/lockin-proxy.conf" 644
  check "nginx site at /etc/nginx/conf.d/lockin.conf: plain HTTP without a certificate (644)" \
    same_with_mode deploy/nginx/lockin-http.conf "$R/etc/nginx/conf.d/lockin.conf" 644
  check "nothing else written under the root" \
    test "$(cd "$R" && find . -mindepth 1 -printf '%P\n' | sort)" = "$(printf '%s\n' "${INSTALLED_FILES[@]}" | sort)"
  check "system steps skipped under --root (packages, useradd, systemctl)" \
    bash -c "grep -q 'skipped (--root): useradd' '$out' && grep -q 'skipped (--root): systemctl daemon-reload' '$out'"
  check "not started while the env file has CHANGE_ME placeholders" contains "$out" "NOT started"
}
# the operator edits the env file; a new release is built; deploy.sh again
check_upgrade() {
  local out=$WORK/run2.out
  sed -i -e 's/CHANGE_ME/operator-value/g' -e 's/^LOCKIN_PORT=8080$/LOCKIN_PORT=8181/' "$R/etc/lockin/lockin.env"
  echo "# edited by the operator" >> "$R/etc/lockin/lockin.env"
  cp -p "$R/etc/lockin/lockin.env" "$WORK/env-edited"
  stub "$FAKE/lockin-web/target/payara-micro.jar" jar-2
  stub "$FAKE/lockin-web/target/lockin.war" war-2
  deploy_ok "second run: exit 0" "second run failed:" "$out" --root "$R"
  check "second run reports an upgrade" contains "$out" "this is an upgrade in place"
  check "second run: new jar and war in place" bash -c "cmp -s '$FAKE/lockin-web/target/payara-micro.jar' '$R/opt/lockin/payara-micro.jar' && cmp -s '$FAKE/lockin-web/target/lockin.war' '$R/opt/lockin/lockin.war'"
  check "second run: the previous jar and war in /opt/lockin/previous" bash -c "cmp -s '$WORK/jar-1' '$R/opt/lockin/previous/payara-micro.jar' && cmp -s '$WORK/war-1' '$R/opt/lockin/previous/lockin.war'"
  check "second run: the edited env file is NOT overwritten (content and mode)" same_with_mode "$WORK/env-edited" "$R/etc/lockin/lockin.env" 600
  check "second run says it kept the env file" contains "$out" "kept as it is"
  check "second run: nginx upstream follows LOCKIN_PORT of the env file (8181)" contains "$R/etc/nginx/conf.d/lockin.conf" '^ *server 127.0.0.1:8181 '
  check "second run: the old site kept as lockin.conf.previous" test -f "$R/etc/nginx/conf.d/lockin.conf.previous"
  check "second run: restarts the service (daemon-reload, stop, start; skipped under --root)" \
    bash -c "grep -q 'systemctl daemon-reload' '$out' && grep -q 'skipped (--root): systemctl stop lockin' '$out' && grep -q 'skipped (--root): systemctl start lockin' '$out'"
  check "second run's summary says Upgraded" contains "$out" "Upgraded:"
}
# the same again: idempotent
check_rerun_changes_nothing() {
  local before out=$WORK/run3.out
  before=$(snapshot "$R")
  deploy_ok "third run, nothing new: exit 0" "third run failed" "$out" --root "$R"
  check "third run changes no file (contents, modes, mtimes)" test "$before" = "$(snapshot "$R")"
  check "third run says there is nothing to change" contains "$out" "nothing to change"
  check "third run leaves the service alone" contains "$out" "left alone"
}
# the limits per client address: the options fill the site in, refused values
# change nothing, an upgrade without the options keeps the installed ones
check_limit_options() {
  local before site=$R/etc/nginx/conf.d/lockin.conf out=$WORK/run-limits.out
  before=$(snapshot "$R")
  if deploy --root "$R" --limit-rate 0 > "$WORK/limits-refused.out" 2>&1; then
    not_ok "--limit-rate 0 must be refused"
  else
    check "--limit-rate 0 is refused, naming the option" contains_fixed "$WORK/limits-refused.out" "--limit-rate takes a whole number"
  fi
  if deploy --root "$R" --limit-streams many > "$WORK/limits-refused2.out" 2>&1; then
    not_ok "--limit-streams many must be refused"
  else
    check "--limit-streams many is refused, naming the option" contains_fixed "$WORK/limits-refused2.out" "--limit-streams takes a whole number"
  fi
  if deploy --root "$R" --limit-streams 70000 > "$WORK/limits-refused3.out" 2>&1; then
    not_ok "--limit-streams 70000 must be refused (nginx's limit_conn takes less than 65536)"
  else
    check "--limit-streams 70000 is refused (nginx's limit_conn takes less than 65536)" contains_fixed "$WORK/limits-refused3.out" "from 1 to 65535"
  fi
  check "... and a refused run changes nothing" test "$before" = "$(snapshot "$R")"
  deploy_ok "--limit-rate 5 --limit-burst 10 --limit-streams 3: exit 0" "deploy.sh with the limit options failed:" "$out" \
    --root "$R" --limit-rate 5 --limit-burst 10 --limit-streams 3
  check "the site has the limits given (rate=5r/s, burst=10, 3 streams)" bash -c "grep -q '^limit_req_zone .* rate=5r/s;' '$site' \
    && grep -q '^ *limit_req zone=lockin_requests burst=10 nodelay;' '$site' && grep -q '^ *limit_conn lockin_streams 3;' '$site'"
  check "... and says so" contains_fixed "$out" "limits per client address: 5 requests a second (10 at once), 3 open streams"
  before=$(snapshot "$R/etc/nginx")
  deploy --root "$R" > "$WORK/run-limits2.out" 2>&1 || true
  check "an upgrade without the options keeps the installed limits (nothing changes)" test "$before" = "$(snapshot "$R/etc/nginx")"
  check "... and says they are as installed" contains_fixed "$WORK/run-limits2.out" "limit: 3 open streams per address (as installed)"
}
# the certificate arrives: TLS site; it goes: no silent fallback to plain HTTP
check_tls_switch() {
  local before site=$R/etc/nginx/conf.d/lockin.conf
  mkdir -p "$R/etc/lockin/tls"
  cp "$WORK/tls.crt" "$R/etc/lockin/tls/fullchain.pem"; cp "$WORK/tls.key" "$R/etc/lockin/tls/privkey.pem"
  deploy --root "$R" --server-name api.example.test > "$WORK/run4.out" 2>&1 || true
  check "with the certificate in place (auto): the TLS site" bash -c "grep -q '^ *ssl_certificate /etc/lockin/tls/fullchain.pem;' '$site' && grep -q 'listen 443 ssl' '$site'"
  check "--server-name fills server_name" contains "$site" 'server_name api.example.test;'
  check "the TLS site keeps the installed limits (5 a second, 10 at once, 3 streams)" bash -c "grep -q 'rate=5r/s;' '$site' \
    && grep -q 'burst=10 nodelay;' '$site' && grep -q 'lockin_streams 3;' '$site'"
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
  check "--nginx http: back to the plain-HTTP site, server_name and limits kept" \
    bash -c "! grep -q ssl_certificate '$site' && grep -q 'server_name api.example.test;' '$site' && grep -q 'lockin_streams 3;' '$site'"
}
check_dry_run_in_scratch_roots() {
  local before D=$WORK/root-dry out=$WORK/dry1.out
  deploy_ok "--dry-run --root (fresh): exit 0" "--dry-run --root failed" "$out" --dry-run --root "$D"
  check "--dry-run writes nothing (the scratch root stays absent)" test ! -e "$D"
  check "--dry-run prints the actions (would write/run ...)" \
    bash -c "grep -q 'would write /etc/systemd/system/lockin.service' '$out' && grep -q 'would install /opt/lockin/lockin.war' '$out' && grep -q 'would write /etc/lockin/lockin.env' '$out'"
  stub "$FAKE/lockin-web/target/lockin.war" war-3
  before=$(snapshot "$R")
  deploy --dry-run --root "$R" > "$WORK/dry2.out" 2>&1 || true
  check "--dry-run of an upgrade changes nothing in an installation" test "$before" = "$(snapshot "$R")"
  check "--dry-run of an upgrade says what it would replace" contains "$WORK/dry2.out" "would replace /opt/lockin/lockin.war"
}
# On this machine's real /, as a real run would (only reads): nothing may change.
REAL_TARGETS=(/opt/lockin /etc/lockin /etc/systemd/system/lockin.service /etc/nginx/conf.d/lockin.conf
  /etc/nginx/snippets/lockin-proxy.conf /var/www/letsencrypt /etc/nginx/sites-enabled /etc/nginx/nginx.conf /var/lib/lockin)
real_state() { local p; for p in "${REAL_TARGETS[@]}"; do printf '%s: ' "$p"; snapshot "$p" | sha256sum; done; getent passwd | sha256sum; }
check_dry_run_on_this_host() {
  local before out=$WORK/dry3.out
  before=$(real_state)
  deploy_ok "--dry-run on this machine's / : exit 0" "--dry-run on / failed" "$out" --dry-run
  check "--dry-run on / changed none of /opt/lockin, /etc/lockin, the unit, nginx's files, users" \
    test "$before" = "$(real_state)"
  check "--dry-run on / prints the system steps it would run" \
    bash -c "grep -q 'would run: systemctl daemon-reload' '$out' && grep -q 'would run: systemctl enable lockin' '$out'"
}
checks_deploy_root() {
  make_fixtures
  make_fake_repo
  R=$WORK/root
  check_refusals
  check_first_install
  check_upgrade
  check_rerun_changes_nothing
  check_limit_options
  check_tls_switch
  check_dry_run_in_scratch_roots
  check_dry_run_on_this_host
}
