"""`make fuzz` / `python -m benchmarks.fuzz [--requests N] [--seed S] [--concurrency C]`.

The long version of tests/e2e/fuzz/test_fuzz_rpcs.py (default 10,000 requests): hostile
request messages drawn with Hypothesis from every unary RPC's descriptor, plus request bytes
that are no valid request, sent through real gRPC to a stack started in this process (the
InvGate sandbox over HTTP, every Deskbridge service, an embedded nats-server), as the pytest
`stack` fixture builds it.

Prints calls per (rpc [kind], status code), a summary table by service, kind and code, then the
failures grouped by (rpc, code, details) with example requests and where the server raised.
Exits 1 when any call answered INTERNAL, UNKNOWN, DEADLINE_EXCEEDED (a hang), a
RESOURCE_EXHAUSTED that is not a vendor rate limit, a non-OK status without google.rpc.Status +
ErrorInfo, or when the process is unhealthy after the run.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import math
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import grpc

from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.runtime.settings import BackendConfig, Secret, Settings
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime

ROOT = Path(__file__).resolve().parent.parent
STRATEGIES = ROOT / "tests" / "e2e" / "fuzz" / "strategies.py"
BACKEND = "invgate"


def load_strategies():
    """tests/e2e/fuzz/strategies.py, the suite's own strategies (tests/ is no package)."""
    spec = importlib.util.spec_from_file_location("deskbridge_fuzz_strategies", STRATEGIES)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def plan(s, total: int, raw_share: float, seed: int, requests):
    """About `total` cases over every unary RPC: messages, the fixed malformed bodies, and
    random bodies to make up the raw share."""
    rpcs = s.unary_rpcs()
    raw_target = math.ceil(total * raw_share / len(rpcs))
    fixed = sum(len(s.raw_bodies(rpc)) for rpc in rpcs) / len(rpcs)
    random_raw = max(1, raw_target - round(fixed))
    messages = max(1, math.ceil((total - (fixed + random_raw) * len(rpcs)) / len(rpcs)))
    started = time.monotonic()
    cases = s.message_cases(requests, rpcs, messages, seed) + s.raw_cases(rpcs, random_raw, seed)
    random.Random(seed).shuffle(cases)
    print(
        f"generated {len(cases)} cases for {len(rpcs)} unary RPCs ({messages} messages and "
        f"~{round(fixed) + random_raw} raw bodies each) in {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    skipped = [rpc.kind for rpc in s.all_rpcs() if rpc.streaming]
    if skipped:
        print(f"streaming RPCs not fuzzed: {', '.join(skipped)}", file=sys.stderr)
    return cases


async def run(args: argparse.Namespace) -> int:
    s = load_strategies()
    with tempfile.TemporaryDirectory(prefix="deskbridge-fuzz-") as tmp:
        workdir = Path(tmp)
        nats = EmbeddedNats(workdir / "nats", name="deskbridge-fuzz")
        await nats.start()
        sandbox = await start_sandbox(SandboxConfig(request_count=40, seed=3))
        backend = BackendConfig(
            name=BACKEND,
            vendor="invgate",
            base_url=sandbox.url,
            credentials={"username": Secret("api"), "password": Secret("sandbox-token")},
        )
        settings = replace(
            Settings(grpc_address="127.0.0.1:0", data_dir=workdir, shutdown_grace_seconds=5),
            nats_url=nats.url,
            backends=(backend,),
        )
        try:
            with s.server_tracebacks() as tracebacks, s.sandbox_errors() as sandbox_raised:
                runtime = await start_runtime(settings, ["all"])
                try:
                    # After the runtime started: tokens minted now are signed with its key.
                    cases = plan(s, args.requests, args.raw_share, args.seed, s.Requests(BACKEND))
                    async with grpc.aio.insecure_channel(
                        runtime.address, options=s.CHANNEL_OPTIONS
                    ) as channel:
                        started = time.monotonic()
                        step = max(1, len(cases) // 10)

                        def progress(index: int) -> None:
                            if index % step == 0:
                                elapsed = time.monotonic() - started
                                print(f"  … {index} sent, {elapsed:.0f} s", file=sys.stderr)

                        sender = s.Sender(channel, timeout=args.timeout)
                        outcomes = await sender.run(cases, args.concurrency, progress)
                        wall = time.monotonic() - started
                        unhealthy = await s.health_problems(channel, BACKEND)
                finally:
                    await runtime.stop()
        finally:
            await sandbox.stop()
            await nats.stop()
    report = s.Report(outcomes, tracebacks, sandbox_raised)
    print(report.render_counts())
    print()
    print(report.render_summary())
    print(
        f"\n{len(outcomes)} calls in {wall:.1f} s ({len(outcomes) / wall:.0f}/s, "
        f"concurrency {args.concurrency}, seed {args.seed})"
    )
    slowest = sorted(outcomes, key=lambda o: o.seconds)[-3:]
    for outcome in reversed(slowest):
        print(f"  slowest: {outcome.seconds:.2f} s {outcome.code.name} {outcome.case.label[:120]}")
    if unhealthy:
        print("\nUNHEALTHY after the fuzz:\n  " + "\n  ".join(unhealthy))
    if report.failures:
        print("\n" + report.render_failures(examples=args.examples, limit=args.groups))
    ok = not report.failures and not unhealthy
    print("\nfuzz: " + ("no failures" if ok else f"{len(report.failures)} failing calls"))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000, help="about how many calls")
    parser.add_argument("--seed", type=int, default=20_250_601)
    parser.add_argument("--concurrency", type=int, default=4, help="calls in flight")
    parser.add_argument("--timeout", type=float, default=10.0, help="deadline per call (s)")
    parser.add_argument("--raw-share", type=float, default=0.25, help="share of raw bodies")
    parser.add_argument("--examples", type=int, default=3, help="requests shown per group")
    parser.add_argument("--groups", type=int, default=80, help="failure groups shown")
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
