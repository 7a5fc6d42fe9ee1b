"""The sandbox behaves like a real InvGate instance (VENDORS.md §1.3, §1.5-§1.7)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest


async def test_basic_auth_is_required(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.url) as anonymous:
        response = await anonymous.get("/api/v1/incident", params={"id": 1000})
        assert response.status_code == 401
        assert response.json() == {"error": "Unauthorized", "status": 401}
        wrong = await anonymous.get("/api/v1/sd.version", auth=("api", "nope"))
        assert wrong.status_code == 401


@pytest.mark.parametrize("encoding", ["brackets", "indexed", "repeated"])
async def test_php_array_encodings_are_all_accepted(http, state, encoding):
    ids = sorted(state.requests)[:2]
    params = {
        "brackets": [("ids[]", i) for i in ids],
        "indexed": [(f"ids[{n}]", i) for n, i in enumerate(ids)],
        "repeated": [("ids", i) for i in ids],
    }[encoding]
    body = (await http.get("incidents", params=params)).json()
    assert sorted(body) == [str(i) for i in ids]  # an object keyed by id


async def test_comma_string_for_an_array_is_428(http):
    response = await http.get("incidents", params={"ids": "1000,1001"})
    assert response.status_code == 428
    assert response.json()["status"] == 428 and "invalid" in response.json()["error"]


async def test_missing_required_and_wrong_name_are_428(http):
    assert (await http.get("incident")).status_code == 428
    assert (await http.get("incident.comment", params={"id": 1000})).status_code == 428
    assert (await http.get("incidents", params={"ids[]": 1000, "page": 1})).status_code == 428


@pytest.mark.parametrize("style", ["form", "json", "query"])
async def test_writes_accept_form_json_and_query_parameters(http, state, style):
    fields = {"request_id": 1000, "author_id": 2, "comment": "<p>hi</p>", "customer_visible": 0}
    before = len(state.comments[1000])
    if style == "form":
        response = await http.post("incident.comment", data=fields)
    elif style == "json":
        response = await http.post("incident.comment", json=fields)
    else:
        response = await http.post("incident.comment", params=fields)
    assert response.json()["status"] == "OK"
    added = state.comments[1000][before]
    assert added["message"] == "<p>hi</p>" and added["customer_visible"] is False


async def test_logic_errors_are_http_200_with_status_error(http):
    response = await http.get("incidents.by.status")
    assert response.status_code == 200 and response.json()["status"] == "ERROR"
    helpdesk = await http.get("incidents.by.helpdesk", params={"id": "x"})
    assert helpdesk.json()["info"] == "None of the provided helpdesk_ids is an INTEGER."


async def test_unknown_key_404_and_wrong_method_405(http):
    assert (await http.get("no.such.endpoint")).status_code == 404
    assert (await http.delete("incident", params={"id": 1000})).status_code == 405


async def test_observed_shapes(http, state):
    single = (await http.get("incident", params={"id": 1000})).json()
    assert isinstance(single, dict) and single["id"] == 1000
    assert isinstance(single["last_update"], int)  # epoch ints by default
    categories = (await http.get("categories")).json()
    assert all(isinstance(c["id"], str) for c in categories)  # ids as strings
    nobody = (await http.get("incidents.by.customer", params={"id": 9})).json()
    assert nobody["requests"] == [] and nobody["next_page_key"] is None  # [] not {}
    embedded = (await http.get("incident", params={"id": 1000, "comments": 1})).json()
    endpoint = (await http.get("incident.comment", params={"request_id": 1000})).json()
    if endpoint:
        assert embedded["comments"][0]["customer_visible"] in (0, 1)
        assert isinstance(endpoint[0]["customer_visible"], bool)
        assert "attached_files" in endpoint[0]


async def test_by_status_is_ids_only_with_limit_offset_total(http, state):
    body = (await http.get("incidents.by.status", params={"status_id": 2})).json()
    assert body["limit"] is None and body["offset"] == 0
    assert body["total"] == sum(1 for r in state.requests.values() if r["status_id"] == 2)
    assert all(isinstance(i, int) for i in body["requestIds"])


async def test_keyset_pages_walk_everything_once(http, state):
    customer = max(
        {r["user_id"] for r in state.requests.values()},
        key=lambda u: sum(r["user_id"] == u for r in state.requests.values()),
    )
    seen, key = [], None
    while True:
        body = (
            await http.get(
                "incidents.by.customer", params={"id": customer, "limit": 1, "page_key": key}
            )
        ).json()
        seen += [int(i) for i in body["requests"]]
        key = body["next_page_key"]
        if key is None:
            break
        assert json.loads(base64.b64decode(key))["last_id"] == seen[-1]
    assert seen == sorted(i for i, r in state.requests.items() if r["user_id"] == customer)


async def test_page_number_pagination_on_categories(http, state):
    first = (await http.get("categories", params={"page": 1, "page_size": 3})).json()
    second = (await http.get("categories", params={"page": 2, "page_size": 3})).json()
    assert len(first) == 3 and {c["id"] for c in first}.isdisjoint({c["id"] for c in second})


async def test_iso8601_date_format(http):
    body = (await http.get("incident", params={"id": 1000, "date_format": "iso8601"})).json()
    assert "T" in body["created_at"] and body["created_at"].endswith("+00:00")


@pytest.mark.parametrize("strict", [False, True])
async def test_last_update_moves_on_every_change(strict):
    """Epoch seconds, never backwards: same-second changes may share one `last_update` (as on
    a real instance) unless `strictly_increasing_last_update` makes each change move it."""
    from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox

    config = SandboxConfig(request_count=30, seed=11, strictly_increasing_last_update=strict)
    running = await start_sandbox(config)
    state = running.app.state.sandbox.state
    try:
        async with httpx.AsyncClient(
            base_url=running.url + "/api/v1/", auth=("api", "sandbox-token")
        ) as http:
            comment = {"request_id": 1001, "author_id": 2, "comment": "a"}
            before = state.requests[1001]["last_update"]  # seeded: in the past
            await http.post("incident.comment", data=comment)
            middle = state.requests[1001]["last_update"]
            await http.post("incident.comment", data=comment)
            after = state.requests[1001]["last_update"]
    finally:
        await running.stop()
    assert before < middle
    assert middle < after if strict else middle <= after


async def test_lifecycle_rules(http, state):
    created = (
        await http.post(
            "incident",
            data={
                "creator_id": 101,
                "customer_id": 101,
                "category_id": 1,
                "priority_id": 2,
                "type_id": 1,
                "title": "x",
            },
        )
    ).json()
    identifier = created["request_id"]
    assert state.requests[identifier]["status_id"] == 1
    bad_accept = await http.put("incident.solution.accept", data={"id": identifier, "rating": 5})
    assert bad_accept.json()["status"] == "ERROR"  # nothing to accept yet
    await http.post(
        "incident.comment",
        data={"request_id": identifier, "author_id": 2, "comment": "fixed", "is_solution": 1},
    )
    assert state.requests[identifier]["status_id"] == 5
    await http.put("incident.solution.accept", data={"id": identifier, "rating": 4})
    assert state.requests[identifier]["status_id"] == 6
    assert state.requests[identifier]["closed_reason"] == 1
    cancel = await http.post("incident.cancel", data={"request_id": identifier, "author_id": 2})
    assert cancel.json()["status"] == "ERROR"  # closed requests cannot be cancelled


async def test_scripted_faults_and_request_log(sandbox, http):
    async with httpx.AsyncClient(base_url=sandbox.url) as control:
        await control.put(
            "/_sandbox/faults",
            json={
                "fail_next": [
                    {"key": "sd.version", "method": "GET", "status": 429, "retry_after": 3}
                ]
            },
        )
        limited = await http.get("sd.version")
        assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
        assert (await http.get("sd.version")).json() == {"version": "v8.15.13"}
        log = (await control.get("/_sandbox/requests")).json()
        assert [e["status"] for e in log if e["key"] == "sd.version"] == [429, 200]


async def test_oauth2_client_credentials(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.url) as anonymous:
        token = (
            await anonymous.post(
                "/oauth/v2.0/access_token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": "deskbridge",
                    "client_secret": "sandbox-secret",
                    "scope": "api.v1.sd.version:get",
                },
            )
        ).json()
        response = await anonymous.get(
            "/api/v1/sd.version", headers={"Authorization": f"Bearer {token['access_token']}"}
        )
        assert response.status_code == 200
        out_of_scope = await anonymous.get(
            "/api/v1/incident",
            params={"id": 1000},
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        assert out_of_scope.status_code == 403
        refused = await anonymous.post(
            "/oauth/v2.0/access_token",
            data={
                "grant_type": "client_credentials",
                "client_id": "deskbridge",
                "client_secret": "wrong",
            },
        )
        assert refused.status_code == 401


async def test_details_by_view_rows_are_view_formatted(http, state):
    body = (
        await http.get(
            "incidents.details.by.view",
            params={"view_id": 1, "sort_by": "last_update", "order_by": "desc"},
        )
    ).json()
    assert body["metadata"] and body["next_page_key"] is None
    row = body["data"][0]
    assert set(row) >= {"id", "request", "waiting_for", "priority", "last_update", "customer"}
    assert row["request"]["subject"] == state.requests[row["id"]]["title"]
    updates = [r["last_update"]["value"] for r in body["data"]]
    assert updates == sorted(updates, reverse=True)
    assert (await http.get("incidents.details.by.view")).status_code == 428
