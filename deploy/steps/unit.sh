# shellcheck shell=bash disable=SC2034,SC2154 # globals of deploy.sh: set in one file, read in another
# Step 6: the systemd unit, replaced when this release's differs; a changed unit
# means daemon-reload and a restart (UNIT_CHANGED, RESTART_NEEDED).

install_unit() {
  step "systemd unit: /etc/systemd/system/lockin.service"
  install_rendered /etc/systemd/system/lockin.service 644 cat "$here/lockin.service"
  UNIT_CHANGED=0
  [[ $LAST_ACTION == unchanged ]] || { UNIT_CHANGED=1; RESTART_NEEDED=1; }
}
