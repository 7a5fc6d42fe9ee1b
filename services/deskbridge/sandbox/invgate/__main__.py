"""`deskbridge sandbox invgate` / `python -m deskbridge.sandbox.invgate`."""

from __future__ import annotations

import argparse

from deskbridge.sandbox.common.runner import (
    add_fault_arguments,
    faults_from,
    serve_until_signalled,
)
from deskbridge.sandbox.invgate import SandboxConfig, create_app


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
    add_fault_arguments(parser)
    args = parser.parse_args(argv)
    config = SandboxConfig(
        username=args.username,
        password=args.password,
        seed=args.seed,
        request_count=args.requests,
        faults=faults_from(args, args.seed),
    )
    return serve_until_signalled(
        create_app(config),
        args.host,
        args.port,
        lambda url: (
            f"InvGate sandbox on {url}/api/v1/ (basic auth {config.username} / "
            f"{config.password}); control API {url}/_sandbox/"
        ),
    )


if __name__ == "__main__":
    raise SystemExit(main())
