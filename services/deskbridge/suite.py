"""Process composition: settings → NATS → streams → backends → gRPC server and watcher, and back.

`serve` is what a service pod runs and `watch` what the watcher pod runs (external NATS from
DESKBRIDGE_NATS_URL); `up` is the one-command developer suite: embedded nats-server, the
InvGate sandbox with demo data wired to the webhook intake, every service and the watcher in
one process. This is the one module that sees every layer.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import gc
import importlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import structlog

from deskbridge.events.changes import change_sink
from deskbridge.events.outbox import Outbox
from deskbridge.events.publisher import EventPublisher
from deskbridge.events.revisions import (
    KV_TIMEOUT,
    RESOURCES_BUCKET,
    SNAPSHOT_TTL_SECONDS,
    RevisionStore,
)
from deskbridge.events.stream import StreamSettings, bounded_kv, ensure_kv, ensure_streams
from deskbridge.events.views import VIEWS_BUCKET, EventView
from deskbridge.runtime.asgi import RunningServer, start_asgi
from deskbridge.runtime.backends import Backend, BackendRegistry, build_registry
from deskbridge.runtime.dispatch import Dependencies
from deskbridge.runtime.idempotency import IdempotencyStore
from deskbridge.runtime.logging import configure_logging
from deskbridge.runtime.nats import connect_nats, drain_nats
from deskbridge.runtime.paging import use_page_token_key
from deskbridge.runtime.server import (
    GrpcServer,
    install_signal_handlers,
    refuse_insecure,
    security_of,
    start_grpc_server,
)
from deskbridge.runtime.settings import BackendConfig, Secret, Settings, load_settings
from deskbridge.runtime.tracing import configure_tracing, shutdown_tracing
from deskbridge.watcher.inbox import ensure_inbox
from deskbridge.watcher.intake import create_intake_app
from deskbridge.watcher.service import Watcher
from deskbridge.watcher.state import WATCHER_BUCKET
from deskbridge.watcher.status import sync_status

log = structlog.get_logger(__name__)
IDEMPOTENCY_BUCKET = "deskbridge_idempotency"
UP_WEBHOOK_SECRET = "sandbox-webhook-secret"
# The credentials `up` gives each further sandbox's backend (attributes of its SandboxConfig).
SANDBOX_CREDENTIALS = {
    "motadata": ("client_id", "client_secret", "username", "password"),
    "crmcom": ("username", "password", "organisation"),
    "requestor": ("username", "password"),
}


@dataclass
class Runtime:
    """Everything one Deskbridge process started, stopped in reverse order."""

    settings: Settings
    registry: BackendRegistry
    grpc: GrpcServer
    nats: Any = None
    publisher: EventPublisher | None = None
    watcher: Watcher | None = None
    intake: RunningServer | None = None
    revisions: RevisionStore = field(default_factory=lambda: RevisionStore(None))
    view: EventView | None = None

    @property
    def address(self) -> str:
        return self.grpc.address

    async def stop(self) -> None:
        if self.intake is not None:
            await self.intake.stop()
        if self.watcher is not None:
            await self.watcher.stop()
        await self.grpc.stop(self.settings.shutdown_grace_seconds)
        if self.publisher is not None:  # drains the outbox, waiting up to the grace for NATS
            await self.publisher.close(self.settings.shutdown_grace_seconds)
        if self.view is not None:
            await self.view.stop()
        if self.nats is not None:
            await drain_nats(self.nats)
        await self.registry.aclose()
        log.info("deskbridge_stopped")


async def start_runtime(
    settings: Settings,
    services: Sequence[str],
    *,
    watch: bool | Sequence[str] = False,
    holder: str | None = None,
) -> Runtime:
    """Start the chosen services (and the watcher, when `watch`) with their event bus.

    NATS is optional for services (no events without it); the watcher needs it.
    """
    registry = build_registry(settings.backends)
    if settings.page_token_key is not None:
        use_page_token_key(settings.page_token_key.reveal().encode())
    else:
        log.info("page_token_key_per_process", setting="DESKBRIDGE_PAGE_TOKEN_KEY_FILE")
    nc = publisher = kv = view = None
    resources_kv = watcher_kv = None
    viewed = [b.name for b in registry.all() if b.view is not None]
    if settings.nats_url:
        nc = await connect_nats(
            settings.nats_url, name="deskbridge", **settings.nats.connect_options()
        )
        js = nc.jetstream()
        replicas = settings.stream_replicas
        try:
            await ensure_streams(js, StreamSettings(replicas=replicas))
            kv = await ensure_kv(js, IDEMPOTENCY_BUCKET, settings.idempotency_ttl_seconds, replicas)
            await ensure_kv(js, RESOURCES_BUCKET, SNAPSHOT_TTL_SECONDS, replicas, direct=True)
            resources_kv = await bounded_kv(nc, RESOURCES_BUCKET, KV_TIMEOUT)
            watcher_kv = await ensure_kv(js, WATCHER_BUCKET, 0, replicas)
            await ensure_inbox(js, replicas)
            if viewed:
                view = EventView(
                    await ensure_kv(js, VIEWS_BUCKET, 0, replicas, direct=True), viewed
                )
        except Exception as error:  # NATS away at start: serve anyway, events wait in the outbox
            log.warning("nats_provisioning_failed", error=str(error))
        if view is not None:
            await view.start()
            for backend in registry.all():
                if backend.view is not None:
                    backend.view.reader = view
        publisher = EventPublisher(
            nc,
            Outbox(settings.effective_outbox_dir),
            streams=StreamSettings(replicas=replicas),
            on_published=view.record if view is not None else None,
        )
        await publisher.start()
    elif watch:
        raise ValueError("the watcher needs NATS: set DESKBRIDGE_NATS_URL")
    revisions = RevisionStore(resources_kv)
    configs = {b.name: b for b in settings.backends}

    async def status_of(backend: Backend):
        return await sync_status(watcher_kv, backend, configs.get(backend.name))

    deps = Dependencies(
        registry=registry,
        idempotency=IdempotencyStore(kv),
        emit=change_sink(publisher, revisions, delay=settings.test_publish_delay_seconds)
        if publisher is not None
        else None,
        sync_status=status_of,
        nats=nc,
        watch_buffer=settings.watch_buffer,
        watch_stall_seconds=settings.watch_stall_seconds,
    )
    server = await start_grpc_server(settings.grpc_address, services, deps, security_of(settings))
    runtime = Runtime(settings, registry, server, nc, publisher, revisions=revisions, view=view)
    if watch:
        if watcher_kv is None:
            await runtime.stop()
            raise ConnectionError("the watcher needs NATS KV, which could not be provisioned")
        chosen = None if watch is True else list(watch)
        runtime.watcher = Watcher(
            registry,
            settings,
            kv=watcher_kv,
            publisher=publisher,
            revisions=revisions,
            backends=chosen,
            holder=holder,
            js=nc.jetstream(),
        )
        if settings.webhook_address:
            host, _, port = settings.webhook_address.rpartition(":")
            app = create_intake_app(runtime.watcher.watchers)
            runtime.intake = await start_asgi(app, host=host, port=int(port))
            log.info("webhook_intake_started", url=runtime.intake.url)
            runtime.watcher.use_callback_base(settings.webhook_public_url or runtime.intake.url)
        await runtime.watcher.start()
    return runtime


async def serve(services: list[str]) -> int:
    """`deskbridge serve ...`: run until SIGTERM/SIGINT, then shut down gracefully."""
    return await _run_until_signalled(lambda settings: start_runtime(settings, services))


async def watch(backends: list[str]) -> int:
    """`deskbridge watch [BACKEND...]`: the watcher (and the webhook intake, if configured),
    with gRPC health and BackendService (sync status) on DESKBRIDGE_GRPC_ADDRESS, or on a
    free port when that is not set, so a watcher never fights `serve` for 50051."""
    return await _run_until_signalled(
        lambda settings: start_runtime(settings, ["backends"], watch=backends or True),
        default_address="127.0.0.1:0",
    )


async def _run_until_signalled(start, default_address: str | None = None) -> int:
    settings = load_settings()
    if default_address and "DESKBRIDGE_GRPC_ADDRESS" not in os.environ:
        settings = replace(settings, grpc_address=default_address)
    configure_logging(settings.log_level, settings.log_format)
    refuse_insecure(settings)
    warn_incomplete(settings)
    _start_metrics(settings)
    configure_tracing()
    runtime = await start(settings)
    freeze_startup_heap()
    await _until_signalled()
    await runtime.stop()
    shutdown_tracing()
    return 0


def freeze_startup_heap() -> None:
    """Leave what start-up built (modules, descriptors, stubs: ~65,000 objects) out of the
    garbage collector's scans from now on (`gc.freeze`). Measured on `serve tickets
    backends` under GetTicket load: the collector spent ~25 µs per call, most of it in two
    full collections of 85 ms each that walked the start-up objects, which also stall every
    call in flight for that long."""
    gc.collect()
    gc.freeze()


def warn_incomplete(settings: Settings) -> None:
    """Say at start what a configuration leaves out, naming the setting, instead of running
    silently without it."""
    if not settings.backends:
        log.warning(
            "no_backends_configured",
            setting="DESKBRIDGE_CONFIG",
            effect="every backend-routed RPC answers NOT_FOUND",
        )
    if not settings.nats_url:
        log.warning(
            "events_off",
            setting="DESKBRIDGE_NATS_URL",
            effect="no change events or ChangeService.Watch; request_id is remembered per process",
        )


async def up(args: argparse.Namespace) -> int:
    """`deskbridge up`: embedded NATS + InvGate sandbox + every service + the watcher."""
    from deskbridge.runtime.nats import EmbeddedNats
    from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox

    settings = load_settings()
    if args.grpc_address:
        settings = replace(settings, grpc_address=args.grpc_address)
    if settings.webhook_address is None:
        settings = replace(settings, webhook_address=f"127.0.0.1:{args.webhook_port}")
    configure_logging(settings.log_level, settings.log_format)
    _start_metrics(settings)
    if configure_tracing():
        atexit.register(shutdown_tracing)
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
                        "webhook_secret": Secret(UP_WEBHOOK_SECRET),
                    },
                    options={"watch": {"interval_seconds": args.poll_seconds}},
                )
            )
        others = []
        for vendor, port in (
            ("motadata", args.motadata_port),
            ("crmcom", args.crmcom_port),
            ("requestor", args.requestor_port),
        ):
            module = importlib.import_module(f"deskbridge.sandbox.{vendor}")
            config = module.SandboxConfig()
            running = await module.start_sandbox(config, host="127.0.0.1", port=port)
            stack.push_async_callback(running.stop)
            others.append((vendor, running.url, config))
            if not any(b.name == vendor for b in settings.backends):
                settings = settings.with_backends(
                    BackendConfig(
                        name=vendor,
                        vendor=vendor,
                        base_url=running.url,
                        credentials={
                            k: Secret(getattr(config, k)) for k in SANDBOX_CREDENTIALS[vendor]
                        },
                        options={"watch": {"interval_seconds": args.poll_seconds}},
                    )
                )
        runtime = await start_runtime(settings, ["all"], watch=True)
        freeze_startup_heap()
        stack.push_async_callback(runtime.stop)
        if runtime.intake is not None:
            await _automate_sandbox(sandbox.url, f"{runtime.intake.url}/webhooks/invgate")
        _print_banner(runtime, nats_url, sandbox.url, sandbox_config)
        for vendor, url, config in others:
            given = ", ".join(f"{k} {getattr(config, k)}" for k in SANDBOX_CREDENTIALS[vendor])
            print(f'  {vendor} sandbox  {url}  ({given}), backend "{vendor}"', flush=True)
        # `deskbridge tickets ...` and `events tail` find this suite through it (cli/discovery)
        from deskbridge.cli.discovery import remove_up_record, write_up_record

        found_at = write_up_record(
            data_dir, runtime.address, nats_url, tls=runtime.settings.tls_cert_file is not None
        )
        stack.callback(remove_up_record, found_at)
        print(f"  Found by the deskbridge command through {found_at}", flush=True)
        await _until_signalled()
        log.info("deskbridge_stopping")
    return 0


async def _automate_sandbox(sandbox_url: str, callback: str) -> None:
    """The InvGate "Call web service" rule an admin would set up, pointed at the intake."""
    rule = {
        "id": "deskbridge",
        "url": callback,
        "on": ["created", "updated"],
        "headers": {"X-Deskbridge-Secret": UP_WEBHOOK_SECRET},
        "body": {"request_id": "{id}"},
    }
    async with httpx.AsyncClient(base_url=sandbox_url) as client:
        (await client.put("/_sandbox/automation", json={"rules": [rule]})).raise_for_status()


async def _until_signalled() -> None:
    stop = asyncio.Event()
    install_signal_handlers(stop)
    await stop.wait()


def _start_metrics(settings: Settings) -> None:
    if settings.metrics_address:
        from prometheus_client import start_http_server

        host, _, port = settings.metrics_address.rpartition(":")
        start_http_server(int(port), addr=host)


def _access(settings: Settings) -> str:
    if settings.auth_policy_file is None:
        return "open: no TLS, no authentication — loopback only; `serve` refuses this elsewhere"
    return "TLS and authentication" if settings.tls_cert_file else "authentication, no TLS"


def _print_banner(runtime: Runtime, nats_url: str, sandbox_url: str, sandbox_config) -> None:
    grpc_address = runtime.address
    intake = f"{runtime.intake.url}/webhooks/invgate" if runtime.intake else "off"
    print(
        f"""
Deskbridge is up.
  gRPC (all services)  {grpc_address}  ({_access(runtime.settings)})
  NATS JetStream       {nats_url}   stream DESKBRIDGE_EVENTS, subjects deskbridge.>
  InvGate sandbox      {sandbox_url}  (basic auth {sandbox_config.username} / \
{sandbox_config.password}), backend "invgate"
  Watcher              polling backend "invgate"; webhook intake {intake}

Try:
  grpcurl -plaintext {grpc_address} list
  grpcurl -plaintext -d '{{"parent": "backends/invgate", "page_size": 3}}' \\
      {grpc_address} deskbridge.v1.TicketService/ListTickets
  .venv/bin/deskbridge events tail --nats-url {nats_url}
  curl -u {sandbox_config.username}:{sandbox_config.password} \\
      -X POST {sandbox_url}/api/v1/incident -d creator_id=100 -d customer_id=100 \\
      -d category_id=1 -d priority_id=2 -d type_id=1 \\
      -d title='Made in InvGate'      # a vendor-side change: it reaches the stream too
Ctrl-C stops everything.
""",
        flush=True,
    )
