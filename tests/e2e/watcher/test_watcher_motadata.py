"""Changes made in Motadata itself (its REST API, as another tool or an agent would) reach
DESKBRIDGE_EVENTS through the watcher's poll: once each, within twice the poll interval."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from watch_support import POLL, decoded, duplicates, of, until_published, watching

from deskbridge.sandbox.motadata import SandboxConfig, start_sandbox
from deskbridge.v1 import events_pb2


@pytest.fixture
async def watched_motadata(tmp_path, nats_server):
    config = SandboxConfig(request_count=15, seed=6)
    sandbox = await start_sandbox(config)
    vendor = httpx.AsyncClient(
        base_url=sandbox.url + "/api/v1/", headers={"Authorization": f"Apikey {config.api_key}"}
    )
    try:
        async with watching(
            tmp_path,
            nats_server.url,
            sandbox,
            "motadata",
            {"api_key": config.api_key},
            deletes_every_seconds=POLL,
        ) as backend:
            yield backend, sandbox, vendor, nats_server.url
    finally:
        await vendor.aclose()
        await sandbox.stop()


async def test_vendor_side_changes_are_published_once_each_within_two_intervals(
    watched_motadata,
):
    backend, sandbox, vendor, nats_url = watched_motadata
    state = sandbox.app.state.sandbox.state
    requester = next(u for i, u in state.users.items() if state.user_kind[i] == "requester")
    latencies = []

    async def expect(ce_type: str, name: str, changed: float):
        events, seen = await until_published(nats_url, backend, lambda es: of(es, ce_type, name))
        latencies.append(seen - changed)
        return events

    changed = time.monotonic()
    made = (
        await vendor.post(
            "request", json={"subject": "Made in Motadata", "requesterEmail": requester["email"]}
        )
    ).json()
    name = f"backends/{backend}/tickets/{made['id']}"
    events = await expect("deskbridge.v1.ticket.created", name, changed)
    created = decoded(of(events, "deskbridge.v1.ticket.created", name)[0])
    assert created.origin == events_pb2.CHANGE_ORIGIN_POLL
    assert created.ticket.title == "Made in Motadata"

    changed = time.monotonic()
    patched = await vendor.patch(f"request/{made['id']}", json={"statusName": "Resolved"})
    assert patched.status_code == 200, patched.text
    events = await expect("deskbridge.v1.ticket.state_changed", name, changed)
    updated = decoded(of(events, "deskbridge.v1.ticket.state_changed", name)[0])
    assert "state" in updated.changed_fields.paths

    changed = time.monotonic()
    said = (
        await vendor.post(
            f"request/{made['id']}/conversation",
            json={"conversationType": "note", "details": "<p>from the UI</p>"},
        )
    ).json()
    comment = f"{name}/comments/{said['id']}"
    await expect("deskbridge.v1.comment.created", comment, changed)

    changed = time.monotonic()
    assert (await vendor.delete(f"request/{made['id']}")).status_code in (200, 204)
    events = await expect("deskbridge.v1.ticket.deleted", name, changed)

    await asyncio.sleep(4 * POLL)  # later cycles and the overlap window add nothing
    events, _ = await until_published(nats_url, backend, lambda es: True)
    mine = [e.headers["ce-type"] for e in events if e.headers["ce-subject"] in (name, comment)]
    expected = [
        "deskbridge.v1.ticket.created",
        "deskbridge.v1.ticket.state_changed",
        "deskbridge.v1.comment.created",
        "deskbridge.v1.ticket.deleted",
    ]
    # The conversation moves the request's updatedTime: that may be one more ticket revision
    # (nothing but vendor_record.* changed), never a duplicate.
    assert [e for e in mine if e != "deskbridge.v1.ticket.updated"] == expected, mine
    assert mine.count("deskbridge.v1.ticket.updated") <= 1, mine
    assert not duplicates(events)
    assert max(latencies) <= 2 * POLL + 0.3, latencies  # 0.3 s: the test's own stream reads
