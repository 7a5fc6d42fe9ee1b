"""Values no InvGate request can carry are the caller's error (INVALID_ARGUMENT with the
field), never INTERNAL — and the error quotes only a bounded part of what was sent."""

from __future__ import annotations

import grpc
import pytest
from e2e_support import creatable_ticket, rpc_error

from deskbridge.runtime.errors import details_of
from deskbridge.v1 import tickets_pb2 as t


def ticket(stack, **fields) -> t.Ticket:
    return creatable_ticket(stack.name, "Hostile", **fields)


@pytest.mark.parametrize(
    ("field", "value"), [("priority", 99), ("type", 7), ("priority", -(2**31))]
)
async def test_an_undefined_enum_number_is_invalid_argument(stack, field, value):
    before = len(stack.state.requests)
    request = t.CreateTicketRequest(parent=stack.parent, ticket=ticket(stack, **{field: value}))
    error = await rpc_error(stack.tickets.CreateTicket(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = details_of(error)["BadRequest"].field_violations
    assert [v.field for v in violations] == [f"ticket.{field}"]
    assert len(stack.state.requests) == before  # nothing reached the vendor


@pytest.mark.parametrize("identifier", ["9" * 5000, "١٢٣", "12345678901234567890"])
async def test_an_id_no_invgate_can_have_is_invalid_argument_quoted_briefly(stack, identifier):
    name = f"{stack.parent}/tickets/{identifier}"
    error = await rpc_error(stack.tickets.GetTicket(t.GetTicketRequest(name=name)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert len(error.details()) < 300
    assert details_of(error)["BadRequest"].field_violations[0].field == "name"


@pytest.mark.parametrize(
    "name",
    ["backends/" + "x" * 100_000, "{parent}/tickets/" + "é" * 50_000, "{parent}/" + "q" * 9_000],
)
async def test_an_error_about_a_huge_value_still_fits_its_trailers(stack, name):
    request = t.GetTicketRequest(name=name.format(parent=stack.parent))
    error = await rpc_error(stack.tickets.GetTicket(request))
    assert error.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND)
    assert details_of(error)["ErrorInfo"].reason
    assert len(error.details()) <= 1000


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, grpc.StatusCode.INVALID_ARGUMENT),
        (414, grpc.StatusCode.INVALID_ARGUMENT),
        (409, grpc.StatusCode.FAILED_PRECONDITION),
    ],
)
async def test_a_vendor_4xx_is_the_callers_error_not_a_retryable_outage(stack, status, code):
    await stack.set_faults(fail_next=[{"key": "incident", "method": "GET", "status": status}])
    request = t.GetTicketRequest(name=stack.name("tickets", 1001))
    error = await rpc_error(stack.tickets.GetTicket(request))
    assert error.code() == code
    assert details_of(error)["ErrorInfo"].metadata["vendor_http_status"] == str(status)


@pytest.mark.parametrize("seconds", [253_402_300_800, -62_135_596_801])
async def test_a_time_no_timestamp_can_hold_is_refused_before_the_vendor(stack, seconds):
    before = len(stack.state.requests)
    hostile = ticket(stack)
    hostile.occurred_time.seconds = seconds
    error = await rpc_error(
        stack.tickets.CreateTicket(t.CreateTicketRequest(parent=stack.parent, ticket=hostile))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = details_of(error)["BadRequest"].field_violations
    assert [v.field for v in violations] == ["ticket.occurred_time"]
    assert len(stack.state.requests) == before


async def test_one_odd_vendor_time_does_not_break_reads(stack):
    stack.state.requests[1001]["last_update"] = 10**14  # year ~3.17 million
    got = await stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", 1001)))
    assert not got.ticket.vendor_record.HasField("update_time")
    assert got.ticket.vendor_record.remote_data["last_update"] == 10**14  # kept, as sent
    listed = await stack.tickets.ListTickets(
        t.ListTicketsRequest(parent=stack.parent, page_size=100)
    )
    assert stack.name("tickets", 1001) in {x.name for x in listed.tickets}
