# shellcheck shell=bash disable=SC2034 # globals of deploy.sh: set in one file, read in another
# How deploy.sh's steps print what they do and change the host: every change
# goes through run/system/install_rendered/ensure_dir, which honour --dry-run
# (print only) and --root (files under ROOT, no system changes), and which
# record it in CHANGES for the summary. Sourced by deploy.sh.

die() { printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }

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
