"""`deskbridge backends [show NAME]` (BackendService): the configured backends, and per RPC
what one backend's vendor supports."""

from __future__ import annotations

import argparse
import os
from typing import Any

from deskbridge.cli import render
from deskbridge.cli.session import BACKEND_ENV, Session, add_command
from deskbridge.v1 import backends_pb2, backends_pb2_grpc, common_pb2

SERVICES = {
    "tickets": "TicketService",
    "identity": "IdentityService",
    "knowledge": "KnowledgeService",
    "approvals": "ApprovalService",
}


def add_parsers(commands: Any, parent: argparse.ArgumentParser) -> None:
    backends = add_command(
        commands,
        "backends",
        list_backends,
        parent,
        help="the configured backends; with --backend or `show NAME`, what each RPC can do",
    )
    verbs = backends.add_subparsers(dest="backends_command", metavar="COMMAND")
    show = add_command(
        verbs, "show", show_backend, parent, help="per RPC: supported, partial or not"
    )
    show.add_argument("name", help="backend name, or backends/NAME")
    for parser in (backends, show):
        parser.add_argument(
            "--service", choices=list(SERVICES), default=argparse.SUPPRESS, help="only this service"
        )


def stub(session: Session) -> backends_pb2_grpc.BackendServiceStub:
    return backends_pb2_grpc.BackendServiceStub(session.channel)


async def list_backends(session: Session, args: argparse.Namespace) -> int:
    if args.backend:  # `backends --backend X` is `backends show X`
        return await _show(session, args.backend, getattr(args, "service", None))
    listed = await stub(session).ListBackends(
        backends_pb2.ListBackendsRequest(page_size=1000), timeout=session.timeout
    )
    if session.output.json_output:
        session.output.document(listed)
        return 0
    session.output.table(render.BACKEND_COLUMNS, listed.backends, empty="no backends configured")
    if os.environ.get(BACKEND_ENV):
        session.output.note(f"{BACKEND_ENV}={os.environ[BACKEND_ENV]}")
    return 0


async def show_backend(session: Session, args: argparse.Namespace) -> int:
    return await _show(session, args.name, getattr(args, "service", None))


async def _show(session: Session, name: str, service: str | None) -> int:
    request = backends_pb2.GetBackendRequest(name=f"backends/{name.removeprefix('backends/')}")
    got = await stub(session).GetBackend(request, timeout=session.timeout)
    if service:
        prefix = f"deskbridge.v1.{SERVICES[service]}/"
        kept = [o for o in got.backend.operations if o.method.startswith(prefix)]
        del got.backend.operations[:]
        got.backend.operations.extend(kept)
    if session.output.json_output:
        session.output.document(got)
        return 0
    backend = got.backend
    vendor = render.enum_word(common_pb2.Vendor, backend.vendor)
    session.output.details([("vendor", vendor), ("base url", backend.base_url)], title=backend.name)
    session.output.table(render.OPERATION_COLUMNS, backend.operations, empty="no operations")
    return 0
