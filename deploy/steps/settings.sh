# shellcheck shell=bash disable=SC2034,SC2154 # globals of deploy.sh: set in one file, read in another
# Step 5: /etc/lockin/lockin.env, created from .env.example once and never
# overwritten; whether it still has CHANGE_ME placeholders (then the service is
# not started) and the port the service will listen on (PORT).

env_names() { sed -n 's/^[#[:space:]]*\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$1" | sort -u; }
# Sets PLACEHOLDERS (1 while CHANGE_ME is left) and PORT (LOCKIN_PORT as
# systemd will see it: the env file's, else the release's default; for nginx
# and the health check).
install_env_file() {
  step "Settings: /etc/lockin/lockin.env"
  ensure_dir /etc/lockin 755
  local env_file new_names perms env_source
  env_file=$(t /etc/lockin/lockin.env)
  if [[ -f $env_file ]]; then
    say "kept as it is (deploy.sh never overwrites it)"
    new_names=$(comm -23 <(env_names "$ENV_EXAMPLE") <(env_names "$env_file") | tr '\n' ' ')
    [[ -z $new_names ]] || say "settings of .env.example not in it (optional unless docs/CONFIGURATION.md says otherwise): $new_names"
    perms=$(stat -c %a "$env_file")
    [[ $perms == 600 ]] || say "WARNING: its mode is $perms; it holds secrets: sudo chmod 600 /etc/lockin/lockin.env"
  else
    # 0600 root: systemd reads it as root before starting the service.
    install_rendered /etc/lockin/lockin.env 600 cat "$ENV_EXAMPLE"
    say "from $(basename "$ENV_EXAMPLE"): edit it (DATABASE_URL, COGNITO_*, S3_BUCKET_NAME, ...) before the first start"
  fi
  env_source=$env_file
  [[ -f $env_source ]] || env_source=$ENV_EXAMPLE   # dry run of a first install
  PLACEHOLDERS=0
  grep -q '^[^#]*CHANGE_ME' "$env_source" && PLACEHOLDERS=1   # a value, not a comment
  PORT=$(env_file_value LOCKIN_PORT "$here/defaults.env" "$env_source")
  [[ $PORT =~ ^[0-9]+$ ]] || die "LOCKIN_PORT is '$PORT' (in /etc/lockin/lockin.env or deploy/defaults.env): a port number, please"
  say "LOCKIN_PORT: $PORT"
}
