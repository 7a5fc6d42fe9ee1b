"""The CRM.COM sandbox over real HTTP: start one with any settings, talk to it with httpx."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sandboxes import session_sandbox, starter

from deskbridge.sandbox.crmcom import Faults, SandboxConfig, start_sandbox
from deskbridge.sandbox.crmcom.auth import issue
from deskbridge.sandbox.crmcom.seed import seeded_state
from deskbridge.sandbox.crmcom.state import CrmState

PREFIX = "/crmapi/rest/v2/"
LOGIN = {"username": "deskbridge", "password": "sandbox-password", "organisation": "CRMDEMO"}
WEB_API_KEY = "sandbox-web-api-key"
OK = {"code": "OK", "message": None, "description": None}


def flatten(params: dict[str, Any]) -> list[tuple[str, str]]:
    """GET parameters: an identifier {field: value, …} → `name=field=value` (one per field)."""
    flat: list[tuple[str, str]] = []
    for name, value in params.items():
        if isinstance(value, dict):
            flat.extend((name, f"{field}={v}") for field, v in value.items())
        else:
            flat.append((name, str(value)))
    return flat


@dataclass
class Crm:
    """A running sandbox: its URL and app, a token, and clients for the API and control."""

    url: str
    app: Any
    api: httpx.AsyncClient  # {url}/crmapi/rest/v2/
    control: httpx.AsyncClient  # {url}/_sandbox/
    token: str = ""
    # What tests compare with (test modules cannot import conftest safely).
    OK = OK
    LOGIN = LOGIN
    WEB_API_KEY = WEB_API_KEY

    @staticmethod
    def create_body(**changes: Any) -> dict[str, Any]:
        """A create that needs neither caller_email nor caller_phone (Technical Support
        emails its customers, Installation SMSes them)."""
        return {
            "type_identifier": {"name": "Billing Enquiry"},
            "accounts_receivable_identifier": {"number": "AR000001"},
            "status_identifier": {"name": "Open"},
            "category_identifier": {"code": "BIL"},
            "urgency_level": "URGENCY2",
            "impact_level": "IMPACT1",
            "description": "Invoice shows the wrong plan",
            **changes,
        }

    async def create(self, **changes: Any) -> dict[str, Any]:
        return await self.data("POST", "service_requests/create", **self.create_body(**changes))

    @property
    def state(self) -> CrmState:
        return self.app.state.sandbox.state

    def new_token(self) -> str:
        """A token issued directly (not over HTTP, not counted)."""
        state = self.state
        token = issue(state, state.api_user(), state.default_unit())
        state.tokens_issued -= 1
        return token

    async def get(self, method: str, token: str | None = None, **params: Any) -> httpx.Response:
        query = flatten({"token": token or self.token, **params})
        return await self.api.get(method, params=query)

    async def post(self, method: str, token: str | None = None, **body: Any) -> httpx.Response:
        return await self.api.post(method, json={"token": token or self.token, **body})

    async def data(self, verb: str, method: str, **params: Any) -> Any:
        """The `data` of an OK answer (asserting the envelope)."""
        call = self.get if verb == "GET" else self.post
        response = await call(method, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == OK, body
        assert set(body) == {"status", "data"}
        return body["data"]

    async def error(self, verb: str, method: str, **params: Any) -> dict[str, Any]:
        """The `status` of an error answer (HTTP 200, code ERROR by default)."""
        call = self.get if verb == "GET" else self.post
        response = await call(method, **params)
        body = response.json()
        assert response.status_code == 200, response.text
        assert body["data"] is None and body["status"]["code"] == "ERROR", body
        assert body["status"]["message"]
        return body["status"]

    async def login(self, **changes: Any) -> httpx.Response:
        return await self.api.post("authentication/token", json={**LOGIN, **changes})

    def find(self, table: str, **match: Any) -> dict[str, Any]:
        """A record of the state (e.g. find("statuses", name="Open"))."""
        records = getattr(self.state, table).values()
        return next(r for r in records if all(r[k] == v for k, v in match.items()))

    def numbers(self, data: list[dict[str, Any]]) -> list[str]:
        return [item["number"] for item in data]


async def _open(**settings: Any) -> tuple[Any, Crm]:
    handle = await start_sandbox(SandboxConfig(**settings))
    crm = Crm(
        handle.url,
        handle.app,
        httpx.AsyncClient(base_url=handle.url + PREFIX),
        httpx.AsyncClient(base_url=handle.url + "/_sandbox/"),
    )
    crm.token = crm.new_token()
    return handle, crm


async def _close(handle: Any, crm: Crm) -> None:
    await crm.api.aclose()
    await crm.control.aclose()
    await handle.stop()


start = starter(_open, _close)
_default_sandbox = session_sandbox(_open, _close)


@pytest.fixture
async def crm(_default_sandbox) -> Crm:
    """A sandbox with the default settings, as freshly started: one server for the session,
    given fresh seeded state, no faults, an empty log and a new token for each test."""
    sandbox = _default_sandbox.app.state.sandbox
    sandbox.state = seeded_state(sandbox.config)
    sandbox.kit.faults = Faults()
    sandbox.kit.log.clear()
    _default_sandbox.token = _default_sandbox.new_token()
    return _default_sandbox
