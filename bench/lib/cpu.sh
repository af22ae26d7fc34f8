# shellcheck shell=bash
# Globals are set in one file of bench/lib/ and read in another (shellcheck reads one file at a time):
# shellcheck disable=SC2034,SC2153
# Disturbance by others: CPU ticks, the machine's busy total, and the benchmark's own (this
# script and everything it waited for, the server, PostgreSQL and its backends, live and ended).
ticks_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
ticks_of() {   # a process's CPU ticks, its own and its ended children's (0 when it is gone)
  local t=
  [[ -n $1 ]] && t=$(awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null)
  echo "${t:-0}"
}
ticks_mine() {
  local total=$(( $(ticks_of $$) + $(ticks_of "$SERVER_PID") + $(ticks_of "$PG_PID") )) pid
  for pid in $(pgrep -P "$PG_PID"); do total=$((total + $(ticks_of "$pid"))); done
  if [[ -n ${REPLICA_PID:-} ]]; then total=$((total + $(ticks_replica))); fi   # --replica's
  echo $total
}
CORES=$(nproc)
TICKS_PER_SECOND=$(getconf CLK_TCK)
ticks_db() {   # PostgreSQL's: the postmaster, its backends live and ended
  local total pid
  total=$(ticks_of "$PG_PID")
  for pid in $(pgrep -P "$PG_PID"); do total=$((total + $(ticks_of "$pid"))); done
  echo "$total"
}
# microseconds of CPU per request: ticks over requests
us_per() { echo "$1 * 1000000 / $TICKS_PER_SECOND / $2" | bc; }   # ticks requests
mark_cpu() { MARK_T=$(date +%s.%N); MARK_BUSY=$(ticks_busy); MARK_MINE=$(ticks_mine); }
# percent of the machine the others used since mark_cpu
others_percent() {
  local seconds busy mine
  seconds=$(echo "$(date +%s.%N) - $MARK_T" | bc); busy=$(( $(ticks_busy) - MARK_BUSY )); mine=$(( $(ticks_mine) - MARK_MINE ))
  echo "o = ($busy - $mine) * 100 / ($seconds * 100 * $CORES); if (o < 0) o = 0; o" | bc -l | xargs printf '%.0f\n'
}
# waits (at most two minutes) until others use less than the threshold for 3 seconds
wait_quiet() {
  local i o
  for i in $(seq 1 24); do
    mark_cpu; sleep 3; o=$(others_percent)
    [[ $o -lt $DISTURBED_PERCENT ]] && return
    [[ $i -eq 1 ]] && echo "  (other processes use ${o}% of the machine: waiting for quiet)"
    sleep 2
  done
}
