"""`service_requests/create` and `/update` (the seed's parameter tables).

A call is checked as a whole on a copy of the record, and only then stored, so an error
leaves the instance as it was. Parameters neither table names (and, on update, the ones only
create takes: type, account, contact) are ignored [I]; a null parameter is as absent [I].
`referring_to`, `services` and `physical_goods` (their objects are not recorded) are kept as
sent [I]. `assigned_to` is {user_identifier, group_identifier} (at least one) [?].
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from deskbridge.sandbox.crmcom import identifiers as ids
from deskbridge.sandbox.crmcom.errors import CrmError
from deskbridge.sandbox.crmcom.lifecycle import check_state, step
from deskbridge.sandbox.crmcom.render import (
    UDF_FIELDS,
    add_period,
    iso,
    parse_date,
    period_between,
    time_period,
)
from deskbridge.sandbox.crmcom.state import Actor, CrmState, new_log, touch

_CUSTOM = tuple(f"CUSTOM{i}" for i in range(1, 6))
URGENCY_LEVELS = ("URGENCY1", "URGENCY2", "URGENCY3", *_CUSTOM)  # [seed]
IMPACT_LEVELS = ("IMPACT1", "IMPACT2", "IMPACT3", *_CUSTOM)  # [seed]
RELATION_ACTIONS = ("ADD", "UPDATE", "REMOVE")  # [C]


def _body(params: Any) -> Mapping[str, Any]:
    if not isinstance(params, Mapping):
        raise CrmError("The request body must be a JSON object")
    return params


def _level(params: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    value = params.get(name)
    if value is not None and value not in allowed:
        raise CrmError(f"{name} must be one of {', '.join(allowed)}", f"Got {value!r}")
    return value


def create(state: CrmState, actor: Actor, params: Mapping[str, Any]) -> dict[str, Any]:
    params, config = _body(params), state.config
    kind = ids.mandatory(params, "type_identifier", "type", state.types.values())
    account = ids.mandatory(
        params, "accounts_receivable_identifier", "account", state.accounts.values()
    )
    status = ids.mandatory(params, "status_identifier", "status", state.statuses.values())
    category = ids.mandatory(params, "category_identifier", "category", state.categories.values())
    contact = ids.optional(
        params, "contact_information_identifier", "contact", state.contacts.values()
    )
    owner = account["owner_id"]
    if contact is not None and contact["id"] not in state.related_contacts(owner):
        raise CrmError(  # [seed]
            "contact_information_identifier must be the accounts receivable owner or a "
            "contact information related with the owner",
            f"{contact['name']} is not related with {account['number']}",
        )
    email, phone = ids.text(params, "caller_email"), ids.text(params, "caller_phone")
    if kind["email_customers"] and not email and not config.caller_email_optional:
        raise CrmError(  # [seed]
            "caller_email is mandatory",
            f"Service requests of type {kind['name']} email customers",
        )
    if kind["sms_customers"] and not phone:
        raise CrmError(  # [seed]
            "caller_phone is mandatory", f"Service requests of type {kind['name']} SMS customers"
        )
    for name in ("urgency_level", "impact_level"):
        ids.required(params, name)  # [seed] both mandatory
    if (
        config.completion_estimate_required
        and params.get("estimated_completion_time") is None
        and params.get("expected_completion_date") is None
    ):
        raise CrmError(
            "estimated_completion_time or expected_completion_date is mandatory", ids.ONE_ONLY
        )
    now = state.now()
    record: dict[str, Any] = {
        "id": None,
        "number": None,
        "type_id": kind["id"],
        "status_id": status["id"],
        "category_id": category["id"],
        "account_id": account["id"],
        "contact_id": (contact or state.contacts[owner])["id"],  # [seed] default: the owner
        "caller_email": email,
        "caller_phone": phone,
        "description": None,
        "notes": None,
        "urgency_level": None,
        "impact_level": None,
        "group_id": None,
        "privacy_level_id": None,
        "assigned_to": None,
        "start_date": now,
        "expected_completion_date": None,
        "estimated_completion_time": None,
        "response": None,
        "temporary_resolution": None,
        "final_resolution": None,
        "referring_to": None,
        "services": [],
        "physical_goods": [],
        "related": [],
        "udf": {},
        "log": new_log(actor, now),
    }
    _common(state, actor, record, params, creating=True)
    if record["assigned_to"] is None:
        if not config.acr_assigns:
            raise CrmError("assigned_to is mandatory", "No ACR rule assigns it")  # [seed]
        record["assigned_to"] = {"user_id": None, "group_id": next(iter(state.groups))}
    check_state(state, record)
    record["id"], record["number"] = state.new_id(), state.new_number()
    state.requests[record["id"]] = record
    return record


def update(
    state: CrmState, actor: Actor, record: dict[str, Any], params: Mapping[str, Any]
) -> dict[str, Any]:
    params = _body(params)
    new = copy.deepcopy(record)
    for name in ("caller_email", "caller_phone"):
        if params.get(name) is not None:
            new[name] = ids.text(params, name)
    if params.get("category_identifier") is not None:
        new["category_id"] = ids.mandatory(
            params, "category_identifier", "category", state.categories.values()
        )["id"]
    resolving = [n for n in ("temporary_resolution", "final_resolution") if params.get(n)]
    if resolving and params.get("status_identifier") is None:
        raise CrmError(  # [seed]
            "status_identifier is mandatory when the temporary or final resolution is updated",
            f"{resolving[0]} was given without status_identifier",
        )
    if params.get("status_identifier") is not None:
        new["status_id"] = ids.mandatory(
            params, "status_identifier", "status", state.statuses.values()
        )["id"]
    _common(state, actor, new, params, creating=False)
    check_state(state, new)
    touch(state, new, actor)
    state.requests[new["id"]] = new
    return new


def _common(
    state: CrmState,
    actor: Actor,
    record: dict[str, Any],
    params: Mapping[str, Any],
    *,
    creating: bool,
) -> None:
    """What create and update both take."""
    zone = state.config.time_zone
    for name in ("description", "notes"):
        if params.get(name) is not None:
            record[name] = ids.text(params, name)
    for name, allowed in (("urgency_level", URGENCY_LEVELS), ("impact_level", IMPACT_LEVELS)):
        if params.get(name) is not None:
            record[name] = _level(params, name, allowed)
    group = ids.optional(params, "owned_by_group_identifier", "group", state.groups.values())
    if group is not None:
        record["group_id"] = group["id"]
    privacy = ids.optional(
        params, "privacy_level_identifier", "privacy_level", state.privacy_levels.values()
    )
    if privacy is not None:
        record["privacy_level_id"] = privacy["id"]
    _udfs(record, params, zone)
    _completion(state, record, params)
    if params.get("assigned_to") is not None:
        record["assigned_to"] = _assigned_to(state, params["assigned_to"])
    if params.get("referring_to") is not None:
        if not isinstance(params["referring_to"], Mapping):
            raise CrmError("referring_to must be an object")
        record["referring_to"] = dict(params["referring_to"])
    for name in ("services", "physical_goods"):
        if params.get(name) is not None:
            if not isinstance(params[name], list):
                raise CrmError(f"{name} must be a list")
            record[name] = copy.deepcopy(params[name])
    for kind in ("response", "temporary_resolution", "final_resolution"):
        if params.get(kind) is not None:
            record[kind] = step(state, actor, record, params[kind], kind)
    if params.get("related_service_requests") is not None:
        _relations(state, record, params["related_service_requests"], creating=creating)


def _udfs(record: dict[str, Any], params: Mapping[str, Any], zone: str) -> None:
    for name in UDF_FIELDS:
        value = params.get(name)
        if value is None:
            continue
        if name.startswith("udf_string") and not isinstance(value, str):
            raise CrmError(f"{name} must be a string")
        if name.startswith("udf_float"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise CrmError(f"{name} must be a number")
            value = float(value)
        if name.startswith("udf_date"):
            value = iso(parse_date(value, zone, name), zone)
        record["udf"][name] = value


def _completion(state: CrmState, record: dict[str, Any], params: Mapping[str, Any]) -> None:
    """start_date, and expected_completion_date or estimated_completion_time, each computed
    from the other [seed] (from the start date [I]); both at once is an error [I]."""
    zone = state.config.time_zone
    estimate, expected = (
        params.get("estimated_completion_time"),
        params.get("expected_completion_date"),
    )
    if estimate is not None and expected is not None:
        raise CrmError(
            "Specify estimated_completion_time or expected_completion_date, not both",
            "Each is calculated from the other",
        )
    if params.get("start_date") is not None:
        record["start_date"] = parse_date(params["start_date"], zone, "start_date")
    start = record["start_date"]
    if estimate is not None:
        amount, uot = time_period(estimate, "estimated_completion_time")
        record["estimated_completion_time"] = {"time_period": amount, "uot": uot}
    elif expected is not None:
        due = parse_date(expected, zone, "expected_completion_date")
        if due < start:
            raise CrmError("expected_completion_date must not be before the start date")
        record["expected_completion_date"] = due
        record["estimated_completion_time"] = period_between(start, due)
        return
    period = record["estimated_completion_time"]
    if period is not None:
        record["expected_completion_date"] = add_period(
            start, period["time_period"], period["uot"], zone
        )


def _assigned_to(state: CrmState, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise CrmError("assigned_to must be an object", "{user_identifier, group_identifier}")
    user = ids.optional(raw, "user_identifier", "user", state.users.values())
    group = ids.optional(raw, "group_identifier", "group", state.groups.values())
    if user is None and group is None:
        raise CrmError("assigned_to needs a user_identifier or a group_identifier")
    return {"user_id": user and user["id"], "group_id": group and group["id"]}


def _relations(state: CrmState, record: dict[str, Any], raw: Any, *, creating: bool) -> None:
    """`related_service_requests` [C]: [{action ADD|UPDATE|REMOVE,
    service_request_relation_identifier {id | service_request_identifier},
    service_request_identifier, description}]; on create `action` defaults to ADD [I]."""
    if not isinstance(raw, list):
        raise CrmError("related_service_requests must be a list")
    for item in raw:
        if not isinstance(item, Mapping):
            raise CrmError("related_service_requests must be a list of objects")
        action = item.get("action", "ADD" if creating else None)
        if action not in RELATION_ACTIONS:
            raise CrmError(
                f"related_service_requests.action must be one of {', '.join(RELATION_ACTIONS)}",
                f"Got {action!r}",
            )
        if action == "ADD":
            other = _other(state, record, item)
            record["related"].append(
                {
                    "id": state.new_id(),
                    "request_id": other,
                    "description": ids.text(item, "description"),
                }
            )
            continue
        relation = _relation(state, record, item)
        if action == "REMOVE":
            record["related"].remove(relation)
            continue
        if item.get("service_request_identifier") is not None:
            relation["request_id"] = _other(state, record, item, keep=relation)
        if "description" in item:
            relation["description"] = ids.text(item, "description")


def _other(
    state: CrmState, record: dict[str, Any], item: Mapping[str, Any], keep: Any = None
) -> str:
    name = "related_service_requests.service_request_identifier"
    other = ids.mandatory(
        {name: item.get("service_request_identifier")},
        name,
        "service_request",
        state.requests.values(),
    )
    if other["id"] == record["id"]:
        raise CrmError("A service request cannot be related with itself")
    if any(r["request_id"] == other["id"] and r is not keep for r in record["related"]):
        raise CrmError("The service requests are already related", other["number"])
    return other["id"]


def _relation(state: CrmState, record: dict[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    name = "service_request_relation_identifier"
    raw = ids.required(item, name)
    if not isinstance(raw, Mapping):
        raise CrmError(
            f"{name} must be an identifier object", "One of: id, service_request_identifier"
        )
    given = {k: v for k, v in raw.items() if v is not None}
    if set(given) - {"id", "service_request_identifier"} or len(given) != 1:
        raise CrmError(
            f"{name}: specify exactly one of id, service_request_identifier", ids.ONE_ONLY
        )
    if "id" in given:
        match = [r for r in record["related"] if r["id"] == str(given["id"])]
    else:
        inner = f"{name}.service_request_identifier"
        other = ids.resolve(
            given["service_request_identifier"], inner, "service_request", state.requests.values()
        )
        match = [r for r in record["related"] if r["request_id"] == other["id"]]
    if not match:
        raise CrmError(f"{name} not found", "No such relation on this service request")
    return match[0]
