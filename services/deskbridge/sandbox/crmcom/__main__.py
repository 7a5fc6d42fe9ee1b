"""`python -m deskbridge.sandbox.crmcom`."""

from __future__ import annotations

import argparse

from deskbridge.sandbox.common.runner import (
    add_fault_arguments,
    faults_from,
    serve_until_signalled,
)
from deskbridge.sandbox.crmcom import SandboxConfig, create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="deskbridge sandbox crmcom", description="CRM.COM Web API sandbox"
    )
    defaults = SandboxConfig()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8083)
    parser.add_argument("--username", default=defaults.username)
    parser.add_argument("--password", default=defaults.password)
    parser.add_argument("--organisation", default=defaults.organisation)
    parser.add_argument("--web-api-key", default=defaults.web_api_key)
    parser.add_argument("--requests", type=int, default=defaults.request_count)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--token-idle", type=float, default=defaults.token_idle_seconds)
    parser.add_argument(
        "--token-absolute",
        type=float,
        default=defaults.token_absolute_seconds,
        help="seconds after issue a token expires; 0 for never (before R12)",
    )
    parser.add_argument("--jwt-tokens", action="store_true", help="R12+ JWT tokens")
    parser.add_argument("--error-http-status", type=int, default=defaults.error_http_status)
    parser.add_argument("--error-code", default=defaults.error_code)
    parser.add_argument("--time-zone", default=defaults.time_zone)
    add_fault_arguments(parser)
    args = parser.parse_args(argv)
    config = SandboxConfig(
        seed=args.seed,
        request_count=args.requests,
        username=args.username,
        password=args.password,
        organisation=args.organisation,
        web_api_key=args.web_api_key,
        token_idle_seconds=args.token_idle,
        token_absolute_seconds=args.token_absolute or None,
        jwt_tokens=args.jwt_tokens,
        error_http_status=args.error_http_status,
        error_code=args.error_code,
        time_zone=args.time_zone,
        faults=faults_from(args, args.seed),
    )
    return serve_until_signalled(create_app(config), args.host, args.port, _banner(config))


def _banner(config: SandboxConfig):
    return lambda url: (
        f"CRM.COM sandbox on {url}/crmapi/rest/v2/; token: POST {url}/crmapi/rest/v2/"
        f"authentication/token {{username {config.username}, password {config.password}, "
        f"organisation {config.organisation}}}, or POST authentication/web_api_key/token "
        f"with HTTP Basic '{config.web_api_key}:' (empty password); control API {url}/_sandbox/"
    )


if __name__ == "__main__":
    raise SystemExit(main())
