"""What a handler knows about the call it serves: request id, rpc, backend, deadline.

Set by the interceptor for every call; read anywhere below it (dispatch, adapters, events)
without threading it through every signature.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass

UNRESTRICTED: frozenset[str] = frozenset({"*"})  # the scopes of a call nobody authenticated


@dataclass(slots=True)
class CallInfo:
    request_id: str
    rpc: str
    backend: str = ""
    deadline: float | None = None  # time.monotonic() value, None when the caller set none
    caller: str = ""  # the authenticated caller (runtime/auth.py), "" when anonymous
    scopes: frozenset[str] = UNRESTRICTED

    def time_remaining(self) -> float | None:
        """Seconds left before the caller's deadline, or None when unbounded."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())


current_call: ContextVar[CallInfo | None] = ContextVar("deskbridge_call", default=None)


def call_info() -> CallInfo:
    """The current call; outside a call (tests, scripts) an anonymous placeholder."""
    return current_call.get() or CallInfo(request_id="", rpc="")
