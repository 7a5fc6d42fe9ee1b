"""The CloudEvents 1.0 envelope of a change, in binary mode over NATS headers.

A `ChangeEvent` is one change of one resource. Everything a consumer routes on is derived:

    subject   deskbridge.<backend>.<resource>.<action>      e.g. deskbridge.invgate.ticket.created
    ce-type   deskbridge.v1.<resource>.<action>
    ce-source deskbridge/<backend>
    ce-id     sha256(backend, resource_name, revision)[:32]   (also Nats-Msg-Id)

`ce-id` is deterministic, so the same change seen twice (by the API path and by the watcher)
is stored once by JetStream. It leaves the action out: the watcher derives an action from
what changed and cannot know which RPC made the change (`deskbridge.events.revisions`).
The revision travels as the CloudEvents extension attribute `ce-revision` (one grammar:
`<seq>.<state digest>`, `<seq>.<state digest>.<call digest>`, or `<seq>.deleted`), so an event
read back from NATS is the same `ChangeEvent`; `ce-dataschema` names the payload's message
(`urn:deskbridge:proto:deskbridge.v1.TicketEvent`) so a consumer in any language needs no map
from ce-type to message.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.protobuf.message import Message

from deskbridge.runtime import tracing

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/protobuf"
SUBJECT_PREFIX = "deskbridge"
TYPE_PREFIX = "deskbridge.v1"
SOURCE_PREFIX = "deskbridge/"
MSG_ID_HEADER = "Nats-Msg-Id"
REVISION_HEADER = "ce-revision"
DATASCHEMA_HEADER = "ce-dataschema"
DATASCHEMA_PREFIX = "urn:deskbridge:proto:"  # + the payload's full protobuf message name
TRACEPARENT_HEADER = "traceparent"

_BACKEND = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # resource kinds and actions: lower snake


def check_backend(value: str) -> str:
    if not isinstance(value, str) or not _BACKEND.match(value):
        raise ValueError(f"backend {value!r} is not a NATS subject token ([a-z0-9_-])")
    return value


def check_kind(value: str, what: str) -> str:
    if not isinstance(value, str) or not _KIND.match(value):
        raise ValueError(f"{what} {value!r} must be lower snake case ([a-z][a-z0-9_]*)")
    return value


def change_id(backend: str, resource_name: str, revision: str) -> str:
    """The deterministic CloudEvents id (and JetStream Nats-Msg-Id) of one change."""
    material = "\x1f".join((backend, resource_name, revision)).encode()
    return hashlib.sha256(material).hexdigest()[:32]


def format_time(value: datetime) -> str:
    """RFC 3339 in UTC with a `Z`, microsecond precision when there is a fraction."""
    value = as_utc(value)
    text = value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text.strip()))


def as_utc(value: datetime) -> datetime:
    """Aware UTC datetime; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def message_class_name(resource: str) -> str:
    """The payload message of a resource kind: `article_category` → `ArticleCategoryEvent`."""
    return "".join(part.capitalize() for part in resource.split("_")) + "Event"


@functools.cache
def dataschema(resource: str) -> str:
    """`ce-dataschema`: which message the payload is, e.g.
    `urn:deskbridge:proto:deskbridge.v1.TicketEvent` (the name after the last colon)."""
    return f"{DATASCHEMA_PREFIX}{TYPE_PREFIX}.{message_class_name(resource)}"


def split_type(ce_type: str) -> tuple[str, str] | None:
    """`deskbridge.v1.<resource>.<action>` → (resource, action), else None."""
    prefix = TYPE_PREFIX + "."
    if not ce_type.startswith(prefix):
        return None
    resource, _, action = ce_type[len(prefix) :].partition(".")
    if not _KIND.match(resource) or not _KIND.match(action):
        return None
    return resource, action


