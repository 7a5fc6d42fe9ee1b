"""Writes: a create or PATCH body, validated, applied to a record (VENDORS.md §2.4 + the
create-request field tables).

A body is checked as a whole before anything changes, so a 400 leaves the instance as it was.
Names of statuses, priorities, urgencies, impacts, categories, locations and technician
groups are matched case-insensitively [I] and answered in the instance's spelling; an
unknown one is 400. Unknown keys (the docs' own example sends `name`) are ignored [I]. On a
PATCH a null `assigneeEmail` / `groupName` unassigns [I]; other nulls change nothing [I].
`requesterEmail` may name any user, requester or technician [I]; `departmentName` and
`source` are free text (only the location "must exist" [C]).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from deskbridge.sandbox.motadata.state import (
    REQUEST_FIELDS,
    REQUESTER,
    TECHNICIAN,
    MotadataState,
    add_user,
    new_conversation,
)

CONVERSATION_TYPES = ("note", "technician_to_requester", "requestor_to_technician", "collaborate")
_TIER = re.compile(r"tier\s*([1-4])", re.IGNORECASE)
_TEXT_KEYS = ("description", "departmentName", "source")
_LIST_KEYS = ("ccEmailSet", "tags")
# body key → (config attribute with the name → id map, the object's id key)
_ENUMS = {
    "statusName": ("statuses", "statusId"),
    "priorityName": ("priorities", "priorityId"),
    "urgencyName": ("urgencies", "urgencyId"),
    "impactName": ("impacts", "impactId"),
    "categoryName": ("categories", "categoryId"),
}
_USER_TEXT = (
    "userLogOnName",
    "contactNo",
    "altContactNo1",
    "altContactNo2",
    "departmentName",
    "companyName",
)
_USER_FLAGS = ("verified", "vipRequester", "allowToLogin")


class Invalid(ValueError):
    """A body the instance refuses: 400 with this message."""


class Absent(LookupError):
    """A request, requester, technician or conversation that does not exist: 404."""


def _body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object")
    return {k: v for k, v in body.items() if v is not None}


def _text(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{key} must be a string")
    return value


def _required(body: Mapping[str, Any], key: str) -> str:
    value = _text(body, key)
    if value is None or not value.strip():
        raise Invalid(f"{key} is required")
    return value


def _strings(body: Mapping[str, Any], key: str) -> list[str]:
    value = body[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"{key} must be a list of strings")
    return list(value)


def _objects(body: Mapping[str, Any], key: str, shape: Mapping[str, type]) -> list[dict]:
    value = body[key]
    ok = isinstance(value, list) and all(
        isinstance(v, dict)
        and all(
            isinstance(v.get(k), t) and not isinstance(v.get(k), bool) for k, t in shape.items()
        )
        for v in value
    )
    if not ok:
        keys = ", ".join(shape)
        raise Invalid(f"{key} must be a list of objects with {keys}")
    return [dict(v) for v in value]


def _flag(body: Mapping[str, Any], key: str) -> bool:
    if not isinstance(body[key], bool):
        raise Invalid(f"{key} must be true or false")
    return body[key]


def _named(names: Mapping[str, int], key: str, value: str) -> tuple[str, int]:
    """(the instance's spelling, id) of a name, case-insensitively."""
    for name, ident in names.items():
        if name.lower() == value.strip().lower():
            return name, ident
    raise Invalid(f"{key} is not valid: {value}")


# ---- requests ---------------------------------------------------------------------------


def request_changes(state: MotadataState, raw: Any, *, creating: bool) -> dict[str, Any]:
    """The request keys a create or PATCH body sets (validated; nothing applied yet). A
    requester to create for an unknown requesterEmail comes back as `_new_requester`."""
    body, config = _body(raw), state.config
    changes: dict[str, Any] = {}
    if creating or config.patch_requires_subject or "subject" in body:
        changes["subject"] = _required(body, "subject")
    if creating or "requesterEmail" in body:
        changes.update(_requester_of(state, _required(body, "requesterEmail")))
    for key in _TEXT_KEYS:
        if key in body:
            changes[key] = _text(body, key)
    for key in _LIST_KEYS:
        if key in body:
            changes[key] = _strings(body, key)
    changes.update(_references(state, body, raw, creating=creating))
    if "supportLevel" in body:
        changes["supportLevel"] = _tier(_text(body, "supportLevel"))
    if "spam" in body:
        changes["spam"] = _flag(body, "spam")
    if "fileAttachments" in body:
        shape = {"refFileName": str, "realName": str}
        changes["fileAttachments"] = _objects(body, "fileAttachments", shape)
    if "linkAssetIds" in body:
        shape = {"assetModel": str, "assetId": int}
        changes["linkAssetIds"] = _objects(body, "linkAssetIds", shape)
    if "customField" in body:
        changes["customField"] = _custom_fields(state, body["customField"])
    return changes


def _references(
    state: MotadataState, body: Mapping[str, Any], raw: Mapping[str, Any], *, creating: bool
) -> dict[str, Any]:
    """The keys that name reference data: enums, category, location, assignee, group."""
    changes: dict[str, Any] = {}
    for key, (names, id_key) in _ENUMS.items():
        if key in body:
            names_ids = getattr(state.config, names)
            changes[key], changes[id_key] = _named(names_ids, key, _text(body, key))
    if "locationName" in body:
        location = _text(body, "locationName")
        changes["locationName"] = _named(state.locations, "locationName", location)[0]
    if "assigneeEmail" in body or (not creating and "assigneeEmail" in raw):
        changes.update(_assignee(state, _text(body, "assigneeEmail")))
    if "groupName" in body or (not creating and "groupName" in raw):
        group = _text(body, "groupName")
        name, ident = _named(state.groups, "groupName", group) if group else (None, None)
        changes["groupName"], changes["groupId"] = name, ident
    return changes


def _requester_of(state: MotadataState, email: str) -> dict[str, Any]:
    user = state.user_by_email(email)
    if user is not None:
        return {
            "requesterEmail": user["email"],
            "requesterName": user["name"],
            "requesterId": user["id"],
        }
    if state.config.unknown_requester == "reject":
        raise Invalid(f"requesterEmail is not a registered user: {email}")
    name = email.split("@")[0]
    return {
        "requesterEmail": email,
        "requesterName": name,
        "requesterId": None,
        "_new_requester": email,
    }


def _assignee(state: MotadataState, email: str | None) -> dict[str, Any]:
    if not email:
        return {"assigneeEmail": None, "technicianId": None}
    technician = state.user_by_email(email, TECHNICIAN)
    if technician is None:
        raise Invalid(f"assigneeEmail is not a technician: {email}")
    return {"assigneeEmail": technician["email"], "technicianId": technician["id"]}


def _tier(value: str) -> str:
    match = _TIER.fullmatch(value.strip())
    if match is None:
        raise Invalid(f"supportLevel is not valid: {value}")
    return f"tier{match.group(1)}"  # lowercase, as the docs' example answers ("tier1") [C]


def _custom_fields(state: MotadataState, value: Any) -> dict[str, Any]:
    """Values by label; each label must be a defined custom field [I]."""
    if not isinstance(value, dict):
        raise Invalid("customField must be an object of label: value")
    unknown = [label for label in value if label not in state.custom_fields]
    if unknown:
        raise Invalid(f"customField has no field named: {', '.join(map(str, unknown))}")
    return dict(value)


def create_request(state: MotadataState, raw: Any) -> dict[str, Any]:
    """A new request from a create body, with the instance's defaults."""
    changes = request_changes(state, raw, creating=True)
    defaults = _defaults(state, changes)
    _add_new_requester(state, changes)
    request_id, now, actor = state.new_id("request"), state.now_ms(), state.api_user()
    record: dict[str, Any] = dict.fromkeys(REQUEST_FIELDS)
    record.update(
        id=request_id,
        name=f"INC-{request_id}",
        createdTime=now,
        updatedTime=now,
        ccEmailSet=[],
        tags=[],
        spam=False,
        source="External",  # [C] the REST API's default source
        fileAttachments=[],
        linkAssetIds=[],
        customField={},
        createdByName=actor["name"],
        updatedByName=actor["name"],
    )
    record.update(defaults)
    record.update(changes)
    _status_times(record, None, now)
    state.requests[request_id] = record
    state.conversations[request_id] = []
    return record


def _defaults(state: MotadataState, changes: Mapping[str, Any]) -> dict[str, Any]:
    """What a create gets for the keys it does not set: `create_defaults` [?] and the
    category [C: "Service Request"]."""
    config, filled = state.config, {}
    for key, value in config.create_defaults.items():
        if key in changes:
            continue
        if key in _ENUMS:
            names, id_key = _ENUMS[key]
            filled[key], filled[id_key] = _named(getattr(config, names), key, value)
        else:
            filled[key] = _tier(value) if key == "supportLevel" else value
    if "categoryName" not in changes and "categoryName" not in filled and config.categories:
        filled.update(_category_default(state))
    return filled


def _category_default(state: MotadataState) -> dict[str, Any]:
    """[C] categoryName defaults to "Service Request" (or the instance's first category)."""
    names = state.config.categories
    name = "Service Request" if "Service Request" in names else next(iter(names))
    return {"categoryName": name, "categoryId": names[name]}


def _add_new_requester(state: MotadataState, changes: dict[str, Any]) -> None:
    email = changes.pop("_new_requester", None)
    if email is not None:
        user = add_user(state, REQUESTER, changes["requesterName"], email)
        changes["requesterId"] = user["id"]


def update_request(state: MotadataState, record: dict[str, Any], raw: Any) -> dict[str, Any]:
    """Apply a PATCH body to `record`; it moves `updatedTime`."""
    changes = request_changes(state, raw, creating=False)
    _add_new_requester(state, changes)
    before = record["statusName"]
    custom = changes.pop("customField", None)
    record.update(changes)
    if custom is not None:
        record["customField"] = {**record["customField"], **custom}  # merged by label [I]
    state.stamp(record)
    record["updatedByName"] = state.api_user()["name"]
    _status_times(record, before, record["updatedTime"])
    return record


def _status_times(record: dict[str, Any], before: str | None, now: int) -> None:
    """Entering Resolved sets `resolvedTime`, entering Closed `lastClosedTime` [I]."""
    status = record["statusName"]
    if status == before:
        return
    if status == "Resolved" or (status == "Closed" and record["resolvedTime"] is None):
        record["resolvedTime"] = now
    if status == "Closed":
        record["lastClosedTime"] = now


# ---- requesters -------------------------------------------------------------------------


def user_changes(state: MotadataState, raw: Any, *, user_id: int | None) -> dict[str, Any]:
    """The requester keys a create (`user_id` None) or PATCH body sets (validated)."""
    body = _body(raw)
    changes: dict[str, Any] = {}
    if user_id is None or "email" in body:
        email = _required(body, "email").strip()
        other = state.user_by_email(email)
        if other is not None and other["id"] != user_id:
            raise Invalid(f"email already exists: {email}")
        changes["email"] = email
    if "name" in body or user_id is None:
        changes["name"] = _text(body, "name") or changes["email"].split("@")[0]  # [I]
    for key in _USER_TEXT:
        if key in body:
            changes[key] = _text(body, key)
    if "locationName" in body:
        changes["locationName"] = _named(
            state.locations, "locationName", _text(body, "locationName")
        )[0]
    if "manager" in body:
        manager = state.user_by_email(_text(body, "manager"))
        if manager is None:
            raise Invalid(f"manager is not a registered user: {body['manager']}")
        changes["manager"] = manager["email"]
    for key in _USER_FLAGS:
        if key in body:
            changes[key] = _flag(body, key)
    if "customField" in body:
        if not isinstance(body["customField"], dict):
            raise Invalid("customField must be an object of label: value")
        changes["customField"] = dict(body["customField"])
    return changes


def create_requester(state: MotadataState, raw: Any) -> dict[str, Any]:
    changes = user_changes(state, raw, user_id=None)
    user = add_user(state, REQUESTER, changes["name"], changes["email"])
    user.update(changes)
    return user


def update_user(state: MotadataState, user: dict[str, Any], raw: Any) -> dict[str, Any]:
    user.update(user_changes(state, raw, user_id=user["id"]))
    state.stamp(user)
    state.refresh_requester(user)
    return user


# ---- conversations ----------------------------------------------------------------------


def conversation_changes(raw: Any, *, creating: bool) -> dict[str, Any]:
    body = _body(raw)
    changes: dict[str, Any] = {}
    if creating or "conversationType" in body:
        kind = _required(body, "conversationType")
        if kind not in CONVERSATION_TYPES:
            raise Invalid(f"conversationType is not valid: {kind}")
        changes["conversationType"] = kind
    if creating or "details" in body:
        changes["details"] = _required(body, "details")  # [I] required on create
    for key in ("subject", "conversationState"):
        if key in body:
            changes[key] = _text(body, key)
    for key in ("emailIds", "ccEmailIds"):
        if key in body:
            changes[key] = _strings(body, key)
    if "fileAttachments" in body:
        shape = {"refFileName": str, "realName": str}
        changes["fileAttachments"] = _objects(body, "fileAttachments", shape)
    return changes


def add_conversation(state: MotadataState, request: dict[str, Any], raw: Any) -> dict[str, Any]:
    """A new conversation on `request`; it moves the request's `updatedTime`. Its subject is
    "[<request name>]: <request subject>" as in the docs' example [C], whatever was sent."""
    changes = conversation_changes(raw, creating=True)
    author = state.api_user()
    kind, details = changes.pop("conversationType"), changes.pop("details")
    conversation = new_conversation(state, request, author, kind, details, state.now_ms(), changes)
    state.conversations.setdefault(request["id"], []).append(conversation)
    state.stamp(request)
    return conversation


def update_conversation(
    state: MotadataState, request: dict[str, Any], conversation: dict[str, Any], raw: Any
) -> dict[str, Any]:
    """Apply a PATCH body; the conversation's and the request's `updatedTime` move [I]."""
    changes = conversation_changes(raw, creating=False)
    changes.pop("subject", None)  # kept as "[INC-n]: ..." [C example]
    conversation.update(changes)
    conversation["updatedTime"] = max(state.now_ms(), conversation["updatedTime"])
    state.stamp(request)
    return conversation
