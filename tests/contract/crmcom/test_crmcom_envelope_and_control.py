"""The envelope (VENDORS.md §3.4), routing, both error settings, faults, the request log,
reset and health."""

from __future__ import annotations

import pytest

from deskbridge.sandbox.crmcom import SandboxConfig


async def test_success_envelope_on_an_object_a_list_and_nothing(crm):
    shown = (
        await crm.get(
            "accounts_receivable/show", accounts_receivable_identifier={"number": "AR000001"}
        )
    ).json()
    assert shown["status"] == {"code": "OK", "message": None, "description": None}
    assert isinstance(shown["data"], dict) and shown["data"]["number"] == "AR000001"
    listed = (await crm.get("accounts_receivable/list")).json()
    assert listed["status"]["code"] == "OK" and isinstance(listed["data"], list)
    assert len(listed["data"]) == 5
    released = (
        await crm.api.post("authentication/token/release", json={"token": crm.token})
    ).json()
    assert released == {"status": crm.OK, "data": None}


async def test_error_envelope_by_default_is_http_200_code_error(crm):
    response = await crm.get(
        "service_requests/show", service_request_identifier={"number": "SR99999999"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {
        "status": {
            "code": "ERROR",
            "message": "service_request_identifier not found",
            "description": "No service request with number SR99999999",
        },
        "data": None,
    }


async def test_error_settings(start):
    crm = await start(error_http_status=400, error_code="FAILED")
    response = await crm.get("service_requests/show")
    assert response.status_code == 400
    body = response.json()
    assert body["status"]["code"] == "FAILED"
    assert body["status"]["message"] == "service_request_identifier is mandatory"
    assert body["data"] is None
    ok = await crm.get("service_requests/show", service_request_identifier={"number": "SR00000251"})
    assert ok.status_code == 200 and ok.json()["status"]["code"] == "OK"
    expired = await crm.get("users/list", "nope")
    assert expired.status_code == 400 and expired.json()["status"]["code"] == "INVALID_TOKEN"


async def test_unserved_methods_and_verbs(crm):
    missing = await crm.get("service_requests/delete")
    assert missing.status_code == 404
    assert missing.json()["status"]["code"] == "ERROR" and missing.json()["data"] is None
    assert (await crm.get("tickets/list")).status_code == 404
    for verb in ("PUT", "DELETE", "PATCH"):
        response = await crm.api.request(verb, "service_requests/show")
        assert response.status_code == 405, verb
        assert response.json()["status"]["code"] == "ERROR"
        assert response.headers["allow"] == "GET, POST"
    wrong = await crm.post(
        "service_requests/show", service_request_identifier={"number": "SR00000251"}
    )
    assert wrong.status_code == 405
    assert "GET" in wrong.json()["status"]["description"]
    assert (await crm.get("service_requests/create")).status_code == 405
    assert (await crm.api.get("authentication/token")).status_code == 405


async def test_a_post_body_must_be_a_json_object(crm):
    for content in (b"{not json", b"[1, 2]"):
        response = await crm.api.post(
            "service_requests/create", content=content, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 200
        assert response.json()["status"]["code"] == "ERROR"
        assert "JSON" in response.json()["status"]["message"]


async def test_a_scripted_fault_strikes_one_key_and_verb(crm):
    fault = {"key": "service_requests/show", "method": "GET", "status": 503, "count": 2}
    put = await crm.control.put("faults", json={"fail_next": [fault]})
    assert put.json()["fail_next"][0]["count"] == 2
    ident = {"service_request_identifier": {"number": "SR00000251"}}
    for _ in range(2):
        response = await crm.get("service_requests/show", **ident)
        assert response.status_code == 503
        assert response.json() == {
            "status": {"code": "ERROR", "message": "Injected fault", "description": "HTTP 503"},
            "data": None,
        }
    assert (
        await crm.get(
            "service_requests/list", accounts_receivable_identifier={"number": "AR000001"}
        )
    ).status_code == 200
    assert (await crm.get("service_requests/show", **ident)).status_code == 200
    assert (await crm.control.get("faults")).json()["fail_next"][0]["count"] == 0


async def test_a_fault_before_a_write_does_not_apply_it_and_after_does(crm):
    before = len(crm.state.requests)
    fault = {"key": "service_requests/create", "method": "POST", "status": 500}
    await crm.control.put("faults", json={"fail_next": [fault]})
    response = await crm.post("service_requests/create", **crm.create_body(description="one"))
    assert response.status_code == 500
    assert len(crm.state.requests) == before
    fault = {**fault, "status": 502, "when": "after"}
    await crm.control.put("faults", json={"fail_next": [fault]})
    response = await crm.post("service_requests/create", **crm.create_body(description="two"))
    assert response.status_code == 502
    assert [r["description"] for r in crm.state.requests.values()].count("two") == 1


async def test_faults_on_token_login_and_rate_limits(crm):
    faults = [
        {"key": "authentication/token", "method": "POST", "status": 503, "retry_after": 4},
        {"key": "service_requests/get_pending", "method": "GET", "status": 429, "retry_after": 1},
    ]
    await crm.control.put("faults", json={"fail_next": faults})
    login = await crm.login()
    assert login.status_code == 503 and login.headers["retry-after"] == "4"
    assert crm.state.tokens_issued == 0
    limited = await crm.get("service_requests/get_pending")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
    assert (await crm.login()).json()["status"]["code"] == "OK"


async def test_a_malformed_answer(crm):
    fault = {"key": "users/list", "method": "GET", "status": 200, "malformed": True}
    await crm.control.put("faults", json={"fail_next": [fault]})
    response = await crm.get("users/list")
    with pytest.raises(ValueError):
        response.json()


async def test_the_request_log(crm):
    await crm.login()
    await crm.get("service_requests/show", service_request_identifier={"number": "SR00000252"})
    await crm.post("service_requests/respond", service_request_identifier={"number": "X"})
    await crm.get("nothing/here")
    await crm.api.post("authentication/token/release", json={"token": crm.token})
    log = (await crm.control.get("requests")).json()
    got = [(e["method"], e["key"], e["status"]) for e in log]
    assert got == [
        ("POST", "authentication/token", 200),
        ("GET", "service_requests/show", 200),
        ("POST", "service_requests/respond", 200),
        ("GET", "unknown", 404),
        ("POST", "authentication/token/release", 200),
    ]
    assert "service_request_identifier=number%3DSR00000252" in log[1]["query"]
    assert (await crm.control.delete("requests")).json() == []


async def test_reset_restores_the_seeded_data_and_keeps_tokens(crm):
    token = (await crm.login()).json()["data"]["token"]
    await crm.create()
    await crm.post(
        "service_requests/update",
        service_request_identifier={"number": "SR00000251"},
        notes="changed",
    )
    health = (await crm.control.get("health")).json()
    assert health["service_requests"] == 31 and health["tokens_issued"] == 1
    assert (await crm.control.post("reset")).json() == {"status": "OK"}
    assert (await crm.control.get("requests")).json() == []
    assert (await crm.control.get("health")).json() == {
        "status": "OK",
        "service_requests": 30,
        "contacts": 8,
        "accounts": 5,
        "users": 3,
        "tokens_issued": 0,
    }
    shown = await crm.get(
        "service_requests/show", token, service_request_identifier={"number": "SR00000251"}
    )
    assert shown.json()["data"]["notes"] is None


def test_the_seed_is_deterministic():
    from deskbridge.sandbox.crmcom.seed import seeded_state

    one, two = seeded_state(SandboxConfig(seed=3)), seeded_state(SandboxConfig(seed=3))
    assert list(one.requests) == list(two.requests)
    assert [r["description"] for r in one.requests.values()] == [
        r["description"] for r in two.requests.values()
    ]
    other = seeded_state(SandboxConfig(seed=4))
    assert list(other.requests) != list(one.requests)


@pytest.mark.parametrize(
    "setting",
    [
        {"error_http_status": 42},
        {"error_code": "OK"},
        {"token_idle_seconds": 0},
        {"token_absolute_seconds": -1},
        {"list_page_size": 0},
        {"time_zone": "Mars/Olympus"},
        {"request_count": -1},
    ],
)
def test_settings_are_checked(setting):
    with pytest.raises(ValueError):
        SandboxConfig(**setting)
