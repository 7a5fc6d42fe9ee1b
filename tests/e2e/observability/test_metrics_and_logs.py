"""A `deskbridge serve` process as an operator sees it: `/metrics` in the names dashboards use
(grpc_server_*, vendor calls, outbox), and every log line JSON with the call's request id —
the retry of a vendor call included — and health checks at debug."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

import grpc
import httpx
import pytest
from e2e_support import free_port
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client.parser import text_string_to_metric_families
from service_logs import collect

from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc

TICKETS = {"grpc_type": "unary", "grpc_service": "deskbridge.v1.TicketService"}
HEALTH = {"grpc_type": "unary", "grpc_service": "grpc.health.v1.Health", "grpc_method": "Check"}


def samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    ]


def value(found: list, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    return sum(v for n, ls, v in found if n == name and labels.items() <= ls.items())


@pytest.fixture(params=["uvloop", "asyncio"])
async def served(request, tmp_path, nats_server):
    """The process on each event loop it can run on (runtime/eventloop.py)."""
    sandbox = await start_sandbox(SandboxConfig(request_count=10, seed=7))
    config = tmp_path / "deskbridge.toml"
    config.write_text(
        f'[[backends]]\nname = "metered"\nvendor = "invgate"\nbase_url = "{sandbox.url}"\n'
        '[backends.credentials]\nusername = "api"\npassword = "sandbox-token"\n'
    )
    address, metrics = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "DESKBRIDGE_CONFIG": str(config),
        "DESKBRIDGE_GRPC_ADDRESS": address,
        "DESKBRIDGE_METRICS_ADDRESS": metrics,
        "DESKBRIDGE_NATS_URL": nats_server.url,
        "DESKBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "DESKBRIDGE_LOG_LEVEL": "debug",
        "DESKBRIDGE_EVENT_LOOP": request.param,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "serve",
        "all",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process, address, f"http://{metrics}/metrics", sandbox, request.param
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await sandbox.stop()


async def test_metrics_and_json_logs_of_a_service_process(served):
    process, address, metrics_url, sandbox, loop = served
    name = "backends/metered/tickets/1001"
    async with grpc.aio.insecure_channel(address) as channel:
        await asyncio.wait_for(channel.channel_ready(), 20)
        health = health_pb2_grpc.HealthStub(channel)
        for _ in range(2):
            await health.Check(health_pb2.HealthCheckRequest(service=""))
        tickets = tickets_pb2_grpc.TicketServiceStub(channel)
        for _ in range(2):
            await tickets.GetTicket(tickets_pb2.GetTicketRequest(name=name))
        with pytest.raises(grpc.aio.AioRpcError) as missing:
            await tickets.GetTicket(
                tickets_pb2.GetTicketRequest(name="backends/metered/tickets/99999")
            )
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND
        async with httpx.AsyncClient(base_url=sandbox.url) as control:
            fault = {"key": "incident", "method": "GET", "status": 503, "count": 1}
            await control.put("/_sandbox/faults", json={"fail_next": [fault]})
        retried = tickets.GetTicket(
            tickets_pb2.GetTicketRequest(name=name), metadata=(("x-request-id", "retried-1"),)
        )
        await retried
        assert dict(await retried.trailing_metadata())["x-request-id"] == "retried-1"

    async with httpx.AsyncClient() as scraper:
        found = samples((await scraper.get(metrics_url)).text)
    get = {**TICKETS, "grpc_method": "GetTicket"}
    assert value(found, "grpc_server_started_total", **get) == 4
    assert value(found, "grpc_server_handled_total", **get, grpc_code="OK") == 3
    assert value(found, "grpc_server_handled_total", **get, grpc_code="NOT_FOUND") == 1
    assert value(found, "grpc_server_handling_seconds_count", **get, backend="metered") == 4
    assert value(found, "grpc_server_handled_total", **HEALTH, grpc_code="OK") == 2
    vendor = {"backend": "metered", "vendor": "invgate", "endpoint": "/api/v1/incident"}
    assert value(found, "deskbridge_vendor_requests_total", **vendor, status="200") >= 3
    assert value(found, "deskbridge_vendor_requests_total", **vendor, status="503") == 1
    assert value(found, "deskbridge_vendor_request_seconds_count", **vendor, method="GET") >= 4
    retries = value(
        found, "deskbridge_vendor_retries_total", **vendor, reason="UPSTREAM_UNAVAILABLE"
    )
    assert retries == 1
    assert any(n == "deskbridge_outbox_depth" for n, _, _ in found)

    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 20) == 0
    logs = await process.stderr.read()
    assert not collect("deskbridge serve all (debug)", logs)
    lines = [json.loads(line) for line in logs.decode().splitlines() if line.strip()]
    (started,) = [line for line in lines if line["event"] == "grpc_server_started"]
    assert started["event_loop"] == loop
    (retry,) = [line for line in lines if line["event"] == "upstream_retry"]
    assert (retry["request_id"], retry["rpc"], retry["backend"]) == (
        "retried-1",
        "deskbridge.v1.TicketService/GetTicket",
        "metered",
    )
    checks = [line for line in lines if line.get("rpc") == "grpc.health.v1.Health/Check"]
    assert len(checks) == 2 and all(line["level"] == "debug" for line in checks)
    access = [line for line in lines if line["event"] == "rpc" and "GetTicket" in line["rpc"]]
    assert len(access) == 4 and all(line["level"] == "info" for line in access)


async def test_library_log_lines_are_json_too(capfd):
    """stdlib loggers (nats, grpc, asyncio, uvicorn) go through structlog's processors."""
    import logging

    import structlog

    from deskbridge.runtime.logging import configure_logging

    handlers, level = logging.getLogger().handlers[:], logging.getLogger().level
    configure_logging("info")
    try:
        logging.getLogger("nats.aio.client").error("could not connect to %s", "nats://x:4222")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("asyncio").exception("Task exception was never retrieved")
        err = capfd.readouterr().err
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers[:] = handlers
        logging.getLogger().setLevel(level)
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert [line["logger"] for line in lines] == ["nats.aio.client", "asyncio"]
    assert lines[0]["event"] == "could not connect to nats://x:4222"
    assert lines[0]["level"] == "error"
    assert "ValueError: boom" in lines[1]["exception"]
