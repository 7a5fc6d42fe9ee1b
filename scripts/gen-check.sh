#!/usr/bin/env bash
# Fail when gen/ differs from what the protos generate right now.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/gen.sh "$tmp"
if ! diff -r "$tmp/deskbridge/v1" gen/deskbridge/v1 >"$tmp/diff.txt"; then
  echo "gen/ is stale: run 'make gen' and commit the result." >&2
  head -40 "$tmp/diff.txt" >&2
  exit 1
fi
echo "gen-check: gen/ matches protos/"
