"""The InvGate request endpoints: (endpoint key, HTTP method) → handler.

Shapes are the observed ones (VENDORS.md §1.6): `incident` is one object, `incidents` an
object keyed by id, `incidents.by.customer|agent` wrap `requests` keyed by id (`[]` when
empty), the `by.status|view|helpdesk|sentiment` lists give ids only, logic errors answer
HTTP 200 `{"status": "ERROR", ...}`. Choices no source documents are marked [I] (inferred).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from deskbridge.sandbox.invgate.params import ParamError, Params
from deskbridge.sandbox.invgate.state import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Instance,
    InvGateState,
)

Handler = Callable[[InvGateState, Params], Any]
ENDPOINTS: dict[tuple[str, str], Handler] = {}
DATE_FIELDS = ("created_at", "last_update", "date_ocurred", "solved_at", "closed_at")


class NotFound(Exception):
    """HTTP 404 `{"error": ..., "status": 404}` [I: weak evidence for the body]."""


class LogicError(Exception):
    """HTTP 200 `{"status": "ERROR", "info": ...}`: how InvGate refuses a valid call."""


def endpoint(key: str, *methods: str):
    def register(handler: Handler) -> Handler:
        for method in methods:
            ENDPOINTS[(key, method)] = handler
        return handler

    return register


def ok(info: str = "", **extra: Any) -> dict[str, Any]:
    return {"status": "OK", "info": info, **extra}


def error(info: str) -> dict[str, Any]:
    return {"status": "ERROR", "info": info, "error": info}


def page_key(last_id: int) -> str:
    return base64.b64encode(json.dumps({"last_id": last_id}).encode()).decode()


def read_page_key(value: str | None) -> int:
    if not value:
        return 0
    try:
        return int(json.loads(base64.b64decode(value))["last_id"])
    except (ValueError, KeyError, TypeError):
        raise ParamError("Type string passed is invalid for page_key") from None


def formatted(record: dict[str, Any], params: Params) -> dict[str, Any]:
    """A copy with dates in the requested `date_format` (epoch ints by default)."""
    out = dict(record)
    out.pop("waiting_for", None) if out.get("waiting_for") is None else None
    if params.str("date_format") == "iso8601":
        for key in DATE_FIELDS:
            if out.get(key):
                out[key] = datetime.fromtimestamp(out[key], UTC).isoformat()
    if out.get("rating") is None:
        out.pop("rating", None)
    return out


def request_or_none(state: InvGateState, identifier: int | None) -> dict[str, Any] | None:
    return state.requests.get(identifier) if identifier is not None else None


def _with_comments(state: InvGateState, record: dict, params: Params) -> dict:
    out = formatted(record, params)
    if params.bool("comments"):
        out["comments"] = [
            dict(c, customer_visible=1 if c["customer_visible"] else 0)
            for c in state.comments[record["id"]]
        ]
    return out


# ------------------------------------------------------------------------ requests


@endpoint("incident", "GET")
def get_incident(state: InvGateState, params: Params):
    record = request_or_none(state, params.int("id", required=True))
    if record is None:
        answer, text = state.instance.missing_incident, state.instance.missing_request_text
        if answer == "empty":
            return []
        if answer == "error":
            raise LogicError(text)
        raise NotFound(text)
    return _with_comments(state, record, params)


@endpoint("incident", "POST")
def create_incident(state: InvGateState, params: Params):
    fields = {
        "creator_id": params.int("creator_id", required=True),
        "user_id": params.int("customer_id", required=True),
        "category_id": params.int("category_id", required=True),
        "priority_id": params.int("priority_id", required=True),
        "type_id": params.int("type_id", required=True),
        "title": params.str("title", required=True),
        "source_id": params.int("source_id", default=8),
        "description": params.str("description", default=""),
        "location_id": params.int("location_id"),
    }
    for key, table in (("user_id", state.users), ("creator_id", state.users)):
        if fields[key] not in table:
            return error(f"The user {fields[key]} does not exist")
    if fields["category_id"] not in state.categories:
        return error(f"The category {fields['category_id']} does not exist")
    instance = state.instance
    if fields["priority_id"] not in instance.priorities or fields["type_id"] not in instance.types:
        return error("Invalid priority or type")
    if params.has("date"):
        fields["date_ocurred"] = params.int("date")
    record = state.add_request(fields)
    related = params.ints("related_to")
    if related:
        state.links[record["id"]] = [r for r in related if r in state.requests]
    if not state.instance.create_names_request:
        return ok("The request was created.")
    return ok("The request was created.", request_id=record["id"])


@endpoint("incident", "PUT")
def update_incident(state: InvGateState, params: Params):
    record = _target(state, params, "id")
    for param, key, kind in (
        ("customer_id", "user_id", int),
        ("category_id", "category_id", int),
        ("priority_id", "priority_id", int),
        ("type_id", "type_id", int),
        ("source_id", "source_id", int),
        ("location_id", "location_id", int),
        ("title", "title", str),
        ("description", "description", str),
        ("date", "date_ocurred", int),
    ):
        if params.has(param):
            record[key] = params.int(param) if kind is int else params.str(param)
    state.touch(record["id"])
    return formatted(record, params)


@endpoint("incidents", "GET")
def get_incidents(state: InvGateState, params: Params):
    params.reject("page", "page_size")
    ids = params.ints("ids", required=True)
    return {
        str(i): _with_comments(state, state.requests[i], params) for i in ids if i in state.requests
    }


def _keyset(state: InvGateState, params: Params, field: str, info: str):
    person = _person(state, params)
    if person is None:
        return error("You must provide id, email or username")
    limit = params.int("limit", default=10) or 10
    after = read_page_key(params.str("page_key"))
    open_only = state.instance.person_lists_open_only
    matching = sorted(
        i
        for i, r in state.requests.items()
        if r[field] == person
        and i > after
        and not (open_only and not state.instance.is_open(r["status_id"]))
    )
    page = matching[:limit]
    requests = {str(i): formatted(state.requests[i], params) for i in page}
    more = len(matching) > limit
    return ok(info, requests=requests or [], next_page_key=page_key(page[-1]) if more else None)


def _person(state: InvGateState, params: Params) -> int | None:
    if params.has("id"):
        return params.int("id")
    for key in ("email", "username"):
        if params.has(key):
            value = params.str(key)
            for identifier, user in state.users.items():
                if user[key] == value:
                    return identifier
            return -1
    return None


@endpoint("incidents.by.customer", "GET")
def by_customer(state: InvGateState, params: Params):
    return _keyset(
        state, params, "user_id", "Returned a list of the requests related to the given customer."
    )


@endpoint("incidents.by.agent", "GET")
def by_agent(state: InvGateState, params: Params):
    return _keyset(
        state, params, "assigned_id", "Returned a list of the requests related to the given agent."
    )


def _ids_page(ids: list[int], params: Params, info: str, total: bool = False):
    offset = params.int("offset", default=0) or 0
    limit = params.int("limit")
    page = ids[offset : offset + limit] if limit else ids[offset:]
    body = ok(info, requestIds=page, limit=limit, offset=offset)
    if total:
        body["total"] = len(ids)
    return body


@endpoint("incidents.by.status", "GET")
def by_status(state: InvGateState, params: Params):
    statuses = params.ints("status_ids") or (
        [params.int("status_id")] if params.has("status_id") else []
    )
    if not statuses:
        return error("You must provide status_id or status_ids")
    ids = sorted(
        i
        for i, r in state.requests.items()
        if r["status_id"] in statuses and state.instance.is_open(r["status_id"])
    )
    return _ids_page(
        ids, params, "Returned a list of the requests related to the given status.", total=True
    )


@endpoint("incidents.by.helpdesk", "GET")
def by_helpdesk(state: InvGateState, params: Params):
    if params.has("id") and not params.has("helpdesk_id"):
        return error("None of the provided helpdesk_ids is an INTEGER.")
    desks = params.ints("helpdesk_ids") or (
        [params.int("helpdesk_id")] if params.has("helpdesk_id") else []
    )
    if not desks:
        return error("None of the provided helpdesk_ids is an INTEGER.")
    ids = sorted(
        i
        for i, r in state.requests.items()
        if r["assigned_group_id"] in desks and state.instance.is_open(r["status_id"])
    )
    return ok("Returned a list of the requests related to the given helpdesk.", requestIds=ids)


@endpoint("incidents.by.sentiment", "GET")
def by_sentiment(state: InvGateState, params: Params):
    wanted = params.strs("sentiment_ids") or params.strs("sentiment_id")
    if not wanted:
        return error("You must provide sentiment_id or sentiment_ids")
    ids = sorted(  # open requests only, like the rest of the ids family [I]
        i
        for i, r in state.requests.items()
        if r["request_customer_sentiment_current"] in wanted
        and state.instance.is_open(r["status_id"])
    )
    return _ids_page(ids, params, "Returned a list of the requests with the given sentiment.")


@endpoint("incidents.by.view", "GET")
def by_view(state: InvGateState, params: Params):
    view = params.int("view_id", required=True)
    ids = sorted(
        i
        for i, r in state.requests.items()
        if _in_view(r, view) and state.instance.is_open(r["status_id"])
    )
    return _ids_page(ids, params, "Returned a list of the requests in the given view.")


def _in_view(record: dict[str, Any], view: int) -> bool:
    """[I] Demo views: 1 every request, 2 unassigned, 3 high priority and above. What a view
    holds is the instance's; what `incidents.by.view` returns of it is open requests only."""
    return {
        1: True,
        2: record["assigned_id"] is None,
        3: record["priority_id"] >= 3,
    }.get(view, False)


