"""`deskbridge tickets ...` against Deskbridge on the InvGate sandbox: tables, `--json` (the
RPC's own response), paging, idempotent creates, closing, and errors from the status details."""

from __future__ import annotations

import asyncio
import os
import sys

import grpc
from cli_support import deskbridge, deskbridge_process
from google.protobuf import json_format

from deskbridge.v1 import tickets_pb2 as t


async def all_tickets(stack, **filters) -> list[t.Ticket]:
    """Every ticket ListTickets gives for `filters`, page after page."""
    tickets: list[t.Ticket] = []
    token = ""
    while True:
        page = await stack.tickets.ListTickets(
            t.ListTicketsRequest(parent=stack.parent, page_size=9, page_token=token, **filters)
        )
        tickets += page.tickets
        token = page.next_page_token
        if not token:
            return tickets


def commented(stack) -> int:
    """A seeded request with at least two comments."""
    return next(i for i, thread in sorted(stack.state.comments.items()) if len(thread) >= 2)


async def test_list_prints_a_table_and_the_rpcs_own_response_as_json(stack):
    address = stack.runtime.address
    # no --backend: the stack's runtime has exactly one backend, which the command finds
    ran = await deskbridge("tickets", "list", "--address", address, "--page-size", "7")
    expected = await stack.tickets.ListTickets(
        t.ListTicketsRequest(parent=stack.parent, page_size=7)
    )
    assert ran.code == 0, ran.err
    rows = ran.table()
    assert list(rows[0]) == ["ID", "STATE", "PRIORITY", "TITLE", "REQUESTER", "ASSIGNEE", "UPDATED"]
    assert [(r["ID"], r["TITLE"]) for r in rows] == [
        (x.name.rpartition("/")[2], x.title) for x in expected.tickets
    ]
    assert [r["STATE"].split()[0] for r in rows] == [
        t.TicketState.Name(x.state).removeprefix("TICKET_STATE_").lower() for x in expected.tickets
    ]
    assert f"--page-token {expected.next_page_token}" in ran.err  # how to read on

    as_json = await deskbridge(
        "tickets", "list", "--address", address, "--page-size", "7", "--json"
    )
    assert as_json.code == 0 and as_json.parsed(t.ListTicketsResponse) == expected


async def test_list_pages_with_all_and_limit_and_applies_filters(stack):
    address = stack.runtime.address
    everything = await all_tickets(stack)
    assert len(everything) > 20
    common = ("--address", address, "--backend", stack.backend, "--json")
    ran = await deskbridge("tickets", "list", *common, "--all", "--page-size", "6")
    listed = ran.parsed(t.ListTicketsResponse)
    assert [x.name for x in listed.tickets] == [x.name for x in everything]
    assert listed.next_page_token == ""

    first = await deskbridge("tickets", "list", *common, "--limit", "10", "--page-size", "4")
    first_page = first.parsed(t.ListTicketsResponse)
    assert [x.name for x in first_page.tickets] == [x.name for x in everything[:10]]
    token = first_page.next_page_token
    assert token
    rest = await deskbridge(
        "tickets", "list", *common, "--limit", "5", "--page-size", "4", "--page-token", token
    )
    assert [x.name for x in rest.parsed(t.ListTicketsResponse).tickets] == [
        x.name for x in everything[10:15]
    ]

    requester = everything[0].requester
    filtered = await deskbridge(
        "tickets",
        "list",
        *common,
        "--all",
        "--state",
        "open",
        "--state",
        "new",
        "--requester",
        requester.rpartition("/")[2],
    )
    expected = await all_tickets(
        stack, states=[t.TICKET_STATE_OPEN, t.TICKET_STATE_NEW], requester=requester
    )
    assert [x.name for x in filtered.parsed(t.ListTicketsResponse).tickets] == [
        x.name for x in expected
    ]


async def test_get_shows_the_ticket_and_with_comments_its_thread(stack):
    identifier = commented(stack)
    name = stack.name("tickets", identifier)
    common = ("--address", stack.runtime.address)
    ran = await deskbridge("tickets", "get", str(identifier), *common)
    ticket = (await stack.tickets.GetTicket(t.GetTicketRequest(name=name))).ticket
    assert ran.code == 0, ran.err
    shown = ran.details()
    assert (shown["name"], shown["title"]) == (name, ticket.title)
    assert shown["requester"] == ticket.requester
    assert shown["vendor"] == f"invgate id {identifier}, shown as #{identifier}"

    with_thread = await deskbridge("tickets", "get", name, *common, "--comments", "--json")
    document = with_thread.json()
    comments = await stack.tickets.ListComments(t.ListCommentsRequest(parent=name))
    got = t.GetTicketResponse()
    json_format.ParseDict({"ticket": document["ticket"]}, got)
    assert got.ticket == ticket
    listed = t.ListCommentsResponse()
    json_format.ParseDict({"comments": document["comments"]}, listed)
    assert list(listed.comments) == list(comments.comments)
    assert len(listed.comments) == len(stack.state.comments[identifier])

    table = await deskbridge("tickets", "get", name, *common, "--comments")
    body = table.out.split("comments\n", 1)[1]
    for comment in stack.state.comments[identifier]:
        assert comment["message"][:40] in body


