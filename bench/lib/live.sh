# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# The "live" scenario (issue 12): $LIVE_STREAMS Server-Sent Event streams of group leaderboards
# held open on one server while a writer adds $LIVE_RATE manual time logs a second to the hot
# group; the load client is bench/live/client.js (Node.js, built-in modules only). Measured: per
# write, commit -> first leaderboard event showing it on each hot-group stream (p50/p99), the
# boards' freshness, streams refused and dropped, the open rate, the client's CPU, and the
# server's RSS (peak) and CPU. Runs at the main scale, on a freshly started server, after the
# other scenarios (it adds members to the hot group).

LIVE_SLOT_STEP=2   # seconds between two slots of a writer (each slot a 1 s log)

# The node client needs Node.js 18 or later (Debian's nodejs package when missing).
need_node() {
  if ! command -v node >/dev/null || [[ $(node -p 'process.versions.node.split(".")[0]') -lt 18 ]]; then
    [[ $EUID -eq 0 ]] || die "the live scenario needs Node.js 18 or later (apt-get install -y nodejs)"
    say "Installing nodejs (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null
  fi
}

# seconds of writes the client makes: warm-up and measured
live_write_seconds() { echo $((LIVE_WARMUP + LIVE_DURATION)); }
live_slots() {   # slots a writer needs (a fifth more than the writes it is given, and 10)
  echo $(( (LIVE_RATE * $(live_write_seconds) / LIVE_WRITERS) * 6 / 5 + 10 ))
}

