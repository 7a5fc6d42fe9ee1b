"""ChangeService.Watch delivers what the watcher sees in the vendor, beside the API's own
changes, each once and in order."""

from __future__ import annotations

import asyncio
from collections import Counter

from e2e_watch import watching
from google.protobuf import field_mask_pb2
from watch_support import POLL

from deskbridge.v1 import events_pb2
from deskbridge.v1 import tickets_pb2 as t

NEW_TICKET = dict(creator_id=100, customer_id=100, category_id=1, priority_id=2, type_id=1)


async def test_vendor_side_and_api_changes_reach_a_watch_once_in_order(watched):
    async with watching(
        watched.channel,
        parent=f"backends/{watched.backend}",
        resource_kinds=["ticket"],
        send_initial_state=True,
    ) as watch:
        await watch.until(lambda w: any(m.HasField("initial_state_end") for m in w.messages))
        before = {m.change.subject for m in watch.initial}
        made = await watched.call("POST", "incident", title="Made in InvGate", **NEW_TICKET)
        name = watched.name("tickets", made["request_id"])
        assert name not in before
        await watch.until(lambda w: any(m.change.subject == name for m in w.live), timeout=10)
        await watched.tickets.UpdateTicket(
            t.UpdateTicketRequest(
                ticket=t.Ticket(name=name, title="Renamed through Deskbridge"),
                update_mask=field_mask_pb2.FieldMask(paths=["title"]),
            )
        )
        await watched.call(
            "PUT", "incident", id=int(made["request_id"]), title="Renamed in InvGate"
        )
        await watch.until(
            lambda w: any(m.change.ticket.ticket.title == "Renamed in InvGate" for m in w.live),
            timeout=10,
        )
        await asyncio.sleep(4 * POLL)  # later poll cycles add nothing
        mine = [m.change for m in watch.live if m.change.subject == name]
        assert [(c.ticket.origin, c.ticket.ticket.title) for c in mine] == [
            (events_pb2.CHANGE_ORIGIN_POLL, "Made in InvGate"),
            (events_pb2.CHANGE_ORIGIN_API, "Renamed through Deskbridge"),
            (events_pb2.CHANGE_ORIGIN_POLL, "Renamed in InvGate"),
        ]
        assert Counter(c.id for c in mine).most_common(1)[0][1] == 1
        assert mine[0].type == "deskbridge.v1.ticket.created"
