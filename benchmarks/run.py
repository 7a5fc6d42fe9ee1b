"""`make bench` / `python -m benchmarks.run [--smoke] [--out FILE]`.

Servers run in their own processes (the InvGate sandbox, nats-server, the Deskbridge service,
a raw grpc.aio echo server); this process only generates load and measures. CPU is the run time
of all the server process's threads (/proc/<pid>/task/*/schedstat, nanoseconds), RSS from
/proc/<pid>/status. Figures are ratios taken side by side in one run, because the machines are
shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import grpc
import httpx

from benchmarks.watcher_cost import w1_poll_cost
from deskbridge.runtime.http1 import ConnectionPool
from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
ECHO = "/bench.Echo/Echo"
# What a client sends the sandbox for `GET incident` (its default basic credentials).
VENDOR_HEADERS = [
    ("Accept", "application/json"),
    ("Authorization", "Basic YXBpOnNhbmRib3gtdG9rZW4="),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of `pid`: schedstat's nanosecond run time where the kernel
    has it, else utime + stime from /proc/<pid>/stat (clock ticks)."""
    try:
        total = 0
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(FileNotFoundError):  # a thread that just ended
                total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
        return total / 1e9
    except (FileNotFoundError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


# ---------------------------------------------------------------------------- servers


async def _echo_server(port: int) -> None:
    async def echo(request: bytes, context) -> bytes:
        return request

    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        [
            grpc.method_handlers_generic_handler(
                "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(echo)}
            )
        ]
    )
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()


async def _vendor_call_server(port: int, sandbox_url: str) -> None:
    """The floor of a handler that awaits I/O: raw grpc.aio, one keep-alive HTTP GET to the
    sandbox per call through Deskbridge's own pool (no interceptor, validation or mapping)."""
    pool = ConnectionPool(sandbox_url)

    async def fetch(request: bytes, context) -> bytes:
        response = await pool.request("GET", "/api/v1/incident?id=1000", VENDOR_HEADERS)
        return response.content

    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        [
            grpc.method_handlers_generic_handler(
                "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(fetch)}
            )
        ]
    )
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()


async def spawn(*args: str, env: dict | None = None) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *args,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def wait_grpc(address: str) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        await asyncio.wait_for(channel.channel_ready(), 30)


async def wait_http(url: str) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as client:
        while True:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(url)
            await asyncio.sleep(0.05)


class Stack:
    """Sandbox, NATS and the tickets service, each in its own process."""

    async def start(self, workdir: Path) -> None:
        self.sandbox_url = f"http://127.0.0.1:{free_port()}"
        self.sandbox = await spawn(
            sys.executable,
            "-m",
            "deskbridge.cli",
            "sandbox",
            "invgate",
            "--port",
            self.sandbox_url.rsplit(":", 1)[1],
            "--requests",
            "200",
        )
        self.nats = EmbeddedNats(workdir / "nats")
        await self.nats.start()
        config = workdir / "deskbridge.toml"
        config.write_text(
            f'[[backends]]\nname = "invgate"\nvendor = "invgate"\n'
            f'base_url = "{self.sandbox_url}"\n[backends.credentials]\n'
            'username = "api"\npassword = "sandbox-token"\n'
        )
        self.address = f"127.0.0.1:{free_port()}"
        await wait_http(self.sandbox_url + "/_sandbox/health")
        self.service = await spawn(
            sys.executable,
            "-m",
            "deskbridge.cli",
            "serve",
            "tickets",
            "backends",
            env={
                "DESKBRIDGE_CONFIG": str(config),
                "DESKBRIDGE_GRPC_ADDRESS": self.address,
                "DESKBRIDGE_NATS_URL": self.nats.url,
                "DESKBRIDGE_DATA_DIR": str(workdir),
                "DESKBRIDGE_LOG_LEVEL": "warning",
                # one load generator is one caller: the per-caller limits would measure
                # themselves, not the server
                "DESKBRIDGE_CALLER_RATE": "0",
                "DESKBRIDGE_CALLER_IN_FLIGHT": "0",
            },
        )
        await wait_grpc(self.address)

    async def faults(self, **faults) -> None:
        async with httpx.AsyncClient() as client:
            (
                await client.put(self.sandbox_url + "/_sandbox/faults", json=faults)
            ).raise_for_status()

    async def stop(self) -> None:
        for process in (self.service, self.sandbox):
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await process.wait()
        await self.nats.stop()


