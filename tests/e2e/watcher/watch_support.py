"""Helpers of the watcher tests: a watched stack and reading what it published."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import grpc
import httpx
from e2e_events import decoded, stored_events
from e2e_support import settings_for

from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import Runtime, start_runtime
from deskbridge.v1 import backends_pb2, backends_pb2_grpc, identity_pb2_grpc, tickets_pb2_grpc

POLL = 0.5
LEASE = 2.0
SECRET = "webhook-test-secret"
_names = itertools.count(1)


def next_backend() -> str:
    return f"watch{next(_names)}"


@dataclass
class Watched:
    backend: str
    runtime: Runtime
    sandbox: object
    nats_url: str
    channel: grpc.aio.Channel
    vendor: httpx.AsyncClient  # the InvGate API itself, as agents and automations use it
    control: httpx.AsyncClient  # the sandbox control API

    def __post_init__(self) -> None:
        self.tickets = tickets_pb2_grpc.TicketServiceStub(self.channel)
        self.identity = identity_pb2_grpc.IdentityServiceStub(self.channel)
        self.backends = backends_pb2_grpc.BackendServiceStub(self.channel)

    @property
    def state(self):
        return self.sandbox.app.state.sandbox.state

    def name(self, collection: str, identifier: object) -> str:
        return f"backends/{self.backend}/{collection}/{identifier}"

    async def call(self, method: str, key: str, **params) -> object:
        """A call straight to the InvGate API; its answer must be OK."""
        response = await self.vendor.request(
            method, key, **({"params": params} if method in ("GET", "DELETE") else {"data": params})
        )
        response.raise_for_status()
        body = response.json()
        assert not (isinstance(body, dict) and body.get("status") == "ERROR"), body
        return body

    async def events(self, settle: float = 0.3) -> list:
        return await stored_events(self.nats_url, self.backend, settle=settle)

    async def events_for(self, resource_name: str, settle: float = 0.3) -> list:
        return [e for e in await self.events(settle) if e.headers["ce-subject"] == resource_name]

    async def wait_for(self, predicate, timeout: float = 6 * POLL + 2) -> list:  # noqa: ASYNC109
        """Poll the stream until `predicate(events)` holds; the events then."""
        deadline = time.monotonic() + timeout
        while True:
            events = await self.events(settle=0.1)
            if predicate(events):
                return events
            if time.monotonic() > deadline:
                raise AssertionError(f"not on the stream within {timeout}s: {summary(events)}")
            await asyncio.sleep(0.1)

    async def sync_status(self) -> backends_pb2.SyncStatus:
        request = backends_pb2.GetSyncStatusRequest(name=f"backends/{self.backend}/syncStatus")
        return (await self.backends.GetSyncStatus(request)).sync_status

    async def until_watched(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until every kind has completed a poll (the first scans are silent baselines)."""
        deadline = time.monotonic() + timeout
        while True:
            status = await self.sync_status()
            if status.kinds and all(k.HasField("last_poll_time") for k in status.kinds):
                return
            assert time.monotonic() < deadline, f"kinds never polled: {status}"
            await asyncio.sleep(0.1)


def summary(events) -> list[tuple[str, str, str]]:
    return [(e.headers["ce-type"], e.headers["ce-subject"], e.headers["ce-id"][:8]) for e in events]


def of(events, ce_type: str, subject: str | None = None) -> list:
    return [
        e
        for e in events
        if e.headers["ce-type"] == ce_type
        and (subject is None or e.headers["ce-subject"] == subject)
    ]


def duplicates(events) -> dict:
    counts = Counter(e.headers["ce-id"] for e in events)
    return {k: v for k, v in counts.items() if v > 1}


def backend_config(name: str, sandbox_url: str, **watch) -> BackendConfig:
    return BackendConfig(
        name=name,
        vendor="invgate",
        base_url=sandbox_url,
        credentials={
            "username": Secret("api"),
            "password": Secret("sandbox-token"),
            "webhook_secret": Secret(SECRET),
        },
        options={"watch": {"interval_seconds": POLL, "overlap_seconds": 2, **watch}},
    )


async def start_watched(
    tmp_path, nats_url: str, sandbox, backend: str, *, watch: dict | None = None, **kwargs
) -> Runtime:
    config = backend_config(backend, sandbox.url, **(watch or {}))
    settings = replace(
        settings_for(tmp_path, config, nats_url=nats_url),
        webhook_address="127.0.0.1:0",
        watch_lease_seconds=LEASE,
    )
    return await start_runtime(settings, ["all"], watch=True, **kwargs)


@contextlib.asynccontextmanager
async def open_watched(
    tmp_path, nats_url: str, sandbox_config: SandboxConfig, **watch
) -> AsyncIterator[Watched]:
    """A sandbox and a watched Deskbridge over it (watch options override the test defaults)."""
    sandbox = await start_sandbox(sandbox_config)
    backend = next_backend()
    runtime = await start_watched(tmp_path, nats_url, sandbox, backend, watch=watch)
    channel = grpc.aio.insecure_channel(runtime.address)
    vendor = httpx.AsyncClient(base_url=sandbox.url + "/api/v1/", auth=("api", "sandbox-token"))
    control = httpx.AsyncClient(base_url=sandbox.url)
    stack = Watched(backend, runtime, sandbox, nats_url, channel, vendor, control)
    try:
        await stack.until_watched()
        yield stack
    finally:
        await control.aclose()
        await vendor.aclose()
        await channel.close()
        await runtime.stop()
        await sandbox.stop()


__all__ = ["decoded", "stored_events"]


async def until_baseline(channel: grpc.aio.Channel, backend: str, timeout: float = 10) -> None:  # noqa: ASYNC109
    """Until every kind of `backend` has completed a poll (its silent baseline)."""
    stub = backends_pb2_grpc.BackendServiceStub(channel)
    request = backends_pb2.GetSyncStatusRequest(name=f"backends/{backend}/syncStatus")
    deadline = time.monotonic() + timeout
    while True:
        status = (await stub.GetSyncStatus(request)).sync_status
        if status.kinds and all(k.HasField("last_poll_time") for k in status.kinds):
            return
        assert time.monotonic() < deadline, f"kinds never polled: {status}"
        await asyncio.sleep(0.1)


async def until_published(nats_url: str, backend: str, predicate, timeout: float = 6 * POLL + 2):  # noqa: ASYNC109
    """Read the stream until `predicate(events)` holds: (the events, when it held)."""
    deadline = time.monotonic() + timeout
    while True:
        events = await stored_events(nats_url, backend, settle=0.05)
        if predicate(events):
            return events, time.monotonic()
        assert time.monotonic() < deadline, summary(events)
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def watching(
    tmp_path, nats_url: str, sandbox, vendor: str, credentials: dict, **watch
) -> AsyncIterator[str]:
    """Deskbridge with the watcher on a started `vendor` sandbox, its baseline done: the
    backend's name. Stops Deskbridge (not the sandbox) at the end."""
    backend = next_backend()
    config = BackendConfig(
        name=backend,
        vendor=vendor,
        base_url=sandbox.url,
        credentials={k: Secret(v) for k, v in credentials.items()},
        options={"watch": {"interval_seconds": POLL, "overlap_seconds": 2, **watch}},
    )
    settings = replace(settings_for(tmp_path, config, nats_url=nats_url), watch_lease_seconds=LEASE)
    runtime = await start_runtime(settings, ["all"], watch=True)
    try:
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            await until_baseline(channel, backend)
        yield backend
    finally:
        await runtime.stop()
