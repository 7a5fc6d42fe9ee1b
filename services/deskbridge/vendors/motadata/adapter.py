"""The Motadata backend: its HTTP client, the operations it supports and its change sources.

Options (`[[backends]]` table): `time_zone` (of conversation times, default UTC),
`categories` / `groups` / `statuses` (name → id tables of the instance, when known ahead; ids
are also learnt from every request read), `token_path`, `max_connections`.
"""

from __future__ import annotations

from deskbridge.runtime.backends import Backend, Operation
from deskbridge.runtime.settings import BackendConfig
from deskbridge.runtime.upstream import upstream_for
from deskbridge.vendors.motadata import changes, tickets, users
from deskbridge.vendors.motadata.auth import auth_from_credentials
from deskbridge.vendors.motadata.client import MotadataClient

TICKETS = "deskbridge.v1.TicketService/"
IDENTITY = "deskbridge.v1.IdentityService/"


def build_backend(config: BackendConfig) -> Backend:
    upstream = upstream_for(config, auth_from_credentials(config.credentials, config.options))
    client = MotadataClient(upstream)
    ticket_side = tickets.MotadataTickets(config.name, client, config.options)
    user_side = users.MotadataUsers(config.name, client)
    operations: dict[str, Operation] = {
        **{TICKETS + k: v for k, v in tickets.operations(ticket_side).items()},
        **{IDENTITY + k: v for k, v in users.operations(user_side).items()},
    }
    return Backend(
        name=config.name,
        vendor="motadata",
        base_url=config.base_url,
        operations=operations,
        notes={
            TICKETS + "ListComments": "Motadata has no solution conversations: solutions_only "
            "lists none",
            TICKETS + "ListTicketCategories": "the categories this instance's requests have "
            "shown, plus those configured (Motadata documents no category API)",
            TICKETS + "ListTicketStatuses": "the statuses seen or configured, by name",
            IDENTITY + "CreateUser": "requesters only (technicians are created in Motadata)",
        },
        close=upstream.aclose,
        capture=changes.MotadataChanges(ticket_side, user_side).capture(),
        reconcilers={
            **{TICKETS + k: v for k, v in tickets.reconcilers(ticket_side).items()},
            IDENTITY + "CreateUser": user_side.find_created,
        },
    )