# ---------------------------------------------------------------------------- load


async def sequential(call, n: int) -> list[float]:
    for _ in range(min(200, n)):
        await call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def concurrent(call, total: int, in_flight: int) -> float:
    """Run `total` calls with `in_flight` at a time; returns the elapsed seconds."""
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return time.perf_counter() - started


async def sustained(call, in_flight: int, settle: float, window: float) -> float:
    """Calls completed per second while exactly `in_flight` are outstanding.

    `in_flight` workers each keep one call going; completions are counted only in the
    `window` seconds after `settle`, so neither the opening burst nor the drain at the end
    (when fewer than `in_flight` calls remain, as in a fixed-total run) is in the figure.
    """
    completions: list[float] = []
    stop = asyncio.Event()

    async def worker() -> None:
        while not stop.is_set():
            await call()
            completions.append(time.perf_counter())

    started = time.perf_counter()
    workers = [asyncio.ensure_future(worker()) for _ in range(in_flight)]
    await asyncio.sleep(settle + window)
    stop.set()
    await asyncio.gather(*workers)
    opens, closes = started + settle, started + settle + window
    return sum(1 for moment in completions if opens <= moment < closes) / window


async def cpu_per_call(pid: int, call, total: int, in_flight: int = 32) -> float:
    before = cpu_seconds(pid)
    await concurrent(call, total, in_flight)
    return (cpu_seconds(pid) - before) / total


# ---------------------------------------------------------------------------- scenarios


@contextlib.asynccontextmanager
async def raw_server(server: str, *args: object):
    """One of the raw grpc.aio servers above in its own process: yields (pid, unary call)."""
    port = free_port()
    process = await spawn(
        sys.executable,
        "-c",
        f"import asyncio, benchmarks.run as r; asyncio.run(r.{server}{(port, *args)!r})",
        env={"PYTHONPATH": str(ROOT)},
    )
    try:
        await wait_grpc(f"127.0.0.1:{port}")
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield process.pid, channel.unary_unary(ECHO)
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()


async def baselines_and_p1(stack: Stack, smoke: bool) -> dict:
    """P1. CPU per call is measured in short interleaved rounds (echo, floor, GetTicket, echo
    again …, each a chunk of calls a second or so long); the ratio is the median of the
    per-round ratios, so a burst of noise from a neighbour on a shared machine moves one
    round, not the figure."""
    n_seq, chunk, rounds = (200, 300, 2) if smoke else (2000, 1500, 15)
    payload = b"x" * 64
    figures: dict[str, float] = {}
    cpu: dict[str, list[float]] = {"echo": [], "floor": [], "get_ticket": []}
    async with (
        raw_server("_echo_server") as (echo_pid, echo_call),
        raw_server("_vendor_call_server", stack.sandbox_url) as (floor_pid, floor_call),
        grpc.aio.insecure_channel(stack.address) as channel,
        httpx.AsyncClient(base_url=stack.sandbox_url, auth=("api", "sandbox-token")) as client,
    ):
        stub = tickets_pb2_grpc.TicketServiceStub(channel)
        request = t.GetTicketRequest(name="backends/invgate/tickets/1000")
        servers = {
            "echo": (echo_pid, lambda: echo_call(payload)),
            "floor": (floor_pid, lambda: floor_call(payload)),
            "get_ticket": (stack.service.pid, lambda: stub.GetTicket(request)),
        }
        figures["echo_p50_ms"] = pct(await sequential(servers["echo"][1], n_seq), 0.5) * 1e3
        figures["direct_httpx_p50_ms"] = (
            pct(
                await sequential(
                    lambda: client.get("/api/v1/incident", params={"id": 1000}), n_seq
                ),
                0.5,
            )
            * 1e3
        )
        figures["get_ticket_p50_ms"] = (
            pct(await sequential(servers["get_ticket"][1], n_seq), 0.5) * 1e3
        )
        for _, call in servers.values():  # warm-up
            await concurrent(call, 500, 32)
        for _ in range(rounds):
            for name, (pid, call) in servers.items():
                cpu[name].append(await cpu_per_call(pid, call, chunk))
    ratios = [g / e for g, e in zip(cpu["get_ticket"], cpu["echo"], strict=True)]
    figures["echo_cpu_us_per_call"] = statistics.median(cpu["echo"]) * 1e6
    figures["vendor_call_floor_cpu_us_per_call"] = statistics.median(cpu["floor"]) * 1e6
    figures["get_ticket_cpu_us_per_call"] = statistics.median(cpu["get_ticket"]) * 1e6
    figures["p1_cpu_ratio"] = statistics.median(ratios)
    figures["p1_cpu_ratio_rounds"] = [round(r, 2) for r in ratios]
    figures["p1_p50_overhead_ms"] = figures["get_ticket_p50_ms"] - figures["direct_httpx_p50_ms"]
    return figures


