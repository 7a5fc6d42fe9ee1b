"""The raw publishing baselines of P6 and P7: nats-py alone, nothing of Deskbridge.

    python -m benchmarks.publish NATS_URL COUNT PAYLOAD_BYTES
    python -m benchmarks.publish NATS_URL COUNT PAYLOAD_BYTES --floor VERSIONS WORKERS [--view]
    python -m benchmarks.publish NATS_URL COUNT PAYLOAD_BYTES --round-trips

The first publishes COUNT messages of PAYLOAD_BYTES to `deskbridge.bench.ticket.updated` (the
events stream) with CloudEvents-sized headers and a unique `Nats-Msg-Id` each, up to nats-py's
default 4,000 unacknowledged at a time (`publish_async`), waits for every ack and prints
`{"per_s": …, "per_cpu_s": …, "acked": …}`: the rate a Python process gets from JetStream on
this machine, per second and per second of its own CPU.

The second (`--floor`) is the floor of the revision rule: per event, the NATS operations the
design cannot do without, straight from nats-py and pipelined — the resource's snapshot read
(KV get), the event published and its ack awaited, the snapshot moved on (KV compare-and-set),
with `--view` the event view's compare-and-set too (Requestor), and the inbox delivery's ack
(a publish without a reply). COUNT events over COUNT/VERSIONS resources, each resource's
events one after the other, WORKERS resources at a time (the watcher's own concurrency), in
buckets of their own configured as Deskbridge's. Raw publishing does none of this KV work, so
the ratio to this floor says what Deskbridge's own code costs, the ratio to raw what the rule
costs in all.

The third (`--round-trips`) is what one of those operations costs on its own: COUNT of each —
KV get, JetStream publish awaiting its ack, KV compare-and-set — one after the other, and
prints each one's wall time and nats-py's CPU per operation (µs). A change the watcher sees
waits on the first two before its event is on the stream.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import nats
import nats.js.errors

from deskbridge.runtime import eventloop

SUBJECT = "deskbridge.bench.ticket.updated"
FLOOR_SNAPSHOTS = "bench_floor_resources"
FLOOR_VIEWS = "bench_floor_views"


def _headers(run: int, i: int) -> dict[str, str]:
    return {
        "ce-specversion": "1.0",
        "ce-id": f"bench-{run}-{i}",
        "ce-source": "deskbridge/bench",
        "ce-type": "deskbridge.v1.ticket.updated",
        "ce-subject": f"backends/bench/tickets/{i}",
        "content-type": "application/protobuf",
        "Nats-Msg-Id": f"bench-{run}-{i}",
    }


async def publish(url: str, count: int, size: int) -> dict[str, float]:
    nc = await nats.connect(url)
    js = nc.jetstream()
    payload = b"x" * size
    run = time.time_ns()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        futures = []
        for i in range(count):
            futures.append(await js.publish_async(SUBJECT, payload, headers=_headers(run, i)))
        acks = await asyncio.gather(*futures)
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    finally:
        await nc.close()
    acked = sum(1 for a in acks if a.seq)
    return {"per_s": count / elapsed, "per_cpu_s": count / used, "acked": acked}


class _Floor:
    """The operations of one event at a time per resource (see the module docstring)."""

    def __init__(self, nc: Any, snapshots: Any, views: Any | None, size: int) -> None:
        self.nc = nc
        self.js = nc.jetstream()
        self.snapshots = snapshots
        self.views = views
        self.payload = b"x" * size
        self.value = b"s" * (size * 4 // 3 + 200)  # a snapshot: base64 message and hashes
        self.run = time.time_ns()
        self.published = 0

    async def resource(self, resource: int, versions: int) -> None:
        key = f"backends/bench/tickets/{self.run}-{resource}"
        view_revision: int | None = None
        for version in range(versions):
            try:
                last: int | None = (await self.snapshots.get(key)).revision
            except nats.js.errors.KeyNotFoundError:
                last = None
            headers = _headers(self.run, resource * versions + version)
            await self.js.publish(SUBJECT, self.payload, headers=headers)
            if last is None:
                await self.snapshots.create(key, self.value)
            else:
                await self.snapshots.update(key, self.value, last=last)
            if self.views is not None:
                view_key = f"bench.ticket.{self.run}-{resource}"
                if view_revision is None:
                    view_revision = await self.views.create(view_key, self.value)
                else:
                    view_revision = await self.views.update(
                        view_key, self.value, last=view_revision
                    )
            await self.nc.publish("bench.inbox.ack", b"+ACK")
            self.published += 1


async def floor(
    url: str, count: int, size: int, versions: int, workers: int, view: bool
) -> dict[str, float]:
    from deskbridge.events.revisions import SNAPSHOT_TTL_SECONDS
    from deskbridge.events.stream import ensure_kv

    nc = await nats.connect(url)
    js = nc.jetstream()
    try:
        snapshots = await ensure_kv(js, FLOOR_SNAPSHOTS, SNAPSHOT_TTL_SECONDS)
        views = await ensure_kv(js, FLOOR_VIEWS, 0) if view else None
        bench = _Floor(nc, snapshots, views, size)
        resources = iter(range(max(1, count // versions)))

        async def worker() -> None:
            for resource in resources:  # one shared iterator: each resource taken once
                await bench.resource(resource, versions)

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(workers)))
        await nc.flush()
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    finally:
        await nc.close()
    done = bench.published
    return {"per_s": done / elapsed, "per_cpu_s": done / used, "published": done}


async def round_trips(url: str, count: int, size: int) -> dict[str, float]:
    from deskbridge.events.revisions import SNAPSHOT_TTL_SECONDS
    from deskbridge.events.stream import ensure_kv

    nc = await nats.connect(url)
    js = nc.jetstream()
    run = time.time_ns()
    try:
        snapshots = await ensure_kv(js, FLOOR_SNAPSHOTS, SNAPSHOT_TTL_SECONDS)
        key, payload = f"backends/bench/tickets/rt-{run}", b"x" * size
        revision = await snapshots.create(key, payload)
        published = iter(range(count * 2))

        async def update() -> None:
            nonlocal revision
            revision = await snapshots.update(key, payload, last=revision)

        operations = {
            "kv_get": lambda: snapshots.get(key),
            "publish": lambda: js.publish(SUBJECT, payload, headers=_headers(run, next(published))),
            "kv_update": update,
        }
        figures: dict[str, float] = {}
        for name, operation in operations.items():
            for _ in range(min(200, count)):  # warm
                await operation()
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(count):
                await operation()
            figures[f"{name}_wall_us"] = (time.perf_counter() - started) / count * 1e6
            figures[f"{name}_cpu_us"] = (time.process_time() - cpu) / count * 1e6
    finally:
        await nc.close()
    return figures


async def raw_publish_rate(
    nats_url: str, count: int, size: int, cpus: Any = None
) -> dict[str, float]:
    """The raw publishing baseline in its own process (on `cpus` when given): its figures."""
    return await _spawned(nats_url, count, size, [], cpus)


async def floor_rate(
    nats_url: str,
    count: int,
    size: int,
    *,
    versions: int,
    workers: int,
    view: bool,
    cpus: Any = None,
) -> dict[str, float]:
    """`--floor` in its own process (on `cpus` when given): its figures."""
    arguments = ["--floor", str(versions), str(workers), *(["--view"] if view else [])]
    return await _spawned(nats_url, count, size, arguments, cpus)


async def round_trip_costs(
    nats_url: str, count: int, size: int, cpus: Any = None
) -> dict[str, float]:
    """`--round-trips` in its own process (on `cpus` when given): its figures."""
    return await _spawned(nats_url, count, size, ["--round-trips"], cpus)


async def _spawned(
    nats_url: str, count: int, size: int, mode: list[str], cpus: Any
) -> dict[str, float]:
    from benchmarks.harness import spawn_module

    process = await spawn_module(
        "benchmarks.publish",
        nats_url,
        str(count),
        str(size),
        *mode,
        cpus=cpus,
        stdout=asyncio.subprocess.PIPE,
    )
    output, _ = await process.communicate()
    return json.loads(output.decode().strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    url, count, size, *rest = argv
    if rest and rest[0] == "--round-trips":
        figures = round_trips(url, int(count), int(size))
    elif rest and rest[0] == "--floor":
        versions, workers = int(rest[1]), int(rest[2])
        figures = floor(url, int(count), int(size), versions, workers, "--view" in rest)
    else:
        figures = publish(url, int(count), int(size))
    print(json.dumps(eventloop.run(figures)))  # the watcher's loop: a fair baseline


if __name__ == "__main__":
    main(sys.argv[1:])
