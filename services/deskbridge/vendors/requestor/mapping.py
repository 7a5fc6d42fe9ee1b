"""Requestor JSON ⇄ deskbridge.v1 messages. The entity shapes are the sandbox's default
assumption [I] (VENDORS.md §4.4: PascalCase like the action bodies); ISO 8601 dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from google.protobuf import timestamp_pb2
from google.protobuf.message import Message

from deskbridge.runtime.names import ResourcePattern
from deskbridge.runtime.records import fill_struct
from deskbridge.runtime.resources import COMPANY, TICKET, USER
from deskbridge.v1 import common_pb2, identity_pb2, tickets_pb2

SERVICE = ResourcePattern("backends/{backend}/services/{service}")
ROLES = ("EndUser", "SmartUser", "Operator", "SuperOperator", "Administrator")


def time_of(value: Any) -> timestamp_pb2.Timestamp | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(parsed)
    return stamp


def _value(ref: Any) -> common_pb2.VendorValue:
    value = common_pb2.VendorValue()
    value.SetInParent()
    if isinstance(ref, Mapping):
        value.id = str(ref.get("Id") or "")
        value.label = str(ref.get("Name") or "")
    return value


def _record(backend: str, record: Mapping[str, Any]) -> common_pb2.VendorRecord:
    result = common_pb2.VendorRecord(
        backend=backend, vendor=common_pb2.VENDOR_REQUESTOR, remote_id=str(record.get("Id", ""))
    )
    fill_struct(result.remote_data, record).SetInParent()
    for field, key in (("create_time", "CreatedDate"), ("update_time", "ModifiedDate")):
        stamp = time_of(record.get(key))
        if stamp is not None:
            getattr(result, field).CopyFrom(stamp)
    return result


def ticket(backend: str, record: Mapping[str, Any]) -> tickets_pb2.Ticket:
    get = record.get
    service = get("Service")
    result = tickets_pb2.Ticket(
        name=TICKET.name(backend, get("Id")),
        title=str(get("Subject") or ""),
        description=str(get("Message") or ""),
        requester_email=str(get("SubmitterEmail") or ""),
        solver_key=str(get("SolverUserProviderKey") or ""),
        service=SERVICE.name(backend, service["Id"])
        if isinstance(service, Mapping) and service.get("Id") is not None
        else "",
        etag=str(get("ModifiedDate") or ""),
    )
    result.vendor_record.CopyFrom(_record(backend, record))
    result.vendor_state.CopyFrom(_value(get("State")))
    result.vendor_type.CopyFrom(_value(get("Type")))
    category = get("Category")
    if isinstance(category, Mapping):
        result.category_display_name = str(category.get("Name") or "")
    form = get("CustomForm")
    if isinstance(form, Mapping):
        for label, raw in form.items():
            result.custom_fields.add(field_id=str(label), label=str(label), string_value=str(raw))
    result.create_time.CopyFrom(result.vendor_record.create_time)
    result.update_time.CopyFrom(result.vendor_record.update_time)
    return result


def user(backend: str, record: Mapping[str, Any]) -> identity_pb2.User:
    get = record.get
    roles = {str(r) for r in get("Roles") or []}
    result = identity_pb2.User(
        name=USER.name(backend, get("Id")),
        given_name=str(get("FirstName") or ""),
        family_name=str(get("LastName") or ""),
        display_name=str(get("DisplayName") or ""),
        username=str(get("UserName") or ""),
        email=str(get("Email") or ""),
        company_names=[str(c) for c in get("CustomerNames") or []],
        deleted=bool(get("IsDeleted")),
        roles=identity_pb2.UserRoles(
            end_user="EndUser" in roles,
            smart_user="SmartUser" in roles,
            operator="Operator" in roles,
            super_operator="SuperOperator" in roles,
            administrator="Administrator" in roles,
        ),
        etag=str(get("ModifiedDate") or ""),
    )
    result.phones.phone = str(get("Phone") or "")
    result.vendor_record.CopyFrom(_record(backend, record))
    result.update_time.CopyFrom(result.vendor_record.update_time)
    return result


def company(backend: str, record: Mapping[str, Any]) -> identity_pb2.Company:
    result = identity_pb2.Company(
        name=COMPANY.name(backend, record.get("Id")),
        display_name=str(record.get("Name") or ""),
        deleted=bool(record.get("IsDeleted")),
    )
    result.vendor_record.CopyFrom(_record(backend, record))
    return result


def named(asked: Message, name: str, backend: str) -> Message:
    """What a create asked for, under the name the vendor's bare id gives it."""
    made = type(asked)()
    made.CopyFrom(asked)
    made.name = name
    made.vendor_record.CopyFrom(
        common_pb2.VendorRecord(
            backend=backend, vendor=common_pb2.VENDOR_REQUESTOR, remote_id=name.rpartition("/")[2]
        )
    )
    return made
