"""A runnable emulator of InvGate Service Management's REST API v1 (see VENDORS.md §1)."""

from deskbridge.sandbox.invgate.app import SandboxConfig, create_app
from deskbridge.sandbox.invgate.faults import Faults, ScriptedFault

__all__ = ["Faults", "SandboxConfig", "ScriptedFault", "create_app", "start_sandbox"]


async def start_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
):
    """Serve a sandbox in this event loop; returns a handle with `.url`, `.app`, `.stop()`."""
    from deskbridge.runtime.asgi import start_asgi

    app = create_app(config)
    running = await start_asgi(app, host=host, port=port)
    running.app = app
    return running
