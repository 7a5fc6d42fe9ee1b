"""The CRM.COM backend: its session, client, the operations it supports and its change source.

Credentials: `web_api_key`, or `username`, `password`, `organisation` (each `_file`/`_env`).
Options: `time_zone` (of its ISO local dates, default UTC), `unit`, `statuses` (the status
names the life-cycle steps set when a call names none: `responded`, `temporary_resolved`,
`final_resolved`; default "Responded", "Temporary Resolved", "Final Resolved"),
`auth_error_codes` (status codes that mean "log in again"; a message naming the token counts
too), `max_connections`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from deskbridge.runtime.backends import Backend, Operation
from deskbridge.runtime.settings import BackendConfig
from deskbridge.runtime.upstream import upstream_for
from deskbridge.vendors.crmcom import changes, identity, tickets
from deskbridge.vendors.crmcom.auth import release, session
from deskbridge.vendors.crmcom.client import CrmComClient

TICKETS = "deskbridge.v1.TicketService/"
IDENTITY = "deskbridge.v1.IdentityService/"


def build_backend(config: BackendConfig) -> Backend:
    upstream = upstream_for(config, None)  # the session travels as a parameter (client.py)
    token = session(config.credentials, config.options)
    codes = config.options.get("auth_error_codes", ["INVALID_TOKEN", "TOKEN_EXPIRED"])
    client = CrmComClient(upstream, token, {str(c) for c in codes})
    ticket_side = tickets.CrmComTickets(config.name, client, config.options)
    people = identity.CrmComIdentity(
        config.name, client, ZoneInfo(str(config.options.get("time_zone", "UTC")))
    )
    operations: dict[str, Operation] = {
        **{TICKETS + k: v for k, v in tickets.operations(ticket_side).items()},
        **{IDENTITY + k: v for k, v in identity.operations(people).items()},
    }

    async def close() -> None:
        await release(config.base_url, token.forget())
        await upstream.aclose()

    return Backend(
        name=config.name,
        vendor="crmcom",
        base_url=config.base_url,
        operations=operations,
        notes={
            TICKETS + "ListTickets": "service_requests/list filters by account and category "
            "(and the life-cycle lists by state); states, assignee, help_desk and "
            "updated_after are applied by Deskbridge over the whole list, which CRM.COM "
            "returns unpaged",
            TICKETS + "BatchGetTickets": "one service_requests/show per name",
            TICKETS + "AcceptResponse": "accepts the response, or, once finally resolved, "
            "the final resolution (completing the request)",
        },
        close=close,
        capture=changes.capture(ticket_side),
        reconcilers={TICKETS + k: v for k, v in tickets.reconcilers(ticket_side).items()},
    )
