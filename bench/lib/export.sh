# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# The "export" scenario (issue 26): a year's export at the main scale (1 M time logs in the
# database) of one person who has $EXPORT_LOGS logs in that year (bench/export/setup.sql: 20 s
# logs every ~31 s, written straight into the database), in each format of the API:
# GET /api/me/time-logs.csv and .ics for the year, and GET /api/me/export (everything of the
# person, as JSON). Measured with curl, each the median of $RUNS downloads: time to the first
# byte and to the last, and the size; the server's RSS is sampled every 0.2 s during the
# downloads (peak; target: ≤ 512 MB with deploy/defaults.env's heap), and the JVM logs its
# collections meanwhile (jcmd VM.log: the heap left after each collection, the evidence that
# memory stays flat whatever the size). Each download's rows are counted once. Runs on the server of the other scenarios, after them (or freshly started with
# --only export); the person's data is removed afterwards.

EXPORT_LOGS=${BENCH_EXPORT_LOGS:-1000000}
EXPORT_FORMATS=(csv ics json)
declare -A EXPORT_TITLE=([csv]="CSV (GET /api/me/time-logs.csv, a year)" [ics]="iCalendar (GET /api/me/time-logs.ics, a year)"
                         [json]="JSON (GET /api/me/export, everything)")
declare -A EXPORT_FIRST EXPORT_LAST EXPORT_LAST_SPREAD EXPORT_MB EXPORT_ROWS EXPORT_RSS
EXPORT_RSS_BEFORE=; EXPORT_OOM=0; EXPORT_GCS=; EXPORT_HEAP_AFTER=

export_url() {   # format
  case $1 in
    csv) echo "$BASE/api/me/time-logs.csv?from=$EXPORT_FROM&to=$EXPORT_TO" ;;
    ics) echo "$BASE/api/me/time-logs.ics?from=$EXPORT_FROM&to=$EXPORT_TO" ;;
    json) echo "$BASE/api/me/export" ;;
  esac
}
# the rows of a downloaded file: CSV lines after the header, VEVENTs, the JSON's time logs
export_rows() {   # format file
  case $1 in
    csv) echo $(( $(wc -l <"$2") - 1 )) ;;
    ics) grep -c '^BEGIN:VEVENT' "$2" ;;
    json) grep -o '"duration_seconds":' "$2" | wc -l ;;
  esac
}
sample_rss_into() { while sleep 0.2; do ps -o rss= -p "$SERVER_PID" 2>/dev/null >>"$1" || break; done; }

