"""Webhook intake: `POST /webhooks/{backend}`, a vendor's callback that something changed.

Every call is authenticated with the backend's shared secret in a header (constant-time
compare; 401 and nothing published otherwise). The body — form fields or a JSON object — is
parsed by the backend's adapter into hints (400 when malformed); the watcher then fetches the
resources and publishes what changed, with origin `webhook`, before answering 202. A vendor
that cannot be reached answers 503, so the sender retries.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from urllib.parse import parse_qsl

import orjson
import structlog
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from deskbridge.watcher.poller import BackendWatcher

log = structlog.get_logger(__name__)
MAX_BODY = 64 * 1024


def parse_fields(body: bytes, content_type: str) -> dict[str, str]:
    """Form or JSON fields of a webhook body; ValueError when it is neither."""
    if len(body) > MAX_BODY:
        raise ValueError(f"the body is larger than {MAX_BODY} bytes")
    if "json" in content_type:
        document = orjson.loads(body)
        if not isinstance(document, dict):
            raise ValueError("a JSON body must be an object")
        return {str(k): "" if v is None else str(v) for k, v in document.items()}
    try:
        text = body.decode("utf-8")
        return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"not a form body: {error}") from None


def create_intake_app(watchers: Mapping[str, BackendWatcher]) -> Starlette:
    async def webhook(request: Request) -> JSONResponse:
        name = request.path_params["backend"]
        watcher = watchers.get(name)
        secret = watcher.config.webhook_secret if watcher is not None else None
        if watcher is None or secret is None:
            return JSONResponse({"error": f"no webhooks for backend {name!r}"}, status_code=404)
        given = request.headers.get(watcher.config.webhook_header, "")
        if not hmac.compare_digest(given.encode(), secret.reveal().encode()):
            log.warning("webhook_unauthenticated", backend=name)
            return JSONResponse({"error": "unauthenticated"}, status_code=401)
        try:
            fields = parse_fields(await request.body(), request.headers.get("content-type", ""))
            parse = watcher.backend.capture.webhook
            if parse is None:
                return JSONResponse({"error": "this vendor sends no webhooks"}, status_code=404)
            hints = parse(fields)
        except ValueError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        try:
            published = await watcher.on_hints(hints)
        except Exception as error:  # the vendor or NATS away: the sender retries
            log.warning(
                "webhook_fetch_failed", backend=name, error=str(error) or type(error).__name__
            )
            return JSONResponse({"error": "the vendor could not be read"}, status_code=503)
        return JSONResponse({"published": published}, status_code=202)

    return Starlette(routes=[Route("/webhooks/{backend}", webhook, methods=["POST"])])