@endpoint("incidents.last.hour", "GET")
def last_hour(state: InvGateState, params: Params):
    since = int(time.time()) - 3600
    limit = params.int("limit", default=100) or 100
    after = read_page_key(params.str("page_key"))
    ids = sorted(i for i, r in state.requests.items() if r["last_update"] >= since and i > after)
    page = ids[:limit]
    return {
        "data": [formatted(state.requests[i], params) for i in page],
        "next_page_key": page_key(page[-1]) if len(ids) > limit else None,
    }


# ------------------------------------------------------------------------ actions


def _target(state: InvGateState, params: Params, key: str = "request_id") -> dict:
    """The request a call is about; a missing one is a logic error, as InvGate answers it."""
    record = request_or_none(state, params.int(key, required=True))
    if record is None:
        raise LogicError(state.instance.missing_request_text)
    return record


@endpoint("incident.cancel", "POST")
def cancel(state: InvGateState, params: Params):
    record = _target(state, params)
    params.int("author_id", required=True)
    if record["status_id"] in FINAL_STATUSES:
        label = state.instance.statuses.get(record["status_id"])
        return error(f"The request cannot be cancelled: it is {label}")
    record["status_id"], record["waiting_for"] = 8, None
    if params.has("comment"):
        state.add_comment(
            record["id"],
            params.int("author_id"),
            params.str("comment"),
            customer_visible=True,
            is_solution=False,
        )
    state.touch(record["id"])
    return {"status": "OK"}