async def p2_events(stack: Stack, smoke: bool) -> dict:
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


async def p3_throughput(stack: Stack, smoke: bool) -> dict:
    """P3: the rate at a sustained 100 calls in flight (`sustained`), in three interleaved
    rounds (median reported, every round printed), with two ceilings measured the same way:
    keep-alive GETs straight from this process to the sandbox (what the emulator and the load
    generator allow on this machine without any gRPC hop) and the vendor-call floor server (a
    raw grpc.aio handler making the same call)."""
    settle, window, rounds = (0.5, 1.0, 1) if smoke else (1.0, 4.0, 3)
    rates: dict[str, list[float]] = {"direct": [], "floor": [], "get_ticket": []}
    await stack.faults(latency_ms=100)
    try:
        async with (
            raw_server("_vendor_call_server", stack.sandbox_url) as (_, floor_call),
            grpc.aio.insecure_channel(stack.address) as channel,
        ):
            pool = ConnectionPool(stack.sandbox_url, max_connections=200)
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            request = t.GetTicketRequest(name="backends/invgate/tickets/1000")
            calls = {
                "direct": lambda: pool.request("GET", "/api/v1/incident?id=1000", VENDOR_HEADERS),
                "floor": lambda: floor_call(b"x"),
                "get_ticket": lambda: stub.GetTicket(request),
            }
            try:
                for call in calls.values():  # warm-up: connections open, code paths hot
                    await concurrent(call, 200, 100)
                for _ in range(rounds):
                    for name, call in calls.items():
                        rates[name].append(await sustained(call, 100, settle, window))
            finally:
                await pool.aclose()
    finally:
        await stack.faults(latency_ms=0)
    return {
        "p3_get_ticket_per_s": statistics.median(rates["get_ticket"]),
        "p3_get_ticket_per_s_rounds": [round(rate) for rate in rates["get_ticket"]],
        "p3_direct_ceiling_per_s": statistics.median(rates["direct"]),
        "p3_floor_per_s": statistics.median(rates["floor"]),
    }


async def p4_memory(stack: Stack, smoke: bool) -> dict:
    first, second = (1000, 2000) if smoke else (50_000, 100_000)
    async with grpc.aio.insecure_channel(stack.address) as channel:
        stub = tickets_pb2_grpc.TicketServiceStub(channel)
        request = t.GetTicketRequest(name="backends/invgate/tickets/1000")
        await concurrent(lambda: stub.GetTicket(request), first, 50)
        at_first = rss_mb(stack.service.pid)
        await concurrent(lambda: stub.GetTicket(request), second - first, 50)
        at_second = rss_mb(stack.service.pid)
    return {"p4_rss_mb": at_second, "p4_rss_growth_pct": (at_second - at_first) / at_first * 100}


