"""Auth (VENDORS.md §3.3): token login, Web API key, release, idle and absolute expiry."""

from __future__ import annotations

import asyncio
import base64
import json
import re

HEX32 = re.compile(r"^[0-9A-F]{32}$")


async def test_login_answers_a_32_hex_token_in_the_envelope(crm):
    response = await crm.login()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == crm.OK
    assert set(body["data"]) == {"token"}
    token = body["data"]["token"]
    assert HEX32.match(token)
    assert crm.state.tokens_issued == 1
    got = await crm.get(
        "service_requests/show", token, service_request_identifier={"number": "SR00000275"}
    )
    assert got.json()["data"]["number"] == "SR00000275"


async def test_bad_credentials_are_an_error_envelope(crm):
    for changes in ({"password": "wrong"}, {"username": "other"}, {"organisation": "ACME"}):
        response = await crm.login(**changes)
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        assert body["status"]["code"] == "ERROR"
        assert "Invalid" in body["status"]["message"]
    missing = await crm.api.post("authentication/token", json={"username": "deskbridge"})
    assert missing.json()["status"]["message"] == "password is mandatory"
    assert crm.state.tokens_issued == 0
    assert crm.state.token_requests == 4


async def test_login_with_a_unit_acts_in_that_unit(crm):
    branch = crm.find("units", name="Limassol Branch")
    token = (await crm.login(unit=branch["id"])).json()["data"]["token"]
    created = await crm.post(
        "service_requests/create",
        token,
        type_identifier={"name": "Billing Enquiry"},
        accounts_receivable_identifier={"number": "AR000002"},
        status_identifier={"name": "Open"},
        category_identifier={"name": "Billing"},
        urgency_level="URGENCY1",
        impact_level="IMPACT1",
    )
    log = created.json()["data"]["log_information"]
    assert log["created_by_unit"]["id"] == branch["id"]
    assert log["created_by_unit"]["name"] == "Limassol Branch"
    assert log["created_by_user"]["username"] == "deskbridge"
    bad = (await crm.login(unit="NOSUCHUNIT")).json()
    assert bad["status"]["code"] == "ERROR" and bad["status"]["message"] == "unit not found"


async def test_web_api_key_is_the_basic_user_with_an_empty_password(crm):
    basic = base64.b64encode(f"{crm.WEB_API_KEY}:".encode()).decode()
    response = await crm.api.post(
        "authentication/web_api_key/token", headers={"Authorization": f"Basic {basic}"}
    )
    body = response.json()
    assert body["status"] == crm.OK
    token = body["data"]["token"]
    assert HEX32.match(token)
    shown = await crm.get("users/show", token, user_identifier={"username": "deskbridge"})
    assert shown.json()["status"] == crm.OK
    # with a unit in the body
    branch = crm.find("units", alternative_code="LB")
    response = await crm.api.post(
        "authentication/web_api_key/token",
        auth=(crm.WEB_API_KEY, ""),
        json={"unit": branch["id"]},
    )
    assert crm.state.tokens[response.json()["data"]["token"]].unit_id == branch["id"]
    assert crm.state.tokens_issued == 2


async def test_web_api_key_refusals(crm):
    cases = [
        ({"Authorization": "Basic " + base64.b64encode(b"wrong-key:").decode()}, "Invalid"),
        (
            {
                "Authorization": "Basic "
                + base64.b64encode(f"{crm.WEB_API_KEY}:x".encode()).decode()
            },
            "Invalid",
        ),
        ({}, "mandatory"),
        ({"Authorization": f"Bearer {crm.WEB_API_KEY}"}, "mandatory"),
    ]
    for headers, word in cases:
        body = (await crm.api.post("authentication/web_api_key/token", headers=headers)).json()
        assert body["data"] is None and body["status"]["code"] == "ERROR"
        assert word in body["status"]["message"]
    assert crm.state.tokens_issued == 0


async def test_release_stops_the_token(crm):
    token = (await crm.login()).json()["data"]["token"]
    released = await crm.api.post("authentication/token/release", json={"token": token})
    assert released.json() == {"status": crm.OK, "data": None}
    after = (await crm.get("users/list", token)).json()
    assert after["status"]["code"] == "INVALID_TOKEN"
    assert after["status"]["message"] == "The token is invalid or has expired"
    again = await crm.api.post("authentication/token/release", json={"token": token})
    assert again.json()["status"]["code"] == "INVALID_TOKEN"
    assert (await crm.get("users/list")).json()["status"] == crm.OK  # other tokens still work


