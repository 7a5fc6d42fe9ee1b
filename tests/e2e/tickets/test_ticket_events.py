"""Every mutating TicketService RPC publishes exactly one CloudEvent; reads publish none."""

from __future__ import annotations

from e2e_events import decoded, stored_events
from google.protobuf import field_mask_pb2

from deskbridge.v1 import events_pb2
from deskbridge.v1 import tickets_pb2 as t


async def test_each_mutation_is_one_event_with_cloudevents_headers(stack, nats_server):
    user = stack.name("users", 2)
    created = (
        await stack.tickets.CreateTicket(
            t.CreateTicketRequest(
                parent=f"backends/{stack.backend}",
                request_id="evt-1",
                ticket=t.Ticket(
                    title="Events please",
                    requester=stack.name("users", 101),
                    creator=user,
                    category=stack.name("ticketCategories", 1),
                    priority=t.TICKET_PRIORITY_LOW,
                    type=t.TICKET_TYPE_INCIDENT,
                ),
            )
        )
    ).ticket
    name = created.name
    # reads: none of these may publish
    await stack.tickets.GetTicket(t.GetTicketRequest(name=name))
    await stack.tickets.ListTickets(t.ListTicketsRequest(parent=f"backends/{stack.backend}"))
    await stack.tickets.ListComments(t.ListCommentsRequest(parent=name))
    await stack.tickets.ListTicketObservers(t.ListTicketObserversRequest(name=name))
    # the same create retried with its request_id: no second event
    await stack.tickets.CreateTicket(
        t.CreateTicketRequest(
            parent=f"backends/{stack.backend}",
            request_id="evt-1",
            ticket=t.Ticket(
                title="Events please",
                requester=stack.name("users", 101),
                creator=user,
                category=stack.name("ticketCategories", 1),
                priority=t.TICKET_PRIORITY_LOW,
                type=t.TICKET_TYPE_INCIDENT,
            ),
        )
    )
    # writes
    await stack.tickets.UpdateTicket(
        t.UpdateTicketRequest(
            ticket=t.Ticket(name=name, title="Renamed"),
            update_mask=field_mask_pb2.FieldMask(paths=["title"]),
        )
    )
    await stack.tickets.AddTicketObservers(
        t.AddTicketObserversRequest(name=name, author=user, users=[stack.name("users", 3)])
    )
    await stack.tickets.CreateComment(
        t.CreateCommentRequest(parent=name, comment=t.Comment(body="hi", author=user))
    )
    await stack.tickets.CancelTicket(t.CancelTicketRequest(name=name, author=user))

    messages = await stored_events(nats_server.url, stack.backend)
    subjects = [m.subject for m in messages]
    prefix = f"deskbridge.{stack.backend}"
    assert subjects == [
        f"{prefix}.ticket.created",
        f"{prefix}.ticket.updated",
        f"{prefix}.ticket.observers_changed",
        f"{prefix}.comment.created",
        f"{prefix}.ticket.cancelled",
    ]

    first = messages[0]
    headers = first.headers
    assert headers["ce-specversion"] == "1.0"
    assert headers["ce-type"] == "deskbridge.v1.ticket.created"
    assert headers["ce-source"] == f"deskbridge/{stack.backend}"
    assert headers["ce-subject"] == name
    assert headers["content-type"] == "application/protobuf"
    assert headers["Nats-Msg-Id"] == headers["ce-id"]
    assert len({m.headers["ce-id"] for m in messages}) == len(messages)

    event = decoded(first)
    assert isinstance(event, events_pb2.TicketEvent)
    assert (event.action, event.origin) == (
        events_pb2.CHANGE_ACTION_CREATED,
        events_pb2.CHANGE_ORIGIN_API,
    )
    assert event.ticket.name == name and event.ticket.title == "Events please"
    assert event.request_id == "evt-1"

    updated = decoded(messages[1])
    assert list(updated.changed_fields.paths) == ["title"]
    assert updated.ticket.title == "Renamed"
    cancelled = decoded(messages[4])
    assert cancelled.ticket.state == t.TICKET_STATE_CANCELLED
    comment = decoded(messages[3])
    assert comment.comment.body == "hi" and comment.comment.name.startswith(name + "/comments/")


