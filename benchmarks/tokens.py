"""P8: 100 concurrent GetTicket calls across a token expiry, on Motadata (OAuth2 bearer token)
and CRM.COM (session token in the query).

The service's `motadata-ttl` and `crmcom-ttl` backends talk to sandboxes whose tokens expire
`Stack.token_seconds` after issue (Motadata `--token-ttl`, CRM.COM `--token-absolute`). Each
token request is in the sandbox's request log with its time, so the harness knows when the
current token dies. A cycle, per vendor: a burst of 100 concurrent calls in the middle of the
token's life (no expiry: the baseline), then a burst timed so that the expiry falls in its
middle — the calls sent before it carry the old token (Motadata's client still trusts it, the
vendor may refuse it: 401 or CRM.COM's INVALID_TOKEN, then one refresh), the ones after find it
stale. The vendor's log must show exactly one token request per expiry burst (none in a
baseline burst), and the p99 of the expiry bursts' calls is compared with the baselines'.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import grpc
import httpx

from benchmarks.harness import pct
from benchmarks.stack import Stack
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

BURST = 100
TOKEN_LOG_KEYS = {"motadata-ttl": "token", "crmcom-ttl": "authentication/token"}


async def burst(stub: Any, request: t.GetTicketRequest) -> tuple[list[float], float, float]:
    """100 calls at once: (latencies in s, epoch when sent, epoch when the last answered)."""

    async def one() -> float:
        started = time.perf_counter()
        await stub.GetTicket(request)
        return time.perf_counter() - started

    sent = time.time()
    latencies = await asyncio.gather(*(one() for _ in range(BURST)))
    return list(latencies), sent, time.time()


class TokenLog:
    """The token requests in one sandbox's request log."""

    def __init__(self, base_url: str, key: str) -> None:
        self.client = httpx.AsyncClient(base_url=base_url)
        self.key = key

    async def times(self) -> list[float]:
        log = (await self.client.get("/_sandbox/requests")).json()
        return [entry["time"] for entry in log if entry["key"] == self.key]

    async def refused(self, start: float, end: float) -> int:
        """API calls in the window beyond the burst's own: each is one the vendor refused
        (an expired token) and the client sent again with the new one."""
        log = (await self.client.get("/_sandbox/requests")).json()
        calls = [e for e in log if e["key"] != self.key and start <= e["time"] <= end]
        return len(calls) - BURST

    async def between(self, start: float, end: float) -> int:
        return sum(1 for moment in await self.times() if start <= moment <= end)

    async def aclose(self) -> None:
        await self.client.aclose()


async def at(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.time()))


async def vendor_cycles(stack: Stack, backend: str, cycles: int) -> dict[str, Any]:
    ttl = float(stack.token_seconds)
    tokens = TokenLog(stack.url(backend), TOKEN_LOG_KEYS[backend])
    request = t.GetTicketRequest(name=stack.tickets[backend])
    baseline: list[float] = []
    across: list[float] = []
    requests_per_expiry: list[int] = []
    requests_per_baseline: list[int] = []
    refused: list[int] = []
    try:
        async with grpc.aio.insecure_channel(stack.address) as channel:
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            await asyncio.sleep(ttl + 0.2)  # whatever token there was has expired
            await stub.GetTicket(request)  # fetches one: its time is in the log
            issued = (await tokens.times())[-1]
            for _ in range(cycles):
                await at(issued + ttl * 0.4)
                latencies, sent, done = await burst(stub, request)
                baseline += latencies
                requests_per_baseline.append(await tokens.between(sent, done))
                # the expiry in the middle of the burst (about as long as the baseline's)
                await at(issued + ttl - (done - sent) / 2)
                latencies, sent, done = await burst(stub, request)
                across += latencies
                await asyncio.sleep(0.2)  # a refresh answered late is logged late
                fresh = [m for m in await tokens.times() if sent <= m <= done + 0.2]
                requests_per_expiry.append(len(fresh))
                refused.append(await tokens.refused(sent, done + 0.2))
                issued = fresh[-1] if fresh else issued + ttl
    finally:
        await tokens.aclose()
    p99, base_p99 = pct(across, 0.99), pct(baseline, 0.99)
    return {
        "token_requests_per_expiry": requests_per_expiry,
        "token_requests_per_baseline": requests_per_baseline,
        "calls_refused_per_expiry": refused,
        "expiry_p99_ms": p99 * 1e3,
        "baseline_p99_ms": base_p99 * 1e3,
        "p99_ratio": p99 / base_p99,
    }


async def p8_tokens(stack: Stack, smoke: bool) -> dict[str, Any]:
    """P8 on both vendors, one after the other (module docstring)."""
    cycles = 1 if smoke else 3
    figures: dict[str, Any] = {}
    for backend in TOKEN_LOG_KEYS:
        vendor = backend.removesuffix("-ttl")
        found = await vendor_cycles(stack, backend, cycles)
        for key, value in found.items():
            figures[f"p8_{vendor}_{key}"] = value
        per_expiry = found["token_requests_per_expiry"]
        # 0 when every expiry burst made exactly one token request and no baseline made any
        figures[f"p8_{vendor}_token_requests_off_by"] = sum(abs(n - 1) for n in per_expiry) + sum(
            found["token_requests_per_baseline"]
        )
    return figures
