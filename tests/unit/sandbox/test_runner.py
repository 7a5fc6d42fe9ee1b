"""The shared ASGI runner's listening socket disables Nagle for accepted connections."""

import socket

from starlette.applications import Starlette

from deskbridge.runtime.asgi import start_asgi


async def test_accepted_connections_get_tcp_nodelay():
    running = await start_asgi(Starlette())
    try:
        (listener,) = running.server.servers[0].sockets
        # asyncio sets TCP_NODELAY on accepted sockets only when the proto is TCP, and Linux
        # copies the listener's TCP_NODELAY to them: either way small responses go out at once.
        assert listener.proto == socket.IPPROTO_TCP
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        await running.stop()
