"""The sandbox answers as real instances do (VENDORS.md §1.6), and every fact no source records
is a setting of `Instance`, each setting exercised here over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.sandbox.invgate.state import OPEN_STATUSES, Instance

FINAL = {5, 6, 7, 8}


async def _ids(http: httpx.AsyncClient, key: str, params) -> list[int]:
    body = (await http.get(key, params=params)).json()
    assert body["status"] == "OK", body
    return body["requestIds"]


async def test_the_ids_family_returns_open_requests_only(http, state):
    """§1.6: by.status / by.view / by.helpdesk give ids of open requests only [O, three sources]."""
    statuses = {r["status_id"] for r in state.requests.values()}
    assert statuses & FINAL and statuses & OPEN_STATUSES  # the seed has both kinds
    every_status = [("status_ids[]", s) for s in range(1, 9)]
    by_status = await _ids(http, "incidents.by.status", every_status)
    assert set(by_status) == {
        i for i, r in state.requests.items() if r["status_id"] in OPEN_STATUSES
    }
    assert await _ids(http, "incidents.by.status", {"status_id": 6}) == []
    desk = next(r["assigned_group_id"] for r in state.requests.values() if r["assigned_group_id"])
    by_desk = await _ids(http, "incidents.by.helpdesk", {"helpdesk_id": desk})
    assert by_desk and all(state.requests[i]["status_id"] in OPEN_STATUSES for i in by_desk)
    by_view = await _ids(http, "incidents.by.view", {"view_id": 1})  # the view holds all
    assert set(by_view) == set(by_status)
    by_sentiment = await _ids(http, "incidents.by.sentiment", {"sentiment_id": "negative"})
    assert all(state.requests[i]["status_id"] in OPEN_STATUSES for i in by_sentiment)


async def test_incidents_by_ids_answers_any_status_keyed_by_id(http, state):
    closed = [i for i, r in state.requests.items() if r["status_id"] in FINAL][:3]
    body = (await http.get("incidents", params=[("ids[]", i) for i in closed])).json()
    assert sorted(body) == sorted(str(i) for i in closed)


@pytest.mark.parametrize("open_only", [False, True])
async def test_person_lists_follow_their_setting(open_only):
    """[?] Whether by.customer / by.agent leave closed requests out is not recorded."""
    config = SandboxConfig(
        request_count=60, seed=5, instance=Instance(person_lists_open_only=open_only)
    )
    running = await start_sandbox(config)
    try:
        state = running.app.state.sandbox.state
        customer = next(r["user_id"] for r in state.requests.values() if r["status_id"] in FINAL)
        async with httpx.AsyncClient(
            base_url=running.url + "/api/v1/", auth=("api", "sandbox-token")
        ) as http:
            body = (
                await http.get("incidents.by.customer", params={"id": customer, "limit": 100})
            ).json()
        got = {int(i) for i in (body["requests"] or {})}
        mine = {i for i, r in state.requests.items() if r["user_id"] == customer}
        open_mine = {i for i in mine if state.requests[i]["status_id"] in OPEN_STATUSES}
        assert got == (open_mine if open_only else mine)
    finally:
        await running.stop()


@pytest.mark.parametrize("status", [404, 405, 400])
async def test_an_unserved_endpoint_answers_as_configured(status):
    instance = Instance(unknown_endpoint_status=status, unserved=frozenset({"incidents.by.view"}))
    running = await start_sandbox(SandboxConfig(request_count=5, instance=instance))
    try:
        async with httpx.AsyncClient(
            base_url=running.url + "/api/v1/", auth=("api", "sandbox-token")
        ) as http:
            assert (
                await http.get("incidents.by.view", params={"view_id": 1})
            ).status_code == status
            assert (await http.get("no.such.key")).status_code == status
            assert (await http.post("sd.version")).status_code == 405  # served, wrong method
            assert (await http.get("incident")).status_code == 428  # served, no id
    finally:
        await running.stop()


async def test_reference_data_is_the_instances_own():
    instance = Instance(
        statuses={**Instance().statuses, 5: "Resolved", 9: "Pending vendor"},
        open_statuses=frozenset({1, 2, 3, 4, 9}),
    )
    running = await start_sandbox(SandboxConfig(request_count=80, seed=2, instance=instance))
    try:
        state = running.app.state.sandbox.state
        async with httpx.AsyncClient(
            base_url=running.url + "/api/v1/", auth=("api", "sandbox-token")
        ) as http:
            rows = (await http.get("incident.attributes.status")).json()
            by_status = await _ids(http, "incidents.by.status", [("status_ids[]", 9)])
        assert {r["id"]: r["name"] for r in rows}[5] == "Resolved"
        custom = {i for i, r in state.requests.items() if r["status_id"] == 9}
        assert custom and set(by_status) == custom  # a custom status is an open one
    finally:
        await running.stop()


@pytest.mark.parametrize("answer", ["404", "error", "empty"])
async def test_a_missing_request_is_answered_as_configured(answer):
    instance = Instance(missing_incident=answer, missing_request_text="Solicitud no encontrada")
    running = await start_sandbox(SandboxConfig(request_count=5, instance=instance))
    try:
        async with httpx.AsyncClient(
            base_url=running.url + "/api/v1/", auth=("api", "sandbox-token")
        ) as http:
            response = await http.get("incident", params={"id": 999_999})
        expected = {
            "404": (404, {"error": "Solicitud no encontrada", "status": 404}),
            "error": (200, "ERROR"),
            "empty": (200, []),
        }[answer]
        body = response.json()
        assert response.status_code == expected[0]
        assert (body.get("status") if answer == "error" else body) == expected[1]
    finally:
        await running.stop()
