"""Running a sandbox: in the current event loop (tests, `deskbridge up`) or as a command."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Callable

from deskbridge.runtime import eventloop
from deskbridge.runtime.asgi import RunningServer, start_asgi
from deskbridge.sandbox.common.faults import Faults


def add_fault_arguments(parser: argparse.ArgumentParser) -> None:
    """The random-fault options every sandbox command takes (`faults_from` reads them)."""
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of 5xx answers")
    parser.add_argument("--rate-limit-rate", type=float, default=0.0, help="share of 429s")
    parser.add_argument("--malformed-rate", type=float, default=0.0)


def faults_from(args: argparse.Namespace, seed: int) -> Faults:
    return Faults(
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        rate_limit_rate=args.rate_limit_rate,
        malformed_rate=args.malformed_rate,
        seed=seed,
    )


async def start_app(app, *, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve `app` in this event loop; the handle has `.url`, `.app` and `.stop()`."""
    running = await start_asgi(app, host=host, port=port)
    running.app = app
    return running


def serve_until_signalled(app, host: str, port: int, banner: Callable[[str], str]) -> int:
    """Serve `app` on (host, port) until SIGINT/SIGTERM, printing `banner(url)` once up."""

    async def serve() -> None:
        running = await start_app(app, host=host, port=port)
        print(banner(running.url), flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await running.stop()

    eventloop.run(serve())
    return 0
