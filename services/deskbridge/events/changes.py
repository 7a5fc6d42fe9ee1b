"""From a confirmed change (API call, webhook or poll) to the `deskbridge.v1` event message.

The same function serves every origin, so the API path and the watcher produce the same
`ce-id` for the same vendor change: it is derived from (backend, resource name, revision,
action), where the revision is the resource's `etag` or else its vendor update time. Resources
without either get a digest, salted on the API path with the call's request id.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import structlog
from google.protobuf import field_mask_pb2
from google.protobuf.message import Message

from deskbridge.events.envelope import ChangeEvent, build_change_event
from deskbridge.events.payloads import message_class
from deskbridge.runtime.dispatch import Change, ChangeSink
from deskbridge.v1 import events_pb2

log = structlog.get_logger(__name__)
ORIGINS = ("api", "webhook", "poll")


def revision_of(resource: Message, call: str = "") -> str:
    """The vendor revision: etag, else vendor update time, else a digest of the resource.

    The digest includes `call` (the RPC's request id on the API path): without a vendor
    revision, two changes that leave the resource in the same state (add then remove an
    observer, A → B → A) would otherwise share a ce-id and JetStream would drop the second.
    A retried call keeps its request id, so its replay is still stored once.
    """
    fields = resource.DESCRIPTOR.fields_by_name
    if "etag" in fields and resource.etag:
        return resource.etag
    if "vendor_record" in fields and resource.HasField("vendor_record"):
        record = resource.vendor_record
        if record.HasField("update_time"):
            return f"{record.update_time.seconds}.{record.update_time.nanos:09d}"
    # No vendor revision: two different states must not share a ce-id (JetStream would drop
    # the second as a duplicate), the same state seen twice must.
    digest = hashlib.sha256(resource.SerializeToString(deterministic=True))
    digest.update(call.encode())
    return digest.hexdigest()[:20]


def to_change_event(change: Change, origin: str = "api") -> ChangeEvent:
    """The `<Resource>Event` for a change, wrapped for NATS."""
    event_class = message_class(change.resource)
    if event_class is None:
        raise ValueError(f"no deskbridge.v1 event message for resource kind {change.resource!r}")
    resource_field = _field_holding(event_class, change.message)
    now = datetime.now(UTC)
    event = event_class(
        action=events_pb2.ChangeAction.Value(f"CHANGE_ACTION_{change.action.upper()}"),
        changed_fields=field_mask_pb2.FieldMask(paths=change.changed_fields),
        origin=events_pb2.ChangeOrigin.Value(f"CHANGE_ORIGIN_{origin.upper()}"),
        request_id=change.request_id,
        resource_name=change.message.name,
    )
    getattr(event, resource_field).CopyFrom(change.message)
    event.change_time.FromDatetime(now)
    return build_change_event(
        backend=change.backend,
        resource=change.resource,
        action=change.action,
        resource_name=change.message.name,
        revision=revision_of(change.message, change.request_id if origin == "api" else ""),
        message=event,
        time=now,
    )


def _field_holding(event_class: type[Message], resource: Message) -> str:
    for field in event_class.DESCRIPTOR.fields:
        if field.message_type is resource.DESCRIPTOR:
            return field.name
    raise ValueError(f"{event_class.__name__} has no field of type {resource.DESCRIPTOR.name}")


def change_sink(publisher) -> ChangeSink:
    """The dispatcher's sink: publish and wait for the ack (or the outbox) before answering."""

    async def emit(change: Change) -> None:
        try:
            event = to_change_event(change)
        except ValueError:  # a bug in an event rule must not fail a change the vendor made
            log.exception("change_event_not_built", resource=change.resource, action=change.action)
            return
        outcome = await publisher.publish(event)
        log.debug(
            "change_published", resource=change.resource, action=change.action, outcome=str(outcome)
        )

    return emit
