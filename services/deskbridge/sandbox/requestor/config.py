"""The Requestor sandbox's settings (VENDORS.md §4 and the seed's connector readme).

What VENDORS.md or the seed records ([C]/[O]) the sandbox does exactly: HTTP Basic [C], the
action paths and PascalCase bodies [C], the eleven `Create{Event}Trigger` subscribe calls
with `{"CallbackUrl"}` [C], a 201 with a `Location` header that is later DELETEd [C]. What
they leave open is a setting here, tagged `[I]` (inferred) or `[?]` (not found in any
source), with the default the sandbox uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deskbridge.sandbox.common.faults import Faults

# [C] The trigger names of the connector readme, in its order; `Create{Event}Trigger`.
EVENTS = (
    "TicketCreated",
    "UserCreated",
    "TicketMonitoring",
    "TicketStateChange",
    "TicketCategoryChange",
    "TicketCustomFormChange",
    "UserUpdated",
    "UserDeleted",
    "CompanyCreated",
    "CompanyUpdated",
    "CompanyDeleted",
)
# The ticket events TicketMonitoring can be set to follow.
TICKET_CHANGES = (
    "TicketCreated",
    "TicketStateChange",
    "TicketCategoryChange",
    "TicketCustomFormChange",
)

ANSWERS = ("entity", "id", "empty")
UNKNOWN_CUSTOMER = ("reject", "create")
CREATE_TRIGGER_BODIES = ("id", "empty")
DELETE_TRIGGER_STATUSES = (200, 204)
PAYLOAD_STYLES = ("entity", "envelope")

# (event, entity JSON) → the JSON body POSTed to a subscription's CallbackUrl.
PayloadTemplate = Callable[[str, dict[str, Any]], Any]


@dataclass
class SandboxConfig:
    # Seeded: 3 services, 3 ticket types, 5 states, 4 categories, 6 users, 3 companies and
    # `ticket_count` tickets, deterministic from `seed` (times relative to now).
    seed: int = 3
    ticket_count: int = 10
    faults: Faults = field(default_factory=Faults)

    # Auth (§4.2): HTTP Basic with a Requestor user's name and password [C]. The sandbox
    # knows one API user (also seeded as an administrator).
    username: str = "deskbridge"
    password: str = "sandbox-password"
    # [?] The 401 body: ASP.NET Web API's default `{"Message": …}` [I].
    unauthorized_message: str = "Authorization has been denied for this request."

    # [?] What the actions answer (§4.3 "Responses for all actions: [?]"): "entity" (200, the
    # created ticket / user as JSON), "id" (200, the bare id as a JSON number), "empty" (204).
    new_ticket_answer: str = "entity"
    create_user_answer: str = "entity"
    # [?] CreateRequestorUser's CustomerNames (company names) when a name is no company:
    # "reject" (400) or "create" (the company is created, firing CompanyCreated).
    unknown_customer: str = "reject"
    # [I] A NewTicket's state and category (the body has neither): the state named here,
    # and the category named here (None: no category, `"Category": null`).
    new_ticket_state: str = "New"
    new_ticket_category: str | None = None

    # [?] The internal dropdown sources' paths (GetServices, GetTicketTypes); GET, under /api/.
    services_path: str = "/api/Services"
    ticket_types_path: str = "/api/TicketTypes"

    # [I] The subscribe call's `Location` (§4.4 "emulator design"): a path under /api/ with
    # `{id}`; DELETE on it unsubscribes. `absolute_location` [?]: the header is an absolute
    # URL (scheme and host of the subscribe call) instead of the path.
    delete_trigger_location: str = "/api/PowerAutomate/DeleteTrigger/{id}"
    absolute_location: bool = False
    # [?] The subscribe call's body: "id" (`{"Id": <id>}`) or "empty" (no body).
    create_trigger_body: str = "id"
    # [?] What DELETE on the Location answers: 200 or 204, no body either way.
    delete_trigger_status: int = 200

    # [?] Webhook payloads (§4.4 "not found"): "entity" (the default [I]: the PascalCase
    # entity itself), "envelope" (`{"Event", "Entity", "DeliveryId", "Timestamp"}`), or a
    # callable (event, entity) → JSON body.
    payload_template: str | PayloadTemplate = "entity"
    # [I] The header carrying a delivery's id: the same on every retry of one delivery.
    delivery_id_header: str = "X-Requestor-Delivery"
    # [?] A header naming the event (None: not sent; the callback URL tells the flow apart).
    event_header: str | None = None
    # [?] Retries: a delivery that fails (no answer, a timeout, a non-2xx) is tried up to
    # `delivery_attempts` times in all, waiting backoff * factor**(n-2) before attempt n >= 2
    # (0.2, 0.4, 0.8, 1.6 s by default) [I].
    delivery_attempts: int = 5
    delivery_backoff_seconds: float = 0.2
    delivery_backoff_factor: float = 2.0
    delivery_timeout_seconds: float = 2.0
    # [?] TicketMonitoring is "a generic automation webhook … modified in the Requestor
    # application to actually monitor specific events" [C]: the ticket events it fires on.
    monitoring_events: tuple[str, ...] = TICKET_CHANGES

    def __post_init__(self) -> None:
        for name, allowed in (
            ("new_ticket_answer", ANSWERS),
            ("create_user_answer", ANSWERS),
            ("unknown_customer", UNKNOWN_CUSTOMER),
            ("create_trigger_body", CREATE_TRIGGER_BODIES),
            ("delete_trigger_status", DELETE_TRIGGER_STATUSES),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if not callable(self.payload_template) and self.payload_template not in PAYLOAD_STYLES:
            raise ValueError(f"payload_template must be callable or one of {PAYLOAD_STYLES}")
        for name in ("services_path", "ticket_types_path", "delete_trigger_location"):
            if not getattr(self, name).startswith("/api/"):
                raise ValueError(f"{name} must be a path under /api/, got {getattr(self, name)!r}")
        if self.delete_trigger_location.count("{id}") != 1:
            raise ValueError("delete_trigger_location must contain {id} once")
        if self.delivery_attempts < 1:
            raise ValueError("delivery_attempts must be >= 1")
        if self.delivery_backoff_seconds < 0 or self.delivery_timeout_seconds <= 0:
            raise ValueError("delivery_backoff_seconds must be >= 0, the timeout > 0")
        if set(self.monitoring_events) - set(TICKET_CHANGES):
            raise ValueError(f"monitoring_events must be among {TICKET_CHANGES}")
        if self.ticket_count < 0:
            raise ValueError("ticket_count must be >= 0")

    def delete_path_pattern(self) -> re.Pattern[str]:
        """The DELETE path (under /api/, without it) with the id as group `id`."""
        path = self.delete_trigger_location.removeprefix("/api/")
        before, after = path.split("{id}")
        pattern = f"{re.escape(before)}(?P<id>[^/]+){re.escape(after)}"
        return re.compile(pattern, re.IGNORECASE)  # [I] ASP.NET routing ignores case
