"""Shared fixtures."""

from __future__ import annotations

import pytest

from deskbridge.runtime.nats import EmbeddedNats


@pytest.fixture(scope="session")
async def nats_server(tmp_path_factory: pytest.TempPathFactory):
    """One real nats-server (JetStream) for the session, on a free port.

    Share it politely: use the default StreamSettings() (DESKBRIDGE_EVENTS on deskbridge.>)
    with unique backend names, or streams whose subjects do not overlap deskbridge.>; use
    unique consumer names. Tests that stop or restart NATS start their own EmbeddedNats.
    """
    server = EmbeddedNats(tmp_path_factory.mktemp("nats"), name="deskbridge-test")
    await server.start()
    yield server
    await server.stop()
