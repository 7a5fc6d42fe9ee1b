"""A lean HTTP/1.1 keep-alive connection pool on asyncio and httptools, for vendor calls.

Why not httpx here: profiling `GetTicket` showed httpx/httpcore at ~37 % of the service's CPU
(~650 µs per call: request and URL objects, anyio stream wrappers, the pool's per-request
scans); a tuned aiohttp session costs ~135 µs per call, this pool ~90 µs (figures and method in
benchmarks/README.md). Vendor calls need little of a general client: one origin, keep-alive,
Content-Length or chunked bodies (httptools parses both), optional TLS, gzip/deflate. No
redirects or cookies — none of the vendor APIs use them.

Egress proxies: the standard HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY variables (either
case) are read once per pool and matched exactly as httpx matches them (its own helpers), so a
vendor's OAuth token requests (httpx) and its API calls take the same route. An https origin
is reached through an HTTP CONNECT tunnel, TLS running end to end with the origin; an http
origin gets absolute-form requests (`GET http://vendor/path`), as curl and httpx send them,
because forward proxies commonly allow CONNECT to TLS ports only. Credentials in the proxy URL
travel as `Proxy-Authorization: Basic` to the proxy only, and are never logged or put in an
error. Without a proxy nothing on the request path changes: the route is chosen at construction.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies

import httptools
import orjson
import structlog

log = structlog.get_logger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ConnectError(OSError):
    """The vendor could not be reached (refused, unresolvable, TLS failure, a proxy that
    refused the connection): nothing was sent to the vendor."""


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


@dataclass(frozen=True)
class Proxy:
    """An HTTP forward proxy; `authorization` is the `Proxy-Authorization` value built from
    the URL's user info (kept out of repr)."""

    host: str
    port: int
    authorization: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str) -> Proxy:
        """`http://[user:password@]host[:port]`; a URL without a scheme is taken as http://
        (as httpx and curl take it)."""
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme != "http" or not parts.hostname:
            # Name only the scheme and host: the URL may carry credentials.
            raise ValueError(
                f"unsupported proxy {parts.scheme}://{parts.hostname or ''}: only http:// "
                "proxies are supported for vendor calls"
            )
        authorization = None
        if parts.username is not None:
            user_info = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            authorization = "Basic " + base64.b64encode(user_info.encode()).decode()
        return cls(parts.hostname, parts.port or 80, authorization)

    @property
    def address(self) -> str:
        return _authority(self.host, self.port)


def environment_proxy(url: str) -> Proxy | None:
    """The proxy the environment names for `url`, or None (no proxy variable, or NO_PROXY
    matches). Chosen by httpx's own rules — most specific NO_PROXY/scheme pattern first — so
    it is the route httpx takes to the same URL."""
    variables = getproxies()
    if not any(variables.get(scheme) for scheme in ("http", "https", "all")):
        return None  # the common case: no proxy, and no httpx import
    import httpx
    from httpx._utils import URLPattern, get_environment_proxies

    mounts = {URLPattern(key): value for key, value in get_environment_proxies().items()}
    target = httpx.URL(url)
    for pattern in sorted(mounts):
        if pattern.matches(target):
            chosen = mounts[pattern]
            return Proxy.from_url(chosen) if chosen else None
    return None


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _TunnelReply(asyncio.Protocol):
    """Reads the proxy's answer to CONNECT: its status line and headers, nothing more."""

    def __init__(self) -> None:
        self.status: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.status.done():
            return
        self._buffer += data
        if b"\r\n\r\n" not in self._buffer:
            if len(self._buffer) > 65536:
                self.status.set_exception(ConnectError("the proxy's answer to CONNECT is too long"))
            return
        assert self._transport is not None
        self._transport.pause_reading()  # the origin's TLS comes next, read by another protocol
        line = bytes(self._buffer.split(b"\r\n", 1)[0]).split(b" ", 2)
        if len(line) < 2 or not line[0].startswith(b"HTTP/") or not line[1].isdigit():
            self.status.set_exception(ConnectError("the proxy's answer to CONNECT is not HTTP"))
        else:
            self.status.set_result(int(line[1]))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.status.done():
            self.status.set_exception(
                ConnectError(f"the proxy closed the connection during CONNECT ({exc or 'EOF'})")
            )


