"""Webhook deliveries: each event POSTed to every subscription of it (VENDORS.md §4.4).

When an event happens (`RequestorState.emit`), each subscription of that event gets one
*delivery*: a JSON POST to its CallbackUrl of the body `payload_template` makes of the entity
[?; default [I] the entity itself], with headers `Content-Type: application/json`,
`<delivery_id_header>: <uuid4>` (X-Requestor-Delivery [I]; the same on every retry of one
delivery) and, if `event_header` is set [?], `<event_header>: <event>`. The body is fixed
when the event happens.

A delivery runs in the background (an asyncio task; the call that made the change never
waits for it), after the previous delivery of the same subscription has finished, so one
callback sees its events in order. An attempt fails on no answer, a timeout
(`delivery_timeout_seconds`) or a non-2xx answer; then, up to `delivery_attempts` in all,
it is tried again: attempt n >= 2 waits `delivery_backoff_seconds *
delivery_backoff_factor ** (n - 2)` [?].
A subscription deleted meanwhile gets no further attempt (outcome "cancelled").
Deliveries stop at reset and at shutdown (`reset`, `aclose`: the tasks are cancelled).

The delivery log (`GET|DELETE /_sandbox/deliveries`), one entry per delivery:
`{"id", "subscription", "event", "url", "entity_id", "created", "sent", "outcome":
"pending"|"delivered"|"failed"|"cancelled", "attempts": [{"attempt", "sent", "status",
"error"}]}` (times epoch seconds; `sent` of the first attempt; `status` null when nothing
answered, `error` null on a 2xx).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx

from deskbridge.sandbox.requestor.config import SandboxConfig
from deskbridge.sandbox.requestor.state import RequestorState, iso

MAX_DELIVERIES = 10_000


def payload(config: SandboxConfig, event: str, entity: dict[str, Any], delivery_id: str) -> Any:
    """The JSON body of one delivery, in the configured template."""
    template = config.payload_template
    if callable(template):
        return template(event, entity)
    if template == "envelope":
        return {
            "Event": event,
            "Entity": entity,
            "DeliveryId": delivery_id,
            "Timestamp": iso(int(time.time() * 1000)),
        }
    return entity


class Deliveries:
    """The pending deliveries of one sandbox, their HTTP client and the delivery log."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.log: list[dict[str, Any]] = []
        self._state: RequestorState | None = None
        self._client: httpx.AsyncClient | None = None
        self._pending: set[asyncio.Task] = set()
        self._tails: dict[int, asyncio.Task] = {}  # subscription id → its last delivery

    def attach(self, state: RequestorState) -> None:
        """Deliver the events of `state` (and no longer those of the previous one)."""
        if self._state is not None and self.on_event in self._state.listeners:
            self._state.listeners.remove(self.on_event)
        self._state = state
        state.listeners.append(self.on_event)

    def reset(self) -> None:
        """Cancel every pending delivery and empty the log."""
        self._cancel()
        self.log.clear()

    def _cancel(self) -> None:
        for task in list(self._pending):
            task.cancel()
        self._pending.clear()
        self._tails.clear()

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def idle(self) -> None:
        """Wait until every delivery scheduled so far has finished (retries included)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def aclose(self) -> None:
        """Cancel pending deliveries (awaiting them) and close the HTTP client."""
        tasks = list(self._pending)
        self._cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # ---- scheduling -------------------------------------------------------------------

    def on_event(self, event: str, entity: dict[str, Any]) -> None:
        """The state's listener: one delivery per subscription of `event`."""
        state = self._state
        if state is None:
            return
        for subscription in [s for s in state.subscriptions.values() if s["Event"] == event]:
            delivery_id = str(uuid.uuid4())
            body = json.dumps(payload(self.config, event, entity, delivery_id)).encode()
            entry: dict[str, Any] = {
                "id": delivery_id,
                "subscription": subscription["Id"],
                "event": event,
                "url": subscription["CallbackUrl"],
                "entity_id": entity.get("Id"),
                "created": time.time(),
                "sent": None,
                "outcome": "pending",
                "attempts": [],
            }
            self._record(entry)
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # a change made outside the server's loop
                entry["outcome"] = "failed"
                entry["attempts"].append(_attempt(1, None, "no running event loop"))
                continue
            key = subscription["Id"]
            task = loop.create_task(self._deliver(entry, body, self._tails.get(key)))
            self._tails[key] = task
            self._pending.add(task)
            task.add_done_callback(lambda done, key=key: self._finished(key, done))

    def _record(self, entry: dict[str, Any]) -> None:
        if len(self.log) >= MAX_DELIVERIES:
            del self.log[: MAX_DELIVERIES // 2]
        self.log.append(entry)

    def _finished(self, key: int, task: asyncio.Task) -> None:
        self._pending.discard(task)
        if self._tails.get(key) is task:
            del self._tails[key]

    # ---- sending ----------------------------------------------------------------------

    def _subscribed(self, entry: dict[str, Any]) -> bool:
        state = self._state
        return state is not None and entry["subscription"] in state.subscriptions

    async def _deliver(
        self, entry: dict[str, Any], body: bytes, previous: asyncio.Task | None
    ) -> None:
        try:
            if previous is not None:
                await asyncio.wait([previous])
            await self._attempts(entry, body)
        except asyncio.CancelledError:
            entry["outcome"] = "cancelled"
            raise

    async def _attempts(self, entry: dict[str, Any], body: bytes) -> None:
        config = self.config
        headers = {"Content-Type": "application/json", config.delivery_id_header: entry["id"]}
        if config.event_header:
            headers[config.event_header] = entry["event"]
        for attempt in range(1, config.delivery_attempts + 1):
            if attempt > 1:
                factor = config.delivery_backoff_factor ** (attempt - 2)
                await asyncio.sleep(config.delivery_backoff_seconds * factor)
            if not self._subscribed(entry):
                entry["outcome"] = "cancelled"
                return
            sent = time.time()
            entry["sent"] = entry["sent"] or sent
            status, problem = await self._post(entry["url"], body, headers)
            entry["attempts"].append(_attempt(attempt, status, problem, sent))
            if problem is None:
                entry["outcome"] = "delivered"
                return
        entry["outcome"] = "failed"

    async def _post(
        self, url: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int | None, str | None]:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.config.delivery_timeout_seconds)
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except Exception as failure:
            # Any failure (refused, timed out, a URL httpx refuses) is an attempt nothing
            # answered: the delivery log is where a test sees it.
            return None, f"{type(failure).__name__}: {failure}".rstrip(": ")
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code} {response.reason_phrase}"


def _attempt(
    attempt: int, status: int | None, problem: str | None, sent: float | None = None
) -> dict[str, Any]:
    return {
        "attempt": attempt,
        "sent": time.time() if sent is None else sent,
        "status": status,
        "error": problem,
    }
