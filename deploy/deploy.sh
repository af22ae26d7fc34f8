#!/usr/bin/env bash
# Installs or upgrades LockIN on this host (Amazon Linux 2023 with dnf, or
# Debian/Ubuntu with apt), then says what it did, step by step:
#
#   Java 17 (java-17-amazon-corretto-headless / openjdk-17-jre-headless) and nginx, unless there
#   the `lockin` system user
#   /opt/lockin/              payara-micro.jar and lockin.war of this release (the previous
#                             ones in /opt/lockin/previous/), logging.properties, preboot.asadmin,
#                             defaults.env (the unit's defaults: port, JVM options, threads)
#   /etc/lockin/lockin.env    from .env.example on the first install, NEVER overwritten
#   /etc/systemd/system/lockin.service
#   /etc/nginx/conf.d/lockin.conf (TLS or plain HTTP) and /etc/nginx/snippets/lockin-proxy.conf
#   systemctl daemon-reload, enable, and (re)start when something changed
#
# Running it again upgrades in place; with nothing new it changes nothing.
#
# Usage: sudo deploy/deploy.sh [options]
#   --jar PATH           Payara Micro (default: <repo>/lockin-web/target/payara-micro.jar)
#   --war PATH           the application (default: <repo>/lockin-web/target/lockin.war)
#   --artifacts DIR      a directory holding payara-micro.jar and lockin.war (e.g. /opt/lockin/previous)
#   --env-example PATH   template of the env file (default: <repo>/.env.example)
#   --nginx MODE         auto (default: tls when the certificate exists, else http), tls, http, none
#   --server-name NAME   nginx server_name (default: _ = any name)
#   --cert PATH          TLS certificate chain (default: /etc/lockin/tls/fullchain.pem)
#   --key PATH           TLS private key (default: /etc/lockin/tls/privkey.pem)
#                        An upgrade keeps the server name and certificate paths of the
#                        installed site unless these options say otherwise.
#   --restart            restart the service even when nothing changed
#   --no-start           install and enable, but do not (re)start the service
#   --root DIR           install into DIR instead of /: every file where it would go under DIR;
#                        no packages, no user, no systemctl, no nginx -t (for tests)
#   --dry-run            print every action without doing any
#   -h, --help           this text
set -euo pipefail


here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=deploy/lib/env-file.sh
. "$here/lib/env-file.sh"

ROOT=""
DRY_RUN=0
JAR=$repo/lockin-web/target/payara-micro.jar
WAR=$repo/lockin-web/target/lockin.war
ENV_EXAMPLE=$repo/.env.example
NGINX_MODE=auto
SERVER_NAME=_
CERT=/etc/lockin/tls/fullchain.pem
KEY=/etc/lockin/tls/privkey.pem
GIVEN=" "        # the nginx options given on this command line
RESTART=auto

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }
need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"; }

