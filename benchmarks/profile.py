"""Where the CPU goes per call: py-spy samples of the Deskbridge service and of a vendor's floor
server under the same load, as µs per call by function. Not part of `make bench`.

    python -m benchmarks.profile VENDOR [--seconds 8] [--py-spy PATH] [--top 25]

VENDOR is invgate, motadata, crmcom or requestor. The stack of `make bench` starts; GetTicket
of that vendor's ticket, then the floor's call, run at 32 in flight. For each server: its CPU
per call from schedstat, for the event-loop thread and for grpc's own threads, over a window
without the profiler; then py-spy (not a dependency: `pip install py-spy` in any venv and give
its path) samples the process without pausing it. The event-loop thread's samples (less those
waiting in `select`) are spread over its measured CPU per call: a function's µs per call is its
share of the samples times that CPU. Native code (grpc's Cython core, protobuf's upb, syscalls)
shows as the self time of the Python frame that called it: on uvloop `Runner.run` (the loop,
grpc's completion callbacks and the socket work are all native there), on asyncio's loop
`Handle._run` for grpc's callbacks.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import grpc

from benchmarks.harness import Call, concurrent, cpu_seconds
from benchmarks.stack import Stack
from benchmarks.vendors import floors, vendor_calls
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

RATE = 1000
IDLE = ("EpollSelector.select",)  # the loop waiting for I/O: sampled, but not CPU


def thread_cpu(pid: int) -> float:
    """CPU seconds of the main (event-loop) thread of `pid`."""
    return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0]) / 1e9


@dataclass
class Samples:
    """py-spy's raw stacks of the main thread: self and total sample counts per frame."""

    own: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    areas: Counter[str] = field(default_factory=Counter)
    count: int = 0

    @classmethod
    def parse(cls, raw: str, pid: int) -> Samples:
        found = cls()
        for line in raw.splitlines():
            stack, _, number = line.rpartition(" ")
            frames = stack.split(";")
            if not number.isdigit() or not frames[0].startswith(f"thread ({pid})"):
                continue
            inner = frames[-1]
            if inner.startswith(IDLE):
                continue
            n = int(number)
            found.count += n
            found.own[inner] += n
            found.areas[area(inner)] += n
            for frame in set(frames[1:]):
                found.total[frame] += n
        return found


def area(frame: str) -> str:
    """`fill_struct (runtime/records.py:29)` → `runtime/records.py`; a stdlib file by its name."""
    where = frame.rpartition("(")[2].rstrip(")").rpartition(":")[0]
    return where or frame


def report(samples: Samples, main_us: float, others_us: float, top: int) -> str:
    scale = main_us / max(1, samples.count)
    lines = [
        f"CPU per call: event-loop thread {main_us:.0f} µs, grpc's threads {others_us:.0f} µs",
        f"({samples.count} samples of the event-loop thread, `select` waits left out)",
        f"\n  µs/call  event-loop thread, self time by file (top {top})",
    ]
    lines += [f"  {n * scale:7.1f}  {a}" for a, n in samples.areas.most_common(top)]
    lines.append(f"\n  µs/call  self time by function (top {top})")
    lines += [f"  {n * scale:7.1f}  {f}" for f, n in samples.own.most_common(top)]
    lines.append(f"\n  µs/call  total time (with what it calls) by function (top {top})")
    lines += [f"  {n * scale:7.1f}  {f}" for f, n in samples.total.most_common(top)]
    return "\n".join(lines)


async def load(call: Call, seconds: float) -> int:
    """32 calls in flight for `seconds`; how many completed."""
    done = 0
    stop = asyncio.Event()

    async def worker() -> None:
        nonlocal done
        while not stop.is_set():
            await call()
            done += 1

    workers = [asyncio.ensure_future(worker()) for _ in range(32)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*workers)
    return done


async def profile(py_spy: str, pid: int, call: Call, seconds: float, top: int, out: Path) -> str:
    await concurrent(call, 500, 32)  # warm
    main_before, all_before = thread_cpu(pid), cpu_seconds(pid)
    calls = await load(call, 3.0)
    main_us = (thread_cpu(pid) - main_before) / calls * 1e6
    others_us = (cpu_seconds(pid) - all_before) / calls * 1e6 - main_us
    command = [py_spy, "record", "-p", str(pid), "-r", str(RATE), "-d", str(int(seconds))]
    command += ["-f", "raw", "-o", str(out), "--nonblocking", "--threads"]
    recorder = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    await asyncio.gather(recorder.wait(), load(call, seconds + 1))
    if recorder.returncode != 0:
        raise RuntimeError(f"py-spy failed: {(await recorder.stderr.read()).decode()[-500:]}")
    samples = Samples.parse(await asyncio.to_thread(out.read_text), pid)
    return report(samples, main_us, others_us, top)


async def main(vendor: str, seconds: float, py_spy: str, top: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack()
        try:
            await stack.start(Path(tmp))
            calls = await vendor_calls(stack)
            request = t.GetTicketRequest(name=stack.tickets[vendor])
            async with (
                floors(stack, calls) as started,
                grpc.aio.insecure_channel(stack.address) as channel,
            ):
                stub = tickets_pb2_grpc.TicketServiceStub(channel)
                floor = started[vendor]
                body = request.SerializeToString() if vendor == "requestor" else b"x" * 64
                targets = {
                    "Deskbridge GetTicket": (stack.service_pid, lambda: stub.GetTicket(request)),
                    "floor": (floor.pid, lambda: floor.call(body)),
                }
                for name, (pid, call) in targets.items():
                    out = Path(tmp) / f"{name.split()[0]}.txt"
                    text = await profile(py_spy, pid, call, seconds, top, out)
                    print(f"\n===== {vendor}: {name}\n{text}", flush=True)
        finally:
            await stack.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vendor", choices=["invgate", "motadata", "crmcom", "requestor"])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--py-spy", default=shutil.which("py-spy"))
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args()
    if not arguments.py_spy:
        sys.exit("py-spy not found: pip install py-spy (any venv) and pass --py-spy PATH")
    asyncio.run(main(arguments.vendor, arguments.seconds, arguments.py_spy, arguments.top))
