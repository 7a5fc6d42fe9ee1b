"""What a vendor adapter declares the watcher may poll or receive, per resource kind.

Plain data, read by the vendor-neutral watcher (`deskbridge.watcher`): a vendor costs its own
wire knowledge here and nothing else. Each `ChangeSource` names one resource kind and offers
some of three ways to see it:

- `changes(since, cursor)`: a change feed, one page per call — what the vendor reports as
  changed at or after `since` (epoch seconds). `window_seconds` says how far back the feed
  reaches (InvGate's `incidents.last.hour`: 3600); a watermark older than that needs `scan`.
- `scan(cursor)`: every resource of the kind, one page per call (a key-set listing). Used for
  kinds without a feed, for reconciliation, and, for `deletable` kinds, to find deletes.
- `fetch(remote_ids)`: the resources as they are now, for webhook hints; with
  `fetch_has_children`, their children too (read in the same vendor call), so a webhook
  costs one call.

A kind with none of the three is seen only through pushed webhooks: `Subscriptions` are the
callbacks a vendor must be told about (Requestor's triggers), one per topic, each delivering
the resource itself rather than a hint. The watcher registers and removes them
(`deskbridge.watcher.subscriptions`) and publishes what they carry.

`children(resources)` adds what hangs off changed resources (a ticket's comments), fetched in
one batch for the changed ones only, so a quiet cycle costs no extra vendor call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from google.protobuf.message import Message


@dataclass(frozen=True)
class Observed:
    """One resource as the vendor has it now."""

    kind: str  # event resource kind, e.g. "ticket", "comment", "group"
    message: Message  # the deskbridge.v1 resource
    vendor_time: datetime | None = None  # the vendor's own update time, when it has one
    create_time: datetime | None = None  # the vendor's creation time, when it has one
    action: str | None = None  # what the vendor says happened (a trigger's event); None: derived


@dataclass(frozen=True)
class Page:
    """One page of a feed or a scan; `cursor` is None on the last page."""

    resources: Sequence[Observed]
    cursor: str | None = None
    complete: bool = True  # False: the vendor answered, but not everything (never tombstone)


Feed = Callable[[float, str | None], Awaitable[Page]]
Scan = Callable[[str | None], Awaitable[Page]]
Fetch = Callable[[Sequence[str]], Awaitable[Sequence[Observed]]]
Children = Callable[[Sequence[Observed]], Awaitable[Sequence[Observed]]]


@dataclass(frozen=True)
class ChangeSource:
    """How the watcher sees one resource kind of one backend."""

    kind: str
    changes: Feed | None = None
    window_seconds: float | None = None  # reach of `changes`; None: unbounded
    scan: Scan | None = None
    fetch: Fetch | None = None
    children: Children | None = None
    deletable: bool = False  # deletes are found by comparing full scans with what was seen
    fetch_has_children: bool = False  # `fetch` returns the children as well (one call)
    note: str = ""  # the vendor calls one cycle costs, for operators

    @property
    def polled(self) -> bool:
        return self.changes is not None or self.scan is not None


@dataclass(frozen=True)
class WebhookHint:
    """A webhook's claim that a resource changed: the watcher fetches it before publishing."""

    kind: str
    remote_id: str


# Parses a vendor's webhook body (form or JSON fields) into hints; ValueError when malformed.
WebhookParser = Callable[[Mapping[str, str]], Sequence[WebhookHint]]


# A pushed delivery: (topic, JSON body) → the resources it carries; ValueError when malformed.
PushParser = Callable[[str, Any], Sequence[Observed]]


@dataclass(frozen=True)
class Subscriptions:
    """The webhook subscriptions a vendor must be told about, one per topic."""

    topics: Sequence[str]
    subscribe: Callable[[str, str], Awaitable[str]]  # (topic, callback URL) → handle (Location)
    unsubscribe: Callable[[str], Awaitable[None]]  # by handle; one already gone is done
    parse: PushParser
    delivery_header: str = ""  # the header naming a delivery (the same on its retries), logged


@dataclass(frozen=True)
class ChangeCapture:
    """Everything a backend offers the watcher."""

    sources: Sequence[ChangeSource] = field(default_factory=tuple)
    webhook: WebhookParser | None = None
    subscriptions: Subscriptions | None = None

    def source(self, kind: str) -> ChangeSource | None:
        return next((s for s in self.sources if s.kind == kind), None)
