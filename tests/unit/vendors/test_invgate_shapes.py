"""InvGate answers in more than one shape: the adapter reads every shape a source records."""

from __future__ import annotations

import pytest

from deskbridge.vendors.invgate import mapping as m
from deskbridge.vendors.invgate.scan import keyed_records

RECORDS = [{"id": 309, "title": "a"}, {"id": "360", "title": "b"}]


@pytest.mark.parametrize(
    "answer",
    [
        {"309": RECORDS[0], "360": RECORDS[1]},  # observed: an object keyed by id (§1.6)
        RECORDS,  # documented: an array
        {"status": "OK", "data": RECORDS},  # wrapped
        {"status": "OK", "data": {"309": RECORDS[0], "360": RECORDS[1]}},
    ],
    ids=["keyed", "array", "wrapped-array", "wrapped-keyed"],
)
def test_incidents_by_ids_is_read_in_every_shape(answer):
    assert sorted(keyed_records(answer)) == [309, 360]


@pytest.mark.parametrize("answer", [[], {}, None, {"status": "OK"}, [None, "x", {"no": "id"}]])
def test_an_empty_or_odd_answer_is_no_record(answer):
    assert keyed_records(answer) == {}


def test_labels_know_what_they_miss():
    labels = m.Labels(categories={3: "Hardware"}, custom_fields={"26": "Team"})
    known = {"status_id": 5, "priority_id": "2", "type_id": 1, "source_id": 8, "category_id": 3}
    assert not labels.misses({**known, "custom_fields": {"26": {"a": "b"}}})
    assert labels.misses({**known, "status_id": 9})  # a custom status
    assert labels.misses({**known, "category_id": 4})
    assert labels.misses({**known, "custom_fields": {"27": "x"}})


def test_a_ticket_takes_the_labels_it_is_given():
    labels = m.Labels(
        statuses={5: "Resolved"},
        priorities={2: "P3"},
        types={1: "Break/fix"},
        sources={2: "Portal"},
        categories={3: "Hardware"},
        custom_fields={"26": "Team"},
    )
    record = {
        "id": 7,
        "status_id": 5,
        "priority_id": 2,
        "type_id": 1,
        "source_id": 2,
        "category_id": 3,
        "custom_fields": {"26": {"h1": "Team A"}},
    }
    ticket = m.ticket("inv", record, labels=labels)
    assert (ticket.vendor_state.label, ticket.vendor_priority.label) == ("Resolved", "P3")
    assert (ticket.vendor_type.label, ticket.vendor_source.label) == ("Break/fix", "Portal")
    assert ticket.category_display_name == "Hardware"
    assert ticket.custom_fields[0].label == "Team"
    documented = m.ticket("inv", record)
    assert documented.vendor_state.label == "Solved" and documented.vendor_source.label == "Web"
