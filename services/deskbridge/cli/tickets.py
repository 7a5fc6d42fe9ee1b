"""`deskbridge tickets list|get|create|comment|close` (TicketService)."""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import datetime
from typing import Any

import grpc
from google.protobuf import field_mask_pb2

from deskbridge.cli import render
from deskbridge.cli.render import UsageError, enum_choices, enum_value
from deskbridge.cli.session import (
    Session,
    add_command,
    add_paging_arguments,
    more_hint,
    paging_of,
)
from deskbridge.v1 import common_pb2, tickets_pb2, tickets_pb2_grpc

t = tickets_pb2

CLOSE_HELP = """Close a ticket the way a support engineer means it: the customer's side of the
solution is accepted (AcceptSolution), which closes it (state closed). With --solution the
solution is proposed first (a public solution comment by --author), so one command solves and
closes. --rating is recorded as the customer's rating (default 5; below 4 InvGate wants a
--comment). A vendor without a solution workflow answers UNIMPLEMENTED naming the operation:
close there by setting the vendor's own status instead, --status LABEL (UpdateTicket of
vendor_state; e.g. --status Closed on Motadata)."""


def add_parsers(commands: Any, parent: argparse.ArgumentParser) -> None:
    tickets = commands.add_parser("tickets", help="list, read, create, comment on, close tickets")
    verbs = tickets.add_subparsers(dest="tickets_command", required=True, metavar="COMMAND")

    listing = add_command(verbs, "list", list_tickets, parent, help="list tickets")
    listing.add_argument(
        "--state",
        action="append",
        dest="states",
        choices=enum_choices(t.TicketState),
        help="only tickets in this state (repeatable)",
    )
    for option, what in (
        ("--requester", "of this requester (user id or full resource name)"),
        ("--assignee", "assigned to this agent (user id or full resource name)"),
        ("--help-desk", "of this help desk (id or full resource name)"),
        ("--category", "of this category (id or full resource name)"),
        ("--view", "in this vendor view (InvGate view id)"),
        ("--account", "of this account (CRM.COM account id or full resource name)"),
    ):
        listing.add_argument(option, help=f"only tickets {what}")
    listing.add_argument("--priority", choices=enum_choices(t.TicketPriority))
    listing.add_argument(
        "--updated-after", metavar="TIME", help="RFC 3339, or a duration back from now (2h, 7d)"
    )
    add_paging_arguments(listing, "tickets")

    get = add_command(verbs, "get", get_ticket, parent, help="show one ticket")
    get.add_argument("ticket", help="ticket id, or backends/B/tickets/ID")
    get.add_argument("--comments", action="store_true", help="with its comments")

    create = add_command(
        verbs,
        "create",
        create_ticket,
        parent,
        help="create a ticket (idempotent: the request id is printed; rerun with it)",
    )
    create.add_argument("--title", required=True)
    create.add_argument("--description", default="", help="HTML, as the vendor keeps it")
    create.add_argument("--requester", help="user id or full resource name")
    create.add_argument("--requester-email", help="(Motadata, Requestor: instead of --requester)")
    create.add_argument("--creator", help="user id or full resource name (default: the requester)")
    create.add_argument("--assignee", help="user id or full resource name")
    create.add_argument("--category", help="category id or full resource name")
    create.add_argument("--help-desk", help="help desk id or full resource name")
    create.add_argument("--priority", choices=enum_choices(t.TicketPriority))
    create.add_argument("--type", choices=enum_choices(t.TicketType))
    add_request_id(create, "ticket")

    comment = add_command(verbs, "comment", comment_ticket, parent, help="comment on a ticket")
    comment.add_argument("ticket", help="ticket id, or backends/B/tickets/ID")
    comment.add_argument("text", help="the comment (HTML); - reads it from stdin")
    comment.add_argument("--author", help="user id or full resource name")
    comment.add_argument("--internal", action="store_true", help="agents only (a private note)")
    comment.add_argument("--solution", action="store_true", help="propose it as the solution")
    add_request_id(comment, "comment")

    close = add_command(
        verbs,
        "close",
        close_ticket,
        parent,
        help="close a ticket (accept its solution; see --help)",
        description=CLOSE_HELP,
    )
    close.add_argument("ticket", help="ticket id, or backends/B/tickets/ID")
    close.add_argument("--solution", metavar="TEXT", help="propose this solution first")
    close.add_argument("--author", help="who proposes the solution / changes the status")
    close.add_argument("--rating", type=int, default=5, help="1-5 (default %(default)s)")
    close.add_argument("--comment", default="", help="the acceptance comment")
    close.add_argument("--status", metavar="LABEL", help="set this vendor status instead")
    add_request_id(close, "solution comment")


