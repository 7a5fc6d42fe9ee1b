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
