"""OpenTelemetry tracing, configured by the standard `OTEL_*` environment; off when unset.

On when `OTEL_TRACES_EXPORTER` names an exporter (`otlp`, `console`) or an OTLP endpoint is set
(`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); `OTEL_SDK_DISABLED=true`
or `OTEL_TRACES_EXPORTER=none` keep it off. The SDK itself reads the rest: the OTLP exporter's
endpoint, headers and certificates, `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`,
`OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_BSP_*`.

Spans: one SERVER span per RPC (runtime/interceptors.py), one CLIENT span per vendor HTTP
exchange (runtime/upstream.py), one PRODUCER span per event published (events/changes.py),
whose W3C context travels in the event's `traceparent` header, and one span per watcher poll
cycle and webhook delivery. Everything checks `enabled()` first, so with tracing off a call
pays one global read.

Server spans are written here rather than by `opentelemetry-instrumentation-grpc`: its aio
interceptor iterates every server-streaming handler as an async generator, and ours write
through `context.write` (ChangeService.Watch), so it breaks them; ours also know the backend
and request id. The attribute names are the same as the official instrumentation's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

TRACEPARENT = "traceparent"
INSTRUMENTATION = "deskbridge"

_tracer: trace.Tracer | None = None
_provider: Any = None


def enabled() -> bool:
    """Whether spans are recorded in this process."""
    return _tracer is not None


def wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the `OTEL_*` environment asks for traces."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def configure_tracing(
    service_name: str = "deskbridge",
    *,
    exporter: Any = None,
    environ: Mapping[str, str] = os.environ,
) -> bool:
    """Turn tracing on when the environment asks for it (or an `exporter` is given: tests);
    True when on. Spans go through a batch processor, or straight to a given exporter."""
    global _tracer, _provider
    if exporter is None and not wanted(environ):
        return False
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    attributes = {} if environ.get("OTEL_SERVICE_NAME") else {SERVICE_NAME: service_name}
    provider = TracerProvider(resource=Resource.create(attributes))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        for name in _exporter_names(environ):
            provider.add_span_processor(BatchSpanProcessor(_exporter(name, environ)))
    if _provider is not None:
        _provider.shutdown()
    _provider = provider
    _tracer = provider.get_tracer(INSTRUMENTATION)
    if isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        trace.set_tracer_provider(provider)  # for libraries that trace through the global one
    return True


def shutdown_tracing() -> None:
    """Flush and stop: spans still batched are exported first."""
    global _tracer, _provider
    if _provider is not None:
        _provider.shutdown()
    _tracer = _provider = None


def _exporter_names(environ: Mapping[str, str]) -> list[str]:
    names = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() or "otlp"
    return [name.strip() for name in names.split(",") if name.strip() and name != "none"]


def _exporter(name: str, environ: Mapping[str, str]) -> Any:
    if name == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    if name != "otlp":
        raise ValueError(f"OTEL_TRACES_EXPORTER={name!r} is not supported: use otlp or console")
    protocol = (
        environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "grpc"
    )
    if protocol != "grpc":
        raise ValueError(
            f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r} is not supported: Deskbridge ships the "
            "OTLP/gRPC exporter (grpc)"
        )
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


@contextmanager
def span(
    name: str,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, Any] | None = None,
    parent: otel_context.Context | None = None,
) -> Iterator[trace.Span | None]:
    """A current span while the block runs (None when tracing is off); an exception escaping
    the block marks it as an error."""
    if _tracer is None:
        yield None
        return
    with _tracer.start_as_current_span(
        name, context=parent, kind=kind, attributes=attributes, record_exception=True
    ) as current:
        yield current


def start_span(
    name: str,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, Any] | None = None,
    parent: otel_context.Context | None = None,
) -> tuple[trace.Span, object] | None:
    """A span made current until `end_span`; for code paths a `with` block does not fit (the
    interceptor). None when tracing is off."""
    if _tracer is None:
        return None
    started = _tracer.start_span(name, context=parent, kind=kind, attributes=attributes)
    token = otel_context.attach(trace.set_span_in_context(started, parent))
    return started, token


def end_span(handle: tuple[trace.Span, object], error: str | None = None) -> None:
    started, token = handle
    if error is not None:
        started.set_status(Status(StatusCode.ERROR, error))
    otel_context.detach(token)  # type: ignore[arg-type]
    started.end()


def extract(carrier: Mapping[str, str] | Any) -> otel_context.Context | None:
    """The remote parent in `carrier` (gRPC metadata, HTTP or NATS headers), None when off."""
    if _tracer is None:
        return None
    return propagate.extract(carrier)


def extract_metadata(metadata: Any) -> otel_context.Context | None:
    """The remote parent in gRPC invocation metadata (a sequence of key/value pairs)."""
    if _tracer is None or not metadata:
        return None
    return propagate.extract({key: value for key, value in metadata if isinstance(value, str)})


def inject(headers: dict[str, str]) -> dict[str, str]:
    """`headers` plus the current W3C trace context (nothing when off)."""
    if _tracer is not None:
        propagate.inject(headers)
    return headers


def traceparent() -> str | None:
    """The W3C `traceparent` of the current span, None when off or outside a span."""
    if _tracer is None:
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get(TRACEPARENT)


def current_span() -> trace.Span | None:
    """The recording span of the caller, None when tracing is off."""
    if _tracer is None:
        return None
    return trace.get_current_span()
