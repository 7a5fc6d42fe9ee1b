"""A runnable emulator of Requestor's REST API and webhook triggers (see VENDORS.md §4).

The settings, with what the sources leave open tagged [I]/[?], are in config.py; the wire
behaviour, fault keys and control API in app.py; the entities in state.py; the webhook
deliveries in deliveries.py; the operator's control routes in operator.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deskbridge.sandbox.common.faults import Faults, ScriptedFault
from deskbridge.sandbox.requestor.app import create_app
from deskbridge.sandbox.requestor.config import EVENTS, SandboxConfig

__all__ = [
    "EVENTS",
    "Faults",
    "RunningSandbox",
    "SandboxConfig",
    "ScriptedFault",
    "create_app",
    "start_sandbox",
]


@dataclass
class RunningSandbox:
    """A served sandbox: `.url`, `.app`, and `.stop()`, which also stops the deliveries."""

    url: str
    app: Any
    server: Any  # the runner's RunningServer

    async def stop(self) -> None:
        await self.app.state.sandbox.aclose()  # pending deliveries cancelled first
        await self.server.stop()


async def start_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> RunningSandbox:
    """Serve a sandbox in this event loop; returns a handle with `.url`, `.app`, `.stop()`.
    The instance's state is `handle.app.state.sandbox.state`."""
    from deskbridge.sandbox.common.runner import start_app

    running = await start_app(create_app(config), host=host, port=port)
    return RunningSandbox(running.url, running.app, running)
