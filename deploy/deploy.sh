#!/usr/bin/env bash
# Installs or upgrades LockIN on this host (Amazon Linux 2023 with dnf, or
# Debian/Ubuntu with apt), then says what it did, step by step:
#
#   Java 17 (java-17-amazon-corretto-headless / openjdk-17-jre-headless) and nginx, unless there
#   the `lockin` system user
#   /opt/lockin/              payara-micro.jar and lockin.war of this release (the previous
#                             ones in /opt/lockin/previous/), logging.properties, preboot.asadmin, postdeploy.asadmin,
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
#   --limit-rate N       nginx, per client address: requests a second (default 30)
#   --limit-burst N      ... requests at once before that rate applies (default 120)
#   --limit-streams N    ... open event streams (default 40, at most 65535); past a limit nginx answers 429
#                        An upgrade keeps the server name, certificate paths and limits of
#                        the installed site unless these options say otherwise.
#   --restart            restart the service even when nothing changed
#   --no-start           install and enable, but do not (re)start the service
#   --root DIR           install into DIR instead of /: every file where it would go under DIR;
#                        no packages, no user, no systemctl, no nginx -t (for tests)
#   --dry-run            print every action without doing any
#   -h, --help           this text
set -euo pipefail

# One file a step in deploy/steps/, each saying at its top what it decides;
# deploy/lib/deploy-actions.sh is how they print and change the host.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=deploy/lib/env-file.sh
. "$here/lib/env-file.sh"
# shellcheck source=deploy/lib/deploy-actions.sh
. "$here/lib/deploy-actions.sh"
# shellcheck source=deploy/steps/options.sh
. "$here/steps/options.sh"
# shellcheck source=deploy/steps/preflight.sh
. "$here/steps/preflight.sh"
# shellcheck source=deploy/steps/packages.sh
. "$here/steps/packages.sh"
# shellcheck source=deploy/steps/user.sh
. "$here/steps/user.sh"
# shellcheck source=deploy/steps/release.sh
. "$here/steps/release.sh"
# shellcheck source=deploy/steps/settings.sh
. "$here/steps/settings.sh"
# shellcheck source=deploy/steps/unit.sh
. "$here/steps/unit.sh"
# shellcheck source=deploy/steps/nginx.sh
. "$here/steps/nginx.sh"
# shellcheck source=deploy/steps/service.sh
. "$here/steps/service.sh"
# shellcheck source=deploy/steps/summary.sh
. "$here/steps/summary.sh"

main() {
  parse_options "$@"   # options.sh
  preflight            # preflight.sh: [1] what this release brings; install or upgrade
  install_packages     # packages.sh:  [2] Java 17 and nginx
  ensure_user          # user.sh:      [3] the lockin system user
  install_release      # release.sh:   [4] /opt/lockin
  install_env_file     # settings.sh:  [5] /etc/lockin/lockin.env
  install_unit         # unit.sh:      [6] the systemd unit
  configure_nginx      # nginx.sh:     [7] the nginx site
  start_service        # service.sh:   [8] enable, (re)start, wait until ready
  summary              # summary.sh:   [9] what changed
}
main "$@"
