"""The instance's own reference data: the labels of its statuses, priorities, types, sources,
categories and custom fields.

Labels differ between instances (one calls status 5 "Solved", another "Resolved"; custom
statuses get ids above 8), so they are read from the instance (`incident.attributes.*`,
`categories`, `cf.fields.all`), kept, re-read after `REFRESH_SECONDS`, and re-read at once
when a record names an id not yet known (at most every `MISS_COOLDOWN_SECONDS`, so a record
with an odd id does not cost a reload per read). The tables are read concurrently, and the
first load starts beside the first read that needs it (`warm`), so it costs that read no
extra round trip. Until the first read succeeds, and for any table the instance would not
answer, the documented labels stand (VENDORS.md §1.4).
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import structlog

from deskbridge.runtime.errors import ApiError
from deskbridge.vendors.invgate import mapping as m
from deskbridge.vendors.invgate.client import InvGateClient
from deskbridge.vendors.invgate.mapping import ATTRIBUTE_FIELDS, DOCUMENTED, Labels

log = structlog.get_logger(__name__)

REFRESH_SECONDS = 600.0
MISS_COOLDOWN_SECONDS = 30.0
CATEGORY_PAGE = 500  # the `categories` maximum page size (§1.4)
MAX_CATEGORY_PAGES = 40


class ReferenceData:
    """One instance's labels, shared by everything of its backend that maps requests."""

    def __init__(self, client: InvGateClient) -> None:
        self.client = client
        self.labels = DOCUMENTED
        self._loaded_at: float | None = None
        self._loading: asyncio.Task[None] | None = None

    def warm(self) -> None:
        """Start the first load now, so that it runs beside the call that will need it."""
        if self._loaded_at is None:
            self._load()

    async def covering(self, records: Iterable[Mapping[str, Any]] = ()) -> Labels:
        """Labels for `records`. The first load is awaited; a stale one is refreshed in the
        background; one that lacks an id a record names is reloaded and awaited."""
        loaded_at = self._loaded_at
        if loaded_at is None:
            await asyncio.shield(self._load())
            return self.labels
        age = time.monotonic() - loaded_at
        if age > MISS_COOLDOWN_SECONDS and any(
            self.labels.misses(r) for r in records if isinstance(r, Mapping)
        ):
            await asyncio.shield(self._load())
        elif age > REFRESH_SECONDS:
            self._load()
        return self.labels

    def _load(self) -> asyncio.Task[None]:
        if self._loading is None or self._loading.done():
            self._loading = asyncio.get_running_loop().create_task(self._reload())
        return self._loading

    async def _reload(self) -> None:
        try:
            self.labels = await self._read(self.labels)
        finally:  # also after a failure: the documented labels stand until the next try
            self._loaded_at = time.monotonic()

    async def _read(self, current: Labels) -> Labels:
        keys = [key for _, _, key in ATTRIBUTE_FIELDS]
        *tables, categories, fields = await asyncio.gather(
            *(self._rows(key, {}) for key in keys),
            self._categories(),
            self._rows("cf.fields.all", {}),
        )
        changes: dict[str, Any] = {}
        for (table, _, _), rows in zip(ATTRIBUTE_FIELDS, tables, strict=True):
            if rows:  # an empty answer is no reason to forget the labels known
                changes[table] = _id_labels(rows, "name")
        if categories:
            changes["categories"] = categories
        if fields:
            changes["custom_fields"] = {
                str(f.get("uid")): str(f.get("label") or "") for f in fields if f.get("uid")
            }
        return replace(current, **changes)

    async def _categories(self) -> dict[int, str] | None:
        found: dict[int, str] = {}
        for number in range(1, MAX_CATEGORY_PAGES + 1):
            rows = await self._rows("categories", {"page": number, "page_size": CATEGORY_PAGE})
            if rows is None:
                return None
            found.update(_id_labels(rows, "name"))
            if len(rows) < CATEGORY_PAGE:
                break
        return found

    async def _rows(self, key: str, params: Mapping[str, Any]) -> list[Mapping] | None:
        try:
            answer = await self.client.get(key, params)
        except ApiError as error:
            log.warning("invgate_reference_unavailable", endpoint=key, error=error.message)
            return None
        return [r for r in m.rows(answer) if isinstance(r, Mapping)]


def _id_labels(rows: Iterable[Mapping[str, Any]], label_key: str) -> dict[int, str]:
    labels: dict[int, str] = {}
    for row in rows:
        identifier = m.to_int(row.get("id"))
        if identifier is not None:
            labels[identifier] = str(row.get(label_key) or row.get("label") or "")
    return labels


_shared: weakref.WeakKeyDictionary[InvGateClient, ReferenceData] = weakref.WeakKeyDictionary()


def reference_for(client: InvGateClient) -> ReferenceData:
    """The one ReferenceData of `client`'s instance (every module of a backend shares it)."""
    found = _shared.get(client)
    if found is None:
        found = _shared[client] = ReferenceData(client)
    return found
