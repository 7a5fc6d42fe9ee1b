"""Publishing change events to JetStream without ever losing one to a NATS outage.

`EventPublisher.publish(event)` sends the event with its CloudEvents headers and waits for the
JetStream ack: "published", or "duplicate" when JetStream already had that ce-id (Nats-Msg-Id)
within the stream's duplicate window. Transient failures (no responders, a reconnecting
client, a timeout) are retried a few times after short pauses (50 ms, 200 ms), all attempts
together bounded by `ack_timeout`; a client that is not connected is not tried at all. If
NATS is still not there the event goes to the on-disk `Outbox` and the outcome is "queued".
`publish` never raises because NATS is away, and never takes much longer than `ack_timeout`.

Order per resource is kept: publishes of one resource name are serialized, and while the
outbox holds anything, new events are appended behind it. A background task (`start()`)
drains the outbox oldest-first whenever the client is connected (woken on reconnect and on a
periodic tick) and deletes each file only after its ack; `close(grace)` (SIGTERM) drains what
is left, waiting up to `grace` for NATS to (re)connect. An event NATS refuses for good
(an invalid subject, a bad header) is counted as "failed", logged at error level and
published to the dead-letter stream (`deskbridge-dlq.<subject>`, the reason in
`deskbridge-dlq-reason`); only what that refuses too is kept in `<outbox>/failed/`.
Payloads too large for a NATS message travel by claim-check (`events/claimcheck.py`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import Any

import nats.errors
import nats.js.errors
import structlog
from prometheus_client import Counter, Histogram

from deskbridge.events.claimcheck import check_in, fits
from deskbridge.events.consumer import DLQ_REASON, DLQ_STREAM
from deskbridge.events.envelope import ChangeEvent
from deskbridge.events.outbox import Outbox, OutboxEntry
from deskbridge.events.stream import StreamSettings, ensure_streams

log = structlog.get_logger(__name__)

EVENTS = Counter(
    "deskbridge_events",
    "Change events handed to the publisher, by resource kind and outcome "
    "(published, queued, duplicate, failed)",
    ["resource", "outcome"],
)
DRAINED = Counter(
    "deskbridge_outbox_drained",
    "Events published from the outbox, by resource kind and outcome",
    ["resource", "outcome"],
)
DEAD_LETTERED = Counter(
    "deskbridge_events_dead_lettered",
    "Events the stream refused for good, published to the dead-letter stream instead",
    ["resource"],
)
EVENTS_STREAM = StreamSettings().name
DEAD_LETTER_PREFIX = "deskbridge-dlq"
PUBLISH_LATENCY = Histogram(
    "deskbridge_event_publish_seconds",
    "JetStream publish round trip (publish to ack) of successful publishes",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)


class PublishOutcome(StrEnum):
    PUBLISHED = "published"
    QUEUED = "queued"
    DUPLICATE = "duplicate"
    FAILED = "failed"


_PERMANENT: tuple[type[BaseException], ...] = (
    nats.errors.MaxPayloadError,
    nats.errors.BadSubjectError,
    nats.errors.BadHeaderError,
    nats.js.errors.BadRequestError,
)


def _is_permanent(error: BaseException) -> bool:
    if isinstance(error, _PERMANENT):
        return True
    # Other JetStream API errors: 5xx are the server's trouble (retry), 4xx are ours.
    if isinstance(error, nats.js.errors.APIError):
        return bool(error.code) and 400 <= int(error.code) < 500
    return False


def _describe(error: BaseException | None) -> str:
    if error is None:
        return "not connected"
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _resource_of(subject: str) -> str:
    parts = subject.split(".")
    return parts[2] if len(parts) == 4 else "unknown"


class EventPublisher:
    """See the module docstring. Give it a NATS client or its JetStream context."""

    def __init__(
        self,
        target: Any,
        outbox: Outbox,
        *,
        ack_timeout: float = 2.0,
        retry_attempts: int = 3,
        backoff: Sequence[float] = (0.05, 0.2),
        drain_interval: float = 1.0,
        streams: StreamSettings | None = None,
        stripes: int = 1024,
        on_published: Callable[[ChangeEvent], Awaitable[None]] | None = None,
    ) -> None:
        if hasattr(target, "jetstream"):
            self._nc = target
            self._js = target.jetstream()
        else:
            self._js = target
            self._nc = target._nc
        self.outbox = outbox
        self._ack_timeout = ack_timeout
        self._attempts = max(1, retry_attempts)
        self._backoff = tuple(backoff) or (0.0,)
        self._drain_interval = drain_interval
        self._streams = streams
        self._streams_ready = streams is None
        self._stripes = [asyncio.Lock() for _ in range(max(1, stripes))]
        self._drain_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._closed = False
        self._last_drain_error: str | None = None
        self._on_published = on_published  # e.g. the event view (events/views.py)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the background drain (and drain what a previous process left)."""
        if self._task is not None:
            return
        from deskbridge.runtime.nats import add_connect_listener

        add_connect_listener(self._nc, self._wake.set)
        self._wake.set()
        self._task = asyncio.create_task(self._run(), name="deskbridge-outbox-drain")

    async def stop(self) -> None:
        """Stop the background drain (queued events stay on disk)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def close(self, grace: float = 5.0) -> None:
        """Stop, drain for at most `grace` seconds, release the outbox.

        What is queued waits up to `grace` for NATS to (re)connect: at SIGTERM the client may
        not have noticed yet that NATS is back, and the next owner of the outbox may be a while
        coming (or, on an emptyDir, never)."""
        if self._closed:
            return
        self._closed = True
        await self.stop()
        try:
            async with asyncio.timeout(grace):
                await self._drain_when_connected()
        except TimeoutError:
            pass
        except Exception as error:
            log.warning("outbox_final_drain_failed", error=_describe(error))
        if self.outbox.depth:
            log.warning(
                "outbox_pending_at_shutdown",
                depth=self.outbox.depth,
                directory=str(self.outbox.directory),
            )
        self.outbox.close()

    @property
    def connected(self) -> bool:
        return bool(self._nc.is_connected)

    # ------------------------------------------------------------------ publish

    def _stripe(self, resource_name: str) -> asyncio.Lock:
        return self._stripes[hash(resource_name) % len(self._stripes)]

    async def publish(self, event: ChangeEvent) -> PublishOutcome:
        """Publish one event; see the module docstring for the outcomes."""
        if self._closed:
            raise RuntimeError("the event publisher is closed")
        async with self._stripe(event.resource_name):
            if self.outbox.depth or not self.connected:
                return self._enqueue(event, "outbox not empty" if self.outbox.depth else None)
            headers = event.headers()
            error: BaseException | None = None
            deadline = time.monotonic() + self._ack_timeout  # all attempts together
            for attempt in range(self._attempts):
                if attempt:
                    pause = self._backoff[min(attempt - 1, len(self._backoff) - 1)]
                    if time.monotonic() + pause >= deadline:
                        break
                    await asyncio.sleep(pause)
                    if not self.connected:
                        break
                remaining = max(0.05, deadline - time.monotonic())
                try:
                    outcome = await self._publish_once(
                        event.subject, headers, event.payload, ack_wait=remaining
                    )
                except Exception as failure:
                    if _is_permanent(failure):
                        return await self._fail(event, headers, failure)
                    error = failure
                    continue
                EVENTS.labels(event.resource, outcome.value).inc()
                await self._acked(event)
                return outcome
            return self._enqueue(event, _describe(error))

    async def _acked(self, event: ChangeEvent) -> None:
        """Tell `on_published` of an event on the stream; its failure is not the publish's."""
        if self._on_published is None:
            return
        try:
            await self._on_published(event)
        except Exception as error:
            log.warning("on_published_failed", subject=event.subject, error=_describe(error))

    async def _publish_once(
        self, subject: str, headers: dict[str, str], payload: bytes, ack_wait: float | None = None
    ) -> PublishOutcome:
        started = time.perf_counter()
        headers = dict(headers)
        if not fits(self._nc, payload):  # too big for a message: claim-check it
            headers = await check_in(self._js, headers, payload)
            payload = b""
        ack = await self._js.publish(
            subject, payload, timeout=ack_wait or self._ack_timeout, headers=headers
        )
        PUBLISH_LATENCY.observe(time.perf_counter() - started)
        return PublishOutcome.DUPLICATE if ack.duplicate else PublishOutcome.PUBLISHED

    def _enqueue(self, event: ChangeEvent, reason: str | None) -> PublishOutcome:
        self.outbox.append_event(event)
        EVENTS.labels(event.resource, PublishOutcome.QUEUED.value).inc()
        log.debug(
            "event_queued",
            ce_id=event.ce_id,
            subject=event.subject,
            reason=reason or "not connected",
        )
        self._wake.set()
        return PublishOutcome.QUEUED

    async def _fail(self, event: ChangeEvent, headers, error: BaseException) -> PublishOutcome:
        EVENTS.labels(event.resource, PublishOutcome.FAILED.value).inc()
        if await self._dead_letter(event.subject, headers, event.payload, _describe(error)):
            return PublishOutcome.FAILED
        path = self.outbox.store_failed(event.subject, headers, event.payload, _describe(error))
        log.error(
            "event_publish_refused",
            ce_id=event.ce_id,
            subject=event.subject,
            error=_describe(error),
            kept=str(path),
        )
        return PublishOutcome.FAILED

    async def _dead_letter(
        self, subject: str, headers: dict[str, str], payload: bytes, reason: str
    ) -> bool:
        """The rule for an event the stream refuses for good: to the dead-letter stream
        (`deskbridge-dlq.<subject>`, reason in a header); False when that is refused too."""
        target = f"{DEAD_LETTER_PREFIX}.{subject}"
        kept = {k: v for k, v in headers.items() if not k.startswith("Nats-Expected")}
        letter = {**kept, DLQ_REASON: reason[:1000], DLQ_STREAM: EVENTS_STREAM}
        try:
            if not fits(self._nc, payload):
                letter, payload = await check_in(self._js, letter, payload), b""
            await self._js.publish(target, payload, timeout=self._ack_timeout, headers=letter)
        except Exception as refused:
            log.error("dead_letter_publish_failed", subject=target, error=_describe(refused))
            return False
        DEAD_LETTERED.labels(_resource_of(subject)).inc()
        log.error("event_dead_lettered", subject=target, ce_id=headers.get("ce-id"), reason=reason)
        return True

    # ------------------------------------------------------------------ drain

    async def drain(self) -> bool:
        """Publish queued events in order while connected; True once the outbox is empty."""
        async with self._drain_lock:
            while self.outbox.depth:
                if not self.connected or not await self._ensure_streams():
                    return False
                entry = self.outbox.peek()
                if entry is None:
                    break
                async with self._stripe(entry.resource_name):
                    head = self.outbox.peek()
                    if head is None or head.sequence != entry.sequence:
                        continue
                    if not await self._drain_one(entry):
                        return False
            self._last_drain_error = None
            return True

    async def _drain_when_connected(self) -> None:
        """Drain until empty, waiting between tries for a (re)connect or a short pause; the
        caller bounds it."""
        while not await self.drain():
            self._wake.clear()  # set again by the connect listener (start())
            try:
                async with asyncio.timeout(min(self._drain_interval, 0.25)):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _drain_one(self, entry: OutboxEntry) -> bool:
        resource = _resource_of(entry.subject)
        try:
            outcome = await self._publish_once(entry.subject, entry.headers, entry.payload)
        except Exception as error:
            if _is_permanent(error):
                reason = _describe(error)
                if await self._dead_letter(
                    entry.subject, dict(entry.headers), entry.payload, reason
                ):
                    self.outbox.remove(entry.sequence)
                else:
                    self.outbox.quarantine(entry.sequence, reason)
                DRAINED.labels(resource, PublishOutcome.FAILED.value).inc()
                return True
            self._note_drain_error(error)
            return False
        self.outbox.remove(entry.sequence)
        DRAINED.labels(resource, outcome.value).inc()
        if self._on_published is not None:
            try:
                await self._acked(ChangeEvent.from_headers(entry.headers, entry.payload))
            except ValueError:  # not one of ours (a test's raw entry): nothing to tell
                pass
        return True

    async def _ensure_streams(self) -> bool:
        if self._streams_ready:
            return True
        try:
            await ensure_streams(self._js, self._streams)
        except Exception as error:
            self._note_drain_error(error)
            return False
        self._streams_ready = True
        return True

    def _note_drain_error(self, error: BaseException) -> None:
        text = _describe(error)
        if text != self._last_drain_error:
            self._last_drain_error = text
            log.warning("outbox_drain_paused", depth=self.outbox.depth, error=text)

    async def _run(self) -> None:
        while True:
            # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancel that arrives
            # just as the event is set, and stop() would wait forever
            try:
                async with asyncio.timeout(self._drain_interval):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()
            if not self.connected or (not self.outbox.depth and self._streams_ready):
                continue
            try:
                drained = await self.drain() if self.outbox.depth else await self._ensure_streams()
            except Exception:
                log.exception("outbox_drain_crashed")
                drained = False
            if not drained:
                # do not spin on a failing server; a reconnect still wakes us right away
                await asyncio.sleep(min(self._drain_interval, 0.25))
