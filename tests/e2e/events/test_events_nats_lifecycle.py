"""The NATS lifecycle: embedded server restarts in place; clients come up late and reconnect."""

from __future__ import annotations

import asyncio

from events_support import eventually

from deskbridge.runtime.nats import (
    EmbeddedNats,
    add_connect_listener,
    connect_nats,
    drain_nats,
    find_nats_server,
)


def test_binary_is_found():
    assert find_nats_server().endswith("nats-server")


async def test_restart_keeps_port_and_data(tmp_path):
    async with EmbeddedNats(tmp_path / "nats") as server:
        url = server.url
        assert server.port > 0 and (tmp_path / "nats" / "nats-server.log").exists()
        nc = await connect_nats(url, name="lifecycle", reconnect_wait=0.1)
        reconnects = []
        add_connect_listener(nc, lambda: reconnects.append(1))
        js = nc.jetstream()
        await js.add_stream(name="LIFECYCLE", subjects=["lifecycle.>"])
        await js.publish("lifecycle.a", b"kept")

        await server.restart()
        assert server.url == url
        await eventually(lambda: nc.is_connected and reconnects, within=10)
        message = await js.get_msg("LIFECYCLE", 1)
        assert message.data == b"kept"
        await drain_nats(nc)
    assert not server.running


async def test_client_started_before_nats_comes_up_later(tmp_path):
    probe = EmbeddedNats(tmp_path / "probe")
    await probe.start()  # only to learn a free port
    port = probe.port
    await probe.stop()

    nc = await connect_nats(
        f"nats://127.0.0.1:{port}", name="late", reconnect_wait=0.1, first_connect_wait=0.3
    )
    connected = asyncio.Event()
    add_connect_listener(nc, connected.set)
    assert not nc.is_connected  # returned anyway; keeps trying in the background
    async with EmbeddedNats(tmp_path / "nats", port=port):
        await asyncio.wait_for(connected.wait(), 10)
        assert nc.is_connected
        await nc.publish("anything", b"ok")
    await drain_nats(nc)
    assert nc.is_closed


async def test_drain_of_a_never_connected_client_is_quick():
    nc = await connect_nats("nats://user:pw@127.0.0.1:9", name="never", first_connect_wait=0.1)
    await asyncio.wait_for(drain_nats(nc), 3)
    assert nc.is_closed
