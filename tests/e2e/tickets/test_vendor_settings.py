"""The Motadata and CRM.COM adapters against every sandbox setting of a fact no source
records ([I]/[?] in VENDORS.md): each setting the sandbox offers, the adapter right with it."""

from __future__ import annotations

import asyncio
import time

import grpc
import pytest
from e2e_support import rpc_error

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.crmcom import SandboxConfig as CrmComConfig
from deskbridge.sandbox.motadata import SandboxConfig as MotadataConfig
from deskbridge.v1 import common_pb2
from deskbridge.v1 import tickets_pb2 as t


def motadata_ticket(stack, **fields) -> t.Ticket:
    state = stack.state
    requester = next(u for i, u in state.users.items() if state.user_kind[i] == "requester")
    return t.Ticket(title="Settings", requester_email=requester["email"], **fields)


@pytest.mark.parametrize("style", ["spring", "flat"])
async def test_motadata_refusals_in_either_error_style(motadata_with, style):
    stack = await motadata_with(MotadataConfig(request_count=5, error_style=style))
    ticket = motadata_ticket(stack, location=stack.name("locations", "Atlantis"))
    error = await rpc_error(
        stack.tickets.CreateTicket(t.CreateTicketRequest(parent=stack.parent, ticket=ticket))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "Atlantis" in details_of(error)["ErrorInfo"].metadata["vendor_message"]


@pytest.mark.parametrize("answer", ["empty", "object"])
async def test_motadata_delete_whatever_it_answers(motadata_with, answer):
    stack = await motadata_with(MotadataConfig(request_count=5, delete_answer=answer))
    name = stack.name("tickets", next(iter(stack.state.requests)))
    deleted = (await stack.tickets.DeleteTicket(t.DeleteTicketRequest(name=name))).ticket
    assert deleted.name == name
    assert (await rpc_error(stack.tickets.GetTicket(t.GetTicketRequest(name=name)))).code() == (
        grpc.StatusCode.NOT_FOUND
    )


@pytest.mark.parametrize("shape", ["array", "objectList"])
async def test_motadata_conversations_in_either_list_shape(motadata_with, shape):
    stack = await motadata_with(MotadataConfig(request_count=5, conversation_list_shape=shape))
    ticket = next(iter(stack.state.requests))
    listed = await stack.tickets.ListComments(
        t.ListCommentsRequest(parent=stack.name("tickets", ticket))
    )
    assert len(listed.comments) == len(stack.state.conversations.get(ticket, []))


@pytest.mark.parametrize("policy", ["reject", "create"])
async def test_motadata_unknown_requester_either_way(motadata_with, policy):
    stack = await motadata_with(MotadataConfig(request_count=5, unknown_requester=policy))
    ticket = t.Ticket(title="Stranger", requester_email="stranger@example.com")
    call = stack.tickets.CreateTicket(t.CreateTicketRequest(parent=stack.parent, ticket=ticket))
    if policy == "reject":
        assert (await rpc_error(call)).code() == grpc.StatusCode.INVALID_ARGUMENT
    else:
        assert (await call).ticket.requester_email == "stranger@example.com"


@pytest.mark.parametrize("ordering", [True, False])
async def test_motadata_change_feed_with_or_without_ordering_operators(motadata_with, ordering):
    stack = await motadata_with(MotadataConfig(request_count=8, ordering_operators=ordering))
    since = time.time() - 1
    identifier = next(iter(stack.state.requests))
    await stack.tickets.UpdateTicket(
        t.UpdateTicketRequest(
            ticket=t.Ticket(name=stack.name("tickets", identifier), title="Moved"),
            update_mask={"paths": ["title"]},
        )
    )
    feed = stack.runtime.registry.get(stack.backend).capture.source("ticket").changes
    page = await feed(since, None)
    assert [o.message.title for o in page.resources] == ["Moved"]


def crmcom_ticket(stack) -> t.Ticket:
    state = stack.state
    account = next(iter(state.accounts.values()))
    category = next(c for c in state.categories.values() if c["name"] == "Network")
    return t.Ticket(
        title="Settings",
        description="Settings check",
        vendor_type=common_pb2.VendorValue(label="Billing Enquiry"),
        vendor_state=common_pb2.VendorValue(label="Open"),
        category=stack.name("ticketCategories", category["id"]),
        account=stack.name("accounts", account["id"]),
        urgency=common_pb2.VendorValue(label="URGENCY1"),
        impact=common_pb2.VendorValue(label="IMPACT1"),
    )


@pytest.mark.parametrize("http_status", [200, 400])
async def test_crmcom_error_envelopes_at_either_http_status(crmcom_with, http_status):
    stack = await crmcom_with(CrmComConfig(request_count=5, error_http_status=http_status))
    ticket = crmcom_ticket(stack)
    ticket.vendor_state.label = "No Such Status"
    error = await rpc_error(
        stack.tickets.CreateTicket(t.CreateTicketRequest(parent=stack.parent, ticket=ticket))
    )
    assert error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION)
    missing = await rpc_error(
        stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", "F" * 32)))
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize(
    ("code", "jwt"), [("INVALID_TOKEN", False), ("E401", False), ("INVALID_TOKEN", True)]
)
async def test_crmcom_session_expiry_whatever_the_code_and_token_kind(crmcom_with, code, jwt):
    stack = await crmcom_with(
        CrmComConfig(request_count=5, token_idle_seconds=1, auth_error_code=code, jwt_tokens=jwt)
    )
    name = stack.name("tickets", next(iter(stack.state.requests)))
    await stack.tickets.GetTicket(t.GetTicketRequest(name=name))
    await asyncio.sleep(1.3)
    assert (await stack.tickets.GetTicket(t.GetTicketRequest(name=name))).ticket.name == name


@pytest.mark.parametrize("shown", [False, True])
async def test_crmcom_completion_whether_or_not_shown_as_a_state(crmcom_with, shown):
    stack = await crmcom_with(CrmComConfig(request_count=5, completed_life_cycle_state=shown))
    created = (
        await stack.tickets.CreateTicket(
            t.CreateTicketRequest(parent=stack.parent, ticket=crmcom_ticket(stack))
        )
    ).ticket
    user = stack.name("users", next(iter(stack.state.users)))
    await stack.tickets.RespondToTicket(
        t.RespondToTicketRequest(name=created.name, response_category="Acknowledged")
    )
    await stack.tickets.ResolveTicketFinally(
        t.ResolveTicketFinallyRequest(
            name=created.name, resolution_category="Fixed", resolved_by=user
        )
    )
    done = (
        await stack.tickets.AcceptResponse(
            t.AcceptResponseRequest(name=created.name, accepted_by=created.contact)
        )
    ).ticket
    assert done.lifecycle_state == t.LIFECYCLE_STATE_COMPLETED
    assert done.state == t.TICKET_STATE_CLOSED
