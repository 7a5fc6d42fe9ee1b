"""`make bench` / `python -m benchmarks.run [--smoke] [--out FILE]`.

Servers run in their own processes (the vendor sandboxes, nats-server, the Deskbridge service
and watchers, the raw grpc.aio servers they are compared with); this process generates load
and measures. Figures are ratios taken side by side in one run, because the machines are
shared and noisy. One module per family of scenarios: `vendors` (P1), `inflight` (P3),
`watcher_cost` (P5), `webhooks` (P6), `burst` (P7), `tokens` (P8); P2 and P4 are here; W2 is
`watch_fanout`, run on its own. The method is in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import grpc

from benchmarks.burst import p7_burst
from benchmarks.harness import ROOT, concurrent, free_port, pct, rss_mb, spawn, stop_process
from benchmarks.inflight import p3_inflight
from benchmarks.stack import Stack
from benchmarks.tokens import p8_tokens
from benchmarks.vendors import VENDORS, p1_vendors
from benchmarks.watcher_cost import w1_poll_cost
from benchmarks.webhooks import p6_webhooks
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

Scenario = Callable[[Stack, bool], Awaitable[dict[str, Any]]]


async def p2_events(stack: Stack, smoke: bool) -> dict[str, Any]:
    """P2: CreateTicket paced at 100/s; a durable consumer sees each created event."""
    import nats

    from deskbridge.events.consumer import consume

    seconds, rate = (1, 50) if smoke else (15, 100)
    returned: dict[str, float] = {}
    received: dict[str, float] = {}
    nc = await nats.connect(stack.nats.url)

    async def listen() -> None:
        async for event in consume(
            nc.jetstream(),
            durable=f"bench{int(time.time())}",
            subject="deskbridge.invgate.ticket.created",
            deliver_from="new",
            batch=50,
            fetch_timeout=0.2,
        ):
            received[event.ce_subject] = time.perf_counter()
            await event.ack()

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.5)
    async with grpc.aio.insecure_channel(stack.address) as channel:
        stub = tickets_pb2_grpc.TicketServiceStub(channel)
        ticket = t.Ticket(
            title="bench",
            requester="backends/invgate/users/101",
            creator="backends/invgate/users/101",
            category="backends/invgate/ticketCategories/1",
            priority=t.TICKET_PRIORITY_LOW,
            type=t.TICKET_TYPE_INCIDENT,
        )

        async def create() -> None:
            response = await stub.CreateTicket(
                t.CreateTicketRequest(parent="backends/invgate", ticket=ticket)
            )
            returned[response.ticket.name] = time.perf_counter()

        tasks, started = [], time.perf_counter()
        for i in range(seconds * rate):  # open loop: a request every 1/rate s
            await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(create()))
        await asyncio.gather(*tasks)
    deadline = time.perf_counter() + 5
    while len(set(returned) - set(received)) and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    listener.cancel()
    with contextlib.suppress(asyncio.CancelledError, nats.errors.Error):
        await listener
    await nc.close()
    latencies = [max(0.0, received[n] - returned[n]) * 1e3 for n in returned if n in received]
    return {
        "p2_created": len(returned),
        "p2_lost": len(set(returned) - set(received)),
        "p2_event_latency_p50_ms": pct(latencies, 0.5),
        "p2_event_latency_p99_ms": pct(latencies, 0.99),
    }


async def p4_memory(stack: Stack, smoke: bool) -> dict[str, Any]:
    """P4: the service's RSS after 50k and 100k GetTicket (InvGate, 50 in flight)."""
    first, second = (1000, 2000) if smoke else (50_000, 100_000)
    async with grpc.aio.insecure_channel(stack.address) as channel:
        stub = tickets_pb2_grpc.TicketServiceStub(channel)
        request = t.GetTicketRequest(name=stack.tickets["invgate"])
        await concurrent(lambda: stub.GetTicket(request), first, 50)
        at_first = rss_mb(stack.service_pid)
        await concurrent(lambda: stub.GetTicket(request), second - first, 50)
        at_second = rss_mb(stack.service_pid)
    return {"p4_rss_mb": at_second, "p4_rss_growth_pct": (at_second - at_first) / at_first * 100}


