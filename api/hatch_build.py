"""Build hook of deskbridge-api: the wheel is gen/deskbridge/v1 and protos/.

The stubs are the committed ones in gen/, which `make gen-check` proves fresh: messages
(`*_pb2.py`, `*_pb2.pyi`), gRPC stubs (`*_pb2_grpc.py`) and their types (`*_pb2_grpc.pyi`,
mypy-protobuf's, without which every `FooServiceStub(channel)` is an untyped call under
`mypy --strict`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def checkout_of(root: Path) -> Path:
    """Where gen/ and protos/ are: the repository (api/..) or an unpacked sdist (api/)."""
    for candidate in (root, root.parent):
        if (candidate / "gen" / "deskbridge" / "v1").is_dir() and (candidate / "protos").is_dir():
            return candidate
    raise FileNotFoundError(f"no gen/deskbridge/v1 and protos/ in {root} or its parent")


class CustomBuildHook(BuildHookInterface):
    """Maps the checkout's stubs and protos into the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        checkout = checkout_of(Path(self.root))
        gen = checkout / "gen" / "deskbridge"
        protos = checkout / "protos"
        files = {gen / "py.typed": "deskbridge/py.typed"}
        # File by file, not the directories: a checkout's __pycache__ stays out of the wheel.
        for module in sorted([*gen.glob("v1/*.py"), *gen.glob("v1/*.pyi")]):
            files[module] = f"deskbridge/v1/{module.name}"
        for proto in sorted(protos.rglob("*.proto")):
            files[proto] = f"deskbridge/protos/{proto.relative_to(protos).as_posix()}"
        build_data["force_include"].update({str(src): dest for src, dest in files.items()})
