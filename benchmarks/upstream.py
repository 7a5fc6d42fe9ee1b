"""A light vendor for the in-flight benchmark (P3): recorded InvGate answers (one request, and
the reference tables the adapter reads once), each answered after a fixed latency on
keep-alive HTTP/1.1.

The Python sandboxes spend 260 to 345 µs of CPU per request (uvicorn + Starlette + the vendor
model): 1,000 calls in flight at 100 ms is 10,000 requests/s, which no sandbox process can
answer. This server is a bare asyncio protocol — find the end of the head, skip any body,
look the path (without its query) up in the recorded answers, schedule that answer with
`call_later` — a few tens of µs per request, so the vendor is not what limits the figure.
An unrecorded path is a 404. `GET /_count` answers (at once) how many requests it served.

    python -m benchmarks.upstream PORT LATENCY_MS ANSWERS_JSON   # {"/api/v1/incident": {...}}
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


def _response(body: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    return head % len(body) + body


class Upstream:
    """The recorded answers by path, and the count of requests served."""

    def __init__(self, answers: dict[str, bytes], latency: float) -> None:
        self.latency = latency
        self.served = 0
        self.answers = {path.encode(): _response(body) for path, body in answers.items()}

    def answer(self, target: bytes) -> bytes:
        return self.answers.get(target.partition(b"?")[0], NOT_FOUND)

    def count(self) -> bytes:
        text = str(self.served).encode()
        return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(text) + text


class _Connection(asyncio.Protocol):
    def __init__(self, upstream: Upstream, loop: asyncio.AbstractEventLoop) -> None:
        self.upstream = upstream
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            size = _content_length(head)
            if len(self.buffer) < end + 4 + size:
                return
            self.buffer = self.buffer[end + 4 + size :]
            self._answer(head)

    def _answer(self, head: bytes) -> None:
        target = head.split(b" ", 2)[1]
        if target == b"/_count":
            self._write(self.upstream.count())
            return
        self.upstream.served += 1
        self.loop.call_later(self.upstream.latency, self._write, self.upstream.answer(target))

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


def _content_length(head: bytes) -> int:
    at = head.lower().find(b"\r\ncontent-length:")
    if at < 0:
        return 0
    line_end = head.find(b"\r\n", at + 2)
    return int(head[at + 17 : line_end if line_end > 0 else len(head)].strip())


async def serve(port: int, latency_ms: float, answers: dict[str, bytes]) -> None:
    upstream = Upstream(answers, latency_ms / 1000)
    loop = asyncio.get_running_loop()
    # TCP_NODELAY: asyncio sets it only on accepted sockets whose listener says IPPROTO_TCP.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = await loop.create_server(lambda: _Connection(upstream, loop), sock=sock, backlog=4096)
    async with server:
        await server.serve_forever()


def main(argv: list[str]) -> None:
    port, latency_ms, answers_file = argv
    recorded = json.loads(Path(answers_file).read_text())
    answers = {path: json.dumps(body).encode() for path, body in recorded.items()}
    asyncio.run(serve(int(port), float(latency_ms), answers))


if __name__ == "__main__":
    main(sys.argv[1:])
