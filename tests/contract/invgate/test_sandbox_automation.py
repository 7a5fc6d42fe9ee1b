"""The sandbox's "Call web service" automation rules (VENDORS.md §1.8) over real HTTP."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deskbridge.runtime.asgi import start_asgi
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox

SECRET = {"X-Webhook-Secret": "s3cret"}
NEW_REQUEST = {
    "creator_id": 101,
    "customer_id": 101,
    "category_id": 1,
    "priority_id": 2,
    "type_id": 1,
    "title": "Printer down",
}


class Receiver:
    """A tiny webhook receiver: `/ok/{name}` answers 200, `/fail/{name}` 500,
    `/slow/{name}` 200 after a second."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.url = ""

    async def hook(self, request: Request) -> Response:
        body = (await request.body()).decode()
        content_type = request.headers.get("content-type", "")
        fields = json.loads(body) if "json" in content_type else dict(parse_qsl(body))
        self.calls.append(
            {
                "path": request.url.path,
                "headers": dict(request.headers),
                "content_type": content_type,
                "fields": fields,
            }
        )
        behaviour = request.path_params["behaviour"]
        if behaviour == "slow":
            await asyncio.sleep(1.0)
        return Response(status_code=500 if behaviour == "fail" else 200)

    def at(self, path: str) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["path"] == path]


@pytest.fixture
async def receiver():
    hooks = Receiver()
    app = Starlette(routes=[Route("/{behaviour}/{name}", hooks.hook, methods=["POST"])])
    running = await start_asgi(app, port=0)
    hooks.url = running.url
    yield hooks
    await running.stop()


@pytest.fixture
async def sandbox():
    running = await start_sandbox(SandboxConfig(request_count=10, seed=5))
    yield running
    await running.app.state.sandbox.automation.aclose()
    await running.stop()


@pytest.fixture
async def api(sandbox):
    async with httpx.AsyncClient(
        base_url=sandbox.url + "/api/v1/", auth=("api", "sandbox-token")
    ) as client:
        yield client


@pytest.fixture
async def control(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.url + "/_sandbox/") as client:
        yield client


