"""Registering a routed servicer on a server: shared by the four backend-routed services."""

from __future__ import annotations

from collections.abc import Mapping

from deskbridge.runtime.contracts import SERVICES, pb2_grpc, service_descriptor
from deskbridge.runtime.dispatch import Dependencies, EventRule, bind_servicer


def register_routed(server, deps: Dependencies, module: str, events: Mapping[str, EventRule]):
    """Bind `deskbridge.v1.<module>`'s service to the backends and add it to `server`."""
    service = SERVICES[module]
    grpc_module = pb2_grpc(module)
    servicer = bind_servicer(
        getattr(grpc_module, f"{service}Servicer"), service_descriptor(module), deps, events
    )
    getattr(grpc_module, f"add_{service}Servicer_to_server")(servicer, server)
    return servicer


def mask_paths(request) -> list[str]:
    """The update mask's paths, for `changed_fields` of update events."""
    return list(request.update_mask.paths)
