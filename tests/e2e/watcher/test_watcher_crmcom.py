"""Changes made in CRM.COM itself reach DESKBRIDGE_EVENTS through the watcher's scan, once
each (CRM.COM has neither a change feed nor webhooks, and its API deletes nothing)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from e2e_events import stored_events
from watch_support import POLL, decoded, duplicates, of, until_published, watching

from deskbridge.sandbox.crmcom import SandboxConfig, start_sandbox
from deskbridge.v1 import events_pb2, tickets_pb2


@pytest.fixture
async def watched_crmcom(tmp_path, nats_server):
    config = SandboxConfig(request_count=8, seed=9)
    sandbox = await start_sandbox(config)
    vendor = httpx.AsyncClient(base_url=sandbox.url + "/crmapi/rest/v2/")
    try:
        login = await vendor.post(
            "authentication/token",
            json={
                "username": config.username,
                "password": config.password,
                "organisation": config.organisation,
            },
        )
        token = login.json()["data"]["token"]
        credentials = {"web_api_key": config.web_api_key}
        async with watching(tmp_path, nats_server.url, sandbox, "crmcom", credentials) as backend:
            yield backend, sandbox, vendor, token, nats_server.url
    finally:
        await vendor.aclose()
        await sandbox.stop()


async def test_vendor_side_service_requests_are_published_once_each(watched_crmcom):
    backend, sandbox, vendor, token, nats_url = watched_crmcom
    state = sandbox.app.state.sandbox.state
    account = next(iter(state.accounts.values()))

    async def call(method: str, **params):
        answer = (await vendor.post(method, json={"token": token, **params})).json()
        assert answer["status"]["code"] == "OK", answer
        return answer["data"]

    made = await call(
        "service_requests/create",
        type_identifier={"name": "Billing Enquiry"},
        accounts_receivable_identifier={"id": account["id"]},
        status_identifier={"name": "Open"},
        category_identifier={"name": "Billing"},
        urgency_level="URGENCY1",
        impact_level="IMPACT1",
        description="Made in CRM.COM",
    )
    name = f"backends/{backend}/tickets/{made['id']}"
    events, _ = await until_published(
        nats_url, backend, lambda es: of(es, "deskbridge.v1.ticket.created", name)
    )
    created = decoded(of(events, "deskbridge.v1.ticket.created", name)[0])
    assert created.origin == events_pb2.CHANGE_ORIGIN_POLL
    assert created.ticket.lifecycle_state == tickets_pb2.LIFECYCLE_STATE_PENDING

    await asyncio.sleep(1.1)  # the vendor's dates have second resolution
    await call(
        "service_requests/respond",
        service_request_identifier={"id": made["id"]},
        status_identifier={"name": "Responded"},
        response={"category_identifier": {"name": "Acknowledged"}},
    )

    def responded(events) -> bool:
        mine = [e for e in events if e.headers["ce-subject"] == name]
        return any(
            decoded(e).ticket.lifecycle_state == tickets_pb2.LIFECYCLE_STATE_RESPONDED for e in mine
        )

    await until_published(nats_url, backend, responded)
    await asyncio.sleep(4 * POLL)  # later scans add nothing
    events = await stored_events(nats_url, backend, settle=0.1)
    mine = [e for e in events if e.headers["ce-subject"] == name]
    assert len(mine) == 2, [e.headers["ce-type"] for e in mine]
    assert not duplicates(events)
