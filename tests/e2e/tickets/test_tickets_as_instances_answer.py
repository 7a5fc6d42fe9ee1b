"""Tickets read the way real InvGate instances answer (VENDORS.md §1.6), over real gRPC and
HTTP: closed requests are listed, labels are the instance's own, a missing ticket is NOT_FOUND
in any words, and an endpoint the instance lacks is UNIMPLEMENTED, not NOT_FOUND."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from e2e_support import creatable_ticket, rpc_error
from google.protobuf import field_mask_pb2

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.invgate import SandboxConfig
from deskbridge.sandbox.invgate.state import OPEN_STATUSES, Instance
from deskbridge.v1 import backends_pb2
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.vendors.invgate import reference

FINAL = {5, 6, 7, 8}


async def walk(stack, page_size: int = 9, **filters) -> list[t.Ticket]:
    seen, token = [], ""
    for _ in range(500):
        page = await stack.tickets.ListTickets(
            t.ListTicketsRequest(
                parent=stack.parent, page_size=page_size, page_token=token, **filters
            )
        )
        assert len(page.tickets) <= page_size
        seen.extend(page.tickets)
        token = page.next_page_token
        if not token:
            return seen
    raise AssertionError("paging did not end")


def ids(tickets: list[t.Ticket]) -> list[int]:
    return [int(x.vendor_record.remote_id) for x in tickets]


async def test_no_filter_lists_every_ticket_closed_ones_included_once(stack):
    listed = ids(await walk(stack))
    assert len(listed) == len(set(listed))  # no duplicates across pages
    assert set(listed) == set(stack.state.requests)
    assert {stack.state.requests[i]["status_id"] for i in listed} & FINAL


async def test_closed_states_are_listed(stack):
    wanted = [t.TICKET_STATE_CLOSED, t.TICKET_STATE_CANCELLED]
    listed = await walk(stack, states=wanted)
    expected = {i for i, r in stack.state.requests.items() if r["status_id"] in (6, 8)}
    assert expected and set(ids(listed)) == expected


async def test_open_states_use_the_open_list_with_an_exact_total(stack):
    await stack.control.delete("/_sandbox/requests")
    page = await stack.tickets.ListTickets(
        t.ListTicketsRequest(parent=stack.parent, states=[t.TICKET_STATE_OPEN], page_size=500)
    )
    expected = {i for i, r in stack.state.requests.items() if r["status_id"] == 2}
    assert set(ids(page.tickets)) == expected and page.total_size == len(expected)
    assert "incidents.by.status" in {e["key"] for e in await stack.sandbox_log()}


@pytest.mark.parametrize(
    ("open_only", "include_closed"),
    [(True, False), (False, False), (False, True)],
    ids=["open-only-instance", "unknown", "configured-complete"],
)
async def test_a_requesters_closed_tickets_are_listed_whatever_the_person_lists_answer(
    stack_with, open_only, include_closed
):
    stack = await stack_with(
        SandboxConfig(
            request_count=60, seed=5, instance=Instance(person_lists_open_only=open_only)
        ),
        options={"person_lists_include_closed": include_closed},
    )
    requests = stack.state.requests
    customer = next(r["user_id"] for r in requests.values() if r["status_id"] in FINAL)
    await stack.control.delete("/_sandbox/requests")
    listed = await walk(stack, requester=stack.name("users", customer))
    assert sorted(ids(listed)) == sorted(i for i, r in requests.items() if r["user_id"] == customer)
    keys = {e["key"] for e in await stack.sandbox_log()}
    assert ("incidents.by.customer" in keys) == include_closed


async def test_a_help_desks_closed_tickets_are_listed(stack):
    desk = next(
        r["assigned_group_id"] for r in stack.state.requests.values() if r["status_id"] == 6
    )
    listed = await walk(stack, help_desk=stack.name("helpDesks", desk))
    expected = {i for i, r in stack.state.requests.items() if r["assigned_group_id"] == desk}
    assert set(ids(listed)) == expected
    assert {stack.state.requests[i]["status_id"] for i in expected} & FINAL


async def test_a_view_without_open_states_is_a_clear_error_not_a_short_list(stack):
    error = await rpc_error(
        stack.tickets.ListTickets(t.ListTicketsRequest(parent=stack.parent, view_id="1"))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details_of(error)["BadRequest"].field_violations[0].field == "view_id"
    listed = await walk(stack, view_id="1", states=[t.TICKET_STATE_NEW, t.TICKET_STATE_OPEN])
    expected = {i for i, r in stack.state.requests.items() if r["status_id"] in (1, 2)}
    assert set(ids(listed)) == expected


async def test_backend_service_says_how_list_tickets_is_served(stack):
    backend = (
        await stack.backends.GetBackend(backends_pb2.GetBackendRequest(name=stack.parent))
    ).backend
    note = {o.method: o for o in backend.operations}["deskbridge.v1.TicketService/ListTickets"]
    assert note.support == backends_pb2.SUPPORT_PARTIAL
    assert "open requests only" in note.note and "view_id" in note.note


LABELLED = Instance(
    statuses={**Instance().statuses, 5: "Resolved", 9: "Pending vendor"},
    priorities={1: "P4", 2: "P3", 3: "P2", 4: "P1", 5: "P0"},
    types={**Instance().types, 1: "Break/fix"},
    sources={**Instance().sources, 2: "Self-service portal"},
    open_statuses=frozenset({*OPEN_STATUSES, 9}),
)


async def test_every_label_is_the_instances_own(stack_with):
    stack = await stack_with(SandboxConfig(request_count=60, seed=8, instance=LABELLED))
    state = stack.state
    listed = {int(x.vendor_record.remote_id): x for x in await walk(stack, page_size=50)}
    assert set(listed) == set(state.requests)
    assert any(r["status_id"] == 9 for r in state.requests.values())
    labelled_fields = 0
    for identifier, record in state.requests.items():
        got = await stack.tickets.GetTicket(
            t.GetTicketRequest(name=stack.name("tickets", identifier))
        )
        for ticket in (got.ticket, listed[identifier]):
            assert ticket.vendor_state.label == LABELLED.statuses[record["status_id"]]
            assert ticket.vendor_priority.label == LABELLED.priorities[record["priority_id"]]
            assert ticket.vendor_type.label == LABELLED.types[record["type_id"]]
            assert ticket.vendor_source.label == LABELLED.sources[record["source_id"]]
            assert ticket.category_display_name == state.categories[record["category_id"]]["name"]
            for value in ticket.custom_fields:
                assert value.label == state.custom_fields[value.field_id]["label"]
                labelled_fields += 1
    assert labelled_fields


async def test_a_status_added_on_the_instance_is_labelled_without_a_restart(stack):
    first = next(iter(stack.state.requests))
    await stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", first)))
    stack.state.instance.statuses[12] = "Awaiting parts"
    stack.state.requests[first]["status_id"] = 12
    reference.MISS_COOLDOWN_SECONDS, before = 0.0, reference.MISS_COOLDOWN_SECONDS
    try:
        got = await stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", first)))
    finally:
        reference.MISS_COOLDOWN_SECONDS = before
    assert (got.ticket.vendor_state.id, got.ticket.vendor_state.label) == ("12", "Awaiting parts")


@pytest.mark.parametrize("answer", ["404", "error", "empty"])
async def test_a_missing_ticket_is_not_found_in_any_words(stack_with, answer):
    instance = Instance(missing_incident=answer, missing_request_text="Solicitação inexistente")
    stack = await stack_with(SandboxConfig(request_count=5, instance=instance))
    name = stack.name("tickets", 999_999)
    error = await rpc_error(stack.tickets.GetTicket(t.GetTicketRequest(name=name)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    cancel = t.CancelTicketRequest(name=name, author=stack.name("users", 1))
    error = await rpc_error(stack.tickets.CancelTicket(cancel))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    update = t.UpdateTicketRequest(
        ticket=t.Ticket(name=name, title="x"), update_mask=field_mask_pb2.FieldMask(paths=["title"])
    )
    error = await rpc_error(stack.tickets.UpdateTicket(update))
    assert error.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("status", [404, 405])
async def test_an_endpoint_the_instance_does_not_serve_is_unimplemented(stack_with, status):
    instance = Instance(
        unknown_endpoint_status=status, unserved=frozenset({"incidents.by.sentiment"})
    )
    stack = await stack_with(SandboxConfig(request_count=20, instance=instance))
    error = await rpc_error(
        stack.tickets.ListTickets(
            t.ListTicketsRequest(
                parent=stack.parent, sentiment=t.SENTIMENT_NEGATIVE, states=[t.TICKET_STATE_OPEN]
            )
        )
    )
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    info = details_of(error)["ErrorInfo"]
    assert info.reason == "OPERATION_NOT_SUPPORTED_BY_VENDOR"
    assert info.metadata["endpoint"] == "incidents.by.sentiment"
    assert info.metadata["operation"] == "deskbridge.v1.TicketService/ListTickets"
    missing = await rpc_error(
        stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", 999_999)))
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND  # a served endpoint's 404


async def test_a_create_answer_without_its_request_id_still_returns_the_ticket(stack_with):
    stack = await stack_with(
        SandboxConfig(request_count=5, instance=Instance(create_names_request=False))
    )
    before = set(stack.state.requests)
    created = await stack.tickets.CreateTicket(
        t.CreateTicketRequest(parent=stack.parent, ticket=creatable_ticket(stack.name, "No id"))
    )
    (new,) = set(stack.state.requests) - before
    assert created.ticket.name == stack.name("tickets", new)
    assert created.ticket.title == "No id"


async def test_concurrent_comments_by_one_author_each_get_their_own(stack):
    ticket = next(iter(stack.state.requests))
    author = stack.name("users", 3)
    bodies = [f"comment number {n}" for n in range(6)]
    made = await asyncio.gather(
        *(
            stack.tickets.CreateComment(
                t.CreateCommentRequest(
                    parent=stack.name("tickets", ticket),
                    comment=t.Comment(body=body, author=author),
                )
            )
            for body in bodies
        )
    )
    assert [m.comment.body for m in made] == bodies
    assert len({m.comment.name for m in made}) == len(bodies)