# The writers' slots lie in the hot group's current period (today in Europe/Paris) and before
# the data step: wait until enough of that day has passed, and until a day will not end during
# the run (the boards start again from 0 at midnight).
live_wait_for_period() {
  local past future need_past need_future
  need_past=$(( $(live_slots) * LIVE_SLOT_STEP + 30 ))
  need_future=$(( $(live_write_seconds) + 600 ))   # the server's start, the streams' opening, the writes
  read -r past future < <(db -F ' ' -c "select floor(extract(epoch from now() - d))::int,
                                               floor(extract(epoch from (d at time zone 'Europe/Paris' + interval '1 day') at time zone 'Europe/Paris' - now()))::int
                                          from (select date_trunc('day', now() at time zone 'Europe/Paris') at time zone 'Europe/Paris' as d) x")
  if [[ $future -lt $need_future ]]; then
    echo "  the hot group's day (Europe/Paris) ends in $future s: waiting for the next one"
    sleep $(( (future > 0 ? future : 0) + need_past ))
  elif [[ $past -lt $need_past ]]; then
    echo "  the hot group's day (Europe/Paris) began $past s ago: waiting $((need_past - past)) s for room for the writers' slots"
    sleep $((need_past - past))
  fi
}

# The streams' people, groups and writers (bench/live/setup.sql), their tokens, and the
# client's two input files.
live_data() {
  local last summary
  live_wait_for_period
  db -v streams="$LIVE_STREAMS" -v hot="$LIVE_HOT" -v groups="$LIVE_GROUPS" -v writers="$LIVE_WRITERS" \
     -v slots="$(live_slots)" -v step="$LIVE_SLOT_STEP" -f bench/live/setup.sql >"$RESULTS/live-setup.log"
  summary=$(tail -n 1 "$RESULTS/live-setup.log")
  last=${summary##*|}
  echo "  $(tr '|' ' ' <<<"$summary" | awk '{printf "%s streams (%s of the hot group, the others over %s groups), %s writers", $1, $2, $3, $4}')"
  ./lockin tokens "$last" >"$RESULTS/live-tokens.txt"
  db -F ' ' -c "select n, group_id, kind from bench.live_streams order by k" \
    | awk 'NR == FNR { token[NR] = $1; next } { print token[$1], $2, $3 }' "$RESULTS/live-tokens.txt" - >"$RESULTS/live-streams.txt"
  db -F ' ' -c "select n, session_id, profile_id, first_ms from bench.live_writers order by n" \
    | awk 'NR == FNR { token[NR] = $1; next } { print token[$1], $2, $3, $4 }' "$RESULTS/live-tokens.txt" - >"$RESULTS/live-writers.txt"
}

# Sets LIVE_LINE (the client's RESULT line) and LIVE_OTHERS.
run_live_client() {
  local out o
  wait_quiet
  mark_cpu
  out=$(node --max-semi-space-size=32 bench/live/client.js --base "$BASE" --streams "$RESULTS/live-streams.txt" --writers "$RESULTS/live-writers.txt" \
             --rate "$LIVE_RATE" --warmup "$LIVE_WARMUP" --duration "$LIVE_DURATION" --server-pid "$SERVER_PID" \
             --slot-step $((LIVE_SLOT_STEP * 1000)) --slots "$(live_slots)" --clk-tck "$(getconf CLK_TCK)" 2>&1) || true
  o=$(others_percent)
  echo "$out" >"$RESULTS/live-client.txt"
  grep -v '^RESULT' <<<"$out" || true
  LIVE_LINE=$(grep '^RESULT' <<<"$out") || die "the live client gave no result: see $RESULTS/live-client.txt"
  LIVE_OTHERS=$o
  echo "  ${LIVE_LINE#RESULT } others=${o}%"
}

declare -A LIVE
LIVE_FIELDS=(streams opened refused not_tried dropped open_s open_rate hot_streams writers writes write_rate write_errors
             writes_skipped write_retries writes_replayed p50_ms p99_ms max_ms samples early unseen fresh_p50_ms fresh_p99_ms fresh_samples
             fanout_p50_ms fanout_p99_ms fanout_boards
             milestones pings end_events max_silence_s contract client_cpu client_cpu_open server_cpu
             server_cpu_open rss_idle_mb rss_open_mb rss_peak_mb heap_idle_mb heap_open_mb heap_probe_mb heap_probe_streams
             heap_per_stream_kb
             client_rss_mb loop_p99_ms interrupted)

# The live scenario at the main scale: its data, a fresh server, one run of the client.
measure_live() {   # scale
  local scale=$1 f hard
  need_node
  hard=$(ulimit -Hn)
  [[ $hard == unlimited || $hard -ge $((LIVE_STREAMS + 1000)) ]] \
    || echo "  warning: open files are limited to $hard here (ulimit -Hn): fewer than $LIVE_STREAMS streams can open"
  stop_server
  say "Scale $scale: live, the streams' people and groups (bench/live/setup.sql)"
  live_data
  say "Scale $scale: live, Payara Micro started again"
  start_server live
  echo "  ready in $READY_S s; RSS $(rss_mb) MB"
  say "Scale $scale: live, $LIVE_STREAMS streams and $LIVE_RATE writes/s (bench/live/client.js)"
  run_live_client
  for f in "${LIVE_FIELDS[@]}"; do
    if [[ " ${LIVE_LINE#RESULT } " == *" $f="* ]]; then LIVE[$f]=$(field "$f" " ${LIVE_LINE#RESULT }"); else LIVE[$f]=–; fi
  done
  LIVE_OOM=$(grep -c 'java.lang.OutOfMemoryError' "$RESULTS/server-live.log" || true)
  LIVE_SEVERE=$(grep -c 'SEVERE' "$RESULTS/server-live.log" || true)
  if [[ $LIVE_OOM -gt 0 || $LIVE_SEVERE -gt 0 ]]; then
    echo "  the server logged $LIVE_OOM OutOfMemoryError and $LIVE_SEVERE SEVERE lines: see ${RESULTS#"$ROOT"/}/server-live.log"
  fi
}

# le for figures that may be NaN (nothing measured): never met
num_le() { if [[ $1 =~ ^[0-9.]+$ ]]; then le "$1" "$2"; else echo 0; fi; }
# The live scenario's tables (printed, and in the results, and in BENCHMARKS.md)
live_table() {
  local met_p50 met_p99 met_rss met_drop met_heap
  # The target (issue 12: "time from commit to event received", p50 <= 50 ms, p99 <= 250 ms) is read
  # per event: from the commit of the newest write a board carries to its arrival. Per write, a
  # write also waits for the next board, and the issue's own coalescing (at most 4 boards a second
  # a group) makes that ~125 ms on average at 100 writes/s whatever the server does: reported, no target.
  met_p50=$(yes_no "$(num_le "${LIVE[fresh_p50_ms]}" 50)"); met_p99=$(yes_no "$(num_le "${LIVE[fresh_p99_ms]}" 250)")
  met_rss=$(yes_no "$(num_le "${LIVE[rss_peak_mb]}" 512)")
  met_heap=$(yes_no "$(num_le "${LIVE[heap_per_stream_kb]}" 64)")
  met_drop=$(yes_no "$([[ ${LIVE[dropped]} == 0 && ${LIVE[refused]} == 0 && ${LIVE[not_tried]} == 0 ]] && echo 1)")
  echo "| live: ${LIVE[streams]} SSE streams, ${LIVE[writes]} writes at ${LIVE[write_rate]}/s (1 M logs) | p50 ms | p99 ms | target |"
  echo "|---|--:|--:|---|"
  echo "| commit → event received: a board's arrival − the answer of the newest write it carries (${LIVE[fresh_samples]} events on the hot streams) | ${LIVE[fresh_p50_ms]} | ${LIVE[fresh_p99_ms]} | p50 ≤ 50 ms ($met_p50), p99 ≤ 250 ms ($met_p99) |"
  echo "| write → first board showing it (${LIVE[samples]} samples: every measured write on each of ${LIVE[hot_streams]} hot-group streams; includes the wait for the next board: at most 4 a second a group, by design) | ${LIVE[p50_ms]} | ${LIVE[p99_ms]} | – |"
  echo "| fan-out: a board's arrival on the last hot stream − on the first (${LIVE[fanout_boards]} boards) | ${LIVE[fanout_p50_ms]} | ${LIVE[fanout_p99_ms]} | – |"
  echo
  echo "| live | figure | target |"
  echo "|---|---|---|"
  echo "| streams opened / refused / not tried (opening stopped) / dropped | ${LIVE[opened]} / ${LIVE[refused]} / ${LIVE[not_tried]} / ${LIVE[dropped]} | all open, 0 dropped ($met_drop) |"
  echo "| open rate (streams opened / seconds until the last one opened) | ${LIVE[open_rate]} streams/s (${LIVE[open_s]} s) | – |"
  echo "| server RSS: idle / all streams open / peak | ${LIVE[rss_idle_mb]} / ${LIVE[rss_open_mb]} / ${LIVE[rss_peak_mb]} MB | peak ≤ 512 MB ($met_rss) |"
  if [[ ${LIVE[heap_probe_streams]} =~ ^[1-9][0-9]*$ ]]; then
    echo "| memory per open stream: heap after a full GC with ${LIVE[heap_probe_streams]} streams open (80 % of the instance's limit, none refused yet) − before, ÷ ${LIVE[heap_probe_streams]} (${LIVE[heap_idle_mb]} → ${LIVE[heap_probe_mb]} MB; all ${LIVE[opened]} open: ${LIVE[heap_open_mb]} MB) | ${LIVE[heap_per_stream_kb]} KB | ≤ 64 KB, LOCKIN_MAX_STREAMS' share of the heap ($met_heap) |"
  else
    echo "| memory per open stream: heap after a full GC with the streams open − before, ÷ ${LIVE[opened]} streams (${LIVE[heap_idle_mb]} → ${LIVE[heap_open_mb]} MB) | ${LIVE[heap_per_stream_kb]} KB | ≤ 64 KB, LOCKIN_MAX_STREAMS' share of the heap ($met_heap) |"
  fi
  echo "| server CPU: opening / measured writes (% of $CORES cores) | ${LIVE[server_cpu_open]} % / ${LIVE[server_cpu]} % | – |"
  echo "| load client CPU: opening / measured writes (% of $CORES cores) | ${LIVE[client_cpu_open]} % / ${LIVE[client_cpu]} % (RSS ${LIVE[client_rss_mb]} MB, event-loop delay p99 ${LIVE[loop_p99_ms]} ms) | reported |"
  echo "| writes failed / not kept up / sent again after no answer (same Idempotency-Key; replayed) | ${LIVE[write_errors]} / ${LIVE[writes_skipped]} / ${LIVE[write_retries]} (${LIVE[writes_replayed]}) | 0 / 0 / – |"
  echo "| writes a hot stream never showed / showed before their answer | ${LIVE[unseen]} / ${LIVE[early]} | 0 / – |"
  echo "| events: milestones / pings / end; longest silence on a stream | ${LIVE[milestones]} / ${LIVE[pings]} / ${LIVE[end_events]}; ${LIVE[max_silence_s]} s | pings ≤ 20 s apart |"
  echo "| leaderboard entries as GET /progress/current's fields | ${LIVE[contract]} | ok |"
  echo "| server log: OutOfMemoryError / SEVERE lines | $LIVE_OOM / $LIVE_SEVERE | 0 |"
}
write_live_table() {
  live_table >"$RESULTS/live-table.md"
  echo
  cat "$RESULTS/live-table.md"
  echo
  echo "CPU used by other processes during the live run: ${LIVE_OTHERS} % of the machine"
}
# BENCHMARKS.md's live block (between its bench:live markers)
update_live_docs() {
  update_docs_block live "; Node.js $(node --version) for the load client." \
    "${LIVE[hot_streams]} of the streams subscribe to the hot group (its board has that many entries), the others to $LIVE_GROUPS other groups;" \
    "${LIVE[writers]} writers, ${LIVE_WARMUP} s of writes as warm-up, then ${LIVE_DURATION} s measured. CPU used by other processes during the run: ${LIVE_OTHERS} % of the machine."
}
