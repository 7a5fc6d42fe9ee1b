"""The event loop every Deskbridge process runs on: uvloop where it is installed, else asyncio's.

uvloop (libuv under Cython: the loop uvicorn picks by default) does the loop's own work — the
selector, timers, callbacks, socket transports — in C, where the standard library's loop does
it in Python; every call, vendor exchange, NATS round trip and webhook pays that work.
Measured on 2 cores, each pair in one run (benchmarks/README.md): CPU per InvGate GetTicket
x0.90 to x0.96 (482 -> 441 us; `python -m benchmarks.tracing_cost --compare loop`); per
sequential nats-py round trip, client CPU, a KV get 247-288 -> 188-193 us, a JetStream publish
174-225 -> 112-118 us, a KV compare-and-set 161-171 -> 113-116 us
(`python -m benchmarks.publish URL N SIZE --round-trips`).
grpc.aio supports any asyncio loop.

`DESKBRIDGE_EVENT_LOOP=asyncio` keeps the standard library's loop (to compare, or to rule the
loop out when chasing a problem); `uvloop` (the default) falls back to it where uvloop is not
installed (Windows). The running loop is named in the start-up log (`loop_name`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

EVENT_LOOP_VARIABLE = "DESKBRIDGE_EVENT_LOOP"
CHOICES = ("uvloop", "asyncio")


def loop_factory(choice: str | None = None) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The factory of the chosen loop (None: asyncio's default); `choice` defaults to the
    environment's `DESKBRIDGE_EVENT_LOOP`. ValueError for a loop we do not know."""
    choice = (choice or os.environ.get(EVENT_LOOP_VARIABLE) or "uvloop").strip().lower()
    if choice not in CHOICES:
        raise ValueError(f"{EVENT_LOOP_VARIABLE}={choice!r}: expected one of {', '.join(CHOICES)}")
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:  # not installed (Windows): the standard loop
        return None
    return uvloop.new_event_loop


def run(coroutine: Coroutine[Any, Any, T], *, choice: str | None = None) -> T:
    """`asyncio.run(coroutine)` on the chosen loop."""
    try:
        factory = loop_factory(choice)
    except ValueError:
        coroutine.close()  # never started: no "was never awaited" warning
        raise
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coroutine)


def loop_name() -> str:
    """Which loop runs this code: `uvloop` or `asyncio`."""
    module = type(asyncio.get_running_loop()).__module__
    return "uvloop" if module.startswith("uvloop") else "asyncio"
