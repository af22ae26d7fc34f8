#!/usr/bin/env bash
# Compares the schemas two trees of migrations make: each is migrated by
# Flyway (./lockin migrate, so the same ordering and callbacks as the
# application) into a new database of a throw-away PostgreSQL, dumped with
# `pg_dump --schema-only`, normalised, and the two compared. It is how a
# squash of versioned migrations, or a new layout of the repeatable ones, is
# shown to change nothing.
#
#   db/compare-schemas.sh OLD [NEW]
#
# OLD and NEW are git revisions (their db/migration) or folders of
# migrations; NEW defaults to the work tree's db/migration. Prints the
# differences and exits 1 when there are any, 0 when the schemas are equal.
#
# Normalised: object order (each object of the dump is one block, sorted),
# SQL comments (`--` lines and the ends of lines, also inside function
# bodies), whitespace and letter case outside quoted strings. COMMENT ON
# texts, names, column order, constraints, defaults and function bodies
# count.
#
# Needs PostgreSQL's server binaries (initdb, pg_ctl, pg_dump: Debian's
# postgresql package; the newest under /usr/lib/postgresql is used), python3,
# and a built lockin-dev (./lockin build).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 && $# -le 2 && $1 != -h && $1 != --help ]] || usage
OLD=$1
NEW=${2:-db/migration}

bins=(/usr/lib/postgresql/*/bin)
PG_BIN=$(printf '%s\n' "${bins[@]}" | sort -V | tail -n 1)
[[ -x $PG_BIN/initdb ]] || { echo "compare-schemas: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 2; }
[[ -n "$(ls lockin-dev/target/lockin-dev-*.jar 2>/dev/null)" ]] || ./lockin build >/dev/null

WORK=$(mktemp -d /tmp/lockin-compare.XXXXXX)
chmod 755 "$WORK"
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
cleanup() {
  if [[ -f $WORK/data/postmaster.pid ]]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A tree of migrations as a folder: a folder as it is, a revision's db/migration from git.
tree() {
  local source=$1 into=$2
  mkdir -p "$into"
  if [[ -d $source ]]; then
    cp -r "$source"/. "$into"/
  else
    git -C "$ROOT" rev-parse --verify --quiet "$source^{commit}" >/dev/null \
      || { echo "compare-schemas: $source is neither a folder nor a git revision" >&2; exit 2; }
    git -C "$ROOT" archive "$source" db/migration | tar -x -C "$into" --strip-components=2
  fi
}

mkdir "$WORK/data" "$WORK/run"
[[ $EUID -eq 0 ]] && chown nobody "$WORK/data" "$WORK/run"
as_pg "$PG_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/run/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$WORK/run" start >/dev/null

for side in old new; do
  source=$OLD; [[ $side == new ]] && source=$NEW
  tree "$source" "$WORK/$side"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qAt -c "create database $side"
  echo "== $side: $source ($(find "$WORK/$side" -name '*.sql' | wc -l) files)"
  DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/$side" LOCKIN_MIGRATIONS="filesystem:$WORK/$side" \
    ./lockin migrate 2>&1 | grep -E 'Schema at|ERROR|Exception' || true
  "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PORT" -U postgres --schema-only --no-owner --no-privileges \
    --exclude-table=flyway_schema_history "$side" >"$WORK/$side.dump"
  python3 "$ROOT/db/normalise-dump.py" <"$WORK/$side.dump" >"$WORK/$side.normalised"
  echo "   $(grep -c '' "$WORK/$side.normalised") objects"
done

if diff -u --label "old ($OLD)" --label "new ($NEW)" "$WORK/old.normalised" "$WORK/new.normalised"; then
  echo "compare-schemas: the same schema"
else
  echo "compare-schemas: the schemas differ (above: one normalised object a line)"
  exit 1
fi
