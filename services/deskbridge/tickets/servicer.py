"""TicketService: which RPCs change what. Routing, validation, idempotency and publishing
are the runtime's; what each vendor can do is its adapter's."""

from __future__ import annotations

from deskbridge.runtime.dispatch import Dependencies, EventRule
from deskbridge.runtime.servicers import mask_paths, register_routed

TICKET = "ticket"
EVENTS = {
    "CreateTicket": EventRule(TICKET, "created"),
    "UpdateTicket": EventRule(TICKET, "updated", changed_fields=mask_paths),
    "DeleteTicket": EventRule(TICKET, "deleted"),
    "CancelTicket": EventRule(TICKET, "cancelled", changed_fields=["state"]),
    "ReopenTicket": EventRule(TICKET, "reopened", changed_fields=["state"]),
    "RejectTicket": EventRule(TICKET, "rejected", changed_fields=["state"]),
    "ReassignTicket": EventRule(TICKET, "assigned", changed_fields=["help_desk", "assignee"]),
    "PromoteToMajorIncident": EventRule(TICKET, "promoted", changed_fields=["type"]),
    "SetTicketWaiting": EventRule(TICKET, "waiting", changed_fields=["state", "waiting"]),
    "AcceptSolution": EventRule(TICKET, "solution_accepted", changed_fields=["state", "rating"]),
    "RejectSolution": EventRule(TICKET, "solution_rejected", changed_fields=["state"]),
    "RespondToTicket": EventRule(TICKET, "responded", changed_fields=["lifecycle_state"]),
    "AcceptResponse": EventRule(TICKET, "response_accepted", changed_fields=["lifecycle_state"]),
    "ResolveTicketTemporarily": EventRule(TICKET, "resolved", changed_fields=["lifecycle_state"]),
    "ResolveTicketFinally": EventRule(TICKET, "resolved", changed_fields=["lifecycle_state"]),
    "CreateComment": EventRule("comment", "created"),
    "UpdateComment": EventRule("comment", "updated", changed_fields=mask_paths),
    "LinkTickets": EventRule(TICKET, "linked", changed_fields=["related_tickets"]),
    "AddTicketObservers": EventRule(TICKET, "observers_changed"),
    "AddTicketCollaborators": EventRule(TICKET, "collaborators_changed"),
    "SetTicketCustomField": EventRule(
        TICKET, "custom_form_changed", changed_fields=["custom_fields"]
    ),
    "ClearTicketCustomField": EventRule(
        TICKET, "custom_form_changed", changed_fields=["custom_fields"]
    ),
    "RelateConfigurationItems": EventRule(TICKET, "updated"),
    "CreateTimeEntry": EventRule("time_entry", "created"),
}


def register(server, deps: Dependencies) -> None:
    register_routed(server, deps, "tickets", EVENTS)
