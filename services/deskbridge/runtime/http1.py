"""A lean HTTP/1.1 keep-alive connection pool on asyncio and httptools, for vendor calls.

Why not httpx here: profiling `GetTicket` showed httpx/httpcore at ~37 % of the service's CPU
(~650 µs per call: request and URL objects, anyio stream wrappers, the pool's per-request
scans); a tuned aiohttp session costs ~135 µs per call, this pool ~90 µs (figures and method in
benchmarks/README.md). Vendor calls need little of a general client: one origin, keep-alive,
Content-Length or chunked bodies (httptools parses both), optional TLS, gzip/deflate. No
proxies, redirects or cookies — none of the vendor APIs use them.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httptools
import orjson

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ConnectError(OSError):
    """The vendor could not be reached (refused, unresolvable, TLS failure)."""


class ProtocolError(OSError):
    """The connection broke or the vendor answered something that is not HTTP/1.1."""


@dataclass
class HttpResponse:
    """A complete response: status, lower-cased headers, body."""

    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""

    def json(self) -> Any:
        try:
            return orjson.loads(self.content)
        except orjson.JSONDecodeError:
            # orjson refuses what the json module accepts: integers beyond 64 bits, NaN.
            return json.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class _Connection(asyncio.Protocol):
    """One keep-alive connection; carries one exchange at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[HttpResponse] | None = None
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []
        self._received = False
        self.keep_alive = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._received = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(ProtocolError(f"malformed HTTP response: {error}"))
            self.close()

    def eof_received(self) -> bool | None:
        return None  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(ProtocolError(f"connection closed by the vendor ({exc or 'EOF'})"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        # Only meaningful inside the callback: llhttp resets its state after the message.
        self.keep_alive = self._parser.should_keep_alive()
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(
                HttpResponse(self._parser.get_status_code(), self._headers, b"".join(self._body))
            )

    # use
    @property
    def usable(self) -> bool:
        return not self.closed and self.transport is not None and not self.transport.is_closing()

    def send(self, request: bytes, loop: asyncio.AbstractEventLoop) -> asyncio.Future[HttpResponse]:
        """Write one request; the future gets its whole response."""
        assert self.transport is not None
        self._headers, self._body, self._received, self.keep_alive = {}, [], False, False
        self._waiter = waiter = loop.create_future()
        self.transport.write(request)
        return waiter

    def time_out(self) -> None:
        """The exchange took too long: fail it and drop the connection (it is mid-response)."""
        self._fail(TimeoutError("no complete response in time"))
        self.close()

    def failed_before_response(self) -> bool:
        return not self._received

    def _fail(self, error: Exception) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class ConnectionPool:
    """Keep-alive connections to one origin, at most `max_connections` at once.

    Like its connections, a pool belongs to the event loop it is first used on.
    """

    def __init__(
        self,
        base_url: str,
        *,
        max_connections: int = 100,
        connect_timeout: float = 5.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base URL must be http(s)://host[:port][/path], got {base_url!r}")
        self.host = parts.hostname
        tls = parts.scheme == "https"
        self.port = parts.port or (443 if tls else 80)
        self.prefix = parts.path.rstrip("/")
        default_port = self.port == (443 if tls else 80)
        self._host_header = self.host if default_port else f"{self.host}:{self.port}"
        self._ssl = (ssl_context or ssl.create_default_context()) if tls else None
        self._connect_timeout = connect_timeout
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: list[_Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    async def request(
        self,
        method: str,
        target: str,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        deadline: float | None = None,
    ) -> HttpResponse:
        """One exchange. `target` is the path and query below the base URL's path; `deadline`
        (a `time.monotonic()` / loop-clock time) bounds all of it — waiting for a connection,
        connecting, the response — raising TimeoutError."""
        request = self._encode(method, self.prefix + target, headers, body)
        loop = self._loop or self._bind_loop()
        if self._slots.locked():  # all connections busy: only then pay for a timed wait
            async with asyncio.timeout_at(deadline):
                await self._slots.acquire()
        else:
            await self._slots.acquire()  # returns at once
        try:
            connection = self._idle_connection()
            reused = connection is not None
            if connection is None:
                connection = await self._open(deadline)
            try:
                response = await self._exchange(connection, request, loop, deadline)
            except ProtocolError:
                connection.close()
                # A kept-alive connection the vendor closed just as we wrote to it: the request
                # was not processed, so a safe one is sent once more on a fresh connection.
                if not (reused and method in SAFE_METHODS and connection.failed_before_response()):
                    raise
                connection = await self._open(deadline)
                response = await self._exchange(connection, request, loop, deadline)
            except BaseException:  # timeout or cancellation mid-exchange: not reusable
                connection.close()
                raise
            if connection.keep_alive and connection.usable:
                self._idle.append(connection)
            else:
                connection.close()
        finally:
            self._slots.release()
        return _decoded(response)

    @staticmethod
    async def _exchange(
        connection: _Connection,
        request: bytes,
        loop: asyncio.AbstractEventLoop,
        deadline: float | None,
    ) -> HttpResponse:
        waiter = connection.send(request, loop)
        if deadline is None:
            return await waiter
        # A plain timer on the loop rather than asyncio.timeout(): this is every vendor call.
        timer = loop.call_at(deadline, connection.time_out)
        try:
            return await waiter
        finally:
            timer.cancel()

    def _bind_loop(self) -> asyncio.AbstractEventLoop:
        # Kept rather than asked per call: get_running_loop() costs a getpid() syscall.
        self._loop = asyncio.get_running_loop()
        return self._loop

    def _idle_connection(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if connection.usable:
                return connection
        return None

    async def _open(self, deadline: float | None = None) -> _Connection:
        loop = asyncio.get_running_loop()
        connect_by = loop.time() + self._connect_timeout
        try:
            async with asyncio.timeout_at(min(connect_by, deadline or connect_by)):
                _, connection = await loop.create_connection(
                    _Connection,
                    self.host,
                    self.port,
                    ssl=self._ssl,
                    server_hostname=self.host if self._ssl else None,
                )
        except TimeoutError:  # an OSError too, but the caller reports it as a timeout
            raise
        except OSError as error:  # refused, unresolvable, TLS handshake (SSLError)
            raise ConnectError(f"cannot connect to {self.host}:{self.port}: {error}") from error
        return connection

    def _encode(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> bytes:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self._host_header}"]
        lines.extend(f"{name}: {value}" for name, value in headers)
        if body or method not in SAFE_METHODS:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _decoded(response: HttpResponse) -> HttpResponse:
    """The body without its content coding (we ask for none, but a vendor may still send it)."""
    coding = response.headers.get("content-encoding", "").lower()
    if coding in ("gzip", "deflate") and response.content:
        try:
            response.content = zlib.decompress(response.content, 47)  # 47: gzip or zlib header
        except zlib.error as error:
            raise ProtocolError(f"bad {coding} body: {error}") from error
    return response
