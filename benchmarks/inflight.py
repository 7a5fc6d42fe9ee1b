"""P3: GetTicket throughput with 100 ms vendor latency at 100 and at 1,000 calls in flight,
against the vendor-call floor server in the same run.

The vendor is `benchmarks.upstream` (the Python sandbox cannot answer 10,000 requests/s: see
that module), reached by the service's `light` backend (InvGate's adapter, 1,100 connections)
and by a floor server with a pool of the same size. The load generator is h2load (nghttp2's C
client: gRPC unary calls as HTTP/2 POSTs of a prebuilt request frame, `-c in_flight/100` connections
of 100 streams each, a warm-up then a timed window), so that the client is not what limits the
figure. Where h2load is missing, a full run installs Debian's `nghttp2-client` when it can (root
with apt-get); otherwise, and always in a smoke run, the harness's own grpc.aio client does the
load, and the figures say so. Every call is checked to have reached the upstream (its request
count against the calls completed). The CPU share of each process during the window says where
the limit lies; the direct ceiling (h2load over HTTP/1.1 straight to the upstream, one
connection per call in flight) shows what the upstream itself can serve.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx

from benchmarks.harness import CpuMeter, concurrent, median, raw_server, sustained
from benchmarks.stack import INVGATE_BASIC, INVGATE_TICKET, LIGHT_CONNECTIONS, Stack
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

GET_TICKET = "/deskbridge.v1.TicketService/GetTicket"
ECHO = "/bench.Echo/Echo"
STREAMS = 100  # h2load streams per HTTP/2 connection
_RATE = re.compile(r"finished in [\d.]+\w*, ([\d.]+) req/s")
_DONE = re.compile(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed")


def h2load_path(install: bool) -> tuple[str | None, str]:
    """(h2load's path or None, how the load is generated)."""
    found = shutil.which("h2load")
    if found is None and install and os.geteuid() == 0 and shutil.which("apt-get"):
        print("P3: installing Debian's nghttp2-client for h2load ...", file=sys.stderr)
        _apt_install("nghttp2-client")
        found = shutil.which("h2load")
    if found is not None:
        return found, "h2load"
    return None, "python grpc.aio (h2load not available: `apt-get install nghttp2-client`)"


def _apt_install(package: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
    if subprocess.run(command, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        subprocess.run(command, env=env, capture_output=True, check=False)


def grpc_frame(message: bytes) -> bytes:
    """A gRPC length-prefixed message (uncompressed)."""
    return b"\x00" + len(message).to_bytes(4, "big") + message


@dataclass
class Window:
    """One timed run: completions per second and each process's share of a core."""

    rate: float
    cpu: dict[str, float]
    completed: int = 0
    failed: int = 0


async def served_count(upstream_url: str) -> int:
    async with httpx.AsyncClient() as client:
        return int((await client.get(upstream_url + "/_count")).text)


async def h2load_window(
    h2load: str,
    url: str,
    in_flight: int,
    settle: float,
    window: float,
    pids: dict[str, int],
    body: Path | None = None,
) -> Window:
    """h2load at `in_flight` against `url`: gRPC POSTs of `body`, or HTTP/1.1 GETs when None."""
    if body is None:  # HTTP/1.1 has one request per connection in flight
        shape = ["--h1", "-c", str(in_flight), "-m", "1"]
        shape += [f"-H{name}: {value}" for name, value in INVGATE_BASIC]
    else:
        connections = max(1, in_flight // STREAMS)
        shape = ["-c", str(connections), "-m", str(in_flight // connections), "-d", str(body)]
        shape += ["-H", "content-type: application/grpc", "-H", "te: trailers"]
    timing = ["-D", f"{round(window * 1000)}ms", "--warm-up-time", f"{round(settle * 1000)}ms"]
    command = [h2load, *shape, *timing, url]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    meter = CpuMeter(pids)
    await asyncio.sleep(settle + 0.1)
    meter.start()
    await asyncio.sleep(window * 0.8)
    cpu = meter.read()
    output = (await process.communicate())[0].decode()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    cpu["load generator"] = round(used / (settle + window), 2)
    rate, done = _RATE.search(output), _DONE.search(output)
    if rate is None or done is None:
        raise RuntimeError(f"h2load said: {output[-1000:]}")
    return Window(float(rate.group(1)), cpu, int(done.group(2)), int(done.group(3)))


async def python_window(
    call: Callable[[], Awaitable[Any]],
    in_flight: int,
    settle: float,
    window: float,
    pids: dict[str, int],
) -> Window:
    meter = CpuMeter({**pids, "load generator": os.getpid()})

    async def measure() -> dict[str, float]:
        await asyncio.sleep(settle + 0.1)
        meter.start()
        await asyncio.sleep(window * 0.8)
        return meter.read()

    rate, cpu = await asyncio.gather(sustained(call, in_flight, settle, window), measure())
    return Window(rate, cpu)


async def p3_inflight(stack: Stack, smoke: bool) -> dict[str, Any]:
    """P3 at 100 and 1,000 in flight (module docstring)."""
    settle, window, rounds = (0.3, 0.7, 1) if smoke else (1.0, 3.0, 3)
    h2load, generator = h2load_path(install=not smoke)
    request = t.GetTicketRequest(name=stack.tickets["light"]).SerializeToString()
    frames = {"floor": b"x" * 64, "get_ticket": request}
    bodies = {name: stack.workdir / f"{name}.grpc" for name in frames}
    for name, frame in frames.items():
        bodies[name].write_bytes(grpc_frame(frame))
    figures: dict[str, Any] = {"p3_load_generator": generator}
    path = f"/api/v1/incident?id={INVGATE_TICKET}"
    vendor = (stack.light_url, path, json.dumps(INVGATE_BASIC), str(LIGHT_CONNECTIONS))
    async with raw_server("vendor", *vendor) as floor:
        targets = {
            "floor": (floor.pid, f"http://{floor.address}{ECHO}"),
            "get_ticket": (stack.service_pid, f"http://{stack.address}{GET_TICKET}"),
        }
        await _first_calls(stack, floor.call)
        if h2load is not None:
            figures["p3_upstream_calls_per_call"] = await _check(stack, h2load, targets, bodies)
        for in_flight in (100, 1000):
            level = Level(stack, targets, bodies, frames, h2load, in_flight, settle, window)
            figures |= await level.run(rounds)
    return figures


async def _first_calls(stack: Stack, floor: Callable[[bytes], Awaitable[bytes]]) -> None:
    """One call to each server through grpcio: they answer OK (an error raises here), and the
    adapter's one-off reads (InvGate's reference tables) are done before anything counts."""
    async with grpc.aio.insecure_channel(stack.address) as channel:
        stub = tickets_pb2_grpc.TicketServiceStub(channel)
        await stub.GetTicket(t.GetTicketRequest(name=stack.tickets["light"]))
    await floor(b"x")


async def _check(
    stack: Stack, h2load: str, targets: dict[str, tuple[int, str]], bodies: dict[str, Path]
) -> float:
    """Vendor calls per completed call, over a fixed number of h2load calls to each server:
    1.0 says every call answered by doing its vendor call (an error answer would not)."""
    before, calls = await served_count(stack.light_url), 0
    for name, (_, url) in targets.items():
        command = [h2load, "-n", "200", "-c", "1", "-m", "100", "-d", str(bodies[name])]
        command += ["-H", "content-type: application/grpc", "-H", "te: trailers", url]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        done = _DONE.search((await process.communicate())[0].decode())
        calls += int(done.group(2)) if done else 0
    return (await served_count(stack.light_url) - before) / calls if calls else 0.0


@dataclass
class Level:
    """One in-flight level: the direct ceiling once, then floor and GetTicket interleaved."""

    stack: Stack
    targets: dict[str, tuple[int, str]]
    bodies: dict[str, Path]  # the request frames in files, for h2load
    frames: dict[str, bytes]
    h2load: str | None
    in_flight: int
    settle: float
    window: float

    async def run(self, rounds: int) -> dict[str, Any]:
        results: dict[str, list[Window]] = {"direct": [], "floor": [], "get_ticket": []}
        upstream = {"upstream": self.stack.light.pid}
        if self.h2load is not None:
            url = f"{self.stack.light_url}/api/v1/incident?id={INVGATE_TICKET}"
            results["direct"].append(await self._h2load(url, upstream, None))
        for _ in range(rounds):
            for name, (pid, url) in self.targets.items():
                pids = {"server": pid, **upstream}
                if self.h2load is not None:
                    results[name].append(await self._h2load(url, pids, self.bodies[name]))
                else:
                    results[name].append(await self._python(url, self.frames[name], pids))
        return _level_figures(self.in_flight, results)

    async def _h2load(self, url: str, pids: dict[str, int], body: Path | None) -> Window:
        assert self.h2load is not None
        return await h2load_window(
            self.h2load, url, self.in_flight, self.settle, self.window, pids, body
        )

    async def _python(self, url: str, message: bytes, pids: dict[str, int]) -> Window:
        address, _, method = url.removeprefix("http://").partition("/")
        count = max(1, self.in_flight // STREAMS)
        channels = [grpc.aio.insecure_channel(address) for _ in range(count)]
        try:
            calls = [c.unary_unary("/" + method) for c in channels]
            turn = 0

            def call() -> Awaitable[Any]:
                nonlocal turn
                turn += 1
                return calls[turn % len(calls)](message)

            await concurrent(call, self.in_flight, self.in_flight)  # connections open
            return await python_window(call, self.in_flight, self.settle, self.window, pids)
        finally:
            for channel in channels:
                await channel.close()


def _level_figures(in_flight: int, results: dict[str, list[Window]]) -> dict[str, Any]:
    prefix = f"p3_{in_flight}"
    floor = median([w.rate for w in results["floor"]])
    served = median([w.rate for w in results["get_ticket"]])
    figures: dict[str, Any] = {
        f"{prefix}_get_ticket_per_s": served,
        f"{prefix}_floor_per_s": floor,
        f"{prefix}_of_floor": served / floor if floor else float("nan"),
        f"{prefix}_get_ticket_per_s_rounds": [round(w.rate) for w in results["get_ticket"]],
        f"{prefix}_floor_per_s_rounds": [round(w.rate) for w in results["floor"]],
        f"{prefix}_failed": sum(w.failed for w in results["floor"] + results["get_ticket"]),
    }
    if results["direct"]:
        figures[f"{prefix}_direct_ceiling_per_s"] = results["direct"][0].rate
        figures[f"{prefix}_direct_cpu"] = results["direct"][0].cpu
    for name in ("floor", "get_ticket"):
        figures[f"{prefix}_{name}_cpu"] = _median_cpu(results[name])
    return figures


def _median_cpu(windows: list[Window]) -> dict[str, float]:
    names = windows[0].cpu if windows else {}
    return {name: median([w.cpu[name] for w in windows]) for name in names}
