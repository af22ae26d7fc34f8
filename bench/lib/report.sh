# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# The results: the table (printed, and in the results), the chart, and both in BENCHMARKS.md.

pct() { echo "$1 * 100 / $2" | bc -l | xargs printf '%.0f'; }
yes_no() { if [[ $1 == 1 ]]; then echo met; else echo MISSED; fi; }
le() { [[ $(echo "$1 <= $2" | bc -l) == 1 ]] && echo 1 || echo 0; }
lt() { [[ $(echo "$1 < $2" | bc -l) == 1 ]] && echo 1 || echo 0; }

declare -A TITLE=([progress]="progress of the hot group" [clock]="clock cycle step" [groups]="groups list" [notifications]="notifications page"
                  [anchor]="GET /api/anchor: a constant behind the API's authentication and filters" [bare]="GET /bare/anchor: the same constant, bare JAX-RS" [me]="GET /api/me: the caller's own profile"
                  [history]="history page of the hot group (20 periods)" [stats]="a year of stats for one person")
declare -A TARGET=([progress]="≥ 100 % (of the per-request statement it replaced), p99 < 20 ms" [clock]="≥ 80 %" [groups]="≥ 50 %, or ≥ 80 % of the API's constant" [notifications]="≥ 50 %, or ≥ 80 % of the API's constant"
                   [history]="p99 < 50 ms at 10 M (32 connections)" [stats]="p99 < 50 ms at 10 M (32 connections)")
declare -A CHART_TITLE=([history]="history page (20 periods)" [stats]="a year of stats")   # shorter, for the chart
human() { case $1 in 10000) echo "10 k" ;; 1000000) echo "1 M" ;; 10000000) echo "10 M" ;; *) echo "$1" ;; esac; }
TEN_M=10000000
# the scenarios measured at the main scale (API and database only), in the order they ran
measured() { local s; for s in "${ALL_SCENARIOS[@]}"; do if [[ -n ${API_RPS[$s]:-} && -n ${DB_TPS[$s]:-} ]]; then echo "$s"; fi; done; }
# history and stats: p99 < 50 ms at 10 M, or at the largest scale measured when 10 M was not run
large_target() {   # scenario: prints "figure|met-or-MISSED (note)"
  local s=$1
  if [[ -n ${AT_P99[$s:$TEN_M]:-} ]]; then
    echo "p99 ${AT_P99[$s:$TEN_M]} ms at 10 M|$(yes_no "$(lt "${AT_P99[$s:$TEN_M]}" 50)") at 10 M$([[ $CONNECTIONS == 32 ]] || echo " (at $CONNECTIONS connections, not 32)")"
  elif [[ -n ${AT_P99[$s:$MAIN_SCALE]:-} ]]; then
    echo "p99 ${AT_P99[$s:$MAIN_SCALE]} ms at $(human "$MAIN_SCALE")|$(yes_no "$(lt "${AT_P99[$s:$MAIN_SCALE]}" 50)") at $(human "$MAIN_SCALE"); 10 M not run (--10m)"
  fi
}

