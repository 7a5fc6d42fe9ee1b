"""Changes made in InvGate itself reach DESKBRIDGE_EVENTS through the watcher (poll, webhook),
once each, with the ce-id the API path gives the same change."""

from __future__ import annotations

import asyncio
import time

import httpx
from e2e_support import creatable_ticket
from google.protobuf import field_mask_pb2
from watch_support import POLL, SECRET, decoded, duplicates, of, summary

from deskbridge.v1 import events_pb2
from deskbridge.v1 import identity_pb2 as i
from deskbridge.v1 import tickets_pb2 as t

NEW_TICKET = dict(creator_id=100, customer_id=100, category_id=1, priority_id=2, type_id=1)


async def vendor_ticket(watched, title: str = "Made in InvGate") -> int:
    answer = await watched.call("POST", "incident", title=title, **NEW_TICKET)
    return int(answer["request_id"])


async def test_a_ticket_created_in_the_vendor_is_published_once_as_created(watched):
    identifier = await vendor_ticket(watched)
    name = watched.name("tickets", identifier)
    events = await watched.wait_for(lambda es: of(es, "deskbridge.v1.ticket.created", name))
    await asyncio.sleep(4 * POLL)  # later cycles (and the overlap window) add nothing
    mine = await watched.events_for(name)
    assert len(mine) == 1, [m.headers for m in mine]
    event = decoded(mine[0])
    assert event.origin == events_pb2.CHANGE_ORIGIN_POLL
    assert event.ticket.title == "Made in InvGate"
    assert mine[0].subject == f"deskbridge.{watched.backend}.ticket.created"
    assert not duplicates(events)


async def test_vendor_edits_are_named_by_what_changed(watched):
    identifier = await vendor_ticket(watched)
    name = watched.name("tickets", identifier)
    await watched.wait_for(lambda es: of(es, "deskbridge.v1.ticket.created", name))
    await watched.call("PUT", "incident", id=identifier, title="Renamed in InvGate")
    events = await watched.wait_for(lambda es: of(es, "deskbridge.v1.ticket.updated", name))
    updated = decoded(of(events, "deskbridge.v1.ticket.updated", name)[0])
    assert "title" in updated.changed_fields.paths and "state" not in updated.changed_fields.paths
    assert updated.ticket.title == "Renamed in InvGate"

    await watched.call(
        "POST", "incident.reassign", request_id=identifier, author_id=1, group_id=2, agent_id=3
    )
    events = await watched.wait_for(lambda es: of(es, "deskbridge.v1.ticket.assigned", name))
    assigned = decoded(of(events, "deskbridge.v1.ticket.assigned", name)[0])
    assert assigned.ticket.assignee == watched.name("users", 3)

    await watched.call(
        "POST",
        "incident.comment",
        request_id=identifier,
        author_id=3,
        comment="<p>On it</p>",
        customer_visible=1,
    )
    events = await watched.wait_for(lambda es: of(es, "deskbridge.v1.comment.created"))
    comment = decoded(of(events, "deskbridge.v1.comment.created")[0])
    assert comment.comment.name.startswith(name + "/comments/")
    assert comment.comment.body == "<p>On it</p>"

    await watched.call("POST", "incident.cancel", request_id=identifier, author_id=3)
    events = await watched.wait_for(lambda es: of(es, "deskbridge.v1.ticket.cancelled", name))
    cancelled = decoded(of(events, "deskbridge.v1.ticket.cancelled", name)[0])
    assert cancelled.ticket.state == t.TICKET_STATE_CANCELLED
    assert "state" in cancelled.changed_fields.paths
    mine = await watched.events_for(name)
    revisions = [m.headers["ce-revision"].split(".")[0] for m in mine]
    # The comment moves the ticket's update_time (one more revision) unless it landed in the
    # same second as the reassignment: InvGate's last_update has second resolution.
    assert revisions == [str(n) for n in range(1, len(mine) + 1)] and len(mine) in (4, 5), revisions
    assert not duplicates(await watched.events())


async def polled_after(watched, kind: str, moment: float) -> None:
    """Until a poll cycle of `kind` has ended after `moment`."""
    while True:
        kinds = {k.kind: k for k in (await watched.sync_status()).kinds}
        if kinds[kind].last_poll_time.ToDatetime().timestamp() > moment:
            return
        await asyncio.sleep(0.05)


