"""Every RPC, fuzzed from its descriptor: whatever a client sends, Deskbridge answers with a
status that is the caller's (never INTERNAL, UNKNOWN, a hang, or an input-caused
RESOURCE_EXHAUSTED) carrying google.rpc.Status with ErrorInfo, and stays healthy.

The bounded version of `make fuzz` (benchmarks/fuzz.py): a fixed seed, ~3,000 calls over a
real stack (InvGate sandbox over HTTP, every service, real nats-server). Requests are drawn
with Hypothesis up front (generation only, no shrinking), then sent one at a time through
grpc.aio, so a run is reproducible; failures are grouped by (rpc, code, details) with the
first requests of each group and the server's traceback location. ~20 s on 2 cores.
"""

from __future__ import annotations

import random

import grpc
import pytest
from strategies import (
    CHANNEL_OPTIONS,
    Case,
    Report,
    Requests,
    Sender,
    health_problems,
    message_cases,
    raw_cases,
    sandbox_errors,
    server_tracebacks,
    unary_rpcs,
)

SEED = 20_250_601
MESSAGES_PER_RPC = 12  # ~1,600 request messages
RANDOM_RAW_PER_RPC = 1  # plus the fixed malformed bodies of each RPC: ~1,340 raw bodies


def test_every_unary_rpc_of_every_service_is_fuzzed():
    rpcs = unary_rpcs()
    services = {rpc.service.name for rpc in rpcs}
    assert {"TicketService", "IdentityService", "KnowledgeService"} <= services
    assert {"ApprovalService", "BackendService"} <= services
    assert len(rpcs) >= 130


async def fuzz(stack, cases: list[Case]) -> None:
    random.Random(SEED).shuffle(cases)  # writes and reads of different RPCs interleave
    with server_tracebacks() as tracebacks, sandbox_errors() as sandbox:
        async with grpc.aio.insecure_channel(
            stack.runtime.address, options=CHANNEL_OPTIONS
        ) as channel:
            outcomes = await Sender(channel, timeout=10).run(cases)
            unhealthy = await health_problems(channel, stack.backend)
    report = Report(outcomes, tracebacks, sandbox)
    print(report.render_summary())  # shown with -s, and on failure
    message = report.render_failures()
    if unhealthy:
        message = "unhealthy after the fuzz:\n  " + "\n  ".join(unhealthy) + "\n\n" + message
    if report.failures or unhealthy:
        pytest.fail(message, pytrace=False)


async def test_hostile_request_messages_get_the_callers_status(stack):
    await fuzz(stack, message_cases(Requests(stack.backend), unary_rpcs(), MESSAGES_PER_RPC, SEED))


async def test_request_bytes_that_are_no_request_get_the_callers_status(stack):
    await fuzz(stack, raw_cases(unary_rpcs(), RANDOM_RAW_PER_RPC, SEED))
