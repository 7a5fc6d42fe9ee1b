"""ApprovalService on InvGate, end to end: gRPC → service → adapter → sandbox over HTTP, with
the change events each mutation publishes on NATS."""

from __future__ import annotations

import grpc
from e2e_events import decoded, stored_events
from e2e_support import rpc_error, support_by_rpc

from deskbridge.runtime.errors import details_of
from deskbridge.v1 import approvals_pb2 as a
from deskbridge.v1 import backends_pb2, events_pb2
from deskbridge.v1 import tickets_pb2 as t

AUTHOR = 2
WAITING, REJECTED, APPROVED, CANCELLED = -1, 0, 1, -2


def violations(error: grpc.aio.AioRpcError) -> set[str]:
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    return {v.field for v in details_of(error)["BadRequest"].field_violations}


def approval_name(stack, approval_id: int) -> str:
    record = stack.state.approvals[approval_id]
    return f"{stack.name('tickets', record['request_id'])}/approvals/{approval_id}"


def user(stack, identifier: int) -> str:
    return stack.name("users", identifier)


def seeded(stack, status: int, *, waiting_voters: int = 0) -> dict:
    """A seeded approval with that status (and at least that many voters still waiting)."""
    return next(
        record
        for record in stack.state.approvals.values()
        if record["status"] == status
        and sum(v["status"] == WAITING for v in stack.state.voters[record["id"]]) >= waiting_voters
    )


def waiting_voters(stack, approval_id: int) -> list[int]:
    return [v["user_id"] for v in stack.state.voters[approval_id] if v["status"] == WAITING]


def open_ticket(stack) -> int:
    busy = {r["request_id"] for r in stack.state.approvals.values()}
    return next(
        i for i, r in sorted(stack.state.requests.items()) if r["status_id"] == 2 and i not in busy
    )


async def published(stack, nats_server) -> list:
    return await stored_events(nats_server.url, stack.backend)


async def ticket_state(stack, ticket_id: int) -> int:
    name = stack.name("tickets", ticket_id)
    return (await stack.tickets.GetTicket(t.GetTicketRequest(name=name))).ticket.state


# ---------------------------------------------------------------------- reads


async def test_list_approvals_maps_states_votes_and_the_vendor_record(stack):
    pending = seeded(stack, WAITING, waiting_voters=1)
    ticket = stack.name("tickets", pending["request_id"])
    listed = (await stack.approvals.ListApprovals(a.ListApprovalsRequest(parent=ticket))).approvals
    ours = [r for r in stack.state.approvals.values() if r["request_id"] == pending["request_id"]]
    assert [x.name for x in listed] == [approval_name(stack, r["id"]) for r in ours]
    got = next(x for x in listed if x.name == approval_name(stack, pending["id"]))
    assert got.state == a.APPROVAL_STATE_WAITING
    assert (got.vendor_state.id, got.vendor_state.label) == ("-1", "Waiting")
    expected_type = {1: a.APPROVAL_TYPE_PREDEFINED, 2: a.APPROVAL_TYPE_SPONTANEOUS}
    assert got.type == expected_type[pending["type"]]
    assert got.description == pending["approval_request_description"]
    assert got.author == user(stack, pending["author_id"])
    assert got.create_time.seconds == pending["created_at"]
    assert got.reminder_count == pending["reminder_count"]
    assert got.etag
    votes = {v.user: (v.state, v.vendor_state.id) for v in got.votes}
    states = {-1: a.APPROVAL_STATE_WAITING, 1: a.APPROVAL_STATE_APPROVED}
    assert votes == {
        user(stack, v["user_id"]): (states[v["status"]], str(v["status"]))
        for v in stack.state.voters[pending["id"]]
    }
    record = got.vendor_record
    assert record.remote_id == str(pending["id"])
    assert record.remote_data["is_using_approval_manager"] == 0  # the raw record is kept
    assert not record.HasField("update_time")  # InvGate has no revision for approvals

    rejected = seeded(stack, REJECTED)
    decided = await stack.approvals.ListApprovals(
        a.ListApprovalsRequest(parent=stack.name("tickets", rejected["request_id"]))
    )
    got = next(x for x in decided.approvals if x.name == approval_name(stack, rejected["id"]))
    assert got.state == a.APPROVAL_STATE_REJECTED
    annulled = [v for v in got.votes if v.vendor_state.id == "-2"]
    assert annulled and all(
        v.state == a.APPROVAL_STATE_CANCELLED and v.vendor_state.label == "Annulled"
        for v in annulled
    )
    only = await stack.approvals.ListApprovals(
        a.ListApprovalsRequest(
            parent=stack.name("tickets", rejected["request_id"]), only_pending=True
        )
    )
    assert list(only.approvals) == []
    empty = await stack.approvals.ListApprovals(
        a.ListApprovalsRequest(parent=stack.name("tickets", open_ticket(stack)))
    )
    assert list(empty.approvals) == []


