"""InvGate authentication: HTTP Basic (every instance) or OAuth2 client credentials.

OAuth2 scopes are per endpoint and method (`api.v1.incident:post`), so the token is requested
with the scopes configured for the backend; it is cached until shortly before it expires and
fetched again once when the API answers 401.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

import httpx

from deskbridge.runtime.settings import Secret
from deskbridge.runtime.upstream import BasicAuth, UpstreamAuth

DEFAULT_TOKEN_PATH = "/oauth/v2.0/access_token"


class ClientCredentials:
    """OAuth2 client-credentials grant with a cached bearer token."""

    refreshable = True

    def __init__(
        self, token_path: str, client_id: Secret, client_secret: Secret, scopes: str = ""
    ) -> None:
        self._token_path = token_path
        self._client_id = client_id
        self._client_secret = client_secret
        self._scopes = scopes
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def authorization(self, base_url: str, *, refresh: bool = False) -> str:
        async with self._lock:
            if refresh or self._token is None or time.monotonic() >= self._expires_at:
                await self._fetch(base_url)
            return f"Bearer {self._token}"

    async def _fetch(self, base_url: str) -> None:
        # Once an hour at most: the general-purpose client is fine off the hot path.
        url = httpx.URL(base_url).join(self._token_path)
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(
                url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self._client_id.reveal(),
                    "client_secret": self._client_secret.reveal(),
                    "scope": self._scopes,
                },
            )
        if response.status_code != 200:
            self._token = "rejected"  # the API call will answer 401 → credentials error
            self._expires_at = time.monotonic() + 5
            return
        body = response.json()
        self._token = body["access_token"]
        self._expires_at = time.monotonic() + max(30, int(body.get("expires_in", 3600)) - 30)


def auth_from_credentials(
    credentials: Mapping[str, Secret], options: Mapping[str, object]
) -> UpstreamAuth:
    """Basic auth from `username`/`password`, or OAuth2 from `client_id`/`client_secret`."""
    if "client_id" in credentials:
        return ClientCredentials(
            str(options.get("token_path", DEFAULT_TOKEN_PATH)),
            credentials["client_id"],
            credentials["client_secret"],
            str(options.get("scopes", "")),
        )
    return BasicAuth.of(credentials["username"].reveal(), credentials["password"].reveal())
