"""Motadata auth (VENDORS.md §2.2): the OAuth2 password grant and the two API schemes.

`POST /api/oauth/token`: HTTP Basic with the Rest Integration's client id and secret, a
multipart/form-data body [C: the docs' curl --form] or an urlencoded one [I] with `username`,
`password`, `grant_type=password`. It answers Spring Security OAuth2's JSON [C shape, I
rest]: a JWT-like `access_token` (claims user_name, scope, client_id, tenantIdentifier,
login_source, exp, jti [C docs examples]), `token_type` "bearer", `expires_in`, `scope`,
`jti`, and a `refresh_token` only with `issue_refresh_token` [?]. A bad client is 401
`invalid_client`, a bad user, password or grant 400 `invalid_grant`.

API calls carry `Authorization: Bearer <access_token>` (until it expires) or
`Authorization: Apikey <url-encoded key>` [C]; anything else is 401 (`invalid_token` for a
bearer token that expired or was never issued, `unauthorized` otherwise).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request

from deskbridge.sandbox.common.credentials import basic_credentials, jwt_token
from deskbridge.sandbox.motadata.state import MotadataState

SCOPE = "other-api-scope"  # [C] the claim in the docs' newer token example
TENANT = "apolo"  # [C] tenantIdentifier in every docs example

BAD_CLIENT = {"error": "invalid_client", "error_description": "Bad client credentials"}
BAD_GRANT = {"error": "invalid_grant", "error_description": "Bad credentials"}
UNAUTHORIZED = {
    "error": "unauthorized",
    "error_description": "Full authentication is required to access this resource",
}


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


async def read_form(request: Request) -> dict[str, str]:
    """The text fields of a multipart/form-data [C] or urlencoded [I] body; {} otherwise."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in FORMS:
        return {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _same(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())


def grant(state: MotadataState, authorization: str, form: dict[str, str]) -> tuple[int, Any]:
    """(HTTP status, JSON body) of a token request."""
    config = state.config
    state.token_requests += 1
    client = basic_credentials(authorization)
    if client is None or not (
        _same(client[0], config.client_id) & _same(client[1], config.client_secret)
    ):
        return 401, BAD_CLIENT
    kind = form.get("grant_type")
    if kind == "password":
        user, password = form.get("username", ""), form.get("password", "")
        if not (_same(user, config.username) & _same(password, config.password)):
            return 400, BAD_GRANT
        return 200, issue(state, config.username)
    if kind == "refresh_token" and config.issue_refresh_token:
        user, expires = state.refresh_tokens.get(form.get("refresh_token", ""), ("", 0.0))
        if expires <= state.clock():
            return 400, BAD_GRANT
        return 200, issue(state, user, refresh=form["refresh_token"])
    return 400, BAD_GRANT


def issue(state: MotadataState, user_name: str, refresh: str | None = None) -> dict[str, Any]:
    """A new access token for `user_name` (and a refresh token, if the instance issues them:
    a refresh grant keeps its refresh token [?])."""
    config = state.config
    now = state.clock()
    jti = str(uuid.uuid4())
    claims = {
        "user_name": user_name,
        "scope": [SCOPE],
        "client_id": config.client_id,
        "tenantIdentifier": TENANT,
        "login_source": config.token_login_source,
        "exp": int(now + config.token_ttl_seconds),
        "jti": jti,
    }
    token = jwt_token(claims)
    state.tokens[token] = now + config.token_ttl_seconds
    state.tokens_issued += 1
    answer: dict[str, Any] = {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": int(config.token_ttl_seconds),
        "scope": SCOPE,
        "jti": jti,
    }
    if config.issue_refresh_token:
        if refresh is None:
            refresh = jwt_token({"user_name": user_name, "ati": jti, "jti": str(uuid.uuid4())})
            state.refresh_tokens[refresh] = (user_name, now + config.refresh_token_ttl_seconds)
        answer["refresh_token"] = refresh
    return answer


def refusal(state: MotadataState, authorization: str) -> dict[str, str] | None:
    """None when an API call's Authorization header is good, else its 401 body."""
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        if state.tokens.get(value, 0.0) > state.clock():
            return None
        return {
            "error": "invalid_token",
            "error_description": f"Access token expired: {value}",
        }
    if scheme.lower() == "apikey" and value:
        if _same(unquote(value), state.config.api_key):
            return None
    return UNAUTHORIZED