def add_request_id(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--request-id",
        help=f"idempotency key: the same key never makes a second {what} (default: a new one, "
        "printed on stderr)",
    )


def request_id_of(session: Session, args: argparse.Namespace) -> str:
    """The given key, or a new one said on stderr first, so a rerun after a lost answer can
    pass it and is exactly once."""
    if args.request_id:
        return args.request_id
    key = str(uuid.uuid4())
    session.output.note(f"request id: {key} (to retry: --request-id {key})")
    return key


def stub(session: Session) -> tickets_pb2_grpc.TicketServiceStub:
    return tickets_pb2_grpc.TicketServiceStub(session.channel)


async def set_references(
    session: Session,
    message: Any,
    parent: str,
    references: tuple[tuple[str | None, str, str], ...],
) -> None:
    """Each given (option, collection, field): the option (an id or a name) as the resource
    name in `field` of `message`."""
    for option, collection, field in references:
        if option:
            setattr(message, field, await session.name(option, collection, within=parent))


def show(session: Session, response: Any) -> None:
    """A response holding one ticket: JSON, or the ticket's fields."""
    if session.output.json_output:
        session.output.document(response)
    else:
        session.output.details(render.ticket_fields(response.ticket))


async def list_tickets(session: Session, args: argparse.Namespace) -> int:
    references = (args.requester, args.assignee, args.help_desk, args.category, args.account)
    parent = f"backends/{await session.backend(*(r or '' for r in references))}"
    request = t.ListTicketsRequest(
        parent=parent,
        states=[enum_value(t.TicketState, s) for s in args.states or ()],
        view_id=args.view or "",
    )
    await set_references(
        session,
        request,
        parent,
        (
            (args.requester, "users", "requester"),
            (args.assignee, "users", "assignee"),
            (args.help_desk, "helpDesks", "help_desk"),
            (args.category, "ticketCategories", "category"),
            (args.account, "accounts", "account"),
        ),
    )
    if args.priority:
        request.priority = enum_value(t.TicketPriority, args.priority)
    if args.updated_after:
        request.updated_after.FromDatetime(_since(args.updated_after))

    async def fetch(token: str, size: int) -> t.ListTicketsResponse:
        page = t.ListTicketsRequest()
        page.CopyFrom(request)
        page.page_token, page.page_size = token, size
        return await stub(session).ListTickets(page, timeout=session.timeout)

    listed = await session.collect("tickets", fetch, "tickets", **paging_of(args))
    if session.output.json_output:
        session.output.document(listed)
        return 0
    session.output.table(render.TICKET_COLUMNS, listed.tickets, empty="no tickets")
    more_hint(session.output, listed, "tickets")
    return 0


def _since(text: str) -> datetime:
    from deskbridge.events.tail import parse_since

    try:
        return parse_since(text)
    except ValueError:
        raise UsageError(
            f"--updated-after {text!r}: expected an RFC 3339 time or a duration like 15m, 2h, 7d"
        ) from None


