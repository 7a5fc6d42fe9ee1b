"""Reads of a vendor without reads: Requestor's tickets, users and companies answered from the
event view (its own writes and the triggers), over real gRPC, NATS and the sandbox."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from e2e_support import rpc_error
from requestor_support import requestor_backend, requestor_watched, start_deskbridge

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.requestor import ScriptedFault
from deskbridge.v1 import backends_pb2, common_pb2, identity_pb2
from deskbridge.v1 import tickets_pb2 as t


def new_ticket(stack, subject: str = "Projector flickers") -> t.Ticket:
    state = stack.state
    return t.Ticket(
        title=subject,
        description="Room 4, since Monday",
        vendor_type=common_pb2.VendorValue(id=str(next(iter(state.ticket_types)))),
        service=stack.name("services", next(iter(state.services))),
        requester_email="jane@example.com",
    )


async def _eventually(call, check, timeout: float = 5.0):  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            answer = await call()
        except grpc.aio.AioRpcError as error:  # not in the view yet
            if error.code() != grpc.StatusCode.NOT_FOUND:
                raise
            answer = None
        if answer is not None and check(answer):
            return answer
        assert asyncio.get_running_loop().time() < deadline, answer
        await asyncio.sleep(0.05)


async def test_what_deskbridge_wrote_is_read_back_at_once(tmp_path, nats_server):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        created = (
            await stack.tickets.CreateTicket(
                t.CreateTicketRequest(parent=stack.parent, ticket=new_ticket(stack))
            )
        ).ticket
        got = (await stack.tickets.GetTicket(t.GetTicketRequest(name=created.name))).ticket
        assert got.title == "Projector flickers" and got.vendor_state.label == "New"
        listed = (
            await stack.tickets.ListTickets(t.ListTicketsRequest(parent=stack.parent))
        ).tickets
        assert [x.name for x in listed] == [created.name]  # seeded tickets were never seen
        user = (
            await stack.identity.CreateUser(
                identity_pb2.CreateUserRequest(
                    parent=stack.parent,
                    user=identity_pb2.User(
                        username="ann", email="ann@example.com", given_name="Ann"
                    ),
                    password="s3cret-Pass",
                )
            )
        ).user
        read = (await stack.identity.GetUser(identity_pb2.GetUserRequest(name=user.name))).user
        assert (read.username, read.email, read.given_name) == ("ann", "ann@example.com", "Ann")


async def test_the_vendors_own_changes_reach_the_reads(tmp_path, nats_server):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        ticket = await stack.operator(
            "POST",
            "tickets",
            {
                "Type": 1,
                "ServiceId": 1,
                "Subject": "Badge reader",
                "Message": "Door 2",
                "SubmitterEmail": "bob@example.com",
            },
        )
        name = stack.name("tickets", ticket["Id"])
        await stack.operator("POST", f"tickets/{ticket['Id']}", {"State": "In Progress"})
        got = await _eventually(
            lambda: stack.tickets.GetTicket(t.GetTicketRequest(name=name)),
            lambda answer: answer.ticket.vendor_state.label == "In Progress",
        )
        assert got.ticket.title == "Badge reader"
        assert got.ticket.vendor_record.remote_data["Subject"] == "Badge reader"
        company = await stack.operator("POST", "companies", {"Name": "Initech"})
        company_name = stack.name("companies", company["Id"])
        found = await _eventually(
            lambda: stack.identity.ListCompanies(
                identity_pb2.ListCompaniesRequest(parent=stack.parent)
            ),
            lambda answer: [c.name for c in answer.companies] == [company_name],
        )
        assert found.companies[0].display_name == "Initech"
        await stack.operator("DELETE", f"companies/{company['Id']}")
        await _eventually(
            lambda: stack.identity.ListCompanies(
                identity_pb2.ListCompaniesRequest(parent=stack.parent)
            ),
            lambda answer: not answer.companies,
        )
        gone = (
            await stack.identity.GetCompany(identity_pb2.GetCompanyRequest(name=company_name))
        ).company
        assert gone.deleted  # Requestor keeps it, marked


async def test_lists_page_in_id_order_and_refuse_filters_the_view_cannot_apply(
    tmp_path, nats_server
):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        names = []
        for n in range(5):
            made = await stack.tickets.CreateTicket(
                t.CreateTicketRequest(parent=stack.parent, ticket=new_ticket(stack, f"T{n}"))
            )
            names.append(made.ticket.name)
        pages, token = [], ""
        while True:
            page = await stack.tickets.ListTickets(
                t.ListTicketsRequest(parent=stack.parent, page_size=2, page_token=token)
            )
            pages.append([x.name for x in page.tickets])
            token = page.next_page_token
            if not token:
                break
        assert pages == [names[0:2], names[2:4], names[4:]]
        error = await rpc_error(
            stack.tickets.ListTickets(
                t.ListTicketsRequest(parent=stack.parent, states=[t.TICKET_STATE_OPEN])
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in details_of(error)["BadRequest"].field_violations] == ["states"]
        missing = await rpc_error(
            stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", 99999)))
        )
        assert missing.code() == grpc.StatusCode.NOT_FOUND


async def test_the_view_survives_a_restart(tmp_path, nats_server):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        created = (
            await stack.tickets.CreateTicket(
                t.CreateTicketRequest(parent=stack.parent, ticket=new_ticket(stack))
            )
        ).ticket
        await stack.disconnect()
        await stack.runtime.stop()
        stack.connect(
            await start_deskbridge(
                tmp_path, nats_server.url, requestor_backend(stack.backend, stack.sandbox)
            )
        )
        got = (await stack.tickets.GetTicket(t.GetTicketRequest(name=created.name))).ticket
        assert got.title == created.title
        listed = (
            await stack.tickets.ListTickets(t.ListTicketsRequest(parent=stack.parent))
        ).tickets
        assert [x.name for x in listed] == [created.name]


async def test_the_backend_says_which_reads_come_from_the_event_view(tmp_path, nats_server):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        await stack.tickets.CreateTicket(
            t.CreateTicketRequest(parent=stack.parent, ticket=new_ticket(stack))
        )
        backend = (
            await stack.backends.GetBackend(backends_pb2.GetBackendRequest(name=stack.parent))
        ).backend
        by_method = {o.method.rsplit("/", 1)[1]: o for o in backend.operations}
        for method in (
            "GetTicket",
            "ListTickets",
            "GetUser",
            "ListUsers",
            "GetCompany",
            "ListCompanies",
        ):
            operation = by_method[method]
            assert operation.source == backends_pb2.ANSWER_SOURCE_EVENT_VIEW, method
            assert (
                operation.support == backends_pb2.SUPPORT_PARTIAL and "event view" in operation.note
            )
            assert operation.HasField("view_update_time"), method
        assert by_method["CreateTicket"].source == backends_pb2.ANSWER_SOURCE_VENDOR
        assert by_method["UpdateTicket"].support == backends_pb2.SUPPORT_UNSUPPORTED
        error = await rpc_error(
            stack.tickets.UpdateTicket(
                t.UpdateTicketRequest(
                    ticket=t.Ticket(name=stack.name("tickets", 1), title="x"),
                    update_mask={"paths": ["title"]},
                )
            )
        )
        assert error.code() == grpc.StatusCode.UNIMPLEMENTED and "UpdateTicket" in error.details()


async def test_a_create_that_timed_out_is_found_through_its_trigger(tmp_path, nats_server):
    """NewTicket applied, then answered 503: the retry with the same request_id finds the
    ticket TicketCreated announced, and Requestor holds one ticket, not two."""
    fault = ScriptedFault(key="Tickets/NewTicket", method="POST", status=503, when="after")
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        stack.sandbox.app.state.sandbox.kit.faults.fail_next.append(fault)
        before = len(stack.state.tickets)
        request = t.CreateTicketRequest(
            parent=stack.parent,
            ticket=new_ticket(stack),
            request_id="8a1c7d52-2f4e-4c1f-9e39-5bf1d1a7c001",
        )
        error = await rpc_error(stack.tickets.CreateTicket(request))
        assert error.code() == grpc.StatusCode.UNAVAILABLE
        assert len(stack.state.tickets) == before + 1  # it was written
        found = await _eventually(
            lambda: _answer(stack.tickets.CreateTicket(request)), lambda answer: answer is not None
        )
        (made,) = set(stack.state.tickets) - set(list(stack.state.tickets)[:before])
        assert found.ticket.name == stack.name("tickets", made)
        assert len(stack.state.tickets) == before + 1


@pytest.mark.parametrize("settle", [0.5])
async def test_a_create_refused_before_writing_is_made_once_after_the_settle_time(
    tmp_path, nats_server, settle
):
    fault = ScriptedFault(key="Tickets/NewTicket", method="POST", status=503, when="before")
    async with requestor_watched(
        tmp_path, nats_server.url, reconcile_settle_seconds=settle
    ) as stack:
        stack.sandbox.app.state.sandbox.kit.faults.fail_next.append(fault)
        before = len(stack.state.tickets)
        request = t.CreateTicketRequest(
            parent=stack.parent,
            ticket=new_ticket(stack),
            request_id="8a1c7d52-2f4e-4c1f-9e39-5bf1d1a7c002",
        )
        assert (
            await rpc_error(stack.tickets.CreateTicket(request))
        ).code() == grpc.StatusCode.UNAVAILABLE
        early = await rpc_error(stack.tickets.CreateTicket(request))  # it may yet be announced
        assert early.code() == grpc.StatusCode.UNAVAILABLE
        assert details_of(early)["ErrorInfo"].reason == "OUTCOME_UNKNOWN"
        assert len(stack.state.tickets) == before
        await asyncio.sleep(settle)
        made = (await stack.tickets.CreateTicket(request)).ticket
        assert len(stack.state.tickets) == before + 1
        again = (await stack.tickets.CreateTicket(request)).ticket
        assert again.name == made.name and len(stack.state.tickets) == before + 1


async def _answer(call):
    try:
        return await call
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.UNAVAILABLE:
            return None
        raise
