# shellcheck shell=bash
# Fair use: one caller's invite limit must hold across both instances (30 an
# hour in all, then 429 on each with Retry-After and RateLimit headers).

invite() { # BASE N: the status of an invite by email; headers in $WORK/fair-headers.txt
  curl -s -m 10 -D "$WORK/fair-headers.txt" -o "$WORK/fair-body.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $FAIR" -H 'Content-Type: application/json' \
    --data "{\"email\": \"fair-use-$2@example.org\"}" "$1/api/groups/$FAIR_GROUP:invite"
}
header() { grep -i "^$1:" "$WORK/fair-headers.txt" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
# The instances run with LOCKIN_RATE_LIMITS="writes=100000/1m, reads=100000/1m,
# streams=1000/1h" (the clock load, the reads and the streams of the checks
# below need more than one person's defaults) and the default 30 invites an hour: one caller's invites,
# sent alternately to alpha and beta, pass 30 times; the 31st is 429 on each.
check_fair_use() {
  local i base code retry waiting buckets
  FAIR=$(token fair-use)
  FAIR_ID=$(api "$FAIR" GET "$A/api/me" | json_field id)
  FAIR_GROUP=$(api "$FAIR" POST "$A/api/groups" "$(python3 -c 'import datetime as d; e = d.datetime.now(d.timezone.utc) + d.timedelta(days=14)
print("{\"name\": \"Fair use\", \"end_at\": \"%s\", \"timezone\": \"UTC\", \"period\": \"daily\", \"period_target_minutes\": 60}" % e.isoformat())')" | json_field id)
  for i in $(seq 30); do
    if (( i % 2 )); then base=$A; else base=$B; fi
    code=$(invite "$base" "$i")
    [[ $code == 201 ]] || fail "invite $i on $base: HTTP $code, expected 201 (see $WORK/fair-body.json)"
  done
  [[ $(header RateLimit) == *'"invites";r=0;'* ]] || fail "after 30 invites RateLimit says: $(header RateLimit)"
  for base in "$A" "$B"; do
    code=$(invite "$base" 31)
    [[ $code == 429 ]] || fail "the 31st invite on $base: HTTP $code, expected 429"
    grep -q '"status":429' "$WORK/fair-body.json" || fail "the 429 on $base is not a problem: $(cat "$WORK/fair-body.json")"
    retry=$(header Retry-After)
    if ! [[ $retry =~ ^[0-9]+$ ]] || (( retry < 1 || retry > 120 )); then fail "Retry-After on $base: '$retry'"; fi
    [[ $(header RateLimit-Policy) == '"writes";q=100000;w=60, "invites";q=30;w=3600' ]] \
      || fail "RateLimit-Policy on $base: $(header RateLimit-Policy)"
    [[ $(header RateLimit) == *'"invites";r=0;'* ]] || fail "RateLimit on $base: $(header RateLimit)"
  done
  waiting=$(sql "select count(*) from email_invites where group_id = '$FAIR_GROUP'")
  [[ $waiting == 30 ]] || fail "$waiting invites are waiting, expected 30 (the refused ones must do nothing)"
  buckets=$(sql "select count(*) from fair_use_buckets where id like 'invites/%/$FAIR_ID'")
  [[ $buckets == 1 ]] || fail "$buckets invite buckets for the caller, expected 1"
  check "one caller's 30 invites an hour hold across both instances: 30 sent alternately to alpha and beta passed, the 31st was 429 on each (Retry-After ${retry} s, RateLimit \"invites\";r=0), nothing more was sent; one bucket row in PostgreSQL"
}
