"""The service request life cycle: the response and resolution objects, the rules each
life-cycle state imposes, the life-cycle methods and the GET lists (app.py tells the whole
story).

A step (response, temporary_resolution, final_resolution) is kept as {category_id,
description, by_user_id, date, accepted_by_id, accepted_date}. Its parameter object:
`category_identifier` (a response category for the response, a resolution category for the
resolutions; id | name | code [C]), `description`, `accepted_by_identifier` (a contact
[C]), the "by" user identifier and the date: `temporary_resolved_by_identifier*` and
`temporary_resolution_date*` [C], `final_resolved_by_identifier*` and
`final_resolution_date*` [I: by analogy], `responded_by_identifier` and `response_date`
(optional: the token's user and now [I]). Sent again for a request that has the step, the
object changes only the fields it names [I].
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from deskbridge.sandbox.crmcom import identifiers as ids
from deskbridge.sandbox.crmcom.errors import CrmError
from deskbridge.sandbox.crmcom.render import add_period, parse_date, period_amount
from deskbridge.sandbox.crmcom.state import (
    FINAL_RESOLVED,
    PENDING,
    RESPONDED,
    TEMPORARY_RESOLVED,
    Actor,
    CrmState,
    touch,
)

STEPS = {  # step → (the "by" user identifier, the date, the state it belongs to)
    "response": ("responded_by_identifier", "response_date", RESPONDED),
    "temporary_resolution": (
        "temporary_resolved_by_identifier",
        "temporary_resolution_date",
        TEMPORARY_RESOLVED,
    ),
    "final_resolution": ("final_resolved_by_identifier", "final_resolution_date", FINAL_RESOLVED),
}


def requires_acceptance(state: CrmState, record: dict[str, Any]) -> bool:
    """The response's category requires customer acceptance and it is not accepted yet."""
    response = record["response"]
    if response is None or response["accepted_by_id"] is not None:
        return False
    return state.response_categories[response["category_id"]]["requires_customer_acceptance"]


def step(
    state: CrmState, actor: Actor, record: dict[str, Any], raw: Any, kind: str
) -> dict[str, Any]:
    """The step `kind` of `record` after applying the parameter object `raw`."""
    if not isinstance(raw, Mapping):
        raise CrmError(f"{kind} must be an object", f"The {kind.replace('_', ' ')} object")
    by_name, date_name, _ = STEPS[kind]
    existing = record[kind]
    new = dict(existing) if existing else dict.fromkeys(("category_id", "by_user_id", "date"))
    new.setdefault("description", None)
    new.setdefault("accepted_by_id", None)
    new.setdefault("accepted_date", None)
    categories = state.response_categories if kind == "response" else state.resolution_categories
    if raw.get("category_identifier") is not None or existing is None:
        name = f"{kind}.category_identifier"
        found = ids.resolve(
            ids.required({name: raw.get("category_identifier")}, name),
            name,
            "category",
            categories.values(),
        )
        new["category_id"] = found["id"]
    if raw.get(by_name) is not None:
        new["by_user_id"] = ids.resolve(
            raw[by_name], f"{kind}.{by_name}", "user", state.users.values()
        )["id"]
    elif existing is None:
        if kind != "response":
            raise CrmError(f"{kind}.{by_name} is mandatory", f"Specify {by_name}")
        new["by_user_id"] = actor.user_id
    if raw.get(date_name) is not None:
        new["date"] = parse_date(raw[date_name], state.config.time_zone, f"{kind}.{date_name}")
    elif existing is None:
        if kind != "response":
            raise CrmError(f"{kind}.{date_name} is mandatory", f"Specify {date_name}")
        new["date"] = state.now()
    if "description" in raw:
        new["description"] = ids.text(raw, "description")
    if raw.get("accepted_by_identifier") is not None:
        if kind == "response":
            category = state.response_categories[new["category_id"]]
            if not category["requires_customer_acceptance"]:
                raise CrmError(
                    "The response category does not require customer acceptance",
                    f"{category['name']} responses are not accepted",
                )
        new["accepted_by_id"] = acceptor(state, record, raw["accepted_by_identifier"], kind)
        new["accepted_date"] = state.now()
    return new


