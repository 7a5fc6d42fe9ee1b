"""Services reach the gRPC server through generic handlers only (runtime/server.py says why)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from deskbridge.runtime.server import GenericHandlersOnly
from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc


@dataclass
class RecordingServer:
    generic: list = field(default_factory=list)
    registered: list[str] = field(default_factory=list)

    def add_generic_rpc_handlers(self, handlers) -> None:
        self.generic.extend(handlers)

    def add_registered_method_handlers(self, service_name: str, handlers) -> None:
        self.registered.append(service_name)


@dataclass(frozen=True)
class CallDetails:
    method: str
    invocation_metadata: tuple = ()


@pytest.fixture
def recorded() -> RecordingServer:
    server = RecordingServer()
    tickets_pb2_grpc.add_TicketServiceServicer_to_server(
        tickets_pb2_grpc.TicketServiceServicer(), GenericHandlersOnly(server)
    )
    return server


def test_per_method_registrations_are_not_passed_on(recorded):
    assert recorded.registered == []


def test_the_generic_handler_serves_every_method_of_the_service(recorded):
    (handler,) = recorded.generic
    service = tickets_pb2.DESCRIPTOR.services_by_name["TicketService"]
    for method in service.methods:
        found = handler.service(CallDetails(f"/{service.full_name}/{method.name}"))
        assert found is not None and found.unary_unary is not None, method.name
    assert handler.service(CallDetails(f"/{service.full_name}/NoSuchMethod")) is None
