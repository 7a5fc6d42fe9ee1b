"""InvGate authentication: HTTP Basic (every instance) or OAuth2 client credentials.

OAuth2 scopes are per endpoint and method (`api.v1.incident:post`), so the token is requested
with the scopes configured for the backend; it is cached until shortly before it expires and
fetched again once when the API answers 401.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from deskbridge.runtime.settings import Secret
from deskbridge.runtime.tokens import CachedToken, Token
from deskbridge.runtime.upstream import BasicAuth, UpstreamAuth

DEFAULT_TOKEN_PATH = "/oauth/v2.0/access_token"


def client_credentials(
    token_path: str, client_id: Secret, client_secret: Secret, scopes: str = ""
) -> CachedToken:
    """OAuth2 client-credentials grant, as a cached single-flight bearer token."""

    async def fetch(base_url: str) -> Token:
        # Once an hour at most: the general-purpose client is fine off the hot path.
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(
                httpx.URL(base_url).join(token_path),
                data={
                    "grant_type": "client_credentials",
                    "client_id": client_id.reveal(),
                    "client_secret": client_secret.reveal(),
                    "scope": scopes,
                },
            )
        if response.status_code != 200:
            return Token("rejected", 5)  # the API call will answer 401 → credentials error
        body = response.json()
        return Token(str(body["access_token"]), float(body.get("expires_in", 3600)))

    return CachedToken(fetch)


def auth_from_credentials(
    credentials: Mapping[str, Secret], options: Mapping[str, object]
) -> UpstreamAuth:
    """Basic auth from `username`/`password`, or OAuth2 from `client_id`/`client_secret`."""
    if "client_id" in credentials:
        return client_credentials(
            str(options.get("token_path", DEFAULT_TOKEN_PATH)),
            credentials["client_id"],
            credentials["client_secret"],
            str(options.get("scopes", "")),
        )
    return BasicAuth.of(credentials["username"].reveal(), credentials["password"].reveal())
