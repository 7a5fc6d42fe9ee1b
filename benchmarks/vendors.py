"""P1 on every vendor: Deskbridge's CPU per `GetTicket` against the floor's CPU per call, and
sequential latency against the direct vendor call.

The floor of a vendor (`benchmarks.floors vendor`) is a raw grpc.aio handler making the same
vendor call through Deskbridge's own pool, with the credentials already in hand: InvGate's
`GET incident?id=` with its Basic header, Motadata's `GET request/{id}` with a bearer token
(the password grant, fetched once by this harness), CRM.COM's `GET service_requests/show` with
the session token in the query (logged in once by this harness). Requestor's GetTicket reads
the event view, not the vendor, so its floor (`benchmarks.floors view`) is a raw handler that
parses the request and answers the serialized ticket from a dict, and its "direct call" is
that floor's own p50.

CPU: interleaved rounds (echo, then floor and GetTicket of each vendor in turn), a chunk of
calls each at 32 in flight; each vendor's figure is the median of its per-round ratios, so a
neighbour's burst of load moves a round, not the figure. Latency: sequential p50 of GetTicket
minus the sequential p50 of the same vendor call made from here through httpx, as the target
has always been measured; the same call through the pool class the service uses
(`runtime/http1.py`, a lean client) and the floor's p50 are reported beside it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import grpc
import httpx

from benchmarks.harness import (
    Call,
    RawServer,
    concurrent,
    cpu_per_call,
    median,
    pct,
    raw_server,
    sequential,
)
from benchmarks.stack import CRMCOM, INVGATE_BASIC, INVGATE_TICKET, MOTADATA, Stack
from deskbridge.runtime.http1 import ConnectionPool
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

VENDORS = ("invgate", "motadata", "crmcom", "requestor")
GET_TICKET = "/deskbridge.v1.TicketService/GetTicket"


@dataclass
class VendorCall:
    """What the floor of one vendor sends (and the harness, for the direct call)."""

    base_url: str
    path: str
    headers: list[tuple[str, str]]


async def motadata_call(base_url: str, ticket: str) -> VendorCall:
    async with httpx.AsyncClient(base_url=base_url) as client:
        answer = await client.post(
            "/api/oauth/token",
            auth=(MOTADATA["client_id"], MOTADATA["client_secret"]),
            data={
                "username": MOTADATA["username"],
                "password": MOTADATA["password"],
                "grant_type": "password",
            },
        )
    token = answer.raise_for_status().json()["access_token"]
    headers = [
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
        ("Authorization", f"Bearer {token}"),
    ]
    return VendorCall(base_url, f"/api/v1/request/{ticket.rpartition('/')[2]}", headers)


async def crmcom_call(base_url: str, ticket: str) -> VendorCall:
    async with httpx.AsyncClient(base_url=base_url) as client:
        answer = await client.post("/crmapi/rest/v2/authentication/token", json=CRMCOM)
    token = answer.raise_for_status().json()["data"]["token"]
    identifier = ticket.rpartition("/")[2]
    path = (
        f"/crmapi/rest/v2/service_requests/show?token={token}"
        f"&service_request_identifier=id%3D{identifier}"
    )
    return VendorCall(base_url, path, [("Accept", "application/json")])


async def vendor_calls(stack: Stack) -> dict[str, VendorCall]:
    return {
        "invgate": VendorCall(
            stack.url("invgate"), f"/api/v1/incident?id={INVGATE_TICKET}", INVGATE_BASIC
        ),
        "motadata": await motadata_call(stack.url("motadata"), stack.tickets["motadata"]),
        "crmcom": await crmcom_call(stack.url("crmcom"), stack.tickets["crmcom"]),
    }


async def view_answer(stack: Stack) -> str:
    """The serialized GetTicketResponse of Requestor's ticket, written for the view floor."""
    name = stack.tickets["requestor"]
    async with grpc.aio.insecure_channel(stack.address) as channel:
        raw = channel.unary_unary(GET_TICKET)
        answer = await raw(t.GetTicketRequest(name=name).SerializeToString())
    path = stack.workdir / "requestor-ticket.bin"
    path.write_bytes(answer)
    return str(path)


@contextlib.asynccontextmanager
async def floors(stack: Stack, calls: dict[str, VendorCall]) -> AsyncIterator[dict[str, RawServer]]:
    """Every floor server in its own process, by vendor."""
    answer_file = await view_answer(stack)
    async with contextlib.AsyncExitStack() as servers:
        started: dict[str, RawServer] = {}
        for vendor, spec in calls.items():
            started[vendor] = await servers.enter_async_context(
                raw_server("vendor", spec.base_url, spec.path, json.dumps(spec.headers))
            )
        remote_id = stack.tickets["requestor"].rpartition("/")[2]
        started["requestor"] = await servers.enter_async_context(
            raw_server("view", remote_id, answer_file)
        )
        yield started


