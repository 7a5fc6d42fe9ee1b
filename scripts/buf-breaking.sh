#!/usr/bin/env bash
# Fail when the protos break wire/source compatibility with what already landed:
# on a branch, against main; on main, against the previous commit that had protos.
set -euo pipefail
cd "$(dirname "$0")/.."
buf=${VENV:-.venv}/bin/buf
branch=$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo "")
if [ "$branch" != "main" ] && git rev-parse --verify -q main >/dev/null; then
  against=main
else
  against=$(git rev-parse -q --verify HEAD~1 2>/dev/null || true)
fi
if [ -z "$against" ] || [ -z "$(git ls-tree -r --name-only "$against" -- protos/deskbridge 2>/dev/null)" ]; then
  echo "buf breaking: no earlier protos to compare with (skipped)"
  exit 0
fi
"$buf" breaking protos --against ".git#ref=${against},subdir=protos"
echo "buf breaking: compatible with ${against:0:12}"
