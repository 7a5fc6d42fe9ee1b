"""The deskbridge.v1 contracts as loaded descriptors: services, files, gRPC registration."""

from __future__ import annotations

import importlib
from functools import cache

from google.protobuf.descriptor import FileDescriptor, ServiceDescriptor

PACKAGE = "deskbridge.v1"
# Generated modules, in dependency order; one per .proto file under protos/deskbridge/v1.
MODULES = (
    "common",
    "tickets",
    "identity",
    "knowledge",
    "approvals",
    "backends",
    "events",
    "changes",
)
SERVICES = {
    "tickets": "TicketService",
    "identity": "IdentityService",
    "knowledge": "KnowledgeService",
    "approvals": "ApprovalService",
    "backends": "BackendService",
    "changes": "ChangeService",
}


def pb2(module: str):
    """`deskbridge.v1.<module>_pb2`."""
    return importlib.import_module(f"{PACKAGE}.{module}_pb2")


def pb2_grpc(module: str):
    """`deskbridge.v1.<module>_pb2_grpc`."""
    return importlib.import_module(f"{PACKAGE}.{module}_pb2_grpc")


@cache
def contract_files() -> tuple[FileDescriptor, ...]:
    return tuple(pb2(module).DESCRIPTOR for module in MODULES)


def service_descriptor(module: str) -> ServiceDescriptor:
    return pb2(module).DESCRIPTOR.services_by_name[SERVICES[module]]


def full_service_name(module: str) -> str:
    return service_descriptor(module).full_name
