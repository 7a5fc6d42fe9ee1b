"""Reading ChangeService.Watch streams in tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import grpc

from deskbridge.v1 import changes_pb2, changes_pb2_grpc


@dataclass
class WatchReader:
    """One Watch call, its messages collected by a background task."""

    call: grpc.aio.UnaryStreamCall
    messages: list = field(default_factory=list)
    error: grpc.aio.AioRpcError | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task | None = None

    def start(self) -> WatchReader:
        self._task = asyncio.ensure_future(self._read())
        return self

    async def _read(self) -> None:
        try:
            async for message in self.call:
                self.messages.append(message)
                self._arrived.set()
        except grpc.aio.AioRpcError as error:
            if error.code() != grpc.StatusCode.CANCELLED:
                self.error = error
        finally:
            self._arrived.set()

    @property
    def changes(self) -> list:
        return [m for m in self.messages if m.HasField("change")]

    @property
    def live(self) -> list:
        return [m for m in self.changes if not m.change.initial_state]

    @property
    def initial(self) -> list:
        return [m for m in self.changes if m.change.initial_state]

    @property
    def last_token(self) -> str:
        return next((m.resume_token for m in reversed(self.messages) if m.resume_token), "")

    async def until(self, predicate, timeout: float = 10.0) -> list:  # noqa: ASYNC109
        """Until `predicate(self)` holds (or the stream ended); the messages then."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self):
            if self._task is not None and self._task.done():
                raise AssertionError(f"the watch ended first: {self.error}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"not within {timeout}s: {len(self.messages)} messages, last "
                    f"{self.messages[-1:] if self.messages else None}"
                )
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), min(remaining, 0.5))
        return self.messages

    async def ended(self, timeout: float = 10.0) -> grpc.aio.AioRpcError | None:  # noqa: ASYNC109
        assert self._task is not None
        await asyncio.wait_for(asyncio.shield(self._task), timeout)
        return self.error

    async def cancel(self) -> None:
        self.call.cancel()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, grpc.aio.AioRpcError):
                await self._task


@contextlib.asynccontextmanager
async def watching(channel: grpc.aio.Channel, **request) -> AsyncIterator[WatchReader]:
    """A started WatchReader for `WatchRequest(**request)`, cancelled at the end."""
    stub = changes_pb2_grpc.ChangeServiceStub(channel)
    call = stub.Watch(changes_pb2.WatchRequest(**request))
    await call.initial_metadata()  # sent once the watch is established
    reader = WatchReader(call).start()
    try:
        yield reader
    finally:
        await reader.cancel()


def resource_names(messages) -> list[str]:
    return [m.change.subject for m in messages]


async def publish_ticket_events(
    nats_url: str, backend: str, count: int, *, description_bytes: int = 0, start: int = 0
) -> None:
    """`count` ticket.updated events for `backend`, as the publisher stores them (CloudEvents
    headers, a TicketEvent payload), straight onto the stream."""
    import nats

    from deskbridge.events.envelope import change_id
    from deskbridge.v1 import events_pb2, tickets_pb2

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for i in range(start, start + count):
            name = f"backends/{backend}/tickets/{i % 50 + 1}"
            ticket = tickets_pb2.Ticket(name=name, title=f"change {i}")
            ticket.description = "x" * description_bytes
            event = events_pb2.TicketEvent(
                action=events_pb2.CHANGE_ACTION_UPDATED, ticket=ticket, resource_name=name
            )
            ce_id = change_id(backend, name, f"synthetic.{i}")
            await js.publish(
                f"deskbridge.{backend}.ticket.updated",
                event.SerializeToString(),
                headers={
                    "ce-specversion": "1.0",
                    "ce-id": ce_id,
                    "ce-source": f"deskbridge/{backend}",
                    "ce-type": "deskbridge.v1.ticket.updated",
                    "ce-subject": name,
                    "ce-time": "2026-12-02T00:00:00Z",
                    "content-type": "application/protobuf",
                    "Nats-Msg-Id": ce_id,
                },
                stream="DESKBRIDGE_EVENTS",
            )
    finally:
        await nc.close()


def titles(messages) -> list[str]:
    return [m.change.ticket.ticket.title for m in messages]
