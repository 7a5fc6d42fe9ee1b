"""A watched stack: InvGate sandbox, Deskbridge (all services + the watcher + webhook intake)."""

from __future__ import annotations

import pytest
from watch_support import open_watched

from deskbridge.sandbox.invgate import SandboxConfig


@pytest.fixture
async def watched(tmp_path, nats_server):
    async with open_watched(
        tmp_path, nats_server.url, SandboxConfig(request_count=30, seed=5)
    ) as stack:
        yield stack
