"""BackendService: configured backends, per operation whether their vendor supports it, and
how fresh the watcher's capture of each backend's own changes is (GetSyncStatus).

Capabilities are read from the same operation tables the dispatcher routes through, so what
is reported as supported is exactly what answers instead of UNIMPLEMENTED.
"""

from __future__ import annotations

from deskbridge.runtime.backends import Backend, BackendRegistry
from deskbridge.runtime.contracts import SERVICES, pb2, pb2_grpc, service_descriptor
from deskbridge.runtime.dispatch import Dependencies
from deskbridge.runtime.names import BACKEND, ResourcePattern
from deskbridge.runtime.paging import page_of
from deskbridge.runtime.validation import validate

backends_pb2 = pb2("backends")
common_pb2 = pb2("common")
ROUTED_SERVICES = tuple(key for key in SERVICES if key not in ("backends", "changes"))


def all_methods() -> list[str]:
    """Every backend-routed RPC of the contract, as full gRPC method names."""
    return [
        f"{service_descriptor(key).full_name}/{method.name}"
        for key in ROUTED_SERVICES
        for method in service_descriptor(key).methods
    ]


def to_proto(backend: Backend) -> backends_pb2.Backend:
    support = backends_pb2.OperationSupport
    viewed = set(backend.view.methods()) if backend.view is not None else set()
    operations = [
        support(
            method=method,
            support=(
                (
                    backends_pb2.SUPPORT_PARTIAL
                    if method in backend.notes
                    else backends_pb2.SUPPORT_SUPPORTED
                )
                if method in backend.operations
                else backends_pb2.SUPPORT_UNSUPPORTED
            ),
            note=backend.notes.get(method, ""),
            source=backends_pb2.ANSWER_SOURCE_EVENT_VIEW
            if method in viewed
            else backends_pb2.ANSWER_SOURCE_VENDOR
            if method in backend.operations
            else backends_pb2.ANSWER_SOURCE_UNSPECIFIED,
        )
        for method in all_methods()
    ]
    updated = _view_updated(backend)
    if updated is not None:
        for operation in operations:
            if operation.method in viewed:
                operation.view_update_time.FromNanoseconds(int(updated * 1e9))
    return backends_pb2.Backend(
        name=BACKEND.format(backend=backend.name),
        vendor=common_pb2.Vendor.Value(f"VENDOR_{backend.vendor.upper()}"),
        base_url=backend.base_url,
        operations=operations,
    )


def _view_updated(backend: Backend) -> float | None:
    view = backend.view
    if view is None or view.reader is None:
        return None
    return view.reader.updated_at(backend.name)


SYNC_STATUS = ResourcePattern("backends/{backend}/syncStatus")


class BackendServicer(pb2_grpc("backends").BackendServiceServicer):
    def __init__(self, registry: BackendRegistry, sync_status=None) -> None:
        self._registry = registry
        self._sync_status = sync_status

    async def ListBackends(self, request, context):
        validate(request)
        backends = sorted(self._registry.all(), key=lambda b: b.name)
        page, token = page_of(backends, request)
        return backends_pb2.ListBackendsResponse(
            backends=[to_proto(b) for b in page], next_page_token=token
        )

    async def GetBackend(self, request, context):
        validate(request)
        name = BACKEND.parse(request.name)["backend"]
        return backends_pb2.GetBackendResponse(backend=to_proto(self._registry.get(name)))

    async def GetSyncStatus(self, request, context):
        validate(request)
        backend = self._registry.get(SYNC_STATUS.parse(request.name)["backend"])
        if self._sync_status is None:  # no NATS: nothing is watched
            return backends_pb2.GetSyncStatusResponse(
                sync_status=backends_pb2.SyncStatus(name=request.name)
            )
        return backends_pb2.GetSyncStatusResponse(sync_status=await self._sync_status(backend))


def register(server, deps: Dependencies) -> None:
    pb2_grpc("backends").add_BackendServiceServicer_to_server(
        BackendServicer(deps.registry, deps.sync_status), server
    )
