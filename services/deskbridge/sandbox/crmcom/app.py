"""The CRM.COM sandbox HTTP app: `/crmapi/rest/v2/{resource}/{method}` and the control API
(VENDORS.md §3, the seed's service-request pages). Settings and their [I]/[?] tags are in
config.py.

Wire
----
GET: every parameter in the query, `token` too; identifiers flattened as
`service_request_identifier=number=SR00000275` [C]. POST: a JSON object with `token` beside
the parameters; identifiers nested, `{"service_request_identifier": {"number": "…"}}` [C]. A
POST's query and a GET's body are ignored [I]. Every answer is the envelope [C]:
`{"status": {"code": "OK", "message": null, "description": null}, "data": <object | array |
null>}`; an error is `{"status": {"code": <error_code>, "message", "description"}, "data":
null}` with HTTP `error_http_status` (200) [?], `code` "ERROR" [?], or `auth_error_code`
"INVALID_TOKEN" [?] with message "The token is invalid or has expired" for a missing,
unknown, released or expired token. A method the API does not have is HTTP 404, a verb other
than its own (or other than GET/POST) HTTP 405, both with the error envelope [I].
`fields_set=a,b` keeps exactly those top-level fields of each returned object [C/I].

Methods (fault and log key = the path after /v2/; `unknown` for an unserved one):
POST authentication/token, authentication/token/release, authentication/web_api_key/token
(auth.py); POST service_requests/create, update, respond, response_accept,
temporary_resolve, final_resolve; GET service_requests/show, list, get_pending,
get_close_to_estimated_completion_time, get_responded_pending_acceptance,
get_final_resolved, get_final_resolved_pending_acceptance, get_completed; GET
contact_information/show, list; accounts_receivable/show, list; users/show, list [I].

The life cycle
--------------
`life_cycle_state` is PENDING, RESPONDED, TEMPORARY_RESOLVED or FINAL_RESOLVED [seed's
wording, upper snake case [I]]: always the state of the request's status (each status maps
to one state [I]). Seeded statuses: Open, Awaiting Customer (PENDING); Responded
(RESPONDED); Temporary Resolved (TEMPORARY_RESOLVED); Resolved, Closed (FINAL_RESOLVED).

- create (status_identifier*, any status) → the status's state; response /
  temporary_resolution / final_resolution objects may come along, and the state's rules
  (below) must hold.
- respond (status_identifier* of a RESPONDED status, response* {category_identifier*, …}):
  PENDING or RESPONDED → RESPONDED [C]. A response whose category has
  `requires_customer_acceptance` (seeded: Proposed Solution, Site Visit Scheduled; not
  Acknowledged) is *pending acceptance* until accepted.
- response_accept (accepted_by_identifier* a contact): accepts such a response [C]; the
  state stays RESPONDED. Anything else (no response, a category without acceptance, already
  accepted) is an error. `response.accepted_by_identifier` on respond/update does the same.
- temporary_resolve (temporary_resolution* {category_identifier*,
  temporary_resolved_by_identifier*, temporary_resolution_date*, description,
  accepted_by_identifier}; no status [C]): RESPONDED or TEMPORARY_RESOLVED →
  TEMPORARY_RESOLVED, status "Temporary Resolved" unless it has a TEMPORARY_RESOLVED one. A
  temporary resolution is accepted by its `accepted_by_identifier` (here or on update).
- final_resolve (status_identifier* of a FINAL_RESOLVED status, final_resolution*
  {category_identifier*, final_resolved_by_identifier*, final_resolution_date*,
  description, accepted_by_identifier}): RESPONDED, TEMPORARY_RESOLVED or FINAL_RESOLVED
  (not completed) → FINAL_RESOLVED. Sent again, the object changes only what it names.
- update (service_request_identifier*; status_identifier is mandatory when
  temporary_resolution or final_resolution is given [seed]): any status → its state (also
  backwards, e.g. reopening to PENDING [I]), the objects merged, the rules checked.
- Rules of a state: RESPONDED needs a response; TEMPORARY_RESOLVED also a temporary
  resolution, FINAL_RESOLVED a final one. With `enforce_acceptance` [I] (default) a response
  pending acceptance blocks both resolved states, and an unaccepted temporary resolution
  blocks FINAL_RESOLVED. Acceptors must be the caller or related with it [I].
- **COMPLETED**: a FINAL_RESOLVED request whose final resolution is accepted, i.e.
  `final_resolution.accepted_by_identifier` given on final_resolve or on update (with a
  FINAL_RESOLVED status_identifier). It stays life_cycle_state FINAL_RESOLVED [seed: "which
  are completed" is not a state], with `final_resolution.accepted_by` set; with
  `completed_life_cycle_state` [?] it shows "COMPLETED". No method acts on it but update.

GET lists (identifiers optional [seed]: accounts_receivable_identifier, type_identifier,
caller_identifier, category_identifier; by number; everything, no paging [?]):
get_pending = PENDING; get_responded_pending_acceptance = RESPONDED with a response pending
acceptance; get_final_resolved = FINAL_RESOLVED (completed ones too, unless
`completed_life_cycle_state`); get_final_resolved_pending_acceptance = FINAL_RESOLVED, not
completed; get_completed = completed; get_close_to_estimated_completion_time (period*,
uot* MINUTES|HOURS|DAYS|WEEKS|MONTHS|YEARS; only the account and type filters [seed]) =
not FINAL_RESOLVED, expected_completion_date within [now, now + period] [I]. list takes
exactly one of accounts_receivable_identifier / caller_identifier [seed: semi-optional].

Control API (no auth): `GET|PUT /_sandbox/faults`, `GET|DELETE /_sandbox/requests`,
`POST /_sandbox/reset` (fresh seeded data, empty log; issued tokens stay valid [I]),
`GET /_sandbox/health` (record counts, tokens issued). Injected faults answer their HTTP
status with the error envelope, message "Injected fault".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskbridge.sandbox.common.kit import SandboxKit, control_routes
from deskbridge.sandbox.crmcom import auth
from deskbridge.sandbox.crmcom.config import SandboxConfig
from deskbridge.sandbox.crmcom.endpoints import AUTH_ROUTES, ROUTES, Call, answer
from deskbridge.sandbox.crmcom.errors import CrmError, NotServed
from deskbridge.sandbox.crmcom.identifiers import query_params
from deskbridge.sandbox.crmcom.seed import seeded_state
from deskbridge.sandbox.crmcom.state import CrmState

PREFIX = "/crmapi/rest/v2"
VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def envelope(data: Any) -> dict[str, Any]:
    return {"status": {"code": "OK", "message": None, "description": None}, "data": data}


@dataclass
class Sandbox:
    """The running instance: its config, state, faults and request log."""

    config: SandboxConfig
    state: CrmState
    kit: SandboxKit

    def error_body(self, code: str, message: str, description: str | None) -> dict[str, Any]:
        return {
            "status": {"code": code, "message": message, "description": description},
            "data": None,
        }

    def error_response(self, error: CrmError) -> Response:
        config = self.config
        code = config.auth_error_code if error.auth else config.error_code
        status = error.http_status or config.error_http_status
        body = self.error_body(code, error.message, error.description)
        headers = {"Allow": "GET, POST"} if status == 405 else None
        return JSONResponse(body, status_code=status, headers=headers)

    def fault_body(self, status: int) -> dict[str, Any]:
        return self.error_body(self.config.error_code, "Injected fault", f"HTTP {status}")

    def reset(self) -> None:
        """Fresh seeded data; the tokens issued so far stay valid [I]."""
        old = self.state
        self.state = seeded_state(self.config, clock=old.clock)
        self.state.tokens = old.tokens

    def health(self) -> dict[str, Any]:
        state = self.state
        return {
            "service_requests": len(state.requests),
            "contacts": len(state.contacts),
            "accounts": len(state.accounts),
            "users": len(state.users),
            "tokens_issued": state.tokens_issued,
        }


def create_app(config: SandboxConfig | None = None) -> Starlette:
    config = config or SandboxConfig()
    sandbox = Sandbox(config, seeded_state(config), SandboxKit(faults=config.faults))

    async def api(request: Request) -> Response:
        path = request.path_params["path"].strip("/")
        key = path if path in ROUTES or path in AUTH_ROUTES else "unknown"
        return await sandbox.kit.logged(request, key, lambda: _answer(sandbox, request, path))

    app = Starlette(
        routes=[
            Route(PREFIX + "/{path:path}", api, methods=VERBS),
            *control_routes(sandbox.kit, reset=sandbox.reset, health=sandbox.health),
        ]
    )
    app.state.sandbox = sandbox
    return app


def _verb(path: str, method: str) -> str:
    wanted = AUTH_ROUTES.get(path) or (ROUTES[path][0] if path in ROUTES else None)
    if wanted is None:
        raise NotServed(f"The method {path} does not exist", 404, "Unknown resource or method")
    if method != wanted:
        raise NotServed(f"Request method {method} is not supported", 405, f"Use {wanted}")
    return wanted


async def _params(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        return query_params(request.query_params)
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise CrmError("The request body is not valid JSON", "Send a JSON object") from None
    if not isinstance(body, dict):
        raise CrmError("The request body must be a JSON object", "Send a JSON object")
    return body


async def _answer(sandbox: Sandbox, request: Request, path: str) -> Response:
    state = sandbox.state
    try:
        verb = _verb(path, request.method)
        params = await _params(request)
        actor = None if path in AUTH_ROUTES else auth.check(state, params)[1]
    except CrmError as error:
        return sandbox.error_response(error)

    async def respond() -> Response:
        try:
            if path == "authentication/token":
                data = auth.login(state, params)
            elif path == "authentication/web_api_key/token":
                data = auth.web_api_key_login(
                    state, request.headers.get("authorization", ""), params
                )
            elif path == "authentication/token/release":
                data = auth.release(state, params)
            else:
                data = answer(Call(state, actor, params), ROUTES[path][1])
        except CrmError as error:
            return sandbox.error_response(error)
        return JSONResponse(envelope(data))

    return await sandbox.kit.gate(path, verb, respond, sandbox.fault_body)
