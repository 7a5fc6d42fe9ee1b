"""Fixtures for the event-bus tests: a client on the shared nats-server, unique names."""

from __future__ import annotations

import uuid

import pytest

from deskbridge.events.stream import StreamSettings, ensure_streams
from deskbridge.runtime.nats import connect_nats, drain_nats


@pytest.fixture
async def nc(nats_server):
    client = await connect_nats(nats_server.url, name="events-e2e", reconnect_wait=0.1)
    await ensure_streams(client.jetstream(), StreamSettings())
    yield client
    await drain_nats(client, grace=2.0)


@pytest.fixture
def backend() -> str:
    """A backend token of its own, so tests share the default stream without cross-talk."""
    return f"t{uuid.uuid4().hex[:10]}"
