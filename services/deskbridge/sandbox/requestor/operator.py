"""The Requestor sandbox's own control routes (no auth): the subscriptions, the delivery log,
and the operator, who changes the instance as people in the Requestor UI would. Each change
fires its trigger (changes.py) and answers 200 with the entity as the API renders it.

- `GET /_sandbox/subscriptions`: the subscriptions, `[{"Id", "Event", "CallbackUrl",
  "CreatedDate"}]`
- `GET|DELETE /_sandbox/deliveries`: the delivery log (deliveries.py)
- `POST /_sandbox/operator/tickets`: a ticket, NewTicket's body plus optional "State",
  "Category" (names) and "CustomForm" → TicketCreated
- `GET /_sandbox/operator/tickets/{id}`; `POST` with `{"State": name}` | `{"Category":
  name | null}` | `{"CustomForm": {…}}` (or several) → TicketStateChange /
  TicketCategoryChange / TicketCustomFormChange, and TicketMonitoring
- `POST /_sandbox/operator/users`: CreateRequestorUser's body → UserCreated;
  `GET|PATCH|DELETE /_sandbox/operator/users/{id}` → UserUpdated / UserDeleted
- `POST /_sandbox/operator/companies` `{"Name"}` → CompanyCreated; `GET|PATCH|DELETE
  /_sandbox/operator/companies/{id}` → CompanyUpdated / CompanyDeleted

A refused body is 400 `{"error", "ModelState"}`, an unknown (or deleted, for PATCH and
DELETE) entity 404 `{"error"}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskbridge.sandbox.requestor import changes
from deskbridge.sandbox.requestor.actions import parse_object, ticket_fields, user_fields
from deskbridge.sandbox.requestor.state import Absent, Invalid, RequestorState

if TYPE_CHECKING:
    from deskbridge.sandbox.requestor.app import Sandbox

Change = Callable[[RequestorState, Request, dict[str, Any]], Any]


def operator_routes(sandbox: Sandbox) -> list[Route]:
    def handle(change: Change) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            state = sandbox.state
            try:
                body = parse_object(await request.body()) if request.method in WRITES else {}
                return JSONResponse(change(state, request, body))
            except Invalid as bad:
                return JSONResponse({"error": str(bad), "ModelState": bad.errors}, status_code=400)
            except Absent as missing:
                return JSONResponse({"error": str(missing)}, status_code=404)

        return endpoint

    async def subscriptions(request: Request) -> Response:
        return JSONResponse(list(sandbox.state.subscriptions.values()))

    async def deliveries(request: Request) -> Response:
        if request.method == "DELETE":
            sandbox.deliveries.log.clear()
        return JSONResponse(sandbox.deliveries.log)

    base = "/_sandbox/operator"
    return [
        Route("/_sandbox/subscriptions", subscriptions, methods=["GET"]),
        Route("/_sandbox/deliveries", deliveries, methods=["GET", "DELETE"]),
        Route(f"{base}/tickets", handle(_new_ticket), methods=["POST"]),
        Route(f"{base}/tickets/{{id:int}}", handle(_ticket), methods=["GET", "POST"]),
        Route(f"{base}/users", handle(_new_user), methods=["POST"]),
        Route(f"{base}/users/{{id:int}}", handle(_user), methods=["GET", "PATCH", "DELETE"]),
        Route(f"{base}/companies", handle(_new_company), methods=["POST"]),
        Route(f"{base}/companies/{{id:int}}", handle(_company), methods=["GET", "PATCH", "DELETE"]),
    ]


WRITES = frozenset({"POST", "PATCH"})
TICKET_EXTRAS = ("State", "Category", "CustomForm")


def _new_ticket(state: RequestorState, request: Request, body: dict[str, Any]) -> Any:
    fields = ticket_fields(state, body)
    extra = {k: body[k] for k in TICKET_EXTRAS if k in body}
    return state.ticket_json(changes.create_ticket(state, fields, extra))


def _ticket(state: RequestorState, request: Request, body: dict[str, Any]) -> Any:
    ticket = state.ticket(request.path_params["id"])
    if request.method == "POST":
        changes.change_ticket(state, ticket, body)
    return state.ticket_json(ticket)


def _new_user(state: RequestorState, request: Request, body: dict[str, Any]) -> Any:
    return state.user_json(changes.create_user(state, user_fields(state, body)))


def _user(state: RequestorState, request: Request, body: dict[str, Any]) -> Any:
    user_id = request.path_params["id"]
    if request.method == "GET":
        if user_id not in state.users:
            raise Absent(f"No user with id {user_id}")
        return state.user_json(state.users[user_id])
    user = state.live(state.users, user_id, "user")
    if request.method == "PATCH":
        return state.user_json(changes.update_user(state, user, body))
    return state.user_json(changes.delete_user(state, user))


def _new_company(state: RequestorState, request: Request, body: dict[str, Any]) -> Any:
    if set(body) - {"Name"}:
        raise Invalid.of("", "A company has a Name and nothing else")
    return state.company_json(changes.create_company(state, body.get("Name")))


def _company(state: RequestorState, request: Request, body: dict[str, Any]) -> Any:
    company_id = request.path_params["id"]
    if request.method == "GET":
        if company_id not in state.companies:
            raise Absent(f"No company with id {company_id}")
        return state.company_json(state.companies[company_id])
    company = state.live(state.companies, company_id, "company")
    if request.method == "PATCH":
        return state.company_json(changes.update_company(state, company, body))
    return state.company_json(changes.delete_company(state, company))
