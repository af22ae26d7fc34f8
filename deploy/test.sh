#!/usr/bin/env bash
# Tests of the production route in deploy/, without touching this machine's
# system (everything happens in a scratch directory; the only processes
# started are nginx, PostgreSQL and Payara Micro of this test, stopped by pid).
# One file a group of checks, in deploy/checks/:
#
#   1. shellcheck.sh       shellcheck on the scripts
#   2. unit.sh             lockin.service: systemd-analyze verify, its settings, its defaults
#                          (deploy/defaults.env), systemd-analyze security
#   3. nginx.sh            the nginx sites (TLS and plain HTTP) as deploy.sh installs them: nginx -t,
#                          then served for real in front of a stub backend (redirect, TLS, request ids,
#                          forwarded headers, body limit, /metrics access, JSON access log), and the
#                          live-update streams in front of stand-in instances (python3): passed on as
#                          written, not gzipped, retried on the other instance only before an answer
#   4. deploy-root.sh      deploy.sh --root: refusals, first install, upgrade (env file kept), no-op
#                          re-run, TLS switch; --dry-run writes nothing (in a scratch root and on /)
#      deploy-isolated.sh  deploy.sh as root on this host's real paths, in a private mount namespace
#   5. smoke.sh            smoke test with the real build (when lockin-web/target has it): the unit's
#                          ExecStart, expanded as systemd would, runs the installed release against a
#                          PostgreSQL, behind the installed nginx site; SIGTERM ends it with 143
#   lib.sh, fixtures.sh    the harness (counts, tools, scratch directory) and what groups share
#
# Prints each check; the last line is "deploy: N passed, N failed", followed by
# ", N skipped (what: why; ...)" when a check or a group could not run (a tool
# missing, no build, ...): nothing is skipped silently. Exits non-zero when a
# check failed, a required tool that could not be installed included.
# Needs root only to install missing tools with apt-get (systemd, nginx, openssl,
# curl, jq, postgresql-client, shellcheck). LOCKIN_DEPLOY_SMOKE=0 skips part 5
# (counted as skipped); KEEP=1 keeps the scratch directory.
# `deploy/test.sh --install-tools` only installs the tools (all of them, or fails): CI runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
checks=$REPO/deploy/checks
# shellcheck source=deploy/lib/env-file.sh
. "$REPO/deploy/lib/env-file.sh"
# shellcheck source=deploy/checks/lib.sh
. "$checks/lib.sh"
# shellcheck source=deploy/checks/fixtures.sh
. "$checks/fixtures.sh"
# shellcheck source=deploy/checks/shellcheck.sh
. "$checks/shellcheck.sh"
# shellcheck source=deploy/checks/unit.sh
. "$checks/unit.sh"
# shellcheck source=deploy/checks/nginx.sh
. "$checks/nginx.sh"
# shellcheck source=deploy/checks/deploy-root.sh
. "$checks/deploy-root.sh"
# shellcheck source=deploy/checks/deploy-isolated.sh
. "$checks/deploy-isolated.sh"
# shellcheck source=deploy/checks/smoke.sh
. "$checks/smoke.sh"

if [[ ${1:-} == --install-tools ]]; then install_all_tools; exit; fi
make_scratch
ensure_tools
group "shellcheck" checks_shellcheck shellcheck
group "systemd unit (deploy/lockin.service)" checks_unit systemd-analyze
group "nginx sites" checks_nginx nginx openssl curl jq
group "deploy.sh" checks_deploy_root openssl
group "deploy.sh on this host's real paths, isolated (private mount namespace)" checks_deploy_isolated openssl unshare nginx
group "smoke test: the unit's ExecStart with the real build" checks_smoke java openssl nginx curl jq psql
summary
