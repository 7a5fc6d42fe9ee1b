"""Motadata JSON ⇄ deskbridge.v1 messages (VENDORS.md §2.4).

Requests carry names and instance-specific ids side by side (`statusName` + `statusId`), times
in epoch milliseconds; conversations carry string times (`"Wed, Jul 16, 2025 04:33 pm"`, in
the instance's time zone, minute resolution); custom fields are keyed by their label. The raw
record always goes to `vendor_record.remote_data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

import structlog
from google.protobuf import timestamp_pb2

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
from deskbridge.runtime.validation import MAX_SECONDS, MIN_SECONDS
from deskbridge.v1 import common_pb2, identity_pb2, tickets_pb2

log = structlog.get_logger(__name__)


# Status names as the docs list them (§2.4) → the normalised state.
STATES = {
    "open": tickets_pb2.TICKET_STATE_OPEN,
    "in progress": tickets_pb2.TICKET_STATE_OPEN,
    "pending": tickets_pb2.TICKET_STATE_PENDING,
    "resolved": tickets_pb2.TICKET_STATE_RESOLVED,
    "closed": tickets_pb2.TICKET_STATE_CLOSED,
}
PRIORITIES = {
    "low": tickets_pb2.TICKET_PRIORITY_LOW,
    "medium": tickets_pb2.TICKET_PRIORITY_MEDIUM,
    "high": tickets_pb2.TICKET_PRIORITY_HIGH,
    "urgent": tickets_pb2.TICKET_PRIORITY_URGENT,
}
PRIORITY_NAMES = {v: k.title() for k, v in PRIORITIES.items()}
CONVERSATION_TIME = "%a, %b %d, %Y %I:%M %p"


def millis(value: Any) -> timestamp_pb2.Timestamp | None:
    """Epoch milliseconds → Timestamp; None when absent or beyond what a Timestamp holds."""
    ms = to_int(value)
    if not ms:
        return None
    if not MIN_SECONDS * 1000 <= ms <= MAX_SECONDS * 1000:
        log.warning("vendor_time_out_of_range", value=str(value)[:40])
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromMilliseconds(ms)
    return stamp


def conversation_time(value: Any, zone: ZoneInfo) -> timestamp_pb2.Timestamp | None:
    """`"Wed, Jul 16, 2025 04:33 pm"` (the instance's zone) → Timestamp; None when unreadable."""
    if not isinstance(value, str) or not value:
        return millis(value)
    try:
        parsed = datetime.strptime(value.strip(), CONVERSATION_TIME).replace(tzinfo=zone)
    except ValueError:
        log.warning("vendor_time_unreadable", value=value[:40])
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(parsed)
    return stamp


def _set(message: Any, field: str, stamp: timestamp_pb2.Timestamp | None) -> None:
    if stamp is not None:
        getattr(message, field).CopyFrom(stamp)


def vendor_record(
    backend: str, record: Mapping[str, Any], *, display_id: str = "", zone: ZoneInfo | None = None
) -> common_pb2.VendorRecord:
    result = common_pb2.VendorRecord(
        backend=backend,
        vendor=common_pb2.VENDOR_MOTADATA,
        remote_id=str(record.get("id", "")),
        display_id=display_id,
    )
    fill_struct(result.remote_data, record).SetInParent()
    read = (lambda v: conversation_time(v, zone)) if zone is not None else millis
    _set(result, "create_time", read(record.get("createdTime")))
    _set(result, "update_time", read(record.get("updatedTime")))
    return result


def reference(pattern: ResourcePattern, backend: str, value: Any) -> str:
    identifier = to_int(value)
    return pattern.name(backend, identifier) if identifier else ""


def location_name(backend: str, value: Any) -> str:
    """Motadata names locations, never numbers them: the name is the id, URL-escaped."""
    return LOCATION.name(backend, quote(str(value), safe="")) if value else ""


def location_of(name: str, field: str) -> str:
    return unquote(LOCATION.parse(name, field)["location"])


def vendor_value(identifier: Any, label: Any) -> common_pb2.VendorValue:
    value = common_pb2.VendorValue()
    value.SetInParent()
    if identifier not in (None, ""):
        value.id = str(identifier)
    if label:
        value.label = str(label)
    return value


def ticket(backend: str, record: Mapping[str, Any]) -> tickets_pb2.Ticket:
    """A Motadata request object → Ticket."""
    get = record.get
    identifier = to_int(get("id"))
    status = str(get("statusName") or "")
    priority = str(get("priorityName") or "")
    result = tickets_pb2.Ticket(
        name=TICKET.name(backend, identifier),
        title=str(get("subject") or ""),
        description=str(get("description") or ""),
        state=STATES.get(status.lower(), tickets_pb2.TICKET_STATE_UNSPECIFIED),
        priority=PRIORITIES.get(priority.lower(), tickets_pb2.TICKET_PRIORITY_UNSPECIFIED),
        category=reference(CATEGORY, backend, get("categoryId")),
        category_display_name=str(get("categoryName") or ""),
        requester=reference(USER, backend, get("requesterId")),
        requester_email=str(get("requesterEmail") or ""),
        assignee=reference(USER, backend, get("technicianId")),
        help_desk=reference(HELP_DESK, backend, get("groupId")),
        location=location_name(backend, get("locationName")),
        department=str(get("departmentName") or ""),
        support_level=str(get("supportLevel") or ""),
        tags=[str(t) for t in get("tags") or []],
        cc_emails=[str(e) for e in get("ccEmailSet") or []],
        spam=bool(get("spam")),
        etag=str(get("updatedTime") or ""),
    )
    result.vendor_record.CopyFrom(
        vendor_record(backend, record, display_id=str(get("name") or f"#{identifier}"))
    )
    result.vendor_state.CopyFrom(vendor_value(get("statusId"), status))
    result.vendor_priority.CopyFrom(vendor_value(get("priorityId"), priority))
    result.impact.CopyFrom(vendor_value(get("impactId"), get("impactName")))
    result.urgency.CopyFrom(vendor_value(get("urgencyId"), get("urgencyName")))
    result.vendor_source.CopyFrom(vendor_value(None, get("source")))
    result.vendor_type.CopyFrom(vendor_value(None, None))
    for asset in get("linkAssetIds") or []:
        if isinstance(asset, Mapping):
            result.linked_assets.add(
                model=str(asset.get("assetModel") or ""), asset_id=str(asset.get("assetId") or "")
            )
    for attachment in get("fileAttachments") or []:
        if isinstance(attachment, Mapping) and attachment.get("refFileName"):
            result.attachments.append(
                ATTACHMENT.name(backend, identifier, quote(str(attachment["refFileName"]), safe=""))
            )
    fields = get("customField")
    if isinstance(fields, Mapping):
        result.custom_fields.extend(custom_field(str(k), v) for k, v in fields.items())
    _set(result, "create_time", millis(get("createdTime")))
    _set(result, "update_time", millis(get("updatedTime")))
    _set(result, "solve_time", millis(get("resolvedTime")))
    _set(result, "close_time", millis(get("lastClosedTime")))
    return result


def custom_field(label: str, raw: Any) -> common_pb2.CustomFieldValue:
    """Motadata keys custom fields by label: the label is the field id too."""
    result = common_pb2.CustomFieldValue(field_id=label, label=label)
    if isinstance(raw, bool):
        result.type, result.bool_value = common_pb2.CUSTOM_FIELD_TYPE_BOOLEAN, raw
    elif isinstance(raw, int | float):
        result.type, result.number_value = common_pb2.CUSTOM_FIELD_TYPE_NUMBER, raw
    elif isinstance(raw, list):
        result.type = common_pb2.CUSTOM_FIELD_TYPE_TEXT
        result.string_list_value.values.extend(str(v) for v in raw)
    else:
        result.type = common_pb2.CUSTOM_FIELD_TYPE_TEXT
        result.string_value = "" if raw is None else str(raw)
    return result


def custom_field_value(value: common_pb2.CustomFieldValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        return int(number) if number.is_integer() else number
    if kind == "string_list_value":
        return list(value.string_list_value.values)
    if kind == "option_value":
        return [o.key or o.label for o in value.option_value.options]
    if kind == "time_value":
        return value.time_value.ToMilliseconds()
    return value.string_value


COMMENT_TYPES = ("note", "technician_to_requester", "requestor_to_technician", "collaborate")


def comment(
    backend: str, ticket_id: str, record: Mapping[str, Any], zone: ZoneInfo
) -> tickets_pb2.Comment:
    """A conversation → Comment: a `note` is internal, the other types are public."""
    kind = str(record.get("conversationType") or "")
    result = tickets_pb2.Comment(
        name=COMMENT.name(backend, ticket_id, record.get("id")),
        body=str(record.get("details") or ""),
        visibility=tickets_pb2.COMMENT_VISIBILITY_INTERNAL
        if kind == "note"
        else tickets_pb2.COMMENT_VISIBILITY_PUBLIC,
        conversation_type=kind,
        subject=str(record.get("subject") or ""),
        email_ids=[str(e) for e in record.get("emailIds") or []],
        cc_email_ids=[str(e) for e in record.get("ccEmailIds") or []],
    )
    result.vendor_record.CopyFrom(vendor_record(backend, record, zone=zone))
    _set(result, "create_time", conversation_time(record.get("createdTime"), zone))
    _set(result, "update_time", conversation_time(record.get("updatedTime"), zone))
    return result


def user(backend: str, record: Mapping[str, Any], kind: int) -> identity_pb2.User:
    """A requester (kind END_USER) or technician (AGENT) → User."""
    get = record.get
    full = str(get("name") or "")
    given, _, family = full.partition(" ")
    result = identity_pb2.User(
        name=USER.name(backend, to_int(get("id"))),
        given_name=given,
        family_name=family,
        display_name=full,
        username=str(get("userLogOnName") or ""),
        email=str(get("email") or ""),
        department=str(get("departmentName") or ""),
        location=location_name(backend, get("locationName")),
        kind=kind,
        company_names=[str(get("companyName"))] if get("companyName") else [],
        vip=bool(get("vipRequester")),
        verified=bool(get("verified")),
        allow_login=bool(get("allowToLogin")),
        etag=str(get("updatedTime") or ""),
    )
    result.phones.phone = str(get("contactNo") or "")
    result.phones.mobile = str(get("altContactNo1") or "")
    result.phones.other = str(get("altContactNo2") or "")
    result.vendor_record.CopyFrom(vendor_record(backend, record))
    fields = get("customField")
    if isinstance(fields, Mapping):
        result.custom_fields.extend(custom_field(str(k), v) for k, v in fields.items())
    _set(result, "create_time", millis(get("createdTime")))
    _set(result, "update_time", millis(get("updatedTime")))
    return result


def numeric(value: str, field: str) -> int:
    """An id from a resource name as Motadata's integer, or INVALID_ARGUMENT."""
    return integer_id(value, field, "Motadata")


def numeric_id(name: str, pattern: ResourcePattern, key: str, field: str) -> int:
    return numeric(pattern.parse(name, field)[key], field)