async def test_create_comment_and_close_a_ticket_once_per_request_id(stack):
    common = ("--address", stack.runtime.address, "--json")
    create = (
        "tickets",
        "create",
        *common,
        "--title",
        "Printer on the 3rd floor is down",
        "--requester",
        "101",
        "--category",
        "1",
        "--priority",
        "high",
        "--type",
        "incident",
    )
    made = await deskbridge(*create)
    assert made.code == 0, made.err
    ticket = made.parsed(t.CreateTicketResponse).ticket
    request_id = made.err.split("request id: ", 1)[1].split()[0]
    identifier = int(ticket.name.rpartition("/")[2])
    record = stack.state.requests[identifier]
    assert (record["title"], record["user_id"], record["creator_id"]) == (
        "Printer on the 3rd floor is down",
        101,
        101,  # the creator defaults to the requester
    )
    assert ticket.priority == t.TICKET_PRIORITY_HIGH
    again = await deskbridge(*create, "--request-id", request_id)
    assert again.parsed(t.CreateTicketResponse).ticket.name == ticket.name
    titled = [r for r in stack.state.requests.values() if r["title"] == record["title"]]
    assert len(titled) == 1  # the rerun with its request id made nothing

    comment = await deskbridge(
        "tickets", "comment", str(identifier), "<p>On my way.</p>", "--author", "2",
        "--address", stack.runtime.address,
    )  # fmt: skip
    assert comment.code == 0, comment.err
    assert comment.table()[0]["BODY"] == "<p>On my way.</p>"
    assert [(c["message"], c["author_id"]) for c in stack.state.comments[identifier]] == [
        ("<p>On my way.</p>", 2)
    ]

    closed = await deskbridge(
        "tickets", "close", ticket.name, "--solution", "<p>New toner.</p>",
        "--author", "2", "--rating", "4", *common,
    )  # fmt: skip
    assert closed.code == 0, closed.err
    after = closed.parsed(t.AcceptSolutionResponse).ticket
    assert (after.state, after.rating) == (t.TICKET_STATE_CLOSED, 4)
    solution = stack.state.comments[identifier][-1]
    assert (solution["message"], solution["is_solution"]) == ("<p>New toner.</p>", True)
    read = (await stack.tickets.GetTicket(t.GetTicketRequest(name=ticket.name))).ticket
    assert read.state == t.TICKET_STATE_CLOSED


async def test_errors_are_rendered_from_the_status_details_with_exit_codes(stack):
    common = ("--address", stack.runtime.address)
    missing = stack.name("tickets", 424242)
    expected = None
    try:
        await stack.tickets.GetTicket(t.GetTicketRequest(name=missing))
    except grpc.aio.AioRpcError as error:
        expected = error
    assert expected is not None and expected.code() == grpc.StatusCode.NOT_FOUND
    ran = await deskbridge("tickets", "get", "424242", *common)
    assert ran.code == 3 and ran.out == ""
    lines = ran.err.splitlines()
    assert lines[0] == f"deskbridge: NOT_FOUND: {expected.details()}"
    assert "  reason: UPSTREAM_NOT_FOUND" in lines and "  vendor_http_status: 404" in lines

    as_json = await deskbridge("tickets", "get", "424242", *common, "--json")
    error = as_json.error()
    assert (as_json.code, error["status"], error["code"]) == (3, "NOT_FOUND", 5)
    info = error["details"][0]
    assert info["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"
    assert (info["reason"], info["domain"]) == ("UPSTREAM_NOT_FOUND", "deskbridge")

    # InvGate needs a priority and a type: two field violations, listed one per line by field
    bad = await deskbridge(
        "tickets", "create", *common, "--title", "x", "--requester", "101", "--category", "1"
    )
    assert bad.code == 4 and bad.out == ""
    lines = bad.err.splitlines()
    assert lines[0].startswith("request id: ")  # said before the call, so a rerun can reuse it
    assert lines[1].startswith("deskbridge: INVALID_ARGUMENT: ")
    assert lines[lines.index("  invalid fields:") + 1 :] == [
        "    ticket.priority  InvGate requires a priority",
        "    ticket.type      InvGate requires a type",
    ]
    assert "  fields: " not in bad.err  # ErrorInfo's summary of them is not repeated

    usage = await deskbridge("tickets", "get", "7/8", *common)
    assert usage.code == 2 and "neither an id nor" in usage.err
    nowhere = await deskbridge("tickets", "get", "1", "--address", "127.0.0.1:9")
    assert nowhere.code == 7
    assert "UNAVAILABLE" in nowhere.err and "address: 127.0.0.1:9 (from --address)" in nowhere.err


async def test_progress_shows_on_a_terminal_and_not_in_a_pipe(stack):
    """`--all` pages with a progress line on stderr when stderr is a terminal (a pty here);
    through a pipe stderr stays quiet."""
    argv = ("tickets", "list", "--all", "--page-size", "3", "--address", stack.runtime.address)
    expected = await all_tickets(stack)
    master, replica = os.openpty()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "deskbridge.cli", *argv,
        env={**os.environ, "TERM": "xterm-256color"},
        stdout=asyncio.subprocess.PIPE, stderr=replica,
    )  # fmt: skip
    os.close(replica)
    terminal = asyncio.create_task(asyncio.to_thread(read_until_closed, master))
    out = await asyncio.wait_for(process.stdout.read(), 60)
    assert await asyncio.wait_for(process.wait(), 10) == 0
    shown = (await asyncio.wait_for(terminal, 10)).decode(errors="replace")
    assert len(expected) > 3 * 3  # several pages
    assert "tickets: reading the first page" in shown
    assert f"tickets: {len(expected)} after " in shown and " pages" in shown
    assert len(out.decode().splitlines()) == len(expected) + 1  # the header and every ticket

    piped = await deskbridge_process(*argv)
    assert piped.code == 0 and piped.err == ""
    assert piped.out == out.decode()


def read_until_closed(fd: int) -> bytes:
    """Everything written to a pty until its last writer closed it."""
    chunks = []
    try:
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
    except OSError:  # EIO: the other side is closed
        pass
    finally:
        os.close(fd)
    return b"".join(chunks)
