"""Process composition: settings → NATS → streams → backends → gRPC server, and back down.

`serve` is what a Kubernetes pod runs (external NATS from DESKBRIDGE_NATS_URL); `up` is the
one-command developer suite (embedded nats-server, the InvGate sandbox with demo data, and
every service in one process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import structlog

from deskbridge.runtime.backends import BackendRegistry, build_registry
from deskbridge.runtime.dispatch import Dependencies
from deskbridge.runtime.idempotency import IdempotencyStore
from deskbridge.runtime.logging import configure_logging
from deskbridge.runtime.server import GrpcServer, install_signal_handlers, start_grpc_server
from deskbridge.runtime.settings import BackendConfig, Secret, Settings, load_settings

log = structlog.get_logger(__name__)
IDEMPOTENCY_BUCKET = "deskbridge_idempotency"


@dataclass
class Runtime:
    """Everything one Deskbridge process started, stopped in reverse order."""

    settings: Settings
    registry: BackendRegistry
    grpc: GrpcServer
    nats: object | None = None
    publisher: object | None = None

    @property
    def address(self) -> str:
        return self.grpc.address

    async def stop(self) -> None:
        await self.grpc.stop(self.settings.shutdown_grace_seconds)
        if self.publisher is not None:
            await self.publisher.close()
        if self.nats is not None:
            from deskbridge.runtime.nats import drain_nats

            await drain_nats(self.nats)
        await self.registry.aclose()
        log.info("deskbridge_stopped")


async def start_runtime(settings: Settings, services: list[str] | tuple[str, ...]) -> Runtime:
    """Start the chosen services with their event bus; NATS is optional (no events without)."""
    registry = build_registry(settings.backends)
    nc = publisher = kv = None
    if settings.nats_url:
        from deskbridge.events.outbox import Outbox
        from deskbridge.events.publisher import EventPublisher
        from deskbridge.events.stream import StreamSettings, ensure_kv, ensure_streams
        from deskbridge.runtime.nats import connect_nats

        nc = await connect_nats(settings.nats_url, name="deskbridge")
        js = nc.jetstream()
        try:
            await ensure_streams(js, StreamSettings(replicas=settings.stream_replicas))
            kv = await ensure_kv(
                js, IDEMPOTENCY_BUCKET, settings.idempotency_ttl_seconds, settings.stream_replicas
            )
        except Exception as error:  # NATS away at start: serve anyway, events wait in the outbox
            log.warning("nats_provisioning_failed", error=str(error))
        publisher = EventPublisher(
            nc,
            Outbox(settings.effective_outbox_dir),
            streams=StreamSettings(replicas=settings.stream_replicas),
        )
        await publisher.start()
    from deskbridge.events.changes import change_sink

    deps = Dependencies(
        registry=registry,
        idempotency=IdempotencyStore(kv),
        emit=change_sink(publisher) if publisher is not None else None,
    )
    server = await start_grpc_server(settings.grpc_address, services, deps)
    return Runtime(settings, registry, server, nc, publisher)


async def serve(services: list[str]) -> int:
    """`deskbridge serve ...`: run until SIGTERM/SIGINT, then shut down gracefully."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    _start_metrics(settings)
    runtime = await start_runtime(settings, services)
    await _until_signalled()
    await runtime.stop()
    return 0


async def up(args: argparse.Namespace) -> int:
    """`deskbridge up`: embedded NATS + InvGate sandbox + every service, in the foreground."""
    from deskbridge.runtime.nats import EmbeddedNats
    from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox

    settings = load_settings()
    if args.grpc_address:
        settings = replace(settings, grpc_address=args.grpc_address)
    configure_logging(settings.log_level, settings.log_format)
    _start_metrics(settings)
    data_dir = Path(settings.data_dir)
    async with contextlib.AsyncExitStack() as stack:
        nats_url = settings.nats_url
        if nats_url is None:
            embedded = EmbeddedNats(data_dir / "nats", port=args.nats_port)
            await embedded.start()
            stack.push_async_callback(embedded.stop)
            nats_url = embedded.url
        sandbox_config = SandboxConfig(request_count=args.requests)
        sandbox = await start_sandbox(sandbox_config, host="127.0.0.1", port=args.sandbox_port)
        stack.push_async_callback(sandbox.stop)
        settings = replace(settings, nats_url=nats_url)
        if not any(b.name == "invgate" for b in settings.backends):
            settings = settings.with_backends(
                BackendConfig(
                    name="invgate",
                    vendor="invgate",
                    base_url=sandbox.url,
                    credentials={
                        "username": Secret(sandbox_config.username),
                        "password": Secret(sandbox_config.password),
                    },
                )
            )
        runtime = await start_runtime(settings, ["all"])
        stack.push_async_callback(runtime.stop)
        _print_banner(runtime.address, nats_url, sandbox.url, sandbox_config)
        await _until_signalled()
        print("\nstopping ...", file=sys.stderr)
    return 0


async def _until_signalled() -> None:
    stop = asyncio.Event()
    install_signal_handlers(stop)
    await stop.wait()


def _start_metrics(settings: Settings) -> None:
    if settings.metrics_address:
        from prometheus_client import start_http_server

        host, _, port = settings.metrics_address.rpartition(":")
        start_http_server(int(port), addr=host)


def _print_banner(grpc_address: str, nats_url: str, sandbox_url: str, sandbox_config) -> None:
    print(
        f"""
Deskbridge is up.
  gRPC (all services)  {grpc_address}
  NATS JetStream       {nats_url}   stream DESKBRIDGE_EVENTS, subjects deskbridge.>
  InvGate sandbox      {sandbox_url}  (basic auth {sandbox_config.username} / \
{sandbox_config.password}), backend "invgate"

Try:
  grpcurl -plaintext {grpc_address} list
  grpcurl -plaintext -d '{{"parent": "backends/invgate", "page_size": 3}}' \\
      {grpc_address} deskbridge.v1.TicketService/ListTickets
  .venv/bin/deskbridge events tail --nats-url {nats_url}
Ctrl-C stops everything.
""",
        flush=True,
    )
