"""The inbox reader publishes different resources side by side, each in its own order, against
a real JetStream inbox: nothing out of order, nothing lost or twice when a publish fails
mid-way, every delivery acked in the end."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import nats
import orjson

from deskbridge.runtime.sources import Observed
from deskbridge.runtime.tasks import cancel_and_wait
from deskbridge.v1 import tickets_pb2
from deskbridge.watcher.inbox import INBOX_STREAM, accept, ensure_inbox, read_inbox

RESOURCES, VERSIONS = 20, 10
START = datetime(2026, 1, 1, tzinfo=UTC)
_names = itertools.count()


def parse_for(backend: str):
    def parse(topic: str, body: Any) -> list[Observed]:
        ticket = tickets_pb2.Ticket(
            name=f"backends/{backend}/tickets/{body['id']}", title=str(body["v"])
        )
        moment = START + timedelta(seconds=body["v"])
        return [Observed("ticket", ticket, vendor_time=moment, create_time=START)]

    return parse


class Recorder:
    """A push that publishes what is newer than the last state of its resource (as the
    watcher's snapshot does), slowly enough for pushes to overlap, failing once for each
    (resource, version) in `failing`."""

    def __init__(self, failing: set[tuple[int, int]] = frozenset()) -> None:
        self.failing = set(failing)
        self.failures: list[tuple[int, int]] = []
        self.published: dict[int, list[int]] = defaultdict(list)
        self.in_flight: set[int] = set()
        self.peak = 0
        self.same_resource_at_once = 0
        self.all_in = asyncio.Event()

    async def push(self, item: Observed) -> int:
        resource = int(item.message.name.rsplit("/", 1)[1])
        version = int(item.message.title)
        if resource in self.in_flight:
            self.same_resource_at_once += 1
        self.in_flight.add(resource)
        self.peak = max(self.peak, len(self.in_flight))
        try:
            await asyncio.sleep(0.002)
            if (resource, version) in self.failing:
                self.failing.discard((resource, version))
                self.failures.append((resource, version))
                raise ConnectionError("NATS went away mid-publish")
            done = self.published[resource]
            if done and version <= done[-1]:
                return 0  # not newer than what is published: dropped
            done.append(version)
            if sum(len(v) for v in self.published.values()) >= RESOURCES * VERSIONS:
                self.all_in.set()
            return 1
        finally:
            self.in_flight.discard(resource)


async def run_backlog(nats_url: str, recorder: Recorder, *, publishers: int) -> dict[str, int]:
    """Store RESOURCES x VERSIONS deliveries (version by version across the resources, as a
    vendor sends them), read them with `publishers` workers until the recorder has them all;
    the consumer's counts of what is left unacked."""
    backend = f"pipe{next(_names)}x{id(recorder) % 10_000}"
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        await ensure_inbox(js)
        for version in range(VERSIONS):
            for resource in range(RESOURCES):
                body = orjson.dumps({"id": resource, "v": version})
                await accept(js, backend, "TicketStateChange", body, f"{resource}-{version}")
        reader = asyncio.create_task(
            read_inbox(js, backend, parse_for(backend), recorder.push, 0.3, publishers=publishers)
        )
        try:
            async with asyncio.timeout(30):
                await recorder.all_in.wait()
            await asyncio.sleep(0.2)  # the last acks
        finally:
            await cancel_and_wait(reader)
        info = await js.consumer_info(INBOX_STREAM, f"inbox-{backend}")
        return {"ack_pending": info.num_ack_pending, "pending": info.num_pending}
    finally:
        await nc.close()


def assert_every_version_once_in_order(recorder: Recorder) -> None:
    assert sorted(recorder.published) == list(range(RESOURCES))
    for resource, versions in recorder.published.items():
        assert versions == list(range(VERSIONS)), resource


async def test_resources_are_published_side_by_side_each_in_its_order(nats_server):
    recorder = Recorder()
    left = await run_backlog(nats_server.url, recorder, publishers=8)
    assert_every_version_once_in_order(recorder)
    assert recorder.same_resource_at_once == 0  # one resource, one worker at a time
    assert 1 < recorder.peak <= 8  # side by side, within the bound
    assert left == {"ack_pending": 0, "pending": 0}


async def test_a_failure_mid_pipeline_loses_nothing_and_repeats_nothing(nats_server):
    failing = {(3, 4), (11, 0), (17, 9)}
    recorder = Recorder(failing)
    left = await run_backlog(nats_server.url, recorder, publishers=8)
    assert sorted(recorder.failures) == sorted(failing)
    # the failed delivery and the ones after it were read again and published in order
    assert_every_version_once_in_order(recorder)
    assert recorder.same_resource_at_once == 0
    assert left == {"ack_pending": 0, "pending": 0}
