"""The durable inbox of pushed webhook deliveries: accepted at once, published in order.

A vendor that pushes resources (Requestor's triggers) sends each subscription's deliveries one
after another and different subscriptions' at the same time, so two changes of one resource
milliseconds apart — TicketStateChange, then TicketCategoryChange — may arrive in either order.
The intake therefore only stores a delivery (`accept`: JetStream stream `DESKBRIDGE_INBOX`,
subject `deskbridge-inbox.<backend>`) and answers as soon as it is stored: the sender's queue
never waits on Deskbridge, and a delivery once accepted is not lost to a crash or a lease
handover. A retry of one delivery (the same delivery id) is dropped by JetStream's duplicate
window.

The lease holder reads the inbox (`read_inbox`, durable consumer `inbox-<backend>`), taking
what is there without waiting for a full batch, holds each resource's deliveries
`reorder_seconds` after the first of them arrived, publishes them in the vendor's time order
through the watcher's snapshot (so a state already published is not published again), and
acks each delivery after. Different resources are published side by side (`PUBLISHERS` at a
time), one resource by one worker at a time, so a backlog costs round trips in parallel, not
one after the other. A failure leaves the delivery unacked: it is read again, its resource's
later deliveries with it, so order holds.
"""

from __future__ import annotations

import asyncio
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
from deskbridge.runtime.tasks import cancel_and_wait

log = structlog.get_logger(__name__)
INBOX_STREAM = "DESKBRIDGE_INBOX"
INBOX_PREFIX = "deskbridge-inbox"
TOPIC_HEADER = "deskbridge-topic"
INBOX_MAX_AGE = 7 * 24 * 3600.0  # a week of deliveries waits for a watcher to come back
FETCH_BATCH = 256
PUBLISHERS = 128  # resources published side by side, each in its own order
HELD_LIMIT = 4096  # resources held before the reader stops fetching for a while


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
    *,
    publishers: int = PUBLISHERS,
) -> None:
    """Publish the inbox of `backend` until cancelled (see the module docstring)."""
    sub = await js.pull_subscribe(
        inbox_subject(backend),
        durable=f"inbox-{backend}",
        stream=INBOX_STREAM,
        config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=30.0, max_ack_pending=20_000),
    )
    reader = _Reader(push, reorder_seconds)
    puller = _Puller(sub)
    workers = [asyncio.create_task(reader.work()) for _ in range(max(1, publishers))]
    try:
        while True:
            if len(reader.held) < HELD_LIMIT:
                for message in await puller.fetch(reader.wait()):
                    await reader.hold(message, parse)
            else:  # enough waiting already: let the publishers catch up
                await reader.room(reader.wait())
            for worker in workers:  # a worker that failed (NATS away for an ack) fails the read
                if worker.done():
                    worker.result()
            reader.dispatch()
    finally:
        for worker in workers:
            await cancel_and_wait(worker)
        try:
            await sub.unsubscribe()
        except Exception:  # the connection is going away with it
            pass


class _Puller:
    """Fetches what the inbox holds, without waiting for a full batch.

    A fetch that finds the inbox empty waits (up to `wait`) for one delivery only; the
    consumer's count of what is left after it (`num_pending`, in every message's metadata)
    says how many to take at once next, none of which has to be waited for."""

    def __init__(self, sub: Any) -> None:
        self._sub = sub
        self._pending = 0

    async def fetch(self, wait: float) -> list:
        batch = min(self._pending, FETCH_BATCH) or 1
        try:
            found = await self._sub.fetch(batch, timeout=wait)
        except (nats.errors.TimeoutError, TimeoutError):
            self._pending = 0
            return []
        self._pending = found[-1].metadata.num_pending if found else 0
        return found


class _Reader:
    """The deliveries held per resource, and `publishers` workers publishing them.

    A resource is with at most one worker at a time (`busy`), which publishes its held
    deliveries in the vendor's time order, then the ones that arrived meanwhile, so each
    resource keeps its order while different resources are published side by side."""

    def __init__(self, push: Callable[[Observed], Awaitable[int]], reorder_seconds: float) -> None:
        self._push = push
        self._reorder = reorder_seconds
        self.held: dict[str, _Held] = {}
        self._outstanding: dict[int, int] = {}  # id(message) → its resources not yet published
        self._busy: set[str] = set()
        self._ready: asyncio.Queue[str] = asyncio.Queue()
        self._room = asyncio.Event()

    def wait(self) -> float:
        """Seconds until the next held resource not with a worker is due (at most 1)."""
        due = min(
            (h.first + self._reorder for n, h in self.held.items() if n not in self._busy),
            default=None,
        )
        return 1.0 if due is None else min(1.0, max(0.01, due - time.time()))

    async def room(self, wait: float) -> None:
        """Until a worker took a resource, or `wait` seconds."""
        self._room.clear()
        try:
            async with asyncio.timeout(wait):
                await self._room.wait()
        except TimeoutError:
            pass

    async def hold(self, message: Any, parse: PushParser) -> None:
        topic = (message.headers or {}).get(TOPIC_HEADER, "")
        try:
            observed = parse(topic, orjson.loads(message.data))
        except (ValueError, KeyError) as error:  # checked at the intake: a bug, not a retry
            log.error("inbox_delivery_unreadable", topic=topic, error=str(error))
            await message.term()
            return
        arrived = message.metadata.timestamp.timestamp()
        self._outstanding[id(message)] = len(observed)
        for item in observed:
            slot = self.held.setdefault(item.message.name, _Held(arrived))
            slot.items.append((item, message))
        if not observed:
            await message.ack()

    def dispatch(self) -> None:
        """Hand every due resource that no worker has to the workers."""
        now = time.time()
        for name, slot in self.held.items():
            if name not in self._busy and slot.first + self._reorder <= now:
                self._busy.add(name)
                self._ready.put_nowait(name)

    async def work(self) -> None:
        while True:
            name = await self._ready.get()
            try:
                while (slot := self.held.pop(name, None)) is not None:
                    self._room.set()
                    await _publish(slot, self._push, self._outstanding)
                    later = self.held.get(name)  # arrived while this one was published
                    if later is not None:
                        await asyncio.sleep(max(0.0, later.first + self._reorder - time.time()))
            finally:
                self._busy.discard(name)


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
