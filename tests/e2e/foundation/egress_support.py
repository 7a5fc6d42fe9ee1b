"""A small real forward proxy and origin servers on loopback, for the egress-proxy tests.

`ForwardProxy` speaks both ways a client uses a proxy: CONNECT (a byte tunnel, what https
origins get) and absolute-form requests (`GET http://host:port/path`, rewritten to origin-form
and forwarded on one upstream connection per client connection). It records every request
head it receives and can demand Basic credentials (407) or refuse everything with a status.
`Origin` answers every request with JSON describing what it received.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import ssl
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Seen:
    """One request head as the proxy received it."""

    method: str
    target: str
    proxy_authorization: str | None


def parse_head(head: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    """(method, target, headers) of an HTTP/1.1 request head."""
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    return method, target, headers


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


@dataclass
class ForwardProxy:
    """See the module docstring. `credentials` (user, password) makes it demand Basic auth;
    `refuse_with` answers every request with that status."""

    credentials: tuple[str, str] | None = None
    refuse_with: int | None = None
    seen: list[Seen] = field(default_factory=list)
    client_connections: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task] = field(default_factory=set)

    async def start(self) -> ForwardProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.sockets[0].getsockname()[1]

    def url(self, user: str | None = None, password: str | None = None) -> str:
        """The proxy's URL, with percent-encoded credentials when given."""
        if user is None:
            return f"http://127.0.0.1:{self.port}"
        return (
            f"http://{quote(user, safe='')}:{quote(password or '', safe='')}@127.0.0.1:{self.port}"
        )

    @property
    def connects(self) -> list[Seen]:
        return [s for s in self.seen if s.method == "CONNECT"]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.client_connections += 1
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, headers = parse_head(head)
            if method == "CONNECT":
                await self._tunnel(target, headers, reader, writer)
            else:
                await self._forward(head, reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    def _refusal(self, method: str, target: str, headers: list[tuple[str, str]]) -> bytes | None:
        """Record the head; the answer when the proxy refuses it, else None."""
        given = header(headers, "Proxy-Authorization")
        self.seen.append(Seen(method, target, given))
        status = self.refuse_with
        if status is None and self.credentials is not None:
            token = base64.b64encode(":".join(self.credentials).encode()).decode()
            if given != f"Basic {token}":
                status = 407
        if status is None:
            return None
        extra = 'Proxy-Authenticate: Basic realm="egress"\r\n' if status == 407 else ""
        return (
            f"HTTP/1.1 {status} Refused\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
        ).encode()

    async def _tunnel(
        self,
        target: str,
        headers: list[tuple[str, str]],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        refusal = self._refusal("CONNECT", target, headers)
        if refusal is not None:
            writer.write(refusal)
            await writer.drain()
            return
        host, _, port = target.rpartition(":")
        up_reader, up_writer = await asyncio.open_connection(host.strip("[]"), int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    async def _forward(
        self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Absolute-form requests, one after another on this connection, to one origin."""
        upstream: asyncio.StreamWriter | None = None
        answers: asyncio.Task | None = None
        try:
            while True:
                method, target, headers = parse_head(head)
                refusal = self._refusal(method, target, headers)
                if refusal is not None:
                    writer.write(refusal)
                    await writer.drain()
                    return
                origin = urlsplit(target)
                assert origin.scheme == "http" and origin.hostname, target
                if upstream is None:
                    up_reader, upstream = await asyncio.open_connection(
                        origin.hostname, origin.port or 80
                    )
                    answers = asyncio.create_task(_pipe(up_reader, writer))
                path = target[len(f"http://{origin.netloc}") :] or "/"
                kept = [
                    (k, v)
                    for k, v in headers
                    if k.lower() not in ("proxy-authorization", "proxy-connection")
                ]
                lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in kept)]
                length = int(header(headers, "Content-Length") or 0)
                body = await reader.readexactly(length) if length else b""
                upstream.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
                await upstream.drain()
                head = await reader.readuntil(b"\r\n\r\n")
        finally:
            if upstream is not None:
                upstream.close()
            if answers is not None:
                answers.cancel()
                with contextlib.suppress(BaseException):
                    await answers


@dataclass
class Origin:
    """An HTTP/1.1 origin (TLS when `ssl_context`) answering every request with JSON:
    method, target, Host and whether a Proxy-Authorization header reached it."""

    ssl_context: ssl.SSLContext | None = None
    connections: int = 0
    requests: list[dict] = field(default_factory=list)
    _server: asyncio.Server | None = None

    async def start(self) -> Origin:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.ssl_context)
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                method, target, headers = parse_head(await reader.readuntil(b"\r\n\r\n"))
                length = int(header(headers, "Content-Length") or 0)
                body = await reader.readexactly(length) if length else b""
                seen = {
                    "method": method,
                    "target": target,
                    "host": header(headers, "Host"),
                    "proxy_authorization": header(headers, "Proxy-Authorization"),
                    "body": body.decode(),
                }
                self.requests.append(seen)
                answer = json.dumps(seen).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(answer)}\r\n\r\n".encode()
                    + answer
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, OSError, ssl.SSLError):
            pass
        finally:
            writer.close()
