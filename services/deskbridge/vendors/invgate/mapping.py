"""InvGate JSON ⇄ deskbridge.v1 messages, written once per resource.

Shapes follow what real instances return (VENDORS.md §1.6): epoch-second timestamps, ids that
may arrive as strings, custom fields keyed by uid with `{hash: label}` for list/tree values,
comment visibility as 0/1 or bool depending on the endpoint. The raw record always goes to
`vendor_record.remote_data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from typing import Any

import structlog
from google.protobuf import timestamp_pb2

from deskbridge.runtime.errors import bad_field
from deskbridge.runtime.names import ResourcePattern
from deskbridge.runtime.records import fill_struct, to_int
from deskbridge.runtime.resources import (
    ATTACHMENT,
    CATEGORY,
    COMMENT,
    HELP_DESK,
    LOCATION,
    TICKET,
    USER,
    integer_id,
)
from deskbridge.runtime.resources import (
    COMPANY as COMPANY,  # re-exported: the directory and users modules name it m.COMPANY
)
from deskbridge.runtime.validation import MAX_SECONDS, MIN_SECONDS
from deskbridge.v1 import common_pb2, tickets_pb2

log = structlog.get_logger(__name__)

TASK = ResourcePattern("backends/{backend}/tickets/{ticket}/tasks/{task}")
LINK = ResourcePattern("backends/{backend}/tickets/{ticket}/externalEntityLinks/{link}")
TIME_ENTRY = ResourcePattern("backends/{backend}/tickets/{ticket}/timeEntries/{time_entry}")
CUSTOM_FIELD = ResourcePattern(
    "backends/{backend}/customFieldDefinitions/{custom_field_definition}"
)
GROUP = ResourcePattern("backends/{backend}/groups/{group}")
LEVEL = ResourcePattern("backends/{backend}/helpDesks/{help_desk}/levels/{level}")
INTERNAL_NOTE = ResourcePattern("backends/{backend}/internalNotes/{internal_note}")
ARTICLE = ResourcePattern("backends/{backend}/articles/{article}")
ARTICLE_ATTACHMENT = ResourcePattern(
    "backends/{backend}/articles/{article}/attachments/{attachment}"
)
ARTICLE_CATEGORY = ResourcePattern("backends/{backend}/articleCategories/{article_category}")
ANNOUNCEMENT = ResourcePattern("backends/{backend}/announcements/{announcement}")
ANNOUNCEMENT_UPDATE = ResourcePattern(
    "backends/{backend}/announcements/{announcement}/updates/{update}"
)
APPROVAL = ResourcePattern("backends/{backend}/tickets/{ticket}/approvals/{approval}")
APPROVAL_TEMPLATE = ResourcePattern(
    "backends/{backend}/tickets/{ticket}/approvalTemplates/{approval_template}"
)

# InvGate's documented and observed ids (VENDORS.md §1.4 "Enumerations").
STATES = {
    1: tickets_pb2.TICKET_STATE_NEW,
    2: tickets_pb2.TICKET_STATE_OPEN,
    3: tickets_pb2.TICKET_STATE_PENDING,
    4: tickets_pb2.TICKET_STATE_WAITING,
    5: tickets_pb2.TICKET_STATE_RESOLVED,
    6: tickets_pb2.TICKET_STATE_CLOSED,
    7: tickets_pb2.TICKET_STATE_REJECTED,
    8: tickets_pb2.TICKET_STATE_CANCELLED,
}
STATE_LABELS = {
    1: "New",
    2: "Open",
    3: "Pending",
    4: "Waiting",
    5: "Solved",
    6: "Closed",
    7: "Rejected",
    8: "Cancelled",
}
PRIORITIES = {
    1: tickets_pb2.TICKET_PRIORITY_LOW,
    2: tickets_pb2.TICKET_PRIORITY_MEDIUM,
    3: tickets_pb2.TICKET_PRIORITY_HIGH,
    4: tickets_pb2.TICKET_PRIORITY_URGENT,
    5: tickets_pb2.TICKET_PRIORITY_CRITICAL,
}
PRIORITY_LABELS = {1: "Low", 2: "Medium", 3: "High", 4: "Urgent", 5: "Critical"}
TYPES = {
    1: tickets_pb2.TICKET_TYPE_INCIDENT,
    2: tickets_pb2.TICKET_TYPE_SERVICE_REQUEST,
    3: tickets_pb2.TICKET_TYPE_QUESTION,
    4: tickets_pb2.TICKET_TYPE_PROBLEM,
    5: tickets_pb2.TICKET_TYPE_CHANGE,
    6: tickets_pb2.TICKET_TYPE_MAJOR_INCIDENT,
}
TYPE_LABELS = {
    1: "Incident",
    2: "Service Request",
    3: "Question",
    4: "Problem",
    5: "Change",
    6: "Major Incident",
}
SOURCE_LABELS = {
    1: "Email",
    2: "Web",
    3: "Phone",
    4: "In person",
    5: "IM",
    6: "Scheduled",
    7: "Imported",
    8: "API",
    9: "MS Teams",
    10: "WhatsApp",
    11: "Workflow",
    12: "Embedded chat",
    13: "Mobile app",
    14: "MCP",
}
SENTIMENTS = {
    "negative": tickets_pb2.SENTIMENT_NEGATIVE,
    "neutral": tickets_pb2.SENTIMENT_NEUTRAL,
    "positive": tickets_pb2.SENTIMENT_POSITIVE,
}
STATE_IDS = {v: k for k, v in STATES.items()}
PRIORITY_IDS = {v: k for k, v in PRIORITIES.items()}
TYPE_IDS = {v: k for k, v in TYPES.items()}
SENTIMENT_NAMES = {v: k for k, v in SENTIMENTS.items()}


ATTRIBUTE_FIELDS = (  # Labels field, request field, the endpoint listing them
    ("statuses", "status_id", "incident.attributes.status"),
    ("priorities", "priority_id", "incident.attributes.priority"),
    ("types", "type_id", "incident.attributes.type"),
    ("sources", "source_id", "incident.attributes.source"),
)


@dataclass(frozen=True)
class Labels:
    """id → label, per kind of reference data."""

    statuses: Mapping[int, str] = dataclass_field(default_factory=lambda: dict(STATE_LABELS))
    priorities: Mapping[int, str] = dataclass_field(default_factory=lambda: dict(PRIORITY_LABELS))
    types: Mapping[int, str] = dataclass_field(default_factory=lambda: dict(TYPE_LABELS))
    sources: Mapping[int, str] = dataclass_field(default_factory=lambda: dict(SOURCE_LABELS))
    categories: Mapping[int, str] = dataclass_field(default_factory=dict)
    custom_fields: Mapping[str, str] = dataclass_field(default_factory=dict)

    def misses(self, record: Mapping[str, Any]) -> bool:
        """Whether `record` names an id these labels do not know."""
        for table, key, _ in ATTRIBUTE_FIELDS:
            value = to_int(record.get(key))
            if value is not None and value not in getattr(self, table):
                return True
        category = to_int(record.get("category_id"))
        if category is not None and category not in self.categories:
            return True
        fields = record.get("custom_fields")
        return isinstance(fields, Mapping) and any(
            str(uid) not in self.custom_fields for uid in fields
        )


DOCUMENTED = Labels()


def timestamp(value: Any) -> timestamp_pb2.Timestamp | None:
    """Epoch seconds (int or str) or ISO-8601 → Timestamp; None when absent."""
    if value in (None, "", 0, "0"):
        return None
    seconds = to_int(value)
    result = timestamp_pb2.Timestamp()
    if seconds is not None:
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:  # no Timestamp can say it: left unset
            log.warning("vendor_time_out_of_range", value=str(value)[:40])
            return None
        result.FromSeconds(seconds)
        return result
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    result.FromDatetime(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))
    return result


def epoch(value: timestamp_pb2.Timestamp) -> int:
    return value.seconds


def vendor_record(
    backend: str,
    record: Mapping[str, Any],
    *,
    id_key: str = "id",
    display_id: str = "",
    created: str = "created_at",
    updated: str = "last_update",
) -> common_pb2.VendorRecord:
    return fill_vendor_record(
        common_pb2.VendorRecord(),
        backend,
        record,
        id_key=id_key,
        display_id=display_id,
        created=created,
        updated=updated,
    )


def fill_vendor_record(
    target: common_pb2.VendorRecord,
    backend: str,
    record: Mapping[str, Any],
    *,
    id_key: str = "id",
    display_id: str = "",
    created: str = "created_at",
    updated: str = "last_update",
) -> common_pb2.VendorRecord:
    """Fill `target` in place (no copy of the raw record's Struct); returns `target`."""
    target.backend = backend
    target.vendor = common_pb2.VENDOR_INVGATE
    target.remote_id = str(record.get(id_key, ""))
    target.display_id = display_id
    fill_struct(target.remote_data, record).SetInParent()
    _set_time(target, "create_time", record.get(created))
    _set_time(target, "update_time", record.get(updated))
    return target


def _set_time(message: Any, field: str, value: Any) -> None:
    if type(value) is int and value and MIN_SECONDS <= value <= MAX_SECONDS:
        getattr(message, field).seconds = value  # the common case, without a copy
        return
    stamp = timestamp(value)
    if stamp is not None:
        getattr(message, field).CopyFrom(stamp)


def reference(pattern: ResourcePattern, backend: str, value: Any) -> str:
    """The name of a resource of `backend` with the id `value` (a `{backend}/…/{id}` pattern),
    or "" when the vendor sent no id."""
    identifier = to_int(value)
    return pattern.name(backend, identifier) if identifier else ""


def vendor_value(identifier: int | None, labels: Mapping[int, str]) -> common_pb2.VendorValue:
    return set_vendor_value(common_pb2.VendorValue(), identifier, labels)


def set_vendor_value(
    target: common_pb2.VendorValue, identifier: int | None, labels: Mapping[int, str]
) -> common_pb2.VendorValue:
    """Fill `target`; it is present (empty) even when the vendor sent no id."""
    if identifier is None:
        target.SetInParent()
    else:
        target.id = str(identifier)
        target.label = labels.get(identifier, "")
    return target


# Ticket fields filled the same way from the request object, in the order they are set.
_TICKET_REFERENCES = (  # field, pattern, InvGate key: a resource name when the id is set
    ("category", CATEGORY, "category_id"),
    ("requester", USER, "user_id"),
    ("creator", USER, "creator_id"),
    ("assignee", USER, "assigned_id"),
    ("help_desk", HELP_DESK, "assigned_group_id"),
    ("location", LOCATION, "location_id"),
)
_TICKET_TIMES = (
    ("occurred_time", "date_ocurred"),
    ("create_time", "created_at"),
    ("update_time", "last_update"),
    ("solve_time", "solved_at"),
    ("close_time", "closed_at"),
)


def ticket(
    backend: str,
    record: Mapping[str, Any],
    into: tickets_pb2.Ticket | None = None,
    labels: Labels | None = None,
) -> tickets_pb2.Ticket:
    """An InvGate request object → Ticket, filled into `into` when given (e.g. a response's
    `ticket`, sparing a copy of the whole message); sub-messages are filled in place too.
    `labels` are the instance's (reference.py); without them, the documented ones."""
    if labels is None:
        labels = DOCUMENTED
    get = record.get
    identifier = to_int(get("id"))
    status = to_int(get("status_id"))
    priority = to_int(get("priority_id"))
    kind = to_int(get("type_id"))
    result = tickets_pb2.Ticket() if into is None else into
    result.name = TICKET.name(backend, identifier)
    result.title = str(get("title") or "")
    result.description = str(get("description") or "")
    result.state = STATES.get(status, tickets_pb2.TICKET_STATE_UNSPECIFIED)
    result.priority = PRIORITIES.get(priority, tickets_pb2.TICKET_PRIORITY_UNSPECIFIED)
    result.type = TYPES.get(kind, tickets_pb2.TICKET_TYPE_UNSPECIFIED)
    for field, pattern, key in _TICKET_REFERENCES:
        setattr(result, field, reference(pattern, backend, get(key)))
    result.rating = to_int(get("rating")) or 0
    result.close_reason = to_int(get("closed_reason")) or 0
    result.initial_sentiment = SENTIMENTS.get(get("request_customer_sentiment_initial"), 0)
    result.current_sentiment = SENTIMENTS.get(get("request_customer_sentiment_current"), 0)
    result.process_id = str(get("process_id") or "")
    result.etag = str(get("last_update") or "")
    fill_vendor_record(
        result.vendor_record, backend, record, display_id=str(get("pretty_id") or f"#{identifier}")
    )
    set_vendor_value(result.vendor_state, status, labels.statuses)
    set_vendor_value(result.vendor_priority, priority, labels.priorities)
    set_vendor_value(result.vendor_type, kind, labels.types)
    set_vendor_value(result.vendor_source, to_int(get("source_id")), labels.sources)
    category = to_int(get("category_id"))
    if category is not None:
        result.category_display_name = labels.categories.get(category, "")
    attachments = get("attachments")
    if attachments:
        result.attachments.extend(
            ATTACHMENT.name(backend, identifier, attachment) for attachment in attachments
        )
    fields = get("custom_fields")
    if fields:
        result.custom_fields.extend(custom_fields(fields, labels.custom_fields))
    for field, key in _TICKET_TIMES:
        _set_time(result, field, get(key))
    waiting = get("waiting_for")
    if waiting:
        state = waiting_state(backend, waiting)
        if state is not None:
            result.waiting.CopyFrom(state)
    return result


def waiting_state(backend: str, value: Any) -> tickets_pb2.WaitingState | None:
    """The sandbox/instance `waiting_for` detail, when present."""
    if not isinstance(value, Mapping):
        return None
    kind = str(value.get("type", ""))
    state = tickets_pb2.WaitingState()
    if kind == "agent":
        state.agent = True
    elif kind == "customer":
        state.customer = True
    elif kind == "date":
        stamp = timestamp(value.get("timestamp") or value.get("value"))
        if stamp is not None:
            state.until_time.CopyFrom(stamp)
    elif kind == "incident":
        state.ticket = reference(TICKET, backend, value.get("request_id") or value.get("value"))
    else:
        return None
    return state


def custom_fields(
    value: Any, labels: Mapping[str, str] | None = None
) -> list[common_pb2.CustomFieldValue]:
    """`{"26": {"a1b2": "Team A"}, "27": "text", "28": true}` → typed values, labelled by
    `labels` (uid → the field's label)."""
    if not isinstance(value, Mapping):
        return []
    labels = labels or {}
    return [custom_field(str(uid), raw, labels.get(str(uid), "")) for uid, raw in value.items()]


def custom_field(uid: str, raw: Any, label: str = "") -> common_pb2.CustomFieldValue:
    result = common_pb2.CustomFieldValue(field_id=uid, label=label)
    if isinstance(raw, bool):
        result.type = common_pb2.CUSTOM_FIELD_TYPE_BOOLEAN
        result.bool_value = raw
    elif isinstance(raw, int | float):
        result.type = common_pb2.CUSTOM_FIELD_TYPE_NUMBER
        result.number_value = raw
    elif isinstance(raw, Mapping):
        result.type = common_pb2.CUSTOM_FIELD_TYPE_LIST
        result.option_value.options.extend(
            common_pb2.CustomFieldOption(key=str(k), label=str(v)) for k, v in raw.items()
        )
    elif isinstance(raw, list):
        result.type = common_pb2.CUSTOM_FIELD_TYPE_TEXT
        result.string_list_value.values.extend(str(v) for v in raw)
    else:
        result.type = common_pb2.CUSTOM_FIELD_TYPE_TEXT
        result.string_value = "" if raw is None else str(raw)
    return result


def custom_field_values(value: common_pb2.CustomFieldValue) -> list[str]:
    """A typed value → InvGate's `values[]` parameter."""
    kind = value.WhichOneof("value")
    if kind == "option_value":
        return [o.key or o.label for o in value.option_value.options]
    if kind == "string_list_value":
        return list(value.string_list_value.values)
    if kind == "bool_value":
        return ["1" if value.bool_value else "0"]
    if kind == "number_value":
        number = value.number_value
        return [str(int(number)) if number.is_integer() else str(number)]
    if kind == "time_value":
        return [str(value.time_value.seconds)]
    return [value.string_value]


def comment(backend: str, ticket_id: str, record: Mapping[str, Any]) -> tickets_pb2.Comment:
    """An InvGate comment (either shape: embedded 0/1 or endpoint bool) → Comment."""
    visible = record.get("customer_visible")
    public = visible is True or to_int(visible) == 1
    attachments = record.get("attached_files") or record.get("attachments") or []
    result = tickets_pb2.Comment(
        name=COMMENT.format(backend=backend, ticket=ticket_id, comment=record.get("id")),
        vendor_record=vendor_record(backend, record, updated="created_at"),
        body=str(record.get("message") or ""),
        author=reference(USER, backend, record.get("author_id")),
        visibility=tickets_pb2.COMMENT_VISIBILITY_PUBLIC
        if public
        else tickets_pb2.COMMENT_VISIBILITY_INTERNAL,
        is_solution=bool(record.get("is_solution")) and record.get("is_solution") not in ("0",),
        attachments=[
            ATTACHMENT.format(backend=backend, ticket=ticket_id, attachment=a) for a in attachments
        ],
        sequence=to_int(record.get("msg_num")) or 0,
    )
    _set_time(result, "create_time", record.get("created_at"))
    return result


def id_of(name: str, pattern: ResourcePattern, key: str, field: str) -> str:
    """The vendor id inside a resource name, or INVALID_ARGUMENT naming the field."""
    return pattern.parse(name, field)[key]


def numeric_id(name: str, pattern: ResourcePattern, key: str, field: str) -> int:
    """Like `id_of`, for InvGate's integer ids."""
    return numeric(id_of(name, pattern, key, field), field)


def numeric(value: str, field: str) -> int:
    """An id taken from a resource name as InvGate's integer, or INVALID_ARGUMENT."""
    return integer_id(value, field, "InvGate")


def enum_id(table: Mapping[int, int], value: int, field: str, enum_name: str) -> int:
    """InvGate's id for a deskbridge.v1 enum value, or INVALID_ARGUMENT for one it has none
    for (proto3 enums are open: any number arrives)."""
    if value not in table:
        raise bad_field(field, f"{enum_name} {value} is not one InvGate has; use a defined value")
    return table[value]


def rows(value: Any) -> list:
    """InvGate lists arrive as arrays, as id-keyed objects, or wrapped in `data`."""
    if isinstance(value, Mapping):
        if "data" in value and isinstance(value["data"], list | Mapping):
            return rows(value["data"])
        if str(value.get("status", "")).upper() == "OK":
            return []
        return list(value.values())
    return list(value or [])
