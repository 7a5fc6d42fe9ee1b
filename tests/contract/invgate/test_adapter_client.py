"""The adapter's InvGate client against the sandbox: encodings and every error shape."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
import httpx
import pytest

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.settings import Secret
from deskbridge.runtime.upstream import BasicAuth, Upstream
from deskbridge.vendors.invgate.auth import client_credentials
from deskbridge.vendors.invgate.client import InvGateClient, encode_params


def test_encode_params_uses_php_brackets_and_bool_flags():
    assert encode_params({"ids": [1, 2], "comments": True, "skip": None, "x": 0}) == [
        ("ids[]", "1"),
        ("ids[]", "2"),
        ("comments", "1"),
        ("x", "0"),
    ]


async def test_array_parameters_round_trip(client, state):
    ids = sorted(state.requests)[:3]
    body = await client.get("incidents", {"ids": ids})
    assert sorted(int(k) for k in body) == ids


async def test_form_encoded_writes(client, state):
    await client.post(
        "incident.comment",
        {"request_id": 1000, "author_id": 2, "comment": "<b>é</b>", "customer_visible": False},
    )
    assert state.comments[1000][-1]["message"] == "<b>é</b>"


@pytest.mark.parametrize(
    ("call", "code", "reason"),
    [
        (
            lambda c: c.get("incidents", {"ids": "1,2"}),
            grpc.StatusCode.INVALID_ARGUMENT,
            "UPSTREAM_REJECTED_PARAMETERS",
        ),
        (
            lambda c: c.get("incident", {"id": 4242}),
            grpc.StatusCode.NOT_FOUND,
            "UPSTREAM_NOT_FOUND",
        ),
        (
            lambda c: c.post("incident.cancel", {"request_id": 4242, "author_id": 2}),
            grpc.StatusCode.NOT_FOUND,
            "UPSTREAM_NOT_FOUND",
        ),
        (
            lambda c: c.get("incidents.by.status", {}),
            grpc.StatusCode.FAILED_PRECONDITION,
            "UPSTREAM_REFUSED",
        ),
        (
            lambda c: c.delete("incident", {"id": 1}),
            grpc.StatusCode.UNIMPLEMENTED,
            "UPSTREAM_METHOD_NOT_ALLOWED",
        ),
    ],
)
async def test_vendor_errors_map_to_grpc_codes(client, call, code, reason):
    with pytest.raises(ApiError) as caught:
        await call(client)
    assert (caught.value.code, caught.value.reason) == (code, reason)
    assert caught.value.metadata["backend"] == "inv"
    assert caught.value.metadata["vendor_http_status"]


async def test_5xx_is_retried_then_unavailable(sandbox, client):
    async with httpx.AsyncClient(base_url=sandbox.url) as control:
        await control.put(
            "/_sandbox/faults",
            json={"fail_next": [{"key": "sd.version", "method": "GET", "status": 502, "count": 5}]},
        )
        with pytest.raises(ApiError) as caught:
            await client.get("sd.version")
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE
        log = (await control.get("/_sandbox/requests")).json()
        assert [e["status"] for e in log if e["key"] == "sd.version"] == [502, 502, 502]


async def test_oauth2_client_credentials_adapter_auth(sandbox):
    auth = client_credentials(
        "/oauth/v2.0/access_token",
        Secret("deskbridge"),
        Secret("sandbox-secret"),
        "api.v1.sd.version:get",
    )
    upstream = Upstream(backend="inv", vendor="invgate", base_url=sandbox.url, auth=auth)
    try:
        assert await InvGateClient(upstream).get("sd.version") == {"version": "v8.15.13"}
    finally:
        await upstream.aclose()


@dataclass
class CountingAuth:
    refreshable: bool
    asked: int = 0

    async def authorization(
        self, base_url: str, *, refresh: bool = False, rejected: str | None = None
    ) -> str | None:
        self.asked += 1
        return BasicAuth.of("api", "sandbox-token").header

    def current(self) -> str | None:
        return None  # nothing cached: a refreshable auth is asked on every request


@pytest.mark.parametrize(("refreshable", "asked"), [(False, 1), (True, 3)])
async def test_static_credentials_are_asked_for_once_refreshable_ones_every_request(
    sandbox, refreshable, asked
):
    auth = CountingAuth(refreshable)
    upstream = Upstream(backend="inv", vendor="invgate", base_url=sandbox.url, auth=auth)
    try:
        client = InvGateClient(upstream)
        for _ in range(3):
            assert await client.get("sd.version") == {"version": "v8.15.13"}
    finally:
        await upstream.aclose()
    assert auth.asked == asked
