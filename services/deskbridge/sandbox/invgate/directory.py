"""The InvGate directory endpoints: groups, companies, locations, help desks and levels, their
members and observers, internal notes (VENDORS.md §1.4, shapes §1.6).

Records are stored without counts: `total`, `total_members` and `members_ids` are computed
from `state.members` when answering, so they always agree with the memberships. Help desks
and levels are marked deleted with `is_deleted` [I]; `levels` includes deleted ones unless
`include_deleted=false` [C spec], `helpdesks` and `helpdesksandlevels` only on request.
Writes on `internalnotes` answer `{"Status": ...}` with a capital S, errors included [C spec].
Choices no source documents are marked [I].
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from typing import Any

from deskbridge.sandbox.invgate.endpoints import LogicError, endpoint, error, formatted, ok
from deskbridge.sandbox.invgate.params import Params
from deskbridge.sandbox.invgate.state import InvGateState

# Endpoint family → what InvGate calls one of them in messages.
LABELS = {
    "groups": "group",
    "companies": "company",
    "locations": "location",
    "helpdesks": "help desk",
    "levels": "level",
}
MEMBER_KINDS = ("groups", "companies", "locations")  # `<kind>.users` exists for these
NOTE_SUBJECTS = {1: "users", 2: "helpdesks", 3: "companies", 4: "groups"}  # 5: external entity


# ------------------------------------------------------------------------ shared helpers


def members_of(state: InvGateState, kind: str, identifier: int) -> list[int]:
    return state.members.get((kind, identifier), [])


def observers_of(state: InvGateState, kind: str, identifier: int) -> dict[str, list[int]]:
    return state.observers_of.setdefault(
        (kind, identifier), {"observer_users": [], "observer_groups": []}
    )


def entity(state: InvGateState, kind: str, params: Params, key: str = "id") -> dict[str, Any]:
    """The group/company/... a call is about; an unknown id is a logic error."""
    identifier = params.int(key, required=True)
    record = getattr(state, kind).get(identifier)
    if record is None:
        raise LogicError(f"The {LABELS[kind]} {identifier} does not exist")
    return record


def _active(record: dict[str, Any], include_deleted: bool) -> bool:
    return include_deleted or not record.get("is_deleted")


def _select(rows: Iterable[dict[str, Any]], params: Params, *filters: str) -> list:
    """Rows matching the optional `id` and the given exact-match string filters."""
    selected = list(rows)
    if params.has("id"):
        selected = [r for r in selected if r["id"] == params.int("id")]
    for name in filters:
        if params.has(name):
            selected = [r for r in selected if str(r.get(name) or "") == params.str(name)]
    return selected


def user_row(state: InvGateState, identifier: int) -> dict[str, Any]:
    user = state.users[identifier]
    full_name = f"{user['name']} {user['lastname']}".strip()
    return {
        "id": identifier,
        "name": full_name,
        "username": user["username"],
        "email": user["email"],
    }


def _add(current: list[int], values: Iterable[int]) -> dict[str, bool]:
    """Append the missing values; `{id: True}` per value (a relation that now exists)."""
    for value in values:
        if value not in current:
            current.append(value)
    return {str(v): True for v in values}


def _remove(current: list[int], values: Iterable[int]) -> dict[str, bool]:
    """Drop the values; `{id: whether it was there}` [I: false for no relation]."""
    answer = {str(v): v in current for v in values}
    dropped = set(values)
    current[:] = [v for v in current if v not in dropped]
    return answer


def _forget(state: InvGateState, kind: str, identifier: int) -> None:
    """Drop what refers to a deleted entity: its members and its observers."""
    state.members.pop((kind, identifier), None)
    state.observers_of.pop((kind, identifier), None)


# ------------------------------------------------------------------------ rows


def group_row(state: InvGateState, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "name": record["name"],
        "total": len(members_of(state, "groups", record["id"])),
    }


def company_row(state: InvGateState, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "name": record["name"],
        "external_id": record.get("external_id"),
        "total": len(members_of(state, "companies", record["id"])),
    }


def location_row(state: InvGateState, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "name": record["name"],
        "total": len(members_of(state, "locations", record["id"])),
        "parent_id": record.get("parent_id"),
    }


def helpdesk_row(state: InvGateState, record: dict[str, Any]) -> dict[str, Any]:
    return dict(record, total_members=len(members_of(state, "helpdesks", record["id"])))


def level_row(state: InvGateState, record: dict[str, Any]) -> dict[str, Any]:
    members = list(members_of(state, "levels", record["id"]))
    return dict(record, members_ids=members, total_members=len(members))


# ------------------------------------------------------------------------ groups


@endpoint("groups", "GET")
def list_groups(state: InvGateState, params: Params):
    return _select((group_row(state, g) for g in state.groups.values()), params, "name")


@endpoint("groups", "POST")
def create_group(state: InvGateState, params: Params):
    name = params.str("name", required=True)
    identifier = state.new_id("group")
    state.groups[identifier] = {"id": identifier, "name": name}
    return {"id": identifier}


@endpoint("groups", "DELETE")
def delete_group(state: InvGateState, params: Params):
    record = entity(state, "groups", params)
    del state.groups[record["id"]]
    _forget(state, "groups", record["id"])
    for linked in state.company_groups.values():
        if record["id"] in linked:
            linked.remove(record["id"])
    for observers in state.observers_of.values():
        if record["id"] in observers["observer_groups"]:
            observers["observer_groups"].remove(record["id"])
    return ok("The group was deleted.")


# ------------------------------------------------------------------------ companies


@endpoint("companies", "GET")
def list_companies(state: InvGateState, params: Params):
    rows = (company_row(state, c) for c in state.companies.values())
    return _select(rows, params, "name", "external_id")


@endpoint("companies", "POST")
def create_company(state: InvGateState, params: Params):
    name = params.str("name", required=True)
    identifier = state.new_id("company")
    record = {"id": identifier, "name": name, "external_id": params.str("external_id")}
    state.companies[identifier] = record
    return {"status": "OK", **record}


@endpoint("companies", "PUT")
def update_company(state: InvGateState, params: Params):
    record = entity(state, "companies", params)
    for key in ("name", "external_id"):
        if key in params.values:
            record[key] = params.str(key)
    return {"status": "OK", **record}


@endpoint("companies", "DELETE")
def delete_company(state: InvGateState, params: Params):
    record = entity(state, "companies", params)
    del state.companies[record["id"]]
    _forget(state, "companies", record["id"])
    state.company_groups.pop(record["id"], None)
    return ok("The company was deleted.")


@endpoint("companies.groups", "GET")
def company_groups(state: InvGateState, params: Params):
    record = entity(state, "companies", params)
    linked = state.company_groups.get(record["id"], [])
    return [group_row(state, state.groups[g]) for g in linked]


@endpoint("companies.groups", "POST")
def link_company_groups(state: InvGateState, params: Params):
    record = entity(state, "companies", params)
    groups = _known_groups(state, params)
    answer = _add(state.company_groups.setdefault(record["id"], []), groups)
    # [I] the group's users join the company, so `unlink_users_too` has something to undo.
    company = state.members.setdefault(("companies", record["id"]), [])
    for group in groups:
        _add(company, members_of(state, "groups", group))
    return answer


@endpoint("companies.groups", "DELETE")
def unlink_company_groups(state: InvGateState, params: Params):
    record = entity(state, "companies", params)
    groups = _known_groups(state, params)
    answer = _remove(state.company_groups.setdefault(record["id"], []), groups)
    if params.bool("unlink_users_too"):
        company = state.members.setdefault(("companies", record["id"]), [])
        for group in groups:
            _remove(company, members_of(state, "groups", group))
    return answer


def _known_groups(state: InvGateState, params: Params) -> list[int]:
    groups = params.ints("groups", required=True)
    unknown = [g for g in groups if g not in state.groups]
    if unknown:
        raise LogicError(f"The groups {unknown} do not exist")
    return groups


# ------------------------------------------------------------------------ locations


@endpoint("locations", "GET")
def list_locations(state: InvGateState, params: Params):
    return _select((location_row(state, r) for r in state.locations.values()), params)


@endpoint("locations", "POST")
def create_location(state: InvGateState, params: Params):
    name = params.str("name", required=True)
    parent = params.int("parent_id")
    if parent is not None and parent not in state.locations:
        return error(f"The parent location {parent} does not exist")
    identifier = state.new_id("location")
    state.locations[identifier] = {"id": identifier, "name": name, "parent_id": parent}
    return {"id": identifier}


@endpoint("locations", "DELETE")
def delete_location(state: InvGateState, params: Params):
    record = entity(state, "locations", params)
    for identifier in subtree(state, record["id"]):
        del state.locations[identifier]
        _forget(state, "locations", identifier)
    return ok("The location was deleted.")


def subtree(state: InvGateState, root: int) -> list[int]:
    """A location and every location below it."""
    found, pending = [], [root]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(i for i, r in state.locations.items() if r.get("parent_id") == current)
    return found


# ------------------------------------------------------------------------ help desks, levels


@endpoint("helpdesks", "GET")
def list_helpdesks(state: InvGateState, params: Params):
    deleted = params.bool("include_deleted")
    rows = (helpdesk_row(state, r) for r in state.helpdesks.values() if _active(r, deleted))
    return _select(rows, params, "name")


@endpoint("levels", "GET")
def list_levels(state: InvGateState, params: Params):
    deleted = params.bool("include_deleted", True)
    rows = (level_row(state, r) for r in state.levels.values() if _active(r, deleted))
    return _select(rows, params)


@endpoint("helpdesksandlevels", "GET")
def list_helpdesks_and_levels(state: InvGateState, params: Params):
    deleted = params.bool("include_deleted")
    desks = [
        dict(helpdesk_row(state, r), members_ids=list(members_of(state, "helpdesks", r["id"])))
        for r in state.helpdesks.values()
        if _active(r, deleted)
    ]
    levels = [level_row(state, r) for r in state.levels.values() if _active(r, deleted)]
    return _select([*desks, *levels], params)


# ------------------------------------------------------------------------ members


def _member_endpoints(kind: str) -> None:
    """`<kind>.users` GET / POST / DELETE."""

    def read(state: InvGateState, params: Params):
        record = entity(state, kind, params)
        users = members_of(state, kind, record["id"])
        if params.has("user_id"):
            users = [u for u in users if u == params.int("user_id")]
        return [user_row(state, u) for u in users if u in state.users]

    def add(state: InvGateState, params: Params):
        record = entity(state, kind, params)
        users = _known_users(state, params)
        answer = _add(state.members.setdefault((kind, record["id"]), []), users)
        if kind == "companies":  # [C spec] a company's users also join its groups
            for group in state.company_groups.get(record["id"], []):
                _add(state.members.setdefault(("groups", group), []), users)
        return _location_answer(record, answer) if kind == "locations" else answer

    def remove(state: InvGateState, params: Params):
        record = entity(state, kind, params)
        users = params.ints("users", required=True)
        answer = _remove(state.members.setdefault((kind, record["id"]), []), users)
        if kind == "companies":  # [C spec] and leave the company's groups with it
            for group in state.company_groups.get(record["id"], []):
                _remove(state.members.setdefault(("groups", group), []), users)
        return _location_answer(record, answer) if kind == "locations" else answer

    endpoint(f"{kind}.users", "GET")(read)
    endpoint(f"{kind}.users", "POST")(add)
    endpoint(f"{kind}.users", "DELETE")(remove)


def _known_users(state: InvGateState, params: Params) -> list[int]:
    """[I] Unknown users refuse the whole call, as `incident.observer` does here."""
    users = params.ints("users", required=True)
    unknown = [u for u in users if u not in state.users]
    if unknown:
        raise LogicError(f"The users {unknown} do not exist")
    return users


def _location_answer(record: dict[str, Any], answer: dict[str, bool]) -> list[dict[str, Any]]:
    """[C spec] `locations.users` writes answer `[{value, id}]`, `id` being the location's."""
    return [{"id": record["id"], "value": value} for value in answer.values()]


