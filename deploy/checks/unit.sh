# shellcheck shell=bash
# 2. lockin.service: systemd-analyze verify (and a control that it catches a
# typo), the settings it must have, the ExecStart arguments, its defaults
# (deploy/defaults.env), systemd-analyze security.
# The unit's text has $VARS that systemd expands, matched here literally.
# shellcheck disable=SC2016
UNIT=deploy/lockin.service
DEFAULTS=deploy/defaults.env
UNIT_SETTINGS=('User=lockin' 'Group=lockin' 'EnvironmentFile=/opt/lockin/defaults.env' 'EnvironmentFile=/etc/lockin/lockin.env'
  'Restart=on-failure' 'KillSignal=SIGTERM' 'TimeoutStopSec=30' 'SuccessExitStatus=143'
  'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' 'ProtectHome=yes'
  'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectControlGroups=yes'
  'RestrictSUIDSGID=yes' 'LockPersonality=yes' 'StateDirectory=lockin')
EXEC_START_ARGS=('/usr/bin/java $LOCKIN_JAVA_OPTS' '-XX:+ExitOnOutOfMemoryError' '-Duser.timezone=UTC'
  '-Dmp.health.default.readiness.empty.response=DOWN' '-jar /opt/lockin/payara-micro.jar'
  '--deploy /opt/lockin/lockin.war' '--contextroot /' '--port ${LOCKIN_PORT}' '--maxhttpthreads ${LOCKIN_HTTP_THREADS}' '--nocluster'
  '--rootdir /var/lib/lockin/micro' '--logproperties /opt/lockin/logging.properties'
  '--prebootcommandfile /opt/lockin/preboot.asadmin' '--postdeploycommandfile /opt/lockin/postdeploy.asadmin')

# ExecStart of a unit file on one line, continuation lines joined
exec_start_of() { sed -n '/^ExecStart=/,/[^\\]$/p' "$1" | sed 's/^ExecStart=//; s/[[:space:]]*\\$//' | tr -s '\n ' ' '; }

# verify loads the unit as systemd would and reports unknown keys, bad values
# and a missing ExecStart executable (/usr/bin/java). It does not resolve
# User= (systemd does that at start), so no `lockin` user is needed here.
check_unit_verifies() {
  mkdir -p "$WORK/unit"
  cp "$UNIT" "$WORK/unit/lockin.service"
  if [[ ! -x /usr/bin/java ]]; then
    # deploy.sh installs Java there; a machine without it verifies a copy
    # naming whatever java it has (or /bin/sh), the rest unchanged.
    local java_here
    java_here=$(command -v java || echo /bin/sh)
    sed -i "s|^ExecStart=/usr/bin/java |ExecStart=$java_here |" "$WORK/unit/lockin.service"
    note "no /usr/bin/java on this machine: verified with ExecStart=$java_here"
  fi
  local out=$WORK/unit/verify.out
  if systemd-analyze verify --man=no "$WORK/unit/lockin.service" >"$out" 2>&1 && [[ ! -s $out ]]; then
    ok "systemd-analyze verify: no errors, no warnings"
  else
    not_ok "systemd-analyze verify:"; indent "$out"
  fi
  # A control: the same check does catch a misspelt key.
  sed 's/^NoNewPrivileges=/NoNewPrivilege=/' "$UNIT" > "$WORK/unit/typo.service"
  systemd-analyze verify --man=no "$WORK/unit/typo.service" > "$WORK/unit/typo.out" 2>&1 || true
  check "systemd-analyze verify catches a misspelt key (control)" contains "$WORK/unit/typo.out" "Unknown key"
}
check_unit_settings() {
  local setting arg exec_start
  for setting in "${UNIT_SETTINGS[@]}"; do
    check "unit sets $setting" contains "$UNIT" "^$setting\$"
  done
  check "unit: CapabilityBoundingSet= is empty (no capabilities)" contains "$UNIT" '^CapabilityBoundingSet=$'
  check "unit: MemoryDenyWriteExecute is not set (the JIT needs it off)" lacks "$UNIT" '^MemoryDenyWriteExecute'
  exec_start=$(exec_start_of "$UNIT")
  for arg in "${EXEC_START_ARGS[@]}"; do
    check "ExecStart has: $arg" grep -qF -- "$arg" <<<"$exec_start"
  done
}
exec_start_vars() { exec_start_of "$UNIT" | grep -o '\$[{]\{0,1\}[A-Z_][A-Z0-9_]*' | tr -d '${' | sort -u; }
vars_without_default() { comm -23 <(exec_start_vars) <(env_file_names "$DEFAULTS"); }
# The names of deploy/defaults.env whose value .env.example (its lines, commented or not) does not show
defaults_not_in_env_example() {
  local shown=$WORK/unit/env-example-shown name
  sed 's/^#[[:space:]]*\([A-Z][A-Z0-9_]*=\)/\1/' .env.example > "$shown"
  for name in $(env_file_names "$DEFAULTS"); do
    [[ $(env_file_value "$name" "$shown") == "$(env_file_value "$name" "$DEFAULTS")" ]] || echo "$name"
  done
}
# The defaults live in one file the unit reads before the operator's env file.
check_unit_defaults() {
  check "unit reads its defaults, then the env file (which overrides them)" \
    test "$(grep '^EnvironmentFile=' "$UNIT" | tr '\n' ' ')" = "EnvironmentFile=/opt/lockin/defaults.env EnvironmentFile=/etc/lockin/lockin.env "
  check "unit sets no Environment= of its own (deploy/defaults.env holds them)" lacks "$UNIT" '^Environment='
  check "defaults: LOCKIN_PORT=8080" test "$(env_file_value LOCKIN_PORT "$DEFAULTS")" = 8080
  check "JVM heap capped by default (-Xmx in LOCKIN_JAVA_OPTS)" grep -q -- '^-Xmx[0-9]' <<<"$(env_file_value LOCKIN_JAVA_OPTS "$DEFAULTS")"
  check "HTTP worker threads set by default (LOCKIN_HTTP_THREADS)" grep -qx -- '[0-9][0-9]*' <<<"$(env_file_value LOCKIN_HTTP_THREADS "$DEFAULTS")"
  check "malloc arenas capped by default (MALLOC_ARENA_MAX)" grep -qx -- '[0-9][0-9]*' <<<"$(env_file_value MALLOC_ARENA_MAX "$DEFAULTS")"
  check "every \$VAR of ExecStart has a default: $(exec_start_vars | tr '\n' ' ')" test -z "$(vars_without_default)"
  check ".env.example shows each default as deploy/defaults.env has it" test -z "$(defaults_not_in_env_example)"
}
check_unit_security() {
  local out=$WORK/unit/security.out
  if systemd-analyze security --offline=true --threshold=30 "$UNIT" >"$out" 2>&1; then
    ok "systemd-analyze security: $(grep -o 'Overall exposure level.*' "$out" | sed 's/ *[^ ]*$//') (threshold 3.0)"
  else
    not_ok "systemd-analyze security over 3.0: $(grep -o 'Overall exposure level.*' "$out" || tail -n 3 "$out")"
  fi
}
checks_unit() {
  check_unit_verifies
  check_unit_settings
  check_unit_defaults
  check_unit_security
}