async def test_a_comment_that_leaves_its_ticket_unchanged_is_still_published(watched):
    # A comment in the same epoch second as the ticket's last edit leaves last_update (and so
    # the whole ticket) as the watcher last saw it: only the ticket's children show the change.
    url = f"{watched.runtime.intake.url}/webhooks/{watched.backend}"
    headers = {"X-Deskbridge-Secret": SECRET}
    async with httpx.AsyncClient() as client:
        for _ in range(10):
            identifier = await vendor_ticket(watched, title="Commented in the same second")
            stamped = watched.state.requests[identifier]["last_update"]
            hinted = await client.post(url, data={"request_id": identifier}, headers=headers)
            assert hinted.status_code == 202  # the watcher has now seen the ticket as it is
            await polled_after(watched, "ticket", time.time())  # and a poll cycle has, too
            await watched.call(
                "POST",
                "incident.comment",
                request_id=identifier,
                author_id=3,
                comment="Same second",
            )
            if watched.state.requests[identifier]["last_update"] == stamped:
                break
        else:
            raise AssertionError("no comment landed in its ticket's last second in ten tries")
    name = watched.name("tickets", identifier)
    events = await watched.wait_for(
        lambda es: [
            e for e in of(es, "deskbridge.v1.comment.created") if name in e.headers["ce-subject"]
        ]
    )
    comments = [
        e for e in of(events, "deskbridge.v1.comment.created") if name in e.headers["ce-subject"]
    ]
    assert len(comments) == 1 and decoded(comments[0]).comment.body == "Same second"
    assert len(of(events, "deskbridge.v1.ticket.created", name)) == 1
    assert not of(events, "deskbridge.v1.ticket.updated", name)


async def test_a_change_made_through_deskbridge_is_not_published_again_by_the_watcher(watched):
    created = (
        await watched.tickets.CreateTicket(
            t.CreateTicketRequest(
                parent=f"backends/{watched.backend}",
                request_id="watched-api-1",
                ticket=creatable_ticket(watched.name, "Through the API"),
            )
        )
    ).ticket
    for title in ("Twice", "in one second"):  # two changes within one vendor second
        await watched.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(name=created.name, title=title),
                update_mask=field_mask_pb2.FieldMask(paths=["title"]),
            )
        )
    await asyncio.sleep(5 * POLL)  # the watcher sees all three states in the vendor meanwhile
    mine = await watched.events_for(created.name)
    assert [m.headers["ce-type"] for m in mine] == [
        "deskbridge.v1.ticket.created",
        "deskbridge.v1.ticket.updated",
        "deskbridge.v1.ticket.updated",
    ]
    assert all(decoded(m).origin == events_pb2.CHANGE_ORIGIN_API for m in mine)
    assert decoded(mine[-1]).ticket.title == "in one second"
    assert len({m.headers["ce-id"] for m in mine}) == 3


async def test_a_b_a_on_a_resource_without_a_vendor_revision_is_three_events(watched):
    group = (
        await watched.identity.CreateGroup(
            i.CreateGroupRequest(
                parent=f"backends/{watched.backend}", group=i.Group(display_name="A-B-A")
            )
        )
    ).group
    member = watched.name("users", 2)
    await watched.identity.AddMembers(i.AddMembersRequest(name=group.name, users=[member]))
    await watched.identity.RemoveMembers(i.RemoveMembersRequest(name=group.name, users=[member]))
    await asyncio.sleep(4 * POLL)
    mine = await watched.events_for(group.name)
    assert len(mine) == 3 and len({m.headers["ce-id"] for m in mine}) == 3
    assert decoded(mine[-1]).group.member_count == 0


async def test_a_group_deleted_in_the_vendor_is_one_deleted_event(watched):
    answer = await watched.call("POST", "groups", name="Short-lived")
    identifier = answer["id"]
    name = watched.name("groups", identifier)
    await watched.wait_for(lambda es: of(es, "deskbridge.v1.group.created", name))
    await watched.call("DELETE", "groups", id=identifier)
    events = await watched.wait_for(lambda es: of(es, "deskbridge.v1.group.deleted", name))
    deleted = decoded(of(events, "deskbridge.v1.group.deleted", name)[0])
    assert deleted.group.display_name == "Short-lived"  # as last known
    await asyncio.sleep(3 * POLL)
    assert len(of(await watched.events(), "deskbridge.v1.group.deleted", name)) == 1


