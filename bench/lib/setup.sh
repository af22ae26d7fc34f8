# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# The benchmark's options, where it keeps its results, what it needs installed
# and built, and the server settings it measures (deploy/defaults.env).
# Sourced by bench/run.sh, which has cd'ed to the repository (ROOT=$PWD).

# ---------------------------------------------------------------- options
SCALES=(10000 1000000)
MAIN_SCALE=1000000
DURATION=30
WARMUP=120
WARMUP_CHUNK=10
WARMUP_MIN=90      # a plateau before this many seconds (capped by WARMUP) is the JIT's, not the server's
STABLE_PERCENT=5   # two warm-up chunks this close in throughput: warm
RUNS=3             # measured runs per figure (median reported, spread = (max - min) / median)
CONNECTIONS=32
JFR=false
REPLICA=false      # --replica: progress, history and stats again with their reads on a streaming replica (bench/lib/replica.sh)
KEEP=false
DOCS=true
ONLY=              # "live": that scenario alone, at the main scale; or a list of scenarios (--only), export among them
ALL_SCENARIOS=(progress groups notifications clock history stats)   # in the order they run
LARGE_SCENARIOS=(progress history stats)   # what the 10 M scale measures (under wrk)
# the server's own ceiling (issue 28): a constant behind the API's authentication and filters, and
# without them (LOCKIN_BENCH_ANCHORS), and the lightest real endpoint (GET /api/me: the caller's
# profile, from the cache of callers): under wrk after the scenarios, no database-only ceiling
ANCHOR_SCENARIOS=(anchor bare me)
LIVE_STREAMS=10000 # the live scenario (bench/lib/live.sh): SSE streams held open,
LIVE_RATE=100      # writes a second to the hot group,
LIVE_DURATION=60   # seconds of measured writes, after
LIVE_WARMUP=10     # seconds of warm-up writes,
LIVE_HOT=200       # streams of the hot group (the new ones are added to it as members),
LIVE_GROUPS=500    # other groups the other streams subscribe to,
LIVE_WRITERS=100   # writers (new members of the hot group), at most LIVE_HOT - 20
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }
parse_options() {
  local ten_m=false s
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --10m) ten_m=true ;;
      --duration) DURATION=$2; shift ;;
      --warmup) WARMUP=$2; shift ;;
      --min-warmup) WARMUP_MIN=$2; shift ;;
      --connections) CONNECTIONS=$2; shift ;;
      --jfr) JFR=true ;;
      --replica) REPLICA=true ;;
      --keep) KEEP=true ;;
      --no-docs) DOCS=false ;;
      --only) ONLY=${2:-}; shift
              for s in ${ONLY//,/ }; do
                [[ " ${ALL_SCENARIOS[*]} ${ANCHOR_SCENARIOS[*]} live export push " == *" $s "* ]] \
                  || { echo "--only takes scenarios, comma-separated: ${ALL_SCENARIOS[*]} ${ANCHOR_SCENARIOS[*]} live export push (not '$s')" >&2; exit 2; }
              done
              [[ -n ${ONLY//,/} ]] || { echo "--only needs a scenario" >&2; exit 2; } ;;
      --live-streams) LIVE_STREAMS=$2; shift ;;
      --live-rate) LIVE_RATE=$2; shift ;;
      --live-duration) LIVE_DURATION=$2; shift ;;
      --live-hot) LIVE_HOT=$2; shift ;;
      -h|--help) usage; exit 0 ;;
      *) echo "unknown option $1 (see ./lockin bench --help)" >&2; exit 2 ;;
    esac
    shift
  done
  # --only: the main scale only, and 10 M with --10m (not with --only live, which stays at the main scale)
  if [[ -n $ONLY ]]; then SCALES=("$MAIN_SCALE"); fi
  if $ten_m && [[ $ONLY != live ]]; then SCALES+=(10000000); fi
  [[ $LIVE_HOT -ge 21 && $LIVE_STREAMS -ge $LIVE_HOT ]] || { echo "--live-hot must be at least 21 and at most --live-streams" >&2; exit 2; }
  if [[ $LIVE_WRITERS -gt $((LIVE_HOT - 20)) ]]; then LIVE_WRITERS=$((LIVE_HOT - 20)); fi
}
PG_PORT=${BENCH_PG_PORT:-18432}
HTTP_PORT=${BENCH_HTTP_PORT:-18080}
BASE=http://127.0.0.1:$HTTP_PORT
STATE=$ROOT/.lockin/bench
RESULTS=$STATE/results/$(date +%Y%m%d-%H%M%S)
# CPU of other processes (% of the machine) above which a measurement is redone (and which a
# measurement waits to fall under); BENCH_DISTURBED_PERCENT=100 for a trial run on a busy machine
DISTURBED_PERCENT=${BENCH_DISTURBED_PERCENT:-10}
CLOCK_USERS=1024

