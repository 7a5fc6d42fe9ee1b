"""Motadata ServiceOps end to end: real gRPC → Deskbridge → the Motadata sandbox over HTTP,
events on a real nats-server."""

from __future__ import annotations

import asyncio
from collections import Counter

import grpc
import pytest
from e2e_events import decoded, stored_events
from e2e_support import rpc_error, supported_methods
from google.protobuf import field_mask_pb2, timestamp_pb2

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.motadata import SandboxConfig
from deskbridge.v1 import backends_pb2, common_pb2, identity_pb2
from deskbridge.v1 import tickets_pb2 as t

TICKETS = "deskbridge.v1.TicketService/"
IDENTITY = "deskbridge.v1.IdentityService/"
SUPPORTED = {
    TICKETS + rpc
    for rpc in (
        "CreateTicket GetTicket BatchGetTickets ListTickets UpdateTicket DeleteTicket "
        "ListComments CreateComment UpdateComment ListTicketStatuses ListTicketPriorities "
        "ListTicketCategories"
    ).split()
} | {IDENTITY + rpc for rpc in "CreateUser GetUser FindUser ListUsers UpdateUser".split()}


def requester(stack) -> dict:
    state = stack.state
    return next(u for i, u in state.users.items() if state.user_kind[i] == "requester")


def technician(stack) -> dict:
    state = stack.state
    return next(u for i, u in state.users.items() if state.user_kind[i] == "technician")


def full_ticket(stack, title: str = "Email server is down") -> t.Ticket:
    return t.Ticket(
        title=title,
        description="<p>Since 9:00</p>",
        requester_email=requester(stack)["email"],
        priority=t.TICKET_PRIORITY_HIGH,
        urgency=common_pb2.VendorValue(label="Urgent"),
        impact=common_pb2.VendorValue(label="On Department"),
        vendor_state=common_pb2.VendorValue(label="In Progress"),
        department="IT",
        location=stack.name("locations", "Head%20Office"),
        support_level="Tier2",
        tags=["email", "outage"],
        cc_emails=["boss@example.com"],
        spam=False,
        assignee=stack.name("users", technician(stack)["id"]),
        linked_assets=[t.LinkedAsset(model="asset_hardware", asset_id="1")],
        custom_fields=[
            common_pb2.CustomFieldValue(label="New Text Input", string_value="abc"),
            common_pb2.CustomFieldValue(label="New Number", number_value=110.5),
        ],
    )


async def test_backend_service_pins_what_motadata_supports(motadata):
    request = backends_pb2.GetBackendRequest(name=motadata.parent)
    assert (
        await motadata.backends.GetBackend(request)
    ).backend.vendor == common_pb2.VENDOR_MOTADATA
    assert await supported_methods(motadata) == SUPPORTED


async def test_create_maps_every_field_and_reads_back(motadata):
    created = (
        await motadata.tickets.CreateTicket(
            t.CreateTicketRequest(parent=motadata.parent, ticket=full_ticket(motadata))
        )
    ).ticket
    record = motadata.state.requests[int(created.vendor_record.remote_id)]
    assert record["subject"] == "Email server is down"
    assert (record["priorityName"], record["urgencyName"], record["impactName"]) == (
        "High",
        "Urgent",
        "On Department",
    )
    assert (record["statusName"], record["departmentName"], record["locationName"]) == (
        "In Progress",
        "IT",
        "Head Office",
    )
    assert record["supportLevel"].lower() == "tier2" and record["tags"] == ["email", "outage"]
    assert record["ccEmailSet"] == ["boss@example.com"]
    assert record["assigneeEmail"] == technician(motadata)["email"]
    assert record["customField"] == {"New Text Input": "abc", "New Number": 110.5}
    assert record["linkAssetIds"] == [{"assetModel": "asset_hardware", "assetId": 1}]
    got = (await motadata.tickets.GetTicket(t.GetTicketRequest(name=created.name))).ticket
    assert got.name == created.name and got.vendor_record.display_id == record["name"]
    assert got.state == t.TICKET_STATE_OPEN and got.priority == t.TICKET_PRIORITY_HIGH
    assert got.location == motadata.name("locations", "Head%20Office")
    assert got.assignee == motadata.name("users", technician(motadata)["id"])
    assert got.create_time.ToMilliseconds() == record["createdTime"]
    assert {f.label: f.WhichOneof("value") for f in got.custom_fields} == {
        "New Text Input": "string_value",
        "New Number": "number_value",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "ticket.title"),  # the contract's REQUIRED, before any vendor call
        ({"requester_email": "", "requester": ""}, "ticket.requester_email"),
    ],
)
async def test_bad_input_is_invalid_argument_with_the_field(motadata, change, field):
    ticket = full_ticket(motadata)
    for key, value in change.items():
        setattr(ticket, key, value)
    await motadata.control.delete("/_sandbox/requests")
    error = await rpc_error(
        motadata.tickets.CreateTicket(t.CreateTicketRequest(parent=motadata.parent, ticket=ticket))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in details_of(error)["BadRequest"].field_violations] == [field]
    assert not [e for e in await motadata.sandbox_log() if e["method"] == "POST"]


