"""CRM.COM end to end: real gRPC → Deskbridge → the CRM.COM sandbox over HTTP, events on a
real nats-server; the service-request life cycle step by step."""

from __future__ import annotations

import asyncio

import grpc
from e2e_events import stored_events
from e2e_support import rpc_error, supported_methods
from google.protobuf import timestamp_pb2

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.crmcom import SandboxConfig
from deskbridge.v1 import backends_pb2, common_pb2, identity_pb2
from deskbridge.v1 import tickets_pb2 as t

TICKETS = "deskbridge.v1.TicketService/"
IDENTITY = "deskbridge.v1.IdentityService/"
SUPPORTED = {
    TICKETS + rpc
    for rpc in (
        "CreateTicket GetTicket BatchGetTickets ListTickets UpdateTicket RespondToTicket "
        "AcceptResponse ResolveTicketTemporarily ResolveTicketFinally "
        "ListTicketsCloseToEstimatedCompletion ListLinkedTickets LinkTickets"
    ).split()
} | {IDENTITY + rpc for rpc in "GetContact ListContacts GetAccount ListAccounts".split()}


def by_name(table: dict, name: str) -> dict:
    return next(r for r in table.values() if r["name"] == name)


def new_ticket(stack, description: str = "Internet is down since 9:00") -> t.Ticket:
    state = stack.state
    account = next(iter(state.accounts.values()))
    return t.Ticket(
        title="Internet down",
        description=description,
        vendor_type=common_pb2.VendorValue(label="Billing Enquiry"),  # emails no customer
        vendor_state=common_pb2.VendorValue(label="Open"),
        category=stack.name("ticketCategories", by_name(state.categories, "Network")["id"]),
        account=stack.name("accounts", account["id"]),
        contact=stack.name("contacts", account["owner_id"]),
        requester_email="caller@example.com",
        notes="called twice",
        urgency=common_pb2.VendorValue(label="URGENCY2"),
        impact=common_pb2.VendorValue(label="IMPACT1"),
    )


async def test_backend_service_pins_what_crmcom_supports(crmcom):
    request = backends_pb2.GetBackendRequest(name=crmcom.parent)
    assert (await crmcom.backends.GetBackend(request)).backend.vendor == common_pb2.VENDOR_CRMCOM
    assert await supported_methods(crmcom) == SUPPORTED


async def test_the_whole_life_cycle_one_event_per_step(crmcom):
    created = (
        await crmcom.tickets.CreateTicket(
            t.CreateTicketRequest(parent=crmcom.parent, ticket=new_ticket(crmcom))
        )
    ).ticket
    assert created.lifecycle_state == t.LIFECYCLE_STATE_PENDING
    assert created.vendor_record.display_id.startswith("SR")
    assert created.title == "Internet is down since 9:00"
    contact = created.contact
    user = crmcom.name("users", next(iter(crmcom.state.users)))
    steps = []
    responded = (
        await crmcom.tickets.RespondToTicket(
            t.RespondToTicketRequest(name=created.name, response_category="Proposed Solution")
        )
    ).ticket
    steps.append(responded.lifecycle_state)
    accepted = (
        await crmcom.tickets.AcceptResponse(
            t.AcceptResponseRequest(name=created.name, accepted_by=contact)
        )
    ).ticket
    steps.append(accepted.lifecycle_state)
    now = timestamp_pb2.Timestamp()
    now.GetCurrentTime()
    temporary = (
        await crmcom.tickets.ResolveTicketTemporarily(
            t.ResolveTicketTemporarilyRequest(
                name=created.name,
                resolution_category="Workaround",
                resolved_by=user,
                resolve_time=now,
                accepted_by=contact,
            )
        )
    ).ticket
    steps.append(temporary.lifecycle_state)
    final = (
        await crmcom.tickets.ResolveTicketFinally(
            t.ResolveTicketFinallyRequest(
                name=created.name, resolution_category="Fixed", resolved_by=user
            )
        )
    ).ticket
    steps.append(final.lifecycle_state)
    completed = (
        await crmcom.tickets.AcceptResponse(
            t.AcceptResponseRequest(name=created.name, accepted_by=contact)
        )
    ).ticket
    steps.append(completed.lifecycle_state)
    assert steps == [
        t.LIFECYCLE_STATE_RESPONDED,
        t.LIFECYCLE_STATE_RESPONDED,
        t.LIFECYCLE_STATE_TEMPORARY_RESOLVED,
        t.LIFECYCLE_STATE_FINAL_RESOLVED,
        t.LIFECYCLE_STATE_COMPLETED,
    ]
    assert completed.state == t.TICKET_STATE_CLOSED
    assert completed.vendor_state.label  # the vendor's status is kept beside it
    events = await stored_events(crmcom.runtime.settings.nats_url, crmcom.backend)
    mine = [e.subject.rsplit(".", 1)[-1] for e in events if e.headers["ce-subject"] == created.name]
    assert mine == [
        "created",
        "responded",
        "response_accepted",
        "resolved",
        "resolved",
        "response_accepted",
    ]


