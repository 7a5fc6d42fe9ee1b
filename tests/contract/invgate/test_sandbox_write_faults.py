"""The sandbox plays when a fault strikes a write: before it, after it, or a hang after it."""

from __future__ import annotations

import time

import httpx
import pytest

NEW = dict(title="Fault", creator_id=100, customer_id=100, category_id=1, priority_id=2, type_id=1)


async def faulted(sandbox, when: str, **extra) -> None:
    fault = {"key": "incident", "method": "POST", "status": 503, "when": when, **extra}
    async with httpx.AsyncClient(base_url=sandbox.url) as control:
        answer = await control.put("/_sandbox/faults", json={"fail_next": [fault]})
        answer.raise_for_status()


@pytest.mark.parametrize(("when", "written"), [("before", False), ("after", True)])
async def test_a_5xx_before_or_after_the_write(sandbox, http, state, when, written):
    before = len(state.requests)
    await faulted(sandbox, when)
    answer = await http.post("incident", data=NEW)
    assert answer.status_code == 503
    assert len(state.requests) - before == (1 if written else 0)


async def test_a_write_then_hang_applies_the_write_then_answers_late(sandbox, http, state):
    before = len(state.requests)
    await faulted(sandbox, "hang", status=200, hang_ms=400)
    started = time.monotonic()
    answer = await http.post("incident", data=NEW)
    assert answer.status_code == 200 and time.monotonic() - started >= 0.4
    assert len(state.requests) - before == 1


async def test_an_unknown_fault_timing_is_refused(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.url) as control:
        fault = {"key": "incident", "when": "later"}
        answer = await control.put("/_sandbox/faults", json={"fail_next": [fault]})
    assert answer.status_code == 400 and "later" in answer.json()["error"]
