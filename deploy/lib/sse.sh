# shellcheck shell=bash
# Clients of the live-update streams for the cluster test's steps: each
# subscriber is a python3 deploy/lib/sse.py process writing what it receives
# to $WORK/stream-NAME.jsonl; awaits and awaited wait for a line of it.

SSE=$(dirname "${BASH_SOURCE[0]}")/sse.py
declare -A SUBSCRIBER   # name -> pid of its client
# subscribe NAME BASE PATH TOKEN [LAST-EVENT-ID]: a client of the stream at BASE (an
# instance's URL or nginx's), writing $WORK/stream-NAME.jsonl
subscribe() {
  : > "$WORK/stream-$1.jsonl"
  python3 "$SSE" listen "$2$3" "$4" "$WORK/stream-$1.jsonl" "${5:-}" &
  SUBSCRIBER[$1]=$!
  PIDS+=("$!")
}
unsubscribe() { kill "${SUBSCRIBER[$1]}" 2>/dev/null || true; wait "${SUBSCRIBER[$1]}" 2>/dev/null || true; }
# awaits NAME AFTER TIMEOUT EXPR [NAME=VALUE...]: the time the first matching line arrived (see sse.py wait)
awaits() { local found; found=$(python3 "$SSE" wait "$WORK/stream-$1.jsonl" "${@:2}") || return 1; echo "${found%% *}"; }
# the whole matching line
awaited() { local found; found=$(python3 "$SSE" wait "$WORK/stream-$1.jsonl" "${@:2}") || return 1; echo "${found#* }"; }