@endpoint("incident.reject", "POST")
def reject(state: InvGateState, params: Params):
    record = _target(state, params)
    params.int("author_id", required=True)
    if record["status_id"] in FINAL_STATUSES:
        return error("The request is already finished")
    record["status_id"] = 7
    state.touch(record["id"])
    return {"status": "OK"}


@endpoint("incident.reopen", "PUT")
def reopen(state: InvGateState, params: Params):
    record = _target(state, params)
    if record["status_id"] not in (5, 6):
        return error("Only solved or closed requests can be reopened")  # [I]
    record.update(status_id=2, solved_at=None, closed_at=None, closed_reason=None)
    state.touch(record["id"])
    return ok("The request was reopened.", error=None)


@endpoint("incident.reassign", "POST")
def reassign(state: InvGateState, params: Params):
    record = _target(state, params)
    params.int("author_id", required=True)
    group = params.int("group_id", required=True)
    if group not in state.helpdesks:
        return error(f"The help desk {group} does not exist")
    agent = params.int("agent_id")
    if agent is not None and agent not in state.users:
        return error(f"The user {agent} does not exist")
    record.update(assigned_group_id=group, assigned_id=agent)
    if record["status_id"] in (1, 4):
        record["status_id"], record["waiting_for"] = 2, None
    state.touch(record["id"])
    return {"status": "OK"}


