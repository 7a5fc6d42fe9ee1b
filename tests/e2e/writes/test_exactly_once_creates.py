"""Every create exactly once, whatever the vendor does after the request left (issue #14):
the sandbox plays fail-before-write, write-then-fail and write-then-hang; clients retry with
their request_id until they get an answer, as AIP-155 tells them to."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from types import SimpleNamespace

import grpc
import nats
import pytest
from e2e_events import stored_events
from e2e_support import creatable_ticket, free_port, invgate_backend, settings_for

from deskbridge.events.claimcheck import PAYLOAD_HEADER, payload_of
from deskbridge.events.payloads import decode_payload
from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.v1 import identity_pb2 as i
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

RETRYABLE = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
}


def new_ticket(stack, title: str, request_id: str) -> t.CreateTicketRequest:
    return t.CreateTicketRequest(
        parent=stack.parent,
        request_id=request_id,
        ticket=creatable_ticket(stack.name, title),
    )


async def create_until_answered(stack, request, deadline: float = 5.0) -> tuple[t.Ticket, int]:
    """The ticket, and how many attempts it took."""
    for attempt in range(1, 60):
        try:
            response = await stack.tickets.CreateTicket(request, timeout=deadline)
            return response.ticket, attempt
        except grpc.aio.AioRpcError as error:
            assert error.code() in RETRYABLE, (error.code(), error.details())
            await asyncio.sleep(0.05)
    raise AssertionError(f"{request.request_id} never created")


async def create_all(stack, count: int, prefix: str, in_flight: int, deadline: float):
    gate = asyncio.Semaphore(in_flight)

    async def one(n: int):
        async with gate:
            return await create_until_answered(
                stack, new_ticket(stack, f"{prefix} {n}", f"{prefix}-{n}"), deadline
            )

    return await asyncio.gather(*(one(n) for n in range(count)))


def tickets_titled(stack, prefix: str) -> Counter:
    return Counter(
        r["title"] for r in stack.state.requests.values() if r["title"].startswith(prefix + " ")
    )


async def test_a_failed_read_back_after_the_write_is_answered_by_the_retry_without_a_second_post(
    stack,
):
    await stack.control.delete("/_sandbox/requests")
    # the POST succeeds; every GET incident of the read-back then fails (three attempts)
    await stack.set_faults(fail_next=[{"key": "incident", "method": "GET", "count": 3}])
    request = new_ticket(stack, "Read back later", "read-back-1")
    ticket, attempts = await create_until_answered(stack, request)
    assert attempts == 2 and ticket.title == "Read back later"
    posts = [
        e for e in await stack.sandbox_log() if (e["key"], e["method"]) == ("incident", "POST")
    ]
    assert len(posts) == 1
    assert tickets_titled(stack, "Read back") == {"Read back later": 1}


async def test_creates_under_5xx_and_429_before_and_after_the_write_are_made_once_each(stack):
    # 30 % 5xx (half of those on writes after the vendor applied them) and 10 % 429
    await stack.set_faults(
        error_rate=0.3, rate_limit_rate=0.1, retry_after_seconds=0, error_after_write_share=0.5
    )
    count = 600
    results = await create_all(stack, count, "Storm", in_flight=24, deadline=5.0)
    await stack.set_faults()
    made = tickets_titled(stack, "Storm")
    assert len(made) == count and set(made.values()) == {1}, made.most_common(3)
    assert len({ticket.name for ticket, _ in results}) == count
    retried = sum(1 for _, attempts in results if attempts > 1)
    events = [
        e
        for e in await stored_events(stack.runtime.settings.nats_url, stack.backend)
        if e.headers["ce-type"] == "deskbridge.v1.ticket.created"
    ]
    assert len(events) == count and len({e.headers["ce-id"] for e in events}) == count
    print(f"\n{count} creates, {retried} retried: {len(made)} tickets, {len(events)} events")


async def test_creates_that_hang_after_the_write_past_the_deadline_are_made_once_each(stack):
    await stack.set_faults(write_hang_rate=0.3, write_hang_ms=1500)
    count = 300
    results = await create_all(stack, count, "Hung", in_flight=30, deadline=1.0)
    await stack.set_faults()
    made = tickets_titled(stack, "Hung")
    assert len(made) == count and set(made.values()) == {1}, made.most_common(3)
    timed_out = sum(1 for _, attempts in results if attempts > 1)
    assert timed_out > 0  # the fault did strike
    events = [
        e
        for e in await stored_events(stack.runtime.settings.nats_url, stack.backend)
        if e.headers["ce-type"] == "deskbridge.v1.ticket.created"
    ]
    assert len(events) == count
    print(
        f"\n{count} creates, {timed_out} timed out first: {len(made)} tickets, {len(events)} events"
    )


async def test_a_2_mb_ticket_and_a_2_mb_comment_are_written_once_with_their_events(stack):
    await stack.control.delete("/_sandbox/requests")
    big = "<p>" + "log line 0123456789 " * 100_000 + "</p>"  # about 2 MB
    request = new_ticket(stack, "Huge description", "huge-1")
    request.ticket.description = big
    ticket, _ = await create_until_answered(stack, request, deadline=30)
    again, _ = await create_until_answered(stack, request, deadline=30)  # a retry reads it back
    assert again.name == ticket.name and len(again.description) == len(big)
    comment = t.CreateCommentRequest(
        parent=ticket.name,
        request_id="huge-comment-1",
        comment=t.Comment(body=big, author=stack.name("users", 3)),
    )
    made = (await stack.tickets.CreateComment(comment, timeout=30)).comment
    assert len(made.body) == len(big)
    writes = Counter(
        (e["key"], e["method"]) for e in await stack.sandbox_log() if e["method"] == "POST"
    )
    assert writes == {("incident", "POST"): 1, ("incident.comment", "POST"): 1}
    nc = await nats.connect(stack.runtime.settings.nats_url)
    try:
        js = nc.jetstream()
        events = await stored_events(stack.runtime.settings.nats_url, stack.backend)
        mine = {e.headers["ce-subject"]: e for e in events}
        assert {ticket.name, made.name} <= set(mine)
        for name in (ticket.name, made.name):
            event = mine[name]
            assert event.headers[PAYLOAD_HEADER]  # claim-checked: the stub is on the stream
            data = await payload_of(js, event.headers, event.data)
            decoded = decode_payload(event.headers["ce-type"], data)
            body = decoded.ticket.description if name == ticket.name else decoded.comment.body
            assert body == big
    finally:
        await nc.close()
    failed = stack.runtime.settings.effective_outbox_dir / "failed"
    assert not failed.exists() or not any(failed.iterdir())


async def test_creates_across_a_nats_restart_then_all_resent_are_made_once_each(tmp_path):
    port = free_port()
    server = EmbeddedNats(tmp_path / "nats", port=port)
    await server.start()
    sandbox = await start_sandbox(SandboxConfig(request_count=40, seed=3))
    config = invgate_backend("restart", sandbox.url)
    runtime = await start_runtime(settings_for(tmp_path, config, nats_url=server.url), ["tickets"])
    channel = grpc.aio.insecure_channel(runtime.address)
    stack = SimpleNamespace(
        parent="backends/restart",
        name=lambda collection, identifier: f"backends/restart/{collection}/{identifier}",
        tickets=tickets_pb2_grpc.TicketServiceStub(channel),
        state=sandbox.app.state.sandbox.state,
    )
    count, gate, done = 1200, asyncio.Semaphore(24), []
    quarter, half = asyncio.Event(), asyncio.Event()

    async def once(n: int) -> None:
        async with gate:
            request = new_ticket(stack, f"Restart {n}", f"restart-{n}")
            with contextlib.suppress(grpc.aio.AioRpcError):
                await stack.tickets.CreateTicket(request, timeout=10)
            done.append(n)
            if len(done) >= count // 4:
                quarter.set()
            if len(done) >= count // 2:
                half.set()

    async def restart_nats() -> None:
        await quarter.wait()
        await server.stop()  # a quarter of the creates made, the next quarter without NATS
        await half.wait()
        await server.start()

    try:
        await asyncio.gather(restart_nats(), *(once(n) for n in range(count)))
        codes: Counter = Counter()

        async def resend(n: int) -> None:
            async with gate:
                request = new_ticket(stack, f"Restart {n}", f"restart-{n}")
                for _ in range(100):
                    try:
                        await stack.tickets.CreateTicket(request, timeout=10)
                        codes["OK"] += 1
                        return
                    except grpc.aio.AioRpcError as error:
                        codes[error.code().name] += 1
                        await asyncio.sleep(0.1)

        await asyncio.gather(*(resend(n) for n in range(count)))
        made = tickets_titled(stack, "Restart")
        print(f"\n{count} creates across a NATS restart, all re-sent: {len(made)} tickets, {codes}")
        assert codes["OK"] == count and not codes["ABORTED"], codes
        assert len(made) == count and set(made.values()) == {1}, made.most_common(3)
    finally:
        await channel.close()
        await runtime.stop()
        await sandbox.stop()
        await server.stop()


async def test_a_group_whose_read_back_failed_is_returned_by_the_retry_without_a_second_post(
    stack,
):
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(fail_next=[{"key": "groups", "method": "GET", "count": 3}])
    request = i.CreateGroupRequest(
        parent=stack.parent, request_id="group-read-back", group=i.Group(display_name="Night")
    )
    with pytest.raises(grpc.aio.AioRpcError) as first:
        await stack.identity.CreateGroup(request, timeout=10)
    assert first.value.code() == grpc.StatusCode.UNAVAILABLE
    group = (await stack.identity.CreateGroup(request, timeout=10)).group
    assert group.display_name == "Night"
    log = await stack.sandbox_log()
    assert [e["method"] for e in log if e["key"] == "groups"].count("POST") == 1