for _kind in MEMBER_KINDS:
    _member_endpoints(_kind)


# ------------------------------------------------------------------------ observers


def _observer_endpoints(kind: str) -> None:
    """`<kind>.observers` GET / POST / DELETE."""

    def read(state: InvGateState, params: Params):
        wanted = set(params.ints("ids"))
        return [
            {"id": r["id"], "name": r["name"], **observers_of(state, kind, r["id"])}
            for r in getattr(state, kind).values()
            if (r["id"] in wanted if wanted else not r.get("is_deleted"))
        ]

    def change(adding: bool):
        def handler(state: InvGateState, params: Params):
            record = entity(state, kind, params)
            users = params.ints("observer_users", required=True)
            current = observers_of(state, kind, record["id"])["observer_users"]
            # [C spec] `value` is false when, for any reason, nothing changed for that user.
            answer = []
            for user in users:
                present = user in current
                changed = (not present and user in state.users) if adding else present
                if changed and adding:
                    current.append(user)
                elif changed:
                    current.remove(user)
                answer.append({"id": user, "value": changed})
            return answer

        return handler

    endpoint(f"{kind}.observers", "GET")(read)
    endpoint(f"{kind}.observers", "POST")(change(adding=True))
    endpoint(f"{kind}.observers", "DELETE")(change(adding=False))