async def eventually(check: Callable[[], bool], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


async def configure(control: httpx.AsyncClient, *rules: dict[str, Any]) -> dict[str, Any]:
    response = await control.put("automation", json={"rules": list(rules)})
    assert response.status_code == 200, response.text
    return response.json()


async def create(api: httpx.AsyncClient) -> int:
    body = (await api.post("incident", data=NEW_REQUEST)).json()
    assert body["status"] == "OK"
    return body["request_id"]


async def test_rule_posts_form_fields_and_the_secret_in_the_order_of_the_changes(
    sandbox, api, control, receiver
):
    rule = {
        "id": "r1",
        "url": f"{receiver.url}/ok/inv1",
        "on": ["created", "updated"],
        "headers": SECRET,
        "body": {"request_id": "{id}", "event": "{event}", "status_id": "{status_id}"},
        "encoding": "form",
        "retries": 0,
    }
    stored = await configure(control, rule)
    assert stored == {"rules": [dict(rule, retry_delay_ms=200.0)]}
    assert (await control.get("automation")).json() == stored

    request_id = await create(api)
    await api.put("incident", data={"id": request_id, "title": "Printer still down"})
    await api.post(
        "incident.comment",
        data={"request_id": request_id, "author_id": 2, "comment": "fixed", "is_solution": 1},
    )
    await eventually(lambda: len(receiver.calls) == 3)

    assert [c["fields"] for c in receiver.calls] == [
        {"request_id": str(request_id), "event": "created", "status_id": "1"},
        {"request_id": str(request_id), "event": "updated", "status_id": "1"},
        {"request_id": str(request_id), "event": "updated", "status_id": "5"},  # solved
    ]
    for call in receiver.calls:
        assert call["headers"]["x-webhook-secret"] == "s3cret"
        assert call["content_type"] == "application/x-www-form-urlencoded"
        assert call["path"] == "/ok/inv1"

    log = (await control.get("automation/deliveries")).json()
    assert [(d["rule_id"], d["request_id"], d["event"]) for d in log] == [
        ("r1", request_id, "created"),
        ("r1", request_id, "updated"),
        ("r1", request_id, "updated"),
    ]
    assert all(
        d["status"] == 200 and d["error"] is None and d["attempt"] == 1 and d["url"] == rule["url"]
        for d in log
    )
    assert [d["sent_at"] for d in log] == sorted(d["sent_at"] for d in log)
    assert (await control.delete("automation/deliveries")).json() == []
    assert (await control.get("automation/deliveries")).json() == []


async def test_defaults_and_changes_through_any_endpoint(sandbox, api, control, receiver):
    stored = await configure(control, {"id": "any", "url": f"{receiver.url}/ok/any"})
    assert stored["rules"][0] == {
        "id": "any",
        "url": f"{receiver.url}/ok/any",
        "on": ["created", "updated"],
        "headers": {},
        "body": {"request_id": "{id}", "event": "{event}"},
        "encoding": "form",
        "retries": 0,
        "retry_delay_ms": 200.0,
    }
    state = sandbox.app.state.sandbox.state
    open_request = next(i for i, r in state.requests.items() if r["status_id"] in (1, 2, 3))
    await api.post("incident.waitingfor.agent", data={"request_id": open_request})
    await api.post(
        "incident.reassign", data={"request_id": open_request, "author_id": 2, "group_id": 3}
    )
    await api.post("incident.cancel", data={"request_id": open_request, "author_id": 2})
    await eventually(lambda: len(receiver.calls) == 3)
    assert [c["fields"] for c in receiver.calls] == [
        {"request_id": str(open_request), "event": "updated"}
    ] * 3


async def test_a_created_only_rule_fires_on_create_only(sandbox, api, control, receiver):
    await configure(
        control,
        {"id": "new", "url": f"{receiver.url}/ok/new", "on": ["created"]},
        {"id": "all", "url": f"{receiver.url}/ok/all"},
    )
    request_id = await create(api)
    await api.put("incident", data={"id": request_id, "priority_id": 4})
    await eventually(lambda: len(receiver.at("/ok/all")) == 2)
    await sandbox.app.state.sandbox.automation.idle()
    assert [c["fields"]["event"] for c in receiver.at("/ok/new")] == ["created"]
    assert [c["fields"]["event"] for c in receiver.at("/ok/all")] == ["created", "updated"]


async def test_a_failing_receiver_is_retried_and_every_attempt_logged(
    sandbox, api, control, receiver
):
    url = f"{receiver.url}/fail/inv1"
    await configure(
        control,
        {"id": "r1", "url": url, "on": ["created"], "retries": 2, "retry_delay_ms": 20},
    )
    request_id = await create(api)
    await eventually(lambda: len(receiver.calls) == 3)
    await sandbox.app.state.sandbox.automation.idle()
    log = (await control.get("automation/deliveries")).json()
    assert [(d["attempt"], d["status"], d["request_id"]) for d in log] == [
        (1, 500, request_id),
        (2, 500, request_id),
        (3, 500, request_id),
    ]
    assert all("500" in d["error"] for d in log)
    gaps = [b["sent_at"] - a["sent_at"] for a, b in itertools.pairwise(log)]
    assert all(gap >= 0.02 for gap in gaps)
    assert len(receiver.calls) == 3


async def test_an_unreachable_receiver_is_logged_without_a_status(sandbox, api, control):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await configure(control, {"id": "gone", "url": f"http://127.0.0.1:{port}/hook"})
    await create(api)
    await sandbox.app.state.sandbox.automation.idle()
    (delivery,) = (await control.get("automation/deliveries")).json()
    assert delivery["status"] is None and delivery["error"] and delivery["attempt"] == 1


async def test_the_api_call_does_not_wait_for_the_delivery(sandbox, api, control, receiver):
    await configure(control, {"id": "slow", "url": f"{receiver.url}/slow/x"})
    started = time.monotonic()
    request_id = await create(api)
    assert time.monotonic() - started < 0.5  # the receiver takes a second
    await eventually(lambda: len(receiver.calls) == 1)
    assert (await control.get("automation/deliveries")).json() == []  # still in flight
    await sandbox.app.state.sandbox.automation.idle()
    (delivery,) = (await control.get("automation/deliveries")).json()
    assert delivery["request_id"] == request_id and delivery["status"] == 200


async def test_unknown_placeholders_render_empty_and_json_encoding(sandbox, api, control, receiver):
    await configure(
        control,
        {
            "id": "odd",
            "url": f"{receiver.url}/ok/odd",
            "on": ["created"],
            "body": {
                "id": "#{id}",
                "missing": "{no_such_field}",
                "null_field": "{assigned_id}",
                "mixed": "{title}/{nope}/{event}",
                "broken": "{unclosed",
                "constant": 7,
            },
            "encoding": "json",
            "headers": SECRET,
        },
    )
    request_id = await create(api)
    await eventually(lambda: len(receiver.calls) == 1)
    (call,) = receiver.calls
    assert call["content_type"] == "application/json"
    assert call["fields"] == {
        "id": f"#{request_id}",
        "missing": "",
        "null_field": "",
        "mixed": "Printer down//created",
        "broken": "{unclosed",
        "constant": 7,
    }


async def test_reset_clears_rules_and_deliveries_and_seeding_fires_nothing(
    sandbox, api, control, receiver
):
    await configure(control, {"id": "r1", "url": f"{receiver.url}/ok/r1"})
    await create(api)
    await eventually(lambda: len(receiver.calls) == 1)
    await sandbox.app.state.sandbox.automation.idle()
    assert len((await control.get("automation/deliveries")).json()) == 1

    assert (await control.post("reset")).json() == {"status": "OK"}
    assert (await control.get("automation")).json() == {"rules": []}
    assert (await control.get("automation/deliveries")).json() == []
    await create(api)  # no rules: nothing fires
    await sandbox.app.state.sandbox.automation.idle()
    assert len(receiver.calls) == 1

    # the fresh state is watched again, and its seeding fired nothing
    await configure(control, {"id": "r2", "url": f"{receiver.url}/ok/r2"})
    request_id = await create(api)
    await eventually(lambda: len(receiver.at("/ok/r2")) == 1)
    await sandbox.app.state.sandbox.automation.idle()
    assert [d["request_id"] for d in (await control.get("automation/deliveries")).json()] == [
        request_id
    ]


@pytest.mark.parametrize(
    "rules",
    [
        {"rules": [{"id": "x"}]},  # no url
        {"rules": [{"url": "ftp://host/x"}]},
        {"rules": [{"url": "http://h/x", "on": ["deleted"]}]},
        {"rules": [{"url": "http://h/x", "encoding": "xml"}]},
        {"rules": [{"url": "http://h/x", "retries": -1}]},
        {"rules": [{"url": "http://h/x", "events": ["created"]}]},  # a typo of `on`
        {"rules": [{"id": "a", "url": "http://h/x"}, {"id": "a", "url": "http://h/y"}]},
        {"nope": []},
    ],
)
async def test_invalid_rules_are_400_and_keep_the_old_ones(control, rules, receiver):
    await configure(control, {"id": "keep", "url": f"{receiver.url}/ok/keep"})
    response = await control.put("automation", json=rules)
    assert response.status_code == 400 and response.json()["error"]
    assert [r["id"] for r in (await control.get("automation")).json()["rules"]] == ["keep"]


async def test_same_second_changes_share_last_update_and_each_fires(
    sandbox, api, control, receiver
):
    """InvGate timestamps are epoch seconds: two changes within one second share one
    `last_update` (the sandbox default), yet each change is its own delivery."""
    await configure(control, {"id": "r1", "url": f"{receiver.url}/ok/r1", "on": ["updated"]})
    state = sandbox.app.state.sandbox.state
    request_id = await create(api)
    changes = 0
    for _ in range(5):  # the two changes must not straddle a second boundary
        await asyncio.sleep(1.0 - time.time() % 1.0 + 0.01)
        changes += 2
        started = time.time()
        await api.put("incident", data={"id": request_id, "title": "first"})
        first = state.requests[request_id]["last_update"]
        await api.put("incident", data={"id": request_id, "title": "second"})
        second = state.requests[request_id]["last_update"]
        if int(time.time()) == int(started):
            break
    else:
        pytest.fail("could not make two changes within one second")
    assert first == second == int(started)
    await sandbox.app.state.sandbox.automation.idle()
    assert [c["fields"]["event"] for c in receiver.calls] == ["updated"] * changes
