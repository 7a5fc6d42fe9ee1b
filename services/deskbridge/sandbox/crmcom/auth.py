"""CRM.COM auth (VENDORS.md §3.3).

`POST authentication/token` {username, password, organisation, unit?} → data {token} [C].
`POST authentication/web_api_key/token`: the Web API key is the HTTP Basic user with an
empty password [C], optional `unit` in the JSON body; the token acts as the configured
username's user [?]. `POST authentication/token/release` {token} → OK and data null [I];
the token stops working [C]. A token is 32 upper-case hex digits, or with `jwt_tokens` a
JWT-shaped string longer than 32 characters [C]. It expires `token_idle_seconds` after its
last use and `token_absolute_seconds` after issue [C]; every call that presents a good
token is a use. `unit` is a unit id [C] (its name or alternative code too [I]); without it
the token acts in the first unit [I].

Wrong credentials are the instance's `error_code` [?]; a missing, unknown, released or
expired token is `auth_error_code` [?].
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from deskbridge.sandbox.common.credentials import basic_credentials, jwt_token
from deskbridge.sandbox.crmcom.errors import CrmError, TokenError
from deskbridge.sandbox.crmcom.state import Actor, CrmState, Token

BAD_TOKEN = "The token is invalid or has expired"


def _same(given: Any, expected: str) -> bool:
    return isinstance(given, str) and secrets.compare_digest(given.encode(), expected.encode())


def _unit(state: CrmState, raw: Any) -> dict[str, Any]:
    if raw is None:
        return state.default_unit()
    for unit in state.units.values():
        if raw in (unit["id"], unit["name"], unit["alternative_code"]):
            return unit
    raise CrmError("unit not found", f"No unit {raw!r} in this organisation")


def login(state: CrmState, params: Mapping[str, Any]) -> dict[str, Any]:
    """`authentication/token`."""
    state.token_requests += 1
    config = state.config
    for name in ("username", "password", "organisation"):
        if not params.get(name):
            raise CrmError(f"{name} is mandatory", f"Specify {name}")
    good = (
        _same(params["username"], config.username)
        & _same(params["password"], config.password)
        & _same(params["organisation"], config.organisation)
    )
    if not good:
        raise CrmError("Invalid username, password or organisation", "Authentication failed")
    return {"token": issue(state, state.api_user(), _unit(state, params.get("unit")))}


def web_api_key_login(
    state: CrmState, authorization: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """`authentication/web_api_key/token`."""
    state.token_requests += 1
    basic = basic_credentials(authorization)
    if basic is None:
        raise CrmError(
            "The Web API key is mandatory", "Send it as the HTTP Basic user, empty password"
        )
    key, password = basic
    if password:
        raise CrmError("Invalid Web API key", "The HTTP Basic password must be empty")
    if not _same(key, state.config.web_api_key):
        raise CrmError("Invalid Web API key", "Authentication failed")
    return {"token": issue(state, state.api_user(), _unit(state, params.get("unit")))}


def issue(state: CrmState, user: dict[str, Any], unit: dict[str, Any]) -> str:
    config = state.config
    now = state.now()
    if config.jwt_tokens:
        lifetime = config.token_absolute_seconds or config.token_idle_seconds
        token = jwt_token(
            {
                "sub": user["username"],
                "organisation": config.organisation,
                "unit": unit["id"],
                "iat": int(now),
                "exp": int(now + lifetime),
                "jti": str(uuid.uuid4()),
            }
        )
    else:
        token = secrets.token_hex(16).upper()
    state.tokens[token] = Token(user["id"], unit["id"], issued=now, last_used=now)
    state.tokens_issued += 1
    return token


def check(state: CrmState, params: Mapping[str, Any]) -> tuple[str, Actor]:
    """(the token, who the call acts as); a use of the token."""
    token = params.get("token")
    if not isinstance(token, str) or not token:
        raise TokenError(BAD_TOKEN, "token is mandatory")
    found = state.tokens.get(token)
    if found is None:
        raise TokenError(BAD_TOKEN, "Unknown or released token")
    config, now = state.config, state.now()
    idle = now - found.last_used >= config.token_idle_seconds
    absolute = config.token_absolute_seconds
    if idle or (absolute is not None and now - found.issued >= absolute):
        del state.tokens[token]
        reason = "idle for too long" if idle else "issued too long ago"
        raise TokenError(BAD_TOKEN, f"The token expired: {reason}")
    found.last_used = now
    return token, Actor(found.user_id, found.unit_id)


def release(state: CrmState, params: Mapping[str, Any]) -> None:
    """`authentication/token/release`."""
    token, _ = check(state, params)
    del state.tokens[token]
