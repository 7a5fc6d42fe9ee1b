"""The Requestor backend: HTTP Basic (`username`, `password`), the public actions it has.

Options: `services_path`, `ticket_types_path` (the internal dropdown sources; their paths are
not recorded [?], default `/api/Services` and `/api/TicketTypes`), `max_connections`.
"""

from __future__ import annotations

from deskbridge.runtime.backends import Backend, Operation
from deskbridge.runtime.settings import BackendConfig
from deskbridge.runtime.upstream import BasicAuth, upstream_for
from deskbridge.vendors.requestor.client import RequestorClient
from deskbridge.vendors.requestor.operations import (
    RequestorOperations,
    identity_operations,
    ticket_operations,
)

TICKETS = "deskbridge.v1.TicketService/"
IDENTITY = "deskbridge.v1.IdentityService/"


def build_backend(config: BackendConfig) -> Backend:
    missing = [k for k in ("username", "password") if k not in config.credentials]
    if missing:
        raise ValueError(f"requestor credentials: missing {', '.join(missing)}")
    auth = BasicAuth.of(
        config.credentials["username"].reveal(), config.credentials["password"].reveal()
    )
    upstream = upstream_for(config, auth)
    ops = RequestorOperations(config.name, RequestorClient(upstream), config.options)
    operations: dict[str, Operation] = {
        **{TICKETS + k: v for k, v in ticket_operations(ops).items()},
        **{IDENTITY + k: v for k, v in identity_operations(ops).items()},
    }
    return Backend(
        name=config.name,
        vendor="requestor",
        base_url=config.base_url,
        operations=operations,
        close=upstream.aclose,
    )
