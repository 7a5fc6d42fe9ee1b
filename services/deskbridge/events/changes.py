"""From a confirmed change (API call, webhook or poll) to the `deskbridge.v1` event message.

Every origin goes through `publish_change`: the revision comes from the shared snapshot
(`deskbridge.events.revisions`), so the API path and the watcher produce the same `ce-id`
for the same vendor change, and the snapshot moves on only after the event is published.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import structlog
from google.protobuf import field_mask_pb2
from google.protobuf.message import Message
from opentelemetry.trace import SpanKind

from deskbridge.events.envelope import SUBJECT_PREFIX, ChangeEvent, build_change_event
from deskbridge.events.payloads import message_class
from deskbridge.events.revisions import RevisionStore, Transition
from deskbridge.runtime import tracing
from deskbridge.runtime.dispatch import Change, ChangeSink
from deskbridge.v1 import events_pb2

log = structlog.get_logger(__name__)
ORIGINS = ("api", "webhook", "poll")


def to_change_event(change: Change, revision: str, origin: str = "api") -> ChangeEvent:
    """The `<Resource>Event` for a change at `revision`, wrapped for NATS."""
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
        actor=change.actor,
    )
    getattr(event, resource_field).CopyFrom(change.message)
    event.change_time.FromDatetime(now)
    return build_change_event(
        backend=change.backend,
        resource=change.resource,
        action=change.action,
        resource_name=change.message.name,
        revision=revision,
        message=event,
        time=now,
        carried=change.message,
    )


def _field_holding(event_class: type[Message], resource: Message) -> str:
    for field in event_class.DESCRIPTOR.fields:
        if field.message_type is resource.DESCRIPTOR:
            return field.name
    raise ValueError(f"{event_class.__name__} has no field of type {resource.DESCRIPTOR.name}")


async def publish_change(
    publisher: Any,
    revisions: RevisionStore,
    change: Change,
    transition: Transition,
    origin: str,
) -> Any:
    """Publish `change` at the transition's revision, then move the snapshot on.

    With tracing on, a PRODUCER span covers it and the event's `traceparent` is that span's,
    so a consumer's span is a child of the publish (OpenTelemetry's messaging conventions)."""
    if not tracing.enabled():
        event = to_change_event(change, transition.revision, origin)
        outcome = await publisher.publish(event)
        await revisions.commit(transition)
        return outcome
    subject = f"{SUBJECT_PREFIX}.{change.backend}.{change.resource}.{change.action}"
    attributes = {
        "messaging.system": "nats",
        "messaging.operation.type": "publish",
        "messaging.destination.name": subject,
        "deskbridge.backend": change.backend,
        "deskbridge.resource": change.message.name,
        "deskbridge.origin": origin,
    }
    with tracing.span(f"publish {subject}", SpanKind.PRODUCER, attributes) as current:
        event = to_change_event(change, transition.revision, origin)
        current.set_attribute("messaging.message.id", event.ce_id)
        outcome = await publisher.publish(event)
        current.set_attribute("deskbridge.publish_outcome", str(outcome))
        await revisions.commit(transition)
        return outcome


def change_sink(publisher: Any, revisions: RevisionStore, *, delay: float = 0.0) -> ChangeSink:
    """The dispatcher's sink: publish and wait for the ack (or the outbox) before answering.

    `delay` (a test hook) widens the window between the vendor's answer and the publish."""

    async def emit(change: Change) -> None:
        if delay:
            await asyncio.sleep(delay)
        try:
            # A delete is a tombstone (`<seq>.deleted`), the revision the watcher's scan would
            # give it, so the two paths publish it once; unknown resources are observed.
            transition = None
            if change.action == "deleted":
                transition = await revisions.tombstone(change.message.name)
            if transition is None:
                transition = await revisions.observe(
                    change.message, request_id=change.request_id, call_started=change.call_started
                )
            outcome = await publish_change(publisher, revisions, change, transition, "api")
        except ValueError:  # a bug in an event rule must not fail a change the vendor made
            log.exception("change_event_not_built", resource=change.resource, action=change.action)
            return
        log.debug(
            "change_published", resource=change.resource, action=change.action, outcome=str(outcome)
        )

    return emit
