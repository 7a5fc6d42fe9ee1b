"""ce-id of changes to resources without a vendor revision (no etag, no update time)."""

from deskbridge.events.changes import to_change_event
from deskbridge.runtime.dispatch import Change
from deskbridge.v1 import identity_pb2


def change(request_id: str, display_name: str = "Ops") -> Change:
    group = identity_pb2.Group(name="backends/inv/groups/1", display_name=display_name)
    return Change("inv", "group", "observers_changed", group, [], request_id)


def test_two_calls_leaving_the_same_state_get_different_ids():
    assert to_change_event(change("req-1")).ce_id != to_change_event(change("req-2")).ce_id


def test_a_replayed_call_keeps_its_id():
    assert to_change_event(change("req-1")).ce_id == to_change_event(change("req-1")).ce_id


def test_a_different_state_in_the_same_call_gets_another_id():
    assert to_change_event(change("req-1")).ce_id != to_change_event(change("req-1", "Dev")).ce_id


def test_watcher_origins_do_not_depend_on_a_request_id():
    polled = [to_change_event(change(r), origin="poll").ce_id for r in ("a", "b")]
    assert polled[0] == polled[1]
