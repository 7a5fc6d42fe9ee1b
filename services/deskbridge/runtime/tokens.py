"""A vendor bearer token, fetched once for every caller: written once for every OAuth flavour.

The token is cached until `margin` seconds before it expires. Fetches are single-flight: when
it expires, or when the vendor answers 401 to a hundred concurrent calls, one token request
is made and every caller gets its result (a 401 refreshes only if the rejected token is still
the current one). A vendor's grant (client credentials, password, ...) is only its `fetch`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    value: str
    expires_in: float  # seconds from now


Fetch = Callable[[str], Awaitable[Token]]  # base URL → a new token


class CachedToken:
    """`UpstreamAuth` for bearer tokens (runtime/upstream.py)."""

    refreshable = True

    def __init__(
        self,
        fetch: Fetch,
        *,
        margin: float = 30.0,
        minimum_ttl: float = 5.0,
        scheme: str = "Bearer ",
    ) -> None:
        self._fetch = fetch
        self._scheme = scheme  # "" for a token that travels as a parameter (CRM.COM)
        self._margin = margin
        self._minimum_ttl = minimum_ttl
        self._header: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    def current(self) -> str | None:
        """The header while the cached token is fresh, None when a fetch is due: the common
        case without an await and a timeout scope (~4 µs a vendor call)."""
        if self._header is not None and time.monotonic() < self._expires_at:
            return self._header
        return None

    async def authorization(
        self, base_url: str, *, refresh: bool = False, rejected: str | None = None
    ) -> str:
        header = self._header
        if header is not None and not refresh and time.monotonic() < self._expires_at:
            return header
        async with self._lock:
            stale = self._header is None or time.monotonic() >= self._expires_at
            if stale or (refresh and (rejected is None or rejected == self._header)):
                token = await self._fetch(base_url)
                self.fetches += 1
                self._header = f"{self._scheme}{token.value}"
                # Refresh `margin` early, but never cache a short token for less than a few s.
                ttl = max(self._minimum_ttl, token.expires_in - self._margin)
                self._expires_at = time.monotonic() + min(ttl, token.expires_in)
            assert self._header is not None
            return self._header

    def forget(self) -> str | None:
        """The current token, dropped (to release it with the vendor at shutdown)."""
        header, self._header, self._expires_at = self._header, None, 0.0
        return header