# ------------------------------------------------------------------ options
parse_options() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --jar) need_value "$@"; JAR=$2; shift 2 ;;
      --war) need_value "$@"; WAR=$2; shift 2 ;;
      --artifacts) need_value "$@"; JAR=$2/payara-micro.jar; WAR=$2/lockin.war; shift 2 ;;
      --env-example) need_value "$@"; ENV_EXAMPLE=$2; shift 2 ;;
      --nginx) need_value "$@"; NGINX_MODE=$2; GIVEN+="nginx "; shift 2 ;;
      --server-name) need_value "$@"; SERVER_NAME=$2; GIVEN+="name "; shift 2 ;;
      --cert) need_value "$@"; CERT=$2; GIVEN+="cert "; shift 2 ;;
      --key) need_value "$@"; KEY=$2; GIVEN+="key "; shift 2 ;;
      --restart) RESTART=always; shift ;;
      --no-start) RESTART=never; shift ;;
      --root) need_value "$@"; ROOT=$2; shift 2 ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option: $1 (see --help)" ;;
    esac
  done
  [[ $NGINX_MODE =~ ^(auto|tls|http|none)$ ]] || die "--nginx takes auto, tls, http or none, not '$NGINX_MODE'"
  [[ $SERVER_NAME =~ ^[A-Za-z0-9._*~^-]+$ ]] || die "--server-name: one nginx server name, not '$SERVER_NAME'"
  [[ $CERT == /* && $KEY == /* ]] || die "--cert and --key take absolute paths (as nginx will read them)"
  if [[ -n $ROOT ]]; then
    [[ $ROOT == /* ]] || ROOT=$PWD/$ROOT
    ROOT=${ROOT%/}
    [[ -n $ROOT ]] || die "--root / is the real system: leave --root out instead"
  fi
}

# ------------------------------------------------------------------ output
step_no=0
step() { step_no=$((step_no + 1)); printf '\n[%d] %s\n' "$step_no" "$*"; }
say() { printf '    %s\n' "$*"; }
quote() { local out; printf -v out '%q ' "$@"; printf '%s' "${out% }"; }
# Runs a command that changes the host's files under ROOT (or prints it under --dry-run).
run() {
  if (( DRY_RUN )); then say "would run: $(quote "$@")"; else say "+ $(quote "$@")"; "$@"; fi
}
# Runs a command that changes the system itself (packages, users, services):
# skipped under --root, printed under --dry-run.
system() {
  if [[ -n $ROOT ]]; then say "skipped (--root): $(quote "$@")"; return 0; fi
  run "$@"
}
# A path as it is on the target system, and where this run writes it.
t() { printf '%s%s' "$ROOT" "$1"; }
# true on a real run on this host (not --root, not --dry-run)
for_real() { [[ -z $ROOT && $DRY_RUN -eq 0 ]]; }

CHANGES=()       # what this run changed, for the summary
RESTART_NEEDED=0 # something the running service uses changed

# Installs a file rendered by a command ("render" prints the content) at DEST
# with MODE, only when the content or mode differs. The new file is written
# next to DEST and renamed over it, so a reader (a running JVM with the old jar
# open, nginx reloading) never sees a half-written file.
# Sets LAST_ACTION to created/replaced/unchanged.
install_rendered() { # DEST MODE render-command...
  local dest=$1 mode=$2; shift 2
  local target; target=$(t "$dest")
  if [[ -f $target ]] && cmp -s <("$@") "$target"; then
    if [[ $(stat -c %a "$target") == "$mode" ]]; then
      LAST_ACTION=unchanged; say "unchanged: $dest"; return 0
    fi
    run chmod "$mode" "$target"
    LAST_ACTION=replaced; CHANGES+=("mode $mode: $dest"); return 0
  fi
  if [[ -f $target ]]; then LAST_ACTION=replaced; else LAST_ACTION=created; fi
  if (( DRY_RUN )); then
    say "would write $dest (mode $mode, $LAST_ACTION)"
  else
    mkdir -p "$(dirname "$target")"
    "$@" > "$target.deploy-new"
    chmod "$mode" "$target.deploy-new"
    mv -f "$target.deploy-new" "$target"
    say "$LAST_ACTION: $dest (mode $mode)"
  fi
  CHANGES+=("$LAST_ACTION: $dest")
}
# install_rendered of a file as it is, the service restarted when it changed
install_service_file() { # DEST SOURCE
  install_rendered "$1" 644 cat "$2"
  [[ $LAST_ACTION == unchanged ]] || RESTART_NEEDED=1
}
ensure_dir() { # DIR MODE
  local target; target=$(t "$1")
  if [[ -d $target ]]; then
    [[ $(stat -c %a "$target") == "$2" ]] || run chmod "$2" "$target"
    return 0
  fi
  if (( DRY_RUN )); then say "would create directory $1 (mode $2)"; else mkdir -p "$target"; chmod "$2" "$target"; say "created directory $1"; fi
  CHANGES+=("created: $1/")
}
short_sha() { sha256sum "$1" | cut -c1-12; }

# ------------------------------------------------------------- preflight
require_build() {
  [[ -f $JAR && -f $WAR ]] && return 0
  local missing=()
  [[ -f $JAR ]] || missing+=("$JAR")
  [[ -f $WAR ]] || missing+=("$WAR")
  {
    echo "deploy.sh: no LockIN build to install; missing:"
    printf '    %s\n' "${missing[@]}"
    echo "Build it first in the repository (needs Java 17 and Maven):"
    echo "    mvn -B -DskipTests package        (or: ./lockin build)"
    echo "which writes lockin-web/target/payara-micro.jar and lockin-web/target/lockin.war;"
    echo "or name the files: --jar PATH --war PATH, or --artifacts DIR holding both."
  } >&2
  exit 1
}
require_release_files() {
  local f
  for f in "$JAR" "$WAR"; do
    # Both are zip archives; a truncated copy or an HTML error page is not.
    [[ $(head -c 2 "$f") == PK ]] || die "$f is not a jar/war (zip) file; rebuild it or copy it again"
  done
  for f in "$ENV_EXAMPLE" "$here/lockin.service" "$here/defaults.env" "$here/logging.properties" "$here/payara-preboot.asadmin" \
           "$here/nginx/lockin.conf" "$here/nginx/lockin-http.conf" "$here/nginx/lockin-proxy.conf"; do
    [[ -f $f ]] || die "$f is missing: run deploy.sh from a complete copy of the repository's deploy/ (and .env.example)"
  done
}
# Sets MODE: install or upgrade.
preflight() {
  step "Checking what this release brings"
  require_build
  require_release_files
  say "payara-micro.jar  $JAR (sha256 $(short_sha "$JAR"))"
  say "lockin.war        $WAR (sha256 $(short_sha "$WAR"))"
  if [[ -n $ROOT ]]; then say "target: scratch root $ROOT (files only)"; else say "target: this host (/)"; fi
  (( DRY_RUN )) && say "dry run: nothing will be changed"
  if for_real && [[ $EUID -ne 0 ]]; then
    die "installing on this host needs root: sudo $0 (or --dry-run / --root DIR to try it out)"
  fi
  if [[ -f $(t /opt/lockin/lockin.war) ]]; then
    MODE=upgrade
    say "existing installation found (lockin.war sha256 $(short_sha "$(t /opt/lockin/lockin.war)")): this is an upgrade in place"
  else
    MODE=install
    say "no installation in /opt/lockin: this is a fresh install"
  fi
}

# ------------------------------------------------------------- packages
java_major() { # prints the major version of the java at $1, or 0
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\)[."].*/\1/p' | head -n 1) || true
  [[ $v == 1 ]] && v=0   # 1.8 and older
  printf '%s' "${v:-0}"
}
pkg_manager=""
if command -v dnf >/dev/null 2>&1; then pkg_manager=dnf
elif command -v apt-get >/dev/null 2>&1; then pkg_manager=apt
fi
# shellcheck source=/dev/null
os_id=$( (. /etc/os-release 2>/dev/null && printf '%s' "${ID:-}") || true)
apt_updated=0
pkg_install() { # PACKAGE...
  case $pkg_manager in
    dnf) system dnf install -y -q "$@" ;;
    apt)
      if (( ! apt_updated )); then system apt-get update -q; apt_updated=1; fi
      system env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" ;;
    *) die "neither dnf nor apt-get found: install $* by hand, then run deploy.sh again" ;;
  esac
}
java_package() {
  case $pkg_manager in
    dnf) if [[ $os_id == amzn ]]; then echo java-17-amazon-corretto-headless; else echo java-17-openjdk-headless; fi ;;
    apt)
      # Debian 13 dropped OpenJDK 17; Payara Micro 6 runs on 21 as well.
      if apt-cache show openjdk-17-jre-headless >/dev/null 2>&1 || ! apt-cache show openjdk-21-jre-headless >/dev/null 2>&1; then
        echo openjdk-17-jre-headless
      else
        echo openjdk-21-jre-headless
      fi ;;
    *) echo java-17 ;;
  esac
}
# The unit runs /usr/bin/java: that is the one that counts.
ensure_java() {
  local have_java=0 found=""
  [[ -x /usr/bin/java ]] && have_java=$(java_major /usr/bin/java)
  if (( have_java >= 17 )); then
    say "Java $have_java present: /usr/bin/java"
    return 0
  fi
  (( have_java > 0 )) && found=" (found Java $have_java)"
  say "no Java 17+ at /usr/bin/java$found: installing $(java_package)"
  pkg_install "$(java_package)"
  if for_real; then
    have_java=$(java_major /usr/bin/java)
    (( have_java >= 17 )) || die "/usr/bin/java is still older than 17: choose Java 17 with 'alternatives --config java' (dnf) or 'update-alternatives --config java' (apt)"
    say "Java $have_java installed"
  fi
}
ensure_nginx() {
  if [[ $NGINX_MODE == none ]]; then
    say "nginx: not managed (--nginx none)"
  elif command -v nginx >/dev/null 2>&1; then
    say "nginx present: $(nginx -v 2>&1 | sed 's/^nginx version: //')"
  else
    say "nginx missing: installing it"
    pkg_install nginx
  fi
}
install_packages() {
  step "Java 17 and nginx"
  ensure_java
  ensure_nginx
  command -v curl >/dev/null 2>&1 || pkg_install curl   # the health check after the start
}

