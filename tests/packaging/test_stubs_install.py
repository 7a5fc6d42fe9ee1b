"""The client teams' install: deskbridge-api in a fresh venv holds the deskbridge.v1 stubs and
none of the server; `mypy --strict` passes on a typed async client, catches a wrong request,
and the client talks to a running Deskbridge."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import pytest
from packaging_support import ROOT, free_port, new_venv, pip, run, wait_serving

CLIENT = '''\
"""A typed client of deskbridge-api: create a ticket, report the answer."""

import asyncio
import sys

import grpc

from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc


async def create_ticket(address: str) -> str:
    async with grpc.aio.insecure_channel(address) as channel:
        tickets = tickets_pb2_grpc.TicketServiceStub(channel)
        request = tickets_pb2.CreateTicketRequest(
            parent="backends/nowhere",
            request_id="stubs-only-1",
            ticket=tickets_pb2.Ticket(
                title="Printer down", priority=tickets_pb2.TICKET_PRIORITY_HIGH
            ),
        )
        try:
            response = await tickets.CreateTicket(request, timeout=10)
        except grpc.aio.AioRpcError as error:
            return error.code().name
        return response.ticket.name


if __name__ == "__main__":
    print(asyncio.run(create_ticket(sys.argv[1])))
'''

WRONG = """\
import grpc

from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc


async def create_ticket(channel: grpc.aio.Channel) -> int:
    tickets = tickets_pb2_grpc.TicketServiceStub(channel)
    response = await tickets.CreateTicket(tickets_pb2.GetTicketRequest(name="x"))
    return response.ticket.name
"""

SERVER_ONLY = ("deskbridge", "nats-py", "starlette", "uvicorn", "httpx", "structlog", "pyjwt")


@pytest.fixture(scope="module")
def stubs(api_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A client team's venv: `pip install 'deskbridge-api[typing]'`, at the locked versions."""
    scratch = tmp_path_factory.mktemp("stubs")
    pins = re.findall(r"^([\w.-]+==[^ \\]+(?: ; [^\\\n]+)?)", dev_lock(), re.M)
    constraints = scratch / "constraints.txt"
    constraints.write_text("\n".join(p.strip() for p in pins) + "\n")
    python = new_venv(scratch / "venv")
    pip(python, "install", "--no-compile", "-c", constraints, f"{api_wheel}[typing]")
    return python


def dev_lock() -> str:
    return (ROOT / "requirements-dev.lock").read_text()


def mypy_strict(stubs: Path, source: str, directory: Path) -> str:
    """`mypy --strict` on `source` against the packages of the `stubs` venv; its report."""
    (directory / "client.py").write_text(source)
    result = run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--python-executable",
        stubs,
        "client.py",
        cwd=directory,
    )
    return f"exit {result.returncode}\n{result.stdout}{result.stderr}"


def test_the_stubs_import_without_the_server(stubs: Path) -> None:
    modules = sorted(p.stem for p in (ROOT / "gen" / "deskbridge" / "v1").glob("*.py"))
    probe = (
        "import importlib, importlib.metadata as m, importlib.util as u\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(f'deskbridge.v1.{name}')\n"
        "print(u.find_spec('deskbridge.runtime'))\n"
        f"for name in {SERVER_ONLY!r}:\n"
        "    try:\n"
        "        m.distribution(name)\n"
        "        print('present', name)\n"
        "    except m.PackageNotFoundError:\n"
        "        pass\n"
    )
    result = run(stubs, "-c", probe, cwd=stubs.parent)
    assert result.returncode == 0, result.stderr
    assert len(modules) >= 16
    assert result.stdout.splitlines() == ["None"]
    pip(stubs, "check")


def test_mypy_strict_passes_on_a_typed_client(stubs: Path, tmp_path: Path) -> None:
    report = mypy_strict(stubs, CLIENT, tmp_path)
    assert report.startswith("exit 0\nSuccess"), report


def test_mypy_strict_catches_a_wrong_request_and_result(stubs: Path, tmp_path: Path) -> None:
    report = mypy_strict(stubs, WRONG, tmp_path)
    assert report.startswith("exit 1"), report
    assert re.search(r'"GetTicketRequest"; expected "CreateTicketRequest"\s+\[arg-type\]', report)
    assert re.search(r'got "str", expected "int"\)\s+\[return-value\]', report)


async def test_the_client_talks_to_deskbridge(stubs: Path, tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(CLIENT)
    address = f"127.0.0.1:{free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKBRIDGE_")}
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "serve",
        "all",
        env={**env, "DESKBRIDGE_GRPC_ADDRESS": address, "DESKBRIDGE_DATA_DIR": str(tmp_path)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await wait_serving(address, 30, "deskbridge.v1.TicketService")
        client_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        result = run(stubs, "client.py", address, cwd=tmp_path, env=client_env)
        assert result.returncode == 0, result.stderr
        # No backend is configured: the server's answer, decoded by the stubs-only client.
        assert result.stdout.strip() == "NOT_FOUND"
    finally:
        server.send_signal(signal.SIGTERM)
        await asyncio.wait_for(server.wait(), 20)
