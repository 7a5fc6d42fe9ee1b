"""Configured backends and the operations their vendor adapters provide.

A vendor adapter turns a `BackendConfig` into a `Backend`: a table from full gRPC method name
(`deskbridge.v1.TicketService/GetTicket`) to an async operation taking the request message and
returning the response message. What is absent from the table is unsupported by the vendor,
which is also what `BackendService` reports — one source of truth for capabilities.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

import grpc
from google.protobuf.message import Message

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.idempotency import Claim
from deskbridge.runtime.settings import BackendConfig
from deskbridge.runtime.sources import ChangeCapture
from deskbridge.runtime.views import EventViewSlot

Operation = Callable[[Message], Awaitable[Message]]
# (request, claim) → the response for what an earlier attempt created, or None when nothing was
Reconcile = Callable[[Message, Claim], Awaitable[Message | None]]

# vendor → "module:function" building its Backend; imported only when configured.
ADAPTERS = {
    "invgate": "deskbridge.vendors.invgate.adapter:build_backend",
    "motadata": "deskbridge.vendors.motadata.adapter:build_backend",
    "crmcom": "deskbridge.vendors.crmcom.adapter:build_backend",
    "requestor": "deskbridge.vendors.requestor.adapter:build_backend",
}


@dataclass
class Backend:
    """A configured vendor instance and what it can do."""

    name: str
    vendor: str
    base_url: str
    operations: Mapping[str, Operation]
    notes: Mapping[str, str] = field(default_factory=dict)  # method → caveat (partial support)
    close: Callable[[], Awaitable[None]] | None = None
    capture: ChangeCapture = field(default_factory=ChangeCapture)  # what the watcher may use
    # method → what finds the resource a create with an unknown outcome made (idempotency.py)
    reconcilers: Mapping[str, Reconcile] = field(default_factory=dict)
    # the kinds read from the event view (a vendor that cannot read them back), runtime/views.py
    view: EventViewSlot | None = None

    async def aclose(self) -> None:
        if self.close is not None:
            await self.close()


class BackendRegistry:
    """Backends by name."""

    def __init__(self, backends: Iterable[Backend] = ()) -> None:
        self._backends = {backend.name: backend for backend in backends}

    def get(self, name: str) -> Backend:
        backend = self._backends.get(name)
        if backend is None:
            known = ", ".join(sorted(self._backends)) or "none"
            raise ApiError(
                grpc.StatusCode.NOT_FOUND,
                f"backend {name!r} is not configured (configured: {known})",
                reason="BACKEND_NOT_FOUND",
                metadata={"backend": name},
            )
        return self._backends[name]

    def all(self) -> list[Backend]:
        return list(self._backends.values())

    async def aclose(self) -> None:
        for backend in self._backends.values():
            await backend.aclose()


def build_backend(config: BackendConfig) -> Backend:
    """Instantiate the vendor adapter for one configured backend."""
    target = ADAPTERS.get(config.vendor)
    if target is None:
        # Configured but no adapter yet: it exists, and supports nothing.
        return Backend(config.name, config.vendor, config.base_url, operations={})
    module_name, function = target.split(":")
    return getattr(importlib.import_module(module_name), function)(config)


def build_registry(configs: Iterable[BackendConfig]) -> BackendRegistry:
    return BackendRegistry(build_backend(config) for config in configs)
