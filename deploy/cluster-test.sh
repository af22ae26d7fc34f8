#!/usr/bin/env bash
# Scale-out, proven on one machine (issue 6, point 6):
#   - one PostgreSQL, two Payara Micro instances on different ports joined in one
#     data grid on loopback (Hazelcast, tcpip discovery), nginx in front of both;
#   - the archival timer ticks on both instances, and an expired group's running
#     session is stopped and logged exactly once;
#   - clock cycles run through nginx while one instance is killed with SIGKILL:
#     every write the API acknowledged is in the database, and the other
#     instance keeps serving.
# the outbox (issue 27): a webhook's events all arrive, in order, when the instance
# delivering is killed mid-delivery and when PostgreSQL restarts with items pending;
# fair use (issue 14): one caller's limit (invites) holds across both instances;
# reads from a streaming replica of PostgreSQL (issue 29): both instances read
# from it, and a write through one is in the writer's next read through the
# other while the replica is held behind (LockIN-Read-After);
# and the live updates (issue 12, Server-Sent Events), through the real nginx
# site of deploy/nginx (its stream location):
#   - a subscriber on one instance sees a write made on the other within 1 s
#     (PostgreSQL LISTEN/NOTIFY, one listener per instance);
#   - after a PostgreSQL restart both instances deliver again within seconds
#     (their listeners reconnected, every subscriber got a fresh board);
#   - a stream cut by SIGKILL of its instance reconnects through nginx to the
#     other one and gets the current board first;
#   - SIGTERM ends an instance's streams with `event: end` (shutting_down) at
#     once, and their clients reconnect through nginx to the other instance.
# Run: ./lockin cluster-test (builds first when needed). Needs nginx (installed
# with apt-get when missing), curl and python3. Prints what it checked; exits
# non-zero on the first failed check. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

# One file a step in deploy/cluster/, each saying at its top what it checks;
# deploy/lib/cluster.sh and deploy/lib/sse.sh are what the steps share.
# shellcheck source=deploy/lib/cluster.sh
. deploy/lib/cluster.sh
# shellcheck source=deploy/lib/sse.sh
. deploy/lib/sse.sh
# shellcheck source=deploy/cluster/prerequisites.sh
. deploy/cluster/prerequisites.sh
# shellcheck source=deploy/cluster/database.sh
. deploy/cluster/database.sh
# shellcheck source=deploy/cluster/instances.sh
. deploy/cluster/instances.sh
# shellcheck source=deploy/cluster/nginx.sh
. deploy/cluster/nginx.sh
# shellcheck source=deploy/cluster/archival-timer.sh
. deploy/cluster/archival-timer.sh
# shellcheck source=deploy/cluster/fair-use.sh
. deploy/cluster/fair-use.sh
# shellcheck source=deploy/cluster/live-updates.sh
. deploy/cluster/live-updates.sh
# shellcheck source=deploy/cluster/database-restart.sh
. deploy/cluster/database-restart.sh
# shellcheck source=deploy/cluster/kill-under-load.sh
. deploy/cluster/kill-under-load.sh
# shellcheck source=deploy/cluster/sigterm-streams.sh
. deploy/cluster/sigterm-streams.sh
# shellcheck source=deploy/cluster/outbox.sh
. deploy/cluster/outbox.sh
# shellcheck source=deploy/cluster/sigterm-in-flight.sh
. deploy/cluster/sigterm-in-flight.sh
# shellcheck source=deploy/cluster/replica.sh
. deploy/cluster/replica.sh

WORK=$(mktemp -d /tmp/lockin-cluster.XXXXXX)
PIDS=()
trap cleanup EXIT

require_tools_and_build             # prerequisites.sh
choose_ports
start_database_and_keys             # database.sh
start_webhook_receiver              # outbox.sh: before the instances, which trust its certificate
start_instances                     # instances.sh: alpha and beta, one data grid
start_nginx                         # nginx.sh: the real site in front of both
check_archival_timer                # archival-timer.sh
check_fair_use                      # fair-use.sh
check_reads_on_replica              # replica.sh: reads on the replica, a writer's next read on the other instance
check_write_across_instances        # live-updates.sh
check_database_restart              # database-restart.sh
check_outbox_survives_kill_and_restart   # outbox.sh: a kill mid-delivery, PostgreSQL restarted with items pending
open_board_stream_on_alpha          # kill-under-load.sh
kill_alpha_under_load
check_beta_serves_alone
check_board_stream_moves_to_beta
check_sigterm_ends_streams          # sigterm-streams.sh
check_sigterm_request_in_flight     # sigterm-in-flight.sh
say "all checks passed"
