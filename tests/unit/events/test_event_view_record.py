"""The event view keeps the resource an event carries, whether the event was built in this
process (the resource at hand) or read back from NATS or the outbox (parsed from the payload):
the same bytes either way, against a real nats-server KV."""

from __future__ import annotations

import nats
import orjson

from deskbridge.events.changes import to_change_event
from deskbridge.events.envelope import ChangeEvent
from deskbridge.events.stream import ensure_kv
from deskbridge.events.views import EventView, view_key
from deskbridge.runtime.dispatch import Change
from deskbridge.v1 import tickets_pb2


def ticket(identifier: int, title: str) -> tickets_pb2.Ticket:
    made = tickets_pb2.Ticket(name=f"backends/req/tickets/{identifier}", title=title)
    made.vendor_record.remote_data.update({"Subject": title, "Tags": ["a", "b"]})
    return made


async def test_an_event_built_here_and_one_read_back_keep_the_same_resource(nats_server):
    nc = await nats.connect(nats_server.url)
    try:
        kv = await ensure_kv(nc.jetstream(), "test_views_record", 0)
        view = EventView(kv, ["req"])
        built = to_change_event(Change("req", "ticket", "updated", ticket(1, "one"), [], ""), "1.a")
        assert built.carried is not None
        other = to_change_event(Change("req", "ticket", "updated", ticket(2, "one"), [], ""), "1.a")
        read_back = ChangeEvent.from_headers(other.headers(), other.payload)
        assert read_back.carried is None
        await view.record(built)
        await view.record(read_back)
        first, second = view.get("req", "ticket", "1"), view.get("req", "ticket", "2")
        assert first is not None and second is not None
        assert tickets_pb2.Ticket.FromString(first) == ticket(1, "one")
        assert tickets_pb2.Ticket.FromString(second) == ticket(2, "one")
        stored = orjson.loads((await kv.get(view_key("req", "ticket", "1"))).value)
        assert stored["seq"] == 1 and stored["revision"] == "1.a"
        # `carried` is not part of the event's identity
        assert built == ChangeEvent.from_headers(built.headers(), built.payload)
    finally:
        await nc.close()
