"""Requestor trigger deliveries → observed resources (vendors/requestor/triggers.py), for both
payload shapes the sandbox can send [?], and the Location forms DeleteTrigger may take."""

from __future__ import annotations

import pytest

from deskbridge.vendors.requestor.triggers import TRIGGERS, _path_of, trigger_subscriptions

TICKET = {
    "Id": 7,
    "Subject": "Printer",
    "Message": "Jammed",
    "State": {"Id": 2, "Name": "In Progress"},
    "Category": None,
    "Type": {"Id": 1, "Name": "Incident"},
    "Service": {"Id": 1, "Name": "IT"},
    "SubmitterEmail": "a@example.com",
    "SolverUserProviderKey": None,
    "CustomForm": {"Asset": "A-1"},
    "CreatedDate": "2026-01-02T03:04:05.006Z",
    "ModifiedDate": "2026-01-02T03:04:06.007Z",
}


@pytest.fixture
def parse():
    return trigger_subscriptions("req", upstream=None).parse


@pytest.mark.parametrize(
    "body",
    [TICKET, {"Event": "TicketStateChange", "Entity": TICKET, "DeliveryId": "d", "Timestamp": "t"}],
    ids=["entity", "envelope"],
)
def test_both_payload_shapes_give_the_same_ticket(parse, body):
    (observed,) = parse("TicketStateChange", body)
    assert observed.kind == "ticket" and observed.action == "state_changed"
    assert observed.message.name == "backends/req/tickets/7"
    assert observed.message.vendor_state.label == "In Progress"
    assert observed.vendor_time.isoformat() == "2026-01-02T03:04:06.007000+00:00"
    assert observed.create_time.isoformat() == "2026-01-02T03:04:05.006000+00:00"
    assert observed.message.vendor_record.remote_data["Subject"] == "Printer"


def test_monitoring_names_no_action_and_deletes_carry_the_mark(parse):
    (monitored,) = parse("TicketMonitoring", TICKET)
    assert monitored.action is None
    (company,) = parse("CompanyDeleted", {"Id": 3, "Name": "Acme", "IsDeleted": True})
    assert company.kind == "company" and company.action == "deleted" and company.message.deleted


@pytest.mark.parametrize("body", [[], "x", {"Name": "no id"}, {"Entity": None}, None])
def test_a_body_without_an_entity_is_refused(parse, body):
    with pytest.raises(ValueError):
        parse("UserCreated", body)


def test_every_trigger_of_the_readme_is_subscribed():
    assert len(TRIGGERS) == 11
    assert {kind for kind, _ in TRIGGERS.values()} == {"ticket", "user", "company"}


@pytest.mark.parametrize(
    ("location", "path"),
    [
        ("/api/PowerAutomate/DeleteTrigger/5", "/api/PowerAutomate/DeleteTrigger/5"),
        (
            "https://r.example.com/api/PowerAutomate/DeleteTrigger/5",
            "/api/PowerAutomate/DeleteTrigger/5",
        ),
        ("/api/Triggers/5?force=true", "/api/Triggers/5?force=true"),
    ],
)
def test_a_location_relative_or_absolute_is_deleted_by_its_path(location, path):
    assert _path_of(location) == path
