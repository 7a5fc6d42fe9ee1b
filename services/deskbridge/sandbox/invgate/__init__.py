"""A runnable emulator of InvGate Service Management's REST API v1 (see VENDORS.md §1)."""

from deskbridge.sandbox.common.faults import Faults, ScriptedFault
from deskbridge.sandbox.invgate.app import SandboxConfig, create_app

__all__ = ["Faults", "SandboxConfig", "ScriptedFault", "create_app", "start_sandbox"]


async def start_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
):
    """Serve a sandbox in this event loop; returns a handle with `.url`, `.app`, `.stop()`."""
    from deskbridge.sandbox.common.runner import start_app

    return await start_app(create_app(config), host=host, port=port)
