"""Webhook subscriptions (VENDORS.md §4.4): the eleven `Create{Event}Trigger` calls [C], the
201 with a Location [C] and DELETE on it."""

from __future__ import annotations

import pytest

from deskbridge.sandbox.requestor import EVENTS

# [C] the connector readme's triggers
README_TRIGGERS = [
    "TicketCreated",
    "UserCreated",
    "TicketMonitoring",
    "TicketStateChange",
    "TicketCategoryChange",
    "TicketCustomFormChange",
    "UserUpdated",
    "UserDeleted",
    "CompanyCreated",
    "CompanyUpdated",
    "CompanyDeleted",
]


def test_the_eleven_events():
    assert list(EVENTS) == README_TRIGGERS


@pytest.mark.parametrize("event", README_TRIGGERS)
async def test_subscribe_201_location_then_delete(rq, receiver, event):
    """[C] 201 + Location; ASSUMPTION [I]/[?]: the Location's path, the {"Id"} body, 200."""
    created = await rq.subscribe(event, receiver.hook(event))
    assert created.status_code == 201
    location = created.headers["location"]
    subscription_id = created.json()["Id"]
    assert location == f"/api/PowerAutomate/DeleteTrigger/{subscription_id}"
    listed = (await rq.control.get("subscriptions")).json()
    assert [(s["Id"], s["Event"], s["CallbackUrl"]) for s in listed] == [
        (subscription_id, event, receiver.hook(event))
    ]
    assert rq.state.subscriptions[subscription_id]["Event"] == event
    deleted = await rq.raw.delete(location, auth=rq.api.auth)
    assert deleted.status_code == 200 and deleted.content == b""
    assert rq.state.subscriptions == {}
    assert (await rq.control.get("subscriptions")).json() == []
    again = await rq.raw.delete(location, auth=rq.api.auth)
    assert again.status_code == 404


async def test_subscriptions_are_independent(rq, receiver):
    first = await rq.subscribe("TicketCreated", receiver.hook("a"))
    second = await rq.subscribe("TicketCreated", receiver.hook("b"))
    third = await rq.subscribe("UserCreated", receiver.hook("a"))
    ids = [r.json()["Id"] for r in (first, second, third)]
    assert len(set(ids)) == 3
    assert len({r.headers["location"] for r in (first, second, third)}) == 3
    await rq.raw.delete(second.headers["location"], auth=rq.api.auth)
    assert sorted(rq.state.subscriptions) == [ids[0], ids[2]]
    assert (await rq.control.get("health")).json()["subscriptions"] == 2


async def test_subscribe_needs_an_absolute_callback_url(rq):
    for body in ({}, {"CallbackUrl": ""}, {"CallbackUrl": None}):
        response = await rq.api.post("PowerAutomate/CreateTicketCreatedTrigger", json=body)
        assert response.status_code == 400
        assert response.json()["ModelState"] == {
            "CallbackUrl": ["The CallbackUrl field is required."]
        }
    for url in ("/relative/path", "ftp://example.com/x", 42):
        response = await rq.api.post(
            "PowerAutomate/CreateTicketCreatedTrigger", json={"CallbackUrl": url}
        )
        assert response.status_code == 400 and "CallbackUrl" in response.json()["ModelState"]
    assert rq.state.subscriptions == {}


async def test_delete_needs_auth_and_a_known_id(rq, receiver):
    created = await rq.subscribe("TicketCreated", receiver.hook("t"))
    location = created.headers["location"]
    assert (await rq.raw.delete(location)).status_code == 401
    assert len(rq.state.subscriptions) == 1
    assert (await rq.api.delete("PowerAutomate/DeleteTrigger/999")).status_code == 404
    assert (await rq.api.delete("PowerAutomate/DeleteTrigger/abc")).status_code == 404
    assert (await rq.api.delete("powerautomate/deletetrigger/1")).status_code == 200


async def test_absolute_location_setting(start, receiver):
    """ASSUMPTION [?]: the Location may be an absolute URL."""
    rq = await start(absolute_location=True)
    created = await rq.subscribe("CompanyCreated", receiver.hook("c"))
    location = created.headers["location"]
    assert location == f"{rq.url}/api/PowerAutomate/DeleteTrigger/{created.json()['Id']}"
    async with type(rq.api)(auth=rq.api.auth) as client:  # DELETE exactly what was given
        assert (await client.delete(location)).status_code == 200
        assert (await client.delete(location)).status_code == 404
    assert rq.state.subscriptions == {}


async def test_location_template_body_and_delete_status_settings(start, receiver):
    """ASSUMPTION [I]/[?]: where DeleteTrigger lives, the body and its status are settings."""
    rq = await start(
        delete_trigger_location="/api/PowerAutomate/Triggers/{id}/Delete",
        create_trigger_body="empty",
        delete_trigger_status=204,
    )
    created = await rq.subscribe("UserDeleted", receiver.hook("u"))
    assert created.status_code == 201 and created.content == b""
    (subscription_id,) = rq.state.subscriptions
    location = created.headers["location"]
    assert location == f"/api/PowerAutomate/Triggers/{subscription_id}/Delete"
    default_path = await rq.api.delete(f"PowerAutomate/DeleteTrigger/{subscription_id}")
    assert default_path.status_code == 404
    deleted = await rq.raw.delete(location, auth=rq.api.auth)
    assert deleted.status_code == 204
    assert rq.state.subscriptions == {}
    keys = [(r["method"], r["key"]) for r in (await rq.control.get("requests")).json()]
    assert keys[-1] == ("DELETE", "PowerAutomate/DeleteTrigger")