for _kind in LABELS:
    _observer_endpoints(_kind)


# ------------------------------------------------------------------------ internal notes


def _status(value: str, info: str = "") -> dict[str, Any]:
    """[C spec] internal-note writes answer `Status` with a capital S."""
    return {"Status": value, "info": info} if info else {"Status": value}


@endpoint("internalnotes", "GET")
def list_internal_notes(state: InvGateState, params: Params):
    """[conflict] The spec marks `id` required yet "lists all the internal notes, or one in
    particular": without `id` every note matching `object_id`/`object_type` is listed."""
    notes = _select(state.internal_notes.values(), params)
    for key in ("object_id", "object_type"):
        if params.has(key):
            notes = [n for n in notes if n[key] == params.int(key)]
    return [formatted(n, params) for n in notes]


@endpoint("internalnotes", "POST")
def create_internal_note(state: InvGateState, params: Params):
    object_id = params.int("object_id", required=True)
    object_type = params.int("object_type", required=True)
    author = params.int("author_id", required=True)
    title = params.str("title", required=True)
    description = params.str("description", required=True)
    problem = _note_subject_problem(state, object_type, object_id) or _author_problem(state, author)
    if problem:
        return _status("ERROR", problem)
    now = int(time.time())
    identifier = state.new_id("internal_note", 1)
    state.internal_notes[identifier] = {
        "id": identifier,
        "object_id": object_id,
        "object_type": object_type,
        "author_id": author,
        "last_author": author,
        "title": title,
        "description": description,
        "created_at": now,
        "last_update": now,
    }
    return _status("OK")


