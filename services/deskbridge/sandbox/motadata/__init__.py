"""A runnable emulator of Motadata ServiceOps' REST API (see VENDORS.md §2).

The settings, with what the sources leave open tagged [I]/[?], are in config.py; the wire
behaviour, fault keys and control API in app.py.
"""

from deskbridge.sandbox.common.faults import Faults, ScriptedFault
from deskbridge.sandbox.motadata.app import create_app
from deskbridge.sandbox.motadata.config import SandboxConfig

__all__ = ["Faults", "SandboxConfig", "ScriptedFault", "create_app", "start_sandbox"]


async def start_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
):
    """Serve a sandbox in this event loop; returns a handle with `.url`, `.app`, `.stop()`.
    The instance's state is `handle.app.state.sandbox.state`."""
    from deskbridge.sandbox.common.runner import start_app

    return await start_app(create_app(config), host=host, port=port)
