# shellcheck shell=bash
# Step 3: the `lockin` system user the service runs as, created once (no login
# shell, /var/lib/lockin as its home); an existing one is left as it is.

ensure_user() {
  step "System user lockin"
  if getent passwd lockin >/dev/null 2>&1; then
    say "exists: $(getent passwd lockin | cut -d: -f1,3,6,7)"
    return 0
  fi
  # No login shell, no home of its own: /var/lib/lockin (systemd's StateDirectory) is its home.
  local nologin
  nologin=$(command -v nologin || echo /sbin/nologin)
  system useradd --system --user-group --home-dir /var/lib/lockin --no-create-home --shell "$nologin" \
    --comment "LockIN API" lockin
  [[ -n $ROOT ]] || CHANGES+=("created: user lockin")
}
