"""The Requestor backend: HTTP Basic (`username`, `password`), the public actions it has, its
triggers as webhook subscriptions, and reads of tickets, users and companies from the event view.

Options: `services_path`, `ticket_types_path` (the internal dropdown sources; their paths are
not recorded [?], default `/api/Services` and `/api/TicketTypes`), `reconcile_settle_seconds`
(how long after an unknown create the view may still receive its trigger, default 30),
`max_connections`.
"""

from __future__ import annotations

from deskbridge.runtime.backends import Backend, Operation
from deskbridge.runtime.settings import BackendConfig
from deskbridge.runtime.sources import ChangeCapture, ChangeSource
from deskbridge.runtime.upstream import BasicAuth, upstream_for
from deskbridge.runtime.views import EventViewSlot, view_operations
from deskbridge.vendors.requestor.client import RequestorClient
from deskbridge.vendors.requestor.operations import (
    RequestorOperations,
    identity_operations,
    ticket_operations,
)
from deskbridge.vendors.requestor.reconcile import ticket_reconciler, user_reconciler
from deskbridge.vendors.requestor.triggers import trigger_subscriptions

TICKETS = "deskbridge.v1.TicketService/"
IDENTITY = "deskbridge.v1.IdentityService/"
VIEWED = ("ticket", "user", "company")
VIEW_NOTE = (
    "served from the event view: the last state Deskbridge saw of each resource, from its "
    "own writes and Requestor's triggers (Requestor's API reads none back)"
)


def build_backend(config: BackendConfig) -> Backend:
    missing = [k for k in ("username", "password") if k not in config.credentials]
    if missing:
        raise ValueError(f"requestor credentials: missing {', '.join(missing)}")
    auth = BasicAuth.of(
        config.credentials["username"].reveal(), config.credentials["password"].reveal()
    )
    upstream = upstream_for(config, auth)
    ops = RequestorOperations(config.name, RequestorClient(upstream), config.options)
    view = EventViewSlot(config.name, "requestor", VIEWED)
    operations: dict[str, Operation] = {
        **{TICKETS + k: v for k, v in ticket_operations(ops).items()},
        **{IDENTITY + k: v for k, v in identity_operations(ops).items()},
        **view_operations(view),
    }
    settle = float(config.options.get("reconcile_settle_seconds", 30.0))
    return Backend(
        name=config.name,
        vendor="requestor",
        base_url=config.base_url,
        operations=operations,
        notes={method: VIEW_NOTE for method in view.methods()},
        close=upstream.aclose,
        capture=ChangeCapture(
            sources=tuple(
                ChangeSource(kind, note="pushed by Requestor's triggers: no vendor call")
                for kind in VIEWED
            ),
            subscriptions=trigger_subscriptions(config.name, upstream),
        ),
        reconcilers={
            TICKETS + "CreateTicket": ticket_reconciler(view, settle),
            IDENTITY + "CreateUser": user_reconciler(view, settle),
        },
        view=view,
    )
