# shellcheck shell=bash
# Step 9: what this run changed (or would have, under --dry-run), and after a
# first install what the operator does next.

summary() {
  step "Summary"
  local verb="Installed" c
  [[ $MODE == upgrade ]] && verb="Upgraded"
  (( DRY_RUN )) && verb="Dry run of the $MODE; would have changed"
  if (( ${#CHANGES[@]} == 0 )); then
    say "$verb: nothing to change (everything already as this release has it)"
  else
    say "$verb:"
    for c in "${CHANGES[@]}"; do say "  $c"; done
  fi
  if (( UNIT_CHANGED )); then
    if for_real; then say "the unit changed: systemctl daemon-reload ran"
    else say "the unit changed: a real run would run systemctl daemon-reload"; fi
  fi
  if [[ $MODE == install ]] && for_real; then
    say "next: sudo \$EDITOR /etc/lockin/lockin.env; sudo systemctl restart lockin;"
    say "      journalctl -u lockin -f; curl http://127.0.0.1:$PORT/health/ready"
  fi
  return 0
}
