# shellcheck shell=bash disable=SC2034,SC2154 # globals of deploy.sh: set in one file, read in another
# Step 1: is there a complete release to install (a jar and a war that are zip
# files, the deploy/ files next to them), may this run change the host (root),
# and is this a fresh install or an upgrade (sets MODE)?

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
  for f in "$ENV_EXAMPLE" "$here/lockin.service" "$here/defaults.env" "$here/logging.properties" "$here/payara-preboot.asadmin" "$here/payara-postdeploy.asadmin" \
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
