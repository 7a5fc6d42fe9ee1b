"""The watcher's traces: a poll cycle is the root of the trace of what it publishes, and a
webhook delivery continues the sender's trace through the fetch it asks for."""

from __future__ import annotations

import httpx
from e2e_tracing import caller_tracer, stored_headers
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, format_span_id, format_trace_id
from watch_support import SECRET, of


async def test_a_poll_cycle_is_a_trace_with_its_vendor_calls_and_publishes(spans, watched):
    await watched.call("PUT", "incident", id=1003, title="Changed in InvGate")
    name = watched.name("tickets", 1003)
    await watched.wait_for(lambda es: of(es, "deskbridge.v1.ticket.updated", name))
    headers = await stored_headers(watched.nats_url, f"deskbridge.{watched.backend}.ticket.>")
    (event,) = [h for h in headers if h["ce-subject"] == name]
    _, trace_hex, parent_hex, _ = event["traceparent"].split("-")
    in_trace = [
        s for s in spans.get_finished_spans() if format_trace_id(s.context.trace_id) == trace_hex
    ]
    (cycle,) = [s for s in in_trace if s.name == f"poll {watched.backend} ticket"]
    assert cycle.parent is None
    assert any(s.kind == SpanKind.CLIENT for s in in_trace)
    (publish,) = [s for s in in_trace if s.kind == SpanKind.PRODUCER]
    assert format_span_id(publish.context.span_id) == parent_hex
    assert publish.parent.span_id == cycle.context.span_id


async def test_a_webhook_delivery_continues_the_senders_trace(spans, watched):
    provider, _ = caller_tracer()
    sender = provider.get_tracer("invgate-automation")
    await watched.call("PUT", "incident", id=1004, title="Hinted by webhook")
    with sender.start_as_current_span("call web service") as outer:
        headers: dict[str, str] = {}
        propagate.inject(headers)
        async with httpx.AsyncClient(base_url=watched.runtime.intake.url) as intake:
            answer = await intake.post(
                f"/webhooks/{watched.backend}",
                data={"request_id": "1004"},
                headers={**headers, "X-Deskbridge-Secret": SECRET},
            )
    assert answer.status_code == 202, answer.text
    trace_id = outer.get_span_context().trace_id
    in_trace = [s for s in spans.get_finished_spans() if s.context.trace_id == trace_id]
    (intake_span,) = [s for s in in_trace if s.kind == SpanKind.SERVER]
    assert intake_span.name == f"POST /webhooks/{watched.backend}"
    assert intake_span.parent.span_id == outer.get_span_context().span_id
    fetches = [s for s in in_trace if s.kind == SpanKind.CLIENT]
    assert fetches and all(s.parent.span_id == intake_span.context.span_id for s in fetches)
    if answer.json()["published"]:  # the poll may have published the change first
        (publish,) = [s for s in in_trace if s.kind == SpanKind.PRODUCER]
        assert publish.attributes["deskbridge.origin"] == "webhook"
