"""A pushed state older than the one last published is dropped (watcher/poller.py `_older`),
whether the snapshot keeps the update time itself or only the last message (written before
it kept the time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskbridge.events.revisions import Snapshot
from deskbridge.runtime.sources import Observed
from deskbridge.v1 import tickets_pb2
from deskbridge.watcher.poller import _older

PUBLISHED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def pushed(at: datetime | None) -> Observed:
    ticket = tickets_pb2.Ticket(name="backends/r/tickets/1")
    return Observed("ticket", ticket, vendor_time=at)


def published_snapshot(*, keeps_time: bool) -> Snapshot:
    last = tickets_pb2.Ticket(name="backends/r/tickets/1")
    last.update_time.FromDatetime(PUBLISHED)
    updated = last.update_time.ToNanoseconds() if keeps_time else 0
    return Snapshot(3, "d", {}, message=last.SerializeToString(), updated=updated)


def test_an_earlier_state_is_older_a_later_or_equal_one_is_not():
    for keeps_time in (True, False):
        previous = published_snapshot(keeps_time=keeps_time)
        assert _older(pushed(PUBLISHED - timedelta(seconds=1)), previous), keeps_time
        assert not _older(pushed(PUBLISHED), previous), keeps_time
        assert not _older(pushed(PUBLISHED + timedelta(seconds=1)), previous), keeps_time


def test_without_a_time_on_either_side_nothing_is_older():
    previous = published_snapshot(keeps_time=True)
    assert not _older(pushed(None), previous)
    assert not _older(pushed(PUBLISHED - timedelta(days=1)), None)
    unknown = Snapshot(3, "d", {}, message=None, updated=0)
    assert not _older(pushed(PUBLISHED - timedelta(days=1)), unknown)
