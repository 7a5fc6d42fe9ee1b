"""Exactly one active watcher per backend across replicas: a lease in NATS KV.

The lease is one KV entry `lease.<backend>` holding `{holder, expires}` (wall-clock epoch
seconds). It is taken with compare-and-set on the entry's KV revision: created when absent,
taken over when expired, renewed by its holder every third of the TTL. A holder that cannot
renew (NATS away, another holder) stops acting on the backend at once; a standby takes over
within the TTL of the holder's last renewal. Replicas' clocks must agree to well within the TTL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import nats.js.errors
import orjson
import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class LeaseRecord:
    holder: str
    expires: float


def lease_key(backend: str) -> str:
    return f"lease.{backend}"


async def read_lease(kv: Any, backend: str) -> tuple[LeaseRecord | None, int | None]:
    """The lease as stored (None when absent) and its KV revision."""
    try:
        entry = await kv.get(lease_key(backend))
    except nats.js.errors.KeyNotFoundError:
        return None, None
    if entry.value is None or entry.operation in ("DEL", "PURGE"):
        return None, entry.revision
    document = orjson.loads(entry.value)
    return LeaseRecord(str(document["holder"]), float(document["expires"])), entry.revision


class Lease:
    """One process's claim on one backend's lease."""

    def __init__(self, kv: Any, backend: str, holder: str, ttl_seconds: float) -> None:
        self._kv = kv
        self.backend = backend
        self.holder = holder
        self.ttl = ttl_seconds
        self._revision: int | None = None
        self._expires = 0.0

    @property
    def held(self) -> bool:
        return self._revision is not None and time.time() < self._expires

    async def acquire_or_renew(self) -> bool:
        """Take the lease if free or expired, renew it if ours; whether we hold it now."""
        try:
            current, revision = await read_lease(self._kv, self.backend)
            if (
                current is not None
                and current.holder != self.holder
                and current.expires > time.time()
            ):
                self._revision = None
                return False
            if self._revision is not None and revision != self._revision:
                self._revision = None  # someone else wrote it since our last renewal
                if current is not None and current.holder != self.holder:
                    return False
            expires = time.time() + self.ttl
            value = orjson.dumps({"holder": self.holder, "expires": expires})
            if revision is None:
                self._revision = await self._kv.create(lease_key(self.backend), value)
            else:
                self._revision = await self._kv.update(
                    lease_key(self.backend), value, last=revision
                )
            was_held = self._expires > 0
            self._expires = expires
            if not was_held:
                log.info("watcher_lease_acquired", backend=self.backend, holder=self.holder)
            return True
        except Exception as error:  # a lost race or NATS away: not ours until proven
            if self._revision is not None:
                log.warning(
                    "watcher_lease_lost",
                    backend=self.backend,
                    error=str(error) or type(error).__name__,
                )
            self._revision = None
            self._expires = 0.0
            return False

    async def release(self) -> None:
        """Give the lease up (a clean stop), so a standby need not wait for the TTL."""
        if self._revision is None:
            return
        value = orjson.dumps({"holder": self.holder, "expires": 0})
        try:
            await self._kv.update(lease_key(self.backend), value, last=self._revision)
            log.info("watcher_lease_released", backend=self.backend, holder=self.holder)
        except Exception as error:
            log.warning("watcher_lease_not_released", backend=self.backend, error=str(error))
        self._revision = None
        self._expires = 0.0
