"""P7: the watcher publishing a backlog of 10,000 changes.

The backlog is the one a watcher meets when it comes back: Requestor deliveries waiting in
the durable inbox (`DESKBRIDGE_INBOX`, what the intake stores while no watcher publishes).
This harness stores them the way the intake does (subject `deskbridge-inbox.<backend>`, the
trigger in the topic header, a delivery id): `RESOURCES` tickets changed `VERSIONS` times each,
every version a delivery carrying the ticket as Requestor sends it (its Subject `v<n>`, its
ModifiedDate a second later each time), in the order a subscription would have sent them.
Then a watcher process starts (`deskbridge watch burst`) and publishes them. A core NATS
subscription records each event as JetStream stores it.

Figures: events/s from the first event to the last (the publishing itself; the start of the
process and the subscription handshake are reported apart), against nats-py's async JetStream
publish of the same number of messages of the same size, measured in the same run
(`benchmarks.publish`), and against the floor of the revision rule (`benchmarks.publish
--floor`: per event the snapshot read, the publish, the snapshot's and the event view's
compare-and-set and the inbox ack, straight from nats-py, as many resources at once as the
watcher publishes); lost = changes with no event (also checked against the stream's own
count for the subjects); order = per ticket, versions arrive in increasing order; the
watcher's CPU share while it publishes.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
import orjson

from benchmarks.harness import (
    CpuMeter,
    backends_toml,
    free_port,
    pid_running,
    service_env,
    spawn,
    stop_process,
    wait_http,
)
from benchmarks.publish import floor_rate, raw_publish_rate
from benchmarks.stack import REQUESTOR, Stack
from deskbridge.events.stream import StreamSettings
from deskbridge.v1 import events_pb2
from deskbridge.watcher.inbox import PUBLISHERS, TOPIC_HEADER, inbox_subject

BACKEND = "burst"
RESOURCES, VERSIONS = 1000, 10
FIRST_ID = 100_000  # ids the sandbox does not have: the watcher reads deliveries, not the API


def deliveries(template: dict[str, Any], resources: int) -> list[tuple[str, bytes, str]]:
    """(topic, body, delivery id) of every change, version by version across the tickets."""
    start = datetime.now(UTC) - timedelta(hours=1)
    made = []
    for version in range(VERSIONS):
        moment = (start + timedelta(seconds=version)).isoformat(timespec="milliseconds")
        for resource in range(resources):
            entity = {
                **template,
                "Id": FIRST_ID + resource,
                "Subject": f"v{version}",
                "ModifiedDate": moment.replace("+00:00", "Z"),
            }
            topic = "TicketCreated" if version == 0 else "TicketStateChange"
            made.append((topic, orjson.dumps(entity), f"bench-{resource}-{version}"))
    return made


async def fill_inbox(js: Any, items: list[tuple[str, bytes, str]]) -> None:
    """Store the deliveries as the intake does (`watcher.inbox.accept`), many at a time."""
    acks = []
    for topic, body, delivery in items:
        headers = {TOPIC_HEADER: topic, "Nats-Msg-Id": f"{BACKEND}:{topic}:{delivery}"}
        acks.append(await js.publish_async(inbox_subject(BACKEND), body, headers=headers))
    await asyncio.gather(*acks)


class Arrivals:
    """(time, resource name, payload) of every event, as seen."""

    def __init__(self) -> None:
        self.events: list[tuple[float, str, bytes]] = []

    async def on_event(self, message: Any) -> None:
        name = (message.headers or {}).get("ce-subject", "")
        self.events.append((time.time(), name, message.data))

    def check(self, resources: int) -> dict[str, int]:
        """Lost changes, duplicates and tickets whose versions arrived out of order."""
        versions: dict[str, list[int]] = {}
        for _, name, data in self.events:
            title = events_pb2.TicketEvent.FromString(data).ticket.title
            versions.setdefault(name, []).append(int(title.removeprefix("v")))
        seen = sum(len(set(v)) for v in versions.values())
        return {
            "lost": resources * VERSIONS - seen,
            "duplicates": sum(len(v) - len(set(v)) for v in versions.values()),
            "out_of_order": sum(1 for v in versions.values() if v != sorted(v)),
        }


async def template_ticket(sandbox_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=sandbox_url) as client:
        return (await client.get("/_sandbox/operator/tickets/1")).raise_for_status().json()


async def stream_count(js: Any) -> int:
    info = await js.stream_info(StreamSettings().name, subjects_filter=f"deskbridge.{BACKEND}.>")
    return sum((info.state.subjects or {}).values())


async def p7_burst(stack: Stack, smoke: bool) -> dict[str, Any]:
    """P7 (module docstring)."""
    resources = RESOURCES // 10 if smoke else RESOURCES
    total = resources * VERSIONS
    port = free_port()
    sandbox_url = f"http://127.0.0.1:{port}"
    cli = (sys.executable, "-m", "deskbridge.cli")
    sandbox = await spawn(*cli, "sandbox", "requestor", "--port", str(port))
    watcher = None
    arrivals = Arrivals()
    nc = await nats.connect(stack.nats.url)
    try:
        await wait_http(sandbox_url + "/_sandbox/health")
        js = nc.jetstream()
        await fill_inbox(js, deliveries(await template_ticket(sandbox_url), resources))
        await nc.subscribe(f"deskbridge.{BACKEND}.>", cb=arrivals.on_event)
        config = stack.workdir / "burst.toml"
        config.write_text(backends_toml([_backend(sandbox_url)]))
        env = service_env(config, f"127.0.0.1:{free_port()}", stack.nats.url, stack.workdir / "p7")
        started = time.time()
        watcher = await spawn(*cli, "watch", BACKEND, env=env)
        meter = CpuMeter(
            {
                "watcher": watcher.pid,
                "nats-server": pid_running(str(stack.nats.data_dir)),
                "harness": os.getpid(),
            }
        )
        first = await _first_event(arrivals, started + 60)
        meter.start()
        await _all_events(arrivals, total, time.time() + 120)
        cpu = meter.read()
        last = arrivals.events[-1][0] if arrivals.events else float("nan")
        size = len(arrivals.events[0][2]) if arrivals.events else 1024
        raw = await raw_publish_rate(stack.nats.url, total, size)
        floor = await floor_rate(
            stack.nats.url, total, size, versions=VERSIONS, workers=PUBLISHERS, view=True
        )
        checked = arrivals.check(resources)
        in_stream = await stream_count(js)
    finally:
        await nc.close()
        await stop_process(watcher)
        await stop_process(sandbox)
    per_s = (len(arrivals.events) - 1) / (last - first) if last > first else float("nan")
    return {
        "p7_changes": total,
        "p7_events_per_s": per_s,
        "p7_raw_publish_per_s": raw["per_s"],
        "p7_of_raw": per_s / raw["per_s"],
        "p7_floor_per_s": floor["per_s"],
        "p7_of_floor": per_s / floor["per_s"],
        "p7_floor_per_cpu_s": floor["per_cpu_s"],
        "p7_lost": checked["lost"],
        "p7_duplicates": checked["duplicates"],
        "p7_out_of_order": checked["out_of_order"],
        "p7_in_stream": in_stream,
        "p7_start_to_first_event_s": first - started,
        "p7_watcher_cpu": cpu["watcher"],
        "p7_cpu": cpu,
        "p7_events_per_cpu_s": per_s / cpu["watcher"] if cpu["watcher"] else float("nan"),
        "p7_raw_publish_per_cpu_s": raw["per_cpu_s"],
        "p7_event_bytes": size,
    }


def _backend(sandbox_url: str) -> dict[str, Any]:
    return {
        "name": BACKEND,
        "vendor": "requestor",
        "base_url": sandbox_url,
        "watch": {"interval_seconds": 3600},
        "credentials": REQUESTOR,
    }


async def _first_event(arrivals: Arrivals, deadline: float) -> float:
    while not arrivals.events:
        if time.time() > deadline:
            raise TimeoutError("the P7 watcher published nothing")
        await asyncio.sleep(0.005)
    return arrivals.events[0][0]


async def _all_events(arrivals: Arrivals, total: int, deadline: float) -> None:
    """Until `total` events arrived, or none arrived for 3 s, or the deadline."""
    count, quiet_since = 0, time.time()
    while len(arrivals.events) < total and time.time() < deadline:
        if len(arrivals.events) != count:
            count, quiet_since = len(arrivals.events), time.time()
        elif time.time() - quiet_since > 3:
            return
        await asyncio.sleep(0.02)
