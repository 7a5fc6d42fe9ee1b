"""The durable inbox of pushed webhook deliveries: accepted at once, published in order.

A vendor that pushes resources (Requestor's triggers) sends each subscription's deliveries one
after another and different subscriptions' at the same time, so two changes of one resource
milliseconds apart — TicketStateChange, then TicketCategoryChange — may arrive in either order.
The intake therefore only stores a delivery (`accept`: JetStream stream `DESKBRIDGE_INBOX`,
subject `deskbridge-inbox.<backend>`) and answers as soon as it is stored: the sender's queue
never waits on Deskbridge, and a delivery once accepted is not lost to a crash or a lease
handover. A retry of one delivery (the same delivery id) is dropped by JetStream's duplicate
window.

The lease holder reads the inbox (`read_inbox`, durable consumer `inbox-<backend>`), holds each
resource's deliveries `reorder_seconds` after the first of them arrived, publishes them in the
vendor's time order through the watcher's snapshot (so a state already published is not
published again), and acks each delivery after. A failure leaves the delivery unacked: it is
read again, its resource's later deliveries with it, so order holds.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import nats.errors
import nats.js.errors
import orjson
import structlog
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig

from deskbridge.runtime import tracing
from deskbridge.runtime.sources import Observed, PushParser

log = structlog.get_logger(__name__)
INBOX_STREAM = "DESKBRIDGE_INBOX"
INBOX_PREFIX = "deskbridge-inbox"
TOPIC_HEADER = "deskbridge-topic"
INBOX_MAX_AGE = 7 * 24 * 3600.0  # a week of deliveries waits for a watcher to come back
FETCH_BATCH = 256


def inbox_subject(backend: str) -> str:
    return f"{INBOX_PREFIX}.{backend}"


async def ensure_inbox(js: Any, replicas: int = 1) -> None:
    """The inbox stream, created when missing."""
    try:
        await js.stream_info(INBOX_STREAM)
    except nats.js.errors.NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=INBOX_STREAM,
                subjects=[f"{INBOX_PREFIX}.>"],
                storage=StorageType.FILE,
                num_replicas=replicas,
                max_age=INBOX_MAX_AGE,
                duplicate_window=120.0,
            )
        )
        log.info("inbox_stream_created", stream=INBOX_STREAM)


async def accept(
    js: Any,
    backend: str,
    topic: str,
    body: bytes,
    delivery: str = "",
    trace_headers: dict[str, str] | None = None,
) -> None:
    """Store one delivery; raises when JetStream did not take it (the sender retries).
    `trace_headers` (W3C trace context) travel with it to the reader."""
    headers = {**(trace_headers or {}), TOPIC_HEADER: topic}
    if delivery:
        headers["Nats-Msg-Id"] = f"{backend}:{topic}:{delivery}"
    await js.publish(inbox_subject(backend), body, headers=headers, timeout=2.0)


@dataclass
class _Held:
    """The deliveries of one resource waiting for their turn."""

    first: float  # epoch seconds the first of them arrived
    items: list[tuple[Observed, Any]] = field(default_factory=list)  # (resource, its message)


async def read_inbox(
    js: Any,
    backend: str,
    parse: PushParser,
    push: Callable[[Observed], Awaitable[int]],
    reorder_seconds: float,
) -> None:
    """Publish the inbox of `backend` until cancelled (see the module docstring)."""
    sub = await js.pull_subscribe(
        inbox_subject(backend),
        durable=f"inbox-{backend}",
        stream=INBOX_STREAM,
        config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=30.0, max_ack_pending=20_000),
    )
    held: dict[str, _Held] = {}
    outstanding: dict[int, int] = {}  # id(message) → its resources not yet published
    try:
        while True:
            due = min((h.first + reorder_seconds for h in held.values()), default=None)
            wait = 1.0 if due is None else max(0.01, due - time.time())
            for message in await _fetch(sub, wait):
                await _hold(message, parse, held, outstanding)
            now = time.time()
            for name in [n for n, h in held.items() if h.first + reorder_seconds <= now]:
                await _publish(held.pop(name), push, outstanding)
    finally:
        try:
            await sub.unsubscribe()
        except Exception:  # the connection is going away with it
            pass


async def _fetch(sub: Any, wait: float) -> list:
    try:
        return await sub.fetch(FETCH_BATCH, timeout=wait)
    except (nats.errors.TimeoutError, TimeoutError):
        return []


async def _hold(message: Any, parse: PushParser, held: dict[str, _Held], outstanding: dict) -> None:
    topic = (message.headers or {}).get(TOPIC_HEADER, "")
    try:
        observed = parse(topic, orjson.loads(message.data))
    except (ValueError, KeyError) as error:  # checked at the intake: a bug, not a retry
        log.error("inbox_delivery_unreadable", topic=topic, error=str(error))
        await message.term()
        return
    arrived = message.metadata.timestamp.timestamp()
    outstanding[id(message)] = len(observed)
    for item in observed:
        slot = held.setdefault(item.message.name, _Held(arrived))
        slot.items.append((item, message))
    if not observed:
        await message.ack()


async def _publish(
    slot: _Held, push: Callable[[Observed], Awaitable[int]], outstanding: dict
) -> None:
    ordered = sorted(slot.items, key=lambda pair: pair[0].vendor_time or _EPOCH)
    for position, (item, message) in enumerate(ordered):
        try:
            with tracing.span(
                "webhook delivery",
                attributes={"deskbridge.resource": item.message.name},
                parent=tracing.extract(message.headers or {}),
            ):
                await push(item)
        except Exception as error:  # NATS or KV away: this and what follows, again later
            log.warning("inbox_publish_failed", resource=item.message.name, error=str(error))
            for _, later in ordered[position:]:
                if outstanding.pop(id(later), None) is not None:
                    await later.nak(delay=1.0)
            return
        left = outstanding.get(id(message))
        if left is None:
            continue
        if left <= 1:
            outstanding.pop(id(message))
            await message.ack()
        else:
            outstanding[id(message)] = left - 1


_EPOCH = datetime.min.replace(tzinfo=UTC)
