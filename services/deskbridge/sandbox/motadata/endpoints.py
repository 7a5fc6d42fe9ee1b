"""The /api/v1 endpoints: each takes a `Call` and returns the answer's JSON (HTTP 200), or
a `Response` when it answers otherwise; `Invalid` is a 400, `Absent` a 404 (app.py renders
both in the instance's `error_style`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.responses import JSONResponse, Response

from deskbridge.sandbox.motadata import quals, records
from deskbridge.sandbox.motadata.records import Absent, Invalid
from deskbridge.sandbox.motadata.state import (
    REQUEST_FIELDS,
    REQUESTER,
    TECHNICIAN,
    USER_FIELDS,
    MotadataState,
)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Call:
    """One API call: the instance, the path's ids, the query and the JSON body (or None)."""

    state: MotadataState
    ids: tuple[str, ...]
    query: Mapping[str, str]
    body: Any

    def id(self, index: int = 0) -> int:
        try:
            return int(self.ids[index])
        except ValueError:
            raise Invalid(f"the id must be a number, got {self.ids[index]!r}") from None

    def json(self) -> Any:
        if self.body is None:
            raise Invalid("Required request body is missing")
        return self.body


Endpoint = Callable[[Call], Any]


def conversation_time(ms: int, zone: str) -> str:
    """Epoch ms as the instance shows conversation times: "Wed, Jul 16, 2025 04:33 pm" [C],
    in its time zone [?]; English names whatever the machine's locale."""
    t = datetime.fromtimestamp(ms / 1000, ZoneInfo(zone))
    hour = t.hour % 12 or 12
    half = "am" if t.hour < 12 else "pm"
    day, month = _DAYS[t.weekday()], _MONTHS[t.month - 1]
    return f"{day}, {month} {t.day:02d}, {t.year} {hour:02d}:{t.minute:02d} {half}"


def render_conversation(state: MotadataState, conversation: dict[str, Any]) -> dict[str, Any]:
    zone = state.config.time_zone
    return {
        **conversation,
        "createdTime": conversation_time(conversation["createdTime"], zone),
        "updatedTime": conversation_time(conversation["updatedTime"], zone),
    }


# ---- requests ---------------------------------------------------------------------------


def _request(call: Call) -> dict[str, Any]:
    record = call.state.requests.get(call.id())
    if record is None:
        raise Absent(f"Request not found with id: {call.ids[0]}")
    return record


def create_request(call: Call) -> Any:
    return records.create_request(call.state, call.json())


def get_request(call: Call) -> Any:
    return _request(call)


def patch_request(call: Call) -> Any:
    return records.update_request(call.state, _request(call), call.json())


def delete_request(call: Call) -> Any:
    """[?] `delete_answer`: "empty" → 204 without a body, "object" → the deleted request."""
    record = _request(call)
    del call.state.requests[record["id"]]
    call.state.conversations.pop(record["id"], None)
    if call.state.config.delete_answer == "object":
        return record
    return Response(status_code=204)


def search_requests(call: Call) -> Any:
    return quals.search(
        list(call.state.requests.values()),
        call.json(),
        call.query,
        module="request",
        fields=REQUEST_FIELDS,
        config=call.state.config,
    )


# ---- conversations ----------------------------------------------------------------------


def _conversation(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    request = _request(call)
    wanted = call.id(1)
    for conversation in call.state.conversations.get(request["id"], []):
        if conversation["id"] == wanted:
            return request, conversation
    raise Absent(f"Conversation not found with id: {call.ids[1]}")


def add_conversation(call: Call) -> Any:
    request = _request(call)
    conversation = records.add_conversation(call.state, request, call.json())
    return render_conversation(call.state, conversation)


def list_conversations(call: Call) -> Any:
    """[?] `conversation_list_shape`: a JSON array, or `{objectList, totalCount}`."""
    request = _request(call)
    found = [render_conversation(call.state, c) for c in call.state.conversations[request["id"]]]
    if call.state.config.conversation_list_shape == "objectList":
        return {"objectList": found, "totalCount": len(found)}
    return JSONResponse(found)  # a list: returned as a Response so the app does not wrap it


def patch_conversation(call: Call) -> Any:
    request, conversation = _conversation(call)
    records.update_conversation(call.state, request, conversation, call.json())
    return render_conversation(call.state, conversation)


# ---- requesters and technicians -----------------------------------------------------------


def _user(call: Call, kind: str) -> dict[str, Any]:
    user = call.state.user_of(call.id(), kind)
    if user is None:
        raise Absent(f"{kind.capitalize()} not found with id: {call.ids[0]}")
    return user


def _search_users(call: Call, kind: str) -> Any:
    state = call.state
    users = [u for user_id, u in state.users.items() if state.user_kind[user_id] == kind]
    return quals.search(
        users, call.json(), call.query, module=kind, fields=USER_FIELDS, config=state.config
    )


def create_requester(call: Call) -> Any:
    return records.create_requester(call.state, call.json())


def get_requester(call: Call) -> Any:
    return _user(call, REQUESTER)


def patch_requester(call: Call) -> Any:
    return records.update_user(call.state, _user(call, REQUESTER), call.json())


def search_requesters(call: Call) -> Any:
    return _search_users(call, REQUESTER)


def get_technician(call: Call) -> Any:
    return _user(call, TECHNICIAN)


def search_technicians(call: Call) -> Any:
    return _search_users(call, TECHNICIAN)


# (path pattern under /api/v1/, fault and log key, method → endpoint); first match wins.
ROUTES: list[tuple[str, str, dict[str, Endpoint]]] = [
    ("request", "request", {"POST": create_request}),
    ("request/search/byqual", "request.search", {"POST": search_requests}),
    (
        "request/{}",
        "request",
        {"GET": get_request, "PATCH": patch_request, "DELETE": delete_request},
    ),
    (
        "request/{}/conversation",
        "request.conversation",
        {"GET": list_conversations, "POST": add_conversation},
    ),
    ("request/{}/conversation/{}", "request.conversation", {"PATCH": patch_conversation}),
    ("requester", "requester", {"POST": create_requester}),
    ("requester/search/byqual", "requester.search", {"POST": search_requesters}),
    ("requester/{}", "requester", {"GET": get_requester, "PATCH": patch_requester}),
    ("technician/search/byqual", "technician.search", {"POST": search_technicians}),
    ("technician/{}", "technician", {"GET": get_technician}),
]


def route(path: str) -> tuple[str, dict[str, Endpoint], tuple[str, ...]] | None:
    """(key, endpoints by method, the path's ids) of a path under /api/v1/, or None."""
    parts = path.strip("/").split("/")
    for pattern, key, methods in ROUTES:
        wanted = pattern.split("/")
        if len(wanted) != len(parts):
            continue
        pairs = list(zip(wanted, parts, strict=True))
        if all(w in ("{}", p) for w, p in pairs):
            return key, methods, tuple(p for w, p in pairs if w == "{}")
    return None
