"""What every scenario of the benchmark shares: processes, CPU and memory readings, load shapes.

CPU is the run time of every thread of a process (/proc/<pid>/task/*/schedstat, nanoseconds;
utime + stime in clock ticks where the kernel lacks schedstat), RSS is VmRSS. The load helpers
run in this process (asyncio); the servers they measure run in their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
ECHO = "/bench.Echo/Echo"

Call = Callable[[], Awaitable[Any]]


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


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class CpuMeter:
    """CPU seconds used by named processes between `start()` and `read()`."""

    def __init__(self, pids: Mapping[str, int]) -> None:
        self.pids = dict(pids)
        self._before: dict[str, float] = {}
        self._started = 0.0

    def start(self) -> CpuMeter:
        self._before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self._started = time.perf_counter()
        return self

    def read(self) -> dict[str, float]:
        """Share of one core each process used since `start()` (1.0 = a whole core)."""
        elapsed = time.perf_counter() - self._started
        return {
            name: round((cpu_seconds(pid) - self._before[name]) / elapsed, 2)
            for name, pid in self.pids.items()
        }


def pin(pid: int, cpus: Iterable[int]) -> None:
    """Run `pid` (all its threads) on `cpus` only; nothing on a machine with fewer CPUs."""
    wanted = {c for c in cpus if c < (os.cpu_count() or 1)}
    if not wanted:
        return
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(ProcessLookupError, FileNotFoundError):
            os.sched_setaffinity(int(tid), wanted)


def unpin(pid: int) -> None:
    pin(pid, range(os.cpu_count() or 1))


# ---------------------------------------------------------------------------- processes


async def spawn(
    *args: str,
    env: Mapping[str, str] | None = None,
    cpus: Iterable[int] | None = None,
    stdout: int = asyncio.subprocess.DEVNULL,
) -> asyncio.subprocess.Process:
    """A process with this environment plus `env`, on `cpus` only when given."""
    wanted = None if cpus is None else {c for c in cpus if c < (os.cpu_count() or 1)}
    return await asyncio.create_subprocess_exec(
        *args,
        env={**os.environ, **(env or {})},
        stdout=stdout,
        stderr=asyncio.subprocess.DEVNULL,
        preexec_fn=(lambda: os.sched_setaffinity(0, wanted)) if wanted else None,
    )


async def spawn_module(
    module: str,
    *args: str,
    env: Mapping[str, str] | None = None,
    cpus: Iterable[int] | None = None,
    stdout: int = asyncio.subprocess.DEVNULL,
) -> asyncio.subprocess.Process:
    """`python -m module args…` with this checkout importable."""
    return await spawn(
        sys.executable,
        "-m",
        module,
        *args,
        env={"PYTHONPATH": str(ROOT), **(env or {})},
        cpus=cpus,
        stdout=stdout,
    )


def pid_running(fragment: str) -> int:
    """The pid of the process whose command line contains `fragment` (e.g. a data dir)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
                if fragment.encode() in command and int(entry) != os.getpid():
                    return int(entry)
    raise LookupError(fragment)


async def stop_process(process: asyncio.subprocess.Process | None) -> None:
    if process is not None and process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


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


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


def backends_toml(backends: Iterable[Mapping[str, Any]]) -> str:
    """A DESKBRIDGE_CONFIG file: one `[[backends]]` table per mapping (credentials a table)."""
    tables = []
    for backend in backends:
        lines = ["[[backends]]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in backend.items() if k != "credentials"]
        lines.append("[backends.credentials]")
        lines += [f"{k} = {toml_value(v)}" for k, v in backend.get("credentials", {}).items()]
        tables.append("\n".join(lines))
    return "\n\n".join(tables) + "\n"


def service_env(
    config: Path, address: str, nats_url: str, data_dir: Path, **extra: str
) -> dict[str, str]:
    """The environment of a Deskbridge process under load: one caller, logging at warning."""
    return {
        "DESKBRIDGE_CONFIG": str(config),
        "DESKBRIDGE_GRPC_ADDRESS": address,
        "DESKBRIDGE_NATS_URL": nats_url,
        "DESKBRIDGE_DATA_DIR": str(data_dir),
        "DESKBRIDGE_LOG_LEVEL": "warning",
        # one load generator is one caller: the per-caller limits would measure themselves
        "DESKBRIDGE_CALLER_RATE": "0",
        "DESKBRIDGE_CALLER_IN_FLIGHT": "0",
        **extra,
    }


# ---------------------------------------------------------------------------- load


async def sequential(call: Call, n: int) -> list[float]:
    """Latency of `n` calls one after the other, after a warm-up of up to 200."""
    for _ in range(min(200, n)):
        await call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def concurrent(call: Call, total: int, in_flight: int) -> float:
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


async def sustained(call: Call, in_flight: int, settle: float, window: float) -> float:
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


async def cpu_per_call(pid: int, call: Call, total: int, in_flight: int = 32) -> float:
    before = cpu_seconds(pid)
    await concurrent(call, total, in_flight)
    return (cpu_seconds(pid) - before) / total


async def paced(rate: float, count: int, action: Callable[[int], Awaitable[None]]) -> None:
    """Open loop: start `action(i)` every 1/rate s, whatever the previous ones are doing."""
    tasks, started = [], time.perf_counter()
    for i in range(count):
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(action(i)))
    await asyncio.gather(*tasks)


# ---------------------------------------------------------------------------- raw servers


@dataclass
class RawServer:
    """A running raw server: its process, address and the unary call of its one method."""

    pid: int
    address: str
    call: Callable[[bytes], Awaitable[bytes]]


@contextlib.asynccontextmanager
async def raw_server(kind: str, *args: str) -> AsyncIterator[RawServer]:
    """One of the raw grpc.aio servers of `benchmarks.floors` in its own process."""
    address = f"127.0.0.1:{free_port()}"
    process = await spawn_module("benchmarks.floors", kind, address.rpartition(":")[2], *args)
    try:
        await wait_grpc(address)
        async with grpc.aio.insecure_channel(address) as channel:
            yield RawServer(process.pid, address, channel.unary_unary(ECHO))
    finally:
        await stop_process(process)
