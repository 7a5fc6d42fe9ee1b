"""P6: webhook intake. Webhook → event on the stream, and webhooks/s on one core.

A watcher process (`deskbridge watch hooks pushes`, its intake on DESKBRIDGE_WEBHOOK_ADDRESS)
runs on CPU 0 alone; its vendors (an InvGate sandbox, `hooks`, and a Requestor sandbox,
`pushes`), nats-server and this harness run on CPU 1 (on a 1-CPU machine nothing is pinned).
An event is "on the stream" when JetStream stored it: its latency ends at the timestamp
JetStream gave it (read back from the stream after each run, through an ephemeral consumer).
The harness's own core NATS subscription also times each event as it receives it; that figure
(reported beside, `_seen` keys) adds the harness's event-loop lag, since the same loop paces
the load.

- InvGate ("Call web service"): the harness changes a ticket (`PUT incident`), then POSTs the
  form `request_id=<id>` with the shared secret, as the automation would; the watcher fetches
  the request (and its comments), publishes, waits for the ack and answers 202. Latency =
  event stored - webhook sent, at 200 webhooks/s paced open-loop. This is the path the P6
  latency target applies to.
- Requestor (pushed deliveries): the harness changes tickets through the sandbox's operator
  API at 100/s; each change is two deliveries (its trigger's and TicketMonitoring's), 1,000
  in all, which the sandbox POSTs one after another per subscription (its delivery log has
  when each was sent); the intake stores each in the inbox and answers, and the watcher
  publishes in vendor time order after holding each resource `reorder_seconds`. Latency =
  event stored - the first delivery of that change sent; measured with the default hold (0.25 s:
  it measures the hold) and with a hold of `SHORT_HOLD`, which shows the pipeline itself.
- Sustained: `WORKERS` closed loops of change + InvGate webhook, each answered 202 only after
  its event was acked; completions with an event, per second, in a window. Compared with
  nats-py's own async JetStream publishing (`benchmarks.publish`) on the same CPU 0, in the
  same run, and with the floor of the revision rule's NATS operations (`benchmarks.publish
  --floor`: snapshot get, publish, snapshot compare-and-set, `WORKERS` at a time, CPU 0).
  The CPU share of every process in the window shows where the limit is.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import nats
import nats.errors
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from benchmarks.harness import (
    CpuMeter,
    backends_toml,
    free_port,
    paced,
    pct,
    pid_running,
    pin,
    service_env,
    spawn,
    stop_process,
    unpin,
    wait_http,
)
from benchmarks.publish import floor_rate, raw_publish_rate, round_trip_costs
from benchmarks.stack import INVGATE_BASIC, REQUESTOR, Stack
from deskbridge.events.stream import StreamSettings, ensure_kv
from deskbridge.runtime.http1 import ConnectionPool
from deskbridge.watcher.state import WATCHER_BUCKET, load_state

SECRET = "bench-webhook-secret"
RATE = 200.0
SHORT_HOLD = 0.001  # reorder_seconds must be positive: a millisecond is "publish when read"
WORKERS = 32
WATCHER_CPU, OTHERS_CPU = {0}, {1}
HOOK_TICKETS = 1000  # changed round-robin: at 200/s each again every 5 s (200 in a smoke run)
TRIGGERS = 11


@dataclass
class Seen:
    """When each event was seen on the stream, per resource name."""

    arrivals: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sizes: list[int] = field(default_factory=list)

    async def on_event(self, message: Any) -> None:
        name = (message.headers or {}).get("ce-subject", "")
        self.arrivals[name].append(time.time())
        self.sizes.append(len(message.data))

    def first_after(self, name: str, moment: float) -> float | None:
        return next((t for t in self.arrivals.get(name, ()) if t >= moment), None)

    def count_between(self, prefix: str, start: float, end: float) -> int:
        return sum(
            1
            for name, times in self.arrivals.items()
            if name.startswith(prefix)
            for t in times
            if start <= t < end
        )


async def stored(js: Any, subjects: str, since: float) -> Seen:
    """The events of `subjects` JetStream stored from `since` (epoch seconds) on, each at the
    timestamp JetStream gave it when it stored it (an ephemeral consumer reads them back)."""
    stream = StreamSettings().name
    config = ConsumerConfig(
        deliver_policy=DeliverPolicy.BY_START_TIME,
        opt_start_time=datetime.fromtimestamp(since, UTC),
        ack_policy=AckPolicy.NONE,
        filter_subject=subjects,
        mem_storage=True,
        inactive_threshold=30.0,
    )
    consumer = (await js.add_consumer(stream, config)).name
    subscription = await js.pull_subscribe_bind(consumer=consumer, stream=stream)
    found = Seen()
    try:
        while True:
            try:
                batch = await subscription.fetch(1000, timeout=1.0)
            except (nats.errors.TimeoutError, TimeoutError):
                return found
            for message in batch:
                name = (message.headers or {}).get("ce-subject", "")
                found.arrivals[name].append(message.metadata.timestamp.timestamp())
                found.sizes.append(len(message.data))
            if not batch or batch[-1].metadata.num_pending == 0:
                return found
    finally:
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()
        with contextlib.suppress(Exception):
            await js.delete_consumer(stream, consumer)


class Intake:
    """The P6 processes: two sandboxes and a watcher with its webhook intake."""

    def __init__(self, stack: Stack, smoke: bool) -> None:
        self.stack = stack
        self.smoke = smoke
        self.workdir = stack.workdir / "p6"
        self.workdir.mkdir(exist_ok=True)
        self.processes: dict[str, asyncio.subprocess.Process] = {}
        self.watcher: asyncio.subprocess.Process | None = None

    async def start_sandboxes(self) -> None:
        hooks_port, pushes_port = free_port(), free_port()
        self.hooks_url = f"http://127.0.0.1:{hooks_port}"
        self.pushes_url = f"http://127.0.0.1:{pushes_port}"
        cli = (sys.executable, "-m", "deskbridge.cli", "sandbox")
        hooks = ("invgate", "--requests", str(self.hook_tickets), "--port", str(hooks_port))
        pushes = ("requestor", "--tickets", str(self.push_tickets), "--port", str(pushes_port))
        self.processes["hooks"] = await spawn(*cli, *hooks, cpus=OTHERS_CPU)
        self.processes["pushes"] = await spawn(*cli, *pushes, cpus=OTHERS_CPU)
        await wait_http(self.hooks_url + "/_sandbox/health")
        await wait_http(self.pushes_url + "/_sandbox/health")

    @property
    def push_tickets(self) -> int:
        return 100 if self.smoke else 2000

    @property
    def hook_tickets(self) -> int:
        return 200 if self.smoke else HOOK_TICKETS

    async def start_watcher(self, hold: float) -> None:
        """The watcher on CPU 0 with the Requestor hold `hold`; returns once its intake
        answers, InvGate's baseline is done and Requestor's triggers are subscribed."""
        config = self.workdir / "watcher.toml"
        config.write_text(backends_toml(self._backends(hold)))
        port = free_port()
        self.intake_url = f"http://127.0.0.1:{port}"
        env = service_env(
            config,
            f"127.0.0.1:{free_port()}",
            self.stack.nats.url,
            self.workdir,
            DESKBRIDGE_WEBHOOK_ADDRESS=f"127.0.0.1:{port}",
        )
        command = (sys.executable, "-m", "deskbridge.cli", "watch", "hooks", "pushes")
        self.watcher = await spawn(*command, env=env, cpus=WATCHER_CPU)
        await self._ready()

    def _backends(self, hold: float) -> list[dict[str, Any]]:
        return [
            {
                "name": "hooks",
                "vendor": "invgate",
                "base_url": self.hooks_url,
                "watch": {"interval_seconds": 3600, "kinds": ["ticket"]},
                "credentials": {
                    "username": "api",
                    "password": "sandbox-token",
                    "webhook_secret": SECRET,
                },
            },
            {
                "name": "pushes",
                "vendor": "requestor",
                "base_url": self.pushes_url,
                "watch": {"interval_seconds": 3600, "reorder_seconds": hold},
                "credentials": REQUESTOR,
            },
        ]

    async def _ready(self) -> None:
        nc = await nats.connect(self.stack.nats.url)
        try:
            kv = await ensure_kv(nc.jetstream(), WATCHER_BUCKET, 0)
            async with httpx.AsyncClient() as client:
                for _ in range(600):
                    with contextlib.suppress(httpx.TransportError):
                        intake = await client.post(f"{self.intake_url}/webhooks/hooks")
                        subscribed = await client.get(f"{self.pushes_url}/_sandbox/subscriptions")
                        polled = (await load_state(kv, "hooks", "ticket")).last_poll
                        if intake.status_code == 401 and len(subscribed.json()) >= TRIGGERS:
                            if polled is not None:
                                return
                    await asyncio.sleep(0.1)
        finally:
            await nc.close()
        raise TimeoutError("the P6 watcher did not get ready")

    async def stop_watcher(self) -> None:
        await stop_process(self.watcher)
        self.watcher = None

    async def stop(self) -> None:
        await self.stop_watcher()
        for process in self.processes.values():
            await stop_process(process)


class InvGateHooks:
    """Changes and webhooks, straight from this process over keep-alive HTTP."""

    def __init__(self, intake: Intake) -> None:
        self.tickets = intake.hook_tickets
        self.vendor = ConnectionPool(intake.hooks_url)
        self.intake = ConnectionPool(intake.intake_url)
        form = ("Content-Type", "application/x-www-form-urlencoded")
        self.change_headers = [*INVGATE_BASIC, form]
        self.hook_headers = [("X-Deskbridge-Secret", SECRET), form]

    async def change(self, ticket: int, title: str) -> None:
        body = f"id={ticket}&title={title}".encode()
        answer = await self.vendor.request("PUT", "/api/v1/incident", self.change_headers, body)
        if answer.status_code != 200:
            raise RuntimeError(f"PUT incident answered {answer.status_code}")

    async def hook(self, ticket: int) -> int:
        """The webhook; how many events the watcher says it published."""
        body = f"request_id={ticket}".encode()
        answer = await self.intake.request("POST", "/webhooks/hooks", self.hook_headers, body)
        if answer.status_code != 202:
            raise RuntimeError(f"the intake answered {answer.status_code}: {answer.text[:200]}")
        return int(answer.json().get("published", 0))

    async def aclose(self) -> None:
        await self.vendor.aclose()
        await self.intake.aclose()


async def invgate_latency(hooks: InvGateHooks, seen: Seen, js: Any, count: int) -> dict[str, Any]:
    sent: dict[int, tuple[str, float]] = {}
    started = time.time()

    async def one(i: int) -> None:
        ticket = 1000 + i % hooks.tickets
        await hooks.change(ticket, f"P6-{i}")
        sent[i] = (f"backends/hooks/tickets/{ticket}", time.time())
        await hooks.hook(ticket)

    await paced(RATE, count, one)
    await asyncio.sleep(0.5)
    latencies, lost = _latencies(await stored(js, "deskbridge.hooks.>", started), sent.values())
    received, _ = _latencies(seen, sent.values())
    return {
        "p6_invgate_webhooks": count,
        "p6_invgate_p50_ms": pct(latencies, 0.5),
        "p6_invgate_p99_ms": pct(latencies, 0.99),
        "p6_invgate_lost": lost,
        "p6_invgate_seen_p50_ms": pct(received, 0.5),
        "p6_invgate_seen_p99_ms": pct(received, 0.99),
    }


def _latencies(seen: Seen, sent: Any) -> tuple[list[float], int]:
    latencies, lost = [], 0
    for name, moment in sent:
        arrived = seen.first_after(name, moment)
        if arrived is None:
            lost += 1
        else:
            latencies.append((arrived - moment) * 1e3)
    return latencies, lost


async def requestor_latency(intake: Intake, seen: Seen, js: Any, count: int) -> dict[str, float]:
    """`count` deliveries at 200/s: operator changes at 100/s, each announced by two
    triggers (its own and TicketMonitoring); latency from the first delivery of each change
    sent. The sandbox sends each subscription's deliveries one after another, as Requestor
    does: the log is read once none is pending."""
    async with httpx.AsyncClient(base_url=intake.pushes_url) as sandbox:
        await sandbox.delete("/_sandbox/deliveries")
        started = time.time()

        async def one(i: int) -> None:
            answer = await sandbox.post(
                f"/_sandbox/operator/tickets/{1 + i % intake.push_tickets}",
                json={"CustomForm": {"Device": f"bench-{started}-{i}"}},
            )
            answer.raise_for_status()

        await paced(RATE / 2, count // 2, one)
        ended = time.time()
        deliveries = await _delivered(sandbox)
        backlog = time.time() - ended
    await asyncio.sleep(1.0 if intake.smoke else 1.5)  # the inbox's fetch waits up to 1 s
    first_sent: dict[str, float] = {}
    for delivery in deliveries:
        if delivery["sent"] is not None and delivery["created"] >= started:
            name = f"backends/pushes/tickets/{delivery['entity_id']}"
            first_sent[name] = min(first_sent.get(name, delivery["sent"]), delivery["sent"])
    latencies, lost = _latencies(
        await stored(js, "deskbridge.pushes.>", started), first_sent.items()
    )
    received, _ = _latencies(seen, first_sent.items())
    return {
        "p50_ms": pct(latencies, 0.5),
        "p99_ms": pct(latencies, 0.99),
        "seen_p50_ms": pct(received, 0.5),
        "seen_p99_ms": pct(received, 0.99),
        "lost": lost,
        "changes": len(first_sent),
        "failed_deliveries": sum(1 for d in deliveries if d["outcome"] == "failed"),
        "sender_behind_s": backlog,
    }


async def _delivered(sandbox: httpx.AsyncClient) -> list[dict[str, Any]]:
    """The delivery log once nothing in it is pending (at most 30 s from now)."""
    deadline = time.time() + 30
    while True:
        log = (await sandbox.get("/_sandbox/deliveries")).json()
        if time.time() > deadline or not any(d["outcome"] == "pending" for d in log):
            return log
        await asyncio.sleep(0.1)


async def sustained_hooks(
    hooks: InvGateHooks, seen: Seen, pids: dict[str, int], settle: float, window: float
) -> dict[str, Any]:
    """Closed loops of change + webhook; completions with an acked event per second."""
    completions: list[float] = []
    stop = asyncio.Event()
    turn = 0

    async def worker() -> None:
        nonlocal turn
        while not stop.is_set():
            turn += 1
            ticket = 1000 + turn % hooks.tickets
            await hooks.change(ticket, f"S-{turn}")
            if await hooks.hook(ticket) >= 1:
                completions.append(time.time())

    started = time.time()
    workers = [asyncio.ensure_future(worker()) for _ in range(WORKERS)]
    await asyncio.sleep(settle)
    meter = CpuMeter(pids).start()
    await asyncio.sleep(window)
    cpu = meter.read()
    stop.set()
    await asyncio.gather(*workers)
    opens, closes = started + settle, started + settle + window
    answered = sum(1 for moment in completions if opens <= moment < closes)
    return {
        "p6_sustained_per_s": answered / window,
        "p6_sustained_events_per_s": seen.count_between("backends/hooks/", opens, closes) / window,
        "p6_sustained_cpu": cpu,
    }


async def p6_webhooks(stack: Stack, smoke: bool) -> dict[str, Any]:
    """P6 (module docstring)."""
    nats_pid = pid_running(str(stack.nats.data_dir))
    intake = Intake(stack, smoke)
    seen = Seen()
    nc = await nats.connect(stack.nats.url)
    await nc.subscribe("deskbridge.hooks.>", cb=seen.on_event)
    await nc.subscribe("deskbridge.pushes.>", cb=seen.on_event)
    pin(nats_pid, OTHERS_CPU)
    pin(os.getpid(), OTHERS_CPU)
    try:
        await intake.start_sandboxes()
        figures = await latency_runs(intake, seen, nc.jetstream(), 100 if smoke else 2000)
        figures |= await sustained_run(intake, seen, nats_pid, smoke)
        figures |= await against_raw(stack, seen, figures, smoke)
    finally:
        await nc.close()
        await intake.stop()
        unpin(nats_pid)
        unpin(os.getpid())
    return figures


async def latency_runs(intake: Intake, seen: Seen, js: Any, count: int) -> dict[str, Any]:
    """`count` InvGate webhooks, then half as many Requestor deliveries with the default hold
    and with the short hold (the watcher restarted with it, and left running)."""
    await intake.start_watcher(hold=0.25)
    hooks = InvGateHooks(intake)
    try:
        figures = await invgate_latency(hooks, seen, js, count)
    finally:
        await hooks.aclose()
    held = await requestor_latency(intake, seen, js, count // 2)
    figures |= {f"p6_requestor_hold_{k}": v for k, v in held.items()}
    await intake.stop_watcher()
    await intake.start_watcher(hold=SHORT_HOLD)
    short = await requestor_latency(intake, seen, js, count // 2)
    figures |= {f"p6_requestor_short_{k}": v for k, v in short.items()}
    figures["p6_requestor_short_hold_s"] = SHORT_HOLD
    return figures


async def sustained_run(intake: Intake, seen: Seen, nats_pid: int, smoke: bool) -> dict[str, Any]:
    assert intake.watcher is not None
    pids = {
        "watcher": intake.watcher.pid,
        "invgate sandbox": intake.processes["hooks"].pid,
        "nats-server": nats_pid,
        "harness": os.getpid(),
    }
    settle, window = (0.5, 1.0) if smoke else (1.0, 4.0)
    hooks = InvGateHooks(intake)
    try:
        return await sustained_hooks(hooks, seen, pids, settle, window)
    finally:
        await hooks.aclose()


async def against_raw(
    stack: Stack, seen: Seen, figures: dict[str, Any], smoke: bool
) -> dict[str, Any]:
    """nats-py's own publishing on the watcher's CPU, messages of the events' size."""
    size = int(pct([float(s) for s in seen.sizes], 0.5)) if seen.sizes else 2048
    count = 2000 if smoke else 20000
    raw = await raw_publish_rate(stack.nats.url, count, size, WATCHER_CPU)
    floor = await floor_rate(
        stack.nats.url, count, size, versions=20, workers=WORKERS, view=False, cpus=WATCHER_CPU
    )
    trips = await round_trip_costs(stack.nats.url, 200 if smoke else 2000, size, WATCHER_CPU)
    sustained, watcher_share = figures["p6_sustained_per_s"], figures["p6_sustained_cpu"]["watcher"]
    return {
        "p6_raw_publish_per_s": raw["per_s"],
        "p6_raw_publish_per_cpu_s": raw["per_cpu_s"],
        "p6_event_bytes": size,
        "p6_sustained_of_raw": sustained / raw["per_s"],
        # the revision rule's NATS operations alone (snapshot get, publish, snapshot CAS) at
        # the same concurrency on the same CPU: no vendor call, no HTTP intake
        "p6_floor_per_s": floor["per_s"],
        "p6_floor_per_cpu_s": floor["per_cpu_s"],
        "p6_sustained_of_floor": sustained / floor["per_s"],
        # per second of the watcher's own CPU: the same comparison, whatever else ran on CPU 0
        "p6_webhooks_per_cpu_s": sustained / watcher_share if watcher_share else float("nan"),
        # one nats-py round trip at a time, on the watcher's CPU: what each costs on its own
        **{f"p6_round_trip_{name}": value for name, value in trips.items()},
    }
