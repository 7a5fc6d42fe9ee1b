"""Webhook subscriptions the watcher owns, for a vendor that must be told where to call back.

A backend whose adapter declares `Subscriptions` (Requestor's eleven triggers) gets one
subscription per topic, each with its own callback URL
`<callback base>/webhooks/<backend>/<secret>`: 32 random bytes that only the vendor and the
intake ever see. What the watcher owns is kept in NATS KV (`subs.<backend>` in the watcher
bucket): per topic the vendor's handle (the Location to DELETE), the SHA-256 of the secret
(never the secret itself) and the callback base it was registered with.

Only the lease holder changes subscriptions:
- `reconcile()` (when it starts leading): keeps every recorded subscription of a needed topic
  with the current callback base, registers the missing ones and deletes the rest (a topic no
  longer wanted, a callback base that moved). A restart, a `kill -9` or a second replica
  therefore finds its subscriptions in KV and registers nothing twice;
- `release()` (a clean stop): deletes every subscription at the vendor and the record.

Each subscription is recorded as soon as the vendor answers, one KV write per topic. A crash
between the vendor's answer and that write leaves one subscription the vendor has and KV does
not (its secret is unknown, so its deliveries are refused with 401); no listing API exists to
find it, so it is logged at registration time with the topic for an operator.

Every watcher process serves the intake, leased or not: `topic_of(secret)` answers from the
records, re-read from KV when a secret is not known yet (at most once a second).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import nats.js.errors
import orjson
import structlog

from deskbridge.runtime.sources import Subscriptions

log = structlog.get_logger(__name__)
REFRESH_SECONDS = 1.0


def subscriptions_key(backend: str) -> str:
    return f"subs.{backend}"


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Owned:
    """One subscription the watcher registered."""

    topic: str
    handle: str
    digest: str
    base: str
    created: float

    def document(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "digest": self.digest,
            "base": self.base,
            "created": self.created,
        }


class SubscriptionKeeper:
    """The subscriptions of one backend (see the module docstring)."""

    def __init__(self, backend: str, subscriptions: Subscriptions, kv: Any) -> None:
        self.backend = backend
        self.subscriptions = subscriptions
        self.kv = kv
        self.base: str | None = None  # the callback base, once the intake runs (Watcher)
        self._owned: dict[str, Owned] = {}
        self._read_at = 0.0
        self._lock = asyncio.Lock()

    def callback_url(self, secret: str) -> str:
        return f"{self.base}/webhooks/{self.backend}/{secret}"

    async def _load(self) -> dict[str, Owned]:
        try:
            entry = await self.kv.get(subscriptions_key(self.backend))
        except nats.js.errors.KeyNotFoundError:
            return {}
        if entry.value is None or entry.operation in ("DEL", "PURGE"):
            return {}
        document = orjson.loads(entry.value)
        return {topic: Owned(topic=topic, **fields) for topic, fields in document.items()}

    async def _save(self, owned: dict[str, Owned]) -> None:
        document = {topic: o.document() for topic, o in owned.items()}
        await self.kv.put(subscriptions_key(self.backend), orjson.dumps(document))
        self._owned = dict(owned)

    async def reconcile(self) -> dict[str, int]:
        """Make the vendor's subscriptions what this backend needs; counts of what was done."""
        async with self._lock:
            owned = await self._load()
            done = {"kept": 0, "registered": 0, "deleted": 0}
            wanted = set(self.subscriptions.topics)
            for topic, record in list(owned.items()):
                if topic in wanted and record.base == self.base:
                    done["kept"] += 1
                    continue
                await self.subscriptions.unsubscribe(record.handle)
                del owned[topic]
                await self._save(owned)
                done["deleted"] += 1
            if self.base is None:
                log.warning(
                    "webhook_subscriptions_skipped",
                    backend=self.backend,
                    reason="no callback URL: set DESKBRIDGE_WEBHOOK_ADDRESS "
                    "(and DESKBRIDGE_WEBHOOK_PUBLIC_URL behind an ingress)",
                )
                self._owned = owned
                return done
            for topic in self.subscriptions.topics:
                if topic in owned:
                    continue
                secret = secrets.token_urlsafe(32)
                handle = await self.subscriptions.subscribe(topic, self.callback_url(secret))
                owned[topic] = Owned(topic, handle, secret_digest(secret), self.base, time.time())
                await self._save(owned)
                done["registered"] += 1
                log.info("webhook_subscribed", backend=self.backend, topic=topic, handle=handle)
            self._owned = owned
            log.info("webhook_subscriptions_reconciled", backend=self.backend, **done)
            return done

    async def release(self) -> int:
        """Delete every owned subscription at the vendor and in KV; how many were deleted."""
        async with self._lock:
            owned = await self._load()
            deleted = 0
            for topic, record in list(owned.items()):
                try:
                    await self.subscriptions.unsubscribe(record.handle)
                except Exception as error:  # kept in KV: the next holder deletes it
                    log.warning(
                        "webhook_unsubscribe_failed",
                        backend=self.backend,
                        topic=topic,
                        error=str(error) or type(error).__name__,
                    )
                    continue
                del owned[topic]
                deleted += 1
            await self._save(owned)
            log.info("webhook_subscriptions_released", backend=self.backend, deleted=deleted)
            return deleted

    async def topic_of(self, secret: str) -> str | None:
        """The topic whose callback carries `secret`; None for anything else."""
        found = self._match(secret)
        if found is None and time.monotonic() - self._read_at >= REFRESH_SECONDS:
            self._read_at = time.monotonic()
            try:
                self._owned = await self._load()
            except Exception as error:
                log.warning("webhook_subscriptions_unread", backend=self.backend, error=str(error))
            found = self._match(secret)
        return found

    def _match(self, secret: str) -> str | None:
        digest = secret_digest(secret)
        found = None
        for topic, record in self._owned.items():  # every record compared: no early exit
            if hmac.compare_digest(record.digest, digest):
                found = topic
        return found
