"""Where the sandboxes are served from: the shared ASGI runner (`deskbridge.runtime.asgi`)."""

from deskbridge.runtime.asgi import RunningServer, start_asgi

__all__ = ["RunningServer", "start_asgi"]
