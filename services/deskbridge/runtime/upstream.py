"""Calling a vendor over HTTP, the same way for every adapter.

- pooled keep-alive connections per backend (`runtime/http1.py`: httpx cost ~650 µs of CPU per
  call, see benchmarks/README.md);
- the Authorization header from the backend's credentials, refreshed once after a 401;
- the timeout of each attempt derived from the caller's gRPC deadline;
- retries with exponential backoff and full jitter, honouring `Retry-After`, only for safe
  (idempotent) calls and only on 429, 5xx and connection errors — never blind retries of writes;
- transport failures and vendor HTTP errors turned into gRPC errors with `ErrorInfo`
  (reason, backend, vendor HTTP status, vendor message);
- per exchange, the vendor-call metrics (runtime/metrics.py) and, when tracing is on, a CLIENT
  span whose W3C context goes to the vendor in `traceparent`.
Vendor-specific error bodies are interpreted by the vendor package, not here.
"""

from __future__ import annotations

import asyncio
import base64
import random
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import quote_plus

import grpc
import structlog
from opentelemetry.trace import SpanKind

from deskbridge.runtime import tracing
from deskbridge.runtime.context import call_info
from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.http1 import (
    SAFE_METHODS,
    ConnectError,
    ConnectionPool,
    HttpResponse,
    ProtocolError,
)
from deskbridge.runtime.metrics import (
    VENDOR_REQUESTS,
    VENDOR_RETRIES,
    VENDOR_RETRY_WAIT,
    VENDOR_SECONDS,
    child,
    endpoint_of,
)
from deskbridge.runtime.settings import BackendConfig

log = structlog.get_logger(__name__)
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
Params = Iterable[tuple[str, str]]
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote_plus leaves as it is
_RESERVED = re.compile(r"[^A-Za-z0-9_.~ -]")  # what it percent-encodes in ASCII (space: +)


def form_encode(pairs: Params) -> str:
    """`application/x-www-form-urlencoded` text, as `urllib.parse.urlencode` writes it for
    string pairs; text that needs no quoting (ids, most words) skips `quote_plus`."""
    return "&".join(f"{_form_quote(name)}={_form_quote(value)}" for name, value in pairs)


def _form_quote(text: str) -> str:
    if _UNRESERVED.fullmatch(text):
        return text
    if text.isascii():  # `quote_plus`'s own path costs ~2 µs for a short `id=7` (CRM.COM's)
        return _RESERVED.sub(_percent, text).replace(" ", "+")
    return quote_plus(text)


