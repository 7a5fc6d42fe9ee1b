"""Build hook of deskbridge-api: the wheel is gen/deskbridge/v1, typed gRPC stubs and protos/.

The message stubs (`*_pb2.py`, `*_pb2.pyi`) and the gRPC stubs (`*_pb2_grpc.py`) are the
committed ones in gen/, which `make gen-check` proves fresh. grpcio-tools writes no types for
the gRPC stubs, so mypy-protobuf generates `*_pb2_grpc.pyi` here from the same protos: without
them every `FooServiceStub(channel)` is an untyped call under `mypy --strict`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PLUGIN = "#!{python}\nfrom mypy_protobuf.main import grpc\n\ngrpc()\n"


def checkout_of(root: Path) -> Path:
    """Where gen/ and protos/ are: the repository (api/..) or an unpacked sdist (api/)."""
    for candidate in (root, root.parent):
        if (candidate / "gen" / "deskbridge" / "v1").is_dir() and (candidate / "protos").is_dir():
            return candidate
    raise FileNotFoundError(f"no gen/deskbridge/v1 and protos/ in {root} or its parent")


def generate_grpc_stubs(protos: Path, out: Path) -> list[Path]:
    """`*_pb2_grpc.pyi` for every deskbridge proto, written under `out`; returns them."""
    plugin = out / "protoc-gen-mypy_grpc"
    plugin.write_text(PLUGIN.format(python=sys.executable))
    plugin.chmod(0o755)
    sources = sorted(str(p.relative_to(protos)) for p in (protos / "deskbridge").rglob("*.proto"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"-I{protos}",
            f"--plugin=protoc-gen-mypy_grpc={plugin}",
            f"--mypy_grpc_out={out}",
            *sources,
        ],
        check=True,
        capture_output=True,
    )
    return sorted((out / "deskbridge" / "v1").glob("*_pb2_grpc.pyi"))


class CustomBuildHook(BuildHookInterface):
    """Maps the checkout's stubs and protos into the wheel, with generated gRPC types."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        checkout = checkout_of(Path(self.root))
        self._scratch = Path(tempfile.mkdtemp(prefix="deskbridge-api-"))
        gen = checkout / "gen" / "deskbridge"
        protos = checkout / "protos"
        files = {gen / "py.typed": "deskbridge/py.typed"}
        # File by file, not the directories: a checkout's __pycache__ stays out of the wheel.
        for module in sorted([*gen.glob("v1/*.py"), *gen.glob("v1/*.pyi")]):
            files[module] = f"deskbridge/v1/{module.name}"
        for stub in generate_grpc_stubs(protos, self._scratch):
            files[stub] = f"deskbridge/v1/{stub.name}"
        for proto in sorted(protos.rglob("*.proto")):
            files[proto] = f"deskbridge/protos/{proto.relative_to(protos).as_posix()}"
        build_data["force_include"].update({str(src): dest for src, dest in files.items()})

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)
