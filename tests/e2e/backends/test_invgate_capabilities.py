"""BackendService reports every operation InvGate can do, and nothing it cannot (issue #4)."""

from __future__ import annotations

import grpc
import pytest

from deskbridge.runtime.errors import details_of
from deskbridge.v1 import backends_pb2, tickets_pb2

# What InvGate has no endpoint for (VENDORS.md §1.4), each with the reason.
CANNOT = {
    "TicketService/DeleteTicket": "no DELETE for requests; they can only be cancelled",
    "TicketService/UpdateComment": "comments cannot be edited through the API",
    "TicketService/RespondToTicket": "CRM.COM service-request life cycle",
    "TicketService/AcceptResponse": "CRM.COM service-request life cycle",
    "TicketService/ResolveTicketTemporarily": "CRM.COM service-request life cycle",
    "TicketService/ResolveTicketFinally": "CRM.COM service-request life cycle",
    "TicketService/ListTicketsCloseToEstimatedCompletion": "CRM.COM only",
    "TicketService/ListServices": "CRM.COM service catalogue",
    "IdentityService/GetContact": "CRM.COM contacts",
    "IdentityService/ListContacts": "CRM.COM contacts",
    "IdentityService/GetAccount": "CRM.COM accounts",
    "IdentityService/ListAccounts": "CRM.COM accounts",
}
PARTIAL = {"TicketService/ListTickets", "IdentityService/ListUsers"}


async def test_every_routed_rpc_is_supported_except_what_invgate_cannot_do(stack):
    backend = (
        await stack.backends.GetBackend(backends_pb2.GetBackendRequest(name=stack.parent))
    ).backend
    support = {op.method.removeprefix("deskbridge.v1."): op for op in backend.operations}
    unsupported = {m for m, op in support.items() if op.support == backends_pb2.SUPPORT_UNSUPPORTED}
    partial = {m for m, op in support.items() if op.support == backends_pb2.SUPPORT_PARTIAL}
    assert unsupported == set(CANNOT)
    assert partial == PARTIAL and all(support[m].note for m in partial)
    services = {m.split("/")[0] for m in support}
    assert services == {"TicketService", "IdentityService", "KnowledgeService", "ApprovalService"}
    assert len(support) - len(unsupported) >= 120


async def test_an_unsupported_rpc_answers_unimplemented_naming_vendor_and_operation(stack):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stack.tickets.DeleteTicket(
            tickets_pb2.DeleteTicketRequest(name=stack.name("tickets", 1000))
        )
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "invgate" in caught.value.details() and "DeleteTicket" in caught.value.details()
    info = details_of(caught.value)["ErrorInfo"]
    assert info.reason == "OPERATION_NOT_SUPPORTED_BY_VENDOR"
