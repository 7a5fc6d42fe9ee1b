"""A watched Requestor stack: the sandbox, Deskbridge with the watcher and its webhook intake."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import grpc
import httpx
from e2e_events import stored_events
from e2e_support import settings_for
from watch_support import LEASE, next_backend

from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.sandbox.requestor import SandboxConfig, start_sandbox
from deskbridge.suite import Runtime, start_runtime
from deskbridge.v1 import backends_pb2_grpc, identity_pb2_grpc, tickets_pb2_grpc

ELEVEN = 11


def requestor_backend(name: str, sandbox, **options: Any) -> BackendConfig:
    config = sandbox.app.state.sandbox.config
    return BackendConfig(
        name=name,
        vendor="requestor",
        base_url=sandbox.url,
        credentials={"username": Secret(config.username), "password": Secret(config.password)},
        options=options,
    )


async def start_deskbridge(
    tmp_path, nats_url: str, backend: BackendConfig, *, holder: str | None = None, **settings
) -> Runtime:
    """All services, the watcher and the intake (on a free port) for `backend`."""
    configured = replace(
        settings_for(
            tmp_path / f"{backend.name}-{time.monotonic_ns()}", backend, nats_url=nats_url
        ),
        webhook_address="127.0.0.1:0",
        watch_lease_seconds=LEASE,
        **settings,
    )
    return await start_runtime(configured, ["all"], watch=True, holder=holder)


@dataclass
class RequestorStack:
    backend: str
    sandbox: Any
    nats_url: str
    control: httpx.AsyncClient  # the sandbox's control and operator API
    runtime: Runtime | None = None
    channel: grpc.aio.Channel | None = None

    def connect(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.channel = grpc.aio.insecure_channel(runtime.address)
        self.tickets = tickets_pb2_grpc.TicketServiceStub(self.channel)
        self.identity = identity_pb2_grpc.IdentityServiceStub(self.channel)
        self.backends = backends_pb2_grpc.BackendServiceStub(self.channel)

    async def disconnect(self) -> None:
        if self.channel is not None:
            await self.channel.close()
        self.channel = None

    @property
    def state(self):
        return self.sandbox.app.state.sandbox.state

    @property
    def parent(self) -> str:
        return f"backends/{self.backend}"

    def name(self, collection: str, identifier: object) -> str:
        return f"backends/{self.backend}/{collection}/{identifier}"

    async def subscriptions(self) -> list[dict]:
        return (await self.control.get("/_sandbox/subscriptions")).json()

    async def until_subscribed(self, count: int = ELEVEN, timeout: float = 10) -> list[dict]:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while True:
            found = await self.subscriptions()
            if len(found) == count:
                return found
            assert time.monotonic() < deadline, f"{len(found)} subscriptions, not {count}"
            await asyncio.sleep(0.05)

    async def operator(self, method: str, path: str, body: dict | None = None) -> dict:
        response = await self.control.request(method, f"/_sandbox/operator/{path}", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    async def deliveries(self) -> list[dict]:
        return (await self.control.get("/_sandbox/deliveries")).json()

    async def events(self, settle: float = 0.2) -> list:
        return await stored_events(self.nats_url, self.backend, settle=settle)

    async def wait_for(self, predicate, timeout: float = 10) -> list:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while True:
            events = await self.events(settle=0.1)
            if predicate(events):
                return events
            assert time.monotonic() < deadline, [
                (e.headers["ce-type"], e.headers["ce-subject"]) for e in events
            ]
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def requestor_watched(
    tmp_path, nats_url: str, config: SandboxConfig | None = None, *, start: bool = True, **options
) -> AsyncIterator[RequestorStack]:
    """The sandbox and (unless `start` is False) Deskbridge watching it, subscribed."""
    sandbox = await start_sandbox(config or SandboxConfig())
    control = httpx.AsyncClient(base_url=sandbox.url)
    stack = RequestorStack(next_backend(), sandbox, nats_url, control)
    try:
        if start:
            backend = requestor_backend(stack.backend, sandbox, **options)
            stack.connect(await start_deskbridge(tmp_path, nats_url, backend))
            await stack.until_subscribed()
        yield stack
    finally:
        await stack.disconnect()
        if stack.runtime is not None:
            await stack.runtime.stop()
        await control.aclose()
        await sandbox.stop()
