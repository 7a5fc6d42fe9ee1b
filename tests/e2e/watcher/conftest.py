"""A watched stack: InvGate sandbox, Deskbridge (all services + the watcher + webhook intake)."""

from __future__ import annotations

import grpc
import httpx
import pytest
from watch_support import Watched, next_backend, start_watched

from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox


@pytest.fixture
async def watched(tmp_path, nats_server):
    sandbox = await start_sandbox(SandboxConfig(request_count=30, seed=5))
    backend = next_backend()
    runtime = await start_watched(tmp_path, nats_server.url, sandbox, backend)
    channel = grpc.aio.insecure_channel(runtime.address)
    vendor = httpx.AsyncClient(base_url=sandbox.url + "/api/v1/", auth=("api", "sandbox-token"))
    control = httpx.AsyncClient(base_url=sandbox.url)
    stack = Watched(backend, runtime, sandbox, nats_server.url, channel, vendor, control)
    await stack.until_watched()
    yield stack
    await control.aclose()
    await vendor.aclose()
    await channel.close()
    await runtime.stop()
    await sandbox.stop()
