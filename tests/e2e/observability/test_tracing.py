"""Traces end to end, with an in-memory exporter: one trace id spans the caller's span, the RPC,
the vendor calls, the publish and the event's `traceparent` header, and a consumer continues it.
(The watcher's traces: tests/e2e/watcher/test_watcher_tracing.py.)"""

from __future__ import annotations

import nats
import pytest
from e2e_tracing import caller_tracer, stored_headers
from google.protobuf import field_mask_pb2
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, format_span_id, format_trace_id

from deskbridge.events.consumer import consume
from deskbridge.runtime import tracing
from deskbridge.v1 import tickets_pb2 as t


async def test_one_trace_spans_the_rpc_the_vendor_call_the_publish_and_the_event(
    spans, stack, nats_server
):
    provider, caller_spans = caller_tracer()
    caller = provider.get_tracer("ticket-sync")
    name = stack.name("tickets", 1005)
    with caller.start_as_current_span("sync ticket", kind=SpanKind.CLIENT) as outer:
        metadata: dict[str, str] = {}
        propagate.inject(metadata, context=None)
        await stack.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(name=name, title="Traced"),
                update_mask=field_mask_pb2.FieldMask(paths=["title"]),
            ),
            metadata=tuple(metadata.items()),
        )
    trace_id = outer.get_span_context().trace_id

    finished = [s for s in spans.get_finished_spans() if s.context.trace_id == trace_id]
    server = [s for s in finished if s.kind == SpanKind.SERVER]
    assert [s.name for s in server] == ["deskbridge.v1.TicketService/UpdateTicket"]
    (server_span,) = server
    assert server_span.parent.span_id == outer.get_span_context().span_id
    assert server_span.attributes["deskbridge.backend"] == stack.backend
    assert server_span.attributes["rpc.grpc.status_code"] == 0

    vendor = [s for s in finished if s.kind == SpanKind.CLIENT]
    assert vendor, "no vendor call was traced"
    assert all(s.attributes["deskbridge.vendor"] == "invgate" for s in vendor)
    assert {s.attributes["http.response.status_code"] for s in vendor} == {200}
    assert any(s.name == "PUT /api/v1/incident" for s in vendor)
    assert all(s.parent.span_id == server_span.context.span_id for s in vendor)

    (publish,) = [s for s in finished if s.kind == SpanKind.PRODUCER]
    assert publish.name == f"publish deskbridge.{stack.backend}.ticket.updated"
    assert publish.parent.span_id == server_span.context.span_id

    subject = f"deskbridge.{stack.backend}.ticket.>"
    (headers,) = await stored_headers(nats_server.url, subject)
    _, header_trace, header_parent, _ = headers["traceparent"].split("-")
    assert header_trace == format_trace_id(trace_id)
    assert header_parent == format_span_id(publish.context.span_id)
    assert headers["ce-id"] == publish.attributes["messaging.message.id"]

    # a consumer continues the trace from the event
    nc = await nats.connect(nats_server.url)
    try:
        async for received in consume(nc.jetstream(), durable="traced", subject=subject):
            with caller.start_as_current_span("apply", context=received.trace_context()) as apply:
                pass
            await received.ack()
            break
    finally:
        await nc.close()
    assert apply.get_span_context().trace_id == trace_id
    (applied,) = [s for s in caller_spans.get_finished_spans() if s.name == "apply"]
    assert applied.parent.span_id == publish.context.span_id


async def test_errors_mark_the_server_span_by_code(spans, stack):
    missing = stack.name("tickets", 99999)
    with pytest.raises(Exception):  # noqa: B017 - NOT_FOUND, asserted on the span
        await stack.tickets.GetTicket(t.GetTicketRequest(name=missing))
    (server,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert server.attributes["rpc.grpc.status_code"] == 5  # NOT_FOUND: the caller's error
    assert server.status.is_ok


async def test_tracing_off_records_nothing_and_adds_no_header(stack, nats_server):
    assert not tracing.enabled()
    name = stack.name("tickets", 1006)
    await stack.tickets.UpdateTicket(
        t.UpdateTicketRequest(
            ticket=t.Ticket(name=name, title="Untraced"),
            update_mask=field_mask_pb2.FieldMask(paths=["title"]),
        )
    )
    (headers,) = await stored_headers(nats_server.url, f"deskbridge.{stack.backend}.ticket.>")
    assert "traceparent" not in headers
    assert headers["ce-dataschema"] == "urn:deskbridge:proto:deskbridge.v1.TicketEvent"
