"""Webhook intake: a vendor's callback that something changed.

- `POST /webhooks/{backend}` (InvGate's "Call web service"): authenticated with the backend's
  shared secret in a header (constant-time compare; 401 and nothing published otherwise). The
  body — form fields or a JSON object — is parsed by the backend's adapter into hints (400
  when malformed); the watcher then fetches the resources and publishes what changed, with
  origin `webhook`, before answering 202. A vendor that cannot be reached answers 503, so the
  sender retries.
- `POST /webhooks/{backend}/{secret}` (subscriptions the watcher registered, Requestor's
  triggers): the path's secret names the subscription (`watcher/subscriptions.py`); anything
  else is 401 and nothing is published. The JSON body (at most `MAX_PUSHED_BODY`) is the
  resource itself: parsed by the adapter (400 when malformed), stored in the inbox and
  answered 200; the lease holder publishes it in order (`watcher/inbox.py`). NATS away
  answers 503, so the sender retries; a retried delivery is the same state, the same revision
  and the same `ce-id`, so JetStream and the snapshot keep it once.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from urllib.parse import parse_qsl

import orjson
import structlog
from opentelemetry.trace import SpanKind
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from deskbridge.runtime import tracing
from deskbridge.watcher.inbox import accept
from deskbridge.watcher.poller import BackendWatcher

log = structlog.get_logger(__name__)
MAX_BODY = 64 * 1024
MAX_PUSHED_BODY = 1024 * 1024  # a pushed ticket carries its message (descriptions run long)


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


def _delivery_span(request: Request, backend: str, topic: str = ""):
    """A SERVER span for one webhook delivery, continuing the sender's trace if it sent one."""
    attributes = {"http.request.method": "POST", "deskbridge.backend": backend}
    if topic:
        attributes["deskbridge.topic"] = topic
    return tracing.span(
        f"POST /webhooks/{backend}",
        SpanKind.SERVER,
        attributes,
        parent=tracing.extract(dict(request.headers)),
    )


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
            with _delivery_span(request, name):
                published = await watcher.on_hints(hints)
        except Exception as error:  # the vendor or NATS away: the sender retries
            log.warning(
                "webhook_fetch_failed", backend=name, error=str(error) or type(error).__name__
            )
            return JSONResponse({"error": "the vendor could not be read"}, status_code=503)
        return JSONResponse({"published": published}, status_code=202)

    async def pushed(request: Request) -> JSONResponse:
        name = request.path_params["backend"]
        watcher = watchers.get(name)
        keeper = watcher.subscriptions if watcher is not None else None
        topic = await keeper.topic_of(request.path_params["secret"]) if keeper else None
        if watcher is None or keeper is None or topic is None:
            log.warning("webhook_unauthenticated", backend=name)
            return JSONResponse({"error": "unauthenticated"}, status_code=401)
        header = keeper.subscriptions.delivery_header
        delivery = request.headers.get(header, "") if header else ""
        try:
            body = await request.body()
            if len(body) > MAX_PUSHED_BODY:
                raise ValueError(f"the body is larger than {MAX_PUSHED_BODY} bytes")
            keeper.subscriptions.parse(topic, orjson.loads(body))  # refused now, not later
        except ValueError as error:
            log.warning("webhook_malformed", backend=name, topic=topic, error=str(error))
            return JSONResponse({"error": str(error)}, status_code=400)
        try:
            with _delivery_span(request, name, topic):
                # the trace goes on in the inbox reader, which publishes the delivery later
                await accept(watcher.js, name, topic, body, delivery, tracing.inject({}))
        except Exception as error:  # NATS away: the sender retries
            log.warning(
                "webhook_not_accepted",
                backend=name,
                topic=topic,
                error=str(error) or type(error).__name__,
            )
            return JSONResponse({"error": "not accepted yet"}, status_code=503)
        log.debug("webhook_accepted", backend=name, topic=topic, delivery=delivery)
        return JSONResponse({"accepted": True}, status_code=200)

    return Starlette(
        routes=[
            Route("/webhooks/{backend}", webhook, methods=["POST"]),
            Route("/webhooks/{backend}/{secret}", pushed, methods=["POST"]),
        ]
    )