@dataclass(frozen=True)
class ChangeEvent:
    """One change of one resource, ready for NATS (see the module docstring)."""

    backend: str
    resource: str  # resource kind, lower snake: "ticket", "article_category"
    action: str  # lower snake: "created", "updated", "deleted"
    resource_name: str  # "backends/invgate/tickets/12"
    revision: str  # `<seq>.<state digest>[.<call>]`, see deskbridge.events.revisions
    payload: bytes  # serialized deskbridge.v1 <Resource>Event message
    time: datetime  # UTC
    traceparent: str | None = field(default=None)
    # the resource the payload carries, when this process built the event (spares a parse)
    carried: Message | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_backend(self.backend)
        check_kind(self.resource, "resource")
        check_kind(self.action, "action")
        if not self.resource_name:
            raise ValueError("resource_name is required")
        if not isinstance(self.revision, str) or not self.revision:
            raise ValueError("revision is required (a string)")
        if not isinstance(self.payload, bytes | bytearray | memoryview):
            raise TypeError("payload must be bytes")
        object.__setattr__(self, "payload", bytes(self.payload))
        object.__setattr__(self, "time", as_utc(self.time))

    @property
    def subject(self) -> str:
        return f"{SUBJECT_PREFIX}.{self.backend}.{self.resource}.{self.action}"

    @property
    def ce_type(self) -> str:
        return f"{TYPE_PREFIX}.{self.resource}.{self.action}"

    @property
    def ce_source(self) -> str:
        return f"{SOURCE_PREFIX}{self.backend}"

    @property
    def ce_id(self) -> str:
        return change_id(self.backend, self.resource_name, self.revision)

    def headers(self) -> dict[str, str]:
        headers = {
            "ce-specversion": SPEC_VERSION,
            "ce-id": self.ce_id,
            "ce-source": self.ce_source,
            "ce-type": self.ce_type,
            "ce-subject": self.resource_name,
            "ce-time": format_time(self.time),
            DATASCHEMA_HEADER: dataschema(self.resource),
            REVISION_HEADER: self.revision,
            "content-type": CONTENT_TYPE,
            MSG_ID_HEADER: self.ce_id,
        }
        if self.traceparent:
            headers[TRACEPARENT_HEADER] = self.traceparent
        return headers

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], payload: bytes) -> ChangeEvent:
        """The event back from its headers; `ValueError` when they are not ours or altered."""
        try:
            kind = split_type(headers["ce-type"])
            source = headers["ce-source"]
            if kind is None or not source.startswith(SOURCE_PREFIX):
                raise ValueError(f"not a Deskbridge change event: {headers['ce-type']!r}")
            event = cls(
                backend=source.removeprefix(SOURCE_PREFIX),
                resource=kind[0],
                action=kind[1],
                resource_name=headers["ce-subject"],
                revision=headers[REVISION_HEADER],
                payload=payload,
                time=parse_time(headers["ce-time"]),
                traceparent=headers.get(TRACEPARENT_HEADER) or None,
            )
        except KeyError as missing:
            raise ValueError(f"not a Deskbridge change event: header {missing} missing") from None
        if headers.get("ce-id") != event.ce_id:
            raise ValueError("ce-id does not match the event's identity")
        return event

    @classmethod
    def from_message(cls, msg: Any) -> ChangeEvent:
        """From a received `nats.aio.msg.Msg`."""
        return cls.from_headers(msg.headers or {}, msg.data)


def build_change_event(
    *,
    backend: str,
    resource: str,
    action: str,
    resource_name: str,
    revision: str,
    message: Message,
    time: datetime | None = None,
    traceparent: str | None = None,
    carried: Message | None = None,
) -> ChangeEvent:
    """A `ChangeEvent` carrying `message` (a deskbridge.v1 `<Resource>Event`), serialized;
    `carried` is the resource in it."""
    return ChangeEvent(
        backend=backend,
        resource=resource,
        action=action,
        resource_name=resource_name,
        revision=str(revision),
        payload=message.SerializeToString(deterministic=True),
        time=time or datetime.now(UTC),
        traceparent=traceparent if traceparent is not None else current_traceparent(),
        carried=carried,
    )


def current_traceparent() -> str | None:
    """W3C traceparent of the active span; None when tracing is off (runtime/tracing.py)."""
    return tracing.traceparent()
