"""One async gRPC server bootstrap that hosts any subset of the Deskbridge services.

Every server carries `grpc.health.v1` (overall and per service) and, unless turned off,
server reflection; TLS (mTLS) and the call guard (authentication, scopes) come from the
settings (`security_of`), and `refuse_insecure` keeps `serve` off open non-loopback ports.
Shutdown: health NOT_SERVING → stop accepting, finish in-flight RPCs within the grace
period → drain NATS and the event outbox → close vendor clients.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field

import grpc
import structlog
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection, reflection_pb2_grpc

from deskbridge.runtime.auth import Authenticator, CallGuard, load_policy
from deskbridge.runtime.contracts import SERVICES, full_service_name
from deskbridge.runtime.dispatch import Dependencies
from deskbridge.runtime.eventloop import loop_name
from deskbridge.runtime.interceptors import ServerInterceptor
from deskbridge.runtime.limits import CallerLimits
from deskbridge.runtime.settings import ConfigError, Settings
from deskbridge.runtime.tls import TlsFiles, server_credentials

log = structlog.get_logger(__name__)

# service key → module with `register(server, deps)`.
SERVICE_MODULES = {
    "tickets": "deskbridge.tickets.servicer",
    "identity": "deskbridge.identity.servicer",
    "knowledge": "deskbridge.knowledge.servicer",
    "approvals": "deskbridge.approvals.servicer",
    "backends": "deskbridge.backends.servicer",
    "changes": "deskbridge.changes.servicer",
}
ALL_SERVICES = tuple(SERVICE_MODULES)
SERVER_OPTIONS = (
    ("grpc.so_reuseport", 0),
    ("grpc.max_receive_message_length", 32 * 1024 * 1024),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
)


class GenericHandlersOnly:
    """A server as generated `add_*Servicer_to_server` functions see it: it takes their generic
    handler, which serves every method, and not their per-method registration.

    grpc.aio (1.85) keeps a pending request for each registered method and, on every RPC,
    `asyncio.wait`s on all of them: CPU per call that grows with the number of methods served
    (56 with `serve tickets backends`, 139 with `serve all`; ~45 µs per GetTicket with the first,
    benchmarks/README.md).
    """

    def __init__(self, server: grpc.aio.Server) -> None:
        self._server = server

    def add_generic_rpc_handlers(self, handlers) -> None:
        self._server.add_generic_rpc_handlers(handlers)

    def add_registered_method_handlers(self, service_name: str, handlers) -> None:
        """Left out on purpose: the generic handler added with them serves these methods."""


@dataclass(frozen=True)
class ServerSecurity:
    """TLS, the call guard and whether reflection is served (from `security_of(settings)`)."""

    tls: TlsFiles | None = None
    guard: CallGuard | None = None
    reflection: bool = True
    limits: CallerLimits | None = None
    # Kubelet gRPC probes speak plaintext only: with TLS on, health is also served here alone.
    health_address: str | None = None


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def security_of(settings: Settings) -> ServerSecurity:
    """The server's security from its settings; `ConfigError` naming what is incomplete."""
    tls = None
    if settings.tls_cert_file or settings.tls_key_file:
        if not (settings.tls_cert_file and settings.tls_key_file):
            raise ConfigError("DESKBRIDGE_TLS_CERT_FILE and DESKBRIDGE_TLS_KEY_FILE go together")
        tls = TlsFiles(settings.tls_cert_file, settings.tls_key_file, settings.tls_client_ca_file)
    elif settings.tls_client_ca_file:
        raise ConfigError(
            "DESKBRIDGE_TLS_CLIENT_CA_FILE needs DESKBRIDGE_TLS_CERT_FILE and _KEY_FILE"
        )
    authenticator = (
        Authenticator(load_policy(settings.auth_policy_file))
        if settings.auth_policy_file is not None
        else None
    )
    guard = CallGuard(authenticator, health_open=settings.health_open)
    limits = CallerLimits(settings.caller_rate, settings.caller_burst, settings.caller_in_flight)
    return ServerSecurity(
        tls,
        guard if authenticator else None,
        settings.reflection_enabled,
        limits if limits.active else None,
        settings.health_address,
    )


