"""Requestor's eleven triggers (VENDORS.md §4.4) as the watcher's webhook subscriptions.

Subscribing is `POST /api/PowerAutomate/Create{Trigger}Trigger {"CallbackUrl"}` → 201 with a
`Location` [C]; unsubscribing is DELETE on that Location (DeleteTrigger, path [?]: whatever
the Location says, relative or absolute), a 404 meaning it is gone already. What a delivery
carries is not recorded [?]: the entity itself (the default assumption [I]) or an envelope
holding it under `Entity` — both are read. The entity is mapped as the action answers are
(mapping.py), its raw JSON kept in `remote_data`.

Each trigger names a kind and what happened to a resource seen for the first time; once a
resource has been seen, the action follows from what changed (watcher/actions.py), so a change
announced by two triggers — TicketStateChange and TicketMonitoring — is one event with one
action whichever delivery comes first. TicketMonitoring names nothing of its own: a first
sight of a ticket through it is a creation when the ticket is new, an update otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

import orjson

from deskbridge.runtime.sources import Observed, Subscriptions
from deskbridge.runtime.upstream import Upstream
from deskbridge.runtime.vendor_status import status_error
from deskbridge.vendors.requestor import mapping as m

TRIGGERS: Mapping[str, tuple[str, str | None]] = {  # trigger → (kind, action when first seen)
    "TicketCreated": ("ticket", "created"),
    "UserCreated": ("user", "created"),
    "TicketMonitoring": ("ticket", None),
    "TicketStateChange": ("ticket", "state_changed"),
    "TicketCategoryChange": ("ticket", "category_changed"),
    "TicketCustomFormChange": ("ticket", "custom_form_changed"),
    "UserUpdated": ("user", "updated"),
    "UserDeleted": ("user", "deleted"),
    "CompanyCreated": ("company", "created"),
    "CompanyUpdated": ("company", "updated"),
    "CompanyDeleted": ("company", "deleted"),
}
MAPPERS = {"ticket": m.ticket, "user": m.user, "company": m.company}
DELIVERY_HEADER = "X-Requestor-Delivery"  # [I] the sandbox's; only logged


def subscribe_path(trigger: str) -> str:
    return f"/api/PowerAutomate/Create{trigger}Trigger"


def trigger_subscriptions(backend: str, upstream: Upstream) -> Subscriptions:
    """The eleven triggers, subscribed and parsed for backend `backend`."""

    async def subscribe(trigger: str, callback_url: str) -> str:
        path = subscribe_path(trigger)
        response = await upstream.request(
            "POST",
            path,
            content=orjson.dumps({"CallbackUrl": callback_url}),
            headers={"Content-Type": "application/json"},
            safe=False,
        )
        if response.status_code >= 400:
            raise status_error(upstream, path, response, response.text[:200])
        location = response.headers.get("location", "")
        if not location:
            raise status_error(
                upstream, path, response, "the subscription was answered without a Location"
            )
        return location

    async def unsubscribe(location: str) -> None:
        path = _path_of(location)
        response = await upstream.request("DELETE", path, safe=False)
        if response.status_code >= 400 and response.status_code != 404:
            raise status_error(
                upstream, "PowerAutomate/DeleteTrigger", response, response.text[:200]
            )

    def parse(trigger: str, body: Any) -> list[Observed]:
        kind, action = TRIGGERS[trigger]
        entity = body.get("Entity") if isinstance(body, Mapping) and "Entity" in body else body
        if not isinstance(entity, Mapping) or entity.get("Id") is None:
            raise ValueError(f"a {trigger} delivery must carry an entity with an Id")
        message = MAPPERS[kind](backend, entity)
        record = message.vendor_record
        return [
            Observed(
                kind,
                message,
                vendor_time=record.update_time.ToDatetime(tzinfo=UTC)
                if record.HasField("update_time")
                else None,
                create_time=record.create_time.ToDatetime(tzinfo=UTC)
                if record.HasField("create_time")
                else None,
                action=action,
            )
        ]

    return Subscriptions(
        topics=tuple(TRIGGERS),
        subscribe=subscribe,
        unsubscribe=unsubscribe,
        parse=parse,
        delivery_header=DELIVERY_HEADER,
    )


def _path_of(location: str) -> str:
    """The path (and query) of a Location, relative or absolute [? which one Requestor sends]."""
    parts = urlsplit(location)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
