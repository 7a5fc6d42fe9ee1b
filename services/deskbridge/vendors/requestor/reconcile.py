"""What a create with an unknown outcome made, found in the event view (runtime/views.py).

Requestor cannot read back what NewTicket or CreateRequestorUser wrote, but its triggers
(TicketCreated, UserCreated) announce it, and the event view keeps it. A retry after an unknown
outcome looks there: by the id the first attempt recorded, else by what the request said
(a ticket: subject, message and submitter, created after the claim; a user: the user name).
A recorded id not (yet) in the view is
answered with the request under that id, as a create answering a bare id is. Not found while
the vendor may still be announcing it (`settle_seconds` after the claim, the
trigger's retries included), the outcome stays unknown (UNAVAILABLE, retry later); only after
that does "not in the view" count as "not written", and the create is made again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf.message import Message

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.idempotency import Claim
from deskbridge.runtime.resources import TICKET, USER
from deskbridge.runtime.views import EventViewSlot
from deskbridge.v1 import identity_pb2, tickets_pb2
from deskbridge.vendors.requestor.mapping import named

CLOCK_SKEW = 5.0  # seconds the vendor's clock may trail ours
DEFAULT_SETTLE = 30.0


def _found(
    slot: EventViewSlot,
    kind: str,
    resource_class: type[Message],
    claim: Claim,
    matches: Callable[[Any], bool],
    settle_seconds: float,
) -> Message | None:
    reader = slot.reader
    if reader is None:
        raise _not_yet(slot, "the event view is not connected")
    if claim.remote_id:  # the vendor named it: written, whether announced yet or not
        data = reader.get(slot.backend, kind, claim.remote_id)
        return resource_class.FromString(data) if data is not None else None
    for _, data in reader.after(slot.backend, kind, None):
        resource = resource_class.FromString(data)
        if matches(resource):
            return resource
    if time.time() - claim.since < settle_seconds:
        raise _not_yet(slot, f"the {kind} is not in the event view yet")
    return None


def _not_yet(slot: EventViewSlot, why: str) -> ApiError:
    return ApiError(
        grpc.StatusCode.UNAVAILABLE,
        f"an earlier attempt with this request_id may have written and {why}; "
        "retry with the same request_id",
        reason="OUTCOME_UNKNOWN",
        metadata={"backend": slot.backend, "vendor": slot.vendor},
        may_have_written=True,
    )


def ticket_reconciler(slot: EventViewSlot, settle_seconds: float = DEFAULT_SETTLE):
    async def reconcile(request: tickets_pb2.CreateTicketRequest, claim: Claim):
        asked = request.ticket

        def matches(ticket: tickets_pb2.Ticket) -> bool:
            return (
                ticket.title == asked.title
                and ticket.description == asked.description
                and ticket.requester_email.lower() == asked.requester_email.lower()
                and ticket.create_time.ToSeconds() >= claim.since - CLOCK_SKEW
            )

        found = _found(slot, "ticket", tickets_pb2.Ticket, claim, matches, settle_seconds)
        if found is None and claim.remote_id:
            found = named(asked, TICKET.name(slot.backend, claim.remote_id), slot.backend)
        return None if found is None else tickets_pb2.CreateTicketResponse(ticket=found)

    return reconcile


def user_reconciler(slot: EventViewSlot, settle_seconds: float = DEFAULT_SETTLE):
    async def reconcile(request: identity_pb2.CreateUserRequest, claim: Claim):
        wanted = request.user.username.lower()

        def matches(user: identity_pb2.User) -> bool:
            return user.username.lower() == wanted

        found = _found(slot, "user", identity_pb2.User, claim, matches, settle_seconds)
        if found is None and claim.remote_id:
            found = named(request.user, USER.name(slot.backend, claim.remote_id), slot.backend)
        return None if found is None else identity_pb2.CreateUserResponse(user=found)

    return reconcile