scenario_table() {
  echo "| scenario ($(human "$MAIN_SCALE") logs, $CONNECTIONS connections; medians of $RUNS runs) | API req/s (spread) | p50 ms | p99 ms | errors | DB-only req/s (spread) | DB p50 ms | DB p99 ms | API / DB | target |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"
  local s ratio met
  for s in $(measured); do
    ratio=$(pct "${API_RPS[$s]}" "${DB_TPS[$s]}")
    met=
    case $s in
      progress) met=" ($(yes_no $(( $(le 100 "$ratio") && $(lt "${API_P99[$s]}" 20) ))))" ;;
      groups|notifications)
        met=" ($(yes_no $(( $(le 50 "$ratio") || $(le 80 "$( [[ -n ${API_RPS[anchor]:-} ]] && pct "${API_RPS[$s]}" "${API_RPS[anchor]}" || echo 0)") ))))" ;;
      clock) met=" ($(yes_no "$(le 80 "$ratio")"))" ;;
      history|stats) met=" ($(large_target "$s" | sed 's/^[^|]*|//'))" ;;
    esac
    printf '| %s | %.0f (%s %%) | %s | %s | %s | %.0f (%s %%) | %s | %s | %s %% | %s%s |\n' "${TITLE[$s]}" "${API_RPS[$s]}" "${API_SPREAD[$s]}" \
      "${API_P50[$s]}" "${API_P99[$s]}" "${API_ERR[$s]}" "${DB_TPS[$s]}" "${DB_SPREAD[$s]}" "${DB_P50[$s]}" "${DB_P99[$s]}" "$ratio" "${TARGET[$s]}" "$met"
  done
}
or_dash() { if [[ -n ${1:-} ]]; then echo "$1"; else echo "–"; fi; }
# The server's own ceiling (issue 28): the anchors, and each read endpoint's rate as a share of the
# authenticated one (what an endpoint costs above the API's common path is its own work)
# the anchors, and the CPU a request costs the server and PostgreSQL in every scenario measured
anchor_table() {
  echo "| the server's own ceiling ($(human "$MAIN_SCALE") logs, $CONNECTIONS connections; medians of $RUNS runs) | req/s (spread) | p50 ms | p99 ms | errors | CPU per request: server / PostgreSQL |"
  echo "|---|--:|--:|--:|--:|--:|"
  local s
  for s in "${ANCHOR_SCENARIOS[@]}"; do
    [[ -n ${API_RPS[$s]:-} ]] || continue
    printf '| %s | %.0f (%s %%) | %s | %s | %s | %s / %s µs |\n' "${TITLE[$s]}" "${API_RPS[$s]}" "${API_SPREAD[$s]}" "${API_P50[$s]}" "${API_P99[$s]}" \
      "${API_ERR[$s]}" "${API_SERVER_US[$s]:-–}" "${API_DB_US[$s]:-–}"
  done
  for s in $(measured); do
    if [[ -n ${API_RPS[anchor]:-} && $s != clock ]]; then
      printf '| %s, as a share of the constant behind the API'"'"'s path | %s %% | | | | %s / %s µs |\n' "${TITLE[$s]}" \
        "$(pct "${API_RPS[$s]}" "${API_RPS[anchor]}")" "${API_SERVER_US[$s]:-–}" "${API_DB_US[$s]:-–}"
    else
      printf '| %s | | | | | %s / %s µs |\n' "${TITLE[$s]}" "${API_SERVER_US[$s]:-–}" "${API_DB_US[$s]:-–}"
    fi
  done
}
scale_table() {
  echo "| time logs | generated in (of which the member-period totals) | database | progress EXPLAIN ANALYZE (execution / planning) | progress p50 / p99 under load | progress req/s (spread) | ready after (median of $RUNS, spread) | RSS idle |"
  echo "|--:|--:|--:|--:|--:|--:|--:|--:|"
  local scale rps
  for scale in "${SCALES[@]}"; do
    rps=–
    if [[ -n ${PROGRESS_RPS[$scale]:-} ]]; then rps="$(printf '%.0f' "${PROGRESS_RPS[$scale]}") (${PROGRESS_SPREAD[$scale]} %)"; fi
    printf '| %s (%s) | %s s (%s s) | %s | %s ms / %s ms | %s ms / %s ms | %s | %s s (%s %%) | %s MB |\n' "$(human "$scale")" "${LOGS[$scale]}" "${GEN_S[$scale]}" \
      "$(or_dash "${TOTALS_S[$scale]:-}")" "${SIZE[$scale]}" "$(or_dash "${EXPLAIN_MS[$scale]:-}")" "$(or_dash "${PLAN_MS[$scale]:-}")" \
      "$(or_dash "${PROGRESS_P50[$scale]:-}")" "$(or_dash "${PROGRESS_P99[$scale]:-}")" \
      "$rps" "${STARTUP[$scale]}" "${STARTUP_SPREAD[$scale]}" "${RSS_IDLE[$scale]}"
  done
}
# history and stats at each scale they ran at (the main one and 10 M)
large_table() {
  echo "| history and stats, by scale ($CONNECTIONS connections; medians of $RUNS runs) | time logs | EXPLAIN ANALYZE of its statements (execution / planning) | API req/s (spread) | p50 ms | p99 ms | errors | p99 < 50 ms |"
  echo "|---|--:|--:|--:|--:|--:|--:|---|"
  local s scale
  for s in history stats; do
    for scale in "${SCALES[@]}"; do
      [[ -n ${AT_RPS[$s:$scale]:-} ]] || continue
      printf '| %s | %s | %s ms / %s ms | %.0f (%s %%) | %s | %s | %s | %s |\n' "${TITLE[$s]}" "$(human "$scale")" \
        "$(or_dash "${AT_EXPLAIN[$s:$scale]:-}")" "$(or_dash "${AT_PLAN[$s:$scale]:-}")" "${AT_RPS[$s:$scale]}" "${AT_SPREAD[$s:$scale]}" \
        "${AT_P50[$s:$scale]}" "${AT_P99[$s:$scale]}" "${AT_ERR[$s:$scale]}" "$(yes_no "$(lt "${AT_P99[$s:$scale]}" 50)")"
    done
  done
}
# the progress read's cost with streaks against its cost before them (measure_streak_cost)
streak_cost_row() {
  [[ -n ${STREAK_X:-} ]] || return 0
  echo "| progress read with streaks: cost ≤ 1.10 × the board before them (pgbench, same database, 9 alternating rounds) | cost × $STREAK_X (median of the rounds' ratios, range $STREAK_X_RANGE); $(printf '%.0f' "$STREAK_TPS") req/s with streaks, $(printf '%.0f' "$BEFORE_STREAKS_TPS") before them | $(yes_no "$(le "$STREAK_X" 1.10)") |"
}
targets_table() {
  echo "| target | figure | |"
  echo "|---|---|---|"
  local s line
  if [[ -n ${API_RPS[progress]:-} && -n ${DB_TPS[progress]:-} ]]; then
    echo "| progress read ≥ 100 % of the database-only ceiling of the statement it replaced, p99 < 20 ms | $(pct "${API_RPS[progress]}" "${DB_TPS[progress]}") %, p99 ${API_P99[progress]} ms | $(yes_no $(( $(le 100 "$(pct "${API_RPS[progress]}" "${DB_TPS[progress]}")") && $(lt "${API_P99[progress]}" 20) ))) |"
    streak_cost_row
  fi
  for s in groups notifications; do
    if [[ -n ${API_RPS[$s]:-} && -n ${DB_TPS[$s]:-} ]]; then
      local ratio share=""
      ratio=$(pct "${API_RPS[$s]}" "${DB_TPS[$s]}")
      if [[ -n ${API_RPS[anchor]:-} ]]; then share=$(pct "${API_RPS[$s]}" "${API_RPS[anchor]}"); fi
      echo "| ${TITLE[$s]} ≥ 50 % of its database-only ceiling, or ≥ 80 % of the constant behind the API's path | $ratio %$([[ -n $share ]] && echo "; $share % of the constant") | $(yes_no $(( $(le 50 "$ratio") || $(le 80 "${share:-0}") ))) |"
    fi
  done
  if [[ -n ${API_RPS[clock]:-} && -n ${DB_TPS[clock]:-} ]]; then
    echo "| clock cycle steps (with Idempotency-Key) ≥ 80 % of their ceiling | $(pct "${API_RPS[clock]}" "${DB_TPS[clock]}") % | $(yes_no "$(le 80 "$(pct "${API_RPS[clock]}" "${DB_TPS[clock]}")")") |"
  fi
  for s in history stats; do
    line=$(large_target "$s")
    [[ -n $line ]] || continue
    echo "| ${TITLE[$s]}: p99 < 50 ms at 10 M (32 connections) | ${line%%|*} | ${line#*|} |"
  done
  if [[ $SMALL != "$LARGE" && -n ${PROGRESS_P50[$SMALL]:-} && -n ${PROGRESS_P50[$LARGE]:-} ]]; then
    echo "| progress p50 at $(human "$LARGE") ≤ 1.5 × p50 at $(human "$SMALL") | ${PROGRESS_P50[$LARGE]} ms / ${PROGRESS_P50[$SMALL]} ms = ${GROWTH} × | $(yes_no "$(le "$GROWTH" 1.5)")$([[ $LARGE == "$TEN_M" ]] || echo ' (10 M not run: --10m)') |"
  fi
  echo "| ready within 10 s (at 1 M) | ${STARTUP[$MAIN_SCALE]} s | $(yes_no "$(le "${STARTUP[$MAIN_SCALE]}" 10)") |"
  if [[ -n ${EMPTY_STARTUP[$MAIN_SCALE]:-} ]]; then
    echo "| ready within 3 s of an empty Payara Micro started the same way (median of $RUNS, each just before) | ${STARTUP[$MAIN_SCALE]} s against ${EMPTY_STARTUP[$MAIN_SCALE]} s | $(yes_no "$(le "${STARTUP[$MAIN_SCALE]}" "$(echo "${EMPTY_STARTUP[$MAIN_SCALE]} + 3" | bc)")") |"
  fi
  echo "| RSS under load ≤ 512 MB | $RSS_LOAD MB (idle ${RSS_IDLE[$MAIN_SCALE]} MB) | $(yes_no "$(le "$RSS_LOAD" 512)") |"
  export_target_row
}
# Prints the tables and keeps them in $RESULTS/table.md.
write_table() {
  SMALL=${SCALES[0]}
  LARGE=${SCALES[-1]}
  GROWTH=
  if [[ -n ${PROGRESS_P50[$SMALL]:-} && -n ${PROGRESS_P50[$LARGE]:-} ]]; then
    GROWTH=$(echo "${PROGRESS_P50[$LARGE]} / ${PROGRESS_P50[$SMALL]}" | bc -l | xargs printf '%.2f')
  fi
  {
    scenario_table; echo; scale_table; echo
    if [[ -n ${!AT_RPS[*]} ]]; then large_table; echo; fi
    if [[ -n ${API_RPS[anchor]:-}${API_RPS[bare]:-} ]]; then anchor_table; echo; fi
    targets_table
  } >"$RESULTS/table.md"
  local s k
  DISTURBANCE=$({ for s in $(measured); do echo "${API_OTH[$s]}"; echo "${DB_OTH[$s]}"; done
                  for s in "${ANCHOR_SCENARIOS[@]}"; do echo "${API_OTH[$s]:-0}"; done
                  for k in "${!AT_OTH[@]}"; do echo "${AT_OTH[$k]}"; done; echo 0; } | sort -n | tail -n 1)
  cat "$RESULTS/table.md"
  echo
  echo "CPU used by other processes during the measured runs: at most ${DISTURBANCE} % of the machine"
}

