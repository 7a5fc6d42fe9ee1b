"""Which action a pushed change is (watcher/actions.py): the trigger's word for a first sight,
what changed afterwards — so two triggers announcing one change agree whichever comes first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskbridge.events.revisions import Snapshot, Transition, field_hashes
from deskbridge.runtime.sources import Observed
from deskbridge.v1 import common_pb2, identity_pb2, tickets_pb2
from deskbridge.watcher.actions import derive_action


def transition(before, after) -> Transition:
    previous = None if before is None else Snapshot(1, "a", field_hashes(before))
    return Transition("k", previous, None, Snapshot(2, "b", field_hashes(after)), "2.b")


def ticket(state: str, category: str = "") -> tickets_pb2.Ticket:
    made = tickets_pb2.Ticket(name="backends/r/tickets/1", category_display_name=category)
    made.vendor_state.CopyFrom(common_pb2.VendorValue(id=state, label=state))
    return made


def test_a_first_sight_takes_the_triggers_word():
    seen = ticket("New")
    assert (
        derive_action(
            Observed("ticket", seen, action="state_changed"), transition(None, seen), None
        )
        == "state_changed"
    )


def test_a_first_sight_without_a_word_is_created_when_new_and_updated_when_old():
    now = datetime.now(UTC)
    recent = now - timedelta(minutes=5)
    young = Observed("ticket", ticket("New"), create_time=now)
    old = Observed("ticket", ticket("New"), create_time=now - timedelta(days=3))
    assert derive_action(young, transition(None, young.message), recent) == "created"
    assert derive_action(old, transition(None, old.message), recent) == "updated"


def test_once_seen_what_changed_decides_whatever_the_trigger_said():
    before, after = ticket("New"), ticket("Resolved")
    for word in (None, "custom_form_changed", "state_changed"):
        pushed = Observed("ticket", after, action=word)
        assert derive_action(pushed, transition(before, after), None) == "state_changed"
    recategorised = ticket("New", "Network")
    assert (
        derive_action(Observed("ticket", recategorised), transition(before, recategorised), None)
        == "category_changed"
    )


def test_a_user_marked_deleted_is_deleted():
    before = identity_pb2.User(name="backends/r/users/1", username="ann")
    after = identity_pb2.User(name="backends/r/users/1", username="ann", deleted=True)
    assert (
        derive_action(Observed("user", after, action="updated"), transition(before, after), None)
        == "deleted"
    )
