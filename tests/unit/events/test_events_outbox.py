"""The on-disk outbox: order, durability across restarts, atomic files, depth."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from deskbridge.events.envelope import ChangeEvent
from deskbridge.events.outbox import OUTBOX_DEPTH, Outbox, OutboxLockedError


def event(n: int, resource_name: str = "backends/invgate/tickets/1") -> ChangeEvent:
    return ChangeEvent(
        backend="invgate",
        resource="ticket",
        action="updated",
        resource_name=resource_name,
        revision=str(n),
        payload=bytes([n % 256]) * n + b"\n\x00binary",
        time=datetime(2026, 1, 1, tzinfo=UTC),
    )


def gauge() -> float:
    return OUTBOX_DEPTH._value.get()


def test_fifo_order_and_depth(tmp_path):
    with Outbox(tmp_path) as outbox:
        assert outbox.depth == 0 and outbox.peek() is None
        sequences = [outbox.append_event(event(n)) for n in range(1, 6)]
        assert sequences == [1, 2, 3, 4, 5]
        assert outbox.depth == len(outbox) == 5 == gauge()
        seen = []
        while (entry := outbox.peek()) is not None:
            seen.append(entry)
            outbox.remove(entry.sequence)
        assert [e.headers["ce-revision"] for e in seen] == ["1", "2", "3", "4", "5"]
        assert seen[2].payload == event(3).payload
        assert seen[2].subject == "deskbridge.invgate.ticket.updated"
        assert ChangeEvent.from_headers(seen[2].headers, seen[2].payload) == event(3)
        assert outbox.depth == 0 == gauge()


def test_only_the_oldest_can_be_removed(tmp_path):
    with Outbox(tmp_path) as outbox:
        outbox.append_event(event(1))
        second = outbox.append_event(event(2))
        with pytest.raises(ValueError):
            outbox.remove(second)


def test_restart_resumes_queue_and_sequence(tmp_path):
    with Outbox(tmp_path) as outbox:
        for n in range(1, 4):
            outbox.append_event(event(n))
        outbox.remove(outbox.peek().sequence)
    with Outbox(tmp_path) as outbox:
        assert outbox.depth == 2
        assert outbox.peek().headers["ce-revision"] == "2"
        assert outbox.append_event(event(4)) == 4
        for _ in range(3):
            outbox.remove(outbox.peek().sequence)
        assert outbox.depth == 0
    with Outbox(tmp_path) as outbox:  # emptied: numbering still continues
        assert outbox.append_event(event(5)) == 5


def test_files_are_complete_and_named_by_sequence(tmp_path):
    with Outbox(tmp_path) as outbox:
        outbox.append_event(event(7))
        outbox.append_event(event(8))
    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".event")
    assert names == ["000000000001.event", "000000000002.event"]
    assert not list(tmp_path.glob(".tmp-*"))
    header, _, payload = (tmp_path / names[0]).read_bytes().partition(b"\n")
    meta = json.loads(header)
    assert meta["subject"] == "deskbridge.invgate.ticket.updated"
    assert payload == event(7).payload


def test_interrupted_write_is_ignored_and_corrupt_file_set_aside(tmp_path):
    with Outbox(tmp_path) as outbox:
        outbox.append_event(event(1))
        outbox.append_event(event(2))
    # a crash during an append leaves only a temporary file behind
    (tmp_path / ".tmp-000000000003.event").write_bytes(b'{"v":1,"subj')
    # a damaged event file (e.g. disk trouble) must not block the queue
    first = tmp_path / "000000000001.event"
    first.write_bytes(first.read_bytes()[:-3])
    with Outbox(tmp_path) as outbox:
        assert not list(tmp_path.glob(".tmp-*"))
        assert outbox.depth == 2
        entry = outbox.peek()
        assert entry.headers["ce-revision"] == "2"
        assert outbox.depth == 1
        assert (tmp_path / "corrupt" / "000000000001.event").exists()
        assert outbox.append_event(event(3)) == 3


def test_quarantine_keeps_the_event(tmp_path):
    with Outbox(tmp_path) as outbox:
        sequence = outbox.append_event(event(1))
        outbox.append_event(event(2))
        outbox.quarantine(sequence, "refused")
        assert outbox.peek().headers["ce-revision"] == "2"
        assert (tmp_path / "failed" / "000000000001.event").exists()


def test_one_owner_per_directory(tmp_path):
    outbox = Outbox(tmp_path)
    with pytest.raises(OutboxLockedError):
        Outbox(tmp_path)
    outbox.close()
    Outbox(tmp_path).close()
    with pytest.raises(RuntimeError):
        outbox.append_event(event(1))