async def p4_startup(workdir: Path) -> dict:
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    address = f"127.0.0.1:{free_port()}"
    started = time.perf_counter()
    process = await spawn(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "up",
        "--grpc-address",
        address,
        "--nats-port",
        str(free_port()),
        "--sandbox-port",
        str(free_port()),
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
        process.send_signal(signal.SIGTERM)
        await process.wait()


TARGETS = [  # key, target, comparison, meaning
    ("p1_cpu_ratio", 2.0, "<=", "P1 server CPU per GetTicket / echo CPU per call"),
    ("p1_p50_overhead_ms", 1.0, "<=", "P1 GetTicket p50 - direct httpx p50 (ms)"),
    ("p2_event_latency_p99_ms", 10.0, "<=", "P2 event end-to-end p99 at 100 rps (ms)"),
    ("p2_lost", 0, "<=", "P2 events lost"),
    ("p3_get_ticket_per_s", 900.0, ">=", "P3 GetTicket/s, 100 ms upstream, 100 in flight"),
    ("p4_rss_mb", 100.0, "<=", "P4 service RSS after 100k requests (MB)"),
    ("p4_rss_growth_pct", 5.0, "<=", "P4 RSS growth 50k→100k requests (%)"),
    ("p4_up_serving_s", 5.0, "<=", "P4 `deskbridge up` to all SERVING (s)"),
    ("w1_changed_cycle_over_budget", 0, "<=", "W1 poll after 100 changes: calls - (pages+1)"),
    ("w1_idle_cycle_calls", 1, "<=", "W1 vendor calls, poll with no change"),
]


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version()}


def table(figures: dict) -> str:
    rows = ["| target | figure | goal | |", "|---|---|---|---|"]
    for key, goal, op, meaning in TARGETS:
        value = figures.get(key, float("nan"))
        ok = value <= goal if op == "<=" else value >= goal
        rows.append(f"| {meaning} | {value:.2f} | {op} {goal} | {'pass' if ok else 'MISS'} |")
    baselines = (
        "echo_p50_ms",
        "echo_cpu_us_per_call",
        "vendor_call_floor_cpu_us_per_call",
        "direct_httpx_p50_ms",
        "get_ticket_p50_ms",
        "get_ticket_cpu_us_per_call",
        "p2_event_latency_p50_ms",
        "p3_direct_ceiling_per_s",
        "p3_floor_per_s",
        "w1_tickets",
        "w1_changed_cycle_calls",
        "w1_changed_in_last_hour",
        "w1_first_start_baseline_calls",
        "w1_first_start_baseline_s",
    )
    rows += [f"| baseline: {k} | {figures[k]:.2f} | | |" for k in baselines if k in figures]
    return "\n".join(rows)


async def measure(smoke: bool) -> dict:
    figures: dict = {"smoke": smoke, "machine": machine()}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        stack = Stack()
        await stack.start(workdir)
        try:
            for scenario in (baselines_and_p1, p2_events, p3_throughput, p4_memory):
                figures.update(await scenario(stack, smoke))
        finally:
            await stack.stop()
        figures.update(await p4_startup(workdir))
    w1 = await w1_poll_cost(smoke)
    w1["w1_changed_cycle_over_budget"] = (
        w1["w1_changed_cycle_calls"] - w1["w1_changed_cycle_budget"]
    )
    figures.update(w1)
    return figures


def report(figures: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    print(table(figures))
    if "p1_cpu_ratio_rounds" in figures:
        rounds = figures["p1_cpu_ratio_rounds"]
        print(f"\nP1 CPU ratio per round (the table has their median): {rounds}")
    if "p3_get_ticket_per_s_rounds" in figures:
        rounds = figures["p3_get_ticket_per_s_rounds"]
        print(f"P3 GetTicket/s per round (the table has their median): {rounds}")
    print(f"\nfigures: {out}   machine: {figures['machine']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds, proves it runs")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/latest.json")
    arguments = parser.parse_args()
    report(asyncio.run(measure(arguments.smoke)), arguments.out)
