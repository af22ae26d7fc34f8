# shellcheck shell=bash disable=SC2034 # globals of cluster-test.sh: set in one step, read in another
# Two Payara Micro instances, alpha and beta (PID_A, PID_B; URLs A and B),
# must both become ready and form one data grid of 2 members.

start_instances() {
  local started
  started=$(date +%s)
  start_instance alpha "$PORT_A"; PID_A=$LAST_PID
  for _ in $(seq 180); do ready "$PORT_A" && break; sleep 1; done
  ready "$PORT_A" || fail "instance alpha is not ready (see $WORK/alpha.log)"
  start_instance beta "$PORT_B"; PID_B=$LAST_PID
  for _ in $(seq 180); do ready "$PORT_B" && break; sleep 1; done
  ready "$PORT_B" || fail "instance beta is not ready (see $WORK/beta.log)"
  check "two instances ready in $(( $(date +%s) - started )) s (ports $PORT_A, $PORT_B)"

  for _ in $(seq 30); do grep -q 'DG Size: 2' "$WORK/beta.log" && break; sleep 1; done
  grep -q 'DG Size: 2' "$WORK/beta.log" || fail "the instances did not form one data grid"
  check "one data grid of 2 members (Hazelcast on 127.0.0.1:$HZ)"
  A=http://127.0.0.1:$PORT_A
  B=http://127.0.0.1:$PORT_B
}
