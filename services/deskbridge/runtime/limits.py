"""Abuse limits per caller: a token-bucket call rate and a cap on calls in flight.

A caller is the authenticated principal, or the peer's address when anonymous. Beyond either
limit a call is refused before it reaches a vendor with RESOURCE_EXHAUSTED and RetryInfo (when
the bucket refills; a short pause for the in-flight cap). Written here rather than taken from
a library: it is two dictionaries on the hot path of every RPC, and grpc has no per-caller
limiter of its own. The tables forget callers beyond `MAX_CALLERS` (a flood of peer addresses
costs memory only up to it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import grpc

from deskbridge.runtime.errors import ApiError

MAX_CALLERS = 100_000


@dataclass
class CallerLimits:
    rate: float = 0.0  # calls per second per caller; 0: no rate limit
    burst: int = 0  # bucket size (default: twice the rate)
    in_flight: int = 0  # calls at once per caller; 0: no cap
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # tokens, at
    _running: dict[str, int] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.rate > 0 or self.in_flight > 0

    def enter(self, caller: str) -> None:
        """Count a call in, or raise RESOURCE_EXHAUSTED; pair with `leave` when admitted."""
        if self.rate > 0:
            self._take(caller)
        if self.in_flight > 0:
            running = self._running.get(caller, 0)
            if running >= self.in_flight:
                raise _exhausted(caller, f"more than {self.in_flight} calls in flight", 0.05)
            if len(self._running) >= MAX_CALLERS and caller not in self._running:
                self._running = {k: v for k, v in self._running.items() if v}
            self._running[caller] = running + 1

    def leave(self, caller: str) -> None:
        if self.in_flight > 0:
            left = self._running.get(caller, 1) - 1
            if left > 0:
                self._running[caller] = left
            else:
                self._running.pop(caller, None)

    def _take(self, caller: str) -> None:
        now = time.monotonic()
        size = float(self.burst or 2 * self.rate)
        tokens, at = self._buckets.get(caller, (size, now))
        tokens = min(size, tokens + (now - at) * self.rate)
        if tokens < 1.0:
            self._buckets[caller] = (tokens, now)
            raise _exhausted(
                caller, f"more than {self.rate:g} calls a second", (1 - tokens) / self.rate
            )
        if len(self._buckets) >= MAX_CALLERS and caller not in self._buckets:
            self._buckets.clear()
        self._buckets[caller] = (tokens - 1.0, now)


def _exhausted(caller: str, what: str, retry_after: float) -> ApiError:
    return ApiError(
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        f"this caller made {what}; retry after the delay in RetryInfo",
        reason="CALLER_RATE_LIMITED",
        metadata={"caller": caller},
        retry_after_seconds=max(0.001, retry_after),
    )


def caller_key(caller: str, peer: str) -> str:
    """The principal, or the peer's address without its port when anonymous."""
    if caller:
        return caller
    return peer.rpartition(":")[0] or peer
