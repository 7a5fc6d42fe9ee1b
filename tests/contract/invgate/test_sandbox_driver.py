"""The vendor-side change driver against a running sandbox (driver.py)."""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from collections import defaultdict
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from deskbridge.runtime.asgi import start_asgi
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.sandbox.invgate.driver import KINDS, DrivenChange, DriverError, drive


@pytest.fixture
async def small_sandbox():
    running = await start_sandbox(SandboxConfig(request_count=4, seed=11))
    yield running
    await running.stop()


def _without_last_update(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "last_update"}


def _too_close(changes: list[DrivenChange], gap: float) -> list[tuple[str, int]]:
    """The objects changed twice within `gap` seconds."""
    times: dict[tuple[str, int], list[float]] = defaultdict(list)
    for change in changes:
        times[change.object_key].append(change.at)
    return [
        key
        for key, at in times.items()
        if any(later - earlier < gap for earlier, later in itertools.pairwise(at))
    ]


def _sequence(changes: list[DrivenChange]) -> list[tuple[str, int, int | None, str]]:
    return [(c.kind, c.remote_id, c.parent_id, c.operation) for c in changes]


async def test_every_driven_change_is_real_and_in_the_sandbox(sandbox):
    state = sandbox.app.state.sandbox.state
    seen = {i: _without_last_update(r) for i, r in state.requests.items()}
    events: list[tuple[str, int, dict[str, Any]]] = []
    state.listeners.append(lambda event, r: events.append((event, r["id"], dict(r))))

    changes = await drive(sandbox.url, 60, seed=4)

    assert len(changes) == 60
    assert {c.kind for c in changes} == set(KINDS)
    # one write call per change, every one answered OK
    async with httpx.AsyncClient(base_url=sandbox.url) as control:
        log = (await control.get("/_sandbox/requests")).json()
    writes = [e for e in log if e["method"] != "GET"]
    assert [f"{e['key']} {e['method']}" for e in writes] == [c.operation for c in changes]
    assert all(e["status"] == 200 for e in log)

    later_deleted = {(c.kind, c.remote_id) for c in changes if c.operation.endswith(" DELETE")}
    for change in changes:
        key = (change.kind, change.remote_id)
        match change.operation:
            case "incident POST":
                assert change.remote_id in state.requests
            case "incident.cancel POST":
                assert state.requests[change.remote_id]["status_id"] == 8
            case "incident.reject POST":
                assert state.requests[change.remote_id]["status_id"] == 7
            case "incident.comment POST":
                thread = state.comments[change.parent_id]
                assert any(c["id"] == change.remote_id for c in thread)
            case "groups DELETE":
                assert change.remote_id not in state.groups
            case "groups POST":
                assert (change.remote_id in state.groups) is (key not in later_deleted)
            case "locations DELETE":
                assert change.remote_id not in state.locations
            case "locations POST":
                assert (change.remote_id in state.locations) is (key not in later_deleted)
            case "companies PUT" | "companies POST":
                assert change.remote_id in state.companies
            case _:
                assert change.kind == "request" and change.remote_id in state.requests
        assert change.parent_id is None or change.kind == "comment"

    # requests and comments: one state change each, and a request change changes the request
    on_requests = [c for c in changes if c.kind in ("request", "comment")]
    assert len(events) == len(on_requests)
    for change, (event, request_id, record) in zip(on_requests, events, strict=True):
        assert request_id == (change.parent_id if change.kind == "comment" else change.remote_id)
        assert event == ("created" if change.operation == "incident POST" else "updated")
        snapshot = _without_last_update(record)
        if change.kind == "request" and event == "updated":
            assert snapshot != seen[request_id], change
        seen[request_id] = snapshot


async def test_min_gap_spaces_out_changes_of_one_object(small_sandbox):
    changes = await drive(small_sandbox.url, 40, seed=6, min_gap_seconds=0.5)
    assert len(changes) == 40
    assert _too_close(changes, 0.5) == []
    # the same small instance without the gap does change objects back to back
    assert _too_close(await drive(small_sandbox.url, 40, seed=6), 0.5)


async def test_min_gap_waits_when_only_comments_are_allowed(small_sandbox):
    changes = await drive(small_sandbox.url, 6, seed=2, min_gap_seconds=0.2, kinds=["comment"])
    assert {c.kind for c in changes} == {"comment"}
    assert _too_close(changes, 0.2) == []
    assert len({c.parent_id for c in changes}) <= 4  # so it waited for a request to free
    assert changes[-1].at - changes[0].at >= 0.2


async def test_the_same_seed_makes_the_same_changes(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.url) as control:
        first = _sequence(await drive(sandbox.url, 40, seed=9))
        await control.post("/_sandbox/reset")
        again = _sequence(await drive(sandbox.url + "/api/v1/", 40, seed=9))
        await control.post("/_sandbox/reset")
        other = _sequence(await drive(sandbox.url, 40, seed=10))
    assert first == again
    assert other != first


async def test_only_the_listed_kinds_are_changed(sandbox):
    state = sandbox.app.state.sandbox.state
    before = dict(state.requests)
    changes = await drive(sandbox.url, 20, seed=1, kinds=("group", "location"), pause_seconds=0.01)
    assert {c.kind for c in changes} <= {"group", "location"}
    assert state.requests == before
    with pytest.raises(ValueError, match="kinds"):
        await drive(sandbox.url, 1, kinds=("ticket",))


async def test_a_vendor_refusal_is_a_driver_error(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.url) as control:
        await control.put(
            "/_sandbox/faults",
            json={"fail_next": [{"key": "users", "method": "GET", "status": 500}]},
        )
    with pytest.raises(DriverError, match="users GET answered HTTP 500"):
        await drive(sandbox.url, 1)

    async def refuse(request):
        return JSONResponse({"status": "ERROR", "info": "nope"})

    fake = await start_asgi(Starlette(routes=[Route("/api/v1/{key}", refuse)]), port=0)
    try:
        with pytest.raises(DriverError, match=r"users GET answered .*nope"):
            await drive(fake.url, 1)
    finally:
        await fake.stop()


async def test_the_command_line_prints_one_json_line_per_change(sandbox):
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.sandbox.invgate.driver",
        "--url",
        sandbox.url,
        "--count",
        "5",
        "--seed",
        "1",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    lines = [json.loads(line) for line in out.decode().splitlines()]
    assert len(lines) == 5
    assert all(set(line) == {"kind", "remote_id", "parent_id", "operation", "at"} for line in lines)
