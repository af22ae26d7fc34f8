# shellcheck shell=bash
# Reads files in systemd's EnvironmentFile= format, as systemd does for what
# LockIN's files use: NAME=value lines (spaces around them ignored), lines
# starting with # or ; are comments, one pair of quotes around a value stripped.
# Sourced by deploy.sh, deploy/test.sh and bench/run.sh (deploy/defaults.env).

# env_file_value NAME FILE...: the value the last of the files that sets NAME
# gives it (a later file overrides an earlier one, as systemd reads them);
# empty when none sets it. A missing file sets nothing.
env_file_value() {
  local name=$1 file line value="" found
  shift
  for file in "$@"; do
    [[ -f $file ]] || continue
    while IFS= read -r line || [[ -n $line ]]; do
      found=$(env_line_value "$name" "$line") && value=$found
    done < "$file"
  done
  printf '%s' "$value"
}
# env_file_names FILE...: the names the files set, one a line
env_file_names() {
  local file line
  for file in "$@"; do
    [[ -f $file ]] || continue
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*= ]] && printf '%s\n' "${BASH_REMATCH[1]}"
    done < "$file"
  done | sort -u
}
# env_line_value NAME LINE: prints the value when LINE sets NAME (status 1 otherwise)
env_line_value() {
  local value
  [[ $2 =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || return 1
  [[ ${BASH_REMATCH[1]} == "$1" ]] || return 1
  value=${BASH_REMATCH[2]}
  value=${value%"${value##*[![:space:]]}"}   # trailing spaces
  if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
  printf '%s' "$value"
}
