# shellcheck shell=bash disable=SC2034,SC2154 # globals of deploy.sh: set in one file, read in another
# The options, read before the steps: which release (jar, war, env template),
# which nginx site (mode, server name, certificate, limits per client
# address), where to install (/ or --root), dry run or not, and when to
# restart. Refuses values it cannot use.

ROOT=""
DRY_RUN=0
JAR=$repo/lockin-web/target/payara-micro.jar
WAR=$repo/lockin-web/target/lockin.war
ENV_EXAMPLE=$repo/.env.example
NGINX_MODE=auto
SERVER_NAME=_
CERT=/etc/lockin/tls/fullchain.pem
KEY=/etc/lockin/tls/privkey.pem
LIMIT_RATE=30    # per client address: requests a second, requests at once, open event streams
LIMIT_BURST=120
LIMIT_STREAMS=40
GIVEN=" "        # the nginx options given on this command line
RESTART=auto

usage() { sed -n '2,/^set -euo/p' "$here/deploy.sh" | sed '$d; s/^# \{0,1\}//'; }
need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"; }
whole_number() { # OPTION VALUE MAX
  if [[ ! $2 =~ ^[1-9][0-9]{0,5}$ ]] || (( $2 > $3 )); then die "$1 takes a whole number from 1 to $3, not '$2'"; fi
}

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
      --limit-rate) need_value "$@"; LIMIT_RATE=$2; GIVEN+="rate "; shift 2 ;;
      --limit-burst) need_value "$@"; LIMIT_BURST=$2; GIVEN+="burst "; shift 2 ;;
      --limit-streams) need_value "$@"; LIMIT_STREAMS=$2; GIVEN+="streams "; shift 2 ;;
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
  whole_number --limit-rate "$LIMIT_RATE" 999999
  whole_number --limit-burst "$LIMIT_BURST" 999999
  whole_number --limit-streams "$LIMIT_STREAMS" 65535   # nginx's limit_conn takes less than 65536
  if [[ -n $ROOT ]]; then
    [[ $ROOT == /* ]] || ROOT=$PWD/$ROOT
    ROOT=${ROOT%/}
    [[ -n $ROOT ]] || die "--root / is the real system: leave --root out instead"
  fi
}