async def get_ticket(session: Session, args: argparse.Namespace) -> int:
    name = await session.name(args.ticket, "tickets")
    got = await stub(session).GetTicket(t.GetTicketRequest(name=name), timeout=session.timeout)
    comments: list[t.Comment] = []
    if args.comments:

        async def fetch(token: str, size: int) -> t.ListCommentsResponse:
            request = t.ListCommentsRequest(parent=name, page_token=token, page_size=size)
            return await stub(session).ListComments(request, timeout=session.timeout)

        listed = await session.collect(
            "comments", fetch, "comments", page_size=100, every_page=True
        )
        comments = list(listed.comments)
    if session.output.json_output:
        extra = {"comments": comments} if args.comments else {}
        session.output.document(got, **extra)
        return 0
    session.output.details(render.ticket_fields(got.ticket))
    if args.comments:
        session.output.table(
            render.COMMENT_COLUMNS, comments, empty="no comments", title="comments"
        )
    return 0


async def create_ticket(session: Session, args: argparse.Namespace) -> int:
    references = (args.requester, args.creator, args.assignee, args.category, args.help_desk)
    parent = f"backends/{await session.backend(*(r or '' for r in references))}"
    ticket = t.Ticket(
        title=args.title,
        description=args.description,
        requester_email=args.requester_email or "",
    )
    await set_references(
        session,
        ticket,
        parent,
        (
            (args.requester, "users", "requester"),
            (args.creator or args.requester, "users", "creator"),
            (args.assignee, "users", "assignee"),
            (args.category, "ticketCategories", "category"),
            (args.help_desk, "helpDesks", "help_desk"),
        ),
    )
    if args.priority:
        ticket.priority = enum_value(t.TicketPriority, args.priority)
    if args.type:
        ticket.type = enum_value(t.TicketType, args.type)
    request = t.CreateTicketRequest(
        parent=parent, ticket=ticket, request_id=request_id_of(session, args)
    )
    show(session, await stub(session).CreateTicket(request, timeout=session.timeout))
    return 0


async def comment_ticket(session: Session, args: argparse.Namespace) -> int:
    name = await session.name(args.ticket, "tickets")
    text = sys.stdin.read() if args.text == "-" else args.text
    visibility = t.COMMENT_VISIBILITY_INTERNAL if args.internal else t.COMMENT_VISIBILITY_PUBLIC
    comment = t.Comment(body=text, visibility=visibility, is_solution=args.solution)
    if args.author:
        comment.author = await session.name(args.author, "users", within=name)
    request = t.CreateCommentRequest(
        parent=name, comment=comment, request_id=request_id_of(session, args)
    )
    made = await stub(session).CreateComment(request, timeout=session.timeout)
    if session.output.json_output:
        session.output.document(made)
    else:
        session.output.table(render.COMMENT_COLUMNS, [made.comment], empty="")
        session.output.note(f"comment {made.comment.name}")
    return 0


async def close_ticket(session: Session, args: argparse.Namespace) -> int:
    name = await session.name(args.ticket, "tickets")
    author = await session.name(args.author, "users", within=name) if args.author else ""
    if args.status:
        if args.solution:
            session.output.note("deskbridge: --status sets the status; --solution is not sent")
        request = t.UpdateTicketRequest(
            ticket=t.Ticket(name=name, vendor_state=common_pb2.VendorValue(label=args.status)),
            update_mask=field_mask_pb2.FieldMask(paths=["vendor_state"]),
            author=author,
        )
        show(session, await stub(session).UpdateTicket(request, timeout=session.timeout))
        return 0
    if args.solution:
        solution = t.Comment(
            body=args.solution,
            author=author,
            is_solution=True,
            visibility=t.COMMENT_VISIBILITY_PUBLIC,
        )
        request_id = request_id_of(session, args)
        await stub(session).CreateComment(
            t.CreateCommentRequest(parent=name, comment=solution, request_id=request_id),
            timeout=session.timeout,
        )
    session.hints[grpc.StatusCode.UNIMPLEMENTED] = (
        "this vendor has no solution to accept: close with --status LABEL, its own status"
    )
    accept = t.AcceptSolutionRequest(name=name, rating=args.rating, comment=args.comment)
    show(session, await stub(session).AcceptSolution(accept, timeout=session.timeout))
    return 0
