# shellcheck shell=bash
# Step 8: the service: enabled always; (re)started when something it uses
# changed, when it is not running, or with --restart, but never while the env
# file has placeholders or with --no-start; a start waits until it is ready.

# Sets START_IT and ACTIVE (under --root there is no service to ask: it is taken as running).
decide_start() {
  ACTIVE=1
  if [[ -z $ROOT ]] && ! systemctl is-active --quiet lockin 2>/dev/null; then ACTIVE=0; fi
  START_IT=0
  if [[ $RESTART == never ]]; then
    say "not started (--no-start): sudo systemctl restart lockin"
  elif (( PLACEHOLDERS )); then
    say "NOT started: /etc/lockin/lockin.env still has CHANGE_ME placeholders."
    say "Edit it, then: sudo systemctl restart lockin  (or run deploy.sh again)"
  elif [[ $RESTART == always ]] || (( RESTART_NEEDED || ! ACTIVE )); then
    START_IT=1
  else
    say "nothing changed and lockin is running: left alone (--restart to restart anyway)"
  fi
}
wait_until_ready() {
  local ready=0
  say "waiting for http://127.0.0.1:$PORT/health/ready (up to 180 s)"
  for _ in $(seq 90); do
    if curl -fsS -m 2 "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then ready=1; break; fi
    systemctl is-failed --quiet lockin && break
    sleep 2
  done
  if (( ! ready )); then
    systemctl --no-pager status lockin | sed 's/^/    /' || true
    die "lockin is not ready; see: sudo journalctl -u lockin -n 100 --no-pager"
  fi
  say "lockin is UP: $(curl -fsS -m 2 "http://127.0.0.1:$PORT/health/ready")"
}
restart_service() {
  if [[ $MODE == upgrade || $ACTIVE -eq 1 ]]; then
    say "restart: graceful stop (requests in flight finish), then start with the new release"
  fi
  system systemctl stop lockin
  # Payara Micro's unpacked runtime and configuration (--rootdir) are rebuilt
  # from the jar at start; clearing them keeps no stale pieces of the old release.
  if [[ -d $(t /var/lib/lockin/micro) ]]; then run rm -rf "$(t /var/lib/lockin/micro)"; fi
  system systemctl start lockin
  if for_real; then wait_until_ready; fi
}
start_service() {
  step "Service lockin"
  system systemctl daemon-reload
  system systemctl enable lockin
  decide_start
  if (( START_IT )); then restart_service; fi
}
