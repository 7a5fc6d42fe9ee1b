"""`deskbridge sandbox invgate` / `python -m deskbridge.sandbox.invgate`."""

from __future__ import annotations

import argparse
import asyncio
import signal

from deskbridge.sandbox.invgate import Faults, SandboxConfig, start_sandbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="deskbridge sandbox invgate", description="InvGate Service Management API v1 sandbox"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--username", default="api")
    parser.add_argument("--password", default="sandbox-token")
    parser.add_argument("--requests", type=int, default=300, help="seeded demo requests")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of 5xx answers")
    parser.add_argument("--rate-limit-rate", type=float, default=0.0, help="share of 429s")
    parser.add_argument("--malformed-rate", type=float, default=0.0)
    args = parser.parse_args(argv)
    config = SandboxConfig(
        username=args.username,
        password=args.password,
        seed=args.seed,
        request_count=args.requests,
        faults=Faults(
            latency_ms=args.latency_ms,
            error_rate=args.error_rate,
            rate_limit_rate=args.rate_limit_rate,
            malformed_rate=args.malformed_rate,
            seed=args.seed,
        ),
    )
    asyncio.run(_serve(config, args.host, args.port))
    return 0


async def _serve(config: SandboxConfig, host: str, port: int) -> None:
    running = await start_sandbox(config, host=host, port=port)
    print(
        f"InvGate sandbox on {running.url}/api/v1/ (basic auth {config.username} / "
        f"{config.password}); control API {running.url}/_sandbox/",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await running.stop()


if __name__ == "__main__":
    raise SystemExit(main())
