"""The `deskbridge` command's other entry points, as a user runs them."""

from __future__ import annotations

import asyncio
import signal
import sys

import httpx
from test_make_up import free_port


async def test_sandbox_invgate_runs_alone_on_the_given_port():
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "sandbox",
        "invgate",
        "--port",
        str(port),
        "--requests",
        "12",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        assert f"http://127.0.0.1:{port}/api/v1/" in line
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            health = (await client.get("/_sandbox/health")).json()
            assert health["requests"] == 12
            version = await client.get("/api/v1/sd.version", auth=("api", "sandbox-token"))
            assert version.json() == {"version": "v8.15.13"}
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_sandbox_motadata_runs_alone_on_the_given_port():
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "sandbox",
        "motadata",
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        assert f"http://127.0.0.1:{port}" in line
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            found = await client.post(
                "/api/v1/request/search/byqual?size=1",
                json={},
                headers={"Authorization": "Apikey sandbox-apikey"},
            )
            assert found.status_code == 200 and found.json()["totalCount"] > 0
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_unknown_service_is_a_clear_error():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "deskbridge.cli", "serve", "tickts", stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 2
    assert "unknown service 'tickts'" in err.decode()
