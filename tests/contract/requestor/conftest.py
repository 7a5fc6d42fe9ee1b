"""The Requestor sandbox over real HTTP, and a real HTTP receiver for its webhook deliveries.

What VENDORS.md tags [C] the tests hold the sandbox to exactly; tests of a behaviour tagged
[I]/[?] (a setting with a default) say "ASSUMPTION" in their docstring.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sandboxes import session_sandbox, starter
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskbridge.sandbox.common.runner import start_app
from deskbridge.sandbox.requestor import Faults, SandboxConfig, start_sandbox
from deskbridge.sandbox.requestor.state import RequestorState

AUTH = ("deskbridge", "sandbox-password")
TICKET = {
    "Type": 1,
    "ServiceId": 2,
    "Subject": "Printer jammed",
    "Message": "Paper stuck in tray 2",
    "SubmitterEmail": "asmith@example.com",
}
USER = {"UserName": "newbie", "ChangePasswordAfterLogging": True}


@dataclass
class Receiver:
    """A local HTTP server playing the flows' callback URLs: it records every POST and
    answers 200, or the statuses scripted for its path first (`fail`), after `delay`."""

    url: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    script: dict[str, list[int]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)

    def hook(self, name: str) -> str:
        return f"{self.url}/hooks/{name}"

    def fail(self, name: str, *statuses: int) -> None:
        self.script[name] = list(statuses)

    def at(self, name: str) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["name"] == name]

    async def wait(self, count: int, name: str | None = None, within: float = 5.0) -> list:
        """The calls (to `name`), once there are at least `count` of them (within seconds)."""
        deadline = time.monotonic() + within
        while True:
            calls = self.calls if name is None else self.at(name)
            if len(calls) >= count:
                return calls
            assert time.monotonic() < deadline, f"{len(calls)} calls, wanted {count}"
            await asyncio.sleep(0.01)

    def reset(self) -> None:
        self.calls.clear()
        self.script.clear()
        self.delays.clear()

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            name = request.path_params["name"]
            self.calls.append(
                {
                    "name": name,
                    "headers": dict(request.headers),
                    "json": await request.json(),
                    "time": time.time(),
                }
            )
            if name in self.delays:
                await asyncio.sleep(self.delays[name])
            statuses = self.script.get(name)
            status = statuses.pop(0) if statuses else 200
            return JSONResponse({"received": True}, status_code=status)

        return Starlette(routes=[Route("/hooks/{name}", hook, methods=["POST"])])


@dataclass
class Requestor:
    """A running sandbox: URL, app, and clients for /api/ (authorized), control and root."""

    url: str
    app: Any
    api: httpx.AsyncClient  # {url}/api/, HTTP Basic
    control: httpx.AsyncClient  # {url}/_sandbox/
    raw: httpx.AsyncClient  # {url}, no auth
    TICKET = TICKET
    USER = USER

    @property
    def sandbox(self) -> Any:
        return self.app.state.sandbox

    @property
    def state(self) -> RequestorState:
        return self.sandbox.state

    @property
    def deliveries(self) -> list[dict[str, Any]]:
        return self.sandbox.deliveries.log

    async def idle(self) -> None:
        """Wait until every delivery so far is done (retries included)."""
        await self.sandbox.deliveries.idle()

    async def new_ticket(self, **changes: Any) -> httpx.Response:
        return await self.api.post("Tickets/NewTicket", json={**TICKET, **changes})

    async def create_user(self, **changes: Any) -> httpx.Response:
        return await self.api.post("Account/CreateRequestorUser", json={**USER, **changes})

    async def subscribe(self, event: str, url: str) -> httpx.Response:
        response = await self.api.post(
            f"PowerAutomate/Create{event}Trigger", json={"CallbackUrl": url}
        )
        return response

    async def operator(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """An operator change through the control API; asserts it answered 200."""
        response = await self.control.request(method, f"operator/{path}", json=body)
        assert response.status_code == 200, response.text
        return response.json()


async def _open(**settings: Any) -> tuple[Any, Requestor]:
    handle = await start_sandbox(SandboxConfig(**settings))
    clients = [
        httpx.AsyncClient(base_url=handle.url + "/api/", auth=AUTH),
        httpx.AsyncClient(base_url=handle.url + "/_sandbox/"),
        httpx.AsyncClient(base_url=handle.url),
    ]
    return handle, Requestor(handle.url, handle.app, *clients)


async def _close(handle: Any, rq: Requestor) -> None:
    for client in (rq.api, rq.control, rq.raw):
        await client.aclose()
    await handle.stop()


start = starter(_open, _close)
_default_sandbox = session_sandbox(_open, _close)


@pytest.fixture
async def rq(_default_sandbox) -> Requestor:
    """A sandbox with the default settings, as freshly started: one server for the session,
    reset for each test (seeded data, no subscriptions or deliveries, no faults, empty log)."""
    sandbox = _default_sandbox.sandbox
    sandbox.reset()
    sandbox.kit.faults = Faults()
    sandbox.kit.log.clear()
    return _default_sandbox


@pytest.fixture(scope="session")
async def _receiver():
    receiver = Receiver()
    running = await start_app(receiver.app())
    receiver.url = running.url
    yield receiver
    await running.stop()


@pytest.fixture
async def receiver(_receiver) -> Receiver:
    """The callback receiver, with no calls recorded and nothing scripted."""
    _receiver.reset()
    return _receiver
