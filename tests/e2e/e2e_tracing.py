"""Traces in tests: another process's tracer; the trace context of stored events. (Tracing on
for a test, into memory: the `spans` fixture in conftest.py.)"""

from __future__ import annotations

import nats
from nats.js import api
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def caller_tracer() -> tuple[TracerProvider, InMemorySpanExporter]:
    """Another process's own tracer (a calling service, a consumer, a vendor's automation)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


async def stored_headers(nats_url: str, subject: str) -> list[dict[str, str]]:
    """The headers of every event stored on `subject`, in stream order."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe(
            subject,
            stream="DESKBRIDGE_EVENTS",
            config=api.ConsumerConfig(deliver_policy=api.DeliverPolicy.ALL, inactive_threshold=5.0),
        )
        try:
            messages = await sub.fetch(1000, timeout=1)
        except (nats.errors.TimeoutError, TimeoutError):
            messages = []
        await sub.unsubscribe()
        return [dict(m.headers or {}) for m in messages]
    finally:
        await nc.close()
