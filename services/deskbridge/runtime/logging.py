"""Structured logging (structlog → JSON lines on stderr), configured once per process.

Per-call context (request id, rpc, backend) is bound with structlog's contextvars, so every
log line of a call carries it. Credential-looking keys are masked by `redact_secrets`.
"""

from __future__ import annotations

import logging
import sys

import structlog

_SECRET_KEYS = ("password", "secret", "token", "authorization", "credential", "api_key")


def redact_secrets(_logger, _method, event_dict: dict) -> dict:
    """Mask values whose key looks like a credential; defence in depth, not a licence to log."""
    for key in list(event_dict):
        if any(marker in key.lower() for marker in _SECRET_KEYS):
            event_dict[key] = "***"
    return event_dict


def configure_logging(level: str = "info", fmt: str = "json") -> None:
    """Route structlog and stdlib logging to stderr as JSON (or console) lines."""
    numeric = getattr(logging, level.upper(), logging.INFO)
    renderer = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(
        level=max(numeric, logging.WARNING),
        stream=sys.stderr,
        format="%(levelname)s %(name)s %(message)s",
        force=True,
    )
