"""Helpers shared by the end-to-end tests."""

from __future__ import annotations

import socket
from dataclasses import replace

import grpc
import pytest

from deskbridge.runtime.settings import BackendConfig, Secret, Settings
from deskbridge.v1 import backends_pb2, tickets_pb2


def invgate_backend(name: str, sandbox_url: str) -> BackendConfig:
    """Backend `name` on an InvGate sandbox, with the sandbox's HTTP Basic credentials."""
    return BackendConfig(
        name=name,
        vendor="invgate",
        base_url=sandbox_url,
        credentials={"username": Secret("api"), "password": Secret("sandbox-token")},
    )


def settings_for(tmp_path, *backends: BackendConfig, nats_url: str | None = None) -> Settings:
    return replace(
        Settings(grpc_address="127.0.0.1:0", data_dir=tmp_path, shutdown_grace_seconds=5),
        nats_url=nats_url,
        backends=backends,
    )


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    """The gRPC error `awaitable` fails with (the test fails if it succeeds)."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await awaitable
    return caught.value


async def support_by_rpc(stack, service: str) -> dict[str, int]:
    """BackendService's support level of each RPC of `service` (e.g. "ApprovalService")."""
    request = backends_pb2.GetBackendRequest(name=stack.parent)
    backend = (await stack.backends.GetBackend(request)).backend
    prefix = f"deskbridge.v1.{service}/"
    return {
        op.method.removeprefix(prefix): op.support
        for op in backend.operations
        if op.method.startswith(prefix)
    }


async def supported_methods(stack) -> set[str]:
    """The full methods BackendService reports as not UNSUPPORTED for `stack`'s backend."""
    request = backends_pb2.GetBackendRequest(name=stack.parent)
    backend = (await stack.backends.GetBackend(request)).backend
    return {o.method for o in backend.operations if o.support != backends_pb2.SUPPORT_UNSUPPORTED}


def free_port() -> int:
    """A TCP port nothing listens on right now (for processes that need a fixed one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def creatable_ticket(name, title: str, **fields) -> tickets_pb2.Ticket:
    """A ticket the seeded InvGate sandbox accepts; `name(collection, id)` names resources."""
    base = dict(
        title=title,
        requester=name("users", 101),
        creator=name("users", 101),
        category=name("ticketCategories", 1),
        priority=tickets_pb2.TICKET_PRIORITY_LOW,
        type=tickets_pb2.TICKET_TYPE_INCIDENT,
    )
    return tickets_pb2.Ticket(**{**base, **fields})
