"""What the watcher may poll or receive from InvGate (VENDORS.md §1.4 to §1.8), per resource kind.

Vendor calls per poll cycle, with `limit` = 100:

- ticket: `incidents.last.hour` (key-set pages of full request objects): pages(requests
  changed in the last hour), so 1 when nothing changed;
- comment: `incidents?ids[]=…&comments=true` for the tickets that changed: 1 per 100 changed
  tickets, 0 when none changed;
- group, company, location, user (`include_disabled=1`), article category: the whole list, 1;
- article: `kb.articles` offset pages: pages(articles).

`incidents.last.hour` reaches one hour back ([O] for its shape; that it returns requests
*updated*, not only created, in the last hour is the reading of its name [I]). A watermark
older than that falls back to the ticket scan: every request read by id (scan.py; the
`by.status` lists hold open requests only), closed ones included: pages(request ids) + 1.
The watcher logs and counts every such fallback.

Webhooks are InvGate's "Call web service" automation action (§1.8): a form body built in the
InvGate UI. Deskbridge expects a `request_id` field (the `{id}` of the request) and treats
the call as a hint to fetch that request, with its comments in the same call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from deskbridge.runtime.resources import MAX_ID_DIGITS
from deskbridge.runtime.sources import ChangeCapture, ChangeSource, Observed, Page, WebhookHint
from deskbridge.vendors.invgate import directory, knowledge, scan, users
from deskbridge.vendors.invgate import mapping as m
from deskbridge.vendors.invgate.client import InvGateClient
from deskbridge.vendors.invgate.reference import reference_for

LIMIT = 100
SCAN_WINDOWS = 5
HOUR = 3600.0


def _time(value: Any) -> datetime | None:
    seconds = m.to_int(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def _offset(cursor: str | None) -> int:
    return int(cursor) if cursor and cursor.isdigit() else 0


class InvGateChanges:
    """The change sources of one InvGate backend."""

    def __init__(self, backend: str, client: InvGateClient) -> None:
        self.backend = backend
        self.client = client
        self.reference = reference_for(client)

    # ---------------------------------------------------------------- tickets and comments

    async def _tickets(self, records: Sequence[Any]) -> list[Observed]:
        kept = [r for r in records if isinstance(r, Mapping) and "id" in r]
        labels = await self.reference.covering(kept)
        return [
            Observed(
                "ticket",
                m.ticket(self.backend, record, None, labels),
                vendor_time=_time(record.get("last_update")),
                create_time=_time(record.get("created_at")),
            )
            for record in kept
        ]

    async def ticket_changes(self, since: float, cursor: str | None) -> Page:
        answer = await self.client.get(
            "incidents.last.hour", {"limit": LIMIT, "page_key": cursor or None}
        )
        next_key = answer.get("next_page_key") if isinstance(answer, Mapping) else None
        return Page(await self._tickets(m.rows(answer)), str(next_key) if next_key else None)

    async def ticket_scan(self, cursor: str | None) -> Page:
        """Every request, closed ones too; the cursor is `<next id>:<high-water id>`."""
        start, _, high = (cursor or "").partition(":")
        if not (start.isdigit() and high.isdigit()):
            labels = await self.reference.covering()
            start, high = (
                str(scan.FIRST_ID),
                str(await scan.high_water(self.client, labels.statuses)),
            )
        # Five windows a page: a 100,000-request baseline is ~200 pages, well inside the
        # watcher's page walk (max_pages), at the same ~1 call per 100 ids.
        page = await scan.scan(
            self.client, int(start), int(high), want=SCAN_WINDOWS * LIMIT, max_calls=SCAN_WINDOWS
        )
        return Page(
            await self._tickets(page.records),
            f"{page.next_id}:{high}" if page.next_id is not None else None,
        )

    async def fetch_tickets(self, remote_ids: Sequence[str]) -> list[Observed]:
        """The requests and their comments, read together (`incidents?ids[]=…&comments=true`:
        one call per 100)."""
        ids = [int(i) for i in remote_ids if str(i).isdigit() and len(str(i)) <= MAX_ID_DIGITS]
        found: list[Observed] = []
        for start in range(0, len(ids), LIMIT):
            chunk = ids[start : start + LIMIT]
            by_id = await scan.by_ids(self.client, chunk, comments=True)
            records = [by_id[i] for i in chunk if i in by_id]
            found.extend(await self._tickets(records))
            for identifier in chunk:
                found.extend(self._comments(identifier, by_id.get(identifier)))
        return found

    async def ticket_comments(self, tickets: Sequence[Observed]) -> list[Observed]:
        ids = [t.message.vendor_record.remote_id for t in tickets if t.kind == "ticket"]
        comments: list[Observed] = []
        for start in range(0, len(ids), LIMIT):
            chunk = [int(i) for i in ids[start : start + LIMIT]]
            by_id = await scan.by_ids(self.client, chunk, comments=True)
            for identifier in chunk:
                comments.extend(self._comments(identifier, by_id.get(identifier)))
        return comments

    def _comments(self, identifier: int, record: Mapping[str, Any] | None) -> list[Observed]:
        return [
            Observed(
                "comment",
                m.comment(self.backend, str(identifier), comment),
                vendor_time=_time(comment.get("created_at")),
                create_time=_time(comment.get("created_at")),
            )
            for comment in (record or {}).get("comments") or []
            if isinstance(comment, Mapping) and "id" in comment
        ]

    # ---------------------------------------------------------------- whole lists

    def _list_source(self, kind: str, key: str, to_message, **params: Any) -> ChangeSource:
        async def scan(cursor: str | None) -> Page:
            rows = m.rows(await self.client.get(key, params or None))
            return Page(
                [
                    Observed(kind, to_message(self.backend, r))
                    for r in rows
                    if isinstance(r, Mapping)
                ]
            )

        async def fetch(remote_ids: Sequence[str]) -> list[Observed]:
            wanted = set(remote_ids)
            page = await scan(None)
            return [o for o in page.resources if o.message.vendor_record.remote_id in wanted]

        return ChangeSource(kind, scan=scan, fetch=fetch, deletable=True, note=f"1 call ({key})")

    async def article_scan(self, cursor: str | None) -> Page:
        offset = _offset(cursor)
        rows = m.rows(await self.client.get("kb.articles", {"limit": LIMIT, "offset": offset}))
        observed = [
            Observed(
                "article",
                knowledge.article(self.backend, r),
                vendor_time=_time(r.get("last_update_date")),
            )
            for r in rows
            if isinstance(r, Mapping)
        ]
        return Page(observed, str(offset + LIMIT) if len(rows) == LIMIT else None)

    # ---------------------------------------------------------------- webhooks

    def webhook(self, fields: Mapping[str, str]) -> list[WebhookHint]:
        """A "Call web service" body: `request_id` names the request that changed."""
        value = str(fields.get("request_id") or fields.get("id") or "").strip()
        if not value.isdigit():
            raise ValueError("the body has no numeric request_id")
        return [WebhookHint("ticket", value)]

    def capture(self) -> ChangeCapture:
        sources = [
            ChangeSource(
                "ticket",
                changes=self.ticket_changes,
                window_seconds=HOUR,
                scan=self.ticket_scan,
                fetch=self.fetch_tickets,
                fetch_has_children=True,
                children=self.ticket_comments,
                note="pages(changed in the last hour) via incidents.last.hour, "
                "+1 incidents?ids[] with comments per 100 changed",
            ),
            self._list_source("group", "groups", directory.group),
            self._list_source("company", "companies", directory.company),
            self._list_source("location", "locations", directory.location),
            self._list_source("user", "users", users.user, include_disabled=1),
            self._list_source("article_category", "kb.categories", knowledge.article_category),
            ChangeSource(
                "article",
                scan=self.article_scan,
                deletable=True,
                note="pages(articles) via kb.articles",
            ),
        ]
        return ChangeCapture(sources=sources, webhook=self.webhook)


def capture(backend: str, client: InvGateClient) -> ChangeCapture:
    return InvGateChanges(backend, client).capture()
