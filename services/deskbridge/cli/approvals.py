"""`deskbridge approvals list|approve|reject` (ApprovalService)."""

from __future__ import annotations

import argparse
from typing import Any

from deskbridge.cli import render
from deskbridge.cli.render import UsageError
from deskbridge.cli.session import Session, add_command
from deskbridge.v1 import approvals_pb2, approvals_pb2_grpc

a = approvals_pb2
APPROVAL_HELP = (
    "TICKET/APPROVAL (as `approvals list` shows it), or backends/B/tickets/T/approvals/A"
)


def add_parsers(commands: Any, parent: argparse.ArgumentParser) -> None:
    approvals = commands.add_parser("approvals", help="a ticket's approvals, and voting on them")
    verbs = approvals.add_subparsers(dest="approvals_command", required=True, metavar="COMMAND")
    listing = add_command(verbs, "list", list_approvals, parent, help="a ticket's approvals")
    listing.add_argument("ticket", help="ticket id, or backends/B/tickets/ID")
    listing.add_argument("--pending", action="store_true", help="only those still waiting")
    for verb, handler, what in (
        ("approve", approve, "approve"),
        ("reject", reject, "reject"),
    ):
        vote = add_command(verbs, verb, handler, parent, help=f"vote to {what} an approval")
        vote.add_argument("approval", help=APPROVAL_HELP)
        vote.add_argument("--user", required=True, help="the voter (user id or full resource name)")
        vote.add_argument("--note", default="", help="a note with the vote")


def stub(session: Session) -> approvals_pb2_grpc.ApprovalServiceStub:
    return approvals_pb2_grpc.ApprovalServiceStub(session.channel)


async def approval_name(session: Session, value: str) -> str:
    """`7/3`, `tickets/7/approvals/3` or a full name → the approval's full name."""
    if value.startswith("backends/"):
        return value
    if value.startswith("tickets/"):
        return f"backends/{await session.backend()}/{value}"
    ticket, _, approval = value.partition("/")
    if not ticket or not approval or "/" in approval:
        raise UsageError(f"{value!r}: expected {APPROVAL_HELP}")
    return f"backends/{await session.backend()}/tickets/{ticket}/approvals/{approval}"


async def list_approvals(session: Session, args: argparse.Namespace) -> int:
    request = a.ListApprovalsRequest(
        parent=await session.name(args.ticket, "tickets"), only_pending=args.pending
    )
    listed = await stub(session).ListApprovals(request, timeout=session.timeout)
    if session.output.json_output:
        session.output.document(listed)
    else:
        session.output.table(render.APPROVAL_COLUMNS, listed.approvals, empty="no approvals")
    return 0


async def approve(session: Session, args: argparse.Namespace) -> int:
    name = await approval_name(session, args.approval)
    user = await session.name(args.user, "users", within=name)
    request = a.ApproveApprovalRequest(name=name, user=user, note=args.note)
    show(session, await stub(session).ApproveApproval(request, timeout=session.timeout))
    return 0


async def reject(session: Session, args: argparse.Namespace) -> int:
    name = await approval_name(session, args.approval)
    user = await session.name(args.user, "users", within=name)
    request = a.RejectApprovalRequest(name=name, user=user, note=args.note)
    show(session, await stub(session).RejectApproval(request, timeout=session.timeout))
    return 0


def show(session: Session, response: Any) -> None:
    """The approval after a vote: its row, then each voter's vote."""
    if session.output.json_output:
        session.output.document(response)
        return
    session.output.table(render.APPROVAL_COLUMNS, [response.approval], empty="")
    votes = response.approval.votes
    session.output.table(render.VOTE_COLUMNS, votes, empty="no votes", title="votes")