@endpoint("internalnotes", "PUT")
def update_internal_note(state: InvGateState, params: Params):
    note = state.internal_notes.get(params.int("id", required=True))
    author = params.int("author_id", required=True)
    if note is None:
        return _status("ERROR", f"The internal note {params.int('id')} does not exist")
    if problem := _author_problem(state, author):
        return _status("ERROR", problem)
    for key in ("title", "description"):
        if params.has(key):
            note[key] = params.str(key)
    note["last_author"] = author
    note["last_update"] = max(int(time.time()), note["last_update"] + 1)
    return _status("OK")


@endpoint("internalnotes", "DELETE")
def delete_internal_note(state: InvGateState, params: Params):
    identifier = params.int("id", required=True)
    params.int("author_id", required=True)
    if state.internal_notes.pop(identifier, None) is None:
        return _status("ERROR", f"The internal note {identifier} does not exist")
    return _status("OK")


def _note_subject_problem(state: InvGateState, object_type: int, object_id: int) -> str:
    if object_type not in (*NOTE_SUBJECTS, 5):
        return f"Invalid object_type {object_type}: expected 1 to 5"
    kind = NOTE_SUBJECTS.get(object_type)
    if kind is not None and object_id not in getattr(state, kind):
        return f"The {LABELS.get(kind, 'user')} {object_id} does not exist"
    return ""


def _author_problem(state: InvGateState, author: int) -> str:
    return "" if author in state.users else f"The user {author} does not exist"


# ------------------------------------------------------------------------ demo data

_GROUPS = ["Field Support", "Network Operations", "Security Team", "Finance Users", "Sales Users"]
_COMPANIES = [("Acme Corp", "ACME-001"), ("Globex", "GLX-002"), ("Initech", "INI-003")]
_LOCATIONS = [  # (name, parent index in this list, 1-based)
    ("Buenos Aires HQ", None),
    ("HQ Floor 1", 1),
    ("HQ Floor 2", 1),
    ("HQ Floor 2 East Wing", 3),
    ("Cordoba Office", None),
    ("Cordoba Warehouse", 5),
]


