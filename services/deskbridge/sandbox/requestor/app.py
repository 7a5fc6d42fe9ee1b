"""The Requestor sandbox HTTP app: `/api/...` (VENDORS.md §4) and the control API. Settings
and their [I]/[?] tags are in config.py.

Wire
----
Every `/api/` call needs HTTP Basic with `username` / `password` [C]; without it, or with
others, it is 401 `{"Message": "Authorization has been denied for this request."}` with
`WWW-Authenticate: Basic realm="Requestor"` [I: ASP.NET Web API]. Bodies are JSON with
PascalCase keys [C], read whatever the Content-Type [I]. Paths match case-insensitively [I:
ASP.NET routing].

- `POST /api/Tickets/NewTicket` [C] → `new_ticket_answer` [?]: 200 the ticket entity
  (state.py), 200 its bare id, or 204. `POST /api/Account/CreateRequestorUser` [C] → the
  same with `create_user_answer` and the user entity. A refused body is 400
  `{"Message": "The request is invalid.", "ModelState": {"<Field>": ["…"]}}` [I] (actions.py).
- `GET services_path` (/api/Services) and `GET ticket_types_path` (/api/TicketTypes) [?]:
  `[{"Id": 1, "Name": "IT Support"}, …]`.
- `POST /api/PowerAutomate/Create{Event}Trigger` `{"CallbackUrl": "<absolute http(s) URL>"}`
  for the eleven events [C] → 201 [C] with `Location: <delete_trigger_location>` [C header,
  I value] (absolute with `absolute_location` [?]) and `{"Id": <id>}` [?]; a missing or
  relative CallbackUrl is a ModelState 400.
- `DELETE <Location>` → `delete_trigger_status` (200 or 204, no body) [?] and the
  subscription is gone; an unknown id is 404, no body [I].
- Anything else under /api/ is 404 `{"Message": "No HTTP resource was found that matches the
  request URI '…'."}`, a served path with another method 405 `{"Message": "The requested
  resource does not support http method '…'."}` [I: ASP.NET Web API's texts].

Fault and log keys (`ScriptedFault.key`, with the method): the path after /api/ as
configured: `Tickets/NewTicket`, `Account/CreateRequestorUser`, `Services`, `TicketTypes`,
`PowerAutomate/Create{Event}Trigger`, and `PowerAutomate/DeleteTrigger` (DELETE, whatever
the Location template); `unknown` for an unserved path. Injected faults answer
`{"Message": "An error has occurred."}` [I] with their status.

Control API (no auth): the kit's `GET|PUT /_sandbox/faults`, `GET|DELETE /_sandbox/requests`,
`POST /_sandbox/reset` (fresh seeded data, no subscriptions, pending deliveries cancelled,
empty request and delivery logs), `GET /_sandbox/health` (counts), and operator.py's
subscriptions, deliveries and operator routes.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskbridge.sandbox.common.credentials import basic_credentials
from deskbridge.sandbox.common.kit import SandboxKit, control_routes
from deskbridge.sandbox.requestor import changes
from deskbridge.sandbox.requestor.actions import (
    model_state,
    parse_object,
    ticket_fields,
    user_fields,
)
from deskbridge.sandbox.requestor.config import EVENTS, SandboxConfig
from deskbridge.sandbox.requestor.deliveries import Deliveries
from deskbridge.sandbox.requestor.operator import operator_routes
from deskbridge.sandbox.requestor.seed import seeded_state
from deskbridge.sandbox.requestor.state import Invalid, RequestorState, iso

VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
DELETE_KEY = "PowerAutomate/DeleteTrigger"
FAULT_MESSAGE = "An error has occurred."

Handler = Callable[["Sandbox", Request, str], Awaitable[Response]]


@dataclass
class Sandbox:
    """The running instance: config, state, faults, request log and deliveries."""

    config: SandboxConfig
    state: RequestorState
    kit: SandboxKit
    deliveries: Deliveries

    def reset(self) -> None:
        """Fresh seeded data (no subscriptions); pending deliveries cancelled, log emptied."""
        self.deliveries.reset()
        self.state = seeded_state(self.config, clock=self.state.clock)
        self.deliveries.attach(self.state)

    def health(self) -> dict[str, Any]:
        return {**self.state.counts(), "deliveries_pending": self.deliveries.pending}

    async def aclose(self) -> None:
        """Stop the deliveries (at shutdown)."""
        await self.deliveries.aclose()

    def authorized(self, header: str) -> bool:
        given = basic_credentials(header)
        if given is None:
            return False
        user_ok = secrets.compare_digest(given[0].encode(), self.config.username.encode())
        password_ok = secrets.compare_digest(given[1].encode(), self.config.password.encode())
        return user_ok & password_ok


def create_app(config: SandboxConfig | None = None) -> Starlette:
    config = config or SandboxConfig()
    sandbox = Sandbox(
        config, seeded_state(config), SandboxKit(faults=config.faults), Deliveries(config)
    )
    sandbox.deliveries.attach(sandbox.state)  # after seeding: seeded data fires nothing
    table = _route_table(config)
    delete_pattern = config.delete_path_pattern()

    async def api(request: Request) -> Response:
        path = request.path_params["path"]
        found = table.get(path.lower())
        trigger_id = None
        if found is None and (match := delete_pattern.fullmatch(path)):
            found, trigger_id = (DELETE_KEY, {"DELETE": _unsubscribe}), match["id"]
        key = found[0] if found else "unknown"

        async def answer() -> Response:
            return await _answer(sandbox, request, found, trigger_id or "")

        return await sandbox.kit.logged(request, key, answer)

    app = Starlette(
        routes=[
            Route("/api/{path:path}", api, methods=VERBS),
            *control_routes(sandbox.kit, reset=sandbox.reset, health=sandbox.health),
            *operator_routes(sandbox),
        ]
    )
    app.state.sandbox = sandbox
    return app


def _route_table(config: SandboxConfig) -> dict[str, tuple[str, dict[str, Handler]]]:
    """lower-case path after /api/ → (key, {method: handler})."""
    routes: dict[str, dict[str, Handler]] = {
        "Tickets/NewTicket": {"POST": _new_ticket},
        "Account/CreateRequestorUser": {"POST": _create_user},
        config.services_path.removeprefix("/api/"): {"GET": _services},
        config.ticket_types_path.removeprefix("/api/"): {"GET": _ticket_types},
    }
    for event in EVENTS:
        routes[f"PowerAutomate/Create{event}Trigger"] = {"POST": partial(_subscribe, event)}
    return {key.lower(): (key, methods) for key, methods in routes.items()}


def _message(status: int, message: str, **headers: str) -> Response:
    return JSONResponse({"Message": message}, status_code=status, headers=headers or None)


async def _answer(
    sandbox: Sandbox, request: Request, found: tuple[str, dict[str, Handler]] | None, arg: str
) -> Response:
    if not sandbox.authorized(request.headers.get("authorization", "")):
        message = sandbox.config.unauthorized_message
        return _message(401, message, **{"WWW-Authenticate": 'Basic realm="Requestor"'})
    if found is None:
        uri = str(request.url)
        return _message(404, f"No HTTP resource was found that matches the request URI '{uri}'.")
    key, methods = found
    handler = methods.get(request.method)
    if handler is None:
        message = f"The requested resource does not support http method '{request.method}'."
        return _message(405, message, Allow=", ".join(methods))

    async def answer() -> Response:
        try:
            return await handler(sandbox, request, arg)
        except Invalid as bad:
            return JSONResponse(model_state(bad.errors), status_code=400)

    return await sandbox.kit.gate(
        key, request.method, answer, lambda status: {"Message": FAULT_MESSAGE}
    )


def _created(answer: str, entity: dict[str, Any]) -> Response:
    """An action's answer in its `…_answer` setting [?]."""
    if answer == "empty":
        return Response(status_code=204)
    return JSONResponse(entity["Id"] if answer == "id" else entity)


