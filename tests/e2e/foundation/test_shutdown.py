"""SIGTERM while RPCs are in flight: they complete, health goes NOT_SERVING, exit code 0."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import grpc
import pytest
from e2e_support import free_port
from service_logs import collect

from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc

UPSTREAM_DELAY = 1.5


class SlowInvGate(BaseHTTPRequestHandler):
    """Answers `GET /api/v1/incident` after a delay, like a slow InvGate."""

    def do_GET(self) -> None:
        time.sleep(UPSTREAM_DELAY)
        body = json.dumps({"id": 7, "title": "slow", "status_id": 2, "last_update": 1}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def slow_upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowInvGate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


async def test_sigterm_drains_in_flight_rpcs_and_exits_zero(tmp_path: Path, slow_upstream):
    config = tmp_path / "deskbridge.toml"
    config.write_text(
        f'[[backends]]\nname = "slow"\nvendor = "invgate"\nbase_url = "{slow_upstream}"\n'
        '[backends.credentials]\nusername = "api"\npassword_env = "SLOW_PASSWORD"\n'
    )
    address = f"127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "DESKBRIDGE_CONFIG": str(config),
        "DESKBRIDGE_GRPC_ADDRESS": address,
        "DESKBRIDGE_DATA_DIR": str(tmp_path),
        "SLOW_PASSWORD": "pw",
        "DESKBRIDGE_SHUTDOWN_GRACE_SECONDS": "10",
    }
    env.pop("DESKBRIDGE_NATS_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "serve",
        "all",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with grpc.aio.insecure_channel(address) as channel:
            await asyncio.wait_for(channel.channel_ready(), 20)
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            request = tickets_pb2.GetTicketRequest(name="backends/slow/tickets/7")
            calls = [asyncio.ensure_future(stub.GetTicket(request)) for _ in range(5)]
            await asyncio.sleep(0.5)  # all five are now waiting on the upstream
            process.send_signal(signal.SIGTERM)
            responses = await asyncio.gather(*calls)
        assert [r.ticket.title for r in responses] == ["slow"] * 5
        assert await asyncio.wait_for(process.wait(), 20) == 0
        logs = (await process.stderr.read()).decode()
        assert not collect("deskbridge serve all", logs)  # every log line is JSON
        assert "grpc_server_stopping" in logs
        assert '"pw"' not in logs and "password" not in logs  # no secret, in any form
        access = [
            json.loads(line)
            for line in logs.splitlines()
            if line.startswith("{") and '"event": "rpc"' in line
        ]
        assert len(access) == 5
        assert {(a["rpc"], a["backend"], a["status"]) for a in access} == {
            ("deskbridge.v1.TicketService/GetTicket", "slow", "OK")
        }
        assert all(a["request_id"] and a["latency_ms"] >= UPSTREAM_DELAY * 1000 for a in access)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
