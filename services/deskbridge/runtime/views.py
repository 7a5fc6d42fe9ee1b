"""Reads answered from the event view, for a vendor whose API cannot read its resources back.

Requestor's API creates tickets and users but reads none of them; its triggers announce every
change. So what Deskbridge saw on its event stream — the last state of each resource, from its
own writes and from the vendor's webhooks — is the only read model there is. A backend
declares the kinds it serves that way (`Backend.view`, an `EventViewSlot`); the process fills
the slot with a reader of the view (`deskbridge.events.views`) once NATS is there, and
`view_operations` answers Get and List of those kinds from it:

- Get: the last state seen, deleted ones included (they carry `deleted`), NOT_FOUND for a
  resource the view never saw;
- List: every resource seen and not deleted (nor disabled unless `include_disabled`), in
  remote-id order, key-set paged; `updated_after` filters; any other filter is refused with
  INVALID_ARGUMENT naming it (the view has no vendor to ask);
- without NATS: UNAVAILABLE, the view cannot be read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

from deskbridge.runtime.errors import ApiError, FieldViolation, invalid_argument, not_found
from deskbridge.runtime.paging import cursor_text, decode_page_token, encode_page_token, page_size

# kind → (service, resource message) of the reads a view can answer
VIEW_KINDS: Mapping[str, tuple[str, str]] = {
    "ticket": ("deskbridge.v1.TicketService", "Ticket"),
    "user": ("deskbridge.v1.IdentityService", "User"),
    "company": ("deskbridge.v1.IdentityService", "Company"),
}
_PLURALS = {"Company": "Companies"}
_LIST_FIELDS = {"parent", "page_size", "page_token", "updated_after", "include_disabled"}


class ViewReader(Protocol):
    """What the view offers the reads (implemented in `deskbridge.events.views`)."""

    async def ready(self, backend: str) -> None:
        """Wait until what the view already holds of `backend` is loaded."""

    def get(self, backend: str, kind: str, remote_id: str) -> bytes | None:
        """The serialized resource, None when the view never saw it."""

    def after(self, backend: str, kind: str, remote_id: str | None) -> Iterator[tuple[str, bytes]]:
        """(remote id, serialized resource) in remote-id order, after `remote_id`."""

    def updated_at(self, backend: str) -> float | None:
        """Epoch seconds the view last took in a change of `backend`."""


@dataclass
class EventViewSlot:
    """A backend's kinds served from the event view, and the reader once there is one."""

    backend: str
    vendor: str
    kinds: tuple[str, ...]
    reader: ViewReader | None = None

    def methods(self) -> list[str]:
        return [m for kind in self.kinds for m in _methods(kind)]


def _methods(kind: str) -> tuple[str, str]:
    service, resource = VIEW_KINDS[kind]
    plural = _PLURALS.get(resource, f"{resource}s")
    return f"{service}/Get{resource}", f"{service}/List{plural}"


def _output_class(method: str) -> type[Message]:
    service_name, _, name = method.partition("/")
    service = descriptor_pool.Default().FindServiceByName(service_name)
    return message_factory.GetMessageClass(service.methods_by_name[name].output_type)


def sort_key(remote_id: str) -> tuple[int, int, str]:
    """Remote-id order: numeric ids as numbers, then any other id as text."""
    return (0, int(remote_id), "") if remote_id.isdigit() else (1, 0, remote_id)


def view_operations(slot: EventViewSlot) -> dict:
    """Get and List of every kind of `slot`, answered from its reader."""
    operations = {}
    for kind in slot.kinds:
        get_method, list_method = _methods(kind)
        operations[get_method] = _getter(slot, kind, _output_class(get_method))
        operations[list_method] = _lister(slot, kind, _output_class(list_method))
    return operations


def _reader(slot: EventViewSlot) -> ViewReader:
    if slot.reader is None:
        raise ApiError(
            grpc.StatusCode.UNAVAILABLE,
            f"backend {slot.backend!r} ({slot.vendor}) is read from the event view, "
            "which needs NATS; it is not connected",
            reason="EVENT_VIEW_UNAVAILABLE",
            metadata={"backend": slot.backend, "vendor": slot.vendor},
        )
    return slot.reader


def _getter(slot: EventViewSlot, kind: str, response_class: type[Message]):
    field = response_class.DESCRIPTOR.fields[0].name

    async def get(request: Message) -> Message:
        reader = _reader(slot)
        await reader.ready(slot.backend)
        data = reader.get(slot.backend, kind, request.name.rpartition("/")[2])
        if data is None:
            raise not_found(request.name, source="event_view")
        response = response_class()
        # parsed straight into the response: `response_class(ticket=parsed)` copies it again
        getattr(response, field).MergeFromString(data)
        return response

    return get


def _lister(slot: EventViewSlot, kind: str, response_class: type[Message]):
    field = next(f for f in response_class.DESCRIPTOR.fields if f.message_type is not None)
    resource_class = message_factory.GetMessageClass(field.message_type)

    async def list_(request: Message) -> Message:
        refused = [
            FieldViolation(
                d.name, f"{slot.vendor} lists from the event view, which cannot filter by it"
            )
            for d, _ in request.ListFields()
            if d.name not in _LIST_FIELDS
        ]
        if refused:
            raise invalid_argument(refused)
        size = page_size(request.page_size)
        after = cursor_text(decode_page_token(request.page_token, request), "after")
        reader = _reader(slot)
        await reader.ready(slot.backend)
        asked = request.DESCRIPTOR.fields_by_name
        since = (
            request.updated_after.ToNanoseconds()
            if "updated_after" in asked and request.HasField("updated_after")
            else None
        )
        found: list[Message] = []
        for _, data in reader.after(slot.backend, kind, after):
            resource = resource_class.FromString(data)
            if _listed(resource, request, since):
                found.append(resource)
                if len(found) > size:
                    break
        more = len(found) > size
        page = found[:size]
        token = encode_page_token({"after": _remote_id(page[-1])}, request) if more else ""
        return response_class(**{field.name: page, "next_page_token": token})

    return list_


def _remote_id(resource: Message) -> str:
    return resource.name.rpartition("/")[2]


def _listed(resource: Message, request: Message, since: int | None) -> bool:
    fields = resource.DESCRIPTOR.fields_by_name
    if "deleted" in fields and resource.deleted:
        return False
    if (
        "disabled" in fields
        and resource.disabled
        and not getattr(request, "include_disabled", False)
    ):
        return False
    if since is not None and update_nanos(resource) <= since:
        return False
    return True


def update_nanos(resource: Message) -> int:
    """The resource's update time (the vendor record's when it has none of its own), in ns;
    0 when unknown."""
    fields = resource.DESCRIPTOR.fields_by_name
    if "update_time" in fields:
        return resource.update_time.ToNanoseconds()
    if "vendor_record" in fields:
        return resource.vendor_record.update_time.ToNanoseconds()
    return 0
