"""TicketService on InvGate, end to end: gRPC → service → adapter → sandbox over HTTP."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from e2e_support import rpc_error
from google.protobuf import field_mask_pb2, timestamp_pb2

from deskbridge.runtime.errors import details_of
from deskbridge.v1 import backends_pb2, backends_pb2_grpc, common_pb2
from deskbridge.v1 import tickets_pb2 as t

AGENT, CUSTOMER = 2, 101


def new_ticket(stack, **overrides) -> t.Ticket:
    fields = dict(
        title="Printer on 3rd floor is down",
        description="<p>Paper jam</p>",
        requester=stack.name("users", CUSTOMER),
        creator=stack.name("users", CUSTOMER),
        category=stack.name("ticketCategories", 1),
        priority=t.TICKET_PRIORITY_HIGH,
        type=t.TICKET_TYPE_INCIDENT,
    )
    fields.update(overrides)
    return t.Ticket(**fields)


async def create(stack, **overrides) -> t.Ticket:
    response = await stack.tickets.CreateTicket(
        t.CreateTicketRequest(
            parent=f"backends/{stack.backend}", ticket=new_ticket(stack, **overrides)
        )
    )
    return response.ticket


async def test_create_get_update_and_the_vendor_record(stack):
    ticket = await create(stack)
    assert ticket.state == t.TICKET_STATE_NEW
    assert ticket.vendor_state.label == "New" and ticket.vendor_state.id == "1"
    assert ticket.priority == t.TICKET_PRIORITY_HIGH and ticket.vendor_priority.label == "High"
    assert ticket.requester == stack.name("users", CUSTOMER)
    record = ticket.vendor_record
    assert (record.backend, record.vendor) == (stack.backend, common_pb2.VENDOR_INVGATE)
    assert record.remote_data["title"] == "Printer on 3rd floor is down"
    assert stack.state.requests[int(record.remote_id)]["title"] == ticket.title

    got = (await stack.tickets.GetTicket(t.GetTicketRequest(name=ticket.name))).ticket
    assert got == ticket

    updated = (
        await stack.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(
                    name=ticket.name, title="Printer fixed?", priority=t.TICKET_PRIORITY_LOW
                ),
                update_mask=field_mask_pb2.FieldMask(paths=["title", "priority"]),
            )
        )
    ).ticket
    assert (updated.title, updated.priority) == ("Printer fixed?", t.TICKET_PRIORITY_LOW)
    assert updated.description == ticket.description  # unmasked fields untouched
    assert int(updated.etag) >= int(ticket.etag)


async def test_create_missing_invgate_required_fields_lists_every_violation(stack):
    error = await rpc_error(
        stack.tickets.CreateTicket(
            t.CreateTicketRequest(parent=f"backends/{stack.backend}", ticket=t.Ticket(title="x"))
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields = {v.field for v in details_of(error)["BadRequest"].field_violations}
    assert fields == {
        "ticket.requester",
        "ticket.creator",
        "ticket.category",
        "ticket.priority",
        "ticket.type",
    }


async def test_update_of_a_field_invgate_cannot_change_is_a_field_violation(stack):
    ticket = await create(stack)
    error = await rpc_error(
        stack.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(name=ticket.name, tags=["x"]),
                update_mask=field_mask_pb2.FieldMask(paths=["tags"]),
            )
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details_of(error)["BadRequest"].field_violations[0].field == "update_mask.paths[0]"


async def test_unknown_ticket_is_not_found_with_vendor_details(stack):
    error = await rpc_error(
        stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", 999999)))
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    info = details_of(error)["ErrorInfo"]
    assert info.metadata["backend"] == stack.backend
    assert info.metadata["vendor_http_status"] == "404"


async def test_non_numeric_ticket_id_is_invalid_argument(stack):
    error = await rpc_error(
        stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", "abc")))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details_of(error)["BadRequest"].field_violations[0].field == "name"


async def test_batch_get_keeps_order_and_reports_missing(stack):
    ids = sorted(stack.state.requests)[:3][::-1]
    response = await stack.tickets.BatchGetTickets(
        t.BatchGetTicketsRequest(
            parent=f"backends/{stack.backend}", names=[stack.name("tickets", i) for i in ids]
        )
    )
    assert [x.vendor_record.remote_id for x in response.tickets] == [str(i) for i in ids]
    error = await rpc_error(
        stack.tickets.BatchGetTickets(
            t.BatchGetTicketsRequest(
                parent=f"backends/{stack.backend}", names=[stack.name("tickets", 424242)]
            )
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def _walk(stack, **filters) -> list[t.Ticket]:
    seen, token = [], ""
    for _ in range(100):
        page = await stack.tickets.ListTickets(
            t.ListTicketsRequest(
                parent=f"backends/{stack.backend}", page_size=7, page_token=token, **filters
            )
        )
        seen.extend(page.tickets)
        token = page.next_page_token
        if not token:
            return seen
    raise AssertionError("paging did not end")


async def test_list_pages_through_everything_once(stack):
    seen = await _walk(stack)
    ids = [x.vendor_record.remote_id for x in seen]
    assert len(ids) == len(set(ids)) == len(stack.state.requests)


@pytest.mark.parametrize(
    "filter_name", ["states", "requester", "assignee", "help_desk", "category", "priority"]
)
async def test_list_filters_match_the_sandbox_state(stack, filter_name):
    sample = next(
        r
        for r in stack.state.requests.values()
        if r["assigned_id"] and r["assigned_group_id"] and r["status_id"] == 2
    )
    filters, expect = {
        "states": ({"states": [t.TICKET_STATE_OPEN]}, lambda r: r["status_id"] == 2),
        "requester": (
            {"requester": stack.name("users", sample["user_id"])},
            lambda r: r["user_id"] == sample["user_id"],
        ),
        "assignee": (
            {"assignee": stack.name("users", sample["assigned_id"])},
            lambda r: r["assigned_id"] == sample["assigned_id"],
        ),
        "help_desk": (
            {"help_desk": stack.name("helpDesks", sample["assigned_group_id"])},
            lambda r: r["assigned_group_id"] == sample["assigned_group_id"],  # closed too
        ),
        "category": (
            {"category": stack.name("ticketCategories", sample["category_id"])},
            lambda r: r["category_id"] == sample["category_id"],
        ),
        "priority": ({"priority": t.TICKET_PRIORITY_URGENT}, lambda r: r["priority_id"] == 4),
    }[filter_name]
    found = {int(x.vendor_record.remote_id) for x in await _walk(stack, **filters)}
    assert found and found == {i for i, r in stack.state.requests.items() if expect(r)}


async def test_page_token_reused_with_other_filters_is_rejected(stack):
    page = await stack.tickets.ListTickets(
        t.ListTicketsRequest(parent=f"backends/{stack.backend}", page_size=2)
    )
    error = await rpc_error(
        stack.tickets.ListTickets(
            t.ListTicketsRequest(
                parent=f"backends/{stack.backend}",
                page_size=2,
                page_token=page.next_page_token,
                states=[t.TICKET_STATE_OPEN],
            )
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_comment_solve_accept_closes_the_ticket(stack):
    ticket = await create(stack)
    comment = (
        await stack.tickets.CreateComment(
            t.CreateCommentRequest(
                parent=ticket.name,
                comment=t.Comment(
                    body="<p>Replaced toner</p>",
                    author=stack.name("users", AGENT),
                    is_solution=True,
                ),
            )
        )
    ).comment
    assert comment.body == "<p>Replaced toner</p>" and comment.is_solution
    assert comment.visibility == t.COMMENT_VISIBILITY_PUBLIC
    internal = (
        await stack.tickets.CreateComment(
            t.CreateCommentRequest(
                parent=ticket.name,
                comment=t.Comment(
                    body="note",
                    author=stack.name("users", AGENT),
                    visibility=t.COMMENT_VISIBILITY_INTERNAL,
                ),
            )
        )
    ).comment
    assert internal.visibility == t.COMMENT_VISIBILITY_INTERNAL
    listed = await stack.tickets.ListComments(t.ListCommentsRequest(parent=ticket.name))
    assert [c.name for c in listed.comments] == [comment.name, internal.name]
    solved = (await stack.tickets.GetTicket(t.GetTicketRequest(name=ticket.name))).ticket
    assert solved.state == t.TICKET_STATE_RESOLVED

    error = await rpc_error(
        stack.tickets.AcceptSolution(t.AcceptSolutionRequest(name=ticket.name, rating=2))
    )
    assert details_of(error)["BadRequest"].field_violations[0].field == "comment"
    closed = (
        await stack.tickets.AcceptSolution(t.AcceptSolutionRequest(name=ticket.name, rating=5))
    ).ticket
    assert closed.state == t.TICKET_STATE_CLOSED and closed.rating == 5
    assert closed.close_reason == t.CLOSE_REASON_SOLUTION_ACCEPTED

    reopened = (
        await stack.tickets.ReopenTicket(
            t.ReopenTicketRequest(name=ticket.name, author=stack.name("users", AGENT))
        )
    ).ticket
    assert reopened.state == t.TICKET_STATE_OPEN


async def test_reject_solution_reopens(stack):
    ticket = await create(stack)
    await stack.tickets.CreateComment(
        t.CreateCommentRequest(
            parent=ticket.name,
            comment=t.Comment(body="try this", author=stack.name("users", AGENT), is_solution=True),
        )
    )
    reopened = (
        await stack.tickets.RejectSolution(
            t.RejectSolutionRequest(name=ticket.name, comment="still broken")
        )
    ).ticket
    assert reopened.state == t.TICKET_STATE_OPEN


async def test_cancel_then_cancel_again_is_failed_precondition(stack):
    ticket = await create(stack)
    cancelled = (
        await stack.tickets.CancelTicket(
            t.CancelTicketRequest(
                name=ticket.name, author=stack.name("users", AGENT), comment="duplicate"
            )
        )
    ).ticket
    assert cancelled.state == t.TICKET_STATE_CANCELLED
    error = await rpc_error(
        stack.tickets.CancelTicket(
            t.CancelTicketRequest(name=ticket.name, author=stack.name("users", AGENT))
        )
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details_of(error)["ErrorInfo"].reason == "UPSTREAM_REFUSED"


async def test_reject_reassign_promote(stack):
    ticket = await create(stack)
    reassigned = (
        await stack.tickets.ReassignTicket(
            t.ReassignTicketRequest(
                name=ticket.name,
                author=stack.name("users", AGENT),
                help_desk=stack.name("helpDesks", 2),
                assignee=stack.name("users", 3),
            )
        )
    ).ticket
    assert reassigned.help_desk == stack.name("helpDesks", 2)
    assert reassigned.assignee == stack.name("users", 3)
    promoted = await stack.tickets.PromoteToMajorIncident(
        t.PromoteToMajorIncidentRequest(name=ticket.name, author=stack.name("users", AGENT))
    )
    assert promoted.ticket.type == t.TICKET_TYPE_MAJOR_INCIDENT and promoted.messages
    rejected = (
        await stack.tickets.RejectTicket(
            t.RejectTicketRequest(name=ticket.name, author=stack.name("users", AGENT))
        )
    ).ticket
    assert rejected.state == t.TICKET_STATE_REJECTED


@pytest.mark.parametrize("reason", ["agent", "customer", "until_time", "ticket"])
async def test_waiting_states(stack, reason):
    ticket = await create(stack)
    other = await create(stack, title="the blocker")
    waiting = {
        "agent": t.WaitingState(agent=True),
        "customer": t.WaitingState(customer=True),
        "until_time": t.WaitingState(until_time=timestamp_pb2.Timestamp(seconds=2_000_000_000)),
        "ticket": t.WaitingState(ticket=other.name),
    }[reason]
    result = (
        await stack.tickets.SetTicketWaiting(
            t.SetTicketWaitingRequest(name=ticket.name, waiting=waiting)
        )
    ).ticket
    assert result.state == t.TICKET_STATE_WAITING
    assert result.waiting == waiting


async def test_observers_collaborators_links_and_external_entities(stack):
    ticket = await create(stack)
    users = [stack.name("users", 3), stack.name("users", 4)]
    added = await stack.tickets.AddTicketObservers(
        t.AddTicketObserversRequest(
            name=ticket.name, author=stack.name("users", AGENT), users=users
        )
    )
    assert list(added.users) == users
    listed = await stack.tickets.ListTicketObservers(t.ListTicketObserversRequest(name=ticket.name))
    assert list(listed.users) == users
    collaborators = await stack.tickets.AddTicketCollaborators(
        t.AddTicketCollaboratorsRequest(
            name=ticket.name, author=stack.name("users", AGENT), users=users[:1]
        )
    )
    assert list(collaborators.users) == users[:1]

    other = await create(stack, title="related")
    linked = await stack.tickets.LinkTickets(
        t.LinkTicketsRequest(name=ticket.name, tickets=[other.name])
    )
    assert [(x.ticket, x.title) for x in linked.linked_tickets] == [(other.name, "related")]

    link = (
        await stack.tickets.LinkExternalEntity(
            t.LinkExternalEntityRequest(
                parent=ticket.name, external_entity_id="55", external_reference="JIRA-1"
            )
        )
    ).link
    links = await stack.tickets.ListExternalEntityLinks(
        t.ListExternalEntityLinksRequest(parent=ticket.name)
    )
    assert [x.name for x in links.links] == [link.name]


async def test_custom_fields_set_clear_and_definitions(stack):
    ticket = await create(stack)
    value = common_pb2.CustomFieldValue(field_id="27", string_value="LAP-0042")
    updated = (
        await stack.tickets.SetTicketCustomField(
            t.SetTicketCustomFieldRequest(
                name=ticket.name, author=stack.name("users", AGENT), value=value
            )
        )
    ).ticket
    assert [(f.field_id, f.string_value) for f in updated.custom_fields] == [("27", "LAP-0042")]
    cleared = (
        await stack.tickets.ClearTicketCustomField(
            t.ClearTicketCustomFieldRequest(
                name=ticket.name, author=stack.name("users", AGENT), field_id="27"
            )
        )
    ).ticket
    assert not cleared.custom_fields
    definitions = await stack.tickets.ListCustomFieldDefinitions(
        t.ListCustomFieldDefinitionsRequest(
            parent=f"backends/{stack.backend}", category=stack.name("ticketCategories", 1)
        )
    )
    assert {d.field_id for d in definitions.definitions} == {"26", "27"}


async def test_reference_data(stack):
    parent = f"backends/{stack.backend}"
    statuses = await stack.tickets.ListTicketStatuses(t.ListTicketStatusesRequest(parent=parent))
    assert {(s.value.label, s.normalized) for s in statuses.statuses} >= {
        ("Waiting", "TICKET_STATE_WAITING"),
        ("Solved", "TICKET_STATE_RESOLVED"),
    }
    priorities = await stack.tickets.ListTicketPriorities(
        t.ListTicketPrioritiesRequest(parent=parent)
    )
    assert len(priorities.priorities) == 5
    categories = await stack.tickets.ListTicketCategories(
        t.ListTicketCategoriesRequest(parent=parent, page_size=5)
    )
    assert len(categories.categories) == 5 and categories.next_page_token
    rest = await stack.tickets.ListTicketCategories(
        t.ListTicketCategoriesRequest(
            parent=parent, page_size=5, page_token=categories.next_page_token
        )
    )
    assert len(rest.categories) == len(stack.state.categories) - 5
    laptops = (
        await stack.tickets.GetTicketCategory(
            t.GetTicketCategoryRequest(name=stack.name("ticketCategories", 6))
        )
    ).category
    assert (laptops.display_name, laptops.parent_category) == (
        "Laptops",
        stack.name("ticketCategories", 1),
    )


async def test_delete_is_unimplemented_naming_vendor_and_operation(stack):
    ticket = await create(stack)
    error = await rpc_error(stack.tickets.DeleteTicket(t.DeleteTicketRequest(name=ticket.name)))
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "invgate" in error.details() and "TicketService.DeleteTicket" in error.details()


async def test_backend_service_reports_invgate_capabilities_truthfully(stack):
    backends = backends_pb2_grpc.BackendServiceStub(stack.channel)
    backend = (
        await backends.GetBackend(backends_pb2.GetBackendRequest(name=f"backends/{stack.backend}"))
    ).backend
    support = {op.method.rsplit("/", 1)[1]: op.support for op in backend.operations}
    assert support["GetTicket"] == backends_pb2.SUPPORT_SUPPORTED
    assert support["DeleteTicket"] == backends_pb2.SUPPORT_UNSUPPORTED
    assert support["RespondToTicket"] == backends_pb2.SUPPORT_UNSUPPORTED
    assert support["ListTickets"] == backends_pb2.SUPPORT_PARTIAL


# ---------------------------------------------------------------------- upstream faults


async def test_503s_are_retried_and_visible_in_the_sandbox_log(stack):
    ticket = await create(stack)
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(
        fail_next=[{"key": "incident", "method": "GET", "status": 503, "count": 2}]
    )
    got = (await stack.tickets.GetTicket(t.GetTicketRequest(name=ticket.name))).ticket
    assert got.name == ticket.name
    statuses = [e["status"] for e in await stack.sandbox_log() if e["key"] == "incident"]
    assert statuses == [503, 503, 200]


async def test_writes_are_never_retried_blindly(stack):
    ticket = await create(stack)
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(
        fail_next=[{"key": "incident.cancel", "method": "POST", "status": 503, "count": 1}]
    )
    error = await rpc_error(
        stack.tickets.CancelTicket(
            t.CancelTicketRequest(name=ticket.name, author=stack.name("users", AGENT))
        )
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    posts = [e for e in await stack.sandbox_log() if e["key"] == "incident.cancel"]
    assert len(posts) == 1


async def test_persistent_429_is_resource_exhausted_with_retry_info(stack):
    ticket = await create(stack)
    await stack.set_faults(
        fail_next=[
            {"key": "incident", "method": "GET", "status": 429, "count": 5, "retry_after": 0}
        ]
    )
    error = await rpc_error(stack.tickets.GetTicket(t.GetTicketRequest(name=ticket.name)))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    details = details_of(error)
    assert details["ErrorInfo"].reason == "UPSTREAM_RATE_LIMITED"
    assert "RetryInfo" in details


async def test_malformed_vendor_json_is_unavailable_not_a_crash(stack):
    ticket = await create(stack)
    await stack.set_faults(
        fail_next=[
            {"key": "incident", "method": "GET", "status": 200, "malformed": True, "count": 1}
        ]
    )
    error = await rpc_error(stack.tickets.GetTicket(t.GetTicketRequest(name=ticket.name)))
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert details_of(error)["ErrorInfo"].reason == "UPSTREAM_MALFORMED_RESPONSE"


async def test_wrong_upstream_credentials_say_so(stack):
    stack.sandbox_app.state.sandbox.config.password = "rotated"
    error = await rpc_error(
        stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", 1000)))
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert details_of(error)["ErrorInfo"].reason == "UPSTREAM_CREDENTIALS_REJECTED"
    assert "rotated" not in error.details() and "sandbox-token" not in error.details()


async def test_deadline_is_honoured_with_slow_upstream(stack):
    ticket = await create(stack)
    await stack.set_faults(latency_ms=800)
    error = await rpc_error(
        stack.tickets.GetTicket(t.GetTicketRequest(name=ticket.name), timeout=0.3)
    )
    assert error.code() == grpc.StatusCode.DEADLINE_EXCEEDED


# ---------------------------------------------------------------------- idempotency


async def test_twenty_concurrent_creates_with_one_request_id_create_one_ticket(stack):
    before = len(stack.state.requests)
    request = t.CreateTicketRequest(
        parent=f"backends/{stack.backend}", ticket=new_ticket(stack), request_id="a1b2c3-retry"
    )
    responses = await asyncio.gather(*(stack.tickets.CreateTicket(request) for _ in range(20)))
    assert len({r.ticket.name for r in responses}) == 1
    assert len(stack.state.requests) == before + 1
    posts = [
        e for e in await stack.sandbox_log() if e["key"] == "incident" and e["method"] == "POST"
    ]
    assert len(posts) == 1
    again = await stack.tickets.CreateTicket(request)
    assert again.ticket.name == responses[0].ticket.name

    changed = t.CreateTicketRequest(
        parent=request.parent,
        request_id=request.request_id,
        ticket=new_ticket(stack, title="something else"),
    )
    error = await rpc_error(stack.tickets.CreateTicket(changed))
    assert details_of(error)["ErrorInfo"].reason == "REQUEST_ID_REUSED"


async def test_attachments_of_a_ticket(stack):
    record = next(r for r in stack.state.requests.values() if r["attachments"])
    name = stack.name("tickets", record["id"])
    listed = await stack.tickets.ListAttachments(t.ListAttachmentsRequest(parent=name))
    assert [a.file_name for a in listed.attachments] == [
        stack.state.attachments[i]["name"] for i in record["attachments"]
    ]
    one = (
        await stack.tickets.GetAttachment(t.GetAttachmentRequest(name=listed.attachments[0].name))
    ).attachment
    assert one.extension == "png" and one.hash
    error = await rpc_error(
        stack.tickets.GetAttachment(t.GetAttachmentRequest(name=f"{name}/attachments/123456"))
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_time_entries_create_list_delete(stack):
    ticket = await create(stack)
    entry = t.TimeEntry(
        user=stack.name("users", AGENT),
        comment="on site",
        start_time=timestamp_pb2.Timestamp(seconds=1_700_000_000),
        end_time=timestamp_pb2.Timestamp(seconds=1_700_001_800),
    )
    created = (
        await stack.tickets.CreateTimeEntry(
            t.CreateTimeEntryRequest(parent=ticket.name, time_entry=entry)
        )
    ).time_entry
    assert created.duration_seconds == 1800 and created.comment == "on site"
    listed = await stack.tickets.ListTimeEntries(t.ListTimeEntriesRequest(parent=ticket.name))
    assert [e.name for e in listed.time_entries] == [created.name]
    error = await rpc_error(
        stack.tickets.DeleteTimeEntry(t.DeleteTimeEntryRequest(name=created.name))
    )
    assert details_of(error)["BadRequest"].field_violations[0].field == "author"
    await stack.tickets.DeleteTimeEntry(
        t.DeleteTimeEntryRequest(name=created.name, author=stack.name("users", AGENT))
    )
    listed = await stack.tickets.ListTimeEntries(t.ListTimeEntriesRequest(parent=ticket.name))
    assert not listed.time_entries


async def test_custom_field_options_list_and_tree(stack):
    listed = await stack.tickets.ListCustomFieldOptions(
        t.ListCustomFieldOptionsRequest(name=stack.name("customFieldDefinitions", 26))
    )
    assert [(o.option.key, o.option.label) for o in listed.options] == [
        ("a1b2", "Team A"),
        ("c3d4", "Team B"),
        ("e5f6", "Team C"),
    ]
    tree = await stack.tickets.ListCustomFieldOptions(
        t.ListCustomFieldOptionsRequest(name=stack.name("customFieldDefinitions", 29))
    )
    assert [o.option.label for o in tree.options] == ["Hardware", "Software"]
    assert [c.option.label for c in tree.options[0].children] == ["Laptop"]
    error = await rpc_error(
        stack.tickets.ListCustomFieldOptions(
            t.ListCustomFieldOptionsRequest(name=stack.name("customFieldDefinitions", 404))
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