def acceptor(state: CrmState, record: dict[str, Any], raw: Any, kind: str) -> str:
    """The contact id an `accepted_by_identifier` names (the caller or related with it, with
    `acceptor_must_relate_to_caller` [I])."""
    name = f"{kind}.accepted_by_identifier" if kind else "accepted_by_identifier"
    contact = ids.resolve(raw, name, "contact", state.contacts.values())
    allowed = state.related_contacts(record["contact_id"])
    if state.config.acceptor_must_relate_to_caller and contact["id"] not in allowed:
        raise CrmError(
            f"{name} must be the caller or a contact related with the caller",
            f"{contact['name']} is not related with the caller",
        )
    return contact["id"]


def check_state(state: CrmState, record: dict[str, Any]) -> None:
    """What the record's life-cycle state requires of it (see app.py)."""
    target = state.status_state(record)
    if target == PENDING:
        return
    wording = target.lower().replace("_", " ")
    if record["response"] is None:
        raise CrmError(f"The service request cannot be {wording}: it has no response")
    if target == RESPONDED:
        return
    enforce = state.config.enforce_acceptance
    if enforce and requires_acceptance(state, record):
        raise CrmError(
            f"The service request cannot be {wording}: the response is not accepted",
            "The response category requires customer acceptance",
        )
    if target == TEMPORARY_RESOLVED:
        if record["temporary_resolution"] is None:
            raise CrmError(f"The service request cannot be {wording}: no temporary resolution")
        return
    temporary = record["temporary_resolution"]
    if enforce and temporary is not None and temporary["accepted_by_id"] is None:
        raise CrmError(
            f"The service request cannot be {wording}: the temporary resolution is not accepted",
            "A temporary resolution must be accepted by the customer first",
        )
    if record["final_resolution"] is None:
        raise CrmError(f"The service request cannot be {wording}: no final resolution")


def status_of(state: CrmState, params: Mapping[str, Any], wanted: str | None) -> dict[str, Any]:
    status = ids.mandatory(params, "status_identifier", "status", state.statuses.values())
    if wanted is not None and status["life_cycle_state"] != wanted:
        raise CrmError(
            f"status_identifier must be a status of life cycle state {wanted}",
            f"{status['name']} is {status['life_cycle_state']}",
        )
    return status


def default_status(state: CrmState, life_cycle_state: str) -> dict[str, Any]:
    """The first status of a state [I: types name default statuses; one set here]."""
    return next(s for s in state.statuses.values() if s["life_cycle_state"] == life_cycle_state)