def _wait(state: InvGateState, params: Params, detail: dict[str, Any]):
    record = _target(state, params)
    if record["status_id"] in FINAL_STATUSES | {5}:
        return error("A finished request cannot wait")
    record["status_id"], record["waiting_for"] = 4, detail
    state.touch(record["id"])
    return ok("The request is now waiting.")


@endpoint("incident.waitingfor.agent", "POST")
def wait_agent(state, params):
    return _wait(state, params, {"type": "agent"})


@endpoint("incident.waitingfor.customer", "POST")
def wait_customer(state, params):
    return _wait(state, params, {"type": "customer"})


@endpoint("incident.waitingfor.date", "POST")
def wait_date(state, params):
    return _wait(
        state, params, {"type": "date", "timestamp": params.int("timestamp", required=True)}
    )


@endpoint("incident.waitingfor.incident", "POST")
def wait_incident(state, params):
    other = params.int("wait_request_id", required=True)
    if other not in state.requests:
        return error(f"The request {other} does not exist")
    return _wait(state, params, {"type": "incident", "request_id": other})


@endpoint("incident.waitingfor.external_entity", "POST")
def wait_external(state, params):
    return _wait(
        state,
        params,
        {"type": "external_entity", "link_id": params.int("entity_link_id", required=True)},
    )


@endpoint("incident.solution.accept", "PUT")
def accept_solution(state: InvGateState, params: Params):
    record = _target(state, params, "id")
    rating = params.int("rating", required=True)
    if not 1 <= rating <= 5:
        return error("The rating must be between 1 and 5")
    if rating < 4 and not params.has("comment"):
        return error("A comment is required when the rating is lower than 4")
    if record["status_id"] != 5:
        return error("The request has no solution to accept")
    record.update(status_id=6, closed_at=int(time.time()), closed_reason=1, rating=rating)
    state.touch(record["id"])
    return {"status": "OK"}


@endpoint("incident.solution.reject", "PUT")
def reject_solution(state: InvGateState, params: Params):
    record = _target(state, params, "id")
    params.str("comment", required=True)
    if record["status_id"] != 5:
        return error("The request has no solution to reject")
    record.update(status_id=2, solved_at=None)
    state.add_comment(
        record["id"],
        record["user_id"],
        params.str("comment"),
        customer_visible=True,
        is_solution=False,
    )
    state.touch(record["id"])
    return {"status": "OK"}


@endpoint("incident.promote.to.major.incident", "POST")
def promote(state: InvGateState, params: Params):
    record = request_or_none(state, params.int("request_id", required=True))
    params.int("author_id", required=True)
    if record is None:
        return {"success": False, "messages": ["Request not found"]}
    record["type_id"] = 6
    state.touch(record["id"])
    return {"success": True, "messages": ["The request was promoted to major incident."]}


# ------------------------------------------------------------------------ conversation


@endpoint("incident.comment", "GET")
def list_comments(state: InvGateState, params: Params):
    record = _target(state, params)
    solutions = params.bool("is_solution")
    return [
        dict(c, customer_visible=bool(c["customer_visible"]))
        for c in state.comments[record["id"]]
        if not solutions or c["is_solution"]
    ]


