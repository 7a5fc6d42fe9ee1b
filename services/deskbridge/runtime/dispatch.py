"""From a gRPC call to a vendor operation, the same way for every backend-routed RPC.

A servicer is declared, not written: `bind_servicer` builds one method per RPC of a service
descriptor. Each call is validated from the contract annotations, routed by the backend in
its resource name, handed to the backend's operation for that method (UNIMPLEMENTED naming
vendor and operation when there is none), made idempotent when it carries a `request_id`,
and — for mutating RPCs — followed by a change event once the vendor has confirmed it.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.descriptor import Descriptor, MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message

from deskbridge.runtime.backends import Backend, BackendRegistry
from deskbridge.runtime.context import call_info
from deskbridge.runtime.errors import unimplemented
from deskbridge.runtime.idempotency import IdempotencyStore, idempotency_key
from deskbridge.runtime.names import backend_of
from deskbridge.runtime.scopes import check_backend
from deskbridge.runtime.validation import validate

CARRIED = None  # an EventRule resource kind: that of whichever resource the response carries


@dataclass(frozen=True)
class EventRule:
    """How a mutating RPC is announced: resource kind, action, and where the resource is.

    `resource` may be `CARRIED` for RPCs acting on several kinds (members of a group, a
    company or a location): the kind is then that of the resource in the response.
    """

    resource: str | None
    action: str
    pick: Callable[[Message, Message], Message | None] | None = None
    changed_fields: Callable[[Message], Sequence[str]] | Sequence[str] = ()

    def resource_after(self, request: Message, response: Message) -> Message | None:
        if self.pick is not None:
            return self.pick(request, response)
        return first_resource(response)

    def fields(self, request: Message) -> list[str]:
        if callable(self.changed_fields):
            return list(self.changed_fields(request))
        return list(self.changed_fields)


@dataclass(frozen=True)
class Change:
    """A change the vendor confirmed, handed to the event sink."""

    backend: str
    resource: str
    action: str
    message: Message
    changed_fields: list[str]
    request_id: str
    call_started: float = 0.0  # epoch seconds the RPC started; 0 for what the watcher saw
    actor: str = ""  # the authenticated caller who made it (runtime/auth.py); "" if unknown


ChangeSink = Callable[[Change], Awaitable[None]]


@dataclass
class Dependencies:
    """What bound servicers share within a process."""

    registry: BackendRegistry
    idempotency: IdempotencyStore = field(default_factory=lambda: IdempotencyStore(None))
    emit: ChangeSink | None = None
    # A backend's change-capture status (BackendService.GetSyncStatus); None without NATS.
    sync_status: Callable[[Backend], Awaitable[Message]] | None = None
    # The NATS connection (ChangeService.Watch reads the event stream); None without NATS.
    nats: Any = None
    watch_buffer: int = 256  # changes a Watch fetches from the stream at a time (its memory)
    watch_stall_seconds: float = 30.0  # a Watch whose client reads nothing this long ends
    # Called when the server starts stopping, before in-flight calls get their grace period
    # (a Watch never finishes by itself).
    stopping: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


def bind_servicer(
    base: type, service: ServiceDescriptor, deps: Dependencies, events: Mapping[str, EventRule]
):
    """An instance of `base` (a generated `*Servicer`) with every RPC routed to backends."""
    unknown = set(events) - {m.name for m in service.methods}
    if unknown:
        raise ValueError(f"event rules for methods {service.name} does not have: {unknown}")
    methods = {m.name: _handler(m, deps, events.get(m.name)) for m in service.methods}
    return type(f"Routed{base.__name__}", (base,), methods)()


def _handler(method: MethodDescriptor, deps: Dependencies, rule: EventRule | None):
    full_method = f"{method.containing_service.full_name}/{method.name}"
    operation_name = f"{method.containing_service.name}.{method.name}"
    route = routing_field(method.input_type)
    creates = "request_id" in method.input_type.fields_by_name
    response_type = None

    async def handle(self, request: Message, context) -> Message:
        nonlocal response_type
        started = time.time()
        validate(request)
        field_path, value = route(request)
        backend_name = backend_of(value, field_path)
        backend = deps.registry.get(backend_name)  # NOT_FOUND for an unknown backend
        info = call_info()
        info.backend = backend_name  # only known names: it becomes a metric label
        check_backend(info.scopes, backend_name)
        operation = backend.operations.get(full_method)
        if operation is None:
            raise unimplemented(backend.vendor, operation_name, backend_name)
        request_id = getattr(request, "request_id", "") if creates else ""
        if request_id:
            response_type = response_type or _response_class(method)
            key = idempotency_key(full_method, backend_name, request_id)
            reconcile = backend.reconcilers.get(full_method)
            response = await deps.idempotency.run(
                key,
                request,
                lambda: operation(request),
                response_type,
                None if reconcile is None else functools.partial(reconcile, request),
            )
        else:
            response = await operation(request)
        if rule is not None and deps.emit is not None:
            resource = rule.resource_after(request, response)
            if resource is not None:
                await deps.emit(
                    Change(
                        backend=backend_name,
                        resource=rule.resource or resource_kind(resource),
                        action=rule.action,
                        message=resource,
                        changed_fields=rule.fields(request),
                        request_id=request_id or info.request_id,
                        call_started=started,
                        actor=info.caller,
                    )
                )
        return response

    handle.__name__ = method.name
    return handle


def routing_field(descriptor: Descriptor) -> Callable[[Message], tuple[str, str]]:
    """Where a request names its backend: `name`, `parent`, `names[0]`, or `<resource>.name`."""
    fields = descriptor.fields_by_name
    for plain in ("name", "parent", "resource"):
        if plain in fields and fields[plain].type == fields[plain].TYPE_STRING:
            return lambda request, f=plain: (f, getattr(request, f))
    if "names" in fields:
        return lambda request: ("names", request.names[0] if request.names else "")
    for candidate in descriptor.fields:
        if candidate.message_type is not None and "name" in candidate.message_type.fields_by_name:
            return lambda request, f=candidate.name: (f"{f}.name", getattr(request, f).name)
    raise ValueError(f"{descriptor.full_name} names no resource to route by")


def first_resource(message: Message) -> Message | None:
    """The first set sub-message that is a resource (has a `name`), e.g. `response.ticket`."""
    for descriptor, value in message.ListFields():
        if descriptor.message_type is not None and "name" in descriptor.message_type.fields_by_name:
            if not descriptor.is_repeated:
                return value
    return None


def resource_kind(message: Message) -> str:
    """The event resource kind of a message: `HelpDeskLevel` → `help_desk_level`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", message.DESCRIPTOR.name).lower()


def _response_class(method: MethodDescriptor) -> type[Message]:
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(method.output_type)
