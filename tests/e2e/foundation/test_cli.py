"""The `deskbridge` command's other entry points, as a user runs them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys

import httpx
from test_make_up import free_port


@contextlib.asynccontextmanager
async def sandbox_command(vendor: str, *options: str):
    """`deskbridge sandbox <vendor> --port N ...` as a process: (its URL, its first line);
    at the end SIGTERM, which must exit 0."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "sandbox",
        vendor,
        "--port",
        str(port),
        *options,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        url = f"http://127.0.0.1:{port}"
        assert url in line
        yield url
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_sandbox_invgate_runs_alone_on_the_given_port():
    async with (
        sandbox_command("invgate", "--requests", "12") as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        assert (await client.get("/_sandbox/health")).json()["requests"] == 12
        version = await client.get("/api/v1/sd.version", auth=("api", "sandbox-token"))
        assert version.json() == {"version": "v8.15.13"}


async def test_sandbox_motadata_runs_alone_on_the_given_port():
    async with sandbox_command("motadata") as url, httpx.AsyncClient(base_url=url) as client:
        found = await client.post(
            "/api/v1/request/search/byqual?size=1",
            json={},
            headers={"Authorization": "Apikey sandbox-apikey"},
        )
        assert found.status_code == 200 and found.json()["totalCount"] > 0


async def test_sandbox_crmcom_runs_alone_on_the_given_port():
    async with sandbox_command("crmcom") as url, httpx.AsyncClient(base_url=url) as client:
        login = await client.post(
            "/crmapi/rest/v2/authentication/web_api_key/token", auth=("sandbox-web-api-key", "")
        )
        assert login.json()["status"]["code"] == "OK" and login.json()["data"]["token"]


async def test_sandbox_requestor_runs_alone_on_the_given_port():
    async with sandbox_command("requestor") as url, httpx.AsyncClient(base_url=url) as client:
        services = await client.get("/api/Services", auth=("deskbridge", "sandbox-password"))
        assert services.status_code == 200 and services.json()[0]["Name"]
        assert (await client.get("/api/Services")).status_code == 401


async def test_unknown_service_is_a_clear_error():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "deskbridge.cli", "serve", "tickts", stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 2
    assert "unknown service 'tickts'" in err.decode()


async def test_version_is_the_installed_distributions():
    from importlib.metadata import version

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "deskbridge.cli", "--version", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), 20)
    assert (process.returncode, out.decode().strip()) == (0, f"deskbridge {version('deskbridge')}")


async def test_serve_without_backends_or_nats_says_so_naming_the_settings(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DESKBRIDGE_CONFIG", "DESKBRIDGE_NATS_URL")
    }
    env.update(
        DESKBRIDGE_GRPC_ADDRESS=f"127.0.0.1:{free_port()}",
        DESKBRIDGE_DATA_DIR=str(tmp_path),
        DESKBRIDGE_LOG_FORMAT="json",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "serve",
        "tickets",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    warnings: dict[str, str] = {}
    try:
        while len(warnings) < 2:
            line = await asyncio.wait_for(process.stdout.readline(), 20)
            assert line, "serve ended first"
            record = json.loads(line)
            if record.get("level") == "warning":
                warnings[record["event"]] = record["setting"]
        assert warnings == {
            "no_backends_configured": "DESKBRIDGE_CONFIG",
            "events_off": "DESKBRIDGE_NATS_URL",
        }
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
