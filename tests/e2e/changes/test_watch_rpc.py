"""ChangeService.Watch over real gRPC, NATS and the InvGate sandbox."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace

import grpc
import nats
import pytest
from e2e_support import invgate_backend, rpc_error, settings_for
from e2e_watch import publish_ticket_events, titles, watching
from google.protobuf import field_mask_pb2
from google.protobuf.duration_pb2 import Duration

from deskbridge.events.feed import Position, decode_token, encode_token, stream_state
from deskbridge.events.stream import ensure_streams
from deskbridge.runtime.errors import details_of
from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.v1 import changes_pb2, changes_pb2_grpc, events_pb2
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc as t_grpc

HELPDESK = BackendConfig(
    name="helpdesk",
    vendor="requestor",
    base_url="http://127.0.0.1:9",
    credentials={"username": Secret("u"), "password": Secret("p")},
)


async def all_ticket_names(stack) -> list[str]:
    names, token = [], ""
    while True:
        page = await stack.tickets.ListTickets(
            t.ListTicketsRequest(parent=stack.parent, page_size=50, page_token=token)
        )
        names += [ticket.name for ticket in page.tickets]
        token = page.next_page_token
        if not token:
            return names


async def rename(stack, name: str, title: str) -> None:
    await stack.tickets.UpdateTicket(
        t.UpdateTicketRequest(
            ticket=t.Ticket(name=name, title=title),
            update_mask=field_mask_pb2.FieldMask(paths=["title"]),
        )
    )


async def test_initial_state_then_live_changes_once_in_order(stack):
    expected = await all_ticket_names(stack)
    async with watching(
        stack.channel, parent=stack.parent, resource_kinds=["ticket"], send_initial_state=True
    ) as watch:
        await watch.until(lambda w: any(m.HasField("initial_state_end") for m in w.messages))
        initial = watch.initial
        assert sorted(m.change.subject for m in initial) == sorted(expected)
        assert all(not m.resume_token for m in initial)
        end = next(m for m in watch.messages if m.HasField("initial_state_end"))
        assert end.initial_state_end.resource_count == len(expected)
        assert end.resume_token
        renamed = expected[:5]
        for round_ in range(2):
            for name in renamed:
                await rename(stack, name, f"Round {round_} {name}")
        live = await watch.until(lambda w: len(w.live) >= 10)
        live = watch.live
        assert [(m.change.subject, m.change.ticket.ticket.title) for m in live] == [
            (name, f"Round {r} {name}") for r in range(2) for name in renamed
        ]
        assert Counter(m.change.id for m in live).most_common(1)[0][1] == 1
        sequences = [m.change.stream_sequence for m in live]
        assert sequences == sorted(sequences)
        assert all(m.change.type == "deskbridge.v1.ticket.updated" for m in live)


async def test_a_disconnected_client_resumes_with_its_last_token_nothing_lost_or_repeated(stack):
    total = 1000
    async with watching(stack.channel, parent=stack.parent, resource_kinds=["ticket"]) as first:
        writer = asyncio.ensure_future(
            publish_ticket_events(stack.runtime.settings.nats_url, stack.backend, total)
        )
        await first.until(lambda w: len(w.live) >= 300, timeout=30)
    seen = titles(first.live)
    assert 300 <= len(seen) < total or writer.done()
    async with watching(
        stack.channel, parent=stack.parent, resume_token=first.last_token
    ) as second:
        await writer
        await second.until(lambda w: len(seen) + len(w.live) >= total, timeout=30)
        await asyncio.sleep(0.3)  # anything extra would arrive now
        seen += titles(second.live)
    assert seen == [f"change {i}" for i in range(total)]


async def test_resume_across_a_deskbridge_restart(tmp_path, nats_server):
    sandbox = await start_sandbox(SandboxConfig(request_count=20, seed=8))
    config = invgate_backend("restarted", sandbox.url)
    settings = settings_for(tmp_path, config, nats_url=nats_server.url)
    first = await start_runtime(settings, ["all"])
    try:
        channel = grpc.aio.insecure_channel(first.address)
        stub = t_grpc.TicketServiceStub(channel)
        listed = await stub.ListTickets(t.ListTicketsRequest(parent="backends/restarted"))
        names = [ticket.name for ticket in listed.tickets]
        async with watching(channel, parent="backends/restarted", resource_kinds=["ticket"]) as w:
            for n in (1, 2):
                await rename_via(stub, names[n], f"before {n}")
            await w.until(lambda w: len(w.live) == 2)
            await first.stop()  # what SIGTERM runs: the watch ends, with a token to resume
            error = await w.ended()
        await channel.close()
        assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
        info = details_of(error)["ErrorInfo"]
        assert info.reason == "SERVER_SHUTTING_DOWN"
        assert info.metadata["resume_token"] == w.last_token
        second = await start_runtime(settings, ["all"])
        try:
            async with grpc.aio.insecure_channel(second.address) as channel:
                stub = t_grpc.TicketServiceStub(channel)
                for n in (3, 4, 5):
                    await rename_via(stub, names[n], f"after {n}")
                async with watching(
                    channel, parent="backends/restarted", resume_token=info.metadata["resume_token"]
                ) as resumed:
                    await resumed.until(lambda r: len(r.live) >= 3)
                    await asyncio.sleep(0.3)
                    assert titles(resumed.live) == ["after 3", "after 4", "after 5"]
        finally:
            await second.stop()
    finally:
        await first.stop()
        await sandbox.stop()


async def rename_via(stub, name: str, title: str) -> None:
    await stub.UpdateTicket(
        t.UpdateTicketRequest(
            ticket=t.Ticket(name=name, title=title),
            update_mask=field_mask_pb2.FieldMask(paths=["title"]),
        )
    )


async def test_a_token_past_the_streams_retention_is_out_of_range(tmp_path):
    nats_server = EmbeddedNats(tmp_path / "nats")
    await nats_server.start()
    runtime = await start_runtime(
        settings_for(tmp_path, HELPDESK, nats_url=nats_server.url), ["all"]
    )
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await publish_ticket_events(nats_server.url, "helpdesk", 10)
        state = await stream_state(js, "DESKBRIDGE_EVENTS")
        early = encode_token(Position(state.created, 3))
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            resumed = await first_change(channel, resume_token=early)
            assert (resumed.change.stream_sequence, titles([resumed])) == (4, ["change 3"])
            await js.purge_stream("DESKBRIDGE_EVENTS", keep=2)  # retention dropped the oldest
            expired = await rpc_error(first_change(channel, resume_token=early))
            assert expired.code() == grpc.StatusCode.OUT_OF_RANGE
            assert details_of(expired)["ErrorInfo"].reason == "RESUME_TOKEN_EXPIRED"
            assert "send_initial_state" in expired.details()
            await js.delete_stream("DESKBRIDGE_EVENTS")  # a new stream: sequences start again
            await ensure_streams(js)
            await publish_ticket_events(nats_server.url, "helpdesk", 20)
            recreated = await rpc_error(first_change(channel, resume_token=early))
            assert recreated.code() == grpc.StatusCode.OUT_OF_RANGE
    finally:
        await nc.close()
        await runtime.stop()
        await nats_server.stop()


async def first_change(channel, parent: str = "backends/helpdesk", **request):
    """The first change a Watch sends."""
    stub = changes_pb2_grpc.ChangeServiceStub(channel)
    call = stub.Watch(changes_pb2.WatchRequest(parent=parent, **request))
    try:
        async for message in call:
            if message.HasField("change"):
                return message
    finally:
        call.cancel()


async def test_a_client_that_stops_reading_is_ended_with_a_token_and_loses_nothing(
    tmp_path, nats_server
):
    settings = replace(
        settings_for(tmp_path, HELPDESK, nats_url=nats_server.url),
        watch_buffer=50,
        watch_stall_seconds=1.0,
    )
    settings = replace(settings, backends=(replace(HELPDESK, name="slowpoke"),))
    runtime = await start_runtime(settings, ["all"])
    total = 1500
    try:
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            stub = changes_pb2_grpc.ChangeServiceStub(channel)
            call = stub.Watch(changes_pb2.WatchRequest(parent="backends/slowpoke"))
            await call.initial_metadata()
            # 1,500 changes of 20 KB while the client reads nothing: more than the HTTP/2
            # windows and socket buffers hold, so a write blocks, and after 1 s the watch ends.
            await publish_ticket_events(
                nats_server.url, "slowpoke", total, description_bytes=20_000
            )
            await asyncio.sleep(2.0)
            received, error = [], None
            try:
                async for message in call:
                    received.append(message)
            except grpc.aio.AioRpcError as ended:
                error = ended
            assert error is not None and error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            info = details_of(error)["ErrorInfo"]
            assert info.reason == "WATCH_CLIENT_STALLED"
            assert info.metadata["resume_token"]
            assert len(received) < total
            token = received[-1].resume_token if received else info.metadata["resume_token"]
            async with watching(channel, parent="backends/slowpoke", resume_token=token) as rest:
                await rest.until(lambda r: len(received) + len(r.live) >= total, timeout=30)
                await asyncio.sleep(0.3)
                seen = titles(received) + titles(rest.live)
        assert seen == [f"change {i}" for i in range(total)]
    finally:
        await runtime.stop()


async def watch_error(channel, **request) -> grpc.aio.AioRpcError:
    stub = changes_pb2_grpc.ChangeServiceStub(channel)
    call = stub.Watch(changes_pb2.WatchRequest(**request))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        async for _ in call:
            pass
    return caught.value


async def test_bad_requests_are_invalid_arguments_naming_the_field(stack):
    cases = {
        "parent": dict(parent="tickets/1"),
        "resource_kinds": dict(parent=stack.parent, resource_kinds=["tickets"]),
        "resume_token": dict(parent=stack.parent, resume_token="not-a-token"),
        "bookmark_interval": dict(parent=stack.parent, bookmark_interval=Duration(seconds=0)),
    }
    for field_name, request in cases.items():
        error = await watch_error(stack.channel, **request)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, field_name
        violations = details_of(error)["BadRequest"].field_violations
        assert [v.field for v in violations] == [field_name]
    both = await watch_error(
        stack.channel, parent=stack.parent, send_initial_state=True, resume_token="x"
    )
    assert both.code() == grpc.StatusCode.INVALID_ARGUMENT
    unknown = await watch_error(stack.channel, parent="backends/nowhere")
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


async def test_without_nats_watch_says_events_are_off(adapterless_runtime, channel_to):
    error = await watch_error(channel_to(adapterless_runtime), parent="backends/helpdesk")
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    info = details_of(error)["ErrorInfo"]
    assert (info.reason, info.metadata["setting"]) == ("EVENTS_DISABLED", "DESKBRIDGE_NATS_URL")


async def test_filters_apply_to_the_initial_state_and_to_live_changes(stack):
    listed = await stack.tickets.ListTickets(
        t.ListTicketsRequest(parent=stack.parent, page_size=100)
    )
    states = Counter(ticket.state for ticket in listed.tickets)
    state = states.most_common(1)[0][0]
    matching = sorted(x.name for x in listed.tickets if x.state == state)
    other = next(x.name for x in listed.tickets if x.state != state)
    async with watching(
        stack.channel,
        parent=stack.parent,
        send_initial_state=True,
        resource_kinds=["ticket", "comment"],
        ticket_filter=changes_pb2.TicketFilter(states=[state]),
        actions=[events_pb2.CHANGE_ACTION_UPDATED],
    ) as watch:
        await watch.until(lambda w: any(m.HasField("initial_state_end") for m in w.messages))
        assert sorted(m.change.subject for m in watch.initial) == matching
        await rename(stack, other, "not in the filter")
        await rename(stack, matching[0], "in the filter")
        user = stack.name("users", 101)
        await stack.tickets.CreateComment(  # a comment.created: not an action asked for
            t.CreateCommentRequest(parent=matching[0], comment=t.Comment(body="hi", author=user))
        )
        await rename(stack, matching[1], "in the filter too")
        await watch.until(lambda w: len(w.live) >= 2)
        await asyncio.sleep(0.3)
        assert [(m.change.subject, m.change.type) for m in watch.live] == [
            (matching[0], "deskbridge.v1.ticket.updated"),
            (matching[1], "deskbridge.v1.ticket.updated"),
        ]


async def test_a_quiet_watch_gets_bookmarks_that_move_past_other_backends_changes(
    tmp_path, nats_server
):
    runtime = await start_runtime(
        settings_for(tmp_path, replace(HELPDESK, name="quiet"), nats_url=nats_server.url),
        ["all"],
    )
    try:
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            async with watching(
                channel, parent="backends/quiet", bookmark_interval=Duration(seconds=1)
            ) as watch:
                await publish_ticket_events(nats_server.url, "noisy", 20)  # not watched
                nc = await nats.connect(nats_server.url)
                last = (await stream_state(nc.jetstream(), "DESKBRIDGE_EVENTS")).last_sequence
                await nc.close()
                await watch.until(
                    lambda w: any(
                        m.HasField("bookmark") and decode_token(m.resume_token).sequence >= last
                        for m in w.messages
                    ),
                    timeout=6,
                )
                assert not watch.changes
                token = watch.last_token
            await publish_ticket_events(nats_server.url, "quiet", 3, start=100)
            async with watching(channel, parent="backends/quiet", resume_token=token) as resumed:
                await resumed.until(lambda r: len(r.live) == 3)
                assert titles(resumed.live) == ["change 100", "change 101", "change 102"]
    finally:
        await runtime.stop()


async def consumers(nats_url: str) -> int:
    nc = await nats.connect(nats_url)
    try:
        return (await nc.jetstream().stream_info("DESKBRIDGE_EVENTS")).state.consumer_count
    finally:
        await nc.close()


async def test_deadlines_and_cancellation_end_a_watch_and_leave_no_consumer(stack):
    nats_url = stack.runtime.settings.nats_url
    before = await consumers(nats_url)
    stub = changes_pb2_grpc.ChangeServiceStub(stack.channel)
    call = stub.Watch(changes_pb2.WatchRequest(parent=stack.parent), timeout=1.0)
    with pytest.raises(grpc.aio.AioRpcError) as ended:
        async for _ in call:
            pass
    assert ended.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    async with watching(stack.channel, parent=stack.parent) as watch:
        await publish_ticket_events(nats_url, stack.backend, 1)
        await watch.until(lambda w: len(w.live) == 1)
        assert await consumers(nats_url) == before + 1
    for _ in range(50):  # the cancelled watch's consumer is deleted as its handler ends
        if await consumers(nats_url) == before:
            break
        await asyncio.sleep(0.1)
    assert await consumers(nats_url) == before
