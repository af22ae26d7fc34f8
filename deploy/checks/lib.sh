# shellcheck shell=bash
# The harness of deploy/test.sh: the scratch directory and what it started,
# the counters and the lines each check prints, the tools the checks need.
# Sourced by deploy/test.sh, which has cd'ed to the repository (repo=$PWD).

# --- scratch directory and the processes the checks start -----------------------
WORK=""
PIDS=()
NGINX_PIDFILES=()
STOPPED_AT=""   # where an unexpected error stopped the run (set -e)
make_scratch() {
  WORK=$(mktemp -d /tmp/lockin-deploy-test.XXXXXX)
  chmod 755 "$WORK"   # nginx workers (nobody) read the test's files
  set -E
  trap 'STOPPED_AT="${FUNCNAME[0]:-main}, line $LINENO: $BASH_COMMAND"' ERR
  trap cleanup EXIT
}
# Stops what the checks started and removes the scratch directory. A run that
# an unexpected error stopped still ends with the summary, counting it as failed.
cleanup() {
  local status=$? f p
  if (( ! SUMMARIZED )); then
    not_ok "deploy/test.sh stopped early (exit $status) in ${STOPPED_AT:-?}"
    summary || true
  fi
  for f in "${NGINX_PIDFILES[@]}"; do
    [[ -f $f ]] && { p=$(cat "$f"); kill "$p" 2>/dev/null || true; }
  done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then echo "scratch directory kept: $WORK"; else rm -rf "$WORK"; fi
}

# --- what each check prints, and the count ------------------------------------------
passed=0
failed=0
SKIPPED=()   # "what: why", one per check or group of checks that could not run
SUMMARIZED=0
section() { printf '\n== %s\n' "$*"; }
ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
not_ok() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$*"; }
skip() { SKIPPED+=("$1: $2"); printf '  skip  %s: %s\n' "$1" "$2"; }   # WHAT WHY
# check DESCRIPTION COMMAND...: passes when the command succeeds
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d"; fi; }
note() { printf '        %s\n' "$*"; }
indent() { sed 's/^/        /' "$@"; }       # a file (or stdin) under the check it belongs to
# The closing line: "deploy: N passed, N failed", then ", N skipped (what: why; ...)"
# when something could not run. Its status: failed when a check failed.
summary() {
  local skipped=""
  SUMMARIZED=1
  if (( ${#SKIPPED[@]} )); then
    skipped=$(printf '; %s' "${SKIPPED[@]}")
    skipped=", ${#SKIPPED[@]} skipped (${skipped#; })"
  fi
  printf '\ndeploy: %d passed, %d failed%s\n' "$passed" "$failed" "$skipped"
  (( failed == 0 ))
}

# --- small predicates the checks use ----------------------------------------------
contains() { grep -q -- "$2" "$1"; }         # FILE PATTERN (basic regex)
contains_fixed() { grep -qF -- "$2" "$1"; }  # FILE TEXT
lacks() { ! grep -q -- "$2" "$1"; }
same() { cmp -s "$1" "$2"; }
same_with_mode() { cmp -s "$1" "$2" && [[ $(stat -c %a "$2") == "$3" ]]; }   # EXPECTED INSTALLED MODE
free_port() { # a port nothing listens on (bash's /dev/tcp: refused = free)
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
pidfile_of() { sed -n 's/^pid \(.*\);/\1/p' "$1"; }   # the pid file an nginx.conf names

# --- tools ---------------------------------------------------------------------------
# Installed with apt-get when missing (as root). A required tool that cannot be
# had is a failed check (and the groups needing it are skipped, saying why); an
# optional one only skips the groups needing it.
TOOLS=(systemd-analyze:systemd nginx:nginx openssl:openssl curl:curl jq:jq psql:postgresql-client)
OPTIONAL_TOOLS=(shellcheck:shellcheck python3:python3)
apt_updated=0
install_tool() { # COMMAND PACKAGE: true when the command is there (afterwards)
  command -v "$1" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [[ $EUID -eq 0 ]]; then
    echo "installing $2 (for $1)"
    if (( ! apt_updated )); then apt-get update -q >/dev/null 2>&1 || true; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 || true
  fi
  command -v "$1" >/dev/null 2>&1
}
ensure_tools() {
  local t missing=()
  for t in "${TOOLS[@]}"; do install_tool "${t%%:*}" "${t#*:}" || missing+=("$t"); done
  for t in "${OPTIONAL_TOOLS[@]}"; do install_tool "${t%%:*}" "${t#*:}" || true; done
  # Debian's nginx package starts a system nginx on install; this test never uses it.
  (( ${#missing[@]} )) || return 0
  section "tools"
  for t in "${missing[@]}"; do not_ok "${t%%:*} is needed (package ${t#*:}) and could not be installed"; done
}
# deploy/test.sh --install-tools (CI, before the run): every tool, the optional
# ones included, so that nothing is skipped for want of one; fails when one is missing.
install_all_tools() {
  local t missing=()
  for t in "${TOOLS[@]}" "${OPTIONAL_TOOLS[@]}"; do install_tool "${t%%:*}" "${t#*:}" || missing+=("${t#*:}"); done
  if (( ${#missing[@]} )); then echo "deploy/test.sh: could not install ${missing[*]}" >&2; return 1; fi
  echo "deploy/test.sh: every tool it uses is installed"
}
# group TITLE FUNCTION [TOOL...]: a section of checks, skipped (and said so) when
# one of the tools it needs is missing
group() {
  local title=$1 fn=$2 t; shift 2
  section "$title"
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || { skip "$title" "$t not installed"; return 0; }
  done
  "$fn"
}