async def test_every_invgate_ticket_mutation_publishes_exactly_one_event(stack, nats_server):
    """Walks every mutating TicketService RPC InvGate supports; one event each, in order."""
    agent, parent = stack.name("users", 2), f"backends/{stack.backend}"

    def ticket_fields(title: str) -> t.Ticket:
        return t.Ticket(
            title=title,
            requester=stack.name("users", 101),
            creator=agent,
            category=stack.name("ticketCategories", 1),
            priority=t.TICKET_PRIORITY_LOW,
            type=t.TICKET_TYPE_INCIDENT,
        )

    tk = stack.tickets
    main = (
        await tk.CreateTicket(t.CreateTicketRequest(parent=parent, ticket=ticket_fields("main")))
    ).ticket
    other = (
        await tk.CreateTicket(t.CreateTicketRequest(parent=parent, ticket=ticket_fields("other")))
    ).ticket
    name = main.name
    solution = t.Comment(body="fixed", author=agent, is_solution=True)
    steps = [
        (
            lambda: tk.UpdateTicket(
                t.UpdateTicketRequest(
                    ticket=t.Ticket(name=name, description="more"),
                    update_mask=field_mask_pb2.FieldMask(paths=["description"]),
                )
            ),
            "ticket.updated",
        ),
        (
            lambda: tk.ReassignTicket(
                t.ReassignTicketRequest(
                    name=name, author=agent, help_desk=stack.name("helpDesks", 1)
                )
            ),
            "ticket.assigned",
        ),
        (
            lambda: tk.SetTicketWaiting(
                t.SetTicketWaitingRequest(name=name, waiting=t.WaitingState(customer=True))
            ),
            "ticket.waiting",
        ),
        (
            lambda: tk.AddTicketObservers(
                t.AddTicketObserversRequest(name=name, author=agent, users=[stack.name("users", 3)])
            ),
            "ticket.observers_changed",
        ),
        (
            lambda: tk.AddTicketCollaborators(
                t.AddTicketCollaboratorsRequest(
                    name=name, author=agent, users=[stack.name("users", 4)]
                )
            ),
            "ticket.collaborators_changed",
        ),
        (
            lambda: tk.LinkTickets(t.LinkTicketsRequest(name=name, tickets=[other.name])),
            "ticket.linked",
        ),
        (
            lambda: tk.SetTicketCustomField(
                t.SetTicketCustomFieldRequest(
                    name=name, author=agent, value=common_value("27", "TAG-1")
                )
            ),
            "ticket.custom_form_changed",
        ),
        (
            lambda: tk.ClearTicketCustomField(
                t.ClearTicketCustomFieldRequest(name=name, author=agent, field_id="27")
            ),
            "ticket.custom_form_changed",
        ),
        (
            lambda: tk.RelateConfigurationItems(
                t.RelateConfigurationItemsRequest(name=name, keyword="srv-01")
            ),
            "ticket.updated",
        ),
        (
            lambda: tk.PromoteToMajorIncident(
                t.PromoteToMajorIncidentRequest(name=name, author=agent)
            ),
            "ticket.promoted",
        ),
        (
            lambda: tk.CreateComment(t.CreateCommentRequest(parent=name, comment=solution)),
            "comment.created",
        ),
        (
            lambda: tk.RejectSolution(t.RejectSolutionRequest(name=name, comment="no")),
            "ticket.solution_rejected",
        ),
        (
            lambda: tk.CreateComment(t.CreateCommentRequest(parent=name, comment=solution)),
            "comment.created",
        ),
        (
            lambda: tk.AcceptSolution(t.AcceptSolutionRequest(name=name, rating=5)),
            "ticket.solution_accepted",
        ),
        (
            lambda: tk.ReopenTicket(t.ReopenTicketRequest(name=name, author=agent)),
            "ticket.reopened",
        ),
        (
            lambda: tk.RejectTicket(t.RejectTicketRequest(name=name, author=agent)),
            "ticket.rejected",
        ),
        (
            lambda: tk.CancelTicket(t.CancelTicketRequest(name=other.name, author=agent)),
            "ticket.cancelled",
        ),
    ]
    for call, _ in steps:  # one at a time: gRPC aio calls start when made
        await call()
    subjects = [
        m.subject.split(".", 2)[2] for m in await stored_events(nats_server.url, stack.backend)
    ]
    assert subjects == ["ticket.created", "ticket.created", *[s for _, s in steps]]


def common_value(field_id: str, text: str):
    from deskbridge.v1 import common_pb2

    return common_pb2.CustomFieldValue(field_id=field_id, string_value=text)
