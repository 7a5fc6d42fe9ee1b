"""Requestor's public API through Deskbridge (VENDORS.md §4.3): create tickets and users, read
the services and ticket types — over real gRPC, against the sandbox over HTTP, with events."""

from __future__ import annotations

import grpc
import pytest
from e2e_events import decoded, stored_events
from e2e_support import rpc_error

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.requestor import SandboxConfig
from deskbridge.v1 import common_pb2, identity_pb2
from deskbridge.v1 import tickets_pb2 as t


def new_ticket(stack, subject: str = "Printer jammed") -> t.Ticket:
    state = stack.state
    return t.Ticket(
        title=subject,
        description="Paper stuck in tray 2",
        vendor_type=common_pb2.VendorValue(id=str(next(iter(state.ticket_types)))),
        service=stack.name("services", next(iter(state.services))),
        requester_email="jane@example.com",
        solver_key="operator1",
    )


@pytest.mark.parametrize("answer", ["entity", "id"])
async def test_create_ticket_maps_the_pascalcase_body_and_publishes_it(requestor_with, answer):
    stack = await requestor_with(SandboxConfig(new_ticket_answer=answer))
    before = set(stack.state.tickets)
    created = (
        await stack.tickets.CreateTicket(
            t.CreateTicketRequest(parent=stack.parent, ticket=new_ticket(stack))
        )
    ).ticket
    (made,) = set(stack.state.tickets) - before
    record = stack.state.tickets[made]
    assert (record["Subject"], record["Message"], record["SubmitterEmail"]) == (
        "Printer jammed",
        "Paper stuck in tray 2",
        "jane@example.com",
    )
    assert record["SolverUserProviderKey"] == "operator1"
    assert created.name == stack.name("tickets", made) and created.title == "Printer jammed"
    events = await stored_events(stack.runtime.settings.nats_url, stack.backend)
    mine = [e for e in events if e.headers["ce-subject"] == created.name]
    assert [e.subject.rsplit(".", 1)[-1] for e in mine] == ["created"]
    assert decoded(mine[0]).ticket.title == "Printer jammed"


async def test_a_create_answered_with_nothing_is_an_unconfirmed_write(requestor_with):
    stack = await requestor_with(SandboxConfig(new_ticket_answer="empty"))
    before = len(stack.state.tickets)
    error = await rpc_error(
        stack.tickets.CreateTicket(
            t.CreateTicketRequest(parent=stack.parent, ticket=new_ticket(stack))
        )
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert details_of(error)["ErrorInfo"].reason == "UPSTREAM_WRITE_NOT_VISIBLE"
    assert len(stack.state.tickets) == before + 1  # written: a retry must not repeat it blindly


async def test_what_requestor_refuses_names_the_request_fields(requestor_with):
    stack = await requestor_with(SandboxConfig())
    ticket = new_ticket(stack)
    ticket.vendor_type.id = "999"  # no such ticket type
    error = await rpc_error(
        stack.tickets.CreateTicket(t.CreateTicketRequest(parent=stack.parent, ticket=ticket))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields = {v.field for v in details_of(error)["BadRequest"].field_violations}
    assert fields == {"ticket.vendor_type"}
    missing = new_ticket(stack)
    missing.ClearField("service")
    local = await rpc_error(
        stack.tickets.CreateTicket(t.CreateTicketRequest(parent=stack.parent, ticket=missing))
    )
    assert [v.field for v in details_of(local)["BadRequest"].field_violations] == ["ticket.service"]


async def test_create_user_with_roles_and_companies(requestor_with):
    stack = await requestor_with(SandboxConfig())
    company = next(iter(stack.state.companies.values()))["Name"]
    made = (
        await stack.identity.CreateUser(
            identity_pb2.CreateUserRequest(
                parent=stack.parent,
                password="S3cret!pass",
                force_password_change=True,
                user=identity_pb2.User(
                    given_name="Ada",
                    family_name="Lovelace",
                    username="ada",
                    email="ada@example.com",
                    company_names=[company],
                    roles=identity_pb2.UserRoles(end_user=True, operator=True),
                ),
            )
        )
    ).user
    record = stack.state.user_named("ada")
    assert record is not None and made.name == stack.name("users", record["Id"])
    assert set(record["Roles"]) == {"EndUser", "Operator"}
    assert made.roles.operator and not made.roles.administrator
    duplicate = await rpc_error(
        stack.identity.CreateUser(
            identity_pb2.CreateUserRequest(
                parent=stack.parent,
                user=identity_pb2.User(given_name="A", username="ada", email="a@b.c"),
            )
        )
    )
    assert duplicate.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details_of(duplicate)["BadRequest"].field_violations[0].field == "user.username"


async def test_services_and_ticket_types_are_the_instances(requestor_with):
    stack = await requestor_with(SandboxConfig())
    services = await stack.tickets.ListServices(t.ListServicesRequest(parent=stack.parent))
    assert {(int(s.value.id), s.value.label) for s in services.services} == set(
        stack.state.services.items()
    )
    kinds = await stack.tickets.ListTicketTypes(t.ListTicketTypesRequest(parent=stack.parent))
    assert {(int(k.value.id), k.value.label) for k in kinds.types} == set(
        stack.state.ticket_types.items()
    )


async def test_what_neither_the_api_nor_the_event_view_can_do_is_unimplemented(requestor_with):
    stack = await requestor_with(SandboxConfig())
    error = await rpc_error(
        stack.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(name=stack.name("tickets", 1), title="x"),
                update_mask={"paths": ["title"]},
            )
        )
    )
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert details_of(error)["ErrorInfo"].metadata["vendor"] == "requestor"
