"""The server interceptor: request id, structured access log, metrics, traces, error mapping.

One wrapper per method, built once and cached: every call gets a request id (from
`x-request-id` metadata or a new one, sent back in the trailers),
an access-log line (rpc, backend, status, latency, request id, caller; health checks at
debug), the standard gRPC server metrics (runtime/metrics.py), a SERVER span when tracing is on
(runtime/tracing.py, continuing the caller's `traceparent`), and errors turned into
`google.rpc.Status` details. Unexpected exceptions become INTERNAL with the request id, never a
stack trace.

The request id travels in the trailers, not the response headers, of a unary call: grpc.aio
sends headers set by the handler in a batch of their own, which cost 48-62 µs of CPU per call
(an A/B of the echo floor: 241 → 294 µs; benchmarks/README.md), a seventh of a GetTicket,
where the trailers go out with the response. Streams (Watch) send headers anyway and carry it.

The request is decoded inside the wrapper, not by grpc: bytes grpc's deserializer cannot
decode (bad UTF-8 in a string field, a truncated frame) would otherwise fail before any
interceptor runs, as UNKNOWN with a plain-text traceback and no request id.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import structlog
from google.protobuf.message import DecodeError
from opentelemetry.trace import SpanKind

from deskbridge.runtime import tracing
from deskbridge.runtime.context import CallInfo, current_call
from deskbridge.runtime.errors import ApiError, internal, malformed_request
from deskbridge.runtime.limits import CallerLimits, caller_key
from deskbridge.runtime.metrics import RpcMetrics

HEALTH = "grpc.health.v1.Health/"

REQUEST_ID_KEY = "x-request-id"
log = structlog.get_logger("deskbridge.access")

Behavior = Callable[[object, grpc.aio.ServicerContext], Awaitable[object]]
Deserializer = Callable[[bytes], object]


def request_id_from(context: grpc.aio.ServicerContext) -> str:
    """The caller's `x-request-id`, or a new random 128-bit id in hex.

    Not `uuid4()`: that reads os.urandom (a syscall) on every call, and a correlation id
    needs to be unique, not unpredictable.
    """
    for key, value in context.invocation_metadata() or ():
        if key == REQUEST_ID_KEY and value:
            return str(value)[:128]
    return f"{random.getrandbits(128):032x}"


def _raw(data: bytes) -> bytes:
    return data


def wrap_unary(
    behavior: Behavior,
    rpc: str,
    decode: Deserializer | None = None,
    guard: Any = None,
    limits: CallerLimits | None = None,
) -> Behavior:
    """The per-call envelope around a unary handler; `decode` turns the request bytes into
    the request message (None: grpc already did); `guard` (runtime/auth.py) admits the
    caller before anything else runs."""
    # The configured logger itself: the module's lazy proxy costs ~1 µs per call to resolve,
    # even for a line its level filters out. Wrappers are built at a method's first call,
    # after logging is configured.
    access_log = log.bind()
    health = rpc.startswith(HEALTH)
    # Also decided once (the level is set at startup): a filtered-out line still costs its
    # arguments on every call.
    access_level = logging.DEBUG if health else logging.INFO
    logs_access = access_log.is_enabled_for(access_level)
    write_access = access_log.debug if health else access_log.info
    metrics = RpcMetrics(rpc, "unary")
    started_total = metrics.started

    async def handle(request, context: grpc.aio.ServicerContext):
        request_id = request_id_from(context)
        remaining = context.time_remaining()
        started = time.monotonic()
        started_total.inc()
        info = CallInfo(
            request_id=request_id,
            rpc=rpc,
            deadline=started + remaining if remaining is not None else None,
        )
        token = current_call.set(info)
        span = _server_span(rpc, context, request_id) if tracing.enabled() else None
        echo = ((REQUEST_ID_KEY, request_id),)
        code = grpc.StatusCode.OK
        limited = None
        try:
            if guard is not None:
                principal = await guard.admit(context, rpc)
                info.caller, info.scopes = principal.subject, principal.scopes
            if limits is not None and not health:
                key = caller_key(info.caller, context.peer() or "")
                limits.enter(key)
                limited = key
            if decode is not None:
                try:
                    request = decode(request)
                except DecodeError as error:
                    raise malformed_request(rpc, error) from None
            response = await behavior(request, context)
            context.set_trailing_metadata(echo)
            return response
        except ApiError as error:
            code = error.code
            await context.abort(error.code, error.message, error.trailing_metadata() + echo)
        except grpc.aio.AbortError:
            code = context.code() or grpc.StatusCode.UNKNOWN
            raise
        except Exception:
            code = grpc.StatusCode.INTERNAL
            access_log.exception(
                "unhandled_error", rpc=rpc, request_id=request_id, backend=info.backend
            )
            error = internal(request_id)
            await context.abort(error.code, error.message, error.trailing_metadata() + echo)
        finally:
            if limited is not None:
                limits.leave(limited)
            elapsed = time.monotonic() - started
            metrics.handled(code.name, info.backend, elapsed)
            if span is not None:
                _end_server_span(span, code, info)
            current_call.reset(token)
            if logs_access:
                write_access(
                    "rpc",
                    rpc=rpc,
                    backend=info.backend,
                    status=code.name,
                    latency_ms=round(elapsed * 1000, 3),
                    request_id=request_id,
                    caller=info.caller,
                )

    return handle


def wrap_server_stream(behavior: Behavior, rpc: str, guard: Any = None) -> Behavior:
    """The per-call envelope around a server-streaming handler: the same request id, caller,
    metrics, span, error details and access line as `wrap_unary` (logged when the stream
    ends). Handlers may write with `context.write` or be async generators; either way the
    messages are written here, so the two styles never mix on one call."""
    access_log = log.bind()
    health = rpc.startswith(HEALTH)
    write_access = access_log.debug if health else access_log.info
    metrics = RpcMetrics(rpc, "server_stream")

    async def handle(request, context: grpc.aio.ServicerContext):
        request_id = request_id_from(context)
        started = time.monotonic()
        metrics.started.inc()
        info = CallInfo(request_id=request_id, rpc=rpc)
        token = current_call.set(info)
        span = _server_span(rpc, context, request_id) if tracing.enabled() else None
        echo = ((REQUEST_ID_KEY, request_id),)
        code = grpc.StatusCode.OK
        try:
            if guard is not None:
                principal = await guard.admit(context, rpc)
                info.caller, info.scopes = principal.subject, principal.scopes
            result = behavior(request, context)
            if inspect.isasyncgen(result):
                async for item in result:
                    await context.write(item)
            else:
                await result
            context.set_trailing_metadata(echo)
        except ApiError as error:
            code = error.code
            await context.abort(error.code, error.message, error.trailing_metadata() + echo)
        except grpc.aio.AbortError:
            code = context.code() or grpc.StatusCode.UNKNOWN
            raise
        except asyncio.CancelledError:
            code = grpc.StatusCode.CANCELLED
            raise
        except Exception:
            code = grpc.StatusCode.INTERNAL
            access_log.exception(
                "unhandled_error", rpc=rpc, request_id=request_id, backend=info.backend
            )
            error = internal(request_id)
            await context.abort(error.code, error.message, error.trailing_metadata() + echo)
        finally:
            elapsed = time.monotonic() - started
            metrics.handled(code.name, info.backend, elapsed)
            if span is not None:
                _end_server_span(span, code, info)
            current_call.reset(token)
            write_access(
                "rpc",
                rpc=rpc,
                backend=info.backend,
                status=code.name,
                latency_ms=round(elapsed * 1000, 3),
                request_id=request_id,
                caller=info.caller,
            )

    return handle


def _server_span(rpc: str, context: grpc.aio.ServicerContext, request_id: str):
    """The call's SERVER span, continuing the caller's trace context from its metadata."""
    service, _, method = rpc.rpartition("/")
    return tracing.start_span(
        rpc,
        SpanKind.SERVER,
        {
            "rpc.system": "grpc",
            "rpc.service": service,
            "rpc.method": method,
            "deskbridge.request_id": request_id,
        },
        parent=tracing.extract_metadata(context.invocation_metadata()),
    )


def _end_server_span(span, code: grpc.StatusCode, info: CallInfo) -> None:
    current, _ = span
    current.set_attribute("rpc.grpc.status_code", code.value[0])
    if info.backend:
        current.set_attribute("deskbridge.backend", info.backend)
    if info.caller:
        current.set_attribute("enduser.id", info.caller)
    # As the official instrumentation: a server span is an error for server-side codes only.
    failed = code in _SERVER_ERRORS
    tracing.end_span(span, code.name if failed else None)


_SERVER_ERRORS = frozenset(
    {
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)


def guard_stream(behavior: Behavior, rpc: str, guard: Any) -> Behavior:
    """A streaming handler (health Watch, reflection) behind the same guard."""

    async def guarded(request, context: grpc.aio.ServicerContext):
        try:
            await guard.admit(context, rpc)
        except ApiError as error:
            await context.abort(error.code, error.message, error.trailing_metadata())
        result = behavior(request, context)
        if inspect.isasyncgen(result):
            async for item in result:
                yield item
        else:
            await result

    return guarded


class ServerInterceptor(grpc.aio.ServerInterceptor):
    """Applies `wrap_unary` to every unary method and `wrap_server_stream` to every
    server-streaming one; other streams (reflection) only pass the guard."""

    def __init__(self, guard: Any = None, limits: CallerLimits | None = None) -> None:
        self._wrapped: dict[str, grpc.RpcMethodHandler] = {}
        self._guard = guard
        self._limits = limits

    async def intercept_service(self, continuation, handler_call_details):
        method = handler_call_details.method
        cached = self._wrapped.get(method)
        if cached is not None:
            return cached
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        if handler.unary_stream is not None:
            wrapped = grpc.unary_stream_rpc_method_handler(
                wrap_server_stream(handler.unary_stream, method.lstrip("/"), self._guard),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
            self._wrapped[method] = wrapped
            return wrapped
        if handler.unary_unary is None:
            wrapped = self._guarded_stream(handler, method.lstrip("/"))
            self._wrapped[method] = wrapped
            return wrapped
        wrapped = grpc.unary_unary_rpc_method_handler(
            wrap_unary(
                handler.unary_unary,
                method.lstrip("/"),
                handler.request_deserializer,
                self._guard,
                self._limits,
            ),
            request_deserializer=_raw if handler.request_deserializer else None,
            response_serializer=handler.response_serializer,
        )
        self._wrapped[method] = wrapped
        return wrapped

    def _guarded_stream(self, handler: grpc.RpcMethodHandler, rpc: str) -> grpc.RpcMethodHandler:
        if self._guard is None:
            return handler
        kinds = {
            "unary_stream": grpc.unary_stream_rpc_method_handler,
            "stream_unary": grpc.stream_unary_rpc_method_handler,
            "stream_stream": grpc.stream_stream_rpc_method_handler,
        }
        for kind, make in kinds.items():
            behavior = getattr(handler, kind)
            if behavior is not None:
                return make(
                    guard_stream(behavior, rpc, self._guard),
                    request_deserializer=handler.request_deserializer,
                    response_serializer=handler.response_serializer,
                )
        return handler
