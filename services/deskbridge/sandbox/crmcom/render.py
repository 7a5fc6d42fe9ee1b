"""Dates, time periods and the wire objects (VENDORS.md §3.5).

Dates are ISO local without a zone, to the second: "2016-08-25T06:22:28" [C], in the
instance's `time_zone` [?]. Dates sent in are read the same way; a date alone ("2016-08-25")
is midnight, and an explicit offset or Z is honoured [I]. `fields_set` trims each returned
object to exactly the listed top-level fields [C: "a list of fields that should be included
in the results"; nothing else is kept, not even id [I]]; unknown names are ignored [I].
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from deskbridge.sandbox.crmcom.errors import CrmError
from deskbridge.sandbox.crmcom.state import CrmState

UOTS = ("MINUTES", "HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS")  # [C jobs page, seed]
_SECONDS = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400, "WEEKS": 7 * 86400}
UDF_FIELDS = (
    *(f"udf_string_{i}" for i in range(1, 9)),
    *(f"udf_float_{i}" for i in range(1, 5)),
    *(f"udf_date_{i}" for i in range(1, 5)),
)


def iso(ts: float | None, zone: str) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(int(ts), ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M:%S")


def parse_date(value: Any, zone: str, name: str) -> float:
    """Epoch seconds of a date parameter."""
    if not isinstance(value, str):
        raise CrmError(f"{name} must be a date", "Dates look like 2016-08-25T06:22:28")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CrmError(f"{name} is not a valid date: {value}", "Use 2016-08-25T06:22:28") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed.timestamp()


def add_period(ts: float, amount: float, uot: str, zone: str) -> float:
    """`ts` moved by `amount` units of time; months and years by the calendar, in the
    instance's zone (the 31st plus a month is the month's last day)."""
    if uot in _SECONDS:
        return ts + amount * _SECONDS[uot]
    local = datetime.fromtimestamp(ts, ZoneInfo(zone))
    months = int(amount) * (12 if uot == "YEARS" else 1)
    year, month0 = divmod(local.month - 1 + months, 12)
    year += local.year
    day = min(local.day, calendar.monthrange(year, month0 + 1)[1])
    return local.replace(year=year, month=month0 + 1, day=day).timestamp()


def period_between(start: float, end: float) -> dict[str, Any]:
    """The estimated completion time from start to end [I: the largest of WEEKS, DAYS,
    HOURS that divides it exactly, else whole MINUTES]."""
    seconds = round(end - start)
    for uot in ("WEEKS", "DAYS", "HOURS"):
        if seconds and seconds % _SECONDS[uot] == 0:
            return {"time_period": seconds // _SECONDS[uot], "uot": uot}
    return {"time_period": seconds // 60, "uot": "MINUTES"}


def time_period(value: Any, name: str) -> tuple[float, str]:
    """(amount, uot) of a time period object {time_period, uot}."""
    if not isinstance(value, dict):
        raise CrmError(f"{name} must be an object", "A time period is {time_period, uot}")
    return period_amount(value.get("time_period"), f"{name}.time_period", value.get("uot"))


def period_amount(amount: Any, name: str, uot: Any) -> tuple[float, str]:
    if uot not in UOTS:
        raise CrmError(f"uot must be one of {', '.join(UOTS)}", f"Got {uot!r}")
    if isinstance(amount, str):
        try:
            amount = float(amount)
        except ValueError:
            raise CrmError(f"{name} must be a number", f"Got {amount!r}") from None
    if isinstance(amount, bool) or not isinstance(amount, int | float) or amount < 0:
        raise CrmError(f"{name} must be a number >= 0", f"Got {amount!r}")
    if uot in ("MONTHS", "YEARS") and amount != int(amount):
        raise CrmError(f"{name} must be a whole number of {uot}", f"Got {amount!r}")
    return (int(amount) if amount == int(amount) else amount), uot


# ---- references -------------------------------------------------------------------------


def named(record: dict[str, Any] | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "id": record["id"],
        "name": record["name"],
        "alternative_code": record["alternative_code"],
    }


def category(record: dict[str, Any] | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"id": record["id"], "name": record["name"], "code": record["code"]}


def user_ref(state: CrmState, user_id: str | None) -> dict[str, Any] | None:
    user = state.users.get(user_id) if user_id else None
    if user is None:
        return None
    return {"id": user["id"], "username": user["username"], "person_name": user["person_name"]}


def unit_ref(state: CrmState, unit_id: str) -> dict[str, Any]:
    unit = state.units[unit_id]
    keys = ("id", "name", "alternative_code", "description", "group_name", "community_name")
    return {k: unit[k] for k in keys}


def contact_ref(state: CrmState, contact_id: str | None) -> dict[str, Any] | None:
    contact = state.contacts.get(contact_id) if contact_id else None
    if contact is None:
        return None
    return {"id": contact["id"], "number": contact["number"], "name": contact["name"]}


def account_ref(state: CrmState, account_id: str) -> dict[str, Any]:
    account = state.accounts[account_id]
    return {"id": account["id"], "number": account["number"], "name": account["name"]}


def log_information(state: CrmState, log: dict[str, Any]) -> dict[str, Any]:
    """§3.5's shape and key order [C]."""
    zone = state.config.time_zone
    return {
        "created_by_unit": unit_ref(state, log["created_by_unit"]),
        "updated_by_unit": unit_ref(state, log["updated_by_unit"]),
        "created_date": iso(log["created"], zone),
        "updated_date": iso(log["updated"], zone),
        "created_by_user": user_ref(state, log["created_by_user"]),
        "updated_by_user": user_ref(state, log["updated_by_user"]),
    }


