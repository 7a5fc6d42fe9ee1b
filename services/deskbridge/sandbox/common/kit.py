"""What every vendor sandbox shares: the fault gate around each API call, the request log,
the control API (`/_sandbox/...`, no auth) and the runner.

A vendor sandbox supplies only its wire behaviour: an `Answer` coroutine per API call, what
its fault bodies look like (`FaultBody`), and how to reset and describe its state. Control API:
`GET|PUT /_sandbox/faults`, `GET|DELETE /_sandbox/requests` (the request log),
`POST /_sandbox/reset` (fresh state, empty log), `GET /_sandbox/health`, plus any routes the
vendor adds (InvGate's automation rules, Requestor's operator).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskbridge.sandbox.common.faults import Faults, ScriptedFault

MAX_LOG = 10_000

Answer = Callable[[], Awaitable[Response]]
# (HTTP status of an injected fault) → the vendor's error body for it.
FaultBody = Callable[[int], Any]


@dataclass
class SandboxKit:
    """One sandbox's faults and request log."""

    faults: Faults = field(default_factory=Faults)
    log: list[dict[str, Any]] = field(default_factory=list)

    def record(self, method: str, key: str, query: str, status: int, started: float) -> None:
        if len(self.log) >= MAX_LOG:
            del self.log[: MAX_LOG // 2]
        self.log.append(
            {
                "method": method,
                "key": key,
                "query": query,
                "status": status,
                "ms": round((time.monotonic() - started) * 1000, 2),
                "time": time.time(),
            }
        )

    async def gate(self, key: str, method: str, answer: Answer, body: FaultBody) -> Response:
        """`answer()` behind the faults: latency, then a fault before the call, after it
        (written, then failed) or a hang after it (written, answered late)."""
        fault = self.faults.pick(key, method)
        delay = self.faults.delay_seconds()
        if delay:
            await asyncio.sleep(delay)
        if fault is not None and fault.when == "before":
            return fault_response(fault, body)
        response = await answer()
        if fault is None:
            return response
        if fault.when == "hang":
            await asyncio.sleep(fault.hang_ms / 1000)
            return response
        return fault_response(fault, body)

    async def logged(self, request: Request, key: str, answer: Answer) -> Response:
        """`answer()`, with the call in the request log."""
        started = time.monotonic()
        response = await answer()
        self.record(request.method, key, str(request.query_params), response.status_code, started)
        return response


def fault_response(fault: ScriptedFault, body: FaultBody) -> Response:
    if fault.malformed:
        return Response(b'{"status":"OK","id":12,"tit', media_type="application/json")
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    return JSONResponse(body(fault.status), status_code=fault.status, headers=headers)


def control_routes(
    kit: SandboxKit,
    *,
    reset: Callable[[], None],
    health: Callable[[], dict[str, Any]],
) -> list[Route]:
    """The `/_sandbox/` routes every sandbox serves."""

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            try:
                kit.faults = Faults(**(await request.json()))
            except (TypeError, ValueError) as bad:
                return JSONResponse({"error": str(bad)}, status_code=400)
        return JSONResponse(kit.faults.to_json())

    async def requests_log(request: Request) -> Response:
        if request.method == "DELETE":
            kit.log.clear()
        return JSONResponse(kit.log)

    async def do_reset(request: Request) -> Response:
        reset()
        kit.log.clear()
        return JSONResponse({"status": "OK"})

    async def do_health(request: Request) -> Response:
        return JSONResponse({"status": "OK", **health()})

    return [
        Route("/_sandbox/faults", faults, methods=["GET", "PUT"]),
        Route("/_sandbox/requests", requests_log, methods=["GET", "DELETE"]),
        Route("/_sandbox/reset", do_reset, methods=["POST"]),
        Route("/_sandbox/health", do_health, methods=["GET"]),
    ]
