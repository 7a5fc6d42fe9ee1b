"""Consuming Deskbridge change events: a durable pull consumer with dead-lettering.

Usage::

    from deskbridge.events.consumer import consume
    from deskbridge.runtime.nats import connect_nats

    nc = await connect_nats("nats://127.0.0.1:4222", name="ticket-sync")
    async for received in consume(nc.jetstream(), durable="ticket-sync",
                                  subject="deskbridge.*.ticket.>"):
        try:
            await sync(received.event)        # a deskbridge.v1.TicketEvent
        except TemporaryProblem:
            await received.nak()              # redelivered after backoff[delivery_count - 1]
        except BadData as error:
            await received.dead_letter(str(error))
        else:
            await received.ack()

Semantics:

- The durable consumer lives on the stream that captures `subject` (DESKBRIDGE_EVENTS), so a
  restarted consumer continues where it stopped; events it received but did not settle
  come again after `ack_wait` seconds. Events arrive in stream order (per resource too).
- `received.event` is the `deskbridge.v1` message named by the ce-type
  (`deskbridge.v1.ticket.updated` → `TicketEvent`); None for a type this code does not
  know (the bytes are in `received.data`).
- `nak()` without a delay asks for redelivery after `backoff[delivery_count - 1]` seconds (the
  last value repeats). Unsettled events are redelivered after `ack_wait`.
- Poison events: an event that is nak'd on its `max_deliver`-th delivery, or is not acked
  within `ack_wait` on it, or whose payload does not decode, is published to
  `<dead_letter_prefix>.<original subject>` (stream DESKBRIDGE_DEADLETTER) with the original
  headers plus `deskbridge-dlq-reason`, `deskbridge-dlq-stream`, `deskbridge-dlq-stream-seq`,
  `deskbridge-dlq-consumer` and `deskbridge-dlq-deliveries`, then terminated. (The consumer
  is created with one extra delivery, which the helper uses for this; your code sees at most
  `max_deliver` deliveries.)
- Deduplicate on `received.id` (ce-id) if your side effects are not idempotent: delivery is
  at least once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import nats.errors
import nats.js.errors
import structlog
from google.protobuf.message import Message
from nats.js import api

from deskbridge.events.claimcheck import payload_of
from deskbridge.events.envelope import MSG_ID_HEADER, parse_time, split_type
from deskbridge.events.payloads import MessageTypes, UndecodableEvent, decode_payload

log = structlog.get_logger(__name__)

DeliverFrom = Literal["new", "all"] | datetime
DLQ_REASON = "deskbridge-dlq-reason"
DLQ_STREAM = "deskbridge-dlq-stream"
DLQ_STREAM_SEQ = "deskbridge-dlq-stream-seq"
DLQ_CONSUMER = "deskbridge-dlq-consumer"
DLQ_DELIVERIES = "deskbridge-dlq-deliveries"


@dataclass
class _ConsumerPolicy:
    js: Any
    stream: str
    durable: str
    max_deliver: int
    backoff: tuple[float, ...]
    dead_letter_prefix: str


@dataclass(eq=False)
class ReceivedEvent:
    """One delivered event; settle it with `ack`, `nak` or `dead_letter`."""

    subject: str
    headers: dict[str, str]
    data: bytes
    event: Message | None
    delivery_count: int
    stream_sequence: int
    _msg: Any = field(repr=False)
    _policy: _ConsumerPolicy = field(repr=False)
    settled: bool = False

    # CloudEvents attributes
    @property
    def id(self) -> str:
        return self.headers.get("ce-id", "")

    @property
    def type(self) -> str:
        return self.headers.get("ce-type", "")

    @property
    def source(self) -> str:
        return self.headers.get("ce-source", "")

    @property
    def ce_subject(self) -> str:
        """The resource name the event is about (`backends/invgate/tickets/12`)."""
        return self.headers.get("ce-subject", "")

    def trace_context(self) -> Any:
        """The producer's trace context (an OpenTelemetry `Context`, from the W3C
        `traceparent` header), to continue the trace in the consumer:
        `tracer.start_as_current_span("handle", context=received.trace_context())`."""
        from opentelemetry import propagate

        return propagate.extract(self.headers)

    @property
    def time(self) -> datetime | None:
        text = self.headers.get("ce-time")
        try:
            return parse_time(text) if text else None
        except ValueError:
            return None

    @property
    def resource(self) -> str | None:
        kind = split_type(self.type)
        return kind[0] if kind else None

    @property
    def action(self) -> str | None:
        kind = split_type(self.type)
        return kind[1] if kind else None

    async def ack(self) -> None:
        if not self.settled:
            await self._msg.ack()
            self.settled = True

    async def in_progress(self) -> None:
        """Tell JetStream this is still being worked on (resets the ack_wait timer)."""
        await self._msg.in_progress()

    async def nak(self, delay: float | None = None) -> None:
        """Ask for redelivery (after `delay`, or the backoff); dead-letters the last delivery."""
        if self.settled:
            return
        policy = self._policy
        if policy.max_deliver > 0 and self.delivery_count >= policy.max_deliver:
            await self.dead_letter(f"nak on delivery {self.delivery_count} of {policy.max_deliver}")
            return
        if delay is None:
            delay = policy.backoff[min(self.delivery_count, len(policy.backoff)) - 1]
        await self._msg.nak(delay=delay)
        self.settled = True

    async def dead_letter(self, reason: str) -> bool:
        """Publish to the dead-letter subject and terminate; False if that could not be done.

        When the dead-letter publish fails (no dead-letter stream, NATS away) the event is
        nak'd instead, so it is not lost.
        """
        if self.settled:
            return False
        policy = self._policy
        reason = " ".join(str(reason).split())[:1000] or "unspecified"
        headers = dict(self.headers)
        headers.update(
            {
                DLQ_REASON: reason,
                DLQ_STREAM: policy.stream,
                DLQ_STREAM_SEQ: str(self.stream_sequence),
                DLQ_CONSUMER: policy.durable,
                DLQ_DELIVERIES: str(self.delivery_count),
                MSG_ID_HEADER: f"{policy.stream}:{self.stream_sequence}:{policy.durable}",
            }
        )
        target = f"{policy.dead_letter_prefix}.{self.subject}"
        try:
            await policy.js.publish(target, self.data, headers=headers, timeout=5.0)
        except Exception as error:
            log.error(
                "dead_letter_publish_failed",
                subject=target,
                ce_id=self.id,
                stream_seq=self.stream_sequence,
                error=f"{type(error).__name__}: {error}",
            )
            with contextlib.suppress(Exception):
                await self._msg.nak(delay=policy.backoff[-1])
            self.settled = True
            return False
        await self._msg.term()
        self.settled = True
        log.warning(
            "event_dead_lettered",
            subject=target,
            ce_id=self.id,
            consumer=policy.durable,
            stream_seq=self.stream_sequence,
            deliveries=self.delivery_count,
            reason=reason,
        )
        return True


def _deliver_policy(deliver_from: DeliverFrom) -> dict[str, Any]:
    if isinstance(deliver_from, datetime):
        return {"deliver_policy": api.DeliverPolicy.BY_START_TIME, "opt_start_time": deliver_from}
    if deliver_from == "new":
        return {"deliver_policy": api.DeliverPolicy.NEW}
    if deliver_from == "all":
        return {"deliver_policy": api.DeliverPolicy.ALL}
    raise ValueError(f"deliver_from must be 'new', 'all' or a datetime, not {deliver_from!r}")


async def ensure_consumer(js: Any, stream: str, config: api.ConsumerConfig) -> None:
    """Create the durable consumer or update it; keep it when JetStream refuses a change."""
    try:
        await js.add_consumer(stream, config=config)
    except nats.js.errors.BadRequestError as error:
        try:
            await js.consumer_info(stream, config.durable_name)
        except nats.js.errors.NotFoundError:
            raise error from None
        # e.g. a different deliver policy: JetStream cannot change it in place
        log.warning(
            "consumer_config_kept",
            stream=stream,
            durable=config.durable_name,
            error=str(error),
        )


async def consume(
    js: Any,
    *,
    durable: str,
    subject: str = "deskbridge.>",
    deliver_from: DeliverFrom = "all",
    batch: int = 100,
    max_deliver: int = 5,
    backoff: Sequence[float] = (1.0, 5.0, 30.0),
    ack_wait: float = 30.0,
    dead_letter_prefix: str = "deskbridge-dlq",
    stream: str | None = None,
    fetch_timeout: float = 5.0,
    message_types: MessageTypes | None = None,
) -> AsyncIterator[ReceivedEvent]:
    """Events from a durable pull consumer, decoded; see the module docstring."""
    if not durable or any(c in durable for c in ".*> \t"):
        raise ValueError(f"durable name {durable!r} must not contain '.', '*', '>' or spaces")
    if not backoff:
        raise ValueError("backoff needs at least one delay")
    stream = stream or await js.find_stream_name_by_subject(subject)
    config = api.ConsumerConfig(
        name=durable,
        durable_name=durable,
        filter_subject=subject,
        ack_policy=api.AckPolicy.EXPLICIT,
        ack_wait=ack_wait,
        max_deliver=max_deliver + 1 if max_deliver > 0 else -1,
        max_ack_pending=max(1000, batch * 10),
        **_deliver_policy(deliver_from),
    )
    await ensure_consumer(js, stream, config)
    subscription = await js.pull_subscribe_bind(durable=durable, stream=stream)
    policy = _ConsumerPolicy(js, stream, durable, max_deliver, tuple(backoff), dead_letter_prefix)
    fetched: deque[Any] = deque()
    log.info("consumer_started", stream=stream, durable=durable, subject=subject)
    try:
        while True:
            if not fetched:
                try:
                    fetched.extend(await subscription.fetch(batch, timeout=fetch_timeout))
                except nats.errors.TimeoutError:
                    continue
                except nats.errors.ConnectionClosedError:
                    raise
                except (nats.errors.Error, OSError) as error:
                    log.warning("consumer_fetch_failed", durable=durable, error=str(error))
                    await asyncio.sleep(0.5)
                    continue
                if not fetched:
                    continue
            received = await _receive(fetched.popleft(), policy, message_types)
            if received is not None:
                yield received
    finally:
        # Give back what was fetched but never handed out, so it comes again right away.
        for msg in fetched:
            with contextlib.suppress(Exception):
                await msg.nak()
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()


async def _receive(
    msg: Any, policy: _ConsumerPolicy, message_types: MessageTypes | None
) -> ReceivedEvent | None:
    metadata = msg.metadata
    received = ReceivedEvent(
        subject=msg.subject,
        headers=dict(msg.headers or {}),
        data=bytes(msg.data),
        event=None,
        delivery_count=metadata.num_delivered,
        stream_sequence=metadata.sequence.stream,
        _msg=msg,
        _policy=policy,
    )
    if policy.max_deliver > 0 and received.delivery_count > policy.max_deliver:
        await received.dead_letter(f"not acknowledged after {policy.max_deliver} deliveries")
        return None
    try:
        received.data = await payload_of(policy.js, received.headers, received.data)
        received.event = decode_payload(received.type, received.data, message_types)
    except UndecodableEvent as error:
        await received.dead_letter(f"undecodable: {error}")
        return None
    return received