# ---- objects ----------------------------------------------------------------------------


def _step(state: CrmState, step: dict[str, Any] | None, kind: str) -> dict[str, Any] | None:
    """A response, temporary_resolution or final_resolution object."""
    if step is None:
        return None
    zone = state.config.time_zone
    cats = state.response_categories if kind == "response" else state.resolution_categories
    by, date = {
        "response": ("responded_by", "response_date"),
        "temporary_resolution": ("temporary_resolved_by", "temporary_resolution_date"),
        "final_resolution": ("final_resolved_by", "final_resolution_date"),
    }[kind]
    return {
        "category": category(cats[step["category_id"]]),
        "description": step.get("description"),
        by: user_ref(state, step["by_user_id"]),
        date: iso(step["date"], zone),
        "accepted_by": contact_ref(state, step.get("accepted_by_id")),
        "accepted_date": iso(step.get("accepted_date"), zone),
    }


def service_request(state: CrmState, record: dict[str, Any]) -> dict[str, Any]:
    zone = state.config.time_zone
    assigned = record["assigned_to"]
    related = []
    for relation in record["related"]:
        other = state.requests.get(relation["request_id"])
        ref = {"id": other["id"], "number": other["number"]} if other else None
        related.append(
            {"id": relation["id"], "service_request": ref, "description": relation["description"]}
        )
    return {
        "id": record["id"],
        "number": record["number"],
        "type": named(state.types[record["type_id"]]),
        "status": named(state.statuses[record["status_id"]]),
        "category": category(state.categories[record["category_id"]]),
        "life_cycle_state": state.life_cycle_state(record),
        "accounts_receivable": account_ref(state, record["account_id"]),
        "contact_information": contact_ref(state, record["contact_id"]),
        "caller_email": record["caller_email"],
        "caller_phone": record["caller_phone"],
        "description": record["description"],
        "notes": record["notes"],
        "urgency_level": record["urgency_level"],
        "impact_level": record["impact_level"],
        "owned_by_group": named(state.groups.get(record["group_id"] or "")),
        "privacy_level": named(state.privacy_levels.get(record["privacy_level_id"] or "")),
        "assigned_to": None
        if assigned is None
        else {
            "user": user_ref(state, assigned.get("user_id")),
            "group": named(state.groups.get(assigned.get("group_id") or "")),
        },
        "start_date": iso(record["start_date"], zone),
        "expected_completion_date": iso(record["expected_completion_date"], zone),
        "estimated_completion_time": record["estimated_completion_time"],
        "response": _step(state, record["response"], "response"),
        "temporary_resolution": _step(
            state, record["temporary_resolution"], "temporary_resolution"
        ),
        "final_resolution": _step(state, record["final_resolution"], "final_resolution"),
        "referring_to": record["referring_to"],
        "services": record["services"],
        "physical_goods": record["physical_goods"],
        "related_service_requests": related,
        **{name: record["udf"].get(name) for name in UDF_FIELDS},
        "log_information": log_information(state, record["log"]),
    }


def contact(state: CrmState, record: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "number",
        "type",
        "name",
        "first_name",
        "last_name",
        "company_name",
        "id_number",
        "passport_number",
        "social_security_number",
        "vat_registration_number",
        "registration_number",
    )
    return {
        **{k: record[k] for k in keys},
        "emails": [dict(e) for e in record["emails"]],
        "phones": [dict(p) for p in record["phones"]],
        "related_contacts": [contact_ref(state, c) for c in record["related"]],
        "log_information": log_information(state, record["log"]),
    }


def account(state: CrmState, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "number": record["number"],
        "name": record["name"],
        "life_cycle_state": record["life_cycle_state"],
        "contact_information": contact_ref(state, record["owner_id"]),
        "log_information": log_information(state, record["log"]),
    }


def user(state: CrmState, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "username": record["username"],
        "person_name": record["person_name"],
        "email": record["email"],
    }


def fields_of(raw: Any) -> list[str] | None:
    """The names in a `fields_set` parameter ("a,b,c" [C]; a JSON list too [I])."""
    if raw is None:
        return None
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        names = raw
    elif isinstance(raw, str):
        names = raw.split(",")
    else:
        raise CrmError("fields_set must be a comma separated list of fields", f"Got {raw!r}")
    names = [n.strip() for n in names if n.strip()]
    return names or None


def trim(obj: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if fields is None:
        return obj
    return {name: obj[name] for name in fields if name in obj}
