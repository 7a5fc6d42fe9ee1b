"""NATS goes away: publishing queues to the outbox, and the outbox drains exactly once."""

from __future__ import annotations

import time

import pytest
from events_support import eventually, stored_count, ticket_change
from nats.js import api

from deskbridge.events.outbox import Outbox
from deskbridge.events.publisher import EventPublisher, PublishOutcome
from deskbridge.events.stream import StreamSettings, ensure_streams
from deskbridge.runtime.nats import EmbeddedNats, connect_nats, drain_nats

BACKEND = "outage"
ALL = f"deskbridge.{BACKEND}.>"


@pytest.fixture
async def own_nats(tmp_path):
    """A nats-server of this test's own: it gets stopped and restarted."""
    server = EmbeddedNats(tmp_path / "nats", name="deskbridge-outage")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def client(own_nats):
    nc = await connect_nats(own_nats.url, name="outage-test", reconnect_wait=0.1)
    await ensure_streams(nc.jetstream(), StreamSettings())
    yield nc
    await drain_nats(nc, grace=2.0)


async def ids_in_stream(js) -> list[str]:
    """ce-ids of every stored event of this backend, in stream order (ephemeral consumer)."""
    subscription = await js.pull_subscribe(
        ALL, stream="DESKBRIDGE_EVENTS", config=api.ConsumerConfig(inactive_threshold=5.0)
    )
    total = await stored_count(js, ALL)
    messages = await subscription.fetch(total, timeout=2) if total else []
    await subscription.unsubscribe()
    return [m.headers["ce-id"] for m in messages]


async def test_outage_queues_then_delivers_exactly_once(own_nats, client, tmp_path):
    js = client.jetstream()
    publisher = EventPublisher(client, Outbox(tmp_path / "outbox"), drain_interval=0.2)
    await publisher.start()
    try:
        before = ticket_change(BACKEND, 1, 1)
        assert await publisher.publish(before) == PublishOutcome.PUBLISHED

        await own_nats.stop()
        during = [ticket_change(BACKEND, 1, 2), ticket_change(BACKEND, 2, 1)]
        started = time.monotonic()
        outcomes = [await publisher.publish(event) for event in during]
        assert time.monotonic() - started < 3.0
        assert outcomes == [PublishOutcome.QUEUED, PublishOutcome.QUEUED]
        assert publisher.outbox.depth == 2

        await own_nats.restart()  # same port, same data
        await eventually(lambda: publisher.outbox.depth == 0, within=10)
        after = ticket_change(BACKEND, 1, 3)
        assert await publisher.publish(after) == PublishOutcome.PUBLISHED
    finally:
        await publisher.close(grace=1.0)

    expected = [e.ce_id for e in (before, *during, after)]
    assert await ids_in_stream(js) == expected  # each once, in order


async def test_new_process_drains_the_outbox_left_behind(own_nats, client, tmp_path):
    outbox_dir = tmp_path / "outbox"
    first = EventPublisher(client, Outbox(outbox_dir), drain_interval=0.2)
    await first.start()
    await own_nats.stop()
    queued = [ticket_change(BACKEND, 9, revision) for revision in range(1, 4)]
    for event in queued:
        assert await first.publish(event) == PublishOutcome.QUEUED
    await first.close(grace=0.5)  # NATS still away: the events stay on disk
    assert len(list(outbox_dir.glob("*.event"))) == 3

    await own_nats.restart()
    # the "restarted process": a new client, a new publisher on the same outbox directory
    nc = await connect_nats(own_nats.url, name="outage-test-2", reconnect_wait=0.1)
    second = EventPublisher(nc, Outbox(outbox_dir), drain_interval=0.2)
    try:
        assert second.outbox.depth == 3
        await second.start()
        await eventually(lambda: second.outbox.depth == 0, within=10)
        # it keeps numbering after what the first process used
        assert second.outbox.next_sequence == 4
        assert await ids_in_stream(nc.jetstream()) == [e.ce_id for e in queued]
    finally:
        await second.close(grace=1.0)
        await drain_nats(nc, grace=2.0)
    assert not list(outbox_dir.glob("*.event"))


async def test_missing_stream_queues_then_publisher_provisions_it(own_nats, tmp_path):
    # NATS is up but nobody created the stream yet (e.g. provisioning failed at start)
    nc = await connect_nats(own_nats.url, name="no-stream", reconnect_wait=0.1)
    publisher = EventPublisher(
        nc, Outbox(tmp_path / "outbox"), drain_interval=0.2, streams=StreamSettings()
    )
    try:
        event = ticket_change(BACKEND, 3, 1)
        started = time.monotonic()
        assert await publisher.publish(event) == PublishOutcome.QUEUED  # no responders
        assert time.monotonic() - started < 1.0
        await publisher.start()
        await eventually(lambda: publisher.outbox.depth == 0, within=10)
        assert await ids_in_stream(nc.jetstream()) == [event.ce_id]
    finally:
        await publisher.close(grace=1.0)
        await drain_nats(nc, grace=2.0)
