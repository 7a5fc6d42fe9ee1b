"""Structured logging (structlog → JSON lines on stderr), configured once per process.

Every line is JSON, the libraries' too: stdlib loggers (nats, grpc, asyncio, uvicorn) go
through the same processors by `structlog.stdlib.ProcessorFormatter`. Inside a gRPC call every
line carries the call's `request_id`, `rpc` and `backend`, read from the call's context
(`runtime/context.py`) when a line is written, so nothing is bound per call and the backend is
the one routing chose. Credential-looking keys are masked by `redact_secrets`.
"""

from __future__ import annotations

import logging
import sys

import structlog

from deskbridge.runtime.context import current_call

_SECRET_KEYS = ("password", "secret", "token", "authorization", "credential", "api_key")


def redact_secrets(_logger, _method, event_dict: dict) -> dict:
    """Mask values whose key looks like a credential; defence in depth, not a licence to log."""
    for key in list(event_dict):
        if any(marker in key.lower() for marker in _SECRET_KEYS):
            event_dict[key] = "***"
    return event_dict


def add_call_context(_logger, _method, event_dict: dict) -> dict:
    """The current gRPC call's request id, rpc and backend, unless the line says its own."""
    call = current_call.get()
    if call is not None:
        event_dict.setdefault("request_id", call.request_id)
        event_dict.setdefault("rpc", call.rpc)
        if call.backend:
            event_dict.setdefault("backend", call.backend)
    return event_dict


def configure_logging(level: str = "info", fmt: str = "json") -> None:
    """Route structlog and stdlib logging to stderr as JSON (or console) lines."""
    numeric = getattr(logging, level.upper(), logging.INFO)
    renderer = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared = [
        structlog.contextvars.merge_contextvars,
        add_call_context,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    # Libraries log at warning and above: their info lines (nats reconnect chatter) are noise.
    root.setLevel(max(numeric, logging.WARNING))
    logging.captureWarnings(True)
