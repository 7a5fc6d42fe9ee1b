"""`deskbridge events tail` arguments and formatting (no NATS needed)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf import struct_pb2

from deskbridge.events.envelope import ChangeEvent
from deskbridge.events.tail import add_tail_arguments, format_event, parse_since
from deskbridge.runtime.nats import redact_url

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    add_tail_arguments(p)
    return p


def test_arguments():
    args = parser().parse_args(
        [
            "--nats-url",
            "nats://h:4222",
            "--subject",
            "deskbridge.*.ticket.>",
            "--json",
            "--durable",
            "me",
            "--since",
            "15m",
            "--limit",
            "3",
        ]
    )
    assert args.nats_url == "nats://h:4222" and args.subject == "deskbridge.*.ticket.>"
    assert args.json_output and args.durable == "me" and args.since == "15m"
    assert args.limit == 3 and not args.from_start
    defaults = parser().parse_args([])
    assert defaults.subject == "deskbridge.>" and not defaults.json_output
    with pytest.raises(SystemExit):
        parser().parse_args(["--from-start", "--since", "1h"])


def test_parse_since():
    assert parse_since("90s", NOW) == NOW - timedelta(seconds=90)
    assert parse_since("2h", NOW) == NOW - timedelta(hours=2)
    assert parse_since("7d", NOW) == NOW - timedelta(days=7)
    assert parse_since("2026-04-30T10:00:00Z") == datetime(2026, 4, 30, 10, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_since("yesterday")


def test_format_event():
    message = struct_pb2.Struct()
    message.update({"request_id": "r1"})
    event = ChangeEvent(
        backend="invgate",
        resource="ticket",
        action="created",
        resource_name="backends/invgate/tickets/1",
        revision="5",
        payload=message.SerializeToString(),
        time=NOW,
    )
    types = {"ticket": struct_pb2.Struct}
    text = format_event(
        event.subject, event.headers(), event.payload, stream_seq=9, message_types=types
    )
    assert text.startswith("2026-05-01T12:00:00Z  deskbridge.v1.ticket.created")
    assert "seq=9" in text and '"request_id": "r1"' in text
    record = json.loads(
        format_event(
            event.subject, event.headers(), event.payload, json_output=True, message_types=types
        )
    )
    assert record["id"] == event.ce_id and record["data"] == {"request_id": "r1"}
    unknown = json.loads(format_event(event.subject, {}, b"\x01", json_output=True))
    assert unknown["data_base64"] == "AQ=="


def test_redact_url():
    assert redact_url("nats://user:secret@h:4222,nats://h2:4222") == (
        "nats://***@h:4222,nats://h2:4222"
    )
    assert "tok" not in redact_url("nats://tok@h:4222")
