"""Which action a change the watcher saw is, named as the API path names it.

The watcher sees states, not calls: the action follows from what changed, in the order of
`FIELD_ACTIONS` (the first changed field listed decides; otherwise `updated`).
"""

from __future__ import annotations

from datetime import datetime

from deskbridge.events.revisions import Transition
from deskbridge.runtime.sources import Observed
from deskbridge.v1 import tickets_pb2

TICKET_STATES = {  # a ticket's new state → the API path's action for it
    tickets_pb2.TICKET_STATE_CANCELLED: "cancelled",
    tickets_pb2.TICKET_STATE_REJECTED: "rejected",
    tickets_pb2.TICKET_STATE_WAITING: "waiting",
}
FIELD_ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "ticket": (
        ("state", "terminal_state"),  # cancelled, rejected, waiting: what the ticket now is
        ("waiting", "terminal_state"),  # waiting for someone else now
        ("assignee", "assigned"),  # an assignment that opens a new ticket is an assignment
        ("help_desk", "assigned"),
        ("state", "state_changed"),
        ("vendor_state", "state_changed"),  # a vendor's own state within the same one
        ("category", "category_changed"),
        ("category_display_name", "category_changed"),  # vendors naming categories only
        ("custom_fields", "custom_form_changed"),
    ),
    "user": (("deleted", "deleted"), ("disabled", "enabled_or_disabled")),
    "group": (("member_count", "members_changed"),),
    "company": (("deleted", "deleted"), ("member_count", "members_changed")),
    "location": (("member_count", "members_changed"),),
}


def derive_action(
    observed: Observed, transition: Transition, created_after: datetime | None
) -> str:
    """`created`, `deleted` or what the changed fields say; for a resource seen for the first
    time, what the vendor said happened (a trigger's event) when it said."""
    if transition.current.deleted:
        return "deleted"
    if not transition.seen_before:
        if observed.action is not None:  # the vendor's word, when there is nothing to compare
            return observed.action
        created = observed.create_time
        if created is None or created_after is None or created >= created_after:
            return "created"
        return "updated"  # first seen, but older than the watch: an update of a known thing
    changed = set(transition.changed_fields())
    for field_name, action in FIELD_ACTIONS.get(observed.kind, ()):
        if field_name in changed:
            refined = _refine(observed, action)
            if refined is not None:
                return refined
    return "updated"


def _refine(observed: Observed, action: str) -> str | None:
    message = observed.message
    if action == "terminal_state":
        return TICKET_STATES.get(message.state)
    if action == "deleted":
        return "deleted" if message.deleted else None
    if action == "enabled_or_disabled":
        return "disabled" if message.disabled else "enabled"
    return action
