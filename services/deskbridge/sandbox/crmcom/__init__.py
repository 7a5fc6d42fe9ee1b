"""A runnable emulator of the CRM.COM Web API (R-series, REST v2; see VENDORS.md §3).

The settings, with what the sources leave open tagged [I]/[?], are in config.py; the wire
behaviour, the life cycle, fault keys and the control API in app.py.
"""

from deskbridge.sandbox.common.faults import Faults, ScriptedFault
from deskbridge.sandbox.crmcom.app import create_app
from deskbridge.sandbox.crmcom.config import SandboxConfig

__all__ = ["Faults", "SandboxConfig", "ScriptedFault", "create_app", "start_sandbox"]


async def start_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
):
    """Serve a sandbox in this event loop; returns a handle with `.url`, `.app`, `.stop()`.
    The instance's state is `handle.app.state.sandbox.state`."""
    from deskbridge.sandbox.common.runner import start_app

    return await start_app(create_app(config), host=host, port=port)
