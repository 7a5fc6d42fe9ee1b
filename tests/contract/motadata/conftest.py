"""The Motadata sandbox over real HTTP: start one with any settings, talk to it with httpx."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sandboxes import session_sandbox, starter

from deskbridge.sandbox.motadata import Faults, SandboxConfig, start_sandbox
from deskbridge.sandbox.motadata.state import MotadataState, seeded_state

CLIENT = ("deskbridge", "sandbox-secret")
USER = {"username": "api@example.com", "password": "sandbox-password", "grant_type": "password"}
APIKEY = {"Authorization": "Apikey sandbox-apikey"}


@dataclass
class Motadata:
    """A running sandbox: its URL, its state, and clients for the API and the control API."""

    url: str
    app: Any
    api: httpx.AsyncClient  # /api/v1/, authorized with the API key
    control: httpx.AsyncClient  # /_sandbox/
    raw: httpx.AsyncClient  # the server root, no auth
    client_auth = CLIENT  # HTTP Basic of the token endpoint
    user_form = USER  # the password grant's form

    @property
    def state(self) -> MotadataState:
        return self.app.state.sandbox.state

    async def token(self, **form: str) -> httpx.Response:
        return await self.raw.post("/api/oauth/token", auth=CLIENT, data={**USER, **form})

    async def search(self, quals: list[dict] | None = None, module: str = "request", **params):
        body = {} if quals is None else {"qualDetails": flat(quals)}
        return await self.api.post(f"{module}/search/byqual", params=params, json=body)

    async def ids(self, quals: list[dict] | None = None, **params) -> list[int]:
        response = await self.search(quals, size=2000, **params)
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["objectList"]]

    @staticmethod
    def qual(key: str, operator: str, value_type: str, value: Any, operand: str = "Property"):
        return qual(key, operator, value_type, value, operand)


def flat(quals: list[dict]) -> dict:
    return {"type": "FlatQualificationRest", "quals": quals}


def qual(key: str, operator: str, value_type: str, value: Any, operand: str = "Property") -> dict:
    return {
        "type": "RelationalQualificationRest",
        "leftOperand": {"type": f"{operand}OperandRest", "key": key},
        "operator": operator,
        "rightOperand": {"type": "ValueOperandRest", "value": {"type": value_type, "value": value}},
    }


async def _open(**settings: Any) -> tuple[Any, Motadata]:
    handle = await start_sandbox(SandboxConfig(**{"seed": 5, **settings}))
    clients = [
        httpx.AsyncClient(base_url=handle.url + "/api/v1/", headers=APIKEY),
        httpx.AsyncClient(base_url=handle.url + "/_sandbox/"),
        httpx.AsyncClient(base_url=handle.url),
    ]
    return handle, Motadata(handle.url, handle.app, *clients)


async def _close(handle: Any, md: Motadata) -> None:
    for client in (md.api, md.control, md.raw):
        await client.aclose()
    await handle.stop()


start = starter(_open, _close)
_default_sandbox = session_sandbox(_open, _close)


@pytest.fixture
async def md(_default_sandbox) -> Motadata:
    """A sandbox with the default settings, as freshly started: one server for the session,
    given fresh seeded state, no faults and an empty log for each test."""
    sandbox = _default_sandbox.app.state.sandbox
    sandbox.state = seeded_state(sandbox.config)
    sandbox.kit.faults = Faults()
    sandbox.kit.log.clear()
    return _default_sandbox