async def test_what_motadata_refuses_is_invalid_argument_not_an_outage(motadata):
    ticket = full_ticket(motadata)
    ticket.location = motadata.name("locations", "Atlantis")  # locationName must exist
    error = await rpc_error(
        motadata.tickets.CreateTicket(t.CreateTicketRequest(parent=motadata.parent, ticket=ticket))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details_of(error)["ErrorInfo"].metadata["vendor_http_status"] == "400"


async def test_an_absent_request_is_not_found(motadata):
    for call in (
        motadata.tickets.GetTicket(t.GetTicketRequest(name=motadata.name("tickets", 999_999))),
        motadata.tickets.DeleteTicket(
            t.DeleteTicketRequest(name=motadata.name("tickets", 999_999))
        ),
        motadata.tickets.ListComments(
            t.ListCommentsRequest(parent=motadata.name("tickets", 999_999))
        ),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND


async def test_token_expiry_mid_run_is_invisible_and_refreshes_once(motadata_with):
    stack = await motadata_with(SandboxConfig(request_count=10, token_ttl_seconds=1))
    name = stack.name("tickets", next(iter(stack.state.requests)))
    for _ in range(3):
        await stack.tickets.GetTicket(t.GetTicketRequest(name=name))
        await asyncio.sleep(0.6)
    issued = stack.state.tokens_issued
    assert issued >= 2
    await asyncio.sleep(1.1)  # the token expired: a hundred calls arrive at once
    await asyncio.gather(
        *(stack.tickets.GetTicket(t.GetTicketRequest(name=name)) for _ in range(100))
    )
    assert stack.state.tokens_issued == issued + 1


async def test_a_5xx_on_a_read_is_retried_and_a_failed_write_is_not(motadata):
    name = motadata.name("tickets", next(iter(motadata.state.requests)))
    await motadata.set_faults(fail_next=[{"key": "request", "method": "GET", "status": 503}])
    await motadata.control.delete("/_sandbox/requests")
    await motadata.tickets.GetTicket(t.GetTicketRequest(name=name))
    gets = [e["status"] for e in await motadata.sandbox_log() if e["method"] == "GET"]
    assert gets == [503, 200]
    await motadata.set_faults(fail_next=[{"key": "request", "method": "POST", "status": 503}])
    before = len(motadata.state.requests)
    error = await rpc_error(
        motadata.tickets.CreateTicket(
            t.CreateTicketRequest(parent=motadata.parent, ticket=full_ticket(motadata))
        )
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    posts = [
        e for e in await motadata.sandbox_log() if e["method"] == "POST" and e["key"] == "request"
    ]
    assert len(posts) == 1 and len(motadata.state.requests) == before


async def test_twenty_concurrent_creates_with_one_request_id_make_one_request(motadata):
    before = set(motadata.state.requests)
    request = t.CreateTicketRequest(
        parent=motadata.parent, request_id="mota-once-1", ticket=full_ticket(motadata, "Once")
    )
    outcomes = await asyncio.gather(
        *(motadata.tickets.CreateTicket(request) for _ in range(20)), return_exceptions=True
    )
    made = set(motadata.state.requests) - before
    assert len(made) == 1
    names = {o.ticket.name for o in outcomes if not isinstance(o, Exception)}
    assert names == {motadata.name("tickets", made.pop())}
    for outcome in outcomes:
        if isinstance(outcome, grpc.aio.AioRpcError):  # only "in progress, retry" is allowed
            assert outcome.code() == grpc.StatusCode.ABORTED


async def walk(stack, **filters) -> list[t.Ticket]:
    seen, token = [], ""
    for _ in range(100):
        page = await stack.tickets.ListTickets(
            t.ListTicketsRequest(parent=stack.parent, page_size=7, page_token=token, **filters)
        )
        seen.extend(page.tickets)
        token = page.next_page_token
        if not token:
            return seen
    raise AssertionError("paging did not end")


async def test_list_pages_every_request_once_and_filters_like_the_instance(motadata):
    requests = motadata.state.requests
    listed = [int(x.vendor_record.remote_id) for x in await walk(motadata)]
    assert len(listed) == len(set(listed)) and set(listed) == set(requests)
    sample = next(r for r in requests.values() if r["technicianId"] and r["groupId"])
    cases = {
        "states": ({"states": [t.TICKET_STATE_RESOLVED]}, lambda r: r["statusName"] == "Resolved"),
        "requester": (
            {"requester": motadata.name("users", sample["requesterId"])},
            lambda r: r["requesterId"] == sample["requesterId"],
        ),
        "assignee": (
            {"assignee": motadata.name("users", sample["technicianId"])},
            lambda r: r["technicianId"] == sample["technicianId"],
        ),
        "help_desk": (
            {"help_desk": motadata.name("helpDesks", sample["groupId"])},
            lambda r: r["groupId"] == sample["groupId"],
        ),
        "category": (
            {"category": motadata.name("ticketCategories", sample["categoryId"])},
            lambda r: r["categoryId"] == sample["categoryId"],
        ),
        "priority": (
            {"priority": t.TICKET_PRIORITY_URGENT},
            lambda r: r["priorityName"] == "Urgent",
        ),
    }
    for filters, expect in cases.values():
        got = {int(x.vendor_record.remote_id) for x in await walk(motadata, **filters)}
        assert got == {i for i, r in requests.items() if expect(r)}, filters
    since = sorted(r["updatedTime"] for r in requests.values())[len(requests) // 2]
    after = timestamp_pb2.Timestamp()
    after.FromMilliseconds(since)
    got = {int(x.vendor_record.remote_id) for x in await walk(motadata, updated_after=after)}
    assert got == {i for i, r in requests.items() if r["updatedTime"] > since}
    page = await motadata.tickets.ListTickets(t.ListTicketsRequest(parent=motadata.parent))
    assert page.total_size == len(requests)


async def test_update_delete_and_their_events(motadata):
    name = motadata.name("tickets", next(iter(motadata.state.requests)))
    updated = (
        await motadata.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(
                    name=name,
                    title="Renamed",
                    vendor_state=common_pb2.VendorValue(label="Resolved"),
                ),
                update_mask=field_mask_pb2.FieldMask(paths=["title", "vendor_state"]),
            )
        )
    ).ticket
    assert (updated.title, updated.state) == ("Renamed", t.TICKET_STATE_RESOLVED)
    bad = await rpc_error(
        motadata.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(name=name, title="x"),
                update_mask=field_mask_pb2.FieldMask(paths=["rating"]),
            )
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT
    deleted = (await motadata.tickets.DeleteTicket(t.DeleteTicketRequest(name=name))).ticket
    assert deleted.title == "Renamed"
    missing = await rpc_error(motadata.tickets.GetTicket(t.GetTicketRequest(name=name)))
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    events = await stored_events(motadata.runtime.settings.nats_url, motadata.backend)
    mine = [e for e in events if e.headers["ce-subject"] == name]
    assert [e.headers["ce-type"].rsplit(".", 1)[-1] for e in mine] == ["updated", "deleted"]
    assert mine[0].subject == f"deskbridge.{motadata.backend}.ticket.updated"
    payload = decoded(mine[0])
    assert payload.ticket.title == "Renamed"
    assert set(payload.changed_fields.paths) >= {"title", "vendor_state"}


async def test_comments_are_conversations(motadata):
    ticket = next(iter(motadata.state.requests))
    parent = motadata.name("tickets", ticket)
    internal = (
        await motadata.tickets.CreateComment(
            t.CreateCommentRequest(
                parent=parent,
                comment=t.Comment(
                    body="<p>checked the logs</p>", visibility=t.COMMENT_VISIBILITY_INTERNAL
                ),
            )
        )
    ).comment
    public = (
        await motadata.tickets.CreateComment(
            t.CreateCommentRequest(parent=parent, comment=t.Comment(body="We are on it"))
        )
    ).comment
    kinds = {c["id"]: c["conversationType"] for c in motadata.state.conversations[ticket]}
    assert kinds[int(internal.vendor_record.remote_id)] == "note"
    assert kinds[int(public.vendor_record.remote_id)] == "technician_to_requester"
    assert internal.create_time.seconds > 0
    solution = await rpc_error(
        motadata.tickets.CreateComment(
            t.CreateCommentRequest(parent=parent, comment=t.Comment(body="x", is_solution=True))
        )
    )
    assert solution.code() == grpc.StatusCode.INVALID_ARGUMENT
    edited = (
        await motadata.tickets.UpdateComment(
            t.UpdateCommentRequest(
                comment=t.Comment(name=public.name, body="We fixed it"),
                update_mask=field_mask_pb2.FieldMask(paths=["body"]),
            )
        )
    ).comment
    assert edited.body == "We fixed it"
    listed = await motadata.tickets.ListComments(t.ListCommentsRequest(parent=parent))
    assert {c.name for c in listed.comments} >= {internal.name, public.name}
    events = await stored_events(motadata.runtime.settings.nats_url, motadata.backend)
    actions = Counter(
        (e.headers["ce-subject"], e.subject.rsplit(".", 1)[-1])
        for e in events
        if ".comment." in e.subject
    )
    assert actions == {
        (internal.name, "created"): 1,
        (public.name, "created"): 1,
        (public.name, "updated"): 1,
    }


async def test_requesters_through_identity_service(motadata):
    made = (
        await motadata.identity.CreateUser(
            identity_pb2.CreateUserRequest(
                parent=motadata.parent,
                user=identity_pb2.User(
                    given_name="Ada",
                    family_name="Lovelace",
                    email="ada@example.com",
                    department="IT",
                    vip=True,
                    phones=identity_pb2.PhoneNumbers(phone="+44 1"),
                ),
            )
        )
    ).user
    assert made.kind == identity_pb2.USER_KIND_END_USER and made.vip
    got = (await motadata.identity.GetUser(identity_pb2.GetUserRequest(name=made.name))).user
    assert (got.email, got.display_name, got.phones.phone) == (
        "ada@example.com",
        "Ada Lovelace",
        "+44 1",
    )
    found = (
        await motadata.identity.FindUser(
            identity_pb2.FindUserRequest(parent=motadata.parent, email="ada@example.com")
        )
    ).user
    assert found.name == made.name
    agent = technician(motadata)
    got_agent = (
        await motadata.identity.GetUser(
            identity_pb2.GetUserRequest(name=motadata.name("users", agent["id"]))
        )
    ).user
    assert got_agent.kind == identity_pb2.USER_KIND_AGENT
    seen, token = [], ""
    while True:
        page = await motadata.identity.ListUsers(
            identity_pb2.ListUsersRequest(parent=motadata.parent, page_size=5, page_token=token)
        )
        seen.extend(u.name for u in page.users)
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)) == len(motadata.state.users)
    duplicate = await rpc_error(
        motadata.identity.CreateUser(
            identity_pb2.CreateUserRequest(
                parent=motadata.parent,
                user=identity_pb2.User(given_name="Ada", email="ada@example.com"),
            )
        )
    )
    assert duplicate.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_what_motadata_cannot_do_is_unimplemented(motadata):
    error = await rpc_error(
        motadata.tickets.CancelTicket(
            t.CancelTicketRequest(
                name=motadata.name("tickets", 1), author=motadata.name("users", 1)
            )
        )
    )
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    info = details_of(error)["ErrorInfo"]
    assert (info.metadata["vendor"], info.metadata["operation"]) == (
        "motadata",
        "TicketService.CancelTicket",
    )


