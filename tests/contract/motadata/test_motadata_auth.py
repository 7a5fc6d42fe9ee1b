"""Auth (VENDORS.md §2.2): the password grant, bearer tokens, API keys, 401 shapes."""

from __future__ import annotations

import asyncio
import base64
import json

CLIENT = ("deskbridge", "sandbox-secret")
USER = {"username": "api@example.com", "password": "sandbox-password", "grant_type": "password"}


def claims_of(token: str) -> dict:
    parts = token.split(".")
    assert len(parts) == 3
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))


async def test_password_grant_with_a_urlencoded_body(md):
    response = await md.token()
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "other-api-scope"
    assert "refresh_token" not in body
    claims = claims_of(body["access_token"])
    assert claims["user_name"] == "api@example.com"
    assert claims["scope"] == ["other-api-scope"]
    assert claims["client_id"] == "deskbridge"
    assert claims["tenantIdentifier"] == "apolo"
    assert claims["jti"] == body["jti"]
    assert "login_source" in claims
    assert claims["exp"] - md.state.clock() > 3500
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await md.raw.get("/api/v1/request/1", headers=bearer)).status_code == 200


async def test_password_grant_with_a_multipart_body(md):
    # what the docs' `curl --form` sends
    files = {k: (None, v) for k, v in USER.items()}
    response = await md.raw.post("/api/oauth/token", auth=CLIENT, files=files)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    token = response.json()["access_token"]
    got = await md.raw.get("/api/v1/request/2", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200
    assert got.json()["id"] == 2


async def test_a_bad_client_is_401_invalid_client(md):
    for auth in (("deskbridge", "wrong"), ("other", "sandbox-secret")):
        response = await md.raw.post("/api/oauth/token", auth=auth, data=USER)
        assert response.status_code == 401
        assert response.json() == {
            "error": "invalid_client",
            "error_description": "Bad client credentials",
        }
    no_basic = await md.raw.post("/api/oauth/token", data=USER)
    assert no_basic.status_code == 401
    assert no_basic.json()["error"] == "invalid_client"


async def test_a_bad_user_password_or_grant_is_400_invalid_grant(md):
    bad = {"error": "invalid_grant", "error_description": "Bad credentials"}
    for form in ({"password": "nope"}, {"username": "x@example.com"}, {"grant_type": "client"}):
        response = await md.token(**form)
        assert response.status_code == 400, form
        assert response.json() == bad
    assert md.state.token_requests == 3
    assert md.state.tokens_issued == 0


async def test_tokens_are_counted(md):
    for _ in range(3):
        assert (await md.token()).status_code == 200
    assert md.state.tokens_issued == 3
    assert (await md.control.get("health")).json()["tokens_issued"] == 3


async def test_an_expired_token_is_401_invalid_token(start):
    md = await start(token_ttl_seconds=1)
    body = (await md.token()).json()
    assert body["expires_in"] == 1
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await md.raw.get("/api/v1/request/1", headers=bearer)).status_code == 200
    await asyncio.sleep(1.1)
    expired = await md.raw.get("/api/v1/request/1", headers=bearer)
    assert expired.status_code == 401
    assert expired.json() == {
        "error": "invalid_token",
        "error_description": f"Access token expired: {body['access_token']}",
    }


async def test_an_unknown_token_is_401_invalid_token(md):
    response = await md.raw.get("/api/v1/request/1", headers={"Authorization": "Bearer abc.def.g"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


async def test_refresh_tokens_when_the_instance_issues_them(start):
    md = await start(issue_refresh_token=True)
    first = (await md.token()).json()
    assert first["refresh_token"]
    refreshed = await md.raw.post(
        "/api/oauth/token",
        auth=CLIENT,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    assert refreshed.status_code == 200, refreshed.text
    second = refreshed.json()
    assert second["access_token"] != first["access_token"]
    assert claims_of(second["access_token"])["user_name"] == "api@example.com"
    bearer = {"Authorization": f"Bearer {second['access_token']}"}
    assert (await md.raw.get("/api/v1/request/1", headers=bearer)).status_code == 200
    unknown = await md.raw.post(
        "/api/oauth/token",
        auth=CLIENT,
        data={"grant_type": "refresh_token", "refresh_token": "nope"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "invalid_grant"


async def test_no_refresh_tokens_by_default(md):
    first = (await md.token()).json()
    assert "refresh_token" not in first
    refresh = await md.raw.post(
        "/api/oauth/token",
        auth=CLIENT,
        data={"grant_type": "refresh_token", "refresh_token": first["access_token"]},
    )
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "invalid_grant"


async def test_apikey_auth_compares_the_url_decoded_key(start):
    md = await start(api_key="k3y/with spaces+&=")
    encoded = "k3y%2Fwith%20spaces%2B%26%3D"
    good = await md.raw.get("/api/v1/request/1", headers={"Authorization": f"Apikey {encoded}"})
    assert good.status_code == 200
    wrong = await md.raw.get("/api/v1/request/1", headers={"Authorization": "Apikey k3y"})
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "unauthorized"


async def test_missing_or_other_auth_is_401_unauthorized(md):
    unauthorized = {
        "error": "unauthorized",
        "error_description": "Full authentication is required to access this resource",
    }
    for headers in ({}, {"Authorization": "Basic ZGVza2JyaWRnZTpzYW5kYm94LXNlY3JldA=="}):
        response = await md.raw.get("/api/v1/request/1", headers=headers)
        assert response.status_code == 401
        assert response.json() == unauthorized
    # auth comes before routing, as with Spring Security
    assert (await md.raw.get("/api/v1/nowhere")).status_code == 401
    assert (await md.raw.post("/api/v1/request", json={"subject": "x"})).status_code == 401
    assert len(md.state.requests) == 40


async def test_the_token_endpoint_takes_post_only(md):
    response = await md.raw.get("/api/oauth/token", auth=CLIENT)
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
