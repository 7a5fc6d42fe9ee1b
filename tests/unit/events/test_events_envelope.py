"""The CloudEvents envelope: derived names, deterministic ids, header round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from google.protobuf import struct_pb2

from deskbridge.events.envelope import ChangeEvent, build_change_event, change_id, format_time
from deskbridge.events.payloads import (
    UndecodableEvent,
    decode_payload,
    message_class_name,
)

WHEN = datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)


def make(**overrides) -> ChangeEvent:
    fields = {
        "backend": "invgate",
        "resource": "ticket",
        "action": "created",
        "resource_name": "backends/invgate/tickets/12",
        "revision": "1717000000",
        "payload": b"\x0a\x01x",
        "time": WHEN,
    }
    fields.update(overrides)
    return ChangeEvent(**fields)


def test_derived_names():
    event = make(resource="article_category", action="updated")
    assert event.subject == "deskbridge.invgate.article_category.updated"
    assert event.ce_type == "deskbridge.v1.article_category.updated"
    assert event.ce_source == "deskbridge/invgate"


def test_ce_id_is_deterministic_and_identity_based():
    event = make()
    assert event.ce_id == make().ce_id
    assert len(event.ce_id) == 32 and int(event.ce_id, 16) >= 0
    # the payload and the time do not change the identity of a change ...
    assert make(payload=b"other", time=WHEN + timedelta(seconds=5)).ce_id == event.ce_id
    # ... nor the action: the watcher cannot know which RPC made a change it polled ...
    assert make(action="updated").ce_id == event.ce_id
    # ... backend, resource name and revision do
    others = [
        make(backend="motadata"),
        make(resource_name="backends/invgate/tickets/13"),
        make(revision="1717000001"),
    ]
    assert len({event.ce_id, *(o.ce_id for o in others)}) == 4
    assert event.ce_id == change_id("invgate", "backends/invgate/tickets/12", "1717000000")


def test_headers():
    headers = make(traceparent="00-" + "a" * 32 + "-" + "b" * 16 + "-01").headers()
    assert headers["ce-specversion"] == "1.0"
    assert headers["ce-id"] == headers["Nats-Msg-Id"] == make().ce_id
    assert headers["ce-source"] == "deskbridge/invgate"
    assert headers["ce-type"] == "deskbridge.v1.ticket.created"
    assert headers["ce-subject"] == "backends/invgate/tickets/12"
    assert headers["ce-time"] == "2026-03-04T05:06:07.890000Z"
    assert headers["content-type"] == "application/protobuf"
    assert headers["traceparent"].startswith("00-")
    assert "traceparent" not in make().headers()
    assert all(isinstance(v, str) for v in headers.values())


def test_header_round_trip():
    event = make(traceparent="00-" + "c" * 32 + "-" + "d" * 16 + "-01")
    assert ChangeEvent.from_headers(event.headers(), event.payload) == event

    class Msg:  # the attributes of nats.aio.msg.Msg that matter
        headers = event.headers()
        data = event.payload

    assert ChangeEvent.from_message(Msg()) == event


def test_from_headers_rejects_foreign_or_altered_events():
    headers = make().headers()
    with pytest.raises(ValueError, match="missing"):
        ChangeEvent.from_headers({k: v for k, v in headers.items() if k != "ce-subject"}, b"")
    with pytest.raises(ValueError, match="ce-id"):
        ChangeEvent.from_headers({**headers, "ce-revision": "2"}, b"")
    with pytest.raises(ValueError, match="not a Deskbridge"):
        ChangeEvent.from_headers({**headers, "ce-type": "com.example.other"}, b"")


def test_time_is_utc():
    local = datetime(2026, 3, 4, 7, 6, 7, tzinfo=timezone(timedelta(hours=2)))
    assert make(time=local).time == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert make(time=datetime(2026, 3, 4, 5, 6, 7)).time.tzinfo is UTC  # naive: taken as UTC
    assert format_time(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)) == "2026-03-04T05:06:07Z"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("backend", "Invgate"),
        ("backend", "inv.gate"),
        ("backend", "inv gate"),
        ("backend", "*"),
        ("backend", ""),
        ("resource", "Ticket"),
        ("resource", "ticket.comment"),
        ("resource", "article-category"),
        ("resource", ">"),
        ("action", "Created"),
        ("action", "created.now"),
        ("action", "1created"),
        ("resource_name", ""),
        ("revision", ""),
    ],
)
def test_bad_tokens_are_rejected(field, value):
    with pytest.raises(ValueError):
        make(**{field: value})


def test_backend_may_use_hyphen_and_underscore():
    assert make(backend="invgate-eu_2").subject == "deskbridge.invgate-eu_2.ticket.created"


def test_build_change_event_serializes_the_message():
    message = struct_pb2.Struct()
    message.update({"id": 12, "subject": "printer on fire"})
    event = build_change_event(
        backend="invgate",
        resource="ticket",
        action="updated",
        resource_name="backends/invgate/tickets/12",
        revision=1717000000,  # numbers are accepted and kept as text
        message=message,
    )
    assert event.revision == "1717000000"
    assert struct_pb2.Struct.FromString(event.payload) == message
    assert event.traceparent is None  # no OpenTelemetry installed
    assert abs((datetime.now(UTC) - event.time).total_seconds()) < 5
    assert replace(event, payload=b"").ce_id == event.ce_id


def test_payload_class_by_convention():
    assert message_class_name("ticket") == "TicketEvent"
    assert message_class_name("article_category") == "ArticleCategoryEvent"
    assert message_class_name("help_desk") == "HelpDeskEvent"
    types = {"ticket": struct_pb2.Struct}
    message = struct_pb2.Struct()
    message.update({"a": "b"})
    data = message.SerializeToString()
    assert decode_payload("deskbridge.v1.ticket.created", data, types) == message
    assert decode_payload("deskbridge.v1.no_such_kind.created", data, types) is None
    assert decode_payload("com.example.other", data, types) is None
    with pytest.raises(UndecodableEvent):
        decode_payload("deskbridge.v1.ticket.created", b"\xff\xff\xff\xff", types)


def test_generated_event_messages_are_found_by_convention():
    from deskbridge.events.payloads import message_class
    from deskbridge.v1 import events_pb2

    assert message_class("ticket") is events_pb2.TicketEvent
    assert message_class("article_category") is events_pb2.ArticleCategoryEvent
    assert message_class("help_desk") is events_pb2.HelpDeskEvent
    assert message_class("no_such_kind") is None
    ticket_event = events_pb2.TicketEvent(resource_name="backends/invgate/tickets/1")
    ticket_event.ticket.title = "VPN down"
    decoded = decode_payload("deskbridge.v1.ticket.created", ticket_event.SerializeToString())
    assert decoded == ticket_event