async def _new_ticket(sandbox: Sandbox, request: Request, _: str) -> Response:
    state = sandbox.state
    fields = ticket_fields(state, parse_object(await request.body()))
    ticket = changes.create_ticket(state, fields)
    return _created(sandbox.config.new_ticket_answer, state.ticket_json(ticket))


async def _create_user(sandbox: Sandbox, request: Request, _: str) -> Response:
    state = sandbox.state
    user = changes.create_user(state, user_fields(state, parse_object(await request.body())))
    return _created(sandbox.config.create_user_answer, state.user_json(user))


def _listing(table: dict[int, str]) -> Response:
    return JSONResponse([{"Id": i, "Name": name} for i, name in table.items()])


async def _services(sandbox: Sandbox, request: Request, _: str) -> Response:
    return _listing(sandbox.state.services)


async def _ticket_types(sandbox: Sandbox, request: Request, _: str) -> Response:
    return _listing(sandbox.state.ticket_types)


async def _subscribe(event: str, sandbox: Sandbox, request: Request, _: str) -> Response:
    config, state = sandbox.config, sandbox.state
    body = parse_object(await request.body())
    url = body.get("CallbackUrl")
    if url is None or (isinstance(url, str) and not url.strip()):
        raise Invalid.of("CallbackUrl", "The CallbackUrl field is required.")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise Invalid.of("CallbackUrl", "The CallbackUrl field is not a valid absolute URL.")
    subscription_id = state.new_id("subscription")
    state.subscriptions[subscription_id] = {
        "Id": subscription_id,
        "Event": event,
        "CallbackUrl": url,
        "CreatedDate": iso(state.now_ms()),
    }
    location = config.delete_trigger_location.replace("{id}", str(subscription_id))
    if config.absolute_location:
        location = str(request.base_url).rstrip("/") + location
    headers = {"Location": location}
    if config.create_trigger_body == "empty":
        return Response(status_code=201, headers=headers)
    return JSONResponse({"Id": subscription_id}, status_code=201, headers=headers)


async def _unsubscribe(sandbox: Sandbox, request: Request, trigger_id: str) -> Response:
    subscriptions = sandbox.state.subscriptions
    key = int(trigger_id) if trigger_id.isdigit() else None
    if key not in subscriptions:
        return Response(status_code=404)
    del subscriptions[key]
    return Response(status_code=sandbox.config.delete_trigger_status)
