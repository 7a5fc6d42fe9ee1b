"""The InvGate sandbox over real HTTP, and an adapter client bound to it."""

from __future__ import annotations

import httpx
import pytest

from deskbridge.runtime.upstream import BasicAuth, RetryPolicy, Upstream
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.vendors.invgate.client import InvGateClient


@pytest.fixture
async def sandbox():
    running = await start_sandbox(SandboxConfig(request_count=30, seed=11))
    yield running
    await running.stop()


@pytest.fixture
async def http(sandbox):
    async with httpx.AsyncClient(
        base_url=sandbox.url + "/api/v1/", auth=("api", "sandbox-token")
    ) as client:
        yield client


@pytest.fixture
async def client(sandbox):
    upstream = Upstream(
        backend="inv",
        vendor="invgate",
        base_url=sandbox.url,
        auth=BasicAuth.of("api", "sandbox-token"),
        retry=RetryPolicy(attempts=3, base_delay=0.01),
    )
    yield InvGateClient(upstream)
    await upstream.aclose()


@pytest.fixture
def state(sandbox):
    return sandbox.app.state.sandbox.state
