"""Serving an ASGI app (a vendor sandbox, the webhook intake) inside the current event loop.

Used by `deskbridge up`, the watcher, the tests and the benchmarks: port 0 picks a free port,
and the returned handle knows the bound URL and how to stop the server.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass

import uvicorn

GRACEFUL_SECONDS = 2.0  # open keep-alive connections are closed after this at stop


@dataclass
class RunningServer:
    url: str
    server: uvicorn.Server
    task: asyncio.Task

    async def stop(self) -> None:
        """Stop accepting, let open requests finish (up to the graceful timeout), then close."""
        self.server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self.task), GRACEFUL_SECONDS + 5)
        except TimeoutError:  # a connection that never goes idle must not hang shutdown
            self.server.force_exit = True
            await self.task


async def start_asgi(app, *, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start `app` with uvicorn on (host, port) and return once it accepts connections."""
    # proto must say TCP: asyncio only disables Nagle on accepted sockets whose proto is
    # IPPROTO_TCP, and Nagle + delayed ACKs add ~40 ms to every small keep-alive response.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    config = uvicorn.Config(
        app,
        log_level="warning",
        log_config=None,  # uvicorn's loggers go through ours: JSON lines (runtime/logging.py)
        access_log=False,
        lifespan="off",
        loop="none",
        http="auto",
        backlog=2048,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()  # raises the startup error
        await asyncio.sleep(0.01)
    bound_port = sock.getsockname()[1]
    return RunningServer(f"http://{host}:{bound_port}", server, task)
