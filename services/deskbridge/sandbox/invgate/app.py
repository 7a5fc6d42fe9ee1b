"""The InvGate sandbox HTTP app: `/api/v1/{endpoint.key}` plus a control API.

Every API call: HTTP Basic auth (401 otherwise; VENDORS.md §1.2), optional OAuth2 bearer
tokens, fault injection, the request log, then the endpoint. Unknown keys answer
`Instance.unknown_endpoint_status` (404 by default; not recorded for real instances), known
keys with another method 405, bad parameters 428 `{"error": ..., "status": 428}`.
Control API (no auth, outside /api/v1): the shared routes of `sandbox/common/kit.py`
(faults keyed by endpoint key and method, the request log, reset, health), plus
`GET|PUT /_sandbox/automation` (the "Call web service" rules, automation.py) and
`GET|DELETE /_sandbox/automation/deliveries` (their delivery log).
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskbridge.sandbox.common.credentials import basic_credentials
from deskbridge.sandbox.common.faults import Faults
from deskbridge.sandbox.common.kit import SandboxKit, control_routes
from deskbridge.sandbox.invgate import approvals, directory, knowledge, users  # noqa: F401 (registers)
from deskbridge.sandbox.invgate.automation import Automation, RuleError
from deskbridge.sandbox.invgate.endpoints import ENDPOINTS, LogicError, NotFound, error
from deskbridge.sandbox.invgate.params import ParamError, Params
from deskbridge.sandbox.invgate.state import Instance, InvGateState, seeded_state


@dataclass
class SandboxConfig:
    username: str = "api"
    password: str = "sandbox-token"
    seed: int = 7
    request_count: int = 300
    faults: Faults = field(default_factory=Faults)
    oauth_client_id: str = "deskbridge"
    oauth_client_secret: str = "sandbox-secret"
    # Real InvGate stamps `last_update` in epoch seconds, so changes within one second share
    # it; True makes every change move it by at least one second (the old sandbox behaviour).
    strictly_increasing_last_update: bool = False
    instance: Instance = field(default_factory=Instance)


@dataclass
class Sandbox:
    """The running instance: config, state, faults, request log, issued tokens, automation."""

    config: SandboxConfig
    state: InvGateState
    kit: SandboxKit
    tokens: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict)
    automation: Automation = field(default_factory=Automation)

    def authorized(self, header: str, key: str, method: str) -> bool | None:
        """True, False (401), or None: a valid token without the endpoint's scope (403).

        OAuth2 scopes are per endpoint and method, `api.v1.<key>:<method>` (VENDORS.md §1.2).
        """
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic":
            given = basic_credentials(header)
            if given is None:
                return False
            user, password = given
            return secrets.compare_digest(user, self.config.username) and secrets.compare_digest(
                password, self.config.password
            )
        if scheme.lower() == "bearer":
            expires, scopes = self.tokens.get(value, (0.0, frozenset()))
            if expires <= time.monotonic():
                return False
            return True if f"api.v1.{key}:{method.lower()}" in scopes else None
        return False


def fresh_state(config: SandboxConfig) -> InvGateState:
    """The seeded demo instance: requests first, then each endpoint family's own data (the
    directory before the families that refer to it)."""
    state = seeded_state(config.seed, config.request_count, config.instance)
    rng = random.Random(config.seed)
    for family in (directory, knowledge, approvals):
        family.seed(state, rng)
    state.strictly_increasing_last_update = config.strictly_increasing_last_update
    return state


def create_app(config: SandboxConfig | None = None) -> Starlette:
    config = config or SandboxConfig()
    sandbox = Sandbox(config, fresh_state(config), SandboxKit(config.faults))
    sandbox.automation.attach(sandbox.state)  # after seeding: seeded data fires nothing

    async def api(request: Request) -> Response:
        key = request.path_params["key"]
        return await sandbox.kit.logged(
            request, key, lambda: _answer(sandbox, request, key, request.method)
        )

    async def token(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_id") != config.oauth_client_id
            or form.get("client_secret") != config.oauth_client_secret
        ):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        value = secrets.token_urlsafe(24)
        scopes = frozenset(form.get("scope", "").split())
        sandbox.tokens[value] = (time.monotonic() + 3600, scopes)
        return JSONResponse(
            {
                "access_token": value,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": form.get("scope", ""),
            }
        )

    def reset() -> None:
        sandbox.state = fresh_state(config)
        sandbox.automation.reset()
        sandbox.automation.attach(sandbox.state)

    async def automation(request: Request) -> Response:
        if request.method == "PUT":
            try:
                sandbox.automation.set_rules(await request.json())
            except ValueError as bad:  # RuleError, or a body that is not JSON
                message = str(bad) if isinstance(bad, RuleError) else "the body is not JSON"
                return JSONResponse({"error": message, "status": 400}, status_code=400)
        return JSONResponse(sandbox.automation.rules_json())

    async def deliveries(request: Request) -> Response:
        if request.method == "DELETE":
            sandbox.automation.deliveries.clear()
        return JSONResponse(sandbox.automation.deliveries)

    app = Starlette(
        routes=[
            Route("/api/v1/{key}", api, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            Route("/oauth/v2.0/access_token", token, methods=["POST"]),
            Route("/_sandbox/automation", automation, methods=["GET", "PUT"]),
            Route("/_sandbox/automation/deliveries", deliveries, methods=["GET", "DELETE"]),
            *control_routes(
                sandbox.kit,
                reset=reset,
                health=lambda: {"requests": len(sandbox.state.requests)},
            ),
        ]
    )
    app.state.sandbox = sandbox
    return app


async def _answer(sandbox: Sandbox, request: Request, key: str, method: str) -> Response:
    allowed = sandbox.authorized(request.headers.get("authorization", ""), key, method)
    if allowed is None:
        return JSONResponse({"error": "Forbidden: missing scope", "status": 403}, status_code=403)
    if not allowed:
        return JSONResponse({"error": "Unauthorized", "status": 401}, status_code=401)
    return await sandbox.kit.gate(
        key, method, lambda: _endpoint(sandbox, request, key, method), _fault_body
    )


def _fault_body(status: int) -> dict[str, Any]:
    return {"error": "Injected fault", "status": status}


async def _endpoint(sandbox: Sandbox, request: Request, key: str, method: str) -> Response:
    instance = sandbox.state.instance
    handler = None if key in instance.unserved else ENDPOINTS.get((key, method))
    if handler is None:
        if key not in instance.unserved and any(k == key for k, _ in ENDPOINTS):
            return JSONResponse({"error": "Method not allowed", "status": 405}, status_code=405)
        status = instance.unknown_endpoint_status
        return JSONResponse({"error": "not found", "status": status}, status_code=status)
    try:
        params = Params.parse(
            request.url.query, await request.body(), request.headers.get("content-type", "")
        )
        return JSONResponse(handler(sandbox.state, params))
    except ParamError as bad:
        return JSONResponse({"error": bad.message, "status": 428}, status_code=428)
    except NotFound as missing:
        return JSONResponse({"error": str(missing), "status": 404}, status_code=404)
    except LogicError as refused:
        return JSONResponse(error(str(refused)))