async def test_a_create_whose_answer_never_came_is_reconciled_not_repeated(motadata):
    """Written, then the answer hangs past the deadline: the retry finds the request."""
    await motadata.set_faults(
        fail_next=[
            {"key": "request", "method": "POST", "status": 200, "when": "hang", "hang_ms": 3000}
        ]
    )
    before = set(motadata.state.requests)
    request = t.CreateTicketRequest(
        parent=motadata.parent, request_id="mota-hang-1", ticket=full_ticket(motadata, "Hung")
    )
    first = await rpc_error(motadata.tickets.CreateTicket(request, timeout=1))
    assert first.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    (made,) = set(motadata.state.requests) - before  # the vendor did write it
    again = (await motadata.tickets.CreateTicket(request, timeout=10)).ticket
    assert again.name == motadata.name("tickets", made)
    assert set(motadata.state.requests) - before == {made}
    await asyncio.sleep(2.5)  # the hung answer is logged when it is finally sent
    posts = [
        e for e in await motadata.sandbox_log() if e["method"] == "POST" and e["key"] == "request"
    ]
    assert len(posts) == 1


async def test_batch_get_reference_data_and_user_updates(motadata):
    ids = sorted(motadata.state.requests)[:3]
    names = [motadata.name("tickets", i) for i in reversed(ids)]
    batch = await motadata.tickets.BatchGetTickets(
        t.BatchGetTicketsRequest(parent=motadata.parent, names=names)
    )
    assert [x.name for x in batch.tickets] == names  # in the order asked
    missing = await rpc_error(
        motadata.tickets.BatchGetTickets(
            t.BatchGetTicketsRequest(
                parent=motadata.parent, names=[*names, motadata.name("tickets", 999_999)]
            )
        )
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    await walk(motadata)  # every request read teaches the adapter the instance's ids
    statuses = await motadata.tickets.ListTicketStatuses(
        t.ListTicketStatusesRequest(parent=motadata.parent)
    )
    expected = {name: str(i) for name, i in SandboxConfig().statuses.items()}
    assert {s.value.label: s.value.id for s in statuses.statuses} == expected
    normalized = {s.value.label: s.normalized for s in statuses.statuses}
    assert normalized["Resolved"] == "TICKET_STATE_RESOLVED"
    categories = await motadata.tickets.ListTicketCategories(
        t.ListTicketCategoriesRequest(parent=motadata.parent)
    )
    seen = {r["categoryName"] for r in motadata.state.requests.values()}
    assert {c.display_name for c in categories.categories} == seen
    priorities = await motadata.tickets.ListTicketPriorities(
        t.ListTicketPrioritiesRequest(parent=motadata.parent)
    )
    assert [p.value.label for p in priorities.priorities] == ["Low", "Medium", "High", "Urgent"]
    person = requester(motadata)
    updated = (
        await motadata.identity.UpdateUser(
            identity_pb2.UpdateUserRequest(
                user=identity_pb2.User(
                    name=motadata.name("users", person["id"]), department="Finance", vip=True
                ),
                update_mask=field_mask_pb2.FieldMask(paths=["department", "vip"]),
            )
        )
    ).user
    assert (updated.department, updated.vip) == ("Finance", True)
    assert motadata.state.users[person["id"]]["departmentName"] == "Finance"


async def test_a_create_publishes_one_event_with_its_cloudevents_headers(motadata):
    created = (
        await motadata.tickets.CreateTicket(
            t.CreateTicketRequest(
                parent=motadata.parent, ticket=full_ticket(motadata, "Event check")
            )
        )
    ).ticket
    events = await stored_events(motadata.runtime.settings.nats_url, motadata.backend)
    mine = [e for e in events if e.headers["ce-subject"] == created.name]
    assert len(mine) == 1
    headers = mine[0].headers
    assert mine[0].subject == f"deskbridge.{motadata.backend}.ticket.created"
    assert headers["ce-type"] == "deskbridge.v1.ticket.created"
    assert headers["ce-specversion"] == "1.0" and headers["content-type"] == "application/protobuf"
    assert headers["Nats-Msg-Id"] == headers["ce-id"]
    payload = decoded(mine[0])
    assert payload.ticket.name == created.name and payload.ticket.title == "Event check"
