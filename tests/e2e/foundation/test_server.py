"""Issue #2 acceptance: reflection, health, error details, UNIMPLEMENTED, over real gRPC."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from deskbridge.runtime.errors import details_of
from deskbridge.v1 import backends_pb2, backends_pb2_grpc, common_pb2, tickets_pb2, tickets_pb2_grpc

SERVICES = [
    "deskbridge.v1.TicketService",
    "deskbridge.v1.IdentityService",
    "deskbridge.v1.KnowledgeService",
    "deskbridge.v1.ApprovalService",
    "deskbridge.v1.BackendService",
]


async def test_reflection_lists_every_service(adapterless_runtime, channel_to):
    stub = reflection_pb2_grpc.ServerReflectionStub(channel_to(adapterless_runtime))
    call = stub.ServerReflectionInfo()
    await call.write(reflection_pb2.ServerReflectionRequest(list_services=""))
    response = await call.read()
    await call.done_writing()
    listed = {s.name for s in response.list_services_response.service}
    assert set(SERVICES) <= listed
    assert "grpc.health.v1.Health" in listed


@pytest.mark.parametrize("service", ["", *SERVICES])
async def test_health_is_serving(adapterless_runtime, channel_to, service):
    stub = health_pb2_grpc.HealthStub(channel_to(adapterless_runtime))
    response = await stub.Check(health_pb2.HealthCheckRequest(service=service))
    assert response.status == health_pb2.HealthCheckResponse.SERVING


async def test_unknown_backend_is_not_found_with_error_info(adapterless_runtime, channel_to):
    stub = tickets_pb2_grpc.TicketServiceStub(channel_to(adapterless_runtime))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetTicket(tickets_pb2.GetTicketRequest(name="backends/nope/tickets/1"))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    info = details_of(caught.value)["ErrorInfo"]
    assert (info.reason, info.domain, info.metadata["backend"]) == (
        "BACKEND_NOT_FOUND",
        "deskbridge",
        "nope",
    )


@pytest.mark.parametrize(
    "name", ["tickets/1", "backends/helpdesk/users/1", "backends/helpdesk/tickets/"]
)
async def test_malformed_resource_name_is_a_field_violation(adapterless_runtime, channel_to, name):
    stub = tickets_pb2_grpc.TicketServiceStub(channel_to(adapterless_runtime))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetTicket(tickets_pb2.GetTicketRequest(name=name))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = details_of(caught.value)["BadRequest"].field_violations
    assert [v.field for v in violations] == ["name"]


async def test_missing_required_field_and_bad_page_size(adapterless_runtime, channel_to):
    stub = tickets_pb2_grpc.TicketServiceStub(channel_to(adapterless_runtime))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.ListTickets(tickets_pb2.ListTicketsRequest(parent="", page_size=-5))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields = {v.field for v in details_of(caught.value)["BadRequest"].field_violations}
    assert fields == {"parent", "page_size"}


async def test_unsupported_operation_is_unimplemented_naming_vendor_and_operation(
    adapterless_runtime, channel_to
):
    stub = tickets_pb2_grpc.TicketServiceStub(channel_to(adapterless_runtime))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.DeleteTicket(tickets_pb2.DeleteTicketRequest(name="backends/helpdesk/tickets/1"))
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "requestor" in caught.value.details()
    assert "TicketService.DeleteTicket" in caught.value.details()
    info = details_of(caught.value)["ErrorInfo"]
    assert info.metadata["operation"] == "TicketService.DeleteTicket"


async def test_backend_service_reports_capabilities(adapterless_runtime, channel_to):
    stub = backends_pb2_grpc.BackendServiceStub(channel_to(adapterless_runtime))
    listed = await stub.ListBackends(backends_pb2.ListBackendsRequest())
    assert [b.name for b in listed.backends] == ["backends/helpdesk"]
    backend = (
        await stub.GetBackend(backends_pb2.GetBackendRequest(name="backends/helpdesk"))
    ).backend
    assert backend.vendor == common_pb2.VENDOR_REQUESTOR and len(backend.operations) > 100
    supported = {
        o.method for o in backend.operations if o.support != backends_pb2.SUPPORT_UNSUPPORTED
    }
    assert supported == {  # what Requestor's public API can do (VENDORS.md §4.3) ...
        "deskbridge.v1.TicketService/CreateTicket",
        "deskbridge.v1.TicketService/ListServices",
        "deskbridge.v1.TicketService/ListTicketTypes",
        "deskbridge.v1.IdentityService/CreateUser",
    } | {  # ... and what the event view answers for it
        f"deskbridge.v1.{service}/{method}"
        for service, method in (
            ("TicketService", "GetTicket"),
            ("TicketService", "ListTickets"),
            ("IdentityService", "GetUser"),
            ("IdentityService", "ListUsers"),
            ("IdentityService", "GetCompany"),
            ("IdentityService", "ListCompanies"),
        )
    }
    assert "base_url" not in str(backend.operations)


@pytest.mark.parametrize(
    "frame",
    [
        b"\x0a\x02\xff\xfe",  # field 1 (name), a string, bytes that are not UTF-8
        b"\x0a\x0cbackends/",  # field 1 says 12 bytes, 3 are missing
        b"\xff\xff\xff\xff",  # no field at all
    ],
)
async def test_undecodable_request_bytes_are_invalid_argument_with_a_request_id(
    adapterless_runtime, channel_to, frame
):
    call = channel_to(adapterless_runtime).unary_unary(
        "/deskbridge.v1.TicketService/GetTicket",
        request_serializer=None,
        response_deserializer=tickets_pb2.Ticket.FromString,
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call(frame, metadata=(("x-request-id", "garbage-1"),))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info = details_of(caught.value)["ErrorInfo"]
    assert (info.reason, info.metadata["rpc"]) == (
        "MALFORMED_REQUEST",
        "deskbridge.v1.TicketService/GetTicket",
    )
    assert ("x-request-id", "garbage-1") in tuple(caught.value.trailing_metadata())