async def direct_p50s(spec: VendorCall, n: int) -> tuple[float, float]:
    """Sequential p50 (s) of the vendor call made straight from here: through httpx (how
    the target has been measured) and through the pool class the service uses."""
    async with httpx.AsyncClient(base_url=spec.base_url, headers=dict(spec.headers)) as client:
        through_httpx = await sequential(lambda: client.get(spec.path), n)
    pool = ConnectionPool(spec.base_url)
    try:
        through_pool = await sequential(lambda: pool.request("GET", spec.path, spec.headers), n)
    finally:
        await pool.aclose()
    return pct(through_httpx, 0.5), pct(through_pool, 0.5)


async def latencies(
    stack: Stack, stub: Any, calls: dict[str, VendorCall], floor_calls: dict[str, Call], n: int
) -> dict[str, float]:
    """Sequential p50s per vendor: GetTicket, the floor, the direct call (httpx and the
    lean pool), and GetTicket's overhead over the direct call. Requestor has no vendor
    call to compare with: its direct figures are its floor's."""
    figures: dict[str, float] = {}
    for vendor in VENDORS:
        request = t.GetTicketRequest(name=stack.tickets[vendor])
        floor = pct(await sequential(floor_calls[vendor], n), 0.5)
        if vendor in calls:
            through_httpx, through_pool = await direct_p50s(calls[vendor], n)
        else:
            through_httpx = through_pool = floor
        served = pct(await sequential(lambda r=request: stub.GetTicket(r), n), 0.5)
        figures[f"p1_floor_p50_ms_{vendor}"] = floor * 1e3
        figures[f"p1_direct_httpx_p50_ms_{vendor}"] = through_httpx * 1e3
        figures[f"p1_direct_pool_p50_ms_{vendor}"] = through_pool * 1e3
        figures[f"p1_get_ticket_p50_ms_{vendor}"] = served * 1e3
        figures[f"p1_p50_overhead_ms_{vendor}"] = (served - through_httpx) * 1e3
        figures[f"p1_p50_over_pool_ms_{vendor}"] = (served - through_pool) * 1e3
    return figures


async def cpu_rounds(
    servers: dict[str, tuple[int, Call]], rounds: int, chunk: int
) -> dict[str, list[float]]:
    """CPU seconds per call of every server, `rounds` times, interleaved."""
    for _, call in servers.values():  # warm-up: connections open, code paths hot
        await concurrent(call, 300, 32)
    cpu: dict[str, list[float]] = {name: [] for name in servers}
    for _ in range(rounds):
        for name, (pid, call) in servers.items():
            cpu[name].append(await cpu_per_call(pid, call, chunk))
    return cpu


def cpu_figures(cpu: dict[str, list[float]]) -> dict[str, Any]:
    figures: dict[str, Any] = {"p1_echo_cpu_us": median(cpu["echo"]) * 1e6}
    for vendor in VENDORS:
        served, floor = cpu[f"get_ticket:{vendor}"], cpu[f"floor:{vendor}"]
        ratios = [s / f for s, f in zip(served, floor, strict=True)]
        figures[f"p1_cpu_ratio_{vendor}"] = median(ratios)
        figures[f"p1_cpu_ratio_{vendor}_rounds"] = [round(r, 2) for r in ratios]
        figures[f"p1_echo_ratio_{vendor}"] = median(
            [s / e for s, e in zip(served, cpu["echo"], strict=True)]
        )
        figures[f"p1_floor_cpu_us_{vendor}"] = median(floor) * 1e6
        figures[f"p1_get_ticket_cpu_us_{vendor}"] = median(served) * 1e6
    return figures


async def p1_vendors(stack: Stack, smoke: bool) -> dict[str, Any]:
    """P1 CPU and latency on every vendor (module docstring)."""
    n_seq, chunk, rounds = (50, 100, 2) if smoke else (1000, 1000, 10)
    calls = await vendor_calls(stack)
    payload = b"x" * 64
    async with (
        raw_server("echo") as echo,
        floors(stack, calls) as started,
        grpc.aio.insecure_channel(stack.address) as channel,
    ):
        stub = tickets_pb2_grpc.TicketServiceStub(channel)
        floor_calls: dict[str, Call] = {}
        servers: dict[str, tuple[int, Call]] = {"echo": (echo.pid, lambda: echo.call(payload))}
        for vendor in VENDORS:
            pid, floor = started[vendor].pid, started[vendor].call
            request = t.GetTicketRequest(name=stack.tickets[vendor])
            body = request.SerializeToString() if vendor == "requestor" else payload
            floor_calls[vendor] = lambda f=floor, b=body: f(b)
            servers[f"floor:{vendor}"] = (pid, floor_calls[vendor])
            servers[f"get_ticket:{vendor}"] = (
                stack.service_pid,
                lambda r=request: stub.GetTicket(r),
            )
        figures: dict[str, Any] = {
            "p1_echo_p50_ms": pct(await sequential(servers["echo"][1], n_seq), 0.5) * 1e3
        }
        figures |= await latencies(stack, stub, calls, floor_calls, n_seq)
        figures |= cpu_figures(await cpu_rounds(servers, rounds, chunk))
    return figures
