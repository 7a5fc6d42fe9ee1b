"""Revisions from the shared snapshot (events/revisions.py), against a real nats-server KV."""

from __future__ import annotations

import itertools
import time

import nats
import pytest

from deskbridge.events.changes import to_change_event
from deskbridge.events.revisions import RevisionStore, Snapshot, snapshot_key, state_digest
from deskbridge.events.stream import ensure_kv
from deskbridge.runtime.dispatch import Change
from deskbridge.v1 import identity_pb2, tickets_pb2

_ids = itertools.count(1)


@pytest.fixture
async def store(nats_server):
    nc = await nats.connect(nats_server.url)
    kv = await ensure_kv(nc.jetstream(), "test_revisions", 0)
    yield RevisionStore(kv)
    await nc.close()


def group(display_name: str = "Ops", identifier: int | None = None) -> identity_pb2.Group:
    return identity_pb2.Group(
        name=f"backends/inv/groups/{identifier or next(_ids)}", display_name=display_name
    )


async def step(store: RevisionStore, message, request_id: str = "") -> str:
    transition = await store.observe(message, request_id=request_id)
    await store.commit(transition)
    return transition.revision


async def test_a_b_a_is_three_revisions(store):
    a = group("A")
    b = identity_pb2.Group(name=a.name, display_name="B")
    revisions = [await step(store, a), await step(store, b), await step(store, a)]
    assert len(set(revisions)) == 3
    assert [r.split(".")[0] for r in revisions] == ["1", "2", "3"]


async def test_api_and_watcher_agree_on_the_revision_of_one_change(store):
    a = group("A")
    await step(store, a)
    b = identity_pb2.Group(name=a.name, display_name="B")
    # both read the snapshot before either committed: the same change, the same revision
    by_api = await store.observe(b, request_id="req-1")
    by_watcher = await store.observe(b)
    assert by_api.revision == by_watcher.revision
    await store.commit(by_watcher)
    assert await store.commit(by_api)  # the same state was stored meanwhile: no conflict
    # afterwards the watcher sees nothing new
    assert (await store.observe(b)).unchanged


async def test_a_replayed_call_keeps_its_revision_and_a_no_op_call_gets_its_own(store):
    a = group("A")
    first = await step(store, a, "req-1")
    assert await step(store, a, "req-1") == first
    no_op = await step(store, a, "req-2")
    assert no_op != first and no_op.startswith(first)


async def test_a_call_whose_change_the_watcher_published_first_keeps_that_revision(store):
    a = group("A")
    await step(store, a, "req-0")
    b = identity_pb2.Group(name=a.name, display_name="B")
    started = time.time()
    by_watcher = await step(store, b)  # the vendor wrote; the watcher published before the call
    by_api = await store.observe(b, request_id="req-1", call_started=started)
    assert by_api.revision == by_watcher  # one change, one ce-id
    # a later call that leaves B as it is stays an event of its own
    later = await store.observe(b, request_id="req-2", call_started=time.time() + 1)
    assert later.revision != by_watcher and later.revision.startswith(by_watcher)


async def test_two_changes_in_one_vendor_second_are_two_revisions(store):
    ticket = tickets_pb2.Ticket(name=f"backends/inv/tickets/{next(_ids)}", title="x")
    ticket.vendor_record.update_time.seconds = 1_717_000_000
    first = await step(store, ticket, "a")
    ticket.title = "y"  # same vendor second, another state
    assert await step(store, ticket, "b") != first


async def test_remote_data_is_not_part_of_the_state(store):
    one = tickets_pb2.Ticket(name="backends/inv/tickets/1", title="x")
    other = tickets_pb2.Ticket(name="backends/inv/tickets/1", title="x")
    one.vendor_record.remote_id = other.vendor_record.remote_id = "1"
    one.vendor_record.remote_data.update({"customer_visible": 1})
    other.vendor_record.remote_data.update({"customer_visible": True})
    assert state_digest(one) == state_digest(other)


async def test_changed_fields_and_tombstones(store):
    a = group("A")
    await step(store, a)
    b = identity_pb2.Group(name=a.name, display_name="B", member_count=3)
    transition = await store.observe(b)
    assert transition.changed_fields() == ["display_name", "member_count"]
    await store.commit(transition)
    gone = await store.tombstone(a.name)
    assert gone is not None and gone.revision.endswith(".deleted")
    await store.commit(gone)
    assert await store.tombstone(a.name) is None  # deleted once
    last = identity_pb2.Group.FromString(gone.current.message)
    assert last.display_name == "B"


async def test_the_snapshot_keeps_the_resource_s_update_time(store):
    ticket = tickets_pb2.Ticket(name=f"backends/inv/tickets/{next(_ids)}", title="x")
    ticket.update_time.seconds = 1_717_000_000
    await step(store, ticket)
    kept = await store.last_known(ticket.name)
    assert kept is not None and kept.updated == 1_717_000_000 * 10**9
    assert Snapshot.decode(kept.encode()) == kept
    # a resource with no update time of its own nor a vendor record: unknown (0)
    entry = tickets_pb2.TimeEntry(name=f"{ticket.name}/timeEntries/1", duration_seconds=60)
    await step(store, entry)
    assert (await store.last_known(entry.name)).updated == 0
    # a snapshot written before `updated` existed reads as unknown (0)
    old = Snapshot(1, "d", {}, at=1.0)
    assert Snapshot.decode(old.encode()).updated == 0


async def test_without_kv_revisions_still_separate_calls():
    store = RevisionStore(None)
    change = Change("inv", "group", "updated", group("A", 1), [], "req-1")
    first = (await store.observe(change.message, request_id="req-1")).revision
    second = (await store.observe(change.message, request_id="req-2")).revision
    assert first != second and first.startswith("0.")
    assert to_change_event(change, first).ce_id != to_change_event(change, second).ce_id


def test_snapshot_keys_escape_what_kv_cannot_hold():
    assert snapshot_key("backends/inv/tickets/12") == "backends/inv/tickets/12"
    assert snapshot_key("backends/crm/tickets/a.b c") == "backends/crm/tickets/a=2Eb=20c"
