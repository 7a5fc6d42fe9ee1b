#!/usr/bin/env bash
# Generate Python stubs (messages, gRPC, .pyi) for deskbridge.v1 into the directory given ($1).
# grpcio-tools types the messages (*_pb2.pyi) but not the gRPC stubs: mypy-protobuf's
# protoc-gen-mypy_grpc writes *_pb2_grpc.pyi, so `FooServiceStub(channel)` is typed too.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: gen.sh OUTDIR}
py=${VENV:-.venv}/bin/python
rm -rf "$out/deskbridge/v1"
mkdir -p "$out/deskbridge/v1"
bin=$(dirname "$py")
"$py" -m grpc_tools.protoc -I protos \
  --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
  --plugin=protoc-gen-mypy_grpc="$bin/protoc-gen-mypy_grpc" --mypy_grpc_out="$out" \
  $(find protos/deskbridge -name '*.proto' | sort) \
  2> >(grep -v '^Writing mypy to ' >&2)  # the plugin names every file it writes
