"""InvGate's "Call web service" automation action, as the sandbox plays it (VENDORS.md §1.8).

On a real instance the action is configured in the UI on an automation rule: a URL, headers
(e.g. a shared secret) and a body template built from request fields; there is no API to
register it. The sandbox takes the rules through its control API instead (`/_sandbox/automation`,
see app.py) and fires every rule whose `on` lists the event each time a request is created or
changed, through any endpoint (`InvGateState.listeners`).

A rule, as JSON (defaults shown):

    {"id": "r1", "url": "http://127.0.0.1:9999/webhooks/inv1",
     "on": ["created", "updated"],
     "headers": {},
     "body": {"request_id": "{id}", "event": "{event}"},
     "encoding": "form",            # or "json"
     "retries": 0, "retry_delay_ms": 200}

Body values are `str.format_map` templates over the request record plus `event`; an unknown
placeholder or a null field renders as "", a malformed template is sent as written. Delivery
is asynchronous: one asyncio task per delivery, so the API call that made the change never
waits for it, chained per (rule, request) so one receiver gets one request's changes in order.
Every attempt is logged: `{rule_id, request_id, event, url, sent_at, status, error, attempt}`,
`status` the HTTP status (null when nothing answered), `error` null on a 2xx.
How InvGate retries a failed call is not documented [?]: `retries` extra attempts, each
`retry_delay_ms` after the previous one, on a transport error or a non-2xx answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from deskbridge.sandbox.invgate.state import InvGateState

EVENTS = ("created", "updated")
ENCODINGS = ("form", "json")
MAX_DELIVERIES = 10_000
TIMEOUT_SECONDS = 5.0
_RULE_KEYS = {"id", "url", "on", "headers", "body", "encoding", "retries", "retry_delay_ms"}


class RuleError(ValueError):
    """An automation rule the control API refuses (HTTP 400)."""


def _default_body() -> dict[str, Any]:
    return {"request_id": "{id}", "event": "{event}"}


@dataclass(frozen=True)
class Rule:
    """One "Call web service" action and the events that fire it."""

    id: str
    url: str
    on: tuple[str, ...] = EVENTS
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=_default_body)
    encoding: str = "form"
    retries: int = 0
    retry_delay_ms: float = 200.0

    @classmethod
    def from_json(cls, data: Any, position: int = 1) -> Rule:
        """A rule from its control-API JSON; `RuleError` naming what is wrong."""
        if not isinstance(data, Mapping):
            raise RuleError(f"rule {position}: must be an object")
        unknown = sorted(set(data) - _RULE_KEYS)
        if unknown:
            raise RuleError(f"rule {position}: unknown keys {unknown}")
        rule_id = str(data.get("id") or position)
        where = f"rule {rule_id}"
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise RuleError(f"{where}: url must be an http(s) URL")
        on = data.get("on", list(EVENTS))
        if (
            not isinstance(on, list)
            or not on
            or any(not isinstance(e, str) or e not in EVENTS for e in on)
        ):
            raise RuleError(f"{where}: on must be a non-empty list of {list(EVENTS)}")
        headers = data.get("headers", {})
        if not isinstance(headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise RuleError(f"{where}: headers must be an object of strings")
        body = data.get("body", _default_body())
        if not isinstance(body, Mapping) or not all(isinstance(k, str) for k in body):
            raise RuleError(f"{where}: body must be an object")
        encoding = data.get("encoding", "form")
        if encoding not in ENCODINGS:
            raise RuleError(f"{where}: encoding must be one of {list(ENCODINGS)}")
        retries = data.get("retries", 0)
        if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
            raise RuleError(f"{where}: retries must be an integer from 0 to 10")
        delay = data.get("retry_delay_ms", 200)
        if not isinstance(delay, int | float) or isinstance(delay, bool) or delay < 0:
            raise RuleError(f"{where}: retry_delay_ms must be a number >= 0")
        return cls(
            id=rule_id,
            url=url,
            on=tuple(dict.fromkeys(on)),
            headers=dict(headers),
            body=dict(body),
            encoding=encoding,
            retries=retries,
            retry_delay_ms=float(delay),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "on": list(self.on),
            "headers": dict(self.headers),
            "body": dict(self.body),
            "encoding": self.encoding,
            "retries": self.retries,
            "retry_delay_ms": self.retry_delay_ms,
        }

    def render(self, event: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """The body for one change: every string value formatted, other values as they are."""
        values = _Fields({k: "" if v is None else v for k, v in record.items()}, event=event)
        return {
            key: render_template(value, values) if isinstance(value, str) else value
            for key, value in self.body.items()
        }


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render_template(template: str, values: Mapping[str, Any]) -> str:
    """`template.format_map(values)`, "" for unknown placeholders, never raising."""
    try:
        return template.format_map(values if isinstance(values, _Fields) else _Fields(values))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        # A malformed template ("{", "{id.x}", "{id:%}"): InvGate's behaviour is unknown [?];
        # sending it as written keeps the delivery, which is what a test can observe.
        return template


class Automation:
    """The rules of one sandbox, its pending deliveries and the delivery log."""

    def __init__(self, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.rules: list[Rule] = []
        self.deliveries: list[dict[str, Any]] = []
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._pending: set[asyncio.Task] = set()
        self._tails: dict[tuple[str, int], asyncio.Task] = {}

    # ---------------------------------------------------------------- configuration

    def set_rules(self, documents: Any) -> list[Rule]:
        """Replace the rules with `{"rules": [...]}` (or the bare list); `RuleError` if invalid."""
        if isinstance(documents, Mapping):
            documents = documents.get("rules")
        if not isinstance(documents, list):
            raise RuleError('expected {"rules": [...]}')
        rules = [Rule.from_json(d, position) for position, d in enumerate(documents, start=1)]
        ids = [r.id for r in rules]
        if len(set(ids)) != len(ids):
            raise RuleError("rule ids must be unique")
        self.rules = rules
        return rules

    def rules_json(self) -> dict[str, Any]:
        return {"rules": [r.to_json() for r in self.rules]}

    def attach(self, state: InvGateState) -> None:
        """Fire the rules on every change of `state` (call after seeding it)."""
        if self.on_change not in state.listeners:
            state.listeners.append(self.on_change)

    def reset(self) -> None:
        """No rules, no log, and the deliveries still pending are dropped."""
        self.rules = []
        self.deliveries.clear()
        for task in list(self._pending):
            task.cancel()
        self._pending.clear()
        self._tails.clear()

    async def idle(self) -> None:
        """Wait until every delivery scheduled so far has finished (retries included)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def aclose(self) -> None:
        """Drop pending deliveries and close the HTTP client."""
        for task in list(self._pending):
            task.cancel()
        await asyncio.gather(*list(self._pending), return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # ---------------------------------------------------------------- delivery

    def on_change(self, event: str, record: dict[str, Any]) -> None:
        """The `InvGateState` listener: schedule each matching rule's delivery."""
        matching = [r for r in self.rules if event in r.on]
        if not matching:
            return
        # The record is live: the body must show the request as this change left it.
        snapshot = dict(record)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            for rule in matching:
                self._log(rule, snapshot, event, 1, None, "no running event loop", time.time())
            return
        for rule in matching:
            key = (rule.id, int(snapshot["id"]))
            task = loop.create_task(self._deliver(rule, event, snapshot, self._tails.get(key)))
            self._tails[key] = task
            self._pending.add(task)
            task.add_done_callback(lambda done, key=key: self._finished(key, done))

    def _finished(self, key: tuple[str, int], task: asyncio.Task) -> None:
        self._pending.discard(task)
        if self._tails.get(key) is task:
            del self._tails[key]

    async def _deliver(
        self,
        rule: Rule,
        event: str,
        record: dict[str, Any],
        previous: asyncio.Task | None,
    ) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        body = rule.render(event, record)
        for attempt in range(1, rule.retries + 2):
            if attempt > 1:
                await asyncio.sleep(rule.retry_delay_ms / 1000)
            sent_at = time.time()
            status, problem = await self._post(rule, body)
            self._log(rule, record, event, attempt, status, problem, sent_at)
            if problem is None:
                return

    async def _post(self, rule: Rule, body: dict[str, Any]) -> tuple[int | None, str | None]:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout)
        headers = dict(rule.headers)
        try:
            if rule.encoding == "json":
                response = await self._client.post(rule.url, json=body, headers=headers)
            else:
                form = {k: "" if v is None else str(v) for k, v in body.items()}
                response = await self._client.post(rule.url, data=form, headers=headers)
        except Exception as failure:
            # Any failure (transport, a header httpx refuses, ...) is an attempt that got no
            # answer: the delivery log is the only place a test can see it.
            return None, f"{type(failure).__name__}: {failure}".rstrip(": ")
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code} {response.reason_phrase}"

    def _log(
        self,
        rule: Rule,
        record: Mapping[str, Any],
        event: str,
        attempt: int,
        status: int | None,
        problem: str | None,
        sent_at: float,
    ) -> None:
        if len(self.deliveries) >= MAX_DELIVERIES:
            del self.deliveries[: MAX_DELIVERIES // 2]
        self.deliveries.append(
            {
                "rule_id": rule.id,
                "request_id": record.get("id"),
                "event": event,
                "url": rule.url,
                "sent_at": sent_at,
                "status": status,
                "error": problem,
                "attempt": attempt,
            }
        )