async def test_a_group_deleted_through_deskbridge_is_one_deleted_event_too(watched):
    created = (
        await watched.identity.CreateGroup(
            i.CreateGroupRequest(
                parent=f"backends/{watched.backend}", group=i.Group(display_name="Via API")
            )
        )
    ).group
    await watched.wait_for(lambda es: of(es, "deskbridge.v1.group.created", created.name))
    await asyncio.sleep(3 * POLL)  # the scans know it now
    await watched.identity.DeleteGroup(i.DeleteGroupRequest(name=created.name))
    await asyncio.sleep(4 * POLL)  # later scans miss it: their tombstone is the API's event
    deleted = of(await watched.events(), "deskbridge.v1.group.deleted", created.name)
    assert len(deleted) == 1, summary(deleted)
    assert decoded(deleted[0]).origin == events_pb2.CHANGE_ORIGIN_API
    assert deleted[0].headers["ce-revision"].endswith(".deleted")


async def test_a_failing_scan_publishes_no_tombstones(watched):
    before = len(of(await watched.events(), "deskbridge.v1.group.deleted"))
    faults = {"fail_next": [{"key": "groups", "method": "GET", "status": 503, "count": 50}]}
    (await watched.control.put("/_sandbox/faults", json=faults)).raise_for_status()
    await asyncio.sleep(4 * POLL)
    status = await watched.sync_status()
    (await watched.control.put("/_sandbox/faults", json={})).raise_for_status()
    await asyncio.sleep(3 * POLL)
    assert len(of(await watched.events(), "deskbridge.v1.group.deleted")) == before
    group_status = next(k for k in status.kinds if k.kind == "group")
    assert group_status.last_error  # the failure is visible as data


async def test_webhooks_are_hints_authenticated_by_a_shared_secret(watched):
    url = f"{watched.runtime.intake.url}/webhooks/{watched.backend}"
    identifier = 1001
    async with httpx.AsyncClient() as client:
        wrong = await client.post(
            url, data={"request_id": identifier}, headers={"X-Deskbridge-Secret": "nope"}
        )
        missing = await client.post(url, data={"request_id": identifier})
        assert (wrong.status_code, missing.status_code) == (401, 401)
        bad = await client.post(
            url,
            content=b"request_id=%zz&&=",
            headers={
                "X-Deskbridge-Secret": SECRET,
                "content-type": "application/x-www-form-urlencoded",
            },
        )
        assert bad.status_code == 400
        no_id = await client.post(url, data={"event": "x"}, headers={"X-Deskbridge-Secret": SECRET})
        assert no_id.status_code == 400
    name = watched.name("tickets", identifier)
    assert not await watched.events_for(name)  # nothing was published for any of them
    # a real change, announced by the vendor's automation ("Call web service")
    rule = {
        "id": "deskbridge",
        "url": url,
        "headers": {"X-Deskbridge-Secret": SECRET},
        "body": {"request_id": "{id}"},
    }
    (await watched.control.put("/_sandbox/automation", json={"rules": [rule]})).raise_for_status()
    await watched.call("PUT", "incident", id=identifier, title="Hinted")
    events = await watched.wait_for(
        lambda es: of(es, "deskbridge.v1.ticket.updated", name), timeout=3
    )
    event = decoded(of(events, "deskbridge.v1.ticket.updated", name)[0])
    assert event.ticket.title == "Hinted"
    await asyncio.sleep(3 * POLL)
    mine = await watched.events_for(name)
    assert len(mine) == 1  # the poller saw the same state: no second event
    deliveries = (await watched.control.get("/_sandbox/automation/deliveries")).json()
    assert deliveries and all(d["status"] == 202 for d in deliveries)


async def test_sync_status_reports_every_kind_with_its_watermark(watched):
    status = await watched.sync_status()
    kinds = {k.kind: k for k in status.kinds}
    assert {"ticket", "group", "company", "location", "user"} <= set(kinds)
    assert status.lease_holder and status.webhooks_enabled
    ticket = kinds["ticket"]
    assert ticket.HasField("watermark_time") and ticket.lag.seconds < 5
    assert ticket.poll_interval.ToMilliseconds() == int(POLL * 1000)
    assert "incidents.last.hour" in ticket.method