def seed(state: InvGateState, rng: random.Random) -> None:
    """Demo data: groups, companies, locations with members, observers, internal notes."""
    agents, customers = state.agents(), state.customers()
    for name in _GROUPS:  # ids 1..5, which other families refer to
        identifier = state.new_id("group")
        state.groups[identifier] = {"id": identifier, "name": name}
    for index, group in enumerate(state.groups):
        pool = agents if index < 3 else customers
        state.members[("groups", group)] = sorted(rng.sample(pool, 4 if index < 3 else 6))
    _seed_companies(state, rng, customers)
    _seed_locations(state, rng, agents + customers)
    _seed_levels(state, rng, agents)
    _seed_observers(state)
    _seed_notes(state)


def _seed_companies(state: InvGateState, rng: random.Random, customers: list[int]) -> None:
    shuffled = rng.sample(customers, len(customers))
    for index, (name, external_id) in enumerate(_COMPANIES):
        identifier = state.new_id("company")
        state.companies[identifier] = {"id": identifier, "name": name, "external_id": external_id}
        state.members[("companies", identifier)] = sorted(shuffled[index * 8 : index * 8 + 8])
    for company, group in ((1, 4), (2, 5)):
        state.company_groups[company] = [group]
        _add(state.members[("companies", company)], members_of(state, "groups", group))
    state.company_groups[3] = []


def _seed_locations(state: InvGateState, rng: random.Random, people: list[int]) -> None:
    for name, parent in _LOCATIONS:
        identifier = state.new_id("location")
        state.locations[identifier] = {"id": identifier, "name": name, "parent_id": parent}
    for person in people:
        if rng.random() < 0.5:
            where = rng.choice(list(state.locations))
            state.members.setdefault(("locations", where), []).append(person)


def _seed_levels(state: InvGateState, rng: random.Random, agents: list[int]) -> None:
    """Agents staff the levels; a help desk's members are those of its levels."""
    state.levels[43] = {  # a deleted level, so `include_deleted` matters
        **state.levels[42],
        "id": 43,
        "name": "Facilities L3",
        "level_order": 3,
        "status_id": 4,
        "is_deleted": True,
    }
    for identifier, level in state.levels.items():
        staff = sorted(rng.sample(agents, 3))
        state.members[("levels", identifier)] = staff
        level.update(members_ids=list(staff), total_members=len(staff))
        if not level.get("is_deleted"):
            _add(state.members.setdefault(("helpdesks", level["parent_id"]), []), staff)
    state.helpdesks[5] = {  # a deleted help desk [I], for `include_deleted`
        **state.helpdesks[4],
        "id": 5,
        "name": "Legacy Support",
        "status_id": 4,
        "is_deleted": True,
    }
    for identifier, desk in state.helpdesks.items():
        desk["total_members"] = len(members_of(state, "helpdesks", identifier))


def _seed_observers(state: InvGateState) -> None:
    for kind, identifier, users, groups in (
        ("groups", 1, [1], [2]),
        ("groups", 4, [2, 3], []),
        ("companies", 1, [3], [1]),
        ("locations", 1, [2], []),
        ("helpdesks", 1, [4], [1]),
        ("levels", 11, [5], []),
    ):
        state.observers_of[(kind, identifier)] = {
            "observer_users": users,
            "observer_groups": groups,
        }


def _seed_notes(state: InvGateState) -> None:
    now = int(time.time())
    for object_type, object_id, title in (
        (1, 100, "Prefers phone calls"),
        (2, 1, "On-call rota"),
        (3, 1, "Key account"),
        (4, 1, "Escalation contact"),
    ):
        identifier = state.new_id("internal_note", 1)
        state.internal_notes[identifier] = {
            "id": identifier,
            "object_id": object_id,
            "object_type": object_type,
            "author_id": 1,
            "last_author": 1,
            "title": title,
            "description": f"<p>{title}.</p>",
            "created_at": now - 86400 * identifier,
            "last_update": now - 3600 * identifier,
        }