async def p4_startup(workdir: Path) -> dict[str, Any]:
    """P4: `deskbridge up` as a process until health says SERVING for every service."""
    import sys

    from grpc_health.v1 import health_pb2, health_pb2_grpc

    address = f"127.0.0.1:{free_port()}"
    started = time.perf_counter()
    ports = [str(free_port()) for _ in range(6)]
    process = await spawn(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "up",
        "--grpc-address",
        address,
        *("--nats-port", ports[0], "--sandbox-port", ports[1], "--motadata-port", ports[2]),
        *("--crmcom-port", ports[3], "--requestor-port", ports[4], "--webhook-port", ports[5]),
        env={"DESKBRIDGE_DATA_DIR": str(workdir / "up")},
    )
    names = [
        "",
        *(
            f"deskbridge.v1.{s}Service"
            for s in ("Ticket", "Identity", "Knowledge", "Approval", "Backend")
        ),
    ]
    try:
        async with grpc.aio.insecure_channel(address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while True:
                try:
                    replies = [
                        await health.Check(health_pb2.HealthCheckRequest(service=n), timeout=0.5)
                        for n in names
                    ]
                    if all(r.status == health_pb2.HealthCheckResponse.SERVING for r in replies):
                        break
                except grpc.aio.AioRpcError:
                    await asyncio.sleep(0.02)
        return {"p4_up_serving_s": time.perf_counter() - started}
    finally:
        await stop_process(process)


# ---------------------------------------------------------------------------- targets

NAMES = {
    "invgate": "InvGate",
    "motadata": "Motadata",
    "crmcom": "CRM.COM",
    "requestor": "Requestor",
}

TARGETS: list[tuple[str, float, str, str]] = [  # key, goal, comparison, meaning
    *(
        (f"p1_cpu_ratio_{v}", 1.35, "<=", f"P1 {NAMES[v]}: CPU per GetTicket / floor's per call")
        for v in VENDORS
    ),
    *(
        (f"p1_p50_overhead_ms_{v}", 0.5, "<=", f"P1 {NAMES[v]}: GetTicket p50 - httpx p50 (ms)")
        for v in VENDORS
    ),
    ("p2_event_latency_p99_ms", 10.0, "<=", "P2 event end-to-end p99 at 100 rps (ms)"),
    ("p2_lost", 0, "<=", "P2 events lost"),
    ("p3_100_of_floor", 0.95, ">=", "P3 GetTicket/s / floor's, 100 in flight, 100 ms vendor"),
    ("p3_1000_of_floor", 0.95, ">=", "P3 GetTicket/s / floor's, 1,000 in flight, 100 ms vendor"),
    ("p4_rss_mb", 100.0, "<=", "P4 service RSS after 100k requests (MB)"),
    ("p4_rss_growth_pct", 5.0, "<=", "P4 RSS growth 50k→100k requests (%)"),
    ("p4_up_serving_s", 5.0, "<=", "P4 `deskbridge up` to all SERVING (s)"),
    ("w1_changed_cycle_over_budget", 0, "<=", "P5 calls of a poll after 100 changes - (pages+1)"),
    ("w1_idle_cycle_calls", 1, "<=", "P5 calls of a poll with no change"),
    ("p5_detection_p99_over_interval_ms", 100.0, "<=", "P5 detection p99 - poll interval (ms)"),
    ("p5_detection_lost", 0, "<=", "P5 changes never detected"),
    ("p6_invgate_p99_ms", 5.0, "<=", "P6 webhook → event stored p99 at 200/s, InvGate (ms)"),
    ("p6_sustained_of_raw", 0.5, ">=", "P6 webhooks/s on one core / raw JetStream publish/s"),
    ("p7_of_raw", 0.5, ">=", "P7 backlog events/s / raw JetStream publish/s"),
    ("p7_lost", 0, "<=", "P7 events lost of the backlog"),
    ("p7_out_of_order", 0, "<=", "P7 tickets whose changes arrived out of order"),
    *(
        (f"p8_{v}_token_requests_off_by", 0, "<=", f"P8 {NAMES[v]}: token requests - 1 per expiry")
        for v in ("motadata", "crmcom")
    ),
    *(
        (f"p8_{v}_p99_ratio", 2.0, "<=", f"P8 {NAMES[v]}: p99 across expiry / p99 without")
        for v in ("motadata", "crmcom")
    ),
]

CONTEXT = [  # figures that explain the targets: (key, meaning)
    ("p1_echo_cpu_us", "P1 echo server CPU per call (µs)"),
    *(
        row
        for v in VENDORS
        for row in (
            (f"p1_floor_cpu_us_{v}", f"P1 {NAMES[v]} floor CPU per call (µs)"),
            (f"p1_get_ticket_cpu_us_{v}", f"P1 {NAMES[v]} GetTicket CPU per call (µs)"),
            (f"p1_echo_ratio_{v}", f"P1 {NAMES[v]} GetTicket CPU / echo's"),
        )
    ),
    ("p1_echo_p50_ms", "P1 echo p50 (ms)"),
    *(
        row
        for v in VENDORS
        for row in (
            (f"p1_get_ticket_p50_ms_{v}", f"P1 {NAMES[v]} GetTicket p50 (ms)"),
            (f"p1_floor_p50_ms_{v}", f"P1 {NAMES[v]} floor p50 (ms)"),
            (f"p1_direct_httpx_p50_ms_{v}", f"P1 {NAMES[v]} direct p50, httpx (ms)"),
            (f"p1_direct_pool_p50_ms_{v}", f"P1 {NAMES[v]} direct p50, runtime/http1 pool (ms)"),
        )
    ),
    ("p2_event_latency_p50_ms", "P2 event p50 (ms)"),
    *(
        row
        for n in (100, 1000)
        for row in (
            (f"p3_{n}_get_ticket_per_s", f"P3 {n} in flight: GetTicket/s"),
            (f"p3_{n}_floor_per_s", f"P3 {n} in flight: floor/s"),
            (f"p3_{n}_direct_ceiling_per_s", f"P3 {n} in flight: straight to the upstream/s"),
        )
    ),
    ("p3_upstream_calls_per_call", "P3 upstream calls per completed call (1 = all did theirs)"),
    ("p5_poll_interval_ms", "P5 poll interval (ms)"),
    ("p5_detection_p50_ms", "P5 detection p50 (ms)"),
    ("p5_detection_p99_ms", "P5 detection p99 (ms)"),
    ("p5_cycle_p50_ms", "P5 poll cycle p50 (ms)"),
    ("p5_cycle_max_ms", "P5 poll cycle max (ms)"),
    ("w1_changed_cycle_calls", "P5 calls of the cycle after 100 changes"),
    ("w1_changed_in_last_hour", "P5 changed within the hour (what the feed lists)"),
    ("w1_first_start_baseline_calls", "P5 first start: silent baseline, vendor calls"),
    ("w1_first_start_baseline_s", "P5 first start: silent baseline (s)"),
    ("p6_invgate_p50_ms", "P6 InvGate webhook → event p50 (ms)"),
    ("p6_invgate_seen_p50_ms", "P6 InvGate webhook → event received by the harness, p50 (ms)"),
    ("p6_invgate_seen_p99_ms", "P6 InvGate webhook → event received by the harness, p99 (ms)"),
    ("p6_requestor_hold_p50_ms", "P6 Requestor delivery → event p50, hold 0.25 s (ms)"),
    ("p6_requestor_hold_p99_ms", "P6 Requestor delivery → event p99, hold 0.25 s (ms)"),
    ("p6_requestor_short_p50_ms", "P6 Requestor delivery → event p50, hold 1 ms (ms)"),
    ("p6_requestor_short_p99_ms", "P6 Requestor delivery → event p99, hold 1 ms (ms)"),
    ("p6_sustained_per_s", "P6 webhooks/s sustained, watcher on one core"),
    ("p6_raw_publish_per_s", "P6 raw JetStream async publish/s on that core"),
    ("p6_webhooks_per_cpu_s", "P6 webhooks per second of the watcher's CPU"),
    ("p6_raw_publish_per_cpu_s", "P6 raw publishes per second of the publisher's CPU"),
    ("p6_floor_per_s", "P6 floor: the NATS work the revision rule needs per change, raw (/s)"),
    ("p6_sustained_of_floor", "P6 webhooks/s sustained / that floor"),
    *(
        (f"p6_round_trip_{op}_{unit}_us", f"P6 one nats-py {what}, alone: {label} (µs)")
        for op, what in (
            ("kv_get", "KV get"),
            ("publish", "JetStream publish"),
            ("kv_update", "KV compare-and-set"),
        )
        for unit, label in (("wall", "wall"), ("cpu", "client CPU"))
    ),
    ("p7_events_per_s", "P7 backlog events/s"),
    ("p7_raw_publish_per_s", "P7 raw JetStream async publish/s"),
    ("p7_watcher_cpu", "P7 watcher CPU share while publishing (1 = a core)"),
    ("p7_events_per_cpu_s", "P7 events per second of the watcher's CPU"),
    ("p7_raw_publish_per_cpu_s", "P7 raw publishes per second of the publisher's CPU"),
    ("p7_floor_per_s", "P7 floor: the NATS work the revision rule needs per event, raw (/s)"),
    ("p7_of_floor", "P7 backlog events/s / that floor"),
    ("p8_motadata_expiry_p99_ms", "P8 Motadata p99 across expiry (ms)"),
    ("p8_motadata_baseline_p99_ms", "P8 Motadata p99 without (ms)"),
    ("p8_crmcom_expiry_p99_ms", "P8 CRM.COM p99 across expiry (ms)"),
    ("p8_crmcom_baseline_p99_ms", "P8 CRM.COM p99 without (ms)"),
]

LISTS = [  # per-round figures and CPU shares printed under the tables
    *((f"p1_cpu_ratio_{v}_rounds", f"P1 {NAMES[v]} ratio per round") for v in VENDORS),
    *((f"p3_{n}_get_ticket_per_s_rounds", f"P3 {n} GetTicket/s per round") for n in (100, 1000)),
    *((f"p3_{n}_floor_per_s_rounds", f"P3 {n} floor/s per round") for n in (100, 1000)),
    *(
        (f"p3_{n}_{s}_cpu", f"P3 {n} in flight, {s}: CPU share per process")
        for n in (100, 1000)
        for s in ("direct", "floor", "get_ticket")
    ),
    ("p3_load_generator", "P3 load generator"),
    ("p6_sustained_cpu", "P6 sustained: CPU share per process"),
    ("p8_motadata_calls_refused_per_expiry", "P8 Motadata calls the vendor refused per expiry"),
    ("p8_crmcom_calls_refused_per_expiry", "P8 CRM.COM calls the vendor refused per expiry"),
]


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version()}


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return "n/a"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def passed(value: Any, goal: float, op: str) -> bool:
    if not isinstance(value, int | float) or math.isnan(value):
        return False
    return value <= goal if op == "<=" else value >= goal


