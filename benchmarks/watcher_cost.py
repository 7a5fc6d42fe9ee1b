"""W1: what one watcher poll cycle costs the vendor, counted by the vendor (the sandbox's
request log), among 100,000 tickets: a cycle after 100 changes, a cycle with no change, and
the one-off baseline of the first start. The budget of a cycle with changes is pages of what
`incidents.last.hour` reports (the 100, plus seeded requests last changed within the hour)
plus one call for their comments.

The watcher runs in this process on an embedded nats-server, watching tickets only, with a
poll interval long enough that every measured cycle is one this harness starts
(`BackendWatcher.cycle`), so the log between two marks is exactly that cycle's calls.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.runtime.settings import BackendConfig, Secret, Settings
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.vendors.invgate.changes import LIMIT
from deskbridge.watcher.state import load_state

CHANGED = 100


def _api_calls(sandbox) -> int:
    return len(sandbox.app.state.sandbox.kit.log)


async def w1_poll_cost(smoke: bool) -> dict:
    tickets = 5_000 if smoke else 100_000
    sandbox = await start_sandbox(SandboxConfig(request_count=tickets, seed=3))
    workdir = Path(tempfile.mkdtemp(prefix="deskbridge-w1-"))
    nats_server = EmbeddedNats(workdir / "nats")
    await nats_server.start()
    backend = BackendConfig(
        name="cost",
        vendor="invgate",
        base_url=sandbox.url,
        credentials={"username": Secret("api"), "password": Secret("sandbox-token")},
        options={"watch": {"interval_seconds": 1800, "kinds": ["ticket"]}},
    )
    settings = replace(
        Settings(grpc_address="127.0.0.1:0", data_dir=workdir, log_level="warning"),
        nats_url=nats_server.url,
        backends=(backend,),
    )
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
        return {
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
        await runtime.stop()
        await nats_server.stop()
        await sandbox.stop()
