"""Helpers for the event-bus tests (imported by the test modules)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from google.protobuf.message import Message

from deskbridge.events.envelope import ChangeEvent, build_change_event
from deskbridge.v1 import events_pb2

_ACTIONS = {
    "created": events_pb2.CHANGE_ACTION_CREATED,
    "updated": events_pb2.CHANGE_ACTION_UPDATED,
    "deleted": events_pb2.CHANGE_ACTION_DELETED,
}


def ticket_message(resource_name: str, revision: int, action: str = "updated") -> Message:
    """A real deskbridge.v1.TicketEvent for the ticket at `resource_name`."""
    message = events_pb2.TicketEvent(
        action=_ACTIONS[action],
        origin=events_pb2.CHANGE_ORIGIN_API,
        request_id=f"req-{revision}",
        resource_name=resource_name,
    )
    message.ticket.name = resource_name
    message.ticket.title = f"Printer on fire (revision {revision})"
    message.changed_fields.paths.append("title")
    message.change_time.FromDatetime(datetime.now(UTC))
    return message


def ticket_change(backend: str, ticket: int, revision: int, action: str = "updated") -> ChangeEvent:
    name = f"backends/{backend}/tickets/{ticket}"
    return build_change_event(
        backend=backend,
        resource="ticket",
        action=action,
        resource_name=name,
        revision=str(revision),
        message=ticket_message(name, revision, action),
    )


async def eventually(predicate, within: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + within
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)


async def stored_count(js, subject_filter: str, stream: str = "DESKBRIDGE_EVENTS") -> int:
    info = await js.stream_info(stream, subjects_filter=subject_filter)
    return sum((info.state.subjects or {}).values())
