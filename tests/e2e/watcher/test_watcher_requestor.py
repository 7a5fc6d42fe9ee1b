"""Requestor's triggers as webhook subscriptions the watcher owns, their deliveries as events,
and the event view the reads come from — over real HTTP, gRPC and NATS."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import grpc
import httpx
import pytest
from e2e_events import decoded
from e2e_support import free_port, rpc_error
from processes import spawn, until_holder, until_recorded
from requestor_support import ELEVEN, requestor_backend, requestor_watched, start_deskbridge
from watch_support import LEASE

from deskbridge.sandbox.requestor import EVENTS, SandboxConfig
from deskbridge.v1 import events_pb2
from deskbridge.v1 import tickets_pb2 as t

NEW_TICKET = {
    "Type": 1,
    "ServiceId": 1,
    "Subject": "Projector flickers",
    "Message": "Room 4, since Monday",
    "SubmitterEmail": "jane@example.com",
}


def _subjects(events) -> list[str]:
    return [e.subject.removeprefix("deskbridge.") for e in events]


async def test_start_subscribes_every_trigger_once_and_a_clean_stop_removes_them(
    tmp_path, nats_server
):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        found = await stack.until_subscribed()
        assert sorted(s["Event"] for s in found) == sorted(EVENTS)
        intake = stack.runtime.intake.url
        urls = [s["CallbackUrl"] for s in found]
        assert all(u.startswith(f"{intake}/webhooks/{stack.backend}/") for u in urls)
        secrets = {u.rsplit("/", 1)[1] for u in urls}
        assert len(secrets) == ELEVEN and all(len(s) >= 40 for s in secrets)
        await stack.runtime.stop()
        stack.runtime = None
        assert await stack.subscriptions() == []


@pytest.mark.parametrize(
    "settings",
    [
        {"absolute_location": True, "create_trigger_body": "empty", "delete_trigger_status": 204},
        {"delete_trigger_location": "/api/PowerAutomate/Triggers/{id}/Delete"},
    ],
    ids=["absolute-empty-204", "other-delete-path"],
)
async def test_the_subscription_lifecycle_holds_for_every_unrecorded_answer(
    tmp_path, nats_server, settings
):
    async with requestor_watched(tmp_path, nats_server.url, SandboxConfig(**settings)) as stack:
        await stack.until_subscribed()
        await stack.runtime.stop()
        stack.runtime = None
        assert await stack.subscriptions() == []


async def test_kill_9_and_a_restart_leave_exactly_eleven(tmp_path, nats_server):
    """`deskbridge watch` killed with -9 releases nothing; the next process on the same intake
    address finds the eleven in KV, registers none, and their deliveries reach it."""
    async with requestor_watched(tmp_path, nats_server.url, start=False) as stack:
        config = tmp_path / "requestor.toml"
        sandbox = stack.sandbox.app.state.sandbox.config
        config.write_text(
            f'[[backends]]\nname = "{stack.backend}"\nvendor = "requestor"\n'
            f'base_url = "{stack.sandbox.url}"\n[backends.credentials]\n'
            f'username = "{sandbox.username}"\npassword = "{sandbox.password}"\n'
        )
        env = {
            "DESKBRIDGE_WEBHOOK_ADDRESS": f"127.0.0.1:{free_port()}",
            "DESKBRIDGE_WATCH_LEASE_SECONDS": "2",
        }
        first = await spawn(tmp_path, config, nats_server.url, ["watch"], **env)
        try:
            before = await stack.until_subscribed(timeout=20)
            # killed once all eleven are in KV too: a kill between the vendor's answer and
            # the KV write leaves an orphan by design (the module docstring of subscriptions)
            await until_recorded(nats_server.url, stack.backend, ELEVEN, timeout=10)
        finally:
            await first.reap()  # kill -9
        assert len(await stack.subscriptions()) == ELEVEN
        second = await spawn(tmp_path, config, nats_server.url, ["watch"], **env)
        try:
            await until_holder(nats_server.url, stack.backend, {second.holder}, timeout=20)
            ticket = await stack.operator("POST", "tickets", NEW_TICKET)
            await stack.wait_for(
                lambda events: _subjects(events) == [f"{stack.backend}.ticket.created"]
            )
            after = await stack.subscriptions()
            assert sorted(s["Id"] for s in after) == sorted(s["Id"] for s in before)
            assert ticket["Id"] in stack.state.tickets
        finally:
            second.process.terminate()  # a clean stop: the subscriptions go
            await second.process.wait()
        assert await stack.subscriptions() == [], second.log_path.read_text()[-2000:]


async def test_two_replicas_own_eleven_between_them(tmp_path, nats_server):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        backend = requestor_backend(stack.backend, stack.sandbox)
        second = await start_deskbridge(tmp_path, nats_server.url, backend, holder="replica-2")
        try:
            await asyncio.sleep(3 * LEASE)  # both have competed for the lease, more than once
            assert len(await stack.subscriptions()) == ELEVEN
            await stack.runtime.stop()  # the holder stops cleanly: the other takes over
            stack.runtime = None
            await until_holder(nats_server.url, stack.backend, {"replica-2"}, timeout=4 * LEASE)
            found = await stack.until_subscribed(timeout=4 * LEASE)
            assert all(f"{second.intake.url}/webhooks/" in s["CallbackUrl"] for s in found)
        finally:
            await second.stop()
        assert await stack.subscriptions() == []


async def _operator_changes(stack, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` operator changes, as people in the Requestor UI make them: what each must be
    on the stream, (subject after the backend, resource name), in order."""
    state = stack.state
    states, categories = list(state.states.values()), list(state.categories.values())
    tickets: list[int] = []
    users: list[int] = []
    companies: list[int] = []
    expected: list[tuple[str, str]] = []
    serial = iter(range(10**6))

    def made(kind: str, collection: str, identifier: int, action: str) -> None:
        expected.append((f"{kind}.{action}", stack.name(collection, identifier)))

    while len(expected) < count:
        choice = rng.choice(
            [
                "ticket",
                "ticket",
                "state",
                "category",
                "form",
                "user",
                "patch_user",
                "delete_user",
                "company",
                "patch_company",
                "delete_company",
            ]
        )
        if choice == "ticket" or (choice in ("state", "category", "form") and not tickets):
            body = {**NEW_TICKET, "Subject": f"Ticket {next(serial)}"}
            ticket = await stack.operator("POST", "tickets", body)
            tickets.append(ticket["Id"])
            made("ticket", "tickets", ticket["Id"], "created")
        elif choice == "state":
            ticket_id = rng.choice(tickets)
            now = (await stack.operator("GET", f"tickets/{ticket_id}"))["State"]["Name"]
            target = rng.choice([s for s in states if s != now])
            await stack.operator("POST", f"tickets/{ticket_id}", {"State": target})
            made("ticket", "tickets", ticket_id, "state_changed")
        elif choice == "category":
            ticket_id = rng.choice(tickets)
            now = (await stack.operator("GET", f"tickets/{ticket_id}"))["Category"]
            target = rng.choice([c for c in categories if not now or c != now["Name"]])
            await stack.operator("POST", f"tickets/{ticket_id}", {"Category": target})
            made("ticket", "tickets", ticket_id, "category_changed")
        elif choice == "form":
            ticket_id = rng.choice(tickets)
            form = {"Asset tag": f"AT-{next(serial)}"}
            await stack.operator("POST", f"tickets/{ticket_id}", {"CustomForm": form})
            made("ticket", "tickets", ticket_id, "custom_form_changed")
        elif choice == "user" or (choice in ("patch_user", "delete_user") and not users):
            name = f"person{next(serial)}"
            user = await stack.operator(
                "POST",
                "users",
                {
                    "UserName": name,
                    "Email": f"{name}@example.com",
                    "RoleEndUser": True,
                    "ChangePasswordAfterLogging": False,
                },
            )
            users.append(user["Id"])
            made("user", "users", user["Id"], "created")
        elif choice == "patch_user":
            user_id = rng.choice(users)
            await stack.operator("PATCH", f"users/{user_id}", {"FirstName": f"Ann{next(serial)}"})
            made("user", "users", user_id, "updated")
        elif choice == "delete_user":
            user_id = users.pop(rng.randrange(len(users)))
            await stack.operator("DELETE", f"users/{user_id}")
            made("user", "users", user_id, "deleted")
        elif choice == "company" or not companies:
            company = await stack.operator("POST", "companies", {"Name": f"Firm {next(serial)}"})
            companies.append(company["Id"])
            made("company", "companies", company["Id"], "created")
        elif choice == "patch_company":
            company_id = rng.choice(companies)
            await stack.operator(
                "PATCH", f"companies/{company_id}", {"Name": f"Firm {next(serial)}"}
            )
            made("company", "companies", company_id, "updated")
        else:
            company_id = companies.pop(rng.randrange(len(companies)))
            await stack.operator("DELETE", f"companies/{company_id}")
            made("company", "companies", company_id, "deleted")
    return expected