async def test_get_list_and_the_lifecycle_filters(crmcom):
    state = crmcom.state
    seen, token = [], ""
    while True:
        page = await crmcom.tickets.ListTickets(
            t.ListTicketsRequest(parent=crmcom.parent, page_size=6, page_token=token)
        )
        seen.extend(page.tickets)
        token = page.next_page_token
        if not token:
            break
    ids = [x.vendor_record.remote_id for x in seen]
    assert len(ids) == len(set(ids)) and set(ids) == set(state.requests)
    pending = await crmcom.tickets.ListTickets(
        t.ListTicketsRequest(
            parent=crmcom.parent, lifecycle_state=t.LIFECYCLE_STATE_PENDING, page_size=100
        )
    )
    expected = {
        i for i, x in zip(ids, seen, strict=True) if x.lifecycle_state == t.LIFECYCLE_STATE_PENDING
    }
    assert expected and {x.vendor_record.remote_id for x in pending.tickets} == expected
    account = next(iter(state.accounts))
    mine = await crmcom.tickets.ListTickets(
        t.ListTicketsRequest(
            parent=crmcom.parent, account=crmcom.name("accounts", account), page_size=100
        )
    )
    assert {x.vendor_record.remote_id for x in mine.tickets} == {
        i for i, r in state.requests.items() if r["account_id"] == account
    }
    got = (await crmcom.tickets.GetTicket(t.GetTicketRequest(name=seen[0].name))).ticket
    assert got.name == seen[0].name and got.account
    batch = await crmcom.tickets.BatchGetTickets(
        t.BatchGetTicketsRequest(parent=crmcom.parent, names=[x.name for x in seen[:3]])
    )
    assert [x.name for x in batch.tickets] == [x.name for x in seen[:3]]