@endpoint("incident.comment", "POST")
def add_comment(state: InvGateState, params: Params):
    record = _target(state, params)
    author = params.int("author_id", required=True)
    message = params.str("comment", required=True)
    if author not in state.users:
        return {"status": "ERROR", "error": f"The user {author} does not exist"}
    solution = params.bool("is_solution")
    state.add_comment(
        record["id"],
        author,
        message,
        customer_visible=params.bool("customer_visible", True),
        is_solution=solution,
        attachments=params.ints("attachments"),
    )
    if solution and state.users[author]["user_type"] == 1 and record["status_id"] in OPEN_STATUSES:
        record.update(status_id=5, solved_at=int(time.time()), waiting_for=None)
    state.touch(record["id"])
    return {"status": "OK", "error": None}


# ------------------------------------------------------------------------ relations


def _people(table: dict[int, list[int]]):
    def read(state: InvGateState, params: Params):
        record = _target(state, params)
        return list(table(state).get(record["id"], []))

    def add(state: InvGateState, params: Params):
        record = _target(state, params)
        params.int("author_id", required=True)
        users = params.ints("users_id") or (
            [params.int("user_id")] if params.has("user_id") else []
        )
        if not users:
            raise ParamError("The parameter user_id or users_id is required")
        unknown = [u for u in users if u not in state.users]
        if unknown:
            return error(f"The users {unknown} do not exist")
        current = table(state).setdefault(record["id"], [])
        current.extend(u for u in users if u not in current)
        state.touch(record["id"])
        return {"status": "OK"}

    return read, add


for _key, _table in (
    ("incident.observer", lambda s: s.observers),
    ("incident.collaborator", lambda s: s.collaborators),
):
    _read, _add = _people(_table)
    ENDPOINTS[(_key, "GET")], ENDPOINTS[(_key, "POST")] = _read, _add


@endpoint("incident.link", "GET")
def list_links(state: InvGateState, params: Params):
    record = _target(state, params)
    return [
        {"id": i, "title": state.requests[i]["title"]} for i in state.links.get(record["id"], [])
    ]


@endpoint("incident.link", "POST")
def add_links(state: InvGateState, params: Params):
    record = _target(state, params)
    others = params.ints("request_ids", required=True)
    missing = [o for o in others if o not in state.requests]
    if missing:
        return error(f"The requests {missing} do not exist")
    current = state.links.setdefault(record["id"], [])
    current.extend(o for o in others if o not in current and o != record["id"])
    state.touch(record["id"])
    return ok("The requests were linked.", error=None)


@endpoint("incident.external_entity", "GET")
def list_external(state: InvGateState, params: Params):
    record = _target(state, params)
    return list(state.external_entities.get(record["id"], []))


@endpoint("incident.external_entity", "POST")
def add_external(state: InvGateState, params: Params):
    record = _target(state, params)
    entity = params.int("external_entity_id", required=True)
    link = {
        "link_id": state.new_id("link", 700),
        "ref_id": entity,
        "ext_ref_id": params.str("external_entity_ref_id", default=""),
        "type": 100,
        "name": f"Entity {entity}",
        "status": "open",
    }
    state.external_entities.setdefault(record["id"], []).append(link)
    state.touch(record["id"])
    return ok("The external entity was linked.", link_id=link["link_id"])


@endpoint("incident.custom_field", "POST")
def set_custom_field(state: InvGateState, params: Params):
    record = _target(state, params)
    params.int("author_id", required=True)
    uid = params.str("custom_field_uid", required=True)
    values = params.strs("values", required=True)
    definition = state.custom_fields.get(uid)
    if definition is None:
        return error(f"The custom field {uid} does not exist")
    if definition["type"] == "list":
        record["custom_fields"][uid] = {v: v for v in values}
    elif definition["type"] == "checkbox":
        record["custom_fields"][uid] = values[0] in ("1", "true")
    else:
        record["custom_fields"][uid] = values[0] if len(values) == 1 else values
    state.touch(record["id"])
    return ok("The custom field was set.")