class ConnectionPool:
    """Keep-alive connections to one origin, at most `max_connections` at once.

    Like its connections, a pool belongs to the event loop it is first used on. `proxy` (an
    http:// URL) overrides the environment's proxy variables, which `trust_env=False` ignores.
    """

    def __init__(
        self,
        base_url: str,
        *,
        max_connections: int = 100,
        connect_timeout: float = 5.0,
        ssl_context: ssl.SSLContext | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base URL must be http(s)://host[:port][/path], got {base_url!r}")
        self.host = parts.hostname
        tls = parts.scheme == "https"
        self.port = parts.port or (443 if tls else 80)
        self.prefix = parts.path.rstrip("/")
        default_port = self.port == (443 if tls else 80)
        named = f"[{self.host}]" if ":" in self.host else self.host
        self._host_header = named if default_port else f"{named}:{self.port}"
        self._ssl = (ssl_context or ssl.create_default_context()) if tls else None
        self._connect_timeout = connect_timeout
        self.proxy = Proxy.from_url(proxy) if proxy else None
        if self.proxy is None and trust_env:
            self.proxy = environment_proxy(base_url)
        self._route_to(parts.scheme)
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: list[_Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def _route_to(self, scheme: str) -> None:
        """Fix, once, what a request needs for the route: its target base, its header head,
        how a connection opens."""
        self._target_base = self.prefix
        self._head = f"Host: {self._host_header}"
        self._connect = self._connect_direct
        self._forwarding = False
        self._where = _authority(self.host, self.port)
        proxy = self.proxy
        if proxy is None:
            return
        self._where = f"{self._where} through the proxy {proxy.address}"
        if self._ssl is not None:
            self._connect = self._connect_tunnel
            head = f"CONNECT {_authority(self.host, self.port)} HTTP/1.1\r\nHost: {proxy.address}"
            if proxy.authorization:
                head += f"\r\nProxy-Authorization: {proxy.authorization}"
            self._connect_request = (head + "\r\n\r\n").encode("latin-1")
        else:
            self._connect = self._connect_forward
            self._forwarding = True
            self._target_base = f"http://{self._host_header}{self.prefix}"
            if proxy.authorization:
                self._head += f"\r\nProxy-Authorization: {proxy.authorization}"
        log.info(
            "upstream_proxy",
            origin=f"{scheme}://{self._host_header}",
            proxy=proxy.address,
            mode="tunnel" if self._ssl is not None else "forward",
            authenticated=proxy.authorization is not None,
        )

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
        request = self._encode(method, self._target_base + target, headers, body)
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
            if self._forwarding and response.status_code == 407:
                # Only a proxy answers 407: the request never reached the vendor.
                connection.close()
                raise self._refused(407)
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
                return await self._connect(loop)
        except (TimeoutError, ConnectError):  # OSErrors too; a timeout is reported as one
            raise
        except OSError as error:  # refused, unresolvable, TLS handshake (SSLError)
            raise ConnectError(f"cannot connect to {self._where}: {error}") from error

    async def _connect_direct(self, loop: asyncio.AbstractEventLoop) -> _Connection:
        _, connection = await loop.create_connection(
            _Connection,
            self.host,
            self.port,
            ssl=self._ssl,
            server_hostname=self.host if self._ssl else None,
        )
        return connection

    async def _connect_forward(self, loop: asyncio.AbstractEventLoop) -> _Connection:
        assert self.proxy is not None
        _, connection = await loop.create_connection(_Connection, self.proxy.host, self.proxy.port)
        return connection

    async def _connect_tunnel(self, loop: asyncio.AbstractEventLoop) -> _Connection:
        """CONNECT through the proxy, then TLS with the origin over the tunnel."""
        assert self.proxy is not None and self._ssl is not None
        transport, reply = await loop.create_connection(
            _TunnelReply, self.proxy.host, self.proxy.port
        )
        try:
            transport.write(self._connect_request)
            status = await reply.status
            if not 200 <= status < 300:
                raise self._refused(status)
            connection = _Connection()
            tls = await loop.start_tls(transport, connection, self._ssl, server_hostname=self.host)
        except BaseException:
            transport.close()
            raise
        assert tls is not None
        connection.connection_made(tls)
        return connection

    def _refused(self, status: int) -> ConnectError:
        assert self.proxy is not None
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "unknown status"
        return ConnectError(
            f"the proxy {self.proxy.address} refused the connection to "
            f"{_authority(self.host, self.port)}: HTTP {status} {phrase}"
        )

    def _encode(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> bytes:
        lines = [f"{method} {target} HTTP/1.1", self._head]
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
