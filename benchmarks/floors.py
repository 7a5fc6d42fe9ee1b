"""The raw grpc.aio servers Deskbridge is compared with, each run in its own process.

    python -m benchmarks.floors echo PORT
    python -m benchmarks.floors vendor PORT BASE_URL PATH HEADERS_JSON [MAX_CONNECTIONS]
    python -m benchmarks.floors view PORT REMOTE_ID RESPONSE_FILE

- `echo`: bytes in, bytes out: what any grpc.aio unary call costs.
- `vendor`: the vendor-call floor: one keep-alive `GET PATH` with HEADERS through
  Deskbridge's own pool (`runtime/http1.py`) per call, the body returned as it came — no
  interceptor, validation, routing, auth logic or mapping. What any handler that waits on the
  vendor pays.
- `view`: the read-model floor (Requestor's GetTicket is answered from the event view, not
  the vendor): the request parsed, its ticket id looked up in a dict of serialized
  `GetTicketResponse`s, those bytes returned.

Every server has one method, `/bench.Echo/Echo`, raw bytes both ways, and runs on the event
loop Deskbridge runs on (`runtime/eventloop.py`; `DESKBRIDGE_EVENT_LOOP` reaches both), so a
floor and the service pay the same loop.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import grpc

from deskbridge.runtime import eventloop
from deskbridge.runtime.http1 import ConnectionPool
from deskbridge.v1 import tickets_pb2

Handler = Callable[[bytes, grpc.aio.ServicerContext], Awaitable[bytes]]


async def serve(port: int, handler: Handler) -> None:
    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        [
            grpc.method_handlers_generic_handler(
                "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(handler)}
            )
        ]
    )
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()


def echo() -> Handler:
    async def handle(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return request

    return handle


def vendor(base_url: str, path: str, headers_json: str, max_connections: str = "200") -> Handler:
    pool = ConnectionPool(base_url, max_connections=int(max_connections))
    headers = [(str(k), str(v)) for k, v in json.loads(headers_json)]

    async def handle(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        response = await pool.request("GET", path, headers)
        return response.content

    return handle


def view(remote_id: str, response_file: str) -> Handler:
    answers = {remote_id: Path(response_file).read_bytes()}

    async def handle(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        name = tickets_pb2.GetTicketRequest.FromString(request).name
        found = answers.get(name.rpartition("/")[2])
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, name)
        return found

    return handle


KINDS: dict[str, Callable[..., Handler]] = {"echo": echo, "vendor": vendor, "view": view}


def main(argv: list[str]) -> None:
    kind, port, *args = argv
    eventloop.run(serve(int(port), KINDS[kind](*args)))  # the service's loop: a fair floor


if __name__ == "__main__":
    main(sys.argv[1:])
