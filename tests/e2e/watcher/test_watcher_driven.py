"""Acceptance of the watcher against an InvGate worked by agents: the change driver makes random
changes straight through the vendor API, every one must reach the stream exactly once, in order,
named right, within two poll intervals."""

from __future__ import annotations

import asyncio
import time

from driven import TICKET, match
from e2e_support import creatable_ticket
from google.protobuf import field_mask_pb2
from watch_support import SECRET, decoded, duplicates, open_watched, summary

from deskbridge.sandbox.invgate import SandboxConfig
from deskbridge.sandbox.invgate.driver import drive
from deskbridge.v1 import events_pb2
from deskbridge.v1 import tickets_pb2 as t

INTERVAL = 1.0  # the poll interval for this run
CHANGES = 200


async def settled(watched, predicate, timeout: float) -> list:  # noqa: ASYNC109
    """The stored events once `predicate` holds for them (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    while True:
        events = await watched.events(settle=0.2)
        if predicate(events) or time.monotonic() > deadline:
            return events
        await asyncio.sleep(0.2)


async def test_two_hundred_vendor_changes_reach_the_stream_once_each_in_order(
    tmp_path, nats_server
):
    config = SandboxConfig(request_count=30, seed=5)
    async with open_watched(
        tmp_path, nats_server.url, config, interval_seconds=INTERVAL, overlap_seconds=2
    ) as watched:
        changes = await drive(watched.sandbox.url, CHANGES, seed=13, min_gap_seconds=2.5 * INTERVAL)
        comments = sum(1 for c in changes if c.kind == "comment")
        wanted = len(changes) + comments  # a comment also moves its ticket
        events = await settled(watched, lambda es: len(es) >= wanted, 4 * INTERVAL)
        events = await settled(watched, lambda es: False, INTERVAL)  # and nothing more comes
        outcome = match(
            watched.backend,
            changes,
            events,
            decoded,
            events_pb2.CHANGE_ORIGIN_POLL,
        )
        print(f"\npoll at {INTERVAL}s: {outcome.report()}")
        print("\n".join(outcome.problems))
        assert not outcome.problems, "\n".join(outcome.problems[:20])
        assert not duplicates(events)
        pairs = [(e.headers["ce-subject"], e.headers["ce-revision"]) for e in events]
        assert len(set(pairs)) == len(pairs)
        assert max(outcome.latencies) <= 2 * INTERVAL, outcome.report()


async def test_vendor_changes_announced_by_webhooks_reach_the_stream_within_a_second(
    tmp_path, nats_server
):
    config = SandboxConfig(request_count=30, seed=5)
    # a poll too slow to see anything during the run: every event must come from a webhook
    async with open_watched(tmp_path, nats_server.url, config, interval_seconds=60) as watched:
        rule = {
            "id": "deskbridge",
            "url": f"{watched.runtime.intake.url}/webhooks/{watched.backend}",
            "headers": {"X-Deskbridge-Secret": SECRET},
            "body": {"request_id": "{id}"},
        }
        await watched.control.put("/_sandbox/automation", json={"rules": [rule]})
        changes = await drive(
            watched.sandbox.url, 100, seed=17, min_gap_seconds=1.0, kinds=("request", "comment")
        )
        comments = sum(1 for c in changes if c.kind == "comment")
        wanted = len(changes) + comments
        events = await settled(watched, lambda es: len(es) >= wanted, 5)
        events = await settled(watched, lambda es: False, 0.5)
        outcome = match(watched.backend, changes, events, decoded, events_pb2.CHANGE_ORIGIN_WEBHOOK)
        print(f"\nwebhooks: {outcome.report()}")
        assert not outcome.problems, "\n".join(outcome.problems[:20])
        assert not duplicates(events)
        deliveries = (await watched.control.get("/_sandbox/automation/deliveries")).json()
        assert deliveries and all(d["status"] == 202 for d in deliveries)
        assert outcome.percentile(99) <= 1.0, outcome.report()


async def test_changes_made_half_through_deskbridge_half_in_the_vendor_are_one_event_each(
    tmp_path, nats_server
):
    config = SandboxConfig(request_count=30, seed=5)
    async with open_watched(
        tmp_path, nats_server.url, config, interval_seconds=INTERVAL, overlap_seconds=2
    ) as watched:
        parent = f"backends/{watched.backend}"

        async def rpc_create(n: int) -> str:
            ticket = creatable_ticket(watched.name, f"Mixed {n}")
            request = t.CreateTicketRequest(parent=parent, ticket=ticket, request_id=f"mix-{n}")
            return (await watched.tickets.CreateTicket(request)).ticket.name

        async def rpc_title(name: str, title: str) -> None:
            await watched.tickets.UpdateTicket(
                t.UpdateTicketRequest(
                    ticket=t.Ticket(name=name, title=title),
                    update_mask=field_mask_pb2.FieldMask(paths=["title"]),
                )
            )

        async def rpc_comment(name: str) -> None:
            comment = t.Comment(body="Through Deskbridge", author=watched.name("users", 3))
            await watched.tickets.CreateComment(
                t.CreateCommentRequest(parent=name, comment=comment)
            )

        def remote(name: str) -> int:
            return int(name.rsplit("/", 1)[1])

        steps = [  # (origin, what), one change per ticket per step, steps 2.2 polls apart
            ("vendor", lambda n: watched.call("PUT", "incident", id=remote(n), title="Vendor")),
            ("api", lambda n: rpc_title(n, "Deskbridge")),
            (
                "vendor",
                lambda n: watched.call(
                    "POST", "incident.comment", request_id=remote(n), author_id=3, comment="Vendor"
                ),
            ),
            ("api", rpc_comment),
            (
                "vendor",
                lambda n: watched.call(
                    "POST",
                    "incident.reassign",
                    request_id=remote(n),
                    author_id=1,
                    group_id=2,
                    agent_id=3,
                ),
            ),
            ("api", lambda n: rpc_title(n, "Deskbridge again")),
        ]
        names = list(await asyncio.gather(*(rpc_create(n) for n in range(8))))
        for _, change in steps:
            await asyncio.sleep(2.2 * INTERVAL)
            await asyncio.gather(*(change(name) for name in names))
        await asyncio.sleep(3 * INTERVAL)
        events = await watched.events()
        assert not duplicates(events)
        api, poll = events_pb2.CHANGE_ORIGIN_API, events_pb2.CHANGE_ORIGIN_POLL
        expected_ticket = [  # what each ticket's stream must be, type and origin
            ("created", api),
            ("updated", poll),
            ("updated", api),
            ("updated", poll),  # the vendor comment moved the ticket's update time
            ("updated", poll),  # so did the one made through Deskbridge (no API event for it)
            ("assigned", poll),
            ("updated", api),
        ]
        for name in names:
            mine = [e for e in events if e.headers["ce-subject"] == name]
            got = [(e.headers["ce-type"].removeprefix(TICKET), decoded(e).origin) for e in mine]
            assert got == expected_ticket, (name, got)
            comments = [e for e in events if e.headers["ce-subject"].startswith(name + "/")]
            origins = sorted(decoded(e).origin for e in comments)
            assert origins == sorted([api, poll]), (name, summary(comments))
