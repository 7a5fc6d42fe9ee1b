"""`python -m deskbridge.sandbox.motadata` (and `deskbridge sandbox motadata`)."""

from __future__ import annotations

import argparse

from deskbridge.sandbox.common.runner import (
    add_fault_arguments,
    faults_from,
    serve_until_signalled,
)
from deskbridge.sandbox.motadata import SandboxConfig, create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="deskbridge sandbox motadata", description="Motadata ServiceOps REST API sandbox"
    )
    defaults = SandboxConfig()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082)
    parser.add_argument("--client-id", default=defaults.client_id)
    parser.add_argument("--client-secret", default=defaults.client_secret)
    parser.add_argument("--username", default=defaults.username)
    parser.add_argument("--password", default=defaults.password)
    parser.add_argument("--api-key", default=defaults.api_key)
    parser.add_argument("--requests", type=int, default=defaults.request_count)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--token-ttl", type=float, default=defaults.token_ttl_seconds)
    parser.add_argument("--error-style", choices=["spring", "flat"], default="spring")
    parser.add_argument("--time-zone", default=defaults.time_zone)
    add_fault_arguments(parser)
    args = parser.parse_args(argv)
    config = SandboxConfig(
        seed=args.seed,
        request_count=args.requests,
        client_id=args.client_id,
        client_secret=args.client_secret,
        username=args.username,
        password=args.password,
        api_key=args.api_key,
        token_ttl_seconds=args.token_ttl,
        error_style=args.error_style,
        time_zone=args.time_zone,
        faults=faults_from(args, args.seed),
    )
    return serve_until_signalled(create_app(config), args.host, args.port, _banner(config))


def _banner(config: SandboxConfig):
    return lambda url: (
        f"Motadata ServiceOps sandbox on {url}/api/v1/; token: POST {url}/api/oauth/token "
        f"(client {config.client_id} / {config.client_secret}, user {config.username} / "
        f"{config.password}); or 'Authorization: Apikey {config.api_key}'; "
        f"control API {url}/_sandbox/"
    )


if __name__ == "__main__":
    raise SystemExit(main())
