"""HTTP Basic (VENDORS.md §4.2), routing errors, seeded data, faults, the request log, reset
and health."""

from __future__ import annotations

import asyncio
import base64

import httpx

from deskbridge.sandbox.requestor import SandboxConfig
from deskbridge.sandbox.requestor.seed import seeded_state

DENIED = {"Message": "Authorization has been denied for this request."}


async def test_every_api_call_needs_http_basic(rq):
    """[C] Basic auth; ASSUMPTION [?]/[I]: the 401 body is ASP.NET Web API's default."""
    calls = [
        ("GET", "/api/Services", None),
        ("POST", "/api/Tickets/NewTicket", rq.TICKET),
        ("POST", "/api/Account/CreateRequestorUser", rq.USER),
        ("POST", "/api/PowerAutomate/CreateTicketCreatedTrigger", {"CallbackUrl": "http://x/"}),
        ("DELETE", "/api/PowerAutomate/DeleteTrigger/1", None),
    ]
    for method, path, body in calls:
        response = await rq.raw.request(method, path, json=body)
        assert response.status_code == 401, (method, path)
        assert response.json() == DENIED
        assert response.headers["www-authenticate"].startswith("Basic")
    wrong = await rq.raw.get("/api/Services", auth=("deskbridge", "nope"))
    assert wrong.status_code == 401
    other_user = await rq.raw.get("/api/Services", auth=("jnovak", "sandbox-password"))
    assert other_user.status_code == 401
    bearer = await rq.raw.get("/api/Services", headers={"Authorization": "Bearer abc"})
    assert bearer.status_code == 401
    garbled = await rq.raw.get("/api/Services", headers={"Authorization": "Basic !!!"})
    assert garbled.status_code == 401
    assert len(rq.state.tickets) == 10 and rq.state.subscriptions == {}  # nothing written
    token = base64.b64encode(b"deskbridge:sandbox-password").decode()
    ok = await rq.raw.get("/api/Services", headers={"Authorization": f"Basic {token}"})
    assert ok.status_code == 200


async def test_credentials_are_settings(start):
    rq = await start(username="flow", password="s3cret", unauthorized_message="Denied.")
    assert (await rq.api.get("Services")).status_code == 401
    denied = await rq.raw.get("/api/Services", auth=("flow", "wrong"))
    assert denied.json() == {"Message": "Denied."}
    assert (await rq.raw.get("/api/Services", auth=("flow", "s3cret"))).status_code == 200


async def test_control_api_needs_no_auth(rq):
    async with httpx.AsyncClient(base_url=rq.url) as anonymous:
        assert (await anonymous.get("/_sandbox/health")).status_code == 200
        assert (await anonymous.get("/_sandbox/subscriptions")).json() == []
        assert (await anonymous.get("/_sandbox/deliveries")).json() == []
        assert (await anonymous.get("/_sandbox/operator/tickets/1")).status_code == 200


async def test_unserved_paths_404_and_other_methods_405(rq):
    """ASSUMPTION [I]: ASP.NET Web API's 404/405 texts; paths match case-insensitively."""
    missing = await rq.api.get("Tickets/1")
    assert missing.status_code == 404
    assert missing.json()["Message"].startswith("No HTTP resource was found")
    unknown_event = await rq.api.post(
        "PowerAutomate/CreateTicketDeletedTrigger", json={"CallbackUrl": "http://x/"}
    )
    assert unknown_event.status_code == 404
    wrong = await rq.api.get("Tickets/NewTicket")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert "'GET'" in wrong.json()["Message"]
    assert (await rq.api.post("Services")).status_code == 405
    assert (await rq.api.get("PowerAutomate/DeleteTrigger/1")).status_code == 405
    lower = await rq.api.post("tickets/newticket", json=rq.TICKET)
    assert lower.status_code == 200 and lower.json()["Id"] == 11
    keys = [(r["method"], r["key"], r["status"]) for r in (await rq.control.get("requests")).json()]
    assert keys == [
        ("GET", "unknown", 404),
        ("POST", "unknown", 404),
        ("GET", "Tickets/NewTicket", 405),
        ("POST", "Services", 405),
        ("GET", "PowerAutomate/DeleteTrigger", 405),
        ("POST", "Tickets/NewTicket", 200),
    ]