def _change(
    state: CrmState,
    actor: Actor,
    record: dict[str, Any],
    params: Mapping[str, Any],
    apply: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    """Apply `apply` and the description/notes to a copy, check it, then commit it."""
    new = copy.deepcopy(record)
    apply(new)
    for name in ("description", "notes"):
        if params.get(name) is not None:
            new[name] = ids.text(params, name)
    check_state(state, new)
    touch(state, new, actor)
    state.requests[new["id"]] = new
    return new


def _in(state: CrmState, record: dict[str, Any], allowed: tuple[str, ...], method: str) -> None:
    current = state.status_state(record)
    if current not in allowed or state.is_completed(record):
        shown = "COMPLETED" if state.is_completed(record) else current
        raise CrmError(
            f"{method} is not allowed for a service request in life cycle state {shown}",
            f"Allowed in: {', '.join(allowed)}",
        )


def respond(state: CrmState, actor: Actor, record: dict[str, Any], params: Mapping[str, Any]):
    """`respond` [C]: status_identifier* (a RESPONDED status [I]) and response*."""
    status = status_of(state, params, RESPONDED)
    raw = ids.required(params, "response")
    _in(state, record, (PENDING, RESPONDED), "respond")

    def apply(new: dict[str, Any]) -> None:
        new["response"] = step(state, actor, new, raw, "response")
        new["status_id"] = status["id"]

    return _change(state, actor, record, params, apply)


def response_accept(state: CrmState, actor: Actor, record: dict[str, Any], params):
    """`response_accept` [C]: accepted_by_identifier* (a contact); only for a response whose
    category requires customer acceptance [C] and which is not accepted yet [I]."""
    raw = ids.required(params, "accepted_by_identifier")
    if not requires_acceptance(state, record):
        reason = (
            "it has no response"
            if record["response"] is None
            else (
                "its response is already accepted"
                if record["response"]["accepted_by_id"]
                else "its response category does not require customer acceptance"
            )
        )
        raise CrmError("The response of this service request cannot be accepted", reason)
    contact_id = acceptor(state, record, raw, "")

    def apply(new: dict[str, Any]) -> None:
        new["response"].update(accepted_by_id=contact_id, accepted_date=state.now())

    return _change(state, actor, record, params, apply)


def temporary_resolve(state: CrmState, actor: Actor, record: dict[str, Any], params):
    """`temporary_resolve` [C]: temporary_resolution* and no status: the request gets the
    default TEMPORARY_RESOLVED status unless it has one [I]."""
    raw = ids.required(params, "temporary_resolution")
    _in(state, record, (RESPONDED, TEMPORARY_RESOLVED), "temporary_resolve")

    def apply(new: dict[str, Any]) -> None:
        new["temporary_resolution"] = step(state, actor, new, raw, "temporary_resolution")
        if state.status_state(new) != TEMPORARY_RESOLVED:
            new["status_id"] = default_status(state, TEMPORARY_RESOLVED)["id"]

    return _change(state, actor, record, params, apply)


def final_resolve(state: CrmState, actor: Actor, record: dict[str, Any], params):
    """`final_resolve` [seed]: status_identifier* (a FINAL_RESOLVED status [I]) and
    final_resolution*; `final_resolution.accepted_by_identifier` completes the request."""
    status = status_of(state, params, FINAL_RESOLVED)
    raw = ids.required(params, "final_resolution")
    _in(state, record, (RESPONDED, TEMPORARY_RESOLVED, FINAL_RESOLVED), "final_resolve")

    def apply(new: dict[str, Any]) -> None:
        new["final_resolution"] = step(state, actor, new, raw, "final_resolution")
        new["status_id"] = status["id"]

    return _change(state, actor, record, params, apply)


# ---- the GET lists ----------------------------------------------------------------------

FILTERS = (  # parameter → (entity, the record's key, the records)
    ("accounts_receivable_identifier", "account", "account_id", "accounts"),
    ("type_identifier", "type", "type_id", "types"),
    ("caller_identifier", "contact", "contact_id", "contacts"),
    ("category_identifier", "category", "category_id", "categories"),
)
SELECTIONS: dict[str, Callable[[CrmState, dict[str, Any]], bool]] = {
    "list": lambda s, r: True,
    "get_pending": lambda s, r: s.status_state(r) == PENDING,
    "get_responded_pending_acceptance": lambda s, r: (
        s.status_state(r) == RESPONDED and requires_acceptance(s, r)
    ),
    "get_final_resolved": lambda s, r: (
        s.status_state(r) == FINAL_RESOLVED
        and not (s.config.completed_life_cycle_state and s.is_completed(r))
    ),
    "get_final_resolved_pending_acceptance": lambda s, r: (
        s.status_state(r) == FINAL_RESOLVED and not s.is_completed(r)
    ),
    "get_completed": lambda s, r: s.is_completed(r),
}


def select(state: CrmState, params: Mapping[str, Any], method: str) -> list[dict[str, Any]]:
    """The service requests a GET list method returns, by number."""
    names = [f[0] for f in FILTERS]
    if method == "get_close_to_estimated_completion_time":
        names = names[:2]  # [seed] this method filters by account and type only
        close = _close_to(state, params)
    else:
        close = None
    if method == "list":  # [seed] account and caller are semi-optional: exactly one
        given = [
            n
            for n in ("accounts_receivable_identifier", "caller_identifier")
            if params.get(n) is not None
        ]
        if len(given) != 1:
            raise CrmError(
                "Specify exactly one of accounts_receivable_identifier, caller_identifier",
                ids.ONE_ONLY,
            )
    wanted: dict[str, str] = {}
    for name, entity, key, table in FILTERS:
        if name in names:
            found = ids.optional(params, name, entity, getattr(state, table).values())
            if found is not None:
                wanted[key] = found["id"]
    chosen = SELECTIONS.get(method, lambda s, r: True)
    found = [
        r
        for r in state.requests.values()
        if all(r[k] == v for k, v in wanted.items())
        and chosen(state, r)
        and (close is None or close(r))
    ]
    return sorted(found, key=lambda r: r["number"])


def _close_to(state: CrmState, params: Mapping[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """[I] not final resolved, with an expected completion date between now and now +
    period uot (or before now too, with `close_includes_overdue` [?])."""
    amount, uot = period_amount(
        ids.required(params, "period"), "period", ids.required(params, "uot")
    )
    now = state.now()
    limit = add_period(now, amount, uot, state.config.time_zone)
    overdue = state.config.close_includes_overdue

    def close(record: dict[str, Any]) -> bool:
        due = record["expected_completion_date"]
        if due is None or state.status_state(record) == FINAL_RESOLVED:
            return False
        return due <= limit and (overdue or due >= now)

    return close