async def test_list_approvals_errors(stack):
    missing = await rpc_error(
        stack.approvals.ListApprovals(a.ListApprovalsRequest(parent=stack.name("tickets", 424242)))
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    assert details_of(missing)["ErrorInfo"].metadata["backend"] == stack.backend
    bad = await rpc_error(
        stack.approvals.ListApprovals(a.ListApprovalsRequest(parent=stack.name("tickets", "x1")))
    )
    assert violations(bad) == {"parent"}


async def test_list_voters_and_their_errors(stack):
    pending = seeded(stack, WAITING, waiting_voters=1)
    name = approval_name(stack, pending["id"])
    voters = (
        await stack.approvals.ListApprovalVoters(a.ListApprovalVotersRequest(name=name))
    ).voters
    assert [(v.user, v.vendor_state.id) for v in voters] == [
        (user(stack, v["user_id"]), str(v["status"])) for v in stack.state.voters[pending["id"]]
    ]
    other_ticket = stack.name("tickets", open_ticket(stack))
    misplaced = await rpc_error(
        stack.approvals.ListApprovalVoters(
            a.ListApprovalVotersRequest(name=f"{other_ticket}/approvals/{pending['id']}")
        )
    )
    assert misplaced.code() == grpc.StatusCode.NOT_FOUND


async def test_catalogues_come_from_the_vendor_maps(stack):
    statuses = await stack.approvals.ListApprovalStatuses(
        a.ListApprovalStatusesRequest(parent=stack.parent)
    )
    assert [(s.id, s.label) for s in statuses.statuses] == [
        ("-2", "Cancelled"),
        ("-1", "Waiting"),
        ("0", "Rejected"),
        ("1", "Approved"),
    ]
    votes = await stack.approvals.ListVoteStatuses(a.ListVoteStatusesRequest(parent=stack.parent))
    assert [s.id for s in votes.statuses] == ["-2", "-1", "0", "1", "2"]
    assert votes.statuses[-1].label == "Expired"
    types = await stack.approvals.ListApprovalTypes(a.ListApprovalTypesRequest(parent=stack.parent))
    assert [s.id for s in types.types] == ["1", "2"] and "Spontaneous" in types.types[1].label


async def test_backend_service_reports_every_approval_rpc_supported(stack):
    support = await support_by_rpc(stack, "ApprovalService")
    assert len(support) == 12
    assert set(support.values()) == {backends_pb2.SUPPORT_SUPPORTED}


# ---------------------------------------------------------------------- votes and events


async def test_vote_by_vote_to_approved_reopens_the_ticket_one_event_each(stack, nats_server):
    ticket_id = open_ticket(stack)
    ticket = stack.name("tickets", ticket_id)
    requested = (
        await stack.approvals.RequestApproval(
            a.RequestApprovalRequest(
                parent=ticket,
                author=user(stack, AUTHOR),
                approver=user(stack, 3),
                description="New laptop for Ana",
            )
        )
    ).approval
    assert requested.state == a.APPROVAL_STATE_WAITING
    assert requested.type == a.APPROVAL_TYPE_SPONTANEOUS
    assert requested.description == "New laptop for Ana"
    assert [v.user for v in requested.votes] == [user(stack, 3)]
    assert await ticket_state(stack, ticket_id) == t.TICKET_STATE_WAITING
    # reads publish nothing
    await stack.approvals.ListApprovals(a.ListApprovalsRequest(parent=ticket))
    await stack.approvals.ListApprovalVoters(a.ListApprovalVotersRequest(name=requested.name))

    widened = (
        await stack.approvals.AddApprovalVoter(
            a.AddApprovalVoterRequest(name=requested.name, user=user(stack, 4))
        )
    ).approval
    assert [v.user for v in widened.votes] == [user(stack, 3), user(stack, 4)]
    first = (
        await stack.approvals.ApproveApproval(
            a.ApproveApprovalRequest(name=requested.name, user=user(stack, 3), note="ok")
        )
    ).approval
    assert first.state == a.APPROVAL_STATE_WAITING  # 4 has not voted yet
    assert [v.state for v in first.votes] == [a.APPROVAL_STATE_APPROVED, a.APPROVAL_STATE_WAITING]
    assert await ticket_state(stack, ticket_id) == t.TICKET_STATE_WAITING
    last = (
        await stack.approvals.ApproveApproval(
            a.ApproveApprovalRequest(name=requested.name, user=user(stack, 4))
        )
    ).approval
    assert last.state == a.APPROVAL_STATE_APPROVED and last.vendor_state.label == "Approved"
    assert len({requested.etag, widened.etag, first.etag, last.etag}) == 4
    assert await ticket_state(stack, ticket_id) == t.TICKET_STATE_OPEN  # moved on by the vote

    messages = await published(stack, nats_server)
    prefix = f"deskbridge.{stack.backend}.approval"
    assert [m.subject for m in messages] == [
        f"{prefix}.requested",
        f"{prefix}.voters_changed",
        f"{prefix}.approved",
        f"{prefix}.approved",
    ]
    assert len({m.headers["ce-id"] for m in messages}) == 4  # two votes, two distinct events
    assert {m.headers["ce-subject"] for m in messages} == {requested.name}
    events = [decoded(m) for m in messages]
    assert all(isinstance(e, events_pb2.ApprovalEvent) for e in events)
    assert [e.approval for e in events] == [requested, widened, first, last]
    assert events[2].action == events_pb2.CHANGE_ACTION_APPROVED
    assert list(events[2].changed_fields.paths) == ["votes", "state"]


async def test_one_rejection_rejects_the_approval_and_the_ticket(stack, nats_server):
    pending = seeded(stack, WAITING, waiting_voters=2)
    voter, *others = waiting_voters(stack, pending["id"])
    name = approval_name(stack, pending["id"])
    rejected = (
        await stack.approvals.RejectApproval(
            a.RejectApprovalRequest(name=name, user=user(stack, voter), note="Too expensive")
        )
    ).approval
    assert rejected.state == a.APPROVAL_STATE_REJECTED
    votes = {v.user: v for v in rejected.votes}
    assert votes[user(stack, voter)].state == a.APPROVAL_STATE_REJECTED
    assert all(votes[user(stack, o)].vendor_state.label == "Annulled" for o in others)
    assert await ticket_state(stack, pending["request_id"]) == t.TICKET_STATE_REJECTED
    late = await rpc_error(
        stack.approvals.ApproveApproval(
            a.ApproveApprovalRequest(name=name, user=user(stack, others[0]))
        )
    )
    assert late.code() == grpc.StatusCode.FAILED_PRECONDITION
    subjects = [m.subject for m in await published(stack, nats_server)]
    assert subjects == [f"deskbridge.{stack.backend}.approval.rejected"]


async def test_cancel_releases_the_waiting_ticket(stack, nats_server):
    pending = seeded(stack, WAITING, waiting_voters=1)
    name = approval_name(stack, pending["id"])
    siblings = [
        r
        for r in stack.state.approvals.values()
        if r["request_id"] == pending["request_id"] and r["status"] == WAITING
    ]
    assert siblings == [pending]  # the seed asks one approval per request
    cancelled = (
        await stack.approvals.CancelApproval(
            a.CancelApprovalRequest(name=name, user=user(stack, AUTHOR), note="Not needed")
        )
    ).approval
    assert cancelled.state == a.APPROVAL_STATE_CANCELLED
    assert a.APPROVAL_STATE_WAITING not in {v.state for v in cancelled.votes}
    assert stack.state.approvals[pending["id"]]["cancel_note"] == "Not needed"
    assert await ticket_state(stack, pending["request_id"]) == t.TICKET_STATE_OPEN
    events = [decoded(m) for m in await published(stack, nats_server)]
    assert [e.action for e in events] == [events_pb2.CHANGE_ACTION_CANCELLED]
    assert events[0].approval.state == a.APPROVAL_STATE_CANCELLED


async def test_voting_errors_name_the_problem(stack):
    pending = seeded(stack, WAITING, waiting_voters=1)
    name = approval_name(stack, pending["id"])
    stranger = next(
        i
        for i in range(1, 11)
        if i not in {v["user_id"] for v in stack.state.voters[pending["id"]]}
    )
    refused = await rpc_error(
        stack.approvals.ApproveApproval(
            a.ApproveApprovalRequest(name=name, user=user(stack, stranger))
        )
    )
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details_of(refused)["ErrorInfo"].reason == "UPSTREAM_REFUSED"

    await stack.control.delete("/_sandbox/requests")
    elsewhere = f"{stack.name('tickets', open_ticket(stack))}/approvals/{pending['id']}"
    misplaced = await rpc_error(
        stack.approvals.ApproveApproval(
            a.ApproveApprovalRequest(
                name=elsewhere, user=user(stack, waiting_voters(stack, pending["id"])[0])
            )
        )
    )
    assert misplaced.code() == grpc.StatusCode.NOT_FOUND
    assert details_of(misplaced)["ErrorInfo"].metadata["resource_name"] == elsewhere
    assert not [e for e in await stack.sandbox_log() if e["method"] != "GET"]  # nothing voted

    unknown = await rpc_error(
        stack.approvals.RejectApproval(
            a.RejectApprovalRequest(
                name=f"{stack.name('tickets', pending['request_id'])}/approvals/424242",
                user=user(stack, 3),
            )
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND
    both = await rpc_error(
        stack.approvals.ApproveApproval(
            a.ApproveApprovalRequest(
                name=f"{stack.name('tickets', 'x')}/approvals/y", user=user(stack, "me")
            )
        )
    )
    assert violations(both) == {"name", "user"}
    foreign = await rpc_error(
        stack.approvals.CancelApproval(
            a.CancelApprovalRequest(name=name, user="backends/elsewhere/users/3")
        )
    )
    assert violations(foreign) == {"user"}
    missing = await rpc_error(
        stack.approvals.AddApprovalVoter(a.AddApprovalVoterRequest(name=name))
    )
    assert violations(missing) == {"user"}
    twice = await rpc_error(
        stack.approvals.AddApprovalVoter(
            a.AddApprovalVoterRequest(
                name=name, user=user(stack, stack.state.voters[pending["id"]][0]["user_id"])
            )
        )
    )
    assert twice.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_every_name_addressed_rpc_checks_its_names(stack):
    """An approval of another ticket, a ticket that does not exist: NOT_FOUND; a name with
    a non-numeric InvGate id: INVALID_ARGUMENT naming the field."""
    pending = seeded(stack, WAITING, waiting_voters=1)
    elsewhere = f"{stack.name('tickets', open_ticket(stack))}/approvals/{pending['id']}"
    agent = user(stack, AUTHOR)
    calls = {
        "CancelApproval": lambda name: stack.approvals.CancelApproval(
            a.CancelApprovalRequest(name=name, user=agent)
        ),
        "AddApprovalVoter": lambda name: stack.approvals.AddApprovalVoter(
            a.AddApprovalVoterRequest(name=name, user=agent)
        ),
        "RejectApproval": lambda name: stack.approvals.RejectApproval(
            a.RejectApprovalRequest(name=name, user=agent)
        ),
        "ListApprovalVoters": lambda name: stack.approvals.ListApprovalVoters(
            a.ListApprovalVotersRequest(name=name)
        ),
    }
    for rpc, call in calls.items():
        missing = await rpc_error(call(elsewhere))
        assert missing.code() == grpc.StatusCode.NOT_FOUND, rpc
        bad = await rpc_error(call(f"{stack.name('tickets', pending['request_id'])}/approvals/a1"))
        assert violations(bad) == {"name"}, rpc
    assert stack.state.approvals[pending["id"]]["status"] == WAITING  # nothing was changed
    no_ticket = await rpc_error(
        stack.approvals.ListApprovalTemplates(
            a.ListApprovalTemplatesRequest(parent=stack.name("tickets", 424242))
        )
    )
    assert no_ticket.code() == grpc.StatusCode.NOT_FOUND
    bad_parent = await rpc_error(
        stack.approvals.ListApprovalTemplates(
            a.ListApprovalTemplatesRequest(parent=stack.name("tickets", "abc"))
        )
    )
    assert violations(bad_parent) == {"parent"}


# ---------------------------------------------------------------------- requesting


async def test_request_approval_errors(stack):
    closed = next(i for i, r in stack.state.requests.items() if r["status_id"] == 6)
    refused = await rpc_error(
        stack.approvals.RequestApproval(
            a.RequestApprovalRequest(
                parent=stack.name("tickets", closed),
                author=user(stack, AUTHOR),
                approver=user(stack, 3),
                description="x",
            )
        )
    )
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    missing = await rpc_error(
        stack.approvals.RequestApproval(
            a.RequestApprovalRequest(
                parent=stack.name("tickets", 424242),
                author=user(stack, AUTHOR),
                approver=user(stack, 3),
                description="x",
            )
        )
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    incomplete = await rpc_error(
        stack.approvals.RequestApproval(
            a.RequestApprovalRequest(parent=stack.name("tickets", closed), author=user(stack, 2))
        )
    )
    assert violations(incomplete) == {"approver", "description"}


async def test_templates_list_and_request(stack, nats_server):
    ticket_id = next(
        i
        for i in stack.state.approval_templates
        if stack.state.requests[i]["status_id"] in (2, 3, 4)
    )
    ticket = stack.name("tickets", ticket_id)
    listed = (
        await stack.approvals.ListApprovalTemplates(a.ListApprovalTemplatesRequest(parent=ticket))
    ).templates
    records = stack.state.approval_templates[ticket_id]
    active = [r for r in records.values() if r["status"] == 1]
    assert [x.name for x in listed] == [f"{ticket}/approvalTemplates/{r['id']}" for r in active]
    assert [x.display_name for x in listed] == [r["title"] for r in active]  # deleted ones left out
    optional = next(r for r in active if r["description_required"] == 1)
    required = next(r for r in active if r["description_required"] == 0)

    await stack.control.delete("/_sandbox/requests")
    needs_text = await rpc_error(
        stack.approvals.RequestTemplateApproval(
            a.RequestTemplateApprovalRequest(
                name=f"{ticket}/approvalTemplates/{required['id']}", author=user(stack, AUTHOR)
            )
        )
    )
    assert violations(needs_text) == {"description"}
    assert [e["method"] for e in await stack.sandbox_log()] == ["GET"]  # refused before any POST
    deleted = next(r for r in records.values() if r["status"] == -1)
    for template_id in (deleted["id"], 424242):
        gone = await rpc_error(
            stack.approvals.RequestTemplateApproval(
                a.RequestTemplateApprovalRequest(
                    name=f"{ticket}/approvalTemplates/{template_id}", author=user(stack, AUTHOR)
                )
            )
        )
        assert gone.code() == grpc.StatusCode.NOT_FOUND

    created = (
        await stack.approvals.RequestTemplateApproval(
            a.RequestTemplateApprovalRequest(
                name=f"{ticket}/approvalTemplates/{optional['id']}", author=user(stack, AUTHOR)
            )
        )
    ).approval
    assert created.type == a.APPROVAL_TYPE_PREDEFINED
    assert created.description == optional["description"]
    assert created.vendor_record.remote_data["approval_request_id"] == optional["id"]
    assert [v.user for v in created.votes] == [
        user(stack, u) for u in stack.state.template_voters[optional["id"]]
    ]
    assert created.name.startswith(f"{ticket}/approvals/")
    assert await ticket_state(stack, ticket_id) == t.TICKET_STATE_WAITING
    events = [decoded(m) for m in await published(stack, nats_server)]
    assert [(e.action, e.approval.name) for e in events] == [
        (events_pb2.CHANGE_ACTION_REQUESTED, created.name)
    ]


# ---------------------------------------------------------------------- upstream faults


async def test_503s_on_reads_are_retried_and_a_failed_vote_is_not(stack):
    pending = seeded(stack, WAITING, waiting_voters=1)
    ticket = stack.name("tickets", pending["request_id"])
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(
        fail_next=[{"key": "incident.approval", "method": "GET", "status": 503, "count": 2}]
    )
    listed = await stack.approvals.ListApprovals(a.ListApprovalsRequest(parent=ticket))
    assert approval_name(stack, pending["id"]) in {x.name for x in listed.approvals}
    log = await stack.sandbox_log()
    assert [e["status"] for e in log if e["key"] == "incident.approval"] == [503, 503, 200]

    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(
        fail_next=[{"key": "incident.approval.accept", "method": "PUT", "status": 503, "count": 1}]
    )
    voter = waiting_voters(stack, pending["id"])[0]
    error = await rpc_error(
        stack.approvals.ApproveApproval(
            a.ApproveApprovalRequest(
                name=approval_name(stack, pending["id"]), user=user(stack, voter)
            )
        )
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    puts = [e for e in await stack.sandbox_log() if e["key"] == "incident.approval.accept"]
    assert [e["status"] for e in puts] == [503]
    assert voter in waiting_voters(stack, pending["id"])  # the vote was not cast
