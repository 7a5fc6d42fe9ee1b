"""A whole stack per test: InvGate sandbox + Deskbridge (all services) + the session NATS."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import grpc
import httpx
import pytest
from e2e_support import settings_for

from deskbridge.runtime.app import Runtime, start_runtime
from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.v1 import tickets_pb2_grpc

_names = itertools.count(1)


@dataclass
class Stack:
    backend: str
    runtime: Runtime
    sandbox_url: str
    sandbox_app: object
    channel: grpc.aio.Channel
    tickets: tickets_pb2_grpc.TicketServiceStub
    control: httpx.AsyncClient

    @property
    def state(self):
        return self.sandbox_app.state.sandbox.state

    def name(self, collection: str, identifier: object) -> str:
        return f"backends/{self.backend}/{collection}/{identifier}"

    async def sandbox_log(self) -> list[dict]:
        return (await self.control.get("/_sandbox/requests")).json()

    async def set_faults(self, **faults) -> None:
        (await self.control.put("/_sandbox/faults", json=faults)).raise_for_status()


@pytest.fixture
async def stack(tmp_path, nats_server):
    sandbox = await start_sandbox(SandboxConfig(request_count=40, seed=3))
    backend = f"inv{next(_names)}"
    config = BackendConfig(
        name=backend,
        vendor="invgate",
        base_url=sandbox.url,
        credentials={"username": Secret("api"), "password": Secret("sandbox-token")},
    )
    runtime = await start_runtime(settings_for(tmp_path, config, nats_url=nats_server.url), ["all"])
    channel = grpc.aio.insecure_channel(runtime.address)
    control = httpx.AsyncClient(base_url=sandbox.url)
    yield Stack(
        backend,
        runtime,
        sandbox.url,
        sandbox.app,
        channel,
        tickets_pb2_grpc.TicketServiceStub(channel),
        control,
    )
    await control.aclose()
    await channel.close()
    await runtime.stop()
    await sandbox.stop()
