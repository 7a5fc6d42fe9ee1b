"""Reaching Deskbridge's gRPC API from a terminal: where (flag, environment, or the running
`deskbridge up`), over TLS or not, with which bearer token. Every gRPC command (`tickets`,
`watch KIND`, ...) builds its channel here, so they all take the same options.

Precedence of the address: `--address`, then `DESKBRIDGE_ADDRESS`, then the discovery file of
a running `deskbridge up` (`<DESKBRIDGE_DATA_DIR>/up.json`), then 127.0.0.1:50051. TLS is on
with `--tls`, a CA (`--tls-ca-file` / `DESKBRIDGE_TLS_CA_FILE`; without one the system's
roots) or a client certificate for mTLS (`--tls-cert-file` + `--tls-key-file`). The token
(`--token-file`, `DESKBRIDGE_TOKEN_FILE` or `DESKBRIDGE_TOKEN`) travels as call credentials
(`authorization: Bearer ...`) on every call of the channel.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import shtab

from deskbridge.cli.discovery import find_up

ADDRESS_ENV = "DESKBRIDGE_ADDRESS"
DEFAULT_ADDRESS = "127.0.0.1:50051"


def add_connection_arguments(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """--address and the TLS and token options. `suppress`: leave unset options out of the
    namespace (for options repeated on nested subcommands; see `connection_defaults`)."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("connection")
    group.add_argument(
        "--address",
        metavar="HOST:PORT",
        default=default(None),
        help=f"Deskbridge's gRPC address ({ADDRESS_ENV}, else the running `deskbridge up`, "
        f"else {DEFAULT_ADDRESS})",
    )
    group.add_argument(
        "--tls", action="store_true", default=default(False), help="speak TLS (system roots)"
    )
    for option, help_text in (
        ("--tls-ca-file", "speak TLS, trusting this CA (DESKBRIDGE_TLS_CA_FILE)"),
        ("--tls-cert-file", "client certificate for mTLS (DESKBRIDGE_CLIENT_CERT_FILE)"),
        ("--tls-key-file", "its private key (DESKBRIDGE_CLIENT_KEY_FILE)"),
        (
            "--token-file",
            "bearer token for authentication (DESKBRIDGE_TOKEN_FILE, or the token itself "
            "in DESKBRIDGE_TOKEN)",
        ),
    ):
        action = group.add_argument(
            option, type=Path, metavar="FILE", default=default(None), help=help_text
        )
        action.complete = shtab.FILE  # type: ignore[attr-defined]


def connection_defaults() -> dict[str, Any]:
    """The values `add_connection_arguments` gives options that were not used."""
    return {
        "address": None,
        "tls": False,
        "tls_ca_file": None,
        "tls_cert_file": None,
        "tls_key_file": None,
        "token_file": None,
    }


@dataclass(frozen=True)
class Target:
    """Where and how to connect; `source` says where the address came from (for messages)."""

    address: str
    source: str
    tls: bool = False
    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None
    token: str | None = field(default=None, repr=False)


def target_of(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Target:
    """The target the options and the environment describe."""
    env = os.environ if env is None else env
    address, source, up_tls = _address(args, env)
    ca = args.tls_ca_file or _path(env.get("DESKBRIDGE_TLS_CA_FILE"))
    cert = args.tls_cert_file or _path(env.get("DESKBRIDGE_CLIENT_CERT_FILE"))
    key = args.tls_key_file or _path(env.get("DESKBRIDGE_CLIENT_KEY_FILE"))
    if (cert is None) != (key is None):
        raise ValueError("mTLS needs both --tls-cert-file and --tls-key-file")
    return Target(
        address=address,
        source=source,
        tls=bool(args.tls or ca or cert or up_tls),
        ca=ca,
        cert=cert,
        key=key,
        token=_token(args, env),
    )


def _address(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[str, str, bool]:
    if args.address:
        return args.address, "--address", False
    if env.get(ADDRESS_ENV):
        return env[ADDRESS_ENV], ADDRESS_ENV, False
    running = find_up(env)
    if running is not None:
        return running.grpc_address, f"the running `deskbridge up` ({running.path})", running.tls
    return DEFAULT_ADDRESS, "the default", False


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _token(args: argparse.Namespace, env: Mapping[str, str]) -> str | None:
    path = args.token_file or _path(env.get("DESKBRIDGE_TOKEN_FILE"))
    if path is not None:
        try:
            token = path.read_text().strip()
        except OSError as error:
            raise ValueError(f"cannot read the token file {path}: {error.strerror}") from None
        if not token:
            raise ValueError(f"the token file {path} is empty")
        return token
    return env.get("DESKBRIDGE_TOKEN") or None


def open_channel(target: Target) -> grpc.aio.Channel:
    """An aio channel to `target`, its token attached to every call.

    Over TLS the token is call credentials composed with the channel's; gRPC sends call
    credentials over TLS only, so on a plaintext channel (loopback, or a deployment that chose
    DESKBRIDGE_INSECURE) an interceptor adds the same `authorization` header.
    """
    if target.tls:
        from deskbridge.runtime.tls import channel_credentials

        credentials = channel_credentials(target.ca, target.cert, target.key)
        if target.token:
            credentials = grpc.composite_channel_credentials(
                credentials, grpc.access_token_call_credentials(target.token)
            )
        return grpc.aio.secure_channel(target.address, credentials)
    interceptors = _bearer(target.token) if target.token else None
    return grpc.aio.insecure_channel(target.address, interceptors=interceptors)


def _bearer(token: str) -> list[grpc.aio.ClientInterceptor]:
    """Interceptors adding `authorization: Bearer <token>` to every unary and streaming call
    (grpc.aio files an interceptor under one kind only, so one per kind)."""
    header = ("authorization", f"Bearer {token}")

    def with_token(details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        return details._replace(metadata=grpc.aio.Metadata(*(details.metadata or ()), header))

    class Unary(grpc.aio.UnaryUnaryClientInterceptor):
        async def intercept_unary_unary(
            self,
            continuation: Callable[..., Any],
            details: grpc.aio.ClientCallDetails,
            request: Any,
        ) -> Any:
            return await continuation(with_token(details), request)

    class Streaming(grpc.aio.UnaryStreamClientInterceptor):
        async def intercept_unary_stream(
            self,
            continuation: Callable[..., Any],
            details: grpc.aio.ClientCallDetails,
            request: Any,
        ) -> Any:
            return await continuation(with_token(details), request)

    return [Unary(), Streaming()]
