"""CRM.COM sessions (VENDORS.md §3.3): `authentication/token` with username, password,
organisation (and optionally unit), or `authentication/web_api_key/token` with the Web API key
as the HTTP Basic username and an empty password. A session expires after an hour idle (two
hours after issue from R12); the client logs in again when told (client.py), and
`authentication/token/release` ends it at shutdown.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

import httpx

from deskbridge.runtime.settings import Secret
from deskbridge.runtime.tokens import CachedToken, Token

LOGIN = "/crmapi/rest/v2/authentication/token"
KEY_LOGIN = "/crmapi/rest/v2/authentication/web_api_key/token"
RELEASE = "/crmapi/rest/v2/authentication/token/release"
SESSION_SECONDS = 3600.0  # the idle expiry; every use extends it, the client re-logs on refusal


def session(credentials: Mapping[str, Secret], options: Mapping[str, object]) -> CachedToken:
    unit = options.get("unit")
    if "web_api_key" in credentials:
        key = credentials["web_api_key"].reveal()
        path, headers, body = (
            KEY_LOGIN,
            {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()},
            {"unit": unit} if unit else {},
        )
    else:
        missing = [k for k in ("username", "password", "organisation") if k not in credentials]
        if missing:
            raise ValueError(
                "crmcom credentials: give web_api_key, or username, password and organisation "
                f"(missing: {', '.join(missing)})"
            )
        path, headers = LOGIN, {}
        body = {
            "username": credentials["username"].reveal(),
            "password": credentials["password"].reveal(),
            "organisation": credentials["organisation"].reveal(),
            **({"unit": unit} if unit else {}),
        }

    async def fetch(base_url: str) -> Token:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(httpx.URL(base_url).join(path), json=body, headers=headers)
        try:
            data = response.json().get("data") or {}
            token = str(data["token"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return Token("rejected", 5)  # the API refuses it → a credentials error
        return Token(token, SESSION_SECONDS)

    return CachedToken(fetch, margin=60.0, scheme="")


async def release(base_url: str, token: str | None) -> None:
    """End the session (best effort: at shutdown nothing else can be done)."""
    if not token or token == "rejected":
        return
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            await client.post(httpx.URL(base_url).join(RELEASE), json={"token": token})
    except httpx.HTTPError:
        pass
