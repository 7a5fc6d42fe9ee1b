"""End-to-end fixtures: the real Deskbridge runtime over real gRPC, NATS and HTTP."""

from __future__ import annotations

import contextlib
import importlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import httpx
import pytest
from e2e_support import settings_for

from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import SANDBOX_CREDENTIALS, Runtime, start_runtime
from deskbridge.v1 import (
    approvals_pb2_grpc,
    backends_pb2_grpc,
    identity_pb2_grpc,
    knowledge_pb2_grpc,
    tickets_pb2_grpc,
)

_names = itertools.count(1)


@pytest.fixture
async def adapterless_runtime(tmp_path):
    """All services, one backend of the vendor whose API does the least (Requestor writes
    only), on an address nothing answers: for what fails before any vendor call."""
    backend = BackendConfig(
        name="helpdesk",
        vendor="requestor",
        base_url="http://127.0.0.1:9",
        credentials={"username": Secret("u"), "password": Secret("p")},
    )
    runtime = await start_runtime(settings_for(tmp_path, backend), ["all"])
    yield runtime
    await runtime.stop()


@pytest.fixture
def spans():
    """Tracing on for this test, into memory (an InMemorySpanExporter); off again after it."""
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from deskbridge.runtime import tracing

    exporter = InMemorySpanExporter()
    tracing.configure_tracing("deskbridge-test", exporter=exporter)
    yield exporter
    tracing.shutdown_tracing()


@pytest.fixture
async def channel_to(request):
    """`channel_to(runtime)` → an aio channel closed at teardown."""
    channels: list[grpc.aio.Channel] = []

    def open_channel(runtime) -> grpc.aio.Channel:
        channel = grpc.aio.insecure_channel(runtime.address)
        channels.append(channel)
        return channel

    yield open_channel
    for channel in channels:
        await channel.close()


@dataclass
class Stack:
    """One InvGate sandbox, Deskbridge (all services) on it, and a stub per service."""

    backend: str
    runtime: Runtime
    sandbox_url: str
    sandbox_app: object
    channel: grpc.aio.Channel
    control: httpx.AsyncClient

    def __post_init__(self) -> None:
        self.tickets = tickets_pb2_grpc.TicketServiceStub(self.channel)
        self.identity = identity_pb2_grpc.IdentityServiceStub(self.channel)
        self.knowledge = knowledge_pb2_grpc.KnowledgeServiceStub(self.channel)
        self.approvals = approvals_pb2_grpc.ApprovalServiceStub(self.channel)
        self.backends = backends_pb2_grpc.BackendServiceStub(self.channel)

    @property
    def parent(self) -> str:
        return f"backends/{self.backend}"

    @property
    def state(self):
        return self.sandbox_app.state.sandbox.state

    def name(self, collection: str, identifier: object) -> str:
        return f"backends/{self.backend}/{collection}/{identifier}"

    async def sandbox_log(self) -> list[dict]:
        return (await self.control.get("/_sandbox/requests")).json()

    async def set_faults(self, **faults) -> None:
        (await self.control.put("/_sandbox/faults", json=faults)).raise_for_status()


@contextlib.asynccontextmanager
async def running_backend(
    tmp_path, nats_url: str, sandbox, vendor: str, credentials: dict, options: dict | None
) -> AsyncIterator[Stack]:
    """Deskbridge (all services) on a started sandbox, as backend `<vendor><n>`; stops both."""
    backend = f"{vendor[:4]}{next(_names)}"
    config = BackendConfig(
        name=backend,
        vendor=vendor,
        base_url=sandbox.url,
        credentials={k: Secret(v) for k, v in credentials.items()},
        options=options or {},
    )
    runtime = await start_runtime(
        settings_for(tmp_path / backend, config, nats_url=nats_url), ["all"]
    )
    channel = grpc.aio.insecure_channel(runtime.address)
    control = httpx.AsyncClient(base_url=sandbox.url)
    try:
        yield Stack(backend, runtime, sandbox.url, sandbox.app, channel, control)
    finally:
        await control.aclose()
        await channel.close()
        await runtime.stop()
        await sandbox.stop()


def running_stack(tmp_path, nats_url: str, config: SandboxConfig, options: dict | None = None):
    """An InvGate sandbox and Deskbridge on it (HTTP Basic)."""

    @contextlib.asynccontextmanager
    async def started() -> AsyncIterator[Stack]:
        sandbox = await start_sandbox(config)
        credentials = {"username": "api", "password": "sandbox-token"}
        async with running_backend(
            tmp_path, nats_url, sandbox, "invgate", credentials, options
        ) as stack:
            yield stack

    return started()


def running_vendor(tmp_path, nats_url: str, vendor: str, config, options: dict | None = None):
    """The `vendor` sandbox with `config` and Deskbridge on it, with the credentials `deskbridge
    up` gives that vendor's backend (suite.SANDBOX_CREDENTIALS)."""

    @contextlib.asynccontextmanager
    async def started() -> AsyncIterator[Stack]:
        module = importlib.import_module(f"deskbridge.sandbox.{vendor}")
        sandbox = await module.start_sandbox(config)
        credentials = {k: getattr(config, k) for k in SANDBOX_CREDENTIALS[vendor]}
        async with running_backend(
            tmp_path, nats_url, sandbox, vendor, credentials, options
        ) as stack:
            yield stack

    return started()


@pytest.fixture
async def stack(tmp_path, nats_server):
    """A whole stack per test: InvGate sandbox + Deskbridge (all services) + the session NATS."""
    async with running_stack(
        tmp_path, nats_server.url, SandboxConfig(request_count=40, seed=3)
    ) as running:
        yield running


def _vendor_stacks(vendor: str):
    """A fixture: `await <vendor>_with(SandboxConfig(...), options={...})` → a Stack on that
    vendor's sandbox, as many as a test needs, all stopped at its end."""

    @pytest.fixture
    async def fixture(tmp_path, nats_server):
        async with contextlib.AsyncExitStack() as stacks:

            async def start(config, options: dict | None = None) -> Stack:
                return await stacks.enter_async_context(
                    running_vendor(tmp_path, nats_server.url, vendor, config, options)
                )

            yield start

    return fixture


motadata_with = _vendor_stacks("motadata")
crmcom_with = _vendor_stacks("crmcom")
requestor_with = _vendor_stacks("requestor")


@pytest.fixture
async def crmcom(crmcom_with):
    from deskbridge.sandbox.crmcom import SandboxConfig as CrmComConfig

    return await crmcom_with(CrmComConfig(request_count=20, seed=4))


@pytest.fixture
async def motadata(motadata_with):
    """The Motadata sandbox's defaults (40 requests) and Deskbridge on it."""
    from deskbridge.sandbox.motadata import SandboxConfig as MotadataConfig

    return await motadata_with(MotadataConfig(request_count=40, seed=4))


@pytest.fixture
async def stack_with(tmp_path, nats_server):
    """`await stack_with(SandboxConfig(...), options={...})` → a Stack on that sandbox."""
    async with contextlib.AsyncExitStack() as stacks:

        async def start(config: SandboxConfig, options: dict | None = None) -> Stack:
            return await stacks.enter_async_context(
                running_stack(tmp_path, nats_server.url, config, options)
            )

        yield start
