#!/usr/bin/env bash
# CI check of the typed TypeScript client: the committed types are exactly what
# openapi-typescript generates from the static OpenAPI document (so the client
# cannot drift from the contract), and the client and its example type-check.
# Needs Node.js 18+ and npm (the npm registry, for `npm ci`).
# Last line: "typescript client: PASS ..." or "typescript client: FAIL: <why>".
set -uo pipefail
cd "$(dirname "$0")"
document=../../lockin-web/src/main/resources/META-INF/openapi.yaml

fail() { echo "typescript client: FAIL: $*"; exit 1; }

command -v npm >/dev/null || fail "npm is not installed (Node.js 18+ is needed)"
echo "-- npm ci"
npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"

echo "-- openapi-typescript $document"
generated=$(mktemp --suffix=.d.ts)
trap 'rm -f "$generated"' EXIT
npx --no-install openapi-typescript "$document" --output "$generated" || fail "openapi-typescript could not generate from $document"
if ! diff -u src/schema.d.ts "$generated" > "$generated.diff"; then
  head -n 40 "$generated.diff"
  rm -f "$generated.diff"
  fail "src/schema.d.ts differs from what openapi.yaml generates: run 'npm run generate' in clients/typescript and commit it"
fi
rm -f "$generated.diff"

echo "-- tsc --noEmit"
npx --no-install tsc --noEmit || fail "tsc --noEmit found type errors"

echo "typescript client: PASS (src/schema.d.ts matches openapi.yaml; tsc --noEmit clean)"
