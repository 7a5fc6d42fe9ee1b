#!/usr/bin/env bash
# Generate Python stubs (messages, gRPC, .pyi) for deskbridge.v1 into the directory given ($1).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: gen.sh OUTDIR}
py=${VENV:-.venv}/bin/python
rm -rf "$out/deskbridge/v1"
mkdir -p "$out/deskbridge/v1"
"$py" -m grpc_tools.protoc -I protos \
  --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
  $(find protos/deskbridge -name '*.proto' | sort)