write_chart() {
  {
    echo "# scenario api_rps db_rps api_p99 db_p99"
    for s in $(measured); do
      echo "\"${CHART_TITLE[$s]:-${TITLE[$s]}}\" ${API_RPS[$s]} ${DB_TPS[$s]} ${API_P99[$s]} ${DB_P99[$s]}"
    done
  } >"$RESULTS/chart.dat"
  gnuplot -e "data='$RESULTS/chart.dat'; out='$RESULTS/results.png'; subtitle='$(date +%Y-%m-%d), 1 M time logs, $CONNECTIONS connections, $CORES cores'" bench/chart.gp
}

# BENCHMARKS.md's results block (between its bench:results markers) and bench/results.png
update_docs() {
  cp "$RESULTS/results.png" bench/results.png
  {
    echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'), in $((ELAPSED / 60)) min $((ELAPSED % 60)) s, with:"
    echo
    echo '```bash'
    echo "./lockin bench${BENCH_ARGS:+ $BENCH_ARGS}"
    echo '```'
    echo
    echo "Machine: $CORES cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ {print $2}') GiB memory;"
    echo "$(java -version 2>&1 | head -n 1); PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'); $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}');"
    echo "$(grep -o -m 1 'Payara Micro [0-9.]* (build [0-9]*)' "$RESULTS/server-$MAIN_SCALE.log" || echo 'Payara Micro'), \`$SERVER_JAVA_OPTS\`, \`--maxhttpthreads $SERVER_HTTP_THREADS\` ($SERVER_SETTINGS_NOTE)."
    echo "Each figure is the median of $RUNS measured runs after a warm-up that lasts until two 10 s chunks in a row bring no new high by more than ${STABLE_PERCENT} % (and at least ${WARMUP_MIN} s, \`--min-warmup\`);"
    echo "spread = (max − min) / median of the $RUNS. CPU used by other processes during the measured loads: at most ${DISTURBANCE} % of the machine."
    echo
    cat "$RESULTS/table.md"
    echo
    echo '![throughput and p99 per scenario, API against the database-only ceiling](bench/results.png)'
  } >"$RESULTS/benchmarks-block.md"
  BLOCK="$RESULTS/benchmarks-block.md" perl -0pi -e '
      BEGIN { local $/; open my $f, "<", $ENV{BLOCK} or die "$ENV{BLOCK}: $!"; $block = <$f>; }
      s/(<!-- bench:results:begin -->\n).*?(<!-- bench:results:end -->)/$1\n$block\n$2/s' BENCHMARKS.md
  echo "BENCHMARKS.md and bench/results.png updated"
}

