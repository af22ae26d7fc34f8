# shellcheck shell=bash
# 1. shellcheck on every shell script of the repository: the production route's,
# the benchmark's, the developer commands and CI's.
SHELL_SCRIPTS=(deploy/*.sh deploy/steps/*.sh deploy/cluster/*.sh deploy/checks/*.sh deploy/lib/*.sh bench/run.sh bench/lib/*.sh db/*.sh lockin .ci/run)
checks_shellcheck() {
  local out=$WORK/shellcheck.out
  if shellcheck -x "${SHELL_SCRIPTS[@]}" >"$out" 2>&1; then
    ok "shellcheck: ${#SHELL_SCRIPTS[@]} scripts (deploy/, bench/, db/, lockin, .ci/run)"
  else
    not_ok "shellcheck: ${#SHELL_SCRIPTS[@]} scripts (deploy/, bench/, db/, lockin, .ci/run):"; indent "$out"
  fi
}