# Everything printed from here on goes to the results' run.log too.
start_log() {
  mkdir -p "$RESULTS"
  exec > >(tee "$RESULTS/run.log") 2>&1
}
# is scenario S to run? (all of them without --only)
wanted() { [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]; }
# is any of the scenarios under wrk (ALL_SCENARIOS) to run?
wanted_wrk() { local s; for s in "${ALL_SCENARIOS[@]}" "${ANCHOR_SCENARIOS[@]}"; do if wanted "$s"; then return 0; fi; done; return 1; }
# is any of the scenarios with a database-only ceiling (ALL_SCENARIOS) to run?
wanted_ceiling() { local s; for s in "${ALL_SCENARIOS[@]}"; do if wanted "$s"; then return 0; fi; done; return 1; }
say() { printf '\n[%s +%ds] %s\n' "$(date +%H:%M:%S)" $(($(date +%s) - BEGAN)) "$*"; }
die() { echo "bench: $*" >&2; exit 1; }

# ---------------------------------------------------------- prerequisites
# Debian packages: wrk (load), gnuplot-nox (chart), PostgreSQL (server, psql, pgbench).
install_packages() {
  local need_packages=()
  command -v wrk >/dev/null || need_packages+=(wrk)
  command -v gnuplot >/dev/null || need_packages+=(gnuplot-nox)
  ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || need_packages+=(postgresql)
  [[ ${#need_packages[@]} -gt 0 ]] || return 0
  say "Installing ${need_packages[*]} (apt-get)"
  [[ $EUID -eq 0 ]] || die "missing ${need_packages[*]}: install them (apt-get install -y ${need_packages[*]})"
  # no cluster of its own: the benchmark makes its own database
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    mkdir -p /etc/postgresql-common && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold "${need_packages[@]}" >/dev/null
}
# Sets PG_BIN (the newest PostgreSQL's programs) and PSQL.
find_postgres() {
  local bins=(/usr/lib/postgresql/*/bin)
  PG_BIN=$(printf '%s\n' "${bins[@]}" | sort -V | tail -n 1)
  PSQL=("$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  command -v java >/dev/null || die "Java 17 is needed"
}
# the application, built when missing or older than its sources (as ./lockin run does)
WAR=lockin-web/target/lockin.war
MICRO=lockin-web/target/payara-micro.jar
build_if_needed() {
  if [[ ! -f $WAR || ! -f $MICRO ]] || ! ls lockin-dev/target/lockin-dev-*.jar >/dev/null 2>&1 \
     || [[ -n "$(find pom.xml db lockin-*/pom.xml lockin-*/src -newer "$WAR" -type f -print -quit 2>/dev/null)" ]]; then
    say "Building LockIN (mvn package, tests skipped)"
    mvn -B -q -DskipTests package
  fi
}

# Payara Micro the production way: the JVM options, malloc arenas and HTTP worker threads of
# deploy/defaults.env (the defaults the systemd unit reads), the launcher's environment
# (development key). Sets SERVER_JAVA_OPTS, SERVER_HTTP_THREADS, SERVER_MALLOC_ARENA_MAX.
SERVER_SETTINGS=deploy/defaults.env
read_server_settings() {
  SERVER_JAVA_OPTS=$(env_file_value LOCKIN_JAVA_OPTS "$SERVER_SETTINGS")
  SERVER_HTTP_THREADS=$(env_file_value LOCKIN_HTTP_THREADS "$SERVER_SETTINGS")
  SERVER_MALLOC_ARENA_MAX=$(env_file_value MALLOC_ARENA_MAX "$SERVER_SETTINGS")
  [[ -n $SERVER_JAVA_OPTS && -n $SERVER_HTTP_THREADS && -n $SERVER_MALLOC_ARENA_MAX ]] \
    || die "$SERVER_SETTINGS lacks LOCKIN_JAVA_OPTS, LOCKIN_HTTP_THREADS or MALLOC_ARENA_MAX"
  # BENCH_JAVA_OPTS and BENCH_HTTP_THREADS measure other JVM options or worker threads than the
  # production ones (said in the results)
  local overrides=()
  if [[ -n ${BENCH_JAVA_OPTS:-} ]]; then SERVER_JAVA_OPTS=$BENCH_JAVA_OPTS; overrides+=(BENCH_JAVA_OPTS); fi
  if [[ -n ${BENCH_HTTP_THREADS:-} ]]; then SERVER_HTTP_THREADS=$BENCH_HTTP_THREADS; overrides+=(BENCH_HTTP_THREADS); fi
  SERVER_SETTINGS_NOTE=$SERVER_SETTINGS
  if ((${#overrides[@]})); then SERVER_SETTINGS_NOTE="${overrides[*]}, not $SERVER_SETTINGS"; fi
}
