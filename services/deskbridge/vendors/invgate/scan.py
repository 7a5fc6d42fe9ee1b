"""Every InvGate request, closed ones included, read by id.

`incidents.by.status`, `.by.view` and `.by.helpdesk` return open requests only (VENDORS.md
§1.6, observed on three instances), so a list that must hold resolved, closed, rejected or
cancelled requests cannot be built on them. `incidents?ids[]=` answers any request whatever
its status, and request ids are the instance's sequential numbers: the scan walks them upward
in windows of `WINDOW` ids, up to the highest id the open-request list names (`high_water`),
and past it until a whole window holds no request (requests newer than the newest open one,
closed since). What the scan cannot see: more than `WINDOW` consecutive ids missing above
that mark (InvGate's API deletes no request).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from deskbridge.vendors.invgate import mapping as m
from deskbridge.vendors.invgate.client import InvGateClient

WINDOW = 100  # ids per `incidents?ids[]=` call (~1.5 KB of query string)
FIRST_ID = 1


def keyed_records(answer: Any) -> dict[int, Mapping[str, Any]]:
    """`incidents?ids[]=` as id → request: the observed object keyed by id (§1.6), or the
    array the docs describe, or either wrapped in `data`."""
    found: dict[int, Mapping[str, Any]] = {}
    for record in m.rows(answer):
        if isinstance(record, Mapping):
            identifier = m.to_int(record.get("id"))
            if identifier is not None:
                found[identifier] = record
    return found


async def by_ids(
    client: InvGateClient, ids: Iterable[int], **params: Any
) -> dict[int, Mapping[str, Any]]:
    """The requests among `ids` that exist, any status."""
    wanted = list(ids)
    if not wanted:
        return {}
    return keyed_records(await client.get("incidents", {"ids": wanted, **params}))


async def high_water(client: InvGateClient, statuses: Iterable[int]) -> int:
    """The highest request id an open-request list names (0 when none is open)."""
    answer = await client.get("incidents.by.status", {"status_ids": sorted(statuses)})
    ids = answer.get("requestIds") if isinstance(answer, Mapping) else None
    numbers = [m.to_int(i) for i in ids or []]
    return max((n for n in numbers if n is not None), default=0)


@dataclass(frozen=True)
class ScanPage:
    records: list[Mapping[str, Any]]
    next_id: int | None  # None: the scan is complete


async def scan(
    client: InvGateClient, start: int, high: int, *, want: int, max_calls: int
) -> ScanPage:
    """Requests from id `start` upward, in id order: at least `want` of them unless the scan
    ends or `max_calls` windows were read first (a page may then be short, even empty, with
    more to come)."""
    records: list[Mapping[str, Any]] = []
    position = max(start, FIRST_ID)
    for _ in range(max_calls):
        found = await by_ids(client, range(position, position + WINDOW))
        window_start, position = position, position + WINDOW
        if not found and window_start > high:
            return ScanPage(records, None)
        for identifier in sorted(found):
            records.append(found[identifier])
            if len(records) == want:
                return ScanPage(records, identifier + 1)
    return ScanPage(records, position)