measure_export() {   # scale
  local scale=$1 token f run out code first last size sampler file firsts lasts
  say "Scale $scale: export, a year of one person with $EXPORT_LOGS logs, in each format"
  db -v logs="$EXPORT_LOGS" -f bench/export/setup.sql >"$RESULTS/export-setup.log"
  echo "  the person's logs: $(tail -n 1 "$RESULTS/export-setup.log")"
  read -r EXPORT_FROM EXPORT_TO < <(db -F ' ' -c "select to_char((now() - interval '366 days') at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                                                          to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
  token=$(./lockin tokens 1 bench-export-)
  EXPORT_RSS_BEFORE=$(rss_mb)
  # the server's collections from now on, each with the heap it left ("97M->61M(247M)")
  jcmd "$SERVER_PID" VM.log output="file=$RESULTS/export-gc.log" what=gc decorators=uptime >/dev/null \
    || echo "  (jcmd could not log the server's collections: no heap figures)"
  for f in "${EXPORT_FORMATS[@]}"; do
    firsts=(); lasts=()
    : >"$RESULTS/export-$f.rss"
    for run in $(seq 1 "$RUNS"); do
      wait_quiet
      file=/dev/null
      [[ $run == 1 ]] && file=$RESULTS/export.$f
      sample_rss_into "$RESULTS/export-$f.rss" & sampler=$!
      out=$(curl -s -o "$file" -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' \
                 -H "Authorization: Bearer $token" "$(export_url "$f")") || true
      kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
      read -r code first last size <<<"$out"
      [[ $code == 200 ]] || die "the $f export answered ${code:-nothing} (run $run): see ${RESULTS#"$ROOT"/}/server-$scale.log"
      if [[ $run == 1 ]]; then
        EXPORT_ROWS[$f]=$(export_rows "$f" "$file"); rm -f "$file"
      fi
      firsts+=("$first"); lasts+=("$last")
      echo "  $f run $run: first byte $(printf '%.3f' "$first") s, last byte $(printf '%.1f' "$last") s, $((size / 1000000)) MB"
    done
    EXPORT_FIRST[$f]=$(printf '%s\n' "${firsts[@]}" | median | xargs printf '%.3f')
    EXPORT_LAST[$f]=$(printf '%s\n' "${lasts[@]}" | median | xargs printf '%.1f')
    EXPORT_LAST_SPREAD[$f]=$(printf '%s\n' "${lasts[@]}" | spread)
    EXPORT_MB[$f]=$((size / 1000000))
    EXPORT_RSS[$f]=$(( $(sort -n "$RESULTS/export-$f.rss" | tail -n 1) / 1024 ))
    echo "  $f: ${EXPORT_ROWS[$f]} rows, ${EXPORT_MB[$f]} MB, last byte after ${EXPORT_LAST[$f]} s (median), server RSS peak ${EXPORT_RSS[$f]} MB"
  done
  EXPORT_OOM=$(grep -c 'java.lang.OutOfMemoryError' "$RESULTS/server-$scale.log" || true)
  EXPORT_GCS=$(grep -c 'Pause' "$RESULTS/export-gc.log" 2>/dev/null || true)
  EXPORT_HEAP_AFTER=$(grep -o '[0-9]*M->[0-9]*M' "$RESULTS/export-gc.log" 2>/dev/null | sed 's/.*->//; s/M//' | sort -n | tail -n 1)
  echo "  ${EXPORT_GCS:-0} collections during the downloads; heap left after each: at most ${EXPORT_HEAP_AFTER:-–} MB"
  db -c "set session_replication_role = replica" \
     -c "delete from time_logs where user_id = md5('bench-export-1')::uuid" \
     -c "delete from session_participants where user_id = md5('bench-export-1')::uuid" \
     -c "delete from sessions where creator_id = md5('bench-export-1')::uuid" \
     -c "delete from auth_identities where profile_id = md5('bench-export-1')::uuid" \
     -c "delete from profiles where id = md5('bench-export-1')::uuid" >/dev/null
}

export_peak() { local f m=0; for f in "${EXPORT_FORMATS[@]}"; do [[ ${EXPORT_RSS[$f]} -gt $m ]] && m=${EXPORT_RSS[$f]}; done; echo "$m"; }
export_table() {
  echo "| a year's export of one person ($EXPORT_LOGS logs in the year, $(human "$MAIN_SCALE") logs in the database; medians of $RUNS) | rows | size | first byte | last byte (spread) | server RSS peak |"
  echo "|---|--:|--:|--:|--:|--:|"
  local f
  for f in "${EXPORT_FORMATS[@]}"; do
    printf '| %s | %s | %s MB | %s s | %s s (%s %%) | %s MB |\n' "${EXPORT_TITLE[$f]}" "${EXPORT_ROWS[$f]}" "${EXPORT_MB[$f]}" \
      "${EXPORT_FIRST[$f]}" "${EXPORT_LAST[$f]}" "${EXPORT_LAST_SPREAD[$f]}" "${EXPORT_RSS[$f]}"
  done
}
export_target_row() {
  [[ -n ${EXPORT_RSS[csv]:-} ]] || return 0
  echo "| a year's export at 1 M logs: server RSS during it ≤ 512 MB (RSS before: $EXPORT_RSS_BEFORE MB; OutOfMemoryError in the log: $EXPORT_OOM) | $(export_peak) MB | $(yes_no "$(( $(le "$(export_peak)" 512) && EXPORT_OOM == 0 ))") |"
  echo "| memory flat whatever the size: the heap left after each collection during the downloads (${EXPORT_GCS:-0} collections) | at most ${EXPORT_HEAP_AFTER:-–} MB | reported |"
}
write_export_table() {
  { export_table; echo; echo "| target | figure | |"; echo "|---|---|---|"; export_target_row; } >"$RESULTS/export-table.md"
  echo
  cat "$RESULTS/export-table.md"
}
# BENCHMARKS.md's export block (between its bench:export markers)
update_export_docs() { update_docs_block export "."; }