async def test_missing_and_unknown_tokens(crm):
    for query in ({}, {"token": ""}, {"token": "0" * 32}):
        body = (await crm.api.get("users/list", params=query)).json()
        assert body == {
            "status": {
                "code": "INVALID_TOKEN",
                "message": "The token is invalid or has expired",
                "description": body["status"]["description"],
            },
            "data": None,
        }
    missing = (await crm.api.get("users/list")).json()
    assert missing["status"]["description"] == "token is mandatory"


async def test_post_takes_the_token_from_the_body_only(crm):
    response = await crm.api.post(
        "service_requests/update",
        params={"token": crm.token},
        json={"service_request_identifier": {"number": "SR00000251"}, "notes": "x"},
    )
    assert response.json()["status"]["code"] == "INVALID_TOKEN"
    ok = await crm.post(
        "service_requests/update", service_request_identifier={"number": "SR00000251"}, notes="x"
    )
    assert ok.json()["data"]["notes"] == "x"


async def test_idle_expiry_is_reset_by_each_use(start):
    crm = await start(token_idle_seconds=10, token_absolute_seconds=None)
    now = crm.state.clock()
    crm.state.clock = lambda: now
    token = (await crm.login()).json()["data"]["token"]
    for step in (9, 18, 27):  # each use within 10 s of the previous one
        crm.state.clock = lambda step=step: now + step
        assert (await crm.get("users/list", token)).json()["status"] == crm.OK
    crm.state.clock = lambda: now + 37  # 10 s idle
    expired = (await crm.get("users/list", token)).json()
    assert expired["status"]["code"] == "INVALID_TOKEN"
    assert "idle" in expired["status"]["description"]
    assert token not in crm.state.tokens


async def test_absolute_expiry_whatever_the_use(start):
    crm = await start(token_idle_seconds=10, token_absolute_seconds=25)
    now = crm.state.clock()
    crm.state.clock = lambda: now
    token = (await crm.login()).json()["data"]["token"]
    for step in (8, 16, 24):
        crm.state.clock = lambda step=step: now + step
        assert (await crm.get("users/list", token)).json()["status"] == crm.OK
    crm.state.clock = lambda: now + 25
    expired = (await crm.get("users/list", token)).json()
    assert expired["status"]["code"] == "INVALID_TOKEN"
    assert "issued too long ago" in expired["status"]["description"]


async def test_default_lifetimes_are_one_hour_idle_two_hours_absolute(crm):
    now = crm.state.clock()
    crm.state.clock = lambda: now
    token = (await crm.login()).json()["data"]["token"]
    crm.state.clock = lambda: now + 3599
    assert (await crm.get("users/list", token)).json()["status"] == crm.OK
    crm.state.clock = lambda: now + 7198
    assert (await crm.get("users/list", token)).json()["status"] == crm.OK
    crm.state.clock = lambda: now + 7200
    assert (await crm.get("users/list", token)).json()["status"]["code"] == "INVALID_TOKEN"


async def test_expiry_in_real_time(start):
    crm = await start(token_idle_seconds=0.3)
    token = (await crm.login()).json()["data"]["token"]
    assert (await crm.get("users/list", token)).json()["status"] == crm.OK
    await asyncio.sleep(0.35)
    assert (await crm.get("users/list", token)).json()["status"]["code"] == "INVALID_TOKEN"


async def test_jwt_tokens(start):
    crm = await start(jwt_tokens=True)
    token = (await crm.login()).json()["data"]["token"]
    assert len(token) > 32
    head, claims, signature = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["typ"] == "JWT"
    payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert payload["sub"] == "deskbridge"
    assert payload["organisation"] == "CRMDEMO"
    assert payload["exp"] - payload["iat"] == 7200
    assert signature
    assert (await crm.get("users/list", token)).json()["status"] == crm.OK


async def test_auth_error_code_setting(start):
    crm = await start(auth_error_code="TOKEN_EXPIRED", error_http_status=401)
    response = await crm.get("users/list", "F" * 32)
    assert response.status_code == 401
    assert response.json()["status"]["code"] == "TOKEN_EXPIRED"


async def test_concurrent_logins_each_count(crm):
    answers = await asyncio.gather(*(crm.login() for _ in range(3)))
    tokens = {a.json()["data"]["token"] for a in answers}
    assert len(tokens) == 3
    assert crm.state.tokens_issued == 3
    assert crm.LOGIN["organisation"] == "CRMDEMO"
