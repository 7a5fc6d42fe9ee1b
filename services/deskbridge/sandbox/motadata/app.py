"""The Motadata ServiceOps sandbox HTTP app: `/api/oauth/token`, `/api/v1/...` and the
control API (VENDORS.md §2).

Every /api/v1 call: auth (auth.py; 401 in OAuth2 style), the fault gate and the request
log (sandbox/common/kit.py), then the endpoint (endpoints.py). A path the API does not
serve is a 404, a served path with another method a 405; bad bodies or parameters are 400
and absent records 404. Those bodies and the injected faults' are in the `error_style`
[?]: "spring" `{timestamp (ms), status, error, message, path}` or "flat" `{userMessage,
errorCode}`.

Fault keys (`ScriptedFault.key`, with the HTTP method): `token` (POST /api/oauth/token),
`request` (POST /request, GET|PATCH|DELETE /request/{id}), `request.search` (POST
/request/search/byqual), `request.conversation` (GET|POST /request/{id}/conversation,
PATCH /request/{id}/conversation/{cid}), `requester` (POST /requester, GET|PATCH
/requester/{id}), `requester.search`, `technician` (GET /technician/{id}),
`technician.search`. The request log uses the same keys (`unknown` for unserved paths).

Control API (no auth): `GET|PUT /_sandbox/faults`, `GET|DELETE /_sandbox/requests`,
`POST /_sandbox/reset` (fresh seeded data and an empty log; issued tokens stay valid),
`GET /_sandbox/health` (record counts, tokens issued).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskbridge.sandbox.common.kit import SandboxKit, control_routes
from deskbridge.sandbox.motadata import auth
from deskbridge.sandbox.motadata.config import SandboxConfig
from deskbridge.sandbox.motadata.endpoints import Call, route
from deskbridge.sandbox.motadata.quals import QualError
from deskbridge.sandbox.motadata.records import Absent, Invalid
from deskbridge.sandbox.motadata.state import REQUESTER, TECHNICIAN, MotadataState, seeded_state

API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@dataclass
class Sandbox:
    """The running instance: its config, state, faults and request log."""

    config: SandboxConfig
    state: MotadataState
    kit: SandboxKit

    def error(self, status: int, message: str, path: str) -> dict[str, Any]:
        """An /api/v1 error body in the instance's `error_style` [?]."""
        http = HTTPStatus(status)
        if self.config.error_style == "flat":
            return {"userMessage": message, "errorCode": http.name}
        return {
            "timestamp": self.state.now_ms(),
            "status": status,
            "error": http.phrase,
            "message": message,
            "path": path,
        }

    def error_response(self, status: int, message: str, path: str, **headers: str) -> Response:
        return JSONResponse(self.error(status, message, path), status_code=status, headers=headers)

    def reset(self) -> None:
        """Fresh seeded data; the tokens issued so far stay valid [I]."""
        old = self.state
        self.state = seeded_state(self.config, clock=old.clock)
        self.state.tokens, self.state.refresh_tokens = old.tokens, old.refresh_tokens

    def health(self) -> dict[str, Any]:
        kinds = list(self.state.user_kind.values())
        return {
            "requests": len(self.state.requests),
            "requesters": kinds.count(REQUESTER),
            "technicians": kinds.count(TECHNICIAN),
            "tokens_issued": self.state.tokens_issued,
        }


def create_app(config: SandboxConfig | None = None) -> Starlette:
    config = config or SandboxConfig()
    sandbox = Sandbox(config, seeded_state(config), SandboxKit(faults=config.faults))

    async def api(request: Request) -> Response:
        found = route(request.path_params["path"])
        key = found[0] if found else "unknown"
        return await sandbox.kit.logged(request, key, lambda: _api_answer(sandbox, request, found))

    async def token(request: Request) -> Response:
        return await sandbox.kit.logged(request, "token", lambda: _token_answer(sandbox, request))

    app = Starlette(
        routes=[
            Route("/api/oauth/token", token, methods=API_METHODS),
            Route("/api/v1/{path:path}", api, methods=API_METHODS),
            *control_routes(sandbox.kit, reset=sandbox.reset, health=sandbox.health),
        ]
    )
    app.state.sandbox = sandbox
    return app


async def _token_answer(sandbox: Sandbox, request: Request) -> Response:
    if request.method != "POST":
        body = {
            "error": "method_not_allowed",
            "error_description": f"Request method '{request.method}' not supported",
        }
        return JSONResponse(body, status_code=405, headers={"Allow": "POST"})

    async def answer() -> Response:
        form = await auth.read_form(request)
        status, body = auth.grant(sandbox.state, request.headers.get("authorization", ""), form)
        return JSONResponse(body, status_code=status)

    path = request.url.path
    return await sandbox.kit.gate(
        "token", "POST", answer, lambda status: sandbox.error(status, "Injected fault", path)
    )


async def _api_answer(sandbox: Sandbox, request: Request, found: Any) -> Response:
    path, method = request.url.path, request.method
    refused = auth.refusal(sandbox.state, request.headers.get("authorization", ""))
    if refused is not None:
        return JSONResponse(refused, status_code=401)
    if found is None:
        return sandbox.error_response(404, "Not Found", path)
    key, endpoints, ids = found
    endpoint = endpoints.get(method)
    if endpoint is None:
        message = f"Request method '{method}' not supported"
        return sandbox.error_response(405, message, path, Allow=", ".join(endpoints))

    async def answer() -> Response:
        try:
            call = Call(sandbox.state, ids, request.query_params, await _json(request))
            result = endpoint(call)
        except (Invalid, QualError) as bad:
            return sandbox.error_response(400, str(bad), path)
        except Absent as missing:
            return sandbox.error_response(404, str(missing), path)
        return result if isinstance(result, Response) else JSONResponse(result)

    return await sandbox.kit.gate(
        key, method, answer, lambda status: sandbox.error(status, "Injected fault", path)
    )


async def _json(request: Request) -> Any:
    """The JSON body, or None when there is none."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("Malformed JSON request") from None