@endpoint("incident.custom_field", "DELETE")
def clear_custom_field(state: InvGateState, params: Params):
    record = _target(state, params)
    params.int("author_id", required=True)
    uid = params.str("custom_field_uid", required=True)
    record["custom_fields"].pop(uid, None)
    state.touch(record["id"])
    return ok("The custom field was removed.")


@endpoint("incident.tasks", "GET")
def list_tasks(state: InvGateState, params: Params):
    record = _target(state, params)
    return list(state.tasks.get(record["id"], []))


@endpoint("incident.relate.ci.by.keyword", "POST")
def relate_ci(state: InvGateState, params: Params):
    record = _target(state, params)
    keyword = params.str("keyword", required=True)
    record.setdefault("cis", []).append(keyword)
    state.touch(record["id"])
    return ok("The configuration items were related.")


@endpoint("incidents.by.cis", "GET")
def by_cis(state: InvGateState, params: Params):
    params.int("cis_source_id", required=True)
    group = params.str("group", required=True)
    cis = params.ints("ci_ids", required=True)
    return [
        {
            "group": group,
            "ci_id": ci,
            "requests": sorted(i for i, r in state.requests.items() if str(ci) in r.get("cis", [])),
        }
        for ci in cis
    ]


@endpoint("incident.attachment", "GET")
def get_attachment(state: InvGateState, params: Params):
    attachment = state.attachments.get(params.int("id", required=True))
    if attachment is None:
        raise NotFound("Attachment not found")
    return attachment


# ------------------------------------------------------------------------ reference data


@endpoint("categories", "GET")
@endpoint("incident.attributes.category", "GET")
def categories(state: InvGateState, params: Params):
    rows = list(state.categories.values())
    if params.has("id"):
        rows = [r for r in rows if int(r["id"]) == params.int("id")]
    if params.has("search"):
        rows = [r for r in rows if params.str("search").lower() in r["name"].lower()]
    size = min(params.int("page_size", default=20) or 20, 500)
    number = max(params.int("page", default=1) or 1, 1)
    return rows[(number - 1) * size : number * size]


def _attribute(table: dict[int, str]) -> Handler:
    def handler(state: InvGateState, params: Params):
        rows = [{"id": i, "name": n} for i, n in table.items()]
        return [r for r in rows if r["id"] == params.int("id")] if params.has("id") else rows

    return handler


def _instance_attribute(table: str) -> Handler:
    """The instance's own reference data (its labels, its custom statuses)."""

    def handler(state: InvGateState, params: Params):
        return _attribute(getattr(state.instance, table))(state, params)

    return handler


for _name, _table in (
    ("type", "types"),
    ("priority", "priorities"),
    ("source", "sources"),
    ("status", "statuses"),
    ("statuses", "statuses"),
):
    ENDPOINTS[(f"incident.attributes.{_name}", "GET")] = _instance_attribute(_table)


@endpoint("cf.fields.all", "GET")
def custom_fields_all(state: InvGateState, params: Params):
    return list(state.custom_fields.values())


@endpoint("cf.fields.by.category", "GET")
def custom_fields_by_category(state: InvGateState, params: Params):
    category = (
        params.int("category_id") if params.has("category_id") else params.int("id", required=True)
    )
    return [f["uid"] for f in state.custom_fields.values() if category in f["categories"]]


@endpoint("sd.version", "GET")
def version(state: InvGateState, params: Params):
    return {"version": "v8.15.13"}


@endpoint("incidents.details.by.view", "GET")
def details_by_view(state: InvGateState, params: Params):
    """View-formatted rows, 1000 per page, keyset paged (observed shape, VENDORS.md §1.6)."""
    view = params.int("view_id", required=True)
    descending = params.str("order_by", default="asc") == "desc"
    sort_key = params.str("sort_by", default="id")
    if sort_key not in ("id", "last_update"):
        raise ParamError("Type string passed is invalid for sort_by")
    after = read_page_key(params.str("page_key"))
    ids = sorted((i for i, r in state.requests.items() if _in_view(r, view) and i > after))
    page = ids[:1000]
    rows = [_view_row(state.requests[i], state.instance) for i in page]
    rows.sort(
        key=lambda row: row["last_update"]["value"] if sort_key == "last_update" else row["id"],
        reverse=descending,
    )
    return {
        "metadata": ["Id", "Subject", "Category", "Type", "Priority", "Last update"],
        "data": rows,
        "next_page_key": page_key(page[-1]) if len(ids) > 1000 else None,
    }