async def test_seeded_data_is_deterministic_from_the_seed(rq):
    state = rq.state
    assert list(state.services.values()) == ["IT Support", "Facilities", "HR Services"]
    assert len(state.ticket_types) == 3 and len(state.categories) == 4
    assert list(state.states.values()) == ["New", "In Progress", "Waiting", "Resolved", "Closed"]
    assert len(state.users) == 6 and len(state.companies) == 3 and len(state.tickets) == 10
    operators = [u for u in state.users.values() if "Operator" in u["Roles"]]
    assert len(operators) == 3 and state.users[1]["UserName"] == "deskbridge"
    again = seeded_state(rq.sandbox.config)
    assert [t["Subject"] for t in again.tickets.values()] == [
        t["Subject"] for t in state.tickets.values()
    ]
    other = seeded_state(SandboxConfig(seed=99))
    assert [t["Subject"] for t in other.tickets.values()] != [
        t["Subject"] for t in state.tickets.values()
    ]
    ticket = (await rq.control.get("operator/tickets/1")).json()
    assert ticket["CreatedDate"].endswith("Z") and ticket["CreatedDate"] < ticket["ModifiedDate"]
    unsolved = [t for t in state.tickets.values() if t["SolverUserProviderKey"] is None]
    assert all(state.states[t["StateId"]] == "New" for t in unsolved)


async def test_a_scripted_fault_hits_one_key_and_method(rq):
    fault = {"key": "Tickets/NewTicket", "method": "POST", "status": 503, "count": 2}
    put = await rq.control.put("faults", json={"fail_next": [fault]})
    assert put.status_code == 200
    for _ in range(2):
        response = await rq.new_ticket()
        assert response.status_code == 503
        assert response.json() == {"Message": "An error has occurred."}
    assert len(rq.state.tickets) == 10  # a fault "before" writes nothing
    assert (await rq.api.get("Services")).status_code == 200  # another key
    assert (await rq.new_ticket()).status_code == 200  # used up
    assert (await rq.control.get("faults")).json()["fail_next"][0]["count"] == 0


async def test_faults_on_subscribe_delete_and_user_keys(rq, receiver):
    faults = [
        {"key": "PowerAutomate/CreateUserCreatedTrigger", "method": "POST", "status": 500},
        {"key": "PowerAutomate/DeleteTrigger", "method": "DELETE", "status": 502},
        {"key": "Account/CreateRequestorUser", "method": "POST", "status": 429, "retry_after": 3},
    ]
    await rq.control.put("faults", json={"fail_next": faults})
    assert (await rq.subscribe("UserCreated", receiver.hook("u"))).status_code == 500
    assert rq.state.subscriptions == {}
    created = await rq.subscribe("UserCreated", receiver.hook("u"))
    assert created.status_code == 201
    location = created.headers["location"]
    assert (await rq.raw.delete(location, auth=rq.api.auth)).status_code == 502
    assert len(rq.state.subscriptions) == 1
    limited = await rq.create_user()
    assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    assert (await rq.raw.delete(location, auth=rq.api.auth)).status_code == 200


async def test_a_fault_after_the_write_applies_it_and_fires(rq, receiver):
    await rq.subscribe("TicketCreated", receiver.hook("t"))
    fault = {"key": "Tickets/NewTicket", "method": "POST", "status": 502, "when": "after"}
    await rq.control.put("faults", json={"fail_next": [fault]})
    assert (await rq.new_ticket(Subject="half")).status_code == 502
    assert [t["Subject"] for t in rq.state.tickets.values()].count("half") == 1
    (call,) = await receiver.wait(1, "t")
    assert call["json"]["Subject"] == "half"


async def test_reset_gives_fresh_state_and_stops_deliveries(rq, receiver):
    receiver.fail("t", 500, 500, 500, 500, 500)
    await rq.subscribe("TicketCreated", receiver.hook("t"))
    await rq.new_ticket()
    await receiver.wait(1, "t")
    health = (await rq.control.get("health")).json()
    assert health == {
        "status": "OK",
        "tickets": 11,
        "users": 6,
        "companies": 3,
        "subscriptions": 1,
        "deliveries_pending": 1,  # retrying after the first 500
    }
    assert (await rq.control.post("reset")).json() == {"status": "OK"}
    assert len(rq.state.tickets) == 10 and rq.state.subscriptions == {}
    assert (await rq.control.get("requests")).json() == []
    assert (await rq.control.get("deliveries")).json() == []
    after = (await rq.control.get("health")).json()
    assert (after["tickets"], after["subscriptions"], after["deliveries_pending"]) == (10, 0, 0)
    await asyncio.sleep(0.5)  # past the 0.2 s backoff of the second attempt
    assert len(receiver.at("t")) == 1
