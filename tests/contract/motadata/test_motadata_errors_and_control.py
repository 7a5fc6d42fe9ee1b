"""Error bodies in both styles, 405/404 routing, faults, the request log, reset, health."""

from __future__ import annotations

import time

import pytest

from deskbridge.sandbox.motadata import SandboxConfig


async def test_spring_error_bodies_by_default(md):
    before = md.state.now_ms()
    response = await md.api.post("request", json={"requesterEmail": "a@b.com"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"timestamp", "status", "error", "message", "path"}
    assert body["status"] == 400 and body["error"] == "Bad Request"
    assert body["path"] == "/api/v1/request"
    assert "subject" in body["message"]
    assert isinstance(body["timestamp"], int) and body["timestamp"] >= before
    missing = (await md.api.get("request/999")).json()
    assert (missing["status"], missing["error"]) == (404, "Not Found")


async def test_flat_error_bodies(start):
    md = await start(error_style="flat")
    bad = await md.api.post("request", json={"subject": "s"})
    assert bad.status_code == 400
    assert bad.json() == {"userMessage": "requesterEmail is required", "errorCode": "BAD_REQUEST"}
    missing = await md.api.get("request/999")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "NOT_FOUND"
    wrong = await md.api.put("request/1", json={})
    assert wrong.status_code == 405 and wrong.json()["errorCode"] == "METHOD_NOT_ALLOWED"
    await md.control.put("faults", json={"fail_next": [{"key": "request", "method": "GET"}]})
    fault = await md.api.get("request/1")
    assert fault.status_code == 503
    assert fault.json() == {"userMessage": "Injected fault", "errorCode": "SERVICE_UNAVAILABLE"}


async def test_other_methods_are_405_and_unserved_paths_404(md):
    for method, path in (
        ("PUT", "request/1"),
        ("GET", "request/search/byqual"),
        ("GET", "request"),
    ):
        response = await md.api.request(method, path)
        assert response.status_code == 405, (method, path)
        assert response.json()["status"] == 405
        assert response.headers["allow"]
    assert (await md.api.get("request/1/conversation/2/extra")).status_code == 404
    assert (await md.api.get("change/1")).status_code == 404


async def test_a_scripted_503_on_request_get(md):
    scripted = {"fail_next": [{"key": "request", "method": "GET", "status": 503, "count": 2}]}
    put = await md.control.put("faults", json=scripted)
    assert put.status_code == 200
    assert put.json()["fail_next"][0]["count"] == 2
    for _ in range(2):
        response = await md.api.get("request/1")
        assert response.status_code == 503
        assert response.json()["message"] == "Injected fault"
        assert response.json()["path"] == "/api/v1/request/1"
    patched = await md.api.patch("request/1", json={"priorityName": "High"})  # other method
    assert patched.status_code == 200
    search = await md.search(None)  # other key
    assert search.status_code == 200
    assert (await md.api.get("request/1")).status_code == 200  # used up
    assert (await md.control.get("faults")).json()["fail_next"][0]["count"] == 0


async def test_a_fault_after_the_write_applies_it(md):
    fault = {"key": "request", "method": "POST", "status": 502, "when": "after"}
    await md.control.put("faults", json={"fail_next": [fault]})
    response = await md.api.post("request", json={"subject": "half", "requesterEmail": "a@b.com"})
    assert response.status_code == 502
    assert [r["subject"] for r in md.state.requests.values()].count("half") == 1


async def test_token_and_search_fault_keys(md):
    faults = [
        {"key": "token", "method": "POST", "status": 503, "retry_after": 3},
        {"key": "request.search", "method": "POST", "status": 429, "retry_after": 1},
        {"key": "request.conversation", "method": "GET", "status": 500},
    ]
    await md.control.put("faults", json={"fail_next": faults})
    token = await md.token()
    assert token.status_code == 503 and token.headers["retry-after"] == "3"
    assert md.state.tokens_issued == 0
    assert (await md.search(None)).status_code == 429
    assert (await md.api.get("request/1/conversation")).status_code == 500
    assert (await md.token()).status_code == 200


async def test_latency(md):
    await md.control.put("faults", json={"latency_ms": 150})
    started = time.monotonic()
    assert (await md.api.get("request/1")).status_code == 200
    assert time.monotonic() - started >= 0.15
    await md.control.put("faults", json={})
    started = time.monotonic()
    await md.api.get("request/1")
    assert time.monotonic() - started < 0.15


async def test_bad_fault_settings_are_400(md):
    response = await md.control.put("faults", json={"fail_next": [{"key": "x", "when": "soon"}]})
    assert response.status_code == 400


async def test_the_request_log(md):
    await md.control.delete("requests")
    await md.token()
    await md.api.get("request/3")
    await md.search(None, offset=5, size=2)
    await md.api.get("request/999")
    await md.raw.get("/api/v1/request/1")  # no auth
    log = (await md.control.get("requests")).json()
    got = [(e["method"], e["key"], e["status"]) for e in log]
    assert got == [
        ("POST", "token", 200),
        ("GET", "request", 200),
        ("POST", "request.search", 200),
        ("GET", "request", 404),
        ("GET", "request", 401),
    ]
    assert "offset=5" in log[2]["query"] and "size=2" in log[2]["query"]
    assert (await md.control.delete("requests")).json() == []


async def test_reset_restores_the_seeded_data(md):
    token = (await md.token()).json()["access_token"]
    await md.api.delete("request/1")
    await md.api.post("requester", json={"email": "new@example.com"})
    await md.api.post("request", json={"subject": "extra", "requesterEmail": "a@b.com"})
    assert (await md.control.get("health")).json()["requests"] == 40
    subject = md.state.requests[2]["subject"]
    assert (await md.control.post("reset")).json() == {"status": "OK"}
    assert (await md.control.get("requests")).json() == []
    health = (await md.control.get("health")).json()
    assert health == {
        "status": "OK",
        "requests": 40,
        "requesters": 12,
        "technicians": 5,
        "tokens_issued": 0,
    }
    assert (await md.api.get("request/1")).status_code == 200
    assert md.state.requests[2]["subject"] == subject
    assert 41 not in md.state.requests
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await md.raw.get("/api/v1/request/1", headers=bearer)).status_code == 200


@pytest.mark.parametrize(
    "setting",
    [
        {"error_style": "xml"},
        {"unknown_requester": "ignore"},
        {"delete_answer": "id"},
        {"conversation_list_shape": "dict"},
        {"time_zone": "Mars/Olympus"},
        {"max_page_size": 0},
    ],
)
def test_settings_are_checked(setting):
    with pytest.raises(ValueError):
        SandboxConfig(**setting)
