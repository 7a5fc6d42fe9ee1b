"""`deskbridge watch tickets`: a real process printing a real Watch."""

from __future__ import annotations

import asyncio
import json
import sys

from google.protobuf import field_mask_pb2

from deskbridge.v1 import tickets_pb2 as t


async def test_deskbridge_watch_tickets_prints_the_state_then_changes(stack):
    listed = await stack.tickets.ListTickets(
        t.ListTicketsRequest(parent=stack.parent, page_size=100)
    )
    count = len(listed.tickets)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "watch",
        "tickets",
        "--backend",
        stack.backend,
        "--address",
        stack.runtime.address,
        "--initial",
        "--json",
        "--limit",
        str(count + 2),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    lines = []
    try:
        while True:
            line = await asyncio.wait_for(process.stdout.readline(), 20)
            assert line, (await process.stderr.read()).decode()
            lines.append(json.loads(line))
            if "initial_state_end" in lines[-1]:
                break
        target = listed.tickets[0].name
        for title in ("First", "Second"):
            await stack.tickets.UpdateTicket(
                t.UpdateTicketRequest(
                    ticket=t.Ticket(name=target, title=title),
                    update_mask=field_mask_pb2.FieldMask(paths=["title"]),
                )
            )
        rest = await asyncio.wait_for(process.stdout.read(), 20)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
    lines += [json.loads(line) for line in rest.splitlines()]
    initial = [line for line in lines if line.get("initial_state")]
    assert sorted(line["subject"] for line in initial) == sorted(x.name for x in listed.tickets)
    assert lines[count]["initial_state_end"]["resource_count"] == count
    live = lines[count + 1 :]
    assert [(x["type"], x["data"]["ticket"]["title"]) for x in live] == [
        ("deskbridge.v1.ticket.updated", "First"),
        ("deskbridge.v1.ticket.updated", "Second"),
    ]
    assert all(x["resume_token"] for x in live)
