"""What the watcher may poll on Motadata (VENDORS.md §2.4). Motadata sends no webhooks (§2.5).

- ticket: `request/search/byqual` with `updatedTime >= since` (epoch ms), sorted by
  `updatedTime`, offset pages of 100: pages(changed) per cycle, 1 when nothing changed. The
  ordering operator is inferred [I]: where the instance refuses it (HTTP 400), the feed is
  the newest-first listing (`sort_by=-updatedTime`) read until it passes `since`. Deletes
  are found by full scans (offset pages sorted by id).
- comment: the conversations of each ticket that changed (1 call per changed ticket).
- user: requesters and technicians, full scans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.resources import MAX_ID_DIGITS
from deskbridge.runtime.sources import ChangeCapture, ChangeSource, Observed, Page
from deskbridge.vendors.motadata import mapping as m
from deskbridge.vendors.motadata.quals import one_of, qual
from deskbridge.vendors.motadata.tickets import REQUEST, MotadataTickets
from deskbridge.vendors.motadata.users import MODULES, MotadataUsers

LIMIT = 100


def _time(value: Any) -> datetime | None:
    ms = m.to_int(value)
    return datetime.fromtimestamp(ms / 1000, UTC) if ms else None


def _minute_end(stamp) -> datetime | None:
    if not stamp.seconds:
        return None
    return stamp.ToDatetime(UTC) + timedelta(seconds=59.999)


def _split(cursor: str | None) -> tuple[int, int]:
    """`"<a>:<b>"` → (a, b); (0, 0) for none."""
    first, _, second = (cursor or "").partition(":")
    return (int(first) if first.isdigit() else 0, int(second) if second.isdigit() else 0)


class MotadataChanges:
    def __init__(self, tickets: MotadataTickets, users: MotadataUsers) -> None:
        self.t = tickets
        self.u = users
        self.ordering = True  # until the instance refuses `greater_than_or_equal`

    def _tickets(self, records: Sequence[Mapping[str, Any]]) -> list[Observed]:
        return [
            Observed(
                "ticket",
                ticket,
                vendor_time=_time(record.get("updatedTime")),
                create_time=_time(record.get("createdTime")),
            )
            for record, ticket in zip(records, self.t.tickets(list(records)), strict=True)
        ]

    async def ticket_changes(self, since: float, cursor: str | None) -> Page:
        offset, _ = _split(cursor)
        since_ms = int(since * 1000)
        if self.ordering:
            try:
                found, total = await self.t.client.search(
                    REQUEST,
                    [qual(REQUEST, "updatedTime", "greater_than_or_equal", since_ms)],
                    offset=offset,
                    size=LIMIT,
                    sort_by="updatedTime",
                )
            except ApiError as error:
                if error.code != grpc.StatusCode.INVALID_ARGUMENT:
                    raise
                self.ordering = False
            else:
                more = offset + LIMIT < total if total is not None else len(found) == LIMIT
                return Page(self._tickets(found), f"{offset + LIMIT}:0" if more else None)
        found, _ = await self.t.client.search(
            REQUEST, offset=offset, size=LIMIT, sort_by="-updatedTime"
        )
        recent = [r for r in found if (m.to_int(r.get("updatedTime")) or 0) >= since_ms]
        more = len(recent) == len(found) == LIMIT
        return Page(self._tickets(recent), f"{offset + LIMIT}:0" if more else None)

    async def ticket_scan(self, cursor: str | None) -> Page:
        offset, _ = _split(cursor)
        found, _ = await self.t.client.search(REQUEST, offset=offset, size=LIMIT, sort_by="id")
        return Page(self._tickets(found), f"{offset + LIMIT}:0" if len(found) == LIMIT else None)

    async def fetch_tickets(self, remote_ids: Sequence[str]) -> list[Observed]:
        ids = sorted(
            {int(i) for i in remote_ids if str(i).isdigit() and len(str(i)) <= MAX_ID_DIGITS}
        )
        observed: list[Observed] = []
        for start in range(0, len(ids), LIMIT):
            chunk = ids[start : start + LIMIT]
            found, _ = await self.t.client.search(
                REQUEST, [one_of(REQUEST, "id", chunk)], size=len(chunk)
            )
            observed.extend(self._tickets(found))
        return observed

    async def ticket_comments(self, tickets: Sequence[Observed]) -> list[Observed]:
        comments: list[Observed] = []
        for observed in tickets:
            if observed.kind != "ticket":
                continue
            identifier = int(observed.message.vendor_record.remote_id)
            try:
                rows = await self.t.conversations(identifier)
            except ApiError as error:
                if error.code == grpc.StatusCode.NOT_FOUND:  # deleted meanwhile
                    continue
                raise
            for row in rows:
                comment = self.t.comment(identifier, row)
                # Conversation times have minute resolution: the watcher is told the latest
                # time within that minute, so a conversation made seconds ago does not look
                # older than the watched window (and get learnt silently).
                made = _minute_end(comment.create_time)
                changed = _minute_end(comment.update_time) or made
                comments.append(Observed("comment", comment, vendor_time=changed, create_time=made))
        return comments

    def _user_source(self) -> ChangeSource:
        modules = list(MODULES)

        async def scan(cursor: str | None) -> Page:
            index, offset = _split(cursor)
            module = modules[index]
            found, _ = await self.u.client.search(module, offset=offset, size=LIMIT, sort_by="id")
            users = [
                Observed("user", self.u.user(r, module), vendor_time=_time(r.get("updatedTime")))
                for r in found
            ]
            if len(found) == LIMIT:
                return Page(users, f"{index}:{offset + LIMIT}")
            return Page(users, f"{index + 1}:0" if index + 1 < len(modules) else None)

        return ChangeSource("user", scan=scan, note="pages(requesters) + pages(technicians)")

    def capture(self) -> ChangeCapture:
        return ChangeCapture(
            sources=[
                ChangeSource(
                    "ticket",
                    changes=self.ticket_changes,
                    scan=self.ticket_scan,
                    fetch=self.fetch_tickets,
                    children=self.ticket_comments,
                    deletable=True,
                    note="pages(changed since the watermark) via request/search/byqual on "
                    "updatedTime, +1 conversation list per changed ticket",
                ),
                self._user_source(),
            ]
        )