def _percent(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


class UpstreamAuth(Protocol):
    """Supplies the `Authorization` header; when `refreshable`, asked again with `refresh`
    after a 401 (an expired or revoked token)."""

    refreshable: bool

    async def authorization(
        self, base_url: str, *, refresh: bool = False, rejected: str | None = None
    ) -> str | None:
        """The header value; with `refresh`, after the vendor answered 401 to `rejected`."""
        ...

    def current(self) -> str | None:
        """A refreshable auth's header while it needs no fetch, else None (no await)."""
        ...


@dataclass(frozen=True, repr=False)
class FixedAuth:
    """A header that never changes (an API key; Basic credentials)."""

    header: str
    refreshable = False

    async def authorization(
        self, base_url: str, *, refresh: bool = False, rejected: str | None = None
    ) -> str | None:
        return self.header

    def current(self) -> str | None:
        return self.header

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class BasicAuth(FixedAuth):
    """HTTP Basic credentials (the header is built once)."""

    @classmethod
    def of(cls, username: str, password: str) -> BasicAuth:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        return cls(f"Basic {token}")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base_delay: float = 0.05
    max_delay: float = 2.0
    max_retry_after: float = 5.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


@dataclass(frozen=True)
class UpstreamTimeouts:
    default: float = 30.0  # per attempt, when the caller set no deadline
    connect: float = 5.0
    margin: float = 0.05  # leave time to answer the caller before its deadline


class Upstream:
    """An HTTP client bound to one backend."""

    def __init__(
        self,
        *,
        backend: str,
        vendor: str,
        base_url: str,
        auth: UpstreamAuth | None = None,
        headers: Mapping[str, str] | None = None,
        retry: RetryPolicy = RetryPolicy(),
        timeouts: UpstreamTimeouts = UpstreamTimeouts(),
        max_connections: int = 200,
    ) -> None:
        self.backend = backend
        self.vendor = vendor
        self.base_url = base_url
        self.retry = retry
        self.timeouts = timeouts
        self._auth = auth
        self._headers = [("Accept", "application/json"), *(headers or {}).items()]
        # Every request's headers, credentials included, once known not to change: static
        # credentials (or none) are asked for once, refreshable ones on every call.
        self._fixed_headers: list[tuple[str, str]] | None = self._headers if auth is None else None
        self._pool = ConnectionPool(
            base_url, max_connections=max_connections, connect_timeout=timeouts.connect
        )

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        content: bytes = b"",
        headers: Mapping[str, str] | None = None,
        safe: bool | None = None,
    ) -> HttpResponse:
        """Send with retries when `safe` (default: GET/HEAD/OPTIONS); raise ApiError on failure.

        Returns any response with a status below 400 and also 4xx other than 401/403/429, so
        the vendor package can interpret its own error bodies.
        """
        safe = method in SAFE_METHODS if safe is None else safe
        endpoint = endpoint_of(path)
        target = f"{path}?{form_encode(params)}" if params else path
        extra = list(headers.items()) if headers else []
        attempts = self.retry.attempts if safe else 1
        for attempt in range(attempts):
            timeout = self._attempt_timeout()
            try:
                response = await self._send(
                    method, endpoint, target, extra, content, time.monotonic() + timeout
                )
            except TimeoutError as error:
                # A timeout we shortened to fit the caller's deadline is that deadline passing.
                code = (
                    grpc.StatusCode.DEADLINE_EXCEEDED
                    if timeout < self.timeouts.default
                    else grpc.StatusCode.UNAVAILABLE
                )
                failure = self._unavailable(
                    "UPSTREAM_TIMEOUT", f"timed out after {timeout:.2f}s", error, code=code
                )
                retry_after = None
            except ConnectError as error:  # nothing was sent
                failure = self._unavailable("UPSTREAM_UNREACHABLE", str(error), error)
                failure.may_have_written = False
                retry_after = None
            except ProtocolError as error:  # the exchange broke: the request may have arrived
                failure = self._unavailable("UPSTREAM_UNREACHABLE", str(error), error)
                retry_after = None
            else:
                if response.status_code not in RETRYABLE_STATUS:
                    return self._check_auth(response)
                failure = self._status_error(response)
                retry_after = failure.retry_after_seconds
            if attempt + 1 >= attempts or not self._time_for_retry(attempt, retry_after):
                raise failure
            delay = self.retry.delay(attempt, retry_after)
            child(VENDOR_RETRIES, self.backend, self.vendor, endpoint, failure.reason).inc()
            child(VENDOR_RETRY_WAIT, self.backend, self.vendor, failure.reason).inc(delay)
            log.info(
                "upstream_retry",
                backend=self.backend,
                path=path,
                attempt=attempt + 1,
                reason=failure.reason,
                delay_s=round(delay, 3),
            )
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _send(
        self,
        method: str,
        endpoint: str,
        target: str,
        extra: list[tuple[str, str]],
        content: bytes,
        deadline: float,
    ) -> HttpResponse:
        """One exchange with credentials, all before `deadline` (`time.monotonic()`); a 401
        refreshes them (e.g. an expired token) once."""
        rejected = None
        for refresh in (False, True):
            headers = self._fixed_headers or await self._credentialed_headers(
                refresh, rejected, deadline
            )
            if extra:
                headers = headers + extra
            response = await self._exchange(method, endpoint, target, headers, content, deadline)
            if response.status_code != 401 or self._auth is None or not self._auth.refreshable:
                break
            rejected = next((v for k, v in headers if k == "Authorization"), None)
        return response

    async def _exchange(
        self,
        method: str,
        endpoint: str,
        target: str,
        headers: list[tuple[str, str]],
        content: bytes,
        deadline: float,
    ) -> HttpResponse:
        """One HTTP exchange, counted and timed (and traced when tracing is on)."""
        span = self._client_span(method, endpoint) if tracing.enabled() else None
        if span is not None:
            headers = headers + list(tracing.inject({}).items())
        status = "broken"
        started = time.monotonic()
        try:
            response = await self._pool.request(method, target, headers, content, deadline=deadline)
            status = str(response.status_code)
            return response
        except TimeoutError:
            status = "timeout"
            raise
        except ConnectError:
            status = "unreachable"
            raise
        except asyncio.CancelledError:
            status = "cancelled"
            raise
        finally:
            elapsed = time.monotonic() - started
            child(VENDOR_SECONDS, self.backend, self.vendor, endpoint, method).observe(elapsed)
            child(VENDOR_REQUESTS, self.backend, self.vendor, endpoint, method, status).inc()
            if span is not None:
                current, _ = span
                if status.isdigit():
                    current.set_attribute("http.response.status_code", int(status))
                failed = not status.isdigit() or int(status) >= 500
                tracing.end_span(span, status if failed else None)

    def _client_span(self, method: str, endpoint: str):
        return tracing.start_span(
            f"{method} {endpoint}",
            SpanKind.CLIENT,
            {
                "http.request.method": method,
                "url.template": endpoint,
                "server.address": self._pool.host,
                "deskbridge.vendor": self.vendor,
                "deskbridge.backend": self.backend,
            },
        )

    async def _credentialed_headers(
        self, refresh: bool, rejected: str | None, deadline: float
    ) -> list[tuple[str, str]]:
        assert self._auth is not None
        if self._auth.refreshable:
            fresh = None if refresh else self._auth.current()
            if fresh is not None:
                value = fresh
            else:
                async with asyncio.timeout_at(deadline):  # a token fetch is a network call
                    value = await self._auth.authorization(
                        self.base_url, refresh=refresh, rejected=rejected
                    )
        else:
            value = await self._auth.authorization(self.base_url)
        headers = [*self._headers, ("Authorization", value)] if value else self._headers
        if not self._auth.refreshable:
            self._fixed_headers = headers
        return headers

    def _attempt_timeout(self) -> float:
        remaining = call_info().time_remaining()
        if remaining is None:
            return self.timeouts.default
        if remaining <= self.timeouts.margin:
            raise ApiError(
                grpc.StatusCode.DEADLINE_EXCEEDED,
                "deadline too short to call the vendor",
                reason="DEADLINE_TOO_SHORT",
                metadata={"backend": self.backend},
                may_have_written=False,
            )
        return min(self.timeouts.default, remaining - self.timeouts.margin)

    def _time_for_retry(self, attempt: int, retry_after: float | None) -> bool:
        remaining = call_info().time_remaining()
        needed = self.retry.delay(attempt, retry_after) if retry_after else 0.0
        return remaining is None or remaining > needed + self.timeouts.margin * 2

    def _check_auth(self, response: HttpResponse) -> HttpResponse:
        if response.status_code in (401, 403):
            raise self.error(
                grpc.StatusCode.FAILED_PRECONDITION
                if response.status_code == 403
                else grpc.StatusCode.UNAVAILABLE,
                "UPSTREAM_CREDENTIALS_REJECTED",
                f"the {self.vendor} backend {self.backend!r} rejected Deskbridge's credentials "
                f"(HTTP {response.status_code}); check the backend's configured credentials",
                response,
            )
        return response

    def _status_error(self, response: HttpResponse) -> ApiError:
        if response.status_code == 429:
            error = self.error(
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                "UPSTREAM_RATE_LIMITED",
                f"{self.vendor} rate limit reached",
                response,
            )
        else:
            error = self.error(
                grpc.StatusCode.UNAVAILABLE,
                "UPSTREAM_UNAVAILABLE",
                f"{self.vendor} answered HTTP {response.status_code}",
                response,
            )
        error.retry_after_seconds = retry_after_seconds(response)
        return error

    def _unavailable(
        self, reason: str, text: str, cause: Exception, code: grpc.StatusCode | None = None
    ) -> ApiError:
        error = ApiError(
            code or grpc.StatusCode.UNAVAILABLE,
            f"{self.vendor} backend {self.backend!r}: {text}",
            reason=reason,
            metadata={"backend": self.backend, "vendor": self.vendor},
        )
        error.__cause__ = cause
        return error

    def error(
        self,
        code: grpc.StatusCode,
        reason: str,
        message: str,
        response: HttpResponse | None = None,
        vendor_message: str = "",
    ) -> ApiError:
        """An ApiError carrying backend, vendor, vendor HTTP status and vendor message."""
        metadata = {"backend": self.backend, "vendor": self.vendor}
        if response is not None:
            metadata["vendor_http_status"] = str(response.status_code)
        if vendor_message:
            metadata["vendor_message"] = vendor_message[:500]
        return ApiError(code, message, reason=reason, metadata=metadata)


def retry_after_seconds(response: HttpResponse) -> float | None:
    """`Retry-After` as seconds (delta-seconds or an HTTP date), None when absent or bad."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def upstream_for(config: BackendConfig, auth: UpstreamAuth | None) -> Upstream:
    """The pooled client of one configured backend (`max_connections` option, default 200);
    `auth` None for a vendor whose credentials travel in the request itself."""
    return Upstream(
        backend=config.name,
        vendor=config.vendor,
        base_url=config.base_url,
        auth=auth,
        max_connections=int(config.options.get("max_connections", 200)),
    )
