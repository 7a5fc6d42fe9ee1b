"""kill -9 in the middle of things: a service between the vendor write and the publish, the
active watcher mid-run, and a restart from the persisted watermark. Real processes, real
nats-server, the sandbox over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time

import grpc
from driven import match
from e2e_events import stored_events
from e2e_support import creatable_ticket
from processes import spawn, until_holder, write_config
from watch_support import LEASE, POLL, SECRET, decoded, next_backend, of, open_watched

from deskbridge.events.envelope import change_id
from deskbridge.events.revisions import state_digest
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.sandbox.invgate.driver import drive
from deskbridge.v1 import events_pb2, tickets_pb2_grpc
from deskbridge.v1 import tickets_pb2 as t

CREATED = "deskbridge.v1.ticket.created"


def new_ticket(watched, request_id: str) -> t.CreateTicketRequest:
    return t.CreateTicketRequest(
        parent=f"backends/{watched.backend}",
        request_id=request_id,
        ticket=creatable_ticket(watched.name, f"Written, then the process died ({request_id})"),
    )


async def served(tmp_path, watched, **env: str):
    """`deskbridge serve tickets` on the watched sandbox, as its own process, and a channel."""
    config = write_config(
        tmp_path / "serve.toml", watched.backend, watched.sandbox.url, POLL, SECRET
    )
    service = await spawn(tmp_path, config, watched.nats_url, ["serve", "tickets"], **env)
    channel = grpc.aio.insecure_channel(service.address)
    await asyncio.wait_for(channel.channel_ready(), 30)
    return service, channel


async def test_a_change_whose_service_died_before_publishing_reaches_the_stream_once(
    tmp_path, nats_server
):
    async with open_watched(tmp_path, nats_server.url, SandboxConfig(request_count=30)) as watched:
        service, channel = await served(
            tmp_path, watched, DESKBRIDGE_TEST_PUBLISH_DELAY_SECONDS="60"
        )
        before = set(watched.state.requests)
        try:
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            call = asyncio.ensure_future(
                stub.CreateTicket(new_ticket(watched, "killed-1"), timeout=90)
            )
            while not set(watched.state.requests) - before:  # noqa: ASYNC110 - the vendor's
                await asyncio.sleep(0.01)  # state has no event to wait on
            service.kill()
            with contextlib.suppress(grpc.aio.AioRpcError):
                await call
        finally:
            await channel.close()
            await service.reap()
        (identifier,) = set(watched.state.requests) - before
        name = watched.name("tickets", identifier)
        await watched.wait_for(lambda es: of(es, CREATED, name))
        await asyncio.sleep(4 * POLL)
        mine = await watched.events_for(name)
        assert len(mine) == 1, [m.headers for m in mine]
        assert decoded(mine[0]).origin == events_pb2.CHANGE_ORIGIN_POLL
        # the ce-id the API path would have given: first state of the ticket, as Deskbridge reads it
        ticket = (await watched.tickets.GetTicket(t.GetTicketRequest(name=name))).ticket
        revision = f"1.{state_digest(ticket)}"
        assert mine[0].headers["ce-revision"] == revision
        assert mine[0].headers["ce-id"] == change_id(watched.backend, name, revision)


async def test_an_api_change_the_watcher_published_first_is_not_published_twice(
    tmp_path, nats_server
):
    async with open_watched(tmp_path, nats_server.url, SandboxConfig(request_count=30)) as watched:
        service, channel = await served(
            tmp_path, watched, DESKBRIDGE_TEST_PUBLISH_DELAY_SECONDS=str(6 * POLL)
        )
        try:
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            created = (await stub.CreateTicket(new_ticket(watched, "slow-1"), timeout=30)).ticket
        finally:
            await channel.close()
            await service.reap()
        await asyncio.sleep(2 * POLL)
        mine = await watched.events_for(created.name)
        assert [decoded(m).origin for m in mine] == [events_pb2.CHANGE_ORIGIN_POLL]
        assert mine[0].headers["ce-revision"] == f"1.{state_digest(created)}"


async def test_the_standby_takes_over_a_killed_watcher_and_a_restart_resumes(tmp_path, nats_server):
    interval = 0.5
    sandbox = await start_sandbox(SandboxConfig(request_count=30, seed=5))
    backend = next_backend()
    config = write_config(tmp_path / "watch.toml", backend, sandbox.url, interval, SECRET)
    lease = {"DESKBRIDGE_WATCH_LEASE_SECONDS": str(LEASE)}
    watchers = []

    async def start_watcher():
        watchers.append(await spawn(tmp_path, config, nats_server.url, ["watch"], **lease))
        return watchers[-1]

    try:
        first, second = await start_watcher(), await start_watcher()
        holders = {first.holder: first, second.holder: second}
        active = holders[await until_holder(nats_server.url, backend, set(holders), 30)]
        await asyncio.sleep(4 * interval)  # the first cycles learn what is there
        # A poller sees states: two changes to one object while nobody watches (the takeover,
        # the restart) would fold into one event of the final state, so the driver spaces
        # changes per object by more than that window.
        gap = LEASE + 4 * interval
        made: list[object] = []
        killed_at: list[float] = []

        def kill_midway(change) -> None:
            made.append(change)
            if len(made) == 40:
                active.kill()  # mid-run: changes keep arriving
                killed_at.append(time.monotonic())

        async def taken_over() -> float:
            standby = (set(holders) - {active.holder}).pop()
            await until_holder(nats_server.url, backend, {standby}, 60)
            return time.monotonic()

        takeover = asyncio.ensure_future(taken_over())
        changes = await drive(
            sandbox.url, 80, seed=3, min_gap_seconds=gap, pause_seconds=0.05, on_change=kill_midway
        )
        took = await takeover - killed_at[0]
        standby = (set(holders) - {active.holder}).pop()
        await asyncio.sleep(gap)
        holders[standby].kill()  # now nobody watches
        changes += await drive(sandbox.url, 20, seed=5, min_gap_seconds=gap, pause_seconds=0.05)
        restarted = await start_watcher()  # resumes from the watermark in KV
        await until_holder(nats_server.url, backend, {restarted.holder}, LEASE + 5)
        await asyncio.sleep(6 * interval)
        events = await stored_events(nats_server.url, backend, settle=0.3)
        outcome = match(backend, changes, events, decoded, events_pb2.CHANGE_ORIGIN_POLL)
        print(f"\ntakeover after kill -9: {took:.2f} s (lease {LEASE} s); {outcome.report()}")
        assert not outcome.problems, "\n".join(outcome.problems[:20])
        assert took <= LEASE + 1.0
        ids = [e.headers["ce-id"] for e in events]
        assert len(ids) == len(set(ids))
    finally:
        for watcher in watchers:
            await watcher.reap()
        await sandbox.stop()


async def test_sigterm_with_a_short_grace_under_a_slow_vendor_loses_no_change(
    tmp_path, nats_server
):
    async with open_watched(tmp_path, nats_server.url, SandboxConfig(request_count=30)) as watched:
        service, channel = await served(tmp_path, watched, DESKBRIDGE_SHUTDOWN_GRACE_SECONDS="1")
        before = set(watched.state.requests)
        try:
            await watched.control.put("/_sandbox/faults", json={"latency_ms": 1500})
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            calls = [
                asyncio.ensure_future(
                    stub.CreateTicket(new_ticket(watched, f"sigterm-{n}"), timeout=30)
                )
                for n in range(20)
            ]
            await asyncio.sleep(1.0)  # every create is at the vendor, none answered yet
            service.process.send_signal(signal.SIGTERM)
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
            assert await asyncio.wait_for(service.process.wait(), 30) == 0
        finally:
            await channel.close()
            await service.reap()
        await watched.control.put("/_sandbox/faults", json={})
        made = sorted(set(watched.state.requests) - before)
        answered = sum(1 for o in outcomes if not isinstance(o, BaseException))
        assert made, "the vendor wrote nothing: the test did not exercise the window"
        names = {watched.name("tickets", i) for i in made}

        def all_created(events) -> bool:
            return names <= {e.headers["ce-subject"] for e in of(events, CREATED)}

        events = await watched.wait_for(all_created, timeout=15)
        await asyncio.sleep(4 * POLL)
        events = await watched.events()
        created = [e for e in of(events, CREATED) if e.headers["ce-subject"] in names]
        print(
            f"\nSIGTERM, 1 s grace, 1.5 s vendor: {len(made)} written, {answered} answered, "
            f"{len(created)} created events"
        )
        assert sorted(e.headers["ce-subject"] for e in created) == sorted(names)