def _view_row(record: dict[str, Any], instance: Instance) -> dict[str, Any]:
    waiting = record.get("waiting_for") or {}
    return {
        "id": record["id"],
        "request": {
            "subject": record["title"],
            "category": {"id": record["category_id"], "label": ""},
            "type": {"id": record["type_id"], "label": instance.types.get(record["type_id"])},
        },
        "waiting_for": {
            "type": {"id": waiting.get("type"), "label": waiting.get("type")},
            "label": "",
            "value": waiting.get("timestamp"),
        },
        "priority": {
            "id": record["priority_id"],
            "label": instance.priorities.get(record["priority_id"]),
        },
        "last_update": {
            "value": record["last_update"],
            "formatted": datetime.fromtimestamp(record["last_update"], UTC).strftime(
                "%Y-%m-%d %H:%M"
            ),
        },
        "customer": record["user_id"],
    }


@endpoint("timetracking", "GET")
def list_timetracking(state: InvGateState, params: Params):
    request_id = params.int("request_id")
    if request_id is None and not params.has("from"):
        return error("You must provide request_id or from")
    return [
        e for e in state.timetracking.values() if request_id is None or e["incident"] == request_id
    ]


@endpoint("timetracking", "POST")
def add_timetracking(state: InvGateState, params: Params):
    record = _target(state, params)
    user = params.int("user_id", required=True)
    to = params.int("to", required=True)
    start = params.int("from", default=to - 3600)
    if start > to:
        return error("from must be before to")
    entry = {
        "timetracking_id": state.new_id("timetracking", 300),
        "incident": record["id"],
        "user_id": user,
        "timetracking_category_id": params.int("category_id"),
        "status": 1,
        "comment": params.str("comment", default=""),
        "total": to - start,
        "from": start,
        "to": to,
    }
    state.timetracking[entry["timetracking_id"]] = entry
    state.touch(record["id"])
    return {"status": "OK", "timetracking_id": entry["timetracking_id"]}


@endpoint("timetracking", "DELETE")
def delete_timetracking(state: InvGateState, params: Params):
    params.int("request_id", required=True)
    params.int("user_id", required=True)
    entry = state.timetracking.pop(params.int("timetracking_id", required=True), None)
    if entry is None:
        return error("Time tracking entry not found")
    return {"status": "OK"}


CUSTOM_FIELD_OPTIONS = {  # [I] demo options: uid 26 is a list, uid 29 a tree
    "26": {"a1b2": "Team A", "c3d4": "Team B", "e5f6": "Team C"},
}
CUSTOM_FIELD_TREE = {
    "29": [
        {
            "hash": "h1",
            "name": "Hardware",
            "key": "hw",
            "children": [{"hash": "h11", "name": "Laptop", "key": "hw.laptop", "children": []}],
        },
        {"hash": "h2", "name": "Software", "key": "sw", "children": []},
    ],
}


@endpoint("cf.field.options.list", "GET")
def custom_field_options(state: InvGateState, params: Params):
    uid = params.str("uid", required=True)
    if uid not in CUSTOM_FIELD_OPTIONS:
        return error(f"The custom field {uid} is not a list")
    return dict(CUSTOM_FIELD_OPTIONS[uid])


@endpoint("cf.field.options.tree", "GET")
def custom_field_tree(state: InvGateState, params: Params):
    uid = params.str("uid", required=True)
    if uid not in CUSTOM_FIELD_TREE:
        return error(f"The custom field {uid} is not a tree")
    return list(CUSTOM_FIELD_TREE[uid])
