"""P5 (W1 until now): change capture by polling among 100,000 InvGate tickets.

Cost, counted by the vendor (the sandbox's request log): a cycle after 100 changes, a cycle
with no change, and the one-off baseline of the first start. The budget of a cycle with
changes is pages of what `incidents.last.hour` reports (the 100, plus seeded requests last
changed within the hour) plus one call for their comments. The watcher runs in this process
on an embedded nats-server, watching tickets only, with a poll interval long enough that every
measured cycle is one this harness starts (`BackendWatcher.cycle`), so the log between two
marks is exactly that cycle's calls.

Detection latency: then the watcher restarts with a short poll interval (`DETECT_INTERVAL`),
resuming from its stored watermark, and the harness changes 100 other tickets at random times
(`PUT incident`, uniform over `DETECT_SECONDS`); a core NATS subscription on the backend's
subjects sees each event as JetStream stores it. Latency = event seen - change sent. The
target is p99 <= interval + 100 ms: a change waits at most one interval for the next cycle, and
the cycle itself (its duration is reported too) must put it on the stream within 100 ms.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx
import nats

from benchmarks.harness import pct
from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.runtime.settings import BackendConfig, Secret, Settings
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.vendors.invgate.changes import LIMIT
from deskbridge.watcher.state import load_state

CHANGED = 100
DETECT_INTERVAL = 1.0  # seconds between poll starts while detection is measured
DETECT_SECONDS = 20.0  # the changes are spread over this long


def _api_calls(sandbox) -> int:
    return len(sandbox.app.state.sandbox.kit.log)


def _settings(workdir: Path, nats_url: str, sandbox_url: str, interval: float) -> Settings:
    backend = BackendConfig(
        name="cost",
        vendor="invgate",
        base_url=sandbox_url,
        credentials={"username": Secret("api"), "password": Secret("sandbox-token")},
        options={"watch": {"interval_seconds": interval, "kinds": ["ticket"]}},
    )
    return replace(
        Settings(grpc_address="127.0.0.1:0", data_dir=workdir, log_level="warning"),
        nats_url=nats_url,
        backends=(backend,),
    )


async def w1_poll_cost(smoke: bool) -> dict:
    tickets = 5_000 if smoke else 100_000
    sandbox = await start_sandbox(SandboxConfig(request_count=tickets, seed=3))
    workdir = Path(tempfile.mkdtemp(prefix="deskbridge-w1-"))
    nats_server = EmbeddedNats(workdir / "nats")
    await nats_server.start()
    settings = _settings(workdir, nats_server.url, sandbox.url, 1800)
    before = _api_calls(sandbox)
    runtime = await start_runtime(settings, [], watch=True)
    try:
        watcher = runtime.watcher.watchers["cost"]
        (source,) = watcher.sources
        started = time.monotonic()
        while (await load_state(watcher.kv, "cost", "ticket")).last_poll is None:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # the loop's first cycle: learns what is open, silently
        baseline_calls = _api_calls(sandbox) - before
        baseline_seconds = time.monotonic() - started

        before = _api_calls(sandbox)
        idle = await watcher.cycle(source)
        idle_calls = _api_calls(sandbox) - before

        await asyncio.sleep(1.0)  # the changes below are newer than the watermark
        chosen = random.Random(7).sample(sorted(sandbox.app.state.sandbox.state.requests), CHANGED)
        async with httpx.AsyncClient(
            base_url=sandbox.url + "/api/v1/", auth=("api", "sandbox-token")
        ) as vendor:
            for identifier in chosen:
                answer = await vendor.put("incident", data={"id": identifier, "title": "W1"})
                answer.raise_for_status()
        # what incidents.last.hour reports: these 100, and seeded requests last changed
        # less than an hour ago
        hour_ago = time.time() - 3600
        in_last_hour = sum(
            1
            for r in sandbox.app.state.sandbox.state.requests.values()
            if r["last_update"] >= hour_ago
        )
        before = _api_calls(sandbox)
        busy = await watcher.cycle(source)
        busy_calls = _api_calls(sandbox) - before
        pages = -(-in_last_hour // LIMIT)
        await runtime.stop()
        runtime = None
        interval = DETECT_INTERVAL / 2 if smoke else DETECT_INTERVAL
        detect_settings = _settings(workdir, nats_server.url, sandbox.url, interval)
        unchanged = sorted(set(sandbox.app.state.sandbox.state.requests) - set(chosen))
        detection = await detect(detect_settings, sandbox.url, unchanged, interval, smoke)
        return detection | {
            "w1_tickets": tickets,
            "w1_changed_cycle_calls": busy_calls,
            "w1_changed_cycle_budget": pages + 1,
            "w1_changed_in_last_hour": in_last_hour,
            "w1_changed_cycle_published": busy.published,
            "w1_idle_cycle_calls": idle_calls,
            "w1_idle_cycle_published": idle.published,
            "w1_first_start_baseline_calls": baseline_calls,
            "w1_first_start_baseline_s": round(baseline_seconds, 2),
        }
    finally:
        if runtime is not None:
            await runtime.stop()
        await nats_server.stop()
        await sandbox.stop()


async def detect(
    settings: Settings, sandbox_url: str, candidates: list[int], interval: float, smoke: bool
) -> dict:
    """Detection latency: changes at random times, each event seen on the stream."""
    count, spread = (10, 2.0) if smoke else (CHANGED, DETECT_SECONDS)
    rng = random.Random(11)
    targets = rng.sample(candidates, count)
    offsets = sorted(rng.uniform(0, spread) for _ in range(count))
    seen: dict[str, float] = {}
    nc = await nats.connect(settings.nats_url)

    async def on_event(message) -> None:
        seen.setdefault((message.headers or {}).get("ce-subject", ""), time.time())

    await nc.subscribe("deskbridge.cost.ticket.>", cb=on_event)
    runtime = await start_runtime(settings, [], watch=True)
    durations = _time_cycles(runtime.watcher.watchers["cost"])
    changed: dict[str, float] = {}
    try:
        async with httpx.AsyncClient(
            base_url=sandbox_url + "/api/v1/", auth=("api", "sandbox-token")
        ) as vendor:
            await asyncio.sleep(interval * 2)  # the restarted loop is in its rhythm
            started = time.time()
            for offset, identifier in zip(offsets, targets, strict=True):
                await asyncio.sleep(max(0.0, started + offset - time.time()))
                changed[f"backends/cost/tickets/{identifier}"] = time.time()
                answer = await vendor.put("incident", data={"id": identifier, "title": "P5"})
                answer.raise_for_status()
        deadline = time.time() + interval + 5
        while set(changed) - set(seen) and time.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    finally:
        await runtime.stop()
        await nc.close()
    latencies = [(seen[name] - at) * 1e3 for name, at in changed.items() if name in seen]
    p99 = pct(latencies, 0.99)
    return {
        "p5_poll_interval_ms": interval * 1e3,
        "p5_detection_p50_ms": pct(latencies, 0.5),
        "p5_detection_p99_ms": p99,
        "p5_detection_max_ms": max(latencies, default=float("nan")),
        "p5_detection_p99_over_interval_ms": p99 - interval * 1e3,
        "p5_detection_lost": len(set(changed) - set(seen)),
        "p5_cycle_p50_ms": pct(durations, 0.5),
        "p5_cycle_max_ms": max(durations, default=float("nan")),
    }


def _time_cycles(watcher) -> list[float]:
    """The durations (ms) of the watcher's poll cycles from now on."""
    durations: list[float] = []
    cycle = watcher.cycle

    async def timed(source):
        started = time.perf_counter()
        try:
            return await cycle(source)
        finally:
            durations.append((time.perf_counter() - started) * 1e3)

    watcher.cycle = timed
    return durations
