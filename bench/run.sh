#!/usr/bin/env bash
# ./lockin bench: LockIN's benchmark, unattended (see BENCHMARKS.md).
#
#   ./lockin bench [--10m] [--duration S] [--warmup S] [--min-warmup S] [--connections N] [--jfr] [--replica] [--keep] [--no-docs]
#                  [--only LIST] [--live-streams N] [--live-rate R] [--live-duration S] [--live-hot H]
#
#   --10m          also the 10 M time-log scale (progress cost, history, stats, startup; ~25 minutes more)
#   --duration S   seconds each measured load runs (default 30); every figure is the median of 3 runs
#   --warmup S     most seconds of warm-up load before a scenario is measured (default 120): 10 s
#                  chunks with a 3 s pause after each, until two chunks in a row bring no new high
#                  by more than 5 % (results thrown away), after --min-warmup S (default 90) at least
#   --connections  concurrent connections of wrk and of pgbench (default 32)
#   --jfr          record a Java Flight Recording of the server at the 1 M scale, and of the push
#                  scenario's server (in the results)
#   --replica      then progress, history and stats again with their reads on a streaming replica of
#                  the database on this machine (pg_basebackup -R; bench/lib/replica.sh): the primary's
#                  CPU per request without and with it, and the replication lag p99 while the clock writes
#   --keep         keep the database's data folder at the end (it is removed otherwise)
#   --no-docs      do not update BENCHMARKS.md and bench/results.png
#   --only LIST    only these scenarios, comma-separated, of progress, groups, notifications, clock,
#                  history, stats, anchor, bare, me, live, export, push: at the 1 M scale (and at 10 M with --10m: of progress,
#                  history and stats), no 10 k scale; the table is printed but BENCHMARKS.md's
#                  results block is left alone (a partial run). --only live alone: data, one server
#                  start, one run (~6 minutes); BENCHMARKS.md gets its live block only. --only export:
#                  data, the server's starts, the export (~5 minutes); BENCHMARKS.md gets its export block
#   --live-streams N  SSE streams held open (default 10000); --live-rate R: writes a second to the
#                  hot group (default 100); --live-duration S: seconds of measured writes (default
#                  60, after 10 s of warm-up writes); --live-hot H: streams of the hot group (default 200)
#
# What it does, in order, for each scale (10 k, 1 M time logs, and 10 M with --10m):
#   1. a fresh PostgreSQL database, migrated, filled by bench/generate.sql (set-based SQL, triggers
#      off; then the history-and-streaks tables the triggers would have kept: target_history, and
#      member_period_totals rebuilt for every group, timed)
#   2. Payara Micro started as in production (the launcher's JVM flags): seconds from launch to
#      /health/ready answering 200 with its database check, and its resident memory (RSS) idle;
#      at the main scale an empty Payara Micro started the same way before each start (the anchor)
#   3. the progress query: EXPLAIN ANALYZE of the statement the application sends (captured from
#      the server's SQL log), and the endpoint's p50 under load
# and at 1 M, the main scale:
#   4. every scenario under wrk (32 connections, each simulated user sending its own token):
#      requests/s, p50/p99, errors (non-2xx included), RSS under load (the peak); besides the
#      progress read, the groups list, the notifications page and the clock cycle: history (pages
#      of 20 periods over the hot group's year, as its members) and stats (a year of one's own
#      focus per day, as 1024 users); EXPLAIN ANALYZE of the progress, history and stats statements;
#      the server's own ceiling (a constant behind the API's path, the same bare, GET /api/me) and
#      the CPU per request of the server and of PostgreSQL in every scenario
#   5. the database-only ceiling: pgbench with the same connections replaying exactly the SQL
#      statements one request of the scenario sent (captured with log_statement = all); and the
#      streaks' cost: the board (group_leaderboard) against the board before streaks
#      (bench/board-before-streaks.sql) in alternating pgbench runs on the same database
#   6. the export scenario (bench/lib/export.sh): a year's export of one person with 1 M logs in
#      that year, as CSV, iCalendar and the JSON of everything: time to first and last byte, size,
#      server RSS during it (peak; BENCH_EXPORT_LOGS changes the person's logs)
#   7. the live scenario (bench/live/, Node.js): leaderboard streams held open while the hot group
#      is written to: write -> event latency, freshness, dropped streams, client CPU, server RSS
#   7b. the push scenario (bench/lib/push.sh): milestones in 200 groups of 50 with two
#      phones each and 100 webhooks, delivered through the outbox to mock APNs/FCM/webhook servers
#      on this machine: commit -> delivered p50/p99, drained rate, the clock step meanwhile (and
#      its statements replayed by pgbench beside a second set of deliveries), RSS
#   8. the table (printed, and written with the chart into BENCHMARKS.md)
# and at 10 M (--10m), after 3: history and stats too, EXPLAIN ANALYZE and under wrk (their target:
# p99 < 50 ms at 10 M, 32 connections).
#
# Everything it starts (PostgreSQL, Payara Micro) it stops on exit, Ctrl-C included.
# Other processes on this machine disturb the figures: each measurement records the CPU that
# processes other than the benchmark's own used meanwhile, and a disturbed one is run again.
#
# The parts, one file a job, in bench/lib/: setup.sh (options, prerequisites, the server settings
# of deploy/defaults.env), processes.sh (PostgreSQL and Payara Micro, started and stopped),
# cpu.sh (disturbance by other processes), measure.sh (wrk and pgbench runs), capture.sh (the SQL
# of each scenario), scale.sh (what each scale does), report.sh (table, chart, BENCHMARKS.md),
# live.sh (the live scenario: its data, the Node.js load client, its table), export.sh (the export
# scenario: its person, bench/export/setup.sql, the downloads, its table).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BEGAN=$(date +%s)
BENCH_ARGS="$*"
# shellcheck source=deploy/lib/env-file.sh
. deploy/lib/env-file.sh
# shellcheck source=bench/lib/setup.sh
. bench/lib/setup.sh
# shellcheck source=bench/lib/processes.sh
. bench/lib/processes.sh
# shellcheck source=bench/lib/cpu.sh
. bench/lib/cpu.sh
# shellcheck source=bench/lib/measure.sh
. bench/lib/measure.sh
# shellcheck source=bench/lib/capture.sh
. bench/lib/capture.sh
# shellcheck source=bench/lib/scale.sh
. bench/lib/scale.sh
# shellcheck source=bench/lib/report.sh
. bench/lib/report.sh
# shellcheck source=bench/lib/live.sh
. bench/lib/live.sh
# shellcheck source=bench/lib/export.sh
. bench/lib/export.sh
# shellcheck source=bench/lib/push.sh
. bench/lib/push.sh
# shellcheck source=bench/lib/replica.sh
. bench/lib/replica.sh

main() {
  parse_options "$@"
  start_log
  install_packages
  find_postgres
  build_if_needed
  stop_on_exit
  read_server_settings
  say "LockIN benchmark: scales ${SCALES[*]} time logs, $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s per load"
  echo "results: ${RESULTS#"$ROOT"/}"
  start_postgres
  say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT (data in $PG_DIR)"
  local scale
  for scale in "${SCALES[@]}"; do run_scale "$scale"; done
  report
}
main "$@"
