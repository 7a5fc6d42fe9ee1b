"""The event bus against a real nats-server: headers, dedupe, order, redelivery, DLQ, tail."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import json
from collections import defaultdict

import pytest
from events_support import eventually, stored_count, ticket_change, ticket_message

from deskbridge.events.consumer import ReceivedEvent, consume
from deskbridge.events.envelope import ChangeEvent, build_change_event
from deskbridge.events.outbox import Outbox
from deskbridge.events.publisher import EventPublisher, PublishOutcome
from deskbridge.events.tail import tail
from deskbridge.v1 import events_pb2


@contextlib.asynccontextmanager
async def publisher_for(nc, tmp_path):
    publisher = EventPublisher(nc, Outbox(tmp_path / "outbox"), drain_interval=0.2)
    await publisher.start()
    try:
        yield publisher
    finally:
        await publisher.close(grace=1.0)


async def take(events, count: int, within: float = 10.0, ack: bool = True) -> list[ReceivedEvent]:
    got: list[ReceivedEvent] = []

    async def run():
        async for received in events:
            got.append(received)
            if ack:
                await received.ack()
            if len(got) == count:
                return

    await asyncio.wait_for(run(), within)
    return got


async def test_published_event_has_cloudevents_headers_and_typed_payload(nc, backend, tmp_path):
    js = nc.jetstream()
    event = ticket_change(backend, 12, 1717000000, action="created")
    async with publisher_for(nc, tmp_path) as publisher:
        assert await publisher.publish(event) == PublishOutcome.PUBLISHED

    events = consume(
        js,
        durable=f"{backend}-a",
        subject=f"deskbridge.{backend}.>",
        fetch_timeout=0.5,
    )
    async with contextlib.aclosing(events):
        (received,) = await take(events, 1)
    assert received.subject == f"deskbridge.{backend}.ticket.created"
    headers = received.headers
    assert headers["ce-specversion"] == "1.0"
    assert headers["ce-id"] == received.id == event.ce_id == headers["Nats-Msg-Id"]
    assert headers["ce-source"] == received.source == f"deskbridge/{backend}"
    assert headers["ce-type"] == received.type == "deskbridge.v1.ticket.created"
    assert headers["ce-subject"] == received.ce_subject == f"backends/{backend}/tickets/12"
    assert headers["content-type"] == "application/protobuf"
    assert received.time == event.time
    assert (received.resource, received.action) == ("ticket", "created")
    assert received.delivery_count == 1
    ticket_event = received.event
    assert isinstance(ticket_event, events_pb2.TicketEvent)
    assert ticket_event.action == events_pb2.CHANGE_ACTION_CREATED
    assert ticket_event.origin == events_pb2.CHANGE_ORIGIN_API
    assert ticket_event.ticket.name == ticket_event.resource_name == received.ce_subject
    assert list(ticket_event.changed_fields.paths) == ["title"]
    assert received.event.SerializeToString(deterministic=True) == event.payload


async def test_same_change_twice_is_stored_once(nc, backend, tmp_path):
    js = nc.jetstream()
    event = ticket_change(backend, 7, 42)
    seen_again = ticket_change(backend, 7, 42)  # e.g. by the watcher, a moment later
    async with publisher_for(nc, tmp_path) as publisher:
        assert await publisher.publish(event) == PublishOutcome.PUBLISHED
        assert await publisher.publish(seen_again) == PublishOutcome.DUPLICATE
        assert await publisher.publish(ticket_change(backend, 7, 43)) == PublishOutcome.PUBLISHED
    assert await stored_count(js, f"deskbridge.{backend}.>") == 2


async def test_thousand_events_arrive_in_order_per_resource(nc, backend, tmp_path):
    js = nc.jetstream()
    tickets, revisions = 10, 100
    async with publisher_for(nc, tmp_path) as publisher:

        async def one_ticket(ticket: int) -> list[PublishOutcome]:
            return [
                await publisher.publish(ticket_change(backend, ticket, revision))
                for revision in range(1, revisions + 1)
            ]

        outcomes = await asyncio.gather(*(one_ticket(t) for t in range(tickets)))
    assert {o for per_ticket in outcomes for o in per_ticket} == {PublishOutcome.PUBLISHED}

    events = consume(
        js,
        durable=f"{backend}-order",
        subject=f"deskbridge.{backend}.>",
        batch=200,
        fetch_timeout=0.5,
    )
    async with contextlib.aclosing(events):
        got = await take(events, tickets * revisions, within=20)
    per_ticket: dict[str, list[int]] = defaultdict(list)
    for received in got:
        per_ticket[received.ce_subject].append(int(received.headers["ce-revision"]))
    assert len(per_ticket) == tickets
    for sequence in per_ticket.values():
        assert sequence == list(range(1, revisions + 1))  # in order, no gap, no duplicate


async def test_unacked_events_come_back_to_the_same_durable(nc, backend, tmp_path):
    js = nc.jetstream()
    async with publisher_for(nc, tmp_path) as publisher:
        for revision in range(1, 11):
            await publisher.publish(ticket_change(backend, 1, revision))
    options = dict(
        durable=f"{backend}-crash",
        subject=f"deskbridge.{backend}.>",
        batch=10,
        ack_wait=1.0,
        fetch_timeout=0.5,
    )

    # the first run acks 1-5, gets 6 and 7 but "crashes" before acking them (8-10 were
    # fetched but never handed out)
    events = consume(js, **options)
    first = []
    async for received in events:
        first.append(int(received.headers["ce-revision"]))
        if len(first) <= 5:
            await received.ack()
        if len(first) == 7:
            break
    await events.aclose()  # the process goes away: its subscription with it
    assert first == [1, 2, 3, 4, 5, 6, 7]

    events = consume(js, **options)
    async with contextlib.aclosing(events):
        again = await take(events, 5, within=10)
        assert sorted(int(r.headers["ce-revision"]) for r in again) == [6, 7, 8, 9, 10]
        assert {r.delivery_count for r in again} == {2}
        with pytest.raises(TimeoutError):  # nothing that was acked comes back
            await asyncio.wait_for(anext(events), 1.5)


async def test_poison_events_are_dead_lettered(nc, backend, tmp_path):
    js = nc.jetstream()
    async with publisher_for(nc, tmp_path) as publisher:
        naked = ticket_change(backend, 1, 1)  # the consumer always naks it
        ignored = ticket_change(backend, 2, 1)  # the consumer never acks it
        fine = ticket_change(backend, 3, 1)
        garbage = build_change_event(
            backend=backend,
            resource="ticket",
            action="updated",
            resource_name=f"backends/{backend}/tickets/4",
            revision="1",
            message=ticket_message("x", 1),
        )
        garbage = dataclasses.replace(garbage, payload=b"\xff\xff\xff\xff\xff")
        for event in (naked, ignored, fine, garbage):
            assert await publisher.publish(event) == PublishOutcome.PUBLISHED

    deliveries: dict[str, int] = defaultdict(int)

    async def consumer():
        events = consume(
            js,
            durable=f"{backend}-poison",
            subject=f"deskbridge.{backend}.>",
            max_deliver=2,
            backoff=[0.1],
            ack_wait=0.5,
            fetch_timeout=0.3,
        )
        async with contextlib.aclosing(events):
            async for received in events:
                deliveries[received.id] += 1
                if received.id == naked.ce_id:
                    await received.nak()
                elif received.id == fine.ce_id:
                    await received.ack()
                # `ignored` is left alone: ack_wait runs out

    task = asyncio.create_task(consumer())
    dead = f"deskbridge-dlq.deskbridge.{backend}.>"
    try:
        await eventually(lambda: _count_is(js, dead, 3), within=10)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    assert deliveries[naked.ce_id] == 2 and deliveries[ignored.ce_id] == 2
    assert deliveries[fine.ce_id] == 1 and garbage.ce_id not in deliveries

    subscription = await js.pull_subscribe(dead, stream="DESKBRIDGE_DEADLETTER")
    letters = {m.headers["ce-id"]: m for m in await subscription.fetch(3, timeout=2)}
    await subscription.unsubscribe()
    assert set(letters) == {naked.ce_id, ignored.ce_id, garbage.ce_id}
    for event in (naked, ignored, garbage):
        letter = letters[event.ce_id]
        assert letter.subject == f"deskbridge-dlq.{event.subject}"
        assert letter.data == event.payload
        assert letter.headers["ce-type"] == event.ce_type
        assert letter.headers["deskbridge-dlq-consumer"] == f"{backend}-poison"
        assert letter.headers["deskbridge-dlq-stream"] == "DESKBRIDGE_EVENTS"
        assert int(letter.headers["deskbridge-dlq-stream-seq"]) > 0
    assert "nak" in letters[naked.ce_id].headers["deskbridge-dlq-reason"]
    assert "not acknowledged" in letters[ignored.ce_id].headers["deskbridge-dlq-reason"]
    assert "undecodable" in letters[garbage.ce_id].headers["deskbridge-dlq-reason"]
    # terminated: nothing is pending on the consumer any more
    info = await js.consumer_info("DESKBRIDGE_EVENTS", f"{backend}-poison")
    assert info.num_pending == 0 and info.num_ack_pending == 0


async def _count_is(js, subject_filter, count):
    return await stored_count(js, subject_filter, stream="DESKBRIDGE_DEADLETTER") == count


async def test_tail_prints_events(nats_server, nc, backend, tmp_path):
    event = ticket_change(backend, 5, 99, action="created")
    async with publisher_for(nc, tmp_path) as publisher:
        await publisher.publish(event)
    subject = f"deskbridge.{backend}.>"

    out = io.StringIO()
    printed = await asyncio.wait_for(
        tail(
            nats_server.url,
            subject=subject,
            from_start=True,
            limit=1,
            out=out,
        ),
        10,
    )
    assert printed == 1
    text = out.getvalue()
    assert "deskbridge.v1.ticket.created" in text and event.ce_id in text
    assert f"backends/{backend}/tickets/5" in text and "req-99" in text

    out = io.StringIO()
    await asyncio.wait_for(
        tail(
            nats_server.url,
            subject=subject,
            from_start=True,
            limit=1,
            out=out,
            json_output=True,
        ),
        10,
    )
    record = json.loads(out.getvalue())
    assert record["id"] == event.ce_id and record["type"] == "deskbridge.v1.ticket.created"
    assert record["subject"] == f"backends/{backend}/tickets/5"
    assert record["specversion"] == "1.0" and record["revision"] == "99"
    assert record["data"]["request_id"] == "req-99"
    assert record["data"]["ticket"]["name"] == f"backends/{backend}/tickets/5"
    assert record["data"]["action"] == "CHANGE_ACTION_CREATED"

    # a new event reaches a tail that is already waiting (default: new events only)
    out = io.StringIO()
    waiting = asyncio.create_task(
        tail(
            nats_server.url,
            subject=subject,
            limit=1,
            out=out,
        )
    )
    await asyncio.sleep(0.5)
    later = ticket_change(backend, 6, 1, action="created")
    await nc.jetstream().publish(later.subject, later.payload, headers=later.headers())
    assert await asyncio.wait_for(waiting, 10) == 1
    assert later.ce_id in out.getvalue() and event.ce_id not in out.getvalue()


@dataclasses.dataclass(frozen=True)
class RefusedByTheStream(ChangeEvent):
    """An event JetStream refuses for good (its expectation names another stream)."""

    def headers(self) -> dict[str, str]:
        return {**super().headers(), "Nats-Expected-Stream": "NOT_DESKBRIDGE_EVENTS"}


async def test_an_event_the_stream_refuses_for_good_is_dead_lettered_not_left_on_disk(
    nc, backend, tmp_path
):
    publisher = EventPublisher(nc, Outbox(tmp_path / "outbox"))
    change = ticket_change(backend, 1, 1)
    refused = RefusedByTheStream(
        **{f.name: getattr(change, f.name) for f in dataclasses.fields(change)}
    )
    assert await publisher.publish(refused) == PublishOutcome.FAILED
    js = nc.jetstream()
    subject = f"deskbridge-dlq.{refused.subject}"
    sub = await js.pull_subscribe(subject, stream="DESKBRIDGE_DEADLETTER")
    (letter,) = await sub.fetch(1, timeout=5)
    assert letter.headers["ce-id"] == refused.ce_id
    assert "expected stream" in letter.headers["deskbridge-dlq-reason"].lower()
    assert letter.data == refused.payload
    failed = tmp_path / "outbox" / "failed"
    assert not failed.exists() or not any(failed.iterdir())