async def test_bad_input_and_absent_requests(crmcom):
    ticket = new_ticket(crmcom)
    ticket.ClearField("account")
    error = await rpc_error(
        crmcom.tickets.CreateTicket(t.CreateTicketRequest(parent=crmcom.parent, ticket=ticket))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details_of(error)["BadRequest"].field_violations[0].field == "ticket.account"
    ticket = new_ticket(crmcom)
    ticket.vendor_state.label = "No Such Status"
    refused = await rpc_error(
        crmcom.tickets.CreateTicket(t.CreateTicketRequest(parent=crmcom.parent, ticket=ticket))
    )
    assert refused.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION)
    assert "vendor_code" in details_of(refused)["ErrorInfo"].metadata
    shown = refused.details() + str(details_of(refused))
    assert crmcom.state.tokens and not any(token in shown for token in crmcom.state.tokens)
    missing = await rpc_error(
        crmcom.tickets.GetTicket(t.GetTicketRequest(name=crmcom.name("tickets", "F" * 32)))
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND


async def test_session_expiry_mid_run_is_invisible_and_logs_in_once(crmcom_with):
    stack = await crmcom_with(SandboxConfig(request_count=5, token_idle_seconds=1))
    name = stack.name("tickets", next(iter(stack.state.requests)))
    await stack.tickets.GetTicket(t.GetTicketRequest(name=name))
    issued = stack.state.tokens_issued
    await asyncio.sleep(1.3)  # idle past the session's life: a hundred calls arrive at once
    await asyncio.gather(
        *(stack.tickets.GetTicket(t.GetTicketRequest(name=name)) for _ in range(100))
    )
    assert stack.state.tokens_issued == issued + 1
    log = await stack.sandbox_log()
    assert not any("sandbox-password" in e["query"] for e in log)


async def test_reads_are_retried_and_writes_are_not(crmcom):
    name = crmcom.name("tickets", next(iter(crmcom.state.requests)))
    await crmcom.set_faults(
        fail_next=[{"key": "service_requests/show", "method": "GET", "status": 503}]
    )
    await crmcom.control.delete("/_sandbox/requests")
    await crmcom.tickets.GetTicket(t.GetTicketRequest(name=name))
    shows = [e["status"] for e in await crmcom.sandbox_log() if e["key"] == "service_requests/show"]
    assert shows == [503, 200]
    await crmcom.set_faults(
        fail_next=[{"key": "service_requests/create", "method": "POST", "status": 503}]
    )
    before = len(crmcom.state.requests)
    error = await rpc_error(
        crmcom.tickets.CreateTicket(
            t.CreateTicketRequest(parent=crmcom.parent, ticket=new_ticket(crmcom))
        )
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    creates = [e for e in await crmcom.sandbox_log() if e["key"] == "service_requests/create"]
    assert len(creates) == 1 and len(crmcom.state.requests) == before


async def test_twenty_concurrent_creates_with_one_request_id_make_one_request(crmcom):
    before = set(crmcom.state.requests)
    request = t.CreateTicketRequest(
        parent=crmcom.parent, request_id="crm-once-1", ticket=new_ticket(crmcom, "Once only")
    )
    outcomes = await asyncio.gather(
        *(crmcom.tickets.CreateTicket(request) for _ in range(20)), return_exceptions=True
    )
    made = set(crmcom.state.requests) - before
    assert len(made) == 1
    names = {o.ticket.name for o in outcomes if not isinstance(o, Exception)}
    assert names == {crmcom.name("tickets", made.pop())}
    for outcome in outcomes:
        if isinstance(outcome, grpc.aio.AioRpcError):
            assert outcome.code() == grpc.StatusCode.ABORTED


async def test_contacts_accounts_and_close_to_completion(crmcom):
    state = crmcom.state
    contacts = await crmcom.identity.ListContacts(
        identity_pb2.ListContactsRequest(parent=crmcom.parent, page_size=100)
    )
    assert {c.vendor_record.remote_id for c in contacts.contacts} == set(state.contacts)
    one = contacts.contacts[0]
    got = (await crmcom.identity.GetContact(identity_pb2.GetContactRequest(name=one.name))).contact
    assert got.display_name == one.display_name
    record = state.contacts[got.vendor_record.remote_id]
    assert got.email == record["emails"][0]["email_address"] and got.phone
    accounts = await crmcom.identity.ListAccounts(
        identity_pb2.ListAccountsRequest(parent=crmcom.parent, page_size=100)
    )
    assert {a.vendor_record.remote_id for a in accounts.accounts} == set(state.accounts)
    account = accounts.accounts[0]
    again = (
        await crmcom.identity.GetAccount(identity_pb2.GetAccountRequest(name=account.name))
    ).account
    assert again.number == account.number and again.contact
    close = await crmcom.tickets.ListTicketsCloseToEstimatedCompletion(
        t.ListTicketsCloseToEstimatedCompletionRequest(
            parent=crmcom.parent, period=30, unit=common_pb2.TIME_UNIT_DAYS
        )
    )
    assert all(x.lifecycle_state != t.LIFECYCLE_STATE_FINAL_RESOLVED for x in close.tickets)
    bad = await rpc_error(
        crmcom.tickets.ListTicketsCloseToEstimatedCompletion(
            t.ListTicketsCloseToEstimatedCompletionRequest(parent=crmcom.parent, period=0)
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT
