"""`deskbridge up` (what `make up` runs): everything SERVING, the README example works,
SIGTERM stops it all with exit code 0."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import grpc
import httpx
from e2e_support import free_port
from grpc_health.v1 import health_pb2, health_pb2_grpc
from service_logs import collect

from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc

ROOT = Path(__file__).resolve().parents[3]
SERVICES = [
    "",
    "deskbridge.v1.TicketService",
    "deskbridge.v1.IdentityService",
    "deskbridge.v1.KnowledgeService",
    "deskbridge.v1.ApprovalService",
    "deskbridge.v1.BackendService",
]


async def wait_serving(address: str, deadline: float) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        while True:
            try:
                statuses = [
                    (await health.Check(health_pb2.HealthCheckRequest(service=s), timeout=1)).status
                    for s in SERVICES
                ]
                if all(x == health_pb2.HealthCheckResponse.SERVING for x in statuses):
                    return
            except grpc.aio.AioRpcError:
                pass
            assert time.monotonic() < deadline, "services did not become SERVING"
            await asyncio.sleep(0.1)


async def test_up_serves_the_readme_example_and_stops_cleanly(tmp_path):
    address = f"127.0.0.1:{free_port()}"
    requestor_port = free_port()
    env = {**os.environ, "DESKBRIDGE_DATA_DIR": str(tmp_path)}
    env.pop("DESKBRIDGE_NATS_URL", None)
    env.pop("DESKBRIDGE_CONFIG", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "up",
        "--grpc-address",
        address,
        "--nats-port",
        str(free_port()),
        "--sandbox-port",
        str(free_port()),
        "--motadata-port",
        str(free_port()),
        "--crmcom-port",
        str(free_port()),
        "--requestor-port",
        str(requestor_port),
        "--webhook-port",
        str(free_port()),
        "--requests",
        "50",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await wait_serving(address, time.monotonic() + 30)
        async with grpc.aio.insecure_channel(address) as channel:  # Motadata is up too
            motadata = await tickets_pb2_grpc.TicketServiceStub(channel).ListTickets(
                tickets_pb2.ListTicketsRequest(parent="backends/motadata", page_size=3)
            )
            crmcom = await tickets_pb2_grpc.TicketServiceStub(channel).ListTickets(
                tickets_pb2.ListTicketsRequest(parent="backends/crmcom", page_size=3)
            )
            # Requestor: its eleven triggers subscribed, and a write read back from the view
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{requestor_port}") as vendor:
                deadline = time.monotonic() + 15
                while len((await vendor.get("/_sandbox/subscriptions")).json()) != 11:
                    assert time.monotonic() < deadline, "Requestor's triggers not subscribed"
                    await asyncio.sleep(0.1)
            tickets = tickets_pb2_grpc.TicketServiceStub(channel)
            made = await tickets.CreateTicket(
                tickets_pb2.CreateTicketRequest(
                    parent="backends/requestor",
                    ticket=tickets_pb2.Ticket(
                        title="From the README",
                        description="Make up",
                        vendor_type={"id": "1"},
                        service="backends/requestor/services/1",
                        requester_email="dev@example.com",
                    ),
                )
            )
            read = await tickets.GetTicket(tickets_pb2.GetTicketRequest(name=made.ticket.name))
            assert read.ticket.title == "From the README"
        assert len(motadata.tickets) == 3 and motadata.total_size >= 3
        assert len(crmcom.tickets) == 3 and crmcom.tickets[0].lifecycle_state
        demo = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "scripts" / "demo.py"),
            address,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(demo.communicate(), 30)
        assert demo.returncode == 0, err.decode()
        assert "closed backends/invgate/tickets/" in out.decode()
        assert "TICKET_STATE_CLOSED" in out.decode()
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
        banner = (await process.stdout.read()).decode()
        assert "Deskbridge is up" in banner and address in banner
        logs = await process.stderr.read()
        assert logs and not collect("deskbridge up", logs)  # every log line is JSON
        assert all(f'backend "{v}"' in banner for v in ("motadata", "crmcom", "requestor"))
        assert (tmp_path / "nats").is_dir()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
