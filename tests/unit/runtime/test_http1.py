"""The upstream HTTP/1.1 pool against small real servers on loopback."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from deskbridge.runtime.http1 import ConnectError, ConnectionPool, ProtocolError


async def serve(reply: bytes):
    """A server answering every request with `reply`; returns (server, connections list)."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(reply)
            await writer.drain()
            if b"Connection: close" in reply:
                writer.close()
                return

    async def guarded(reader, writer):
        try:
            await handle(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(guarded, "127.0.0.1", 0)
    return server, connections


def url(server) -> str:
    return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def test_sequential_calls_reuse_one_kept_alive_connection():
    server, connections = await serve(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
    pool = ConnectionPool(url(server))
    for _ in range(20):
        response = await pool.request("GET", "/x")
        assert (response.status_code, response.json()) == (200, {})
    assert len(connections) == 1
    await pool.aclose()
    server.close()


async def test_connection_close_is_honoured():
    server, connections = await serve(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
    )
    pool = ConnectionPool(url(server))
    for _ in range(3):
        assert (await pool.request("GET", "/x")).status_code == 200
    assert len(connections) == 3
    await pool.aclose()
    server.close()


async def test_chunked_and_gzip_bodies_are_decoded():
    body = gzip.compress(b'{"status":"OK","id":7}')
    chunked = b"".join(
        f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:10], body[10:])
    )
    reply = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        + chunked
        + b"0\r\n\r\n"
    )
    server, _ = await serve(reply)
    pool = ConnectionPool(url(server))
    response = await pool.request("GET", "/x")
    assert response.json() == {"status": "OK", "id": 7}
    assert response.headers["content-encoding"] == "gzip"
    await pool.aclose()
    server.close()


async def test_garbage_is_a_protocol_error_and_refused_is_a_connect_error():
    server, _ = await serve(b"this is not HTTP\r\n\r\n")
    pool = ConnectionPool(url(server))
    with pytest.raises(ProtocolError):
        await pool.request("GET", "/x")
    await pool.aclose()
    address = url(server)
    server.close()
    await server.wait_closed()
    with pytest.raises(ConnectError):
        await ConnectionPool(address).request("GET", "/x")


def test_base_url_must_be_http():
    with pytest.raises(ValueError):
        ConnectionPool("ftp://example.com")


async def test_a_response_that_does_not_come_times_out_and_the_connection_is_dropped():
    server, _ = await serve(b"")  # reads the request, never answers
    pool = ConnectionPool(url(server))
    started = asyncio.get_running_loop().time()
    with pytest.raises(TimeoutError):
        await pool.request("GET", "/x", deadline=started + 0.2)
    assert 0.2 <= asyncio.get_running_loop().time() - started < 1.0
    assert pool._idle == []  # a connection mid-response is never reused
    await pool.aclose()
    server.close()


async def test_waiting_for_a_free_connection_counts_against_the_timeout():
    server, _ = await serve(b"")
    pool = ConnectionPool(url(server), max_connections=1)
    now = asyncio.get_running_loop().time
    hanging = asyncio.create_task(pool.request("GET", "/slow", deadline=now() + 5))
    await asyncio.sleep(0.05)
    with pytest.raises(TimeoutError):
        await pool.request("GET", "/x", deadline=now() + 0.1)  # the only connection stays busy
    hanging.cancel()
    with pytest.raises(asyncio.CancelledError):
        await hanging
    await pool.aclose()
    server.close()
