"""The InvGate backend: its HTTP client and the table of operations it supports."""

from __future__ import annotations

from deskbridge.runtime.backends import Backend
from deskbridge.runtime.settings import BackendConfig
from deskbridge.runtime.upstream import Upstream
from deskbridge.vendors.invgate.auth import auth_from_credentials
from deskbridge.vendors.invgate.client import InvGateClient
from deskbridge.vendors.invgate.tickets import InvGateTickets

TICKETS = "deskbridge.v1.TicketService/"


def build_backend(config: BackendConfig) -> Backend:
    """One pooled client per backend, and every operation InvGate can do."""
    upstream = Upstream(
        backend=config.name,
        vendor="invgate",
        base_url=config.base_url,
        auth=auth_from_credentials(config.credentials, config.options),
        max_connections=int(config.options.get("max_connections", 200)),
    )
    client = InvGateClient(upstream)
    t = InvGateTickets(config.name, client)
    operations = {
        "CreateTicket": t.create,
        "GetTicket": t.get,
        "BatchGetTickets": t.batch_get,
        "ListTickets": t.list,
        "UpdateTicket": t.update,
        "CancelTicket": t.cancel,
        "ReopenTicket": t.reopen,
        "RejectTicket": t.reject,
        "ReassignTicket": t.reassign,
        "PromoteToMajorIncident": t.promote,
        "SetTicketWaiting": t.set_waiting,
        "AcceptSolution": t.accept_solution,
        "RejectSolution": t.reject_solution,
        "ListComments": t.list_comments,
        "CreateComment": t.create_comment,
        "ListLinkedTickets": t.list_linked,
        "LinkTickets": t.link,
        "ListTicketObservers": t.list_observers,
        "AddTicketObservers": t.add_observers,
        "ListTicketCollaborators": t.list_collaborators,
        "AddTicketCollaborators": t.add_collaborators,
        "ListExternalEntityLinks": t.list_external_links,
        "LinkExternalEntity": t.link_external,
        "SetTicketCustomField": t.set_custom_field,
        "ClearTicketCustomField": t.clear_custom_field,
        "ListCustomFieldDefinitions": t.list_custom_field_definitions,
        "ListCustomFieldOptions": t.list_custom_field_options,
        "ListTicketTasks": t.list_tasks,
        "RelateConfigurationItems": t.relate_cis,
        "ListTicketsByConfigurationItem": t.list_by_ci,
        "ListAttachments": t.list_attachments,
        "GetAttachment": t.get_attachment,
        "ListTimeEntries": t.list_time_entries,
        "CreateTimeEntry": t.create_time_entry,
        "DeleteTimeEntry": t.delete_time_entry,
        "ListTicketCategories": t.list_categories,
        "GetTicketCategory": t.get_category,
        "ListTicketPriorities": t.list_priorities,
        "ListTicketStatuses": t.list_statuses,
        "ListTicketTypes": t.list_types,
        "ListTicketSources": t.list_sources,
    }
    return Backend(
        name=config.name,
        vendor="invgate",
        base_url=config.base_url,
        operations={TICKETS + method: operation for method, operation in operations.items()},
        notes={
            TICKETS + "ListTickets": "category, priority and updated_after are applied per "
            "page by Deskbridge; such pages may hold fewer than page_size tickets",
        },
        close=upstream.aclose,
    )
