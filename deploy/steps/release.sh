# shellcheck shell=bash disable=SC2034,SC2154 # globals of deploy.sh: set in one file, read in another
# Step 4: the release in /opt/lockin: the jar and war replaced only when they
# differ (the old ones kept in /opt/lockin/previous/), and the files the service
# reads at start; any change means the service must restart.

# jar and war: the replaced ones move to /opt/lockin/previous/ (a hard link to
# the old file, so a JVM still running it keeps reading what it opened).
install_artifact() { # SOURCE NAME
  local source=$1 name=$2 dest=/opt/lockin/$2
  local target; target=$(t "$dest")
  if [[ -f $target ]] && cmp -s "$source" "$target"; then
    say "unchanged: $dest (sha256 $(short_sha "$target"))"; return 0
  fi
  local old=""
  [[ -f $target ]] && old=$(short_sha "$target")
  if (( DRY_RUN )); then
    if [[ -n $old ]]; then say "would replace $dest ($old -> $(short_sha "$source")), keeping the old one as /opt/lockin/previous/$name"
    else say "would install $dest ($(short_sha "$source"))"; fi
  else
    cp "$source" "$target.deploy-new"
    chmod 644 "$target.deploy-new"
    [[ -n $old ]] && ln -f "$target" "$(t /opt/lockin/previous/"$name")"
    mv -f "$target.deploy-new" "$target"
    if [[ -n $old ]]; then say "upgraded: $dest ($old -> $(short_sha "$target")); previous kept in /opt/lockin/previous/$name"
    else say "installed: $dest ($(short_sha "$target"))"; fi
  fi
  if [[ -n $old ]]; then CHANGES+=("upgraded: $dest"); else CHANGES+=("installed: $dest"); fi
  RESTART_NEEDED=1
}
install_release() {
  step "Release files in /opt/lockin"
  ensure_dir /opt/lockin 755
  ensure_dir /opt/lockin/previous 755
  install_artifact "$JAR" payara-micro.jar
  install_artifact "$WAR" lockin.war
  install_service_file /opt/lockin/logging.properties "$here/logging.properties"
  install_service_file /opt/lockin/preboot.asadmin "$here/payara-preboot.asadmin"
  install_service_file /opt/lockin/postdeploy.asadmin "$here/payara-postdeploy.asadmin"
  install_service_file /opt/lockin/defaults.env "$here/defaults.env"
}