# ------------------------------------------------------------- user
ensure_user() {
  step "System user lockin"
  if getent passwd lockin >/dev/null 2>&1; then
    say "exists: $(getent passwd lockin | cut -d: -f1,3,6,7)"
    return 0
  fi
  # No login shell, no home of its own: /var/lib/lockin (systemd's StateDirectory) is its home.
  local nologin
  nologin=$(command -v nologin || echo /sbin/nologin)
  system useradd --system --user-group --home-dir /var/lib/lockin --no-create-home --shell "$nologin" \
    --comment "LockIN API" lockin
  [[ -n $ROOT ]] || CHANGES+=("created: user lockin")
}

# ------------------------------------------------------------- release files
# jar and war: the replaced ones move to /opt/lockin/previous/ (a hard link to
# the old file, so a JVM still running it keeps reading what it opened).
install_artifact() { # SOURCE NAME
  local source=$1 name=$2 dest=/opt/lockin/$2
  local target; target=$(t "$dest")
  if [[ -f $target ]] && cmp -s "$source" "$target"; then
    say "unchanged: $dest (sha256 $(short_sha "$target"))"; return 0
  fi
  local old=""
  [[ -f $target ]] && old=$(short_sha "$target")
  if (( DRY_RUN )); then
    if [[ -n $old ]]; then say "would replace $dest ($old -> $(short_sha "$source")), keeping the old one as /opt/lockin/previous/$name"
    else say "would install $dest ($(short_sha "$source"))"; fi
  else
    cp "$source" "$target.deploy-new"
    chmod 644 "$target.deploy-new"
    [[ -n $old ]] && ln -f "$target" "$(t /opt/lockin/previous/"$name")"
    mv -f "$target.deploy-new" "$target"
    if [[ -n $old ]]; then say "upgraded: $dest ($old -> $(short_sha "$target")); previous kept in /opt/lockin/previous/$name"
    else say "installed: $dest ($(short_sha "$target"))"; fi
  fi
  if [[ -n $old ]]; then CHANGES+=("upgraded: $dest"); else CHANGES+=("installed: $dest"); fi
  RESTART_NEEDED=1
}
install_release() {
  step "Release files in /opt/lockin"
  ensure_dir /opt/lockin 755
  ensure_dir /opt/lockin/previous 755
  install_artifact "$JAR" payara-micro.jar
  install_artifact "$WAR" lockin.war
  install_service_file /opt/lockin/logging.properties "$here/logging.properties"
  install_service_file /opt/lockin/preboot.asadmin "$here/payara-preboot.asadmin"
  install_service_file /opt/lockin/defaults.env "$here/defaults.env"
}

