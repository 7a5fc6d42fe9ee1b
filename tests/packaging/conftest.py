"""Wheels built once per session, as deploy/Dockerfile and a client release build them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging_support import ROOT, copy_context, new_venv, pip, run


@pytest.fixture(scope="session")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Docker build context: what .dockerignore lets through, nothing else."""
    return copy_context(tmp_path_factory.mktemp("context"))


@pytest.fixture(scope="session")
def image_wheel(context: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Deskbridge's wheel as the image's build stage makes it: from the context, by the
    build backend of requirements-build.lock, without build isolation."""
    scratch = tmp_path_factory.mktemp("image-build")
    build = new_venv(scratch / "build")
    pip(build, "install", "--require-hashes", "-r", context / "requirements-build.lock")
    wheels = scratch / "wheels"
    pip(build, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", wheels, context)
    (wheel,) = wheels.glob("deskbridge-*.whl")
    return wheel


@pytest.fixture(scope="session")
def api_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deskbridge-api wheel, built from api/ by this (dev) environment's locked backend."""
    wheels = tmp_path_factory.mktemp("api-wheel")
    result = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        wheels,
        ROOT / "api",
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = wheels.glob("deskbridge_api-*.whl")
    return wheel
