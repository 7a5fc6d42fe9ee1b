"""Acceptance of the watcher against an InvGate worked by agents: the change driver makes random
changes straight through the vendor API, every one must reach the stream exactly once, in order,
named right, within two poll intervals."""

from __future__ import annotations

import asyncio
import time

from driven import match
from watch_support import decoded, duplicates, open_watched

from deskbridge.sandbox.invgate import SandboxConfig
from deskbridge.sandbox.invgate.driver import drive
from deskbridge.v1 import events_pb2

INTERVAL = 1.0  # the poll interval for this run
CHANGES = 200


async def settled(watched, predicate, timeout: float) -> list:  # noqa: ASYNC109
    """The stored events once `predicate` holds for them (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    while True:
        events = await watched.events(settle=0.2)
        if predicate(events) or time.monotonic() > deadline:
            return events
        await asyncio.sleep(0.2)


async def test_two_hundred_vendor_changes_reach_the_stream_once_each_in_order(
    tmp_path, nats_server
):
    config = SandboxConfig(request_count=30, seed=5)
    async with open_watched(
        tmp_path, nats_server.url, config, interval_seconds=INTERVAL, overlap_seconds=2
    ) as watched:
        changes = await drive(watched.sandbox.url, CHANGES, seed=13, min_gap_seconds=2.5 * INTERVAL)
        comments = sum(1 for c in changes if c.kind == "comment")
        wanted = len(changes) + comments  # a comment also moves its ticket
        events = await settled(watched, lambda es: len(es) >= wanted, 4 * INTERVAL)
        events = await settled(watched, lambda es: False, INTERVAL)  # and nothing more comes
        outcome = match(
            watched.backend,
            changes,
            events,
            decoded,
            events_pb2.CHANGE_ORIGIN_POLL,
        )
        print(f"\npoll at {INTERVAL}s: {outcome.report()}")
        print("\n".join(outcome.problems))
        assert not outcome.problems, "\n".join(outcome.problems[:20])
        assert not duplicates(events)
        pairs = [(e.headers["ce-subject"], e.headers["ce-revision"]) for e in events]
        assert len(set(pairs)) == len(pairs)
        assert max(outcome.latencies) <= 2 * INTERVAL, outcome.report()