def verdicts(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with its figure and whether it passed (the JSON's `targets`)."""
    return [
        {
            "key": key,
            "target": meaning,
            "figure": figures.get(key, float("nan")),
            "goal": f"{op} {goal}",
            "pass": passed(figures.get(key, float("nan")), goal, op),
        }
        for key, goal, op, meaning in TARGETS
    ]


def table(figures: dict[str, Any]) -> str:
    rows = ["| target | figure | goal | |", "|---|---|---|---|"]
    for row in verdicts(figures):
        if row["key"] not in figures:  # a scenario left out by --only
            continue
        verdict = "pass" if row["pass"] else "MISS"
        rows.append(f"| {row['target']} | {_number(row['figure'])} | {row['goal']} | {verdict} |")
    rows += ["", "| context | figure |", "|---|---|"]
    rows += [f"| {meaning} | {_number(figures[k])} |" for k, meaning in CONTEXT if k in figures]
    return "\n".join(rows)


SCENARIOS: list[Scenario] = [p1_vendors, p2_events, p3_inflight, p4_memory, p8_tokens]
EVENT_SCENARIOS: list[Scenario] = [p6_webhooks, p7_burst]


def chosen(name: str, only: set[str] | None) -> bool:
    """Whether scenario `name` (`p1_vendors`, ...) runs: every one, or those `--only` names
    by prefix (`--only p1,p7`)."""
    return only is None or any(name.startswith(prefix) for prefix in only)


async def measure(smoke: bool, only: set[str] | None = None) -> dict[str, Any]:
    figures: dict[str, Any] = {"smoke": smoke, "machine": machine(), "seconds": {}}
    scenarios = [s for s in SCENARIOS + EVENT_SCENARIOS if chosen(s.__name__, only)]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        stack = Stack(token_seconds=1 if smoke else 2)
        started = time.perf_counter()
        try:
            if scenarios:
                await stack.start(workdir)
                figures["seconds"]["stack"] = round(time.perf_counter() - started, 1)
            for scenario in scenarios:
                started = time.perf_counter()
                figures.update(await scenario(stack, smoke))
                figures["seconds"][scenario.__name__] = round(time.perf_counter() - started, 1)
        finally:
            if scenarios:
                await stack.stop()
        if chosen("p4_startup", only):
            started = time.perf_counter()
            figures.update(await p4_startup(workdir))
            figures["seconds"]["p4_startup"] = round(time.perf_counter() - started, 1)
    if not chosen("p5_watcher", only):
        return figures
    started = time.perf_counter()
    w1 = await w1_poll_cost(smoke)
    figures["seconds"]["p5_watcher"] = round(time.perf_counter() - started, 1)
    w1["w1_changed_cycle_over_budget"] = (
        w1["w1_changed_cycle_calls"] - w1["w1_changed_cycle_budget"]
    )
    figures.update(w1)
    return figures


def report(figures: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**figures, "targets": verdicts(figures)}, indent=2))
    print(table(figures))
    print()
    for key, meaning in LISTS:
        if key in figures:
            print(f"{meaning}: {figures[key]}")
    print(f"\nseconds per scenario: {figures['seconds']}")
    print(f"figures: {out}   machine: {figures['machine']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds each, proves it runs")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/latest.json")
    parser.add_argument(
        "--only", help="comma-separated scenario prefixes to run alone, e.g. p1,p7 (default: all)"
    )
    arguments = parser.parse_args()
    only = set(arguments.only.split(",")) if arguments.only else None
    report(asyncio.run(measure(arguments.smoke, only)), arguments.out)
