# shellcheck shell=bash
# 1. shellcheck on the scripts of the production route and the tools around it.
SHELL_SCRIPTS=(deploy/deploy.sh deploy/test.sh deploy/checks/*.sh)
checks_shellcheck() {
  check "shellcheck ${SHELL_SCRIPTS[*]}" shellcheck -x "${SHELL_SCRIPTS[@]}"
}