def refuse_insecure(settings: Settings) -> None:
    """`serve` and `watch` on a non-loopback address need TLS and authentication, unless
    DESKBRIDGE_INSECURE says otherwise."""
    host = settings.grpc_address.rpartition(":")[0]
    if host in LOOPBACK or settings.insecure:
        return
    missing = [
        name
        for name, present in (
            ("DESKBRIDGE_TLS_CERT_FILE/_KEY_FILE", settings.tls_cert_file is not None),
            ("DESKBRIDGE_AUTH_POLICY_FILE", settings.auth_policy_file is not None),
        )
        if not present
    ]
    if missing:
        raise ConfigError(
            f"refusing to serve {settings.grpc_address} without {' and '.join(missing)}: "
            "anyone who can reach it could read and change helpdesk data. Configure them, "
            "or set DESKBRIDGE_INSECURE=true to serve it open anyway"
        )


def resolve_services(names: Iterable[str]) -> tuple[str, ...]:
    """`["all"]` or service keys → the service keys, validated."""
    chosen: list[str] = []
    for name in names:
        if name == "all":
            chosen.extend(ALL_SERVICES)
        elif name in SERVICE_MODULES:
            chosen.append(name)
        else:
            raise ValueError(
                f"unknown service {name!r}; choose from all, {', '.join(ALL_SERVICES)}"
            )
    return tuple(dict.fromkeys(chosen))


@dataclass
class GrpcServer:
    """A started server: its address, health, and how to stop it gracefully."""

    server: grpc.aio.Server
    health: HealthServicer
    address: str
    services: tuple[str, ...]
    probe: grpc.aio.Server | None = None  # the plaintext health-only port, when configured
    probe_address: str | None = None
    stopping: list = field(default_factory=list)  # Dependencies.stopping
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)

    async def stop(self, grace: float) -> None:
        """NOT_SERVING first, so balancers move away; then let in-flight RPCs finish."""
        if self._stopped.is_set():
            return
        await self.health.enter_graceful_shutdown()
        log.info("grpc_server_stopping", grace_seconds=grace)
        for hook in self.stopping:
            await hook()
        await self.server.stop(grace)
        if self.probe is not None:
            await self.probe.stop(0)
        self._stopped.set()
        log.info("grpc_server_stopped")

    async def wait_stopped(self) -> None:
        await self._stopped.wait()


async def start_grpc_server(
    address: str,
    services: Iterable[str],
    deps: Dependencies,
    security: ServerSecurity | None = None,
) -> GrpcServer:
    """Bind `address` (port 0 picks a free port) and serve the chosen services."""
    security = security or ServerSecurity()
    keys = resolve_services(services)
    server = grpc.aio.server(
        interceptors=[ServerInterceptor(security.guard, security.limits)], options=SERVER_OPTIONS
    )
    handlers = GenericHandlersOnly(server)
    for key in keys:
        importlib.import_module(SERVICE_MODULES[key]).register(handlers, deps)
    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, handlers)
    names = [full_service_name(key) for key in keys if key in SERVICES]
    if security.reflection:
        reflected = [
            *names,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ]
        reflection_pb2_grpc.add_ServerReflectionServicer_to_server(
            reflection.aio.ReflectionServicer(reflected), handlers
        )
    if security.tls is not None:
        port = server.add_secure_port(address, server_credentials(security.tls))
    else:
        port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot bind gRPC address {address}")
    host = address.rpartition(":")[0]
    await server.start()
    for name in ["", *names]:
        await health.set(name, health_pb2.HealthCheckResponse.SERVING)
    bound = f"{host}:{port}"
    log.info(
        "grpc_server_started",
        address=bound,
        services=names,
        tls="mtls" if security.tls and security.tls.client_ca else bool(security.tls),
        authentication=security.guard is not None,
        reflection=security.reflection,
        event_loop=loop_name(),
    )
    probe = probe_address = None
    if security.health_address:
        probe = grpc.aio.server(options=SERVER_OPTIONS)
        health_pb2_grpc.add_HealthServicer_to_server(health, GenericHandlersOnly(probe))
        probe_port = probe.add_insecure_port(security.health_address)
        if probe_port == 0:
            raise OSError(f"cannot bind the health address {security.health_address}")
        await probe.start()
        probe_address = f"{security.health_address.rpartition(':')[0]}:{probe_port}"
        log.info("grpc_health_port_started", address=probe_address)
    return GrpcServer(server, health, bound, keys, probe, probe_address, deps.stopping)


def install_signal_handlers(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT set `stop` (the caller runs the graceful shutdown)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
