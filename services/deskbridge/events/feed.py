"""A watch's read of the event stream: positions, resume tokens and a bounded feed.

A position is a stream sequence: "every event up to here has been handled". A resume token
is that position with the stream's creation time (a stream created again restarts its
sequences, so an older stream's token must not be read against it), base64url-encoded and
opaque to clients.

`Feed` reads the events of some subjects after a position through an ephemeral pull
consumer (in memory, no acks, deleted by the server when its feed goes away), `batch` events
per fetch, and fetches again only when the watch has written what it has. So what a watch
holds is at most one batch, however far behind its client is: a slow reader slows its own
feed and nothing else, and the backlog stays in JetStream. It is what nats-py's ordered
consumer does, pulled instead of pushed: the consumer is created again after the last event
handed out when a delivery goes missing (consumer sequences are counted) or the consumer is
lost, so a feed gives every event after its start once, in stream order.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import secrets
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nats.errors
import nats.js.errors
from nats.js import api

from deskbridge.events.claimcheck import payload_of

TOKEN_VERSION = "v1"
INACTIVE_SECONDS = 60.0  # a consumer whose watch vanished is deleted by the server after this


@dataclass(frozen=True)
class Position:
    """A point in one stream: `created` (ns, tells streams apart) and `sequence`."""

    created: int
    sequence: int


def encode_token(position: Position) -> str:
    text = f"{TOKEN_VERSION}:{position.created}:{position.sequence}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_token(token: str) -> Position:
    """The position a token names; ValueError for anything that is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        version, created, sequence = text.split(":")
        if version != TOKEN_VERSION:
            raise ValueError(version)
        position = Position(int(created), int(sequence))
    except (ValueError, UnicodeDecodeError):
        raise ValueError("not a resume token of this API") from None
    if position.sequence < 0 or position.created < 0:
        raise ValueError("not a resume token of this API")
    return position


@dataclass(frozen=True)
class StreamState:
    created: int  # ns since the epoch
    first_sequence: int
    last_sequence: int

    @property
    def end(self) -> Position:
        return Position(self.created, self.last_sequence)


async def stream_state(js: Any, stream: str) -> StreamState:
    info = await js.stream_info(stream)
    created = int(info.created.timestamp() * 1e9) if info.created is not None else 0
    return StreamState(created, info.state.first_seq, info.state.last_seq)


@dataclass(frozen=True)
class StreamEvent:
    """One stored event: subject, headers, payload (claim-checked ones fetched) and sequence."""

    subject: str
    headers: dict[str, str]
    data: bytes
    sequence: int


class Feed:
    """The events of `subjects` in `stream` after sequence `after`, read `batch` at a time."""

    def __init__(
        self, js: Any, stream: str, subjects: Sequence[str], after: int, batch: int
    ) -> None:
        self._js = js
        self._stream = stream
        self._subjects = list(subjects)
        self._batch = max(1, batch)
        self._pending: deque[Any] = deque()
        self._subscription: Any = None
        self._consumer: str | None = None
        self._next_delivery = 1  # the consumer sequence the next message must have
        self.received = after  # the stream sequence of the last event handed out
        self._wake = asyncio.Event()
        self._confirmed: int | None = None  # see idle_position

    async def start(self) -> None:
        """(Re)create the consumer after `received`: at start, after a gap or its loss."""
        await self.close()
        config = api.ConsumerConfig(
            ack_policy=api.AckPolicy.NONE,
            deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=self.received + 1,
            filter_subjects=self._subjects if len(self._subjects) > 1 else None,
            filter_subject=self._subjects[0] if len(self._subjects) == 1 else None,
            inactive_threshold=INACTIVE_SECONDS,
            mem_storage=True,
            num_replicas=1,
            name=f"watch-{secrets.token_hex(8)}",
        )
        info = await self._js.add_consumer(self._stream, config)
        self._consumer = info.name
        self._subscription = await self._js.pull_subscribe_bind(
            consumer=self._consumer, stream=self._stream
        )
        self._pending.clear()
        self._next_delivery = 1

    def wake(self) -> None:
        """Make `next` return None now and from now on (the watch is ending)."""
        self._wake.set()

    async def next(self, wait_seconds: float) -> StreamEvent | None:
        """The next event, or None after `wait_seconds` or on `wake()`."""
        if not self._pending:
            await self._fill(wait_seconds)
            if not self._pending:
                return None
        msg = self._pending.popleft()
        headers = dict(msg.headers or {})
        data = await payload_of(self._js, headers, msg.data)
        self.received = msg.metadata.sequence.stream
        return StreamEvent(msg.subject, headers, data, self.received)

    async def _fill(self, wait_seconds: float) -> None:
        if self._wake.is_set():
            return
        fetch = asyncio.ensure_future(self._subscription.fetch(self._batch, timeout=wait_seconds))
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({fetch, woken}, return_when="FIRST_COMPLETED")
        finally:
            woken.cancel()
        if not fetch.done():
            # nats-py ends a cancelled fetch with ConnectionClosedError once the feed closes
            fetch.add_done_callback(lambda done: done.cancelled() or done.exception())
            fetch.cancel()
            return
        try:
            msgs = fetch.result()
        except (nats.errors.TimeoutError, TimeoutError):
            return
        except nats.js.errors.NotFoundError:
            await self.start()  # the consumer is gone (NATS restarted, idle too long)
            return
        for msg in msgs:
            if msg.metadata.sequence.consumer != self._next_delivery:
                await self.start()  # a delivery went missing: start again after the last one
                return
            self._next_delivery += 1
            self._pending.append(msg)

    async def idle_position(self) -> int:
        """How far a quiet feed may say it has read: its last event, or further when JetStream
        says nothing of its subjects is pending.

        The stream's last sequence L is read first; when the consumer then reports nothing
        pending, every matching event up to L was delivered. One may still be on its way, so
        L is only given out at the next call (a bookmark interval later), by when it arrived
        and `received` covers it.
        """
        position = self.received
        if self._confirmed is not None and not self._pending:
            position = max(position, self._confirmed)
        self._confirmed = None
        with contextlib.suppress(Exception):
            last = (await stream_state(self._js, self._stream)).last_sequence
            info = await self._subscription.consumer_info()
            if info.num_pending == 0 and info.num_ack_pending == 0 and not self._pending:
                self._confirmed = last
        return position

    async def close(self) -> None:
        """Unsubscribe and delete the consumer now (the server would after INACTIVE_SECONDS)."""
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
            self._subscription = None
        if self._consumer is not None:
            with contextlib.suppress(Exception):
                await self._js.delete_consumer(self._stream, self._consumer)
            self._consumer = None
