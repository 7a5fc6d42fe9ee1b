"""End-to-end fixtures: the real Deskbridge runtime over real gRPC, NATS and HTTP."""

from __future__ import annotations

import grpc
import pytest
from e2e_support import settings_for

from deskbridge.runtime.app import start_runtime
from deskbridge.runtime.settings import BackendConfig, Secret


@pytest.fixture
async def motadata_only_runtime(tmp_path):
    """All services, one configured backend whose vendor has no adapter operations yet."""
    backend = BackendConfig(
        name="helpdesk",
        vendor="motadata",
        base_url="http://127.0.0.1:9",
        credentials={"api_key": Secret("k")},
    )
    runtime = await start_runtime(settings_for(tmp_path, backend), ["all"])
    yield runtime
    await runtime.stop()


@pytest.fixture
async def channel_to(request):
    """`channel_to(runtime)` → an aio channel closed at teardown."""
    channels: list[grpc.aio.Channel] = []

    def open_channel(runtime) -> grpc.aio.Channel:
        channel = grpc.aio.insecure_channel(runtime.address)
        channels.append(channel)
        return channel

    yield open_channel
    for channel in channels:
        await channel.close()
