"""Webhook deliveries to a real local receiver (VENDORS.md §4.4: "POST the event JSON to
CallbackUrl when the event happens"). The payload shape, headers and retries are not
recorded [?]: every test of them is an ASSUMPTION about the sandbox's defaults."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from deskbridge.sandbox.requestor import SandboxConfig, start_sandbox

HEADER = "x-requestor-delivery"


async def test_new_ticket_fires_ticket_created_and_monitoring_only(rq, receiver):
    """ASSUMPTION [I]: the payload is the ticket entity itself, as NewTicket answers it."""
    for event in ("TicketCreated", "TicketMonitoring", "UserCreated", "TicketStateChange"):
        assert (await rq.subscribe(event, receiver.hook(event))).status_code == 201
    ticket = (await rq.new_ticket()).json()
    (created,) = await receiver.wait(1, "TicketCreated")
    (monitored,) = await receiver.wait(1, "TicketMonitoring")
    await rq.idle()
    assert receiver.at("UserCreated") == [] and receiver.at("TicketStateChange") == []
    assert created["json"] == ticket and monitored["json"] == ticket
    assert created["headers"]["content-type"] == "application/json"
    ids = {created["headers"][HEADER], monitored["headers"][HEADER]}
    assert len(ids) == 2 and all(uuid.UUID(i) for i in ids)


async def test_create_user_fires_user_created(rq, receiver):
    await rq.subscribe("UserCreated", receiver.hook("user"))
    await rq.subscribe("CompanyCreated", receiver.hook("company"))
    user = (await rq.create_user(FirstName="Nina", CustomerNames=["Initech Ltd"])).json()
    (call,) = await receiver.wait(1, "user")
    assert call["json"] == user
    assert call["json"]["UserName"] == "newbie" and call["json"]["CustomerNames"] == ["Initech Ltd"]
    await rq.idle()
    assert receiver.at("company") == []  # an existing company: nothing created


async def test_a_user_with_a_new_company_fires_company_created_first(start, receiver):
    rq = await start(unknown_customer="create")
    await rq.subscribe("CompanyCreated", receiver.hook("company"))
    await rq.subscribe("UserCreated", receiver.hook("user"))
    await rq.create_user(CustomerNames=["Umbrella Corp"])
    (company,) = await receiver.wait(1, "company")
    (user,) = await receiver.wait(1, "user")
    assert set(company["json"]) == {"Id", "Name", "IsDeleted", "ModifiedDate"}
    assert company["json"]["Name"] == "Umbrella Corp" and company["json"]["IsDeleted"] is False
    assert user["json"]["CustomerNames"] == ["Umbrella Corp"]


async def test_a_failed_delivery_is_retried_with_the_same_id(rq, receiver):
    """ASSUMPTION [?]: 5 attempts, backoff 0.2 s doubling, the id header on each retry."""
    receiver.fail("t", 500, 500)
    await rq.subscribe("TicketCreated", receiver.hook("t"))
    await rq.new_ticket()
    calls = await receiver.wait(3, "t")
    await rq.idle()
    assert len(receiver.at("t")) == 3
    assert len({c["headers"][HEADER] for c in calls}) == 1
    assert calls[0]["json"] == calls[2]["json"]
    assert calls[1]["time"] - calls[0]["time"] >= 0.18
    assert calls[2]["time"] - calls[1]["time"] >= 0.38
    (entry,) = (await rq.control.get("deliveries")).json()
    assert entry["id"] == calls[0]["headers"][HEADER]
    assert [a["status"] for a in entry["attempts"]] == [500, 500, 200]
    assert [a["attempt"] for a in entry["attempts"]] == [1, 2, 3]
    assert entry["attempts"][0]["error"] == "HTTP 500 Internal Server Error"
    assert entry["attempts"][2]["error"] is None
    assert entry["outcome"] == "delivered"
    assert entry["sent"] == entry["attempts"][0]["sent"]


async def test_a_delivery_gives_up_after_the_attempts(start, receiver):
    rq = await start(delivery_attempts=3, delivery_backoff_seconds=0.01)
    receiver.fail("t", 503, 503, 503, 503)
    await rq.subscribe("TicketCreated", receiver.hook("t"))
    await rq.new_ticket()
    await receiver.wait(3, "t")
    await rq.idle()
    assert len(receiver.at("t")) == 3
    (entry,) = rq.deliveries
    assert entry["outcome"] == "failed"
    assert [a["status"] for a in entry["attempts"]] == [503, 503, 503]


async def test_no_answer_and_timeouts_are_failed_attempts(start, receiver):
    rq = await start(
        delivery_attempts=2, delivery_backoff_seconds=0.01, delivery_timeout_seconds=0.2
    )
    receiver.delays["slow"] = 0.5
    await rq.subscribe("TicketCreated", "http://127.0.0.1:9/nothing-listens")
    await rq.subscribe("TicketCreated", receiver.hook("slow"))
    await rq.new_ticket()
    await rq.idle()
    refused, slow = rq.deliveries
    assert refused["outcome"] == slow["outcome"] == "failed"
    assert [a["status"] for a in refused["attempts"]] == [None, None]
    assert refused["attempts"][0]["error"].startswith("ConnectError")
    assert [a["status"] for a in slow["attempts"]] == [None, None]
    assert "Timeout" in slow["attempts"][0]["error"]
    assert len(receiver.at("slow")) == 2


async def test_no_delivery_after_delete(rq, receiver):
    created = await rq.subscribe("TicketCreated", receiver.hook("t"))
    kept = await rq.subscribe("TicketCreated", receiver.hook("kept"))
    assert (await rq.raw.delete(created.headers["location"], auth=rq.api.auth)).status_code == 200
    await rq.new_ticket()
    await receiver.wait(1, "kept")
    await rq.idle()
    assert receiver.at("t") == []
    assert [d["subscription"] for d in rq.deliveries] == [kept.json()["Id"]]


async def test_delete_stops_the_retries_of_a_delivery(rq, receiver):
    receiver.fail("t", 500, 500, 500, 500, 500)
    created = await rq.subscribe("TicketCreated", receiver.hook("t"))
    await rq.new_ticket()
    await receiver.wait(1, "t")
    await rq.raw.delete(created.headers["location"], auth=rq.api.auth)
    await rq.idle()
    assert len(receiver.at("t")) == 1
    (entry,) = rq.deliveries
    assert entry["outcome"] == "cancelled" and len(entry["attempts"]) == 1


async def test_one_subscription_gets_its_deliveries_in_order(start, receiver):
    rq = await start(delivery_backoff_seconds=0.05)
    receiver.fail("t", 500)  # the first delivery needs a retry; the others wait for it
    await rq.subscribe("TicketCreated", receiver.hook("t"))
    for subject in ("one", "two", "three"):
        assert (await rq.new_ticket(Subject=subject)).status_code == 200
    calls = await receiver.wait(4, "t")
    assert [c["json"]["Subject"] for c in calls] == ["one", "one", "two", "three"]


async def test_the_delivery_log(rq, receiver):
    sub = (await rq.subscribe("TicketCreated", receiver.hook("t"))).json()["Id"]
    ticket = (await rq.new_ticket()).json()
    await rq.idle()
    (entry,) = (await rq.control.get("deliveries")).json()
    assert set(entry) == {
        "id",
        "subscription",
        "event",
        "url",
        "entity_id",
        "created",
        "sent",
        "outcome",
        "attempts",
    }
    assert (entry["subscription"], entry["event"], entry["url"]) == (
        sub,
        "TicketCreated",
        receiver.hook("t"),
    )
    assert entry["entity_id"] == ticket["Id"] and entry["outcome"] == "delivered"
    assert entry["created"] <= entry["sent"]
    assert set(entry["attempts"][0]) == {"attempt", "sent", "status", "error"}
    assert (await rq.control.delete("deliveries")).json() == []
    assert (await rq.control.get("deliveries")).json() == []


async def test_payload_envelope_and_event_header_settings(start, receiver):
    """ASSUMPTION [?]: other payload styles and an event header are settings."""
    rq = await start(
        payload_template="envelope", event_header="X-Requestor-Event", delivery_id_header="X-Id"
    )
    await rq.subscribe("TicketCreated", receiver.hook("t"))
    ticket = (await rq.new_ticket()).json()
    (call,) = await receiver.wait(1, "t")
    body = call["json"]
    assert set(body) == {"Event", "Entity", "DeliveryId", "Timestamp"}
    assert body["Event"] == "TicketCreated" and body["Entity"] == ticket
    assert body["DeliveryId"] == call["headers"]["x-id"]
    assert call["headers"]["x-requestor-event"] == "TicketCreated"
    assert HEADER not in call["headers"]


async def test_payload_template_callable(start, receiver):
    rq = await start(payload_template=lambda event, entity: {"kind": event, "id": entity["Id"]})
    await rq.subscribe("UserCreated", receiver.hook("u"))
    await rq.create_user()
    (call,) = await receiver.wait(1, "u")
    assert call["json"] == {"kind": "UserCreated", "id": 7}


async def test_stop_cancels_pending_deliveries(receiver):
    handle = await start_sandbox(SandboxConfig())
    receiver.fail("t", 500, 500, 500, 500, 500)
    async with httpx.AsyncClient(base_url=handle.url, auth=("deskbridge", "sandbox-password")) as c:
        body = {"CallbackUrl": receiver.hook("t")}
        assert (await c.post("/api/PowerAutomate/CreateTicketCreatedTrigger", json=body)).is_success
        ticket = {"Type": 1, "ServiceId": 1, "Subject": "s", "Message": "m", "SubmitterEmail": "e"}
        assert (await c.post("/api/Tickets/NewTicket", json=ticket)).status_code == 200
    await receiver.wait(1, "t")
    sandbox = handle.app.state.sandbox
    assert sandbox.deliveries.pending == 1
    await handle.stop()
    assert sandbox.deliveries.pending == 0
    assert sandbox.deliveries.log[0]["outcome"] == "cancelled"
    await asyncio.sleep(0.4)  # past the second attempt's 0.2 s backoff
    assert len(receiver.at("t")) == 1
