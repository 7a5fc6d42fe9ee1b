"""CRM.COM JSON ⇄ deskbridge.v1 messages (VENDORS.md §3.5, seed 003).

Ids are the instance's strings; dates are ISO local without a zone, read in the backend's
`time_zone` (default UTC). A service request has no title: the first line of its description
stands for one (the number when it has none). The life cycle is kept as `lifecycle_state`
with the vendor's status beside it (`vendor_state`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from google.protobuf import timestamp_pb2

from deskbridge.runtime.errors import bad_field
from deskbridge.runtime.names import ResourcePattern
from deskbridge.runtime.records import fill_struct, plain_text
from deskbridge.runtime.resources import CATEGORY, HELP_DESK, TICKET, USER
from deskbridge.v1 import common_pb2, identity_pb2, tickets_pb2

log = structlog.get_logger(__name__)

CONTACT = ResourcePattern("backends/{backend}/contacts/{contact}")
ACCOUNT = ResourcePattern("backends/{backend}/accounts/{account}")

LIFECYCLE = {
    "PENDING": tickets_pb2.LIFECYCLE_STATE_PENDING,
    "RESPONDED": tickets_pb2.LIFECYCLE_STATE_RESPONDED,
    "TEMPORARY_RESOLVED": tickets_pb2.LIFECYCLE_STATE_TEMPORARY_RESOLVED,
    "FINAL_RESOLVED": tickets_pb2.LIFECYCLE_STATE_FINAL_RESOLVED,
    "COMPLETED": tickets_pb2.LIFECYCLE_STATE_COMPLETED,
}
STATES = {  # the life-cycle state → the normalised state
    tickets_pb2.LIFECYCLE_STATE_PENDING: tickets_pb2.TICKET_STATE_NEW,
    tickets_pb2.LIFECYCLE_STATE_RESPONDED: tickets_pb2.TICKET_STATE_OPEN,
    tickets_pb2.LIFECYCLE_STATE_TEMPORARY_RESOLVED: tickets_pb2.TICKET_STATE_RESOLVED,
    tickets_pb2.LIFECYCLE_STATE_FINAL_RESOLVED: tickets_pb2.TICKET_STATE_RESOLVED,
    tickets_pb2.LIFECYCLE_STATE_COMPLETED: tickets_pb2.TICKET_STATE_CLOSED,
}
TITLE_LENGTH = 200


def local_time(value: Any, zone: ZoneInfo) -> timestamp_pb2.Timestamp | None:
    """`"2016-08-25T06:22:28"` (the instance's zone) → Timestamp; None when absent or odd."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        log.warning("vendor_time_unreadable", value=value[:40])
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(parsed if parsed.tzinfo else parsed.replace(tzinfo=zone))
    return stamp


def local_text(stamp: timestamp_pb2.Timestamp, zone: ZoneInfo) -> str:
    return stamp.ToDatetime(zone).strftime("%Y-%m-%dT%H:%M:%S")


def _set(message: Any, field: str, stamp: timestamp_pb2.Timestamp | None) -> None:
    if stamp is not None:
        getattr(message, field).CopyFrom(stamp)


def ref(pattern: ResourcePattern, backend: str, value: Any) -> str:
    """The name of the object `value` (`{id, ...}`) refers to, "" when it is null."""
    if isinstance(value, Mapping) and value.get("id"):
        return pattern.name(backend, value["id"])
    return ""


def vendor_value(value: Any) -> common_pb2.VendorValue:
    result = common_pb2.VendorValue()
    result.SetInParent()
    if isinstance(value, Mapping):
        result.id = str(value.get("id") or "")
        result.label = str(value.get("name") or "")
    elif value not in (None, ""):
        result.label = str(value)
    return result


def vendor_record(
    backend: str, record: Mapping[str, Any], zone: ZoneInfo, display_id: str = ""
) -> common_pb2.VendorRecord:
    result = common_pb2.VendorRecord(
        backend=backend,
        vendor=common_pb2.VENDOR_CRMCOM,
        remote_id=str(record.get("id", "")),
        display_id=display_id,
    )
    fill_struct(result.remote_data, record).SetInParent()
    info = record.get("log_information")
    if isinstance(info, Mapping):
        _set(result, "create_time", local_time(info.get("created_date"), zone))
        _set(result, "update_time", local_time(info.get("updated_date"), zone))
    return result


def lifecycle(record: Mapping[str, Any]) -> int:
    """The life-cycle state; an accepted final resolution is completion, whether the instance
    shows COMPLETED or keeps FINAL_RESOLVED (seed 003: "completed" lists them apart)."""
    state = LIFECYCLE.get(str(record.get("life_cycle_state") or "").upper(), 0)
    final = record.get("final_resolution")
    if state == tickets_pb2.LIFECYCLE_STATE_FINAL_RESOLVED and isinstance(final, Mapping):
        if final.get("accepted_by"):
            return tickets_pb2.LIFECYCLE_STATE_COMPLETED
    return state


def title_of(record: Mapping[str, Any]) -> str:
    text = plain_text(str(record.get("description") or "")).strip()
    return text[:TITLE_LENGTH] if text else str(record.get("number") or "")


def ticket(backend: str, record: Mapping[str, Any], zone: ZoneInfo) -> tickets_pb2.Ticket:
    get = record.get
    state = lifecycle(record)
    assigned = get("assigned_to") if isinstance(get("assigned_to"), Mapping) else {}
    result = tickets_pb2.Ticket(
        name=TICKET.name(backend, get("id")),
        title=title_of(record),
        description=str(get("description") or ""),
        lifecycle_state=state,
        state=STATES.get(state, tickets_pb2.TICKET_STATE_UNSPECIFIED),
        category=ref(CATEGORY, backend, get("category")),
        category_display_name=str((get("category") or {}).get("name") or ""),
        account=ref(ACCOUNT, backend, get("accounts_receivable")),
        contact=ref(CONTACT, backend, get("contact_information")),
        requester_email=str(get("caller_email") or ""),
        caller_phone=str(get("caller_phone") or ""),
        notes=str(get("notes") or ""),
        assignee=ref(USER, backend, assigned.get("user")),
        help_desk=ref(HELP_DESK, backend, assigned.get("group") or get("owned_by_group")),
        related_tickets=[
            TICKET.name(backend, r["service_request"]["id"])
            for r in get("related_service_requests") or []
            if isinstance(r, Mapping) and isinstance(r.get("service_request"), Mapping)
        ],
        etag=str((get("log_information") or {}).get("updated_date") or ""),
    )
    result.vendor_record.CopyFrom(
        vendor_record(backend, record, zone, display_id=str(get("number") or ""))
    )
    result.vendor_state.CopyFrom(vendor_value(get("status")))
    result.vendor_type.CopyFrom(vendor_value(get("type")))
    result.urgency.CopyFrom(vendor_value(get("urgency_level")))
    result.impact.CopyFrom(vendor_value(get("impact_level")))
    result.create_time.CopyFrom(result.vendor_record.create_time)
    result.update_time.CopyFrom(result.vendor_record.update_time)
    _set(result, "estimated_completion_time", local_time(get("expected_completion_date"), zone))
    final = get("final_resolution") or get("temporary_resolution")
    if isinstance(final, Mapping):
        date = final.get("final_resolution_date") or final.get("temporary_resolution_date")
        _set(result, "solve_time", local_time(date, zone))
    return result


def contact(backend: str, record: Mapping[str, Any], zone: ZoneInfo) -> identity_pb2.Contact:
    emails = _primary_first(record.get("emails"))
    phones = _primary_first(record.get("phones"))
    result = identity_pb2.Contact(
        name=CONTACT.name(backend, record.get("id")),
        display_name=str(record.get("name") or ""),
        email=str(emails[0].get("email_address") or emails[0].get("email") or "") if emails else "",
        phone=str(phones[0].get("number") or "") if phones else "",
        id_number=str(record.get("id_number") or ""),
    )
    result.vendor_record.CopyFrom(
        vendor_record(backend, record, zone, display_id=str(record.get("number") or ""))
    )
    return result


def _primary_first(items: Any) -> list[Mapping[str, Any]]:
    kept = [i for i in items or [] if isinstance(i, Mapping)]
    return sorted(kept, key=lambda i: not i.get("is_primary"))


def account(backend: str, record: Mapping[str, Any], zone: ZoneInfo) -> identity_pb2.Account:
    result = identity_pb2.Account(
        name=ACCOUNT.name(backend, record.get("id")),
        number=str(record.get("number") or ""),
        display_name=str(record.get("name") or ""),
        contact=ref(CONTACT, backend, record.get("contact_information")),
    )
    result.vendor_record.CopyFrom(
        vendor_record(backend, record, zone, display_id=str(record.get("number") or ""))
    )
    return result


def id_of(name: str, pattern: ResourcePattern, key: str, field: str, backend: str) -> str:
    """The CRM.COM id inside a resource name of `backend`, or INVALID_ARGUMENT."""
    ids = pattern.parse(name, field)
    if ids["backend"] != backend:
        raise bad_field(field, f"{name!r} is not of backend {backend!r}")
    return ids[key]


def identifier(value: common_pb2.VendorValue, field: str) -> dict[str, str]:
    """A vendor value as a CRM.COM identifier: by id when it has one, else by name."""
    if value.id:
        return {"id": value.id}
    if value.label:
        return {"name": value.label}
    raise bad_field(field, "CRM.COM needs it: set its id or its label (name)")
