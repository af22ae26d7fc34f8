# shellcheck shell=bash disable=SC2034 # globals of cluster-test.sh: set in one step, read in another
# The embedded PostgreSQL both instances use (DATABASE_URL) and its streaming
# replica, from which they read (DATABASE_READ_URL), must start, and
# the key of this run that signs the development tokens (JWKS, ISSUER, CLIENT)
# is made.

start_database_and_keys() {
  start_database "$WORK/db.log" || fail "the embedded PostgreSQL did not start (see $WORK/db.log)"
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$WORK/db.log")
  DATABASE_READ_URL=$(sed -n 's/^DATABASE_READ_URL=//p' "$WORK/db.log")
  command -v psql >/dev/null || { say "installing the PostgreSQL client"; apt-get install -y -q postgresql-client >/dev/null; }
  mkdir -p "$WORK/state"
  token warmup >/dev/null
  JWKS=$WORK/state/.lockin/dev-jwks.json
  ISSUER=https://lockin.localhost/dev
  CLIENT=lockin-dev-client
}
