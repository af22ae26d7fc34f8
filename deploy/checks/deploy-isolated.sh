# shellcheck shell=bash
# 4b. deploy.sh as root on this host's real paths, in a private mount namespace:
# /etc, /opt and /var get overlays that vanish with the namespace, so deploy.sh
# runs without --root against this Debian's real nginx.conf, useradd, nginx -t,
# and nothing reaches the machine. There is no systemd here, so a stub
# systemctl records the calls; a stand-in for the application (an nginx that
# answers /health/ready) lets deploy.sh's wait after the restart finish.
# Needs the fake repository and stubs of deploy-root.sh.

ISO=""        # its scratch directory
ISO_PORT=""   # the stand-in application's port

write_stub_systemctl() {
  cat > "$ISO/bin/systemctl" <<SH
#!/bin/sh
echo "systemctl \$*" >> "$ISO/systemctl.log"
case "\$1" in is-active|is-failed) exit 3 ;; esac
exit 0
SH
  chmod 755 "$ISO/bin/systemctl"
}
# What runs inside the namespace: the overlays, a first install, what it made,
# the operator's edit, a second release with the stand-in application up.
write_inner_script() {
  cat > "$ISO/inner.sh" <<SH
set -u
mount -t tmpfs tmpfs "$ISO/mnt" || exit 90
for d in etc opt var; do
  mkdir -p "$ISO/mnt/\$d-up" "$ISO/mnt/\$d-work"
  mount -t overlay overlay -o "lowerdir=/\$d,upperdir=$ISO/mnt/\$d-up,workdir=$ISO/mnt/\$d-work" "/\$d" || exit 91
done
export PATH="$ISO/bin:\$PATH"
"$FAKE/deploy/deploy.sh" --artifacts "$WORK/stub" > "$ISO/run1.out" 2>&1; echo "\$?" > "$ISO/run1.rc"
getent passwd lockin > "$ISO/user" || true
stat -c '%n %a %U:%G' /opt/lockin /opt/lockin/payara-micro.jar /opt/lockin/lockin.war /opt/lockin/defaults.env /etc/lockin/lockin.env \\
  /etc/systemd/system/lockin.service /etc/nginx/conf.d/lockin.conf /etc/nginx/snippets/lockin-proxy.conf > "$ISO/stat" 2>&1
ls /etc/nginx/sites-enabled > "$ISO/sites-enabled" 2>&1
nginx -t > "$ISO/nginx-t" 2>&1; echo "\$?" >> "$ISO/nginx-t"
# the operator fills in the env file; a new release comes
sed -i -e 's/CHANGE_ME/operator-value/g' -e 's/^LOCKIN_PORT=.*/LOCKIN_PORT=$ISO_PORT/' /etc/lockin/lockin.env
cat > "$ISO/app.conf" <<APP
pid $ISO/app.pid;
error_log $ISO/app-error.log;
events { worker_connections 16; }
http { access_log off; server { listen 127.0.0.1:$ISO_PORT; location /health/ready { return 200 '{"status":"UP"}'; } } }
APP
nginx -c "$ISO/app.conf" -p "$ISO"
: > "$ISO/systemctl.log"
"$FAKE/deploy/deploy.sh" --artifacts "$WORK/stub2" > "$ISO/run2.out" 2>&1; echo "\$?" > "$ISO/run2.rc"
grep '^ *server 127' /etc/nginx/conf.d/lockin.conf > "$ISO/upstream"
kill "\$(cat "$ISO/app.pid")"
exit 0
SH
}
check_isolated_first_install() {
  check "first install as root: exit 0" grep -qx 0 "$ISO/run1.rc"
  check "the lockin system user was created (no login shell, home /var/lib/lockin)" grep -Eq '^lockin:x:[0-9]+:[0-9]+:.*:/var/lib/lockin:/(usr/)?sbin/nologin$' "$ISO/user"
  check "files owned by root with their modes (jar/war 644, defaults 644, env 600, unit 644, site 644)" \
    bash -c "grep -q '^/opt/lockin/lockin.war 644 root:root' '$ISO/stat' && grep -q '^/opt/lockin/defaults.env 644 root:root' '$ISO/stat' \
             && grep -q '^/etc/lockin/lockin.env 600 root:root' '$ISO/stat' \
             && grep -q '^/etc/systemd/system/lockin.service 644 root:root' '$ISO/stat' && grep -q '^/etc/nginx/conf.d/lockin.conf 644 root:root' '$ISO/stat'"
  check "nginx -t in deploy.sh passed with Debian's own nginx.conf" contains "$ISO/run1.out" "nginx -t: configuration OK"
  check "Debian's default site disabled (its default_server would take port 80)" bash -c "! grep -qx default '$ISO/sites-enabled'"
  check "nginx -t of the whole system configuration afterwards: 0" bash -c "tail -n 1 '$ISO/nginx-t' | grep -qx 0"
  check "first install: nginx enabled and reloaded, daemon-reload, lockin enabled, not started (placeholders)" \
    bash -c "grep -q 'systemctl reload-or-restart nginx' '$ISO/run1.out' && grep -q 'systemctl daemon-reload' '$ISO/run1.out' \
             && grep -q 'systemctl enable lockin' '$ISO/run1.out' && ! grep -q 'systemctl start lockin' '$ISO/run1.out'"
}
check_isolated_upgrade() {
  check "upgrade as root: exit 0" grep -qx 0 "$ISO/run2.rc"
  check "upgrade: daemon-reload, stop, start, in this order" \
    test "$(grep -E 'daemon-reload|stop lockin|start lockin' "$ISO/systemctl.log" | tr '\n' ' ')" = "systemctl daemon-reload systemctl stop lockin systemctl start lockin "
  check "upgrade: waited for /health/ready and reported it UP" contains "$ISO/run2.out" "lockin is UP"
  check "upgrade: nginx points at the env file's LOCKIN_PORT" grep -q "127.0.0.1:$ISO_PORT " "$ISO/upstream"
  check "nothing of it reached this machine (no /opt/lockin, no user lockin)" bash -c "[[ ! -e /opt/lockin ]] && ! getent passwd lockin"
}
checks_deploy_isolated() {
  local rc
  ISO=$WORK/iso
  ISO_PORT=$(free_port)
  mkdir -p "$ISO/bin" "$ISO/mnt"
  write_stub_systemctl
  write_inner_script
  mkdir -p "$WORK/stub2"
  cp "$WORK/stub/payara-micro.jar" "$WORK/stub2/"
  stub "$WORK/stub2/lockin.war" war-2
  NGINX_PIDFILES+=("$ISO/app.pid")   # the stand-in, should the inner script stop half-way
  unshare -m --propagation private bash "$ISO/inner.sh" > "$ISO/inner.out" 2>&1 && rc=0 || rc=$?
  if (( rc >= 90 )); then
    skip "deploy.sh on this host's real paths" "no private mounts here (unshare/overlay refused, exit $rc)"
    return 0
  fi
  check_isolated_first_install
  check_isolated_upgrade
}