# ------------------------------------------------------------- env file
env_names() { sed -n 's/^[#[:space:]]*\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$1" | sort -u; }
# Sets PLACEHOLDERS (1 while CHANGE_ME is left) and PORT (LOCKIN_PORT as
# systemd will see it: the env file's, else the release's default; for nginx
# and the health check).
install_env_file() {
  step "Settings: /etc/lockin/lockin.env"
  ensure_dir /etc/lockin 755
  local env_file new_names perms env_source
  env_file=$(t /etc/lockin/lockin.env)
  if [[ -f $env_file ]]; then
    say "kept as it is (deploy.sh never overwrites it)"
    new_names=$(comm -23 <(env_names "$ENV_EXAMPLE") <(env_names "$env_file") | tr '\n' ' ')
    [[ -z $new_names ]] || say "settings of .env.example not in it (optional unless docs/CONFIGURATION.md says otherwise): $new_names"
    perms=$(stat -c %a "$env_file")
    [[ $perms == 600 ]] || say "WARNING: its mode is $perms; it holds secrets: sudo chmod 600 /etc/lockin/lockin.env"
  else
    # 0600 root: systemd reads it as root before starting the service.
    install_rendered /etc/lockin/lockin.env 600 cat "$ENV_EXAMPLE"
    say "from $(basename "$ENV_EXAMPLE"): edit it (DATABASE_URL, COGNITO_*, S3_BUCKET_NAME, ...) before the first start"
  fi
  env_source=$env_file
  [[ -f $env_source ]] || env_source=$ENV_EXAMPLE   # dry run of a first install
  PLACEHOLDERS=0
  grep -q 'CHANGE_ME' "$env_source" && PLACEHOLDERS=1
  PORT=$(env_file_value LOCKIN_PORT "$here/defaults.env" "$env_source")
  [[ $PORT =~ ^[0-9]+$ ]] || die "LOCKIN_PORT is '$PORT' (in /etc/lockin/lockin.env or deploy/defaults.env): a port number, please"
  say "LOCKIN_PORT: $PORT"
}

# ------------------------------------------------------------- systemd unit
install_unit() {
  step "systemd unit: /etc/systemd/system/lockin.service"
  install_rendered /etc/systemd/system/lockin.service 644 cat "$here/lockin.service"
  UNIT_CHANGED=0
  [[ $LAST_ACTION == unchanged ]] || { UNIT_CHANGED=1; RESTART_NEEDED=1; }
}

# ------------------------------------------------------------- nginx
SITE=/etc/nginx/conf.d/lockin.conf
site_setting() { sed -n "s/^[[:space:]]*$1[[:space:]]\{1,\}\([^;]*\);.*/\1/p" "$2" | head -n 1; }   # NAME FILE
# An upgrade keeps what the installed site says, unless options say otherwise.
# Sets INSTALLED_TLS.
keep_installed_site_settings() {
  local installed_site old_name old_cert old_key
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
# The settings of the site file: server name, certificate paths, upstream port.
render_site() {
  sed -e "s|^\([[:space:]]*server_name\) _;|\1 $SERVER_NAME;|" \
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

# ------------------------------------------------------------- service
# Sets START_IT and ACTIVE (under --root there is no service to ask: it is taken as running).
decide_start() {
  ACTIVE=1
  if [[ -z $ROOT ]] && ! systemctl is-active --quiet lockin 2>/dev/null; then ACTIVE=0; fi
  START_IT=0
  if [[ $RESTART == never ]]; then
    say "not started (--no-start): sudo systemctl restart lockin"
  elif (( PLACEHOLDERS )); then
    say "NOT started: /etc/lockin/lockin.env still has CHANGE_ME placeholders."
    say "Edit it, then: sudo systemctl restart lockin  (or run deploy.sh again)"
  elif [[ $RESTART == always ]] || (( RESTART_NEEDED || ! ACTIVE )); then
    START_IT=1
  else
    say "nothing changed and lockin is running: left alone (--restart to restart anyway)"
  fi
}
wait_until_ready() {
  local ready=0
  say "waiting for http://127.0.0.1:$PORT/health/ready (up to 180 s)"
  for _ in $(seq 90); do
    if curl -fsS -m 2 "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then ready=1; break; fi
    systemctl is-failed --quiet lockin && break
    sleep 2
  done
  if (( ! ready )); then
    systemctl --no-pager status lockin | sed 's/^/    /' || true
    die "lockin is not ready; see: sudo journalctl -u lockin -n 100 --no-pager"
  fi
  say "lockin is UP: $(curl -fsS -m 2 "http://127.0.0.1:$PORT/health/ready")"
}
restart_service() {
  if [[ $MODE == upgrade || $ACTIVE -eq 1 ]]; then
    say "restart: graceful stop (requests in flight finish), then start with the new release"
  fi
  system systemctl stop lockin
  # Payara Micro's unpacked runtime and configuration (--rootdir) are rebuilt
  # from the jar at start; clearing them keeps no stale pieces of the old release.
  if [[ -d $(t /var/lib/lockin/micro) ]]; then run rm -rf "$(t /var/lib/lockin/micro)"; fi
  system systemctl start lockin
  if for_real; then wait_until_ready; fi
}
start_service() {
  step "Service lockin"
  system systemctl daemon-reload
  system systemctl enable lockin
  decide_start
  if (( START_IT )); then restart_service; fi
}

# ------------------------------------------------------------- summary
summary() {
  step "Summary"
  local verb="Installed" c
  [[ $MODE == upgrade ]] && verb="Upgraded"
  (( DRY_RUN )) && verb="Dry run of the $MODE; would have changed"
  if (( ${#CHANGES[@]} == 0 )); then
    say "$verb: nothing to change (everything already as this release has it)"
  else
    say "$verb:"
    for c in "${CHANGES[@]}"; do say "  $c"; done
  fi
  if (( UNIT_CHANGED )); then
    if for_real; then say "the unit changed: systemctl daemon-reload ran"
    else say "the unit changed: a real run would run systemctl daemon-reload"; fi
  fi
  if [[ $MODE == install ]] && for_real; then
    say "next: sudo \$EDITOR /etc/lockin/lockin.env; sudo systemctl restart lockin;"
    say "      journalctl -u lockin -f; curl http://127.0.0.1:$PORT/health/ready"
  fi
  return 0
}

main() {
  parse_options "$@"
  preflight
  install_packages
  ensure_user
  install_release
  install_env_file
  install_unit
  configure_nginx
  start_service
  summary
}
main "$@"