def _latencies(events, deliveries) -> list[float]:
    """Per event: from the sandbox's callback of the change (the latest delivery of that
    entity made before the event was stored) to the event on the stream, in seconds."""
    found = []
    for event in events:
        kind = event.subject.split(".")[2]
        entity = int(event.headers["ce-subject"].rsplit("/", 1)[1])
        stored = event.metadata.timestamp.timestamp()
        made = [
            d["sent"]
            for d in deliveries
            if d["entity_id"] == entity
            and d["event"].lower().startswith(kind)
            and d["sent"] is not None
            and d["sent"] <= stored + 0.001
        ]
        found.append(stored - max(made))
    return found


async def test_a_hundred_operator_changes_are_a_hundred_events_within_a_second(
    tmp_path, nats_server
):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        expected = await _operator_changes(stack, random.Random(18), 100)
        events = await stack.wait_for(lambda events: len(events) >= 100)
        seen = [(e.subject.split(".", 2)[2], e.headers["ce-subject"]) for e in events]
        assert Counter(seen) == Counter(expected)
        assert len({e.headers["ce-id"] for e in events}) == len(events) == 100
        for name in {n for _, n in expected}:  # in order per resource
            assert [s for s, n in seen if n == name] == [s for s, n in expected if n == name]
        assert all(decoded(e).origin == events_pb2.CHANGE_ORIGIN_WEBHOOK for e in events)
        latencies = sorted(_latencies(events, await stack.deliveries()))
        p99 = latencies[int(0.99 * (len(latencies) - 1))]
        print(f"webhook → stream: p50 {latencies[50] * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
        assert p99 < 1.0


@pytest.mark.parametrize(
    "config",
    [
        SandboxConfig(payload_template="envelope", event_header="X-Requestor-Event"),
        SandboxConfig(monitoring_events=()),
        SandboxConfig(delivery_attempts=1),
    ],
    ids=["envelope", "monitoring-follows-nothing", "no-retries"],
)
async def test_every_payload_setting_becomes_the_same_events(tmp_path, nats_server, config):
    async with requestor_watched(tmp_path, nats_server.url, config) as stack:
        expected = await _operator_changes(stack, random.Random(7), 12)
        events = await stack.wait_for(lambda events: len(events) >= 12)
        await asyncio.sleep(0.3)
        events = await stack.events()
        seen = [(e.subject.split(".", 2)[2], e.headers["ce-subject"]) for e in events]
        assert Counter(seen) == Counter(expected)


async def _callback(stack, trigger: str) -> str:
    return next(s["CallbackUrl"] for s in await stack.subscriptions() if s["Event"] == trigger)


async def test_a_forged_callback_is_refused_and_publishes_nothing(tmp_path, nats_server):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        real = await _callback(stack, "TicketCreated")
        ticket = stack.state.ticket_json(next(iter(stack.state.tickets.values())))
        intake = stack.runtime.intake.url
        async with httpx.AsyncClient() as client:
            for url in (
                f"{intake}/webhooks/{stack.backend}/{'x' * 43}",  # unknown subscription
                real[:-1] + ("A" if real[-1] != "A" else "B"),  # one character off
                real.replace(f"/webhooks/{stack.backend}/", "/webhooks/other/"),  # other backend
            ):
                answer = await client.post(url, json=ticket)
                assert answer.status_code == 401, (url, answer.status_code)
            assert (await client.post(real, content=b"{not json")).status_code == 400
        assert await stack.events(settle=0.3) == []
        error = await rpc_error(
            stack.tickets.GetTicket(t.GetTicketRequest(name=stack.name("tickets", ticket["Id"])))
        )
        assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_a_retried_delivery_is_one_event_and_an_older_one_changes_nothing(
    tmp_path, nats_server
):
    async with requestor_watched(tmp_path, nats_server.url) as stack:
        created = await stack.operator("POST", "tickets", NEW_TICKET)
        name = stack.name("tickets", created["Id"])
        await stack.wait_for(lambda events: len(events) == 1)
        url = await _callback(stack, "TicketCreated")
        async with httpx.AsyncClient() as client:
            for _ in range(2):  # the sender retrying a delivery it thinks failed
                answer = await client.post(url, json=created)
                assert answer.status_code == 200, answer.text
            await asyncio.sleep(0.6)  # past the reorder window: read and published, or not
            assert len(await stack.events()) == 1
            await stack.operator("POST", f"tickets/{created['Id']}", {"State": "Resolved"})
            await stack.wait_for(lambda events: len(events) == 2)
            late = await client.post(url, json=created)  # the first state, delivered late
            assert late.status_code == 200
            await asyncio.sleep(0.6)
        events = await stack.events()
        assert [e.subject.rsplit(".", 1)[1] for e in events] == ["created", "state_changed"]
        got = (await stack.tickets.GetTicket(t.GetTicketRequest(name=name))).ticket
        assert got.vendor_state.label == "Resolved"
