# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# The results: the table (printed, and in the results), the chart, and both in BENCHMARKS.md.

pct() { echo "$1 * 100 / $2" | bc -l | xargs printf '%.0f'; }
yes_no() { if [[ $1 == 1 ]]; then echo met; else echo MISSED; fi; }
le() { [[ $(echo "$1 <= $2" | bc -l) == 1 ]] && echo 1 || echo 0; }
lt() { [[ $(echo "$1 < $2" | bc -l) == 1 ]] && echo 1 || echo 0; }

declare -A TITLE=([progress]="progress of the hot group" [clock]="clock cycle step" [groups]="groups list" [notifications]="notifications page")
declare -A TARGET=([progress]="≥ 50 %, p99 < 20 ms" [clock]="≥ 80 %" [groups]="–" [notifications]="–")
human() { case $1 in 10000) echo "10 k" ;; 1000000) echo "1 M" ;; 10000000) echo "10 M" ;; *) echo "$1" ;; esac; }

scenario_table() {
  echo "| scenario (1 M logs, $CONNECTIONS connections; medians of $RUNS runs) | API req/s (spread) | p50 ms | p99 ms | errors | DB-only req/s (spread) | DB p50 ms | DB p99 ms | API / DB | target |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"
  local s ratio met
  for s in progress clock groups notifications; do
    ratio=$(pct "${API_RPS[$s]}" "${DB_TPS[$s]}")
    met=
    case $s in
      progress) met=" ($(yes_no $(( $(le 50 "$ratio") && $(lt "${API_P99[$s]}" 20) ))))" ;;
      clock) met=" ($(yes_no "$(le 80 "$ratio")"))" ;;
    esac
    printf '| %s | %.0f (%s %%) | %s | %s | %s | %.0f (%s %%) | %s | %s | %s %% | %s%s |\n' "${TITLE[$s]}" "${API_RPS[$s]}" "${API_SPREAD[$s]}" \
      "${API_P50[$s]}" "${API_P99[$s]}" "${API_ERR[$s]}" "${DB_TPS[$s]}" "${DB_SPREAD[$s]}" "${DB_P50[$s]}" "${DB_P99[$s]}" "$ratio" "${TARGET[$s]}" "$met"
  done
}
scale_table() {
  echo "| time logs | generated in | database | progress EXPLAIN ANALYZE (execution / planning) | progress p50 / p99 under load | progress req/s (spread) | ready after (median of $RUNS, spread) | RSS idle |"
  echo "|--:|--:|--:|--:|--:|--:|--:|--:|"
  local scale
  for scale in "${SCALES[@]}"; do
    printf '| %s (%s) | %s s | %s | %s ms / %s ms | %s ms / %s ms | %.0f (%s %%) | %s s (%s %%) | %s MB |\n' "$(human "$scale")" "${LOGS[$scale]}" "${GEN_S[$scale]}" \
      "${SIZE[$scale]}" "${EXPLAIN_MS[$scale]}" "${PLAN_MS[$scale]}" "${PROGRESS_P50[$scale]}" "${PROGRESS_P99[$scale]}" \
      "${PROGRESS_RPS[$scale]}" "${PROGRESS_SPREAD[$scale]}" "${STARTUP[$scale]}" "${STARTUP_SPREAD[$scale]}" "${RSS_IDLE[$scale]}"
  done
}
targets_table() {
  echo "| target | figure | |"
  echo "|---|---|---|"
  echo "| progress read ≥ 50 % of its database-only ceiling, p99 < 20 ms | $(pct "${API_RPS[progress]}" "${DB_TPS[progress]}") %, p99 ${API_P99[progress]} ms | $(yes_no $(( $(le 50 "$(pct "${API_RPS[progress]}" "${DB_TPS[progress]}")") && $(lt "${API_P99[progress]}" 20) ))) |"
  echo "| clock cycle steps (with Idempotency-Key) ≥ 80 % of their ceiling | $(pct "${API_RPS[clock]}" "${DB_TPS[clock]}") % | $(yes_no "$(le 80 "$(pct "${API_RPS[clock]}" "${DB_TPS[clock]}")")") |"
  echo "| progress p50 at $(human "$LARGE") ≤ 1.5 × p50 at $(human "$SMALL") | ${PROGRESS_P50[$LARGE]} ms / ${PROGRESS_P50[$SMALL]} ms = ${GROWTH} × | $(yes_no "$(le "$GROWTH" 1.5)")$([[ $LARGE == 10000000 ]] || echo ' (10 M not run: --10m)') |"
  echo "| ready within 10 s (at 1 M) | ${STARTUP[$MAIN_SCALE]} s | $(yes_no "$(le "${STARTUP[$MAIN_SCALE]}" 10)") |"
  echo "| RSS under load ≤ 512 MB | $RSS_LOAD MB (idle ${RSS_IDLE[$MAIN_SCALE]} MB) | $(yes_no "$(le "$RSS_LOAD" 512)") |"
}
# Prints the three tables and keeps them in $RESULTS/table.md.
write_table() {
  SMALL=${SCALES[0]}
  LARGE=${SCALES[-1]}
  GROWTH=$(echo "${PROGRESS_P50[$LARGE]} / ${PROGRESS_P50[$SMALL]}" | bc -l | xargs printf '%.2f')
  { scenario_table; echo; scale_table; echo; targets_table; } >"$RESULTS/table.md"
  DISTURBANCE=$(for s in progress clock groups notifications; do echo "${API_OTH[$s]}"; echo "${DB_OTH[$s]}"; done | sort -n | tail -n 1)
  cat "$RESULTS/table.md"
  echo
  echo "CPU used by other processes during the measured runs: at most ${DISTURBANCE} % of the machine"
}

write_chart() {
  {
    echo "# scenario api_rps db_rps api_p99 db_p99"
    for s in progress clock groups notifications; do
      echo "\"${TITLE[$s]}\" ${API_RPS[$s]} ${DB_TPS[$s]} ${API_P99[$s]} ${DB_P99[$s]}"
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
    echo "Each figure is the median of $RUNS measured runs after a warm-up that lasts until two 10 s chunks in a row bring no new high by more than ${STABLE_PERCENT} %;"
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

report() {
  say "Results"
  if [[ $ONLY != live ]]; then
    write_table
    write_chart
  fi
  write_live_table
  ELAPSED=$(( $(date +%s) - BEGAN ))
  if $DOCS; then
    if [[ $ONLY != live ]]; then update_docs; fi
    update_live_docs
  fi
  say "Done in $((ELAPSED / 60)) min $((ELAPSED % 60)) s"
}
