# shellcheck shell=bash disable=SC2034 # globals of cluster-test.sh: set in one step, read in another
# The outbox (issue 27) across two instances: a group's webhook hears about
# 150 members joining, in order; the instance delivering is killed with
# SIGKILL in the middle of a delivery, and the other takes its items over
# when their lease runs out: every event arrives, in order, none twice but
# the one that was in flight (the same webhook-id, which a receiver drops).
# Then PostgreSQL stops and starts again while 30 more events are failing at
# the receiver: once it answers again, they all arrive. The killed instance
# is started again, so the steps after this one have two.

# Before the instances start: the receiver's certificate, which the instances
# trust (LOCKIN_EXTRA_CA_CERTIFICATES), and the receiver itself.
start_webhook_receiver() {
  HOOK_PORT=$(free_port)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$WORK/hook-key.pem" -out "$WORK/hook-cert.pem" 2>/dev/null || fail "openssl could not make the receiver's certificate"
  HOOK_RECEIVED=$WORK/hook-received.txt; : > "$HOOK_RECEIVED"
  HOOK_FAIL=$WORK/hook-fail
  python3 deploy/cluster/webhook_receiver.py "$HOOK_PORT" "$WORK/hook-cert.pem" "$WORK/hook-key.pem" \
    "$HOOK_RECEIVED" "$HOOK_FAIL" "Joiner 050" 8 > "$WORK/hook-receiver.log" 2>&1 &
  PIDS+=("$!")
  EXTRA_CA=$WORK/hook-cert.pem
}

# received NAME-PREFIX: the distinct names received of the prefix
received_count() { awk -v p="$1" '$3 " " $4 ~ "^" p { print $3 " " $4 }' "$HOOK_RECEIVED" | sort -u | wc -l; }

check_outbox_survives_kill_and_restart() {
  local owner group hook pid killed name first order dupes total
  owner=$(token cluster-outbox-owner)
  group=$(api "$owner" POST "$A/api/groups" \
    "{\"name\": \"Outbox\", \"end_at\": \"$(date -u -d '+10 days' +%Y-%m-%dT%H:%M:%SZ)\", \"timezone\": \"UTC\", \"period\": \"daily\", \"period_target_minutes\": 60}" \
    | json_field id) || fail "could not create the outbox step's group"
  hook=$(api "$owner" POST "$A/api/groups/$group/webhooks" \
    "{\"url\": \"https://127.0.0.1:$HOOK_PORT/hook\", \"events\": [\"member_joined\"]}" | json_field id) \
    || fail "could not register the webhook"
  # 150 people join, one transaction: 150 events, in this order
  sql "insert into profiles (id, display_name) select gen_random_uuid(), 'Joiner ' || to_char(n, 'FM000') from generate_series(1, 150) n;
       insert into group_members (group_id, user_id)
       select '$group', p.id from profiles p where p.display_name like 'Joiner %' order by p.display_name" >/dev/null

  # the 50th is held at the receiver: the instance that has it is killed
  for _ in $(seq 150); do
    pid=$(sql "select split_part(o.leased_by, '@', 1) from outbox o where o.webhook_id = '$hook'
                 and o.payload->'data'->>'display_name' = 'Joiner 050' and o.leased_until > now()")
    [[ -n $pid ]] && grep -q 'Joiner 050' "$HOOK_RECEIVED" && break
    sleep 0.2
  done
  [[ -n $pid ]] || fail "the 50th event was never out for delivery (received: $(received_count Joiner))"
  case $pid in
    "$PID_A") killed=alpha ;;
    "$PID_B") killed=beta ;;
    *) fail "the instance delivering (pid $pid) is neither alpha ($PID_A) nor beta ($PID_B)" ;;
  esac
  { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true
  check "instance $killed killed (SIGKILL) while delivering the 50th of 150 webhook events"

  for _ in $(seq 120); do [[ $(received_count Joiner) -ge 150 ]] && break; sleep 1; done
  [[ $(received_count Joiner) -ge 150 ]] || fail "only $(received_count Joiner) of 150 events arrived after the kill (see $HOOK_RECEIVED)"
  order=$(awk '$3 == "Joiner" && !seen[$4]++ { print $4 }' "$HOOK_RECEIVED" | sort -c 2>&1 && echo sorted)
  [[ $order == sorted ]] || fail "the events arrived out of order (see $HOOK_RECEIVED)"
  total=$(grep -c ' Joiner ' "$HOOK_RECEIVED")
  dupes=$(awk '$3 == "Joiner" { print $2 }' "$HOOK_RECEIVED" | sort | uniq -d | wc -l)
  [[ $(awk '$3 == "Joiner" { print $2 }' "$HOOK_RECEIVED" | sort -u | wc -l) == 150 ]] || fail "150 events did not carry 150 webhook ids"
  (( dupes <= 1 )) || fail "$dupes events arrived twice (only the one in flight at the kill may)"
  check "all 150 events arrived in order after the kill ($total requests: the one in flight again, with its webhook-id)"

  # PostgreSQL restarted while 30 events are failing at the receiver
  touch "$HOOK_FAIL"
  sql "insert into profiles (id, display_name) select gen_random_uuid(), 'Later ' || to_char(n, 'FM000') from generate_series(1, 30) n;
       insert into group_members (group_id, user_id)
       select '$group', p.id from profiles p where p.display_name like 'Later %' order by p.display_name" >/dev/null
  for _ in $(seq 50); do grep -q ' Later 001' "$HOOK_RECEIVED" && break; sleep 0.2; done
  grep -q ' Later 001' "$HOOK_RECEIVED" || fail "no delivery of the later events was tried"
  kill -TERM "$DB_PID"; wait "$DB_PID" 2>/dev/null || true
  rm -f "$HOOK_FAIL"
  sleep 2
  start_database "$WORK/db-restarted-outbox.log" || fail "PostgreSQL did not start again (see $WORK/db-restarted-outbox.log)"
  for _ in $(seq 90); do [[ $(received_count Later) -ge 30 ]] && [[ $(sql "select count(*) from outbox where webhook_id = '$hook' and status = 'pending'") == 0 ]] && break; sleep 1; done
  [[ $(received_count Later) -ge 30 ]] || fail "only $(received_count Later) of 30 events arrived after PostgreSQL's restart"
  [[ $(sql "select count(*) from outbox where webhook_id = '$hook' and status <> 'delivered'") == 0 ]] \
    || fail "events of the webhook not delivered: $(sql "select status || ' ' || count(*) from outbox where webhook_id = '$hook' group by status")"
  check "30 events failing while PostgreSQL restarted: all delivered once it was back, in order"

  # the killed instance again, so the next steps have two
  if [[ $killed == alpha ]]; then start_instance alpha "$PORT_A"; PID_A=$LAST_PID; name=$PORT_A; else start_instance beta "$PORT_B"; PID_B=$LAST_PID; name=$PORT_B; fi
  for _ in $(seq 180); do ready "$name" && break; sleep 1; done
  ready "$name" || fail "instance $killed did not start again (see $WORK/$killed.log)"
  for _ in $(seq 30); do grep -q 'DG Size: 2' "$WORK/$killed.log" && break; sleep 1; done
  check "instance $killed started again and joined the data grid"
}