# BENCHMARKS.md's block NAME (between its bench:NAME markers): when and how the run was made, the
# machine and server settings followed by NOTE, more lines of the scenario's own, then the table
# in $RESULTS/NAME-table.md.
update_docs_block() {   # name note [lines...]
  local name=$1 note=$2 line; shift 2
  {
    echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC') with:"
    echo
    echo '```bash'
    echo "./lockin bench${BENCH_ARGS:+ $BENCH_ARGS}"
    echo '```'
    echo
    echo "Machine: $CORES cores; Payara Micro \`$SERVER_JAVA_OPTS\`, \`--maxhttpthreads $SERVER_HTTP_THREADS\` ($SERVER_SETTINGS_NOTE)$note"
    for line in "$@"; do echo "$line"; done
    echo
    cat "$RESULTS/$name-table.md"
  } >"$RESULTS/$name-block.md"
  BLOCK="$RESULTS/$name-block.md" NAME=$name perl -0pi -e '
      BEGIN { local $/; open my $f, "<", $ENV{BLOCK} or die "$ENV{BLOCK}: $!"; $block = <$f>; }
      s/(<!-- bench:$ENV{NAME}:begin -->\n).*?(<!-- bench:$ENV{NAME}:end -->)/$1\n$block\n$2/s' BENCHMARKS.md
  echo "BENCHMARKS.md ($name) updated"
}

report() {
  say "Results"
  if wanted_wrk; then
    write_table
    if wanted_ceiling; then write_chart; fi
  fi
  if wanted export; then write_export_table; fi
  if wanted live; then write_live_table; fi
  if wanted push; then write_push_table; fi
  if $REPLICA; then write_replica_table; fi
  ELAPSED=$(( $(date +%s) - BEGAN ))
  if $DOCS; then
    # the results block only from a run of everything (--only is a partial run); the live block
    # from any run that had the live scenario
    if [[ -z $ONLY ]]; then update_docs; elif wanted_wrk; then echo "--only: BENCHMARKS.md's results block left alone"; fi
    if wanted export; then update_export_docs; fi
    if wanted live; then update_live_docs; fi
    if wanted push; then update_push_docs; fi
    if $REPLICA; then update_replica_docs; fi
  fi
  say "Done in $((ELAPSED / 60)) min $((ELAPSED % 60)) s"
}
