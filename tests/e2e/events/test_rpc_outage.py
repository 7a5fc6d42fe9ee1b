"""NATS away during CreateTicket: the RPC succeeds, the event arrives exactly once later —
also when the Deskbridge process restarts while the outbox still holds it."""

from __future__ import annotations

import asyncio
import time

from e2e_events import decoded, stored_events
from e2e_support import settings_for

from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

BACKEND = "outage"


def create_request() -> t.CreateTicketRequest:
    return t.CreateTicketRequest(
        parent=f"backends/{BACKEND}",
        ticket=t.Ticket(
            title="Created while NATS was down",
            requester=f"backends/{BACKEND}/users/101",
            creator=f"backends/{BACKEND}/users/101",
            category=f"backends/{BACKEND}/ticketCategories/1",
            priority=t.TICKET_PRIORITY_MEDIUM,
            type=t.TICKET_TYPE_INCIDENT,
        ),
    )


async def _create(runtime) -> t.Ticket:
    import grpc

    async with grpc.aio.insecure_channel(runtime.address) as channel:
        stub = tickets_pb2_grpc.TicketServiceStub(channel)
        started = time.monotonic()
        ticket = (await stub.CreateTicket(create_request(), timeout=10)).ticket
        assert time.monotonic() - started < 5  # NATS being away does not stall the RPC
        return ticket


async def _eventually_one(nats_url: str, name: str) -> None:
    for _ in range(40):
        messages = await stored_events(nats_url, BACKEND, settle=0.3)
        if messages:
            break
        await asyncio.sleep(0.25)
    assert [decoded(m).ticket.name for m in messages] == [name]


async def test_event_survives_nats_outage_and_process_restart(tmp_path):
    sandbox = await start_sandbox(SandboxConfig(request_count=5))
    nats_server = EmbeddedNats(tmp_path / "nats")
    await nats_server.start()
    backend = BackendConfig(
        name=BACKEND,
        vendor="invgate",
        base_url=sandbox.url,
        credentials={"username": Secret("api"), "password": Secret("sandbox-token")},
    )
    settings = settings_for(tmp_path, backend, nats_url=nats_server.url)
    try:
        # 1. NATS stops, a ticket is created, NATS returns: exactly one event.
        runtime = await start_runtime(settings, ["tickets"])
        await nats_server.stop()
        first = await _create(runtime)
        await nats_server.start()
        await _eventually_one(nats_server.url, first.name)

        # 2. NATS stops, a ticket is created, Deskbridge restarts, then NATS returns.
        await nats_server.stop()
        second = await _create(runtime)
        await runtime.stop()
        assert any((tmp_path / "outbox").glob("*.event")), "the event waits on disk"
        runtime = await start_runtime(settings, ["tickets"])
        await nats_server.start()
        for _ in range(40):
            names = [
                decoded(m).ticket.name
                for m in await stored_events(nats_server.url, BACKEND, settle=0.3)
            ]
            if len(names) >= 2:
                break
            await asyncio.sleep(0.25)
        assert names == [first.name, second.name]
        await runtime.stop()
    finally:
        await nats_server.stop()
        await sandbox.stop()
