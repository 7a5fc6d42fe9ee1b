"""Motadata authentication (VENDORS.md §2.2): the OAuth2 password grant or an API key.

The grant posts `username`, `password` and `grant_type=password` to `/api/oauth/token` with
the Rest Integration's client id and secret as HTTP Basic; the bearer token is cached and
fetched single-flight (runtime/tokens.py), before it expires and once after a 401. An API
Integration key goes as `Authorization: Apikey <url-encoded key>`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import quote

import httpx

from deskbridge.runtime.settings import Secret
from deskbridge.runtime.tokens import CachedToken, Token
from deskbridge.runtime.upstream import FixedAuth, UpstreamAuth

DEFAULT_TOKEN_PATH = "/api/oauth/token"


def password_grant(
    token_path: str, client_id: Secret, client_secret: Secret, username: Secret, password: Secret
) -> CachedToken:
    basic = base64.b64encode(f"{client_id.reveal()}:{client_secret.reveal()}".encode()).decode()

    async def fetch(base_url: str) -> Token:
        # Once per token lifetime: the general-purpose client is fine off the hot path.
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(
                httpx.URL(base_url).join(token_path),
                headers={"Authorization": f"Basic {basic}"},
                data={
                    "username": username.reveal(),
                    "password": password.reveal(),
                    "grant_type": "password",
                },
            )
        if response.status_code != 200:
            return Token("rejected", 5)  # the API call answers 401 → a credentials error
        body = response.json()
        return Token(str(body["access_token"]), float(body.get("expires_in") or 3600))

    return CachedToken(fetch)


def auth_from_credentials(
    credentials: Mapping[str, Secret], options: Mapping[str, object]
) -> UpstreamAuth:
    """`api_key`, or `client_id` + `client_secret` + `username` + `password`."""
    if "api_key" in credentials:
        return FixedAuth(f"Apikey {quote(credentials['api_key'].reveal(), safe='')}")
    missing = [
        k for k in ("client_id", "client_secret", "username", "password") if k not in credentials
    ]
    if missing:
        raise ValueError(
            "motadata credentials: give api_key, or client_id, client_secret, username and "
            f"password (missing: {', '.join(missing)})"
        )
    return password_grant(
        str(options.get("token_path", DEFAULT_TOKEN_PATH)),
        credentials["client_id"],
        credentials["client_secret"],
        credentials["username"],
        credentials["password"],
    )
