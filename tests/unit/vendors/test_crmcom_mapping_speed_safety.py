"""CRM.COM's mapping, written for speed, says exactly what the plain one says.

`vendors/crmcom/mapping.py` fills the response's own ticket in place, sets fields from tables,
formats names from per-backend prefixes and reads ISO local dates by timedelta arithmetic
instead of `Timestamp.FromDatetime`. Every record the sandbox serves (over real HTTP, through
the adapter's own client and session), and odd shapes a real instance might send, are mapped
both ways here and compared byte for byte (`SerializeToString(deterministic=True)`): the
reference below is the mapping written the straightforward way, with protobuf's own helpers
(`FromDatetime`, `json_format.ParseDict`, messages built from keywords and copied into
responses).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct
from google.protobuf.timestamp_pb2 import Timestamp
from hypothesis import given, settings
from hypothesis import strategies as st

from deskbridge.runtime.records import plain_text
from deskbridge.runtime.settings import Secret
from deskbridge.runtime.upstream import Upstream
from deskbridge.sandbox.crmcom import SandboxConfig, start_sandbox
from deskbridge.v1 import common_pb2, identity_pb2, tickets_pb2
from deskbridge.vendors.crmcom import mapping as m
from deskbridge.vendors.crmcom.auth import session
from deskbridge.vendors.crmcom.client import CrmComClient
from deskbridge.vendors.crmcom.identity import CrmComIdentity
from deskbridge.vendors.crmcom.tickets import CrmComTickets

BACKEND = "crm"
ZONE = "Europe/Nicosia"  # dates in a zone with an offset and summer time, not UTC
LOGIN = {"username": "deskbridge", "password": "sandbox-password", "organisation": "CRMDEMO"}
STATES = {
    "PENDING": tickets_pb2.LIFECYCLE_STATE_PENDING,
    "RESPONDED": tickets_pb2.LIFECYCLE_STATE_RESPONDED,
    "TEMPORARY_RESOLVED": tickets_pb2.LIFECYCLE_STATE_TEMPORARY_RESOLVED,
    "FINAL_RESOLVED": tickets_pb2.LIFECYCLE_STATE_FINAL_RESOLVED,
    "COMPLETED": tickets_pb2.LIFECYCLE_STATE_COMPLETED,
}
NORMALISED = {
    tickets_pb2.LIFECYCLE_STATE_PENDING: tickets_pb2.TICKET_STATE_NEW,
    tickets_pb2.LIFECYCLE_STATE_RESPONDED: tickets_pb2.TICKET_STATE_OPEN,
    tickets_pb2.LIFECYCLE_STATE_TEMPORARY_RESOLVED: tickets_pb2.TICKET_STATE_RESOLVED,
    tickets_pb2.LIFECYCLE_STATE_FINAL_RESOLVED: tickets_pb2.TICKET_STATE_RESOLVED,
    tickets_pb2.LIFECYCLE_STATE_COMPLETED: tickets_pb2.TICKET_STATE_CLOSED,
}


# ---------------------------------------------------------------- the reference mapping


def ref_time(value: Any, zone: ZoneInfo) -> Timestamp | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(parsed if parsed.tzinfo else parsed.replace(tzinfo=zone))
    return stamp


def ref_name(collection: str, identifier: Any) -> str:
    return f"backends/{BACKEND}/{collection}/{identifier}"


def ref_reference(collection: str, value: Any) -> str:
    if isinstance(value, Mapping) and value.get("id"):
        return ref_name(collection, value["id"])
    return ""


def ref_value(value: Any) -> common_pb2.VendorValue:
    result = common_pb2.VendorValue()
    result.SetInParent()
    if isinstance(value, Mapping):
        result.id = str(value.get("id") or "")
        result.label = str(value.get("name") or "")
    elif value not in (None, ""):
        result.label = str(value)
    return result


def ref_record(record: Mapping[str, Any], zone: ZoneInfo) -> common_pb2.VendorRecord:
    result = common_pb2.VendorRecord(
        backend=BACKEND,
        vendor=common_pb2.VENDOR_CRMCOM,
        remote_id=str(record.get("id", "")),
        display_id=str(record.get("number") or ""),
    )
    result.remote_data.CopyFrom(json_format.ParseDict(record, Struct()))
    info = record.get("log_information")
    if isinstance(info, Mapping):
        for field, key in (("create_time", "created_date"), ("update_time", "updated_date")):
            stamp = ref_time(info.get(key), zone)
            if stamp is not None:
                getattr(result, field).CopyFrom(stamp)
    return result


def ref_lifecycle(record: Mapping[str, Any]) -> int:
    state = STATES.get(str(record.get("life_cycle_state") or "").upper(), 0)
    final = record.get("final_resolution")
    if state == tickets_pb2.LIFECYCLE_STATE_FINAL_RESOLVED and isinstance(final, Mapping):
        if final.get("accepted_by"):
            return tickets_pb2.LIFECYCLE_STATE_COMPLETED
    return state


def reference_ticket(record: Mapping[str, Any], zone: ZoneInfo) -> tickets_pb2.Ticket:
    get = record.get
    state = ref_lifecycle(record)
    assigned = get("assigned_to") if isinstance(get("assigned_to"), Mapping) else {}
    title = plain_text(str(get("description") or "")).strip()
    vendor_record = ref_record(record, zone)
    result = tickets_pb2.Ticket(
        name=ref_name("tickets", get("id")),
        title=title[:200] if title else str(get("number") or ""),
        description=str(get("description") or ""),
        lifecycle_state=state,
        state=NORMALISED.get(state, 0),
        category=ref_reference("ticketCategories", get("category")),
        category_display_name=str((get("category") or {}).get("name") or ""),
        account=ref_reference("accounts", get("accounts_receivable")),
        contact=ref_reference("contacts", get("contact_information")),
        requester_email=str(get("caller_email") or ""),
        caller_phone=str(get("caller_phone") or ""),
        notes=str(get("notes") or ""),
        assignee=ref_reference("users", assigned.get("user")),
        help_desk=ref_reference("helpDesks", assigned.get("group") or get("owned_by_group")),
        related_tickets=[
            ref_name("tickets", r["service_request"]["id"])
            for r in get("related_service_requests") or []
            if isinstance(r, Mapping) and isinstance(r.get("service_request"), Mapping)
        ],
        etag=str((get("log_information") or {}).get("updated_date") or ""),
        vendor_record=vendor_record,
        vendor_state=ref_value(get("status")),
        vendor_type=ref_value(get("type")),
        urgency=ref_value(get("urgency_level")),
        impact=ref_value(get("impact_level")),
        # Always present, empty when the vendor gave no date.
        create_time=vendor_record.create_time,
        update_time=vendor_record.update_time,
    )
    estimated = ref_time(get("expected_completion_date"), zone)
    if estimated is not None:
        result.estimated_completion_time.CopyFrom(estimated)
    final = get("final_resolution") or get("temporary_resolution")
    if isinstance(final, Mapping):
        date = final.get("final_resolution_date") or final.get("temporary_resolution_date")
        solved = ref_time(date, zone)
        if solved is not None:
            result.solve_time.CopyFrom(solved)
    return result


def reference_contact(record: Mapping[str, Any], zone: ZoneInfo) -> identity_pb2.Contact:
    def primary_first(items: Any) -> list[Mapping[str, Any]]:
        kept = [i for i in items or [] if isinstance(i, Mapping)]
        return sorted(kept, key=lambda i: not i.get("is_primary"))

    emails, phones = primary_first(record.get("emails")), primary_first(record.get("phones"))
    return identity_pb2.Contact(
        name=ref_name("contacts", record.get("id")),
        display_name=str(record.get("name") or ""),
        email=str(emails[0].get("email_address") or emails[0].get("email") or "") if emails else "",
        phone=str(phones[0].get("number") or "") if phones else "",
        id_number=str(record.get("id_number") or ""),
        vendor_record=ref_record(record, zone),
    )


def reference_account(record: Mapping[str, Any], zone: ZoneInfo) -> identity_pb2.Account:
    return identity_pb2.Account(
        name=ref_name("accounts", record.get("id")),
        number=str(record.get("number") or ""),
        display_name=str(record.get("name") or ""),
        contact=ref_reference("contacts", record.get("contact_information")),
        vendor_record=ref_record(record, zone),
    )


def stamp(moment: Any, text: Any, zone: ZoneInfo) -> Timestamp | None:
    """The mapping's reading of a date as a Timestamp, like `ref_time`'s."""
    when = moment(text, zone)
    return None if when is None else Timestamp(seconds=when[0], nanos=when[1])


def wire(message: Any) -> bytes:
    return b"<none>" if message is None else message.SerializeToString(deterministic=True)


def outcome(mapping: Any, *args: Any) -> bytes | str:
    """The serialized result, or the name of the exception it raised."""
    try:
        return wire(mapping(*args))
    except Exception as error:  # both sides must fail the same way
        return type(error).__name__


# ---------------------------------------------------------------- the sandbox over HTTP


@pytest.fixture(scope="module")
async def served():
    """A sandbox of 60 requests (dates in Europe/Nicosia) plus one linked to two others and
    one with markup in its description; an httpx client with a session reading what it
    serves, and the adapter's ticket and identity sides bound to it through its own client
    and session."""
    handle = await start_sandbox(SandboxConfig(seed=17, request_count=60, time_zone=ZONE))
    http = httpx.AsyncClient(base_url=handle.url + "/crmapi/rest/v2/")
    token = (await http.post("authentication/token", json=LOGIN)).json()["data"]["token"]
    ids = [r["id"] for r in (await list_requests(http, token))[:2]]
    made = await http.post(
        "service_requests/create",
        json={
            "token": token,
            "type_identifier": {"name": "Billing Enquiry"},
            "accounts_receivable_identifier": {"number": "AR000001"},
            "status_identifier": {"name": "Open"},
            "category_identifier": {"code": "BIL"},
            "urgency_level": "URGENCY2",
            "impact_level": "IMPACT1",
            "description": "<p>Invoice &amp; plan</p>\n  <b>wrong</b>",
            "related_service_requests": [
                {"action": "ADD", "service_request_identifier": {"id": i}} for i in ids
            ],
        },
    )
    assert made.json()["status"]["code"] == "OK", made.text
    upstream = Upstream(backend=BACKEND, vendor="crmcom", base_url=handle.url)
    login = session({k: Secret(v) for k, v in LOGIN.items()}, {})
    client = CrmComClient(upstream, login, {"INVALID_TOKEN"})
    tickets = CrmComTickets(BACKEND, client, {"time_zone": ZONE})
    identity = CrmComIdentity(BACKEND, client, ZoneInfo(ZONE))
    yield http, token, tickets, identity
    await upstream.aclose()
    await http.aclose()
    await handle.stop()


async def list_requests(http: httpx.AsyncClient, token: str) -> list[dict[str, Any]]:
    accounts = (await http.get("accounts_receivable/list", params={"token": token})).json()
    rows: list[dict[str, Any]] = []
    for account in accounts["data"]:
        params = {"token": token, "accounts_receivable_identifier": f"id={account['id']}"}
        rows += (await http.get("service_requests/list", params=params)).json()["data"]
    return rows


async def shown(http: httpx.AsyncClient, token: str, identifier: str) -> dict[str, Any]:
    params = {"token": token, "service_request_identifier": f"id={identifier}"}
    return (await http.get("service_requests/show", params=params)).json()["data"]


async def test_get_ticket_is_the_reference_for_every_request_served(served):
    http, token, tickets, _ = served
    zone, states, linked = ZoneInfo(ZONE), [], 0
    for listed in await list_requests(http, token):
        record = await shown(http, token, listed["id"])
        name = ref_name("tickets", record["id"])
        got = await tickets.get(tickets_pb2.GetTicketRequest(name=name))
        expected = tickets_pb2.GetTicketResponse(ticket=reference_ticket(record, zone))
        assert wire(got) == wire(expected)
        states.append(got.ticket.lifecycle_state)
        linked += len(got.ticket.related_tickets)
    assert len(states) == 61
    assert set(states) == set(STATES.values())  # every step of the life cycle was compared
    assert linked == 2


async def test_a_batch_and_a_list_are_the_reference_tickets(served):
    http, token, tickets, _ = served
    zone = ZoneInfo(ZONE)
    records = [await shown(http, token, r["id"]) for r in await list_requests(http, token)]
    wanted = records[10:40][::-1]
    names = [ref_name("tickets", r["id"]) for r in wanted]
    batch = await tickets.batch_get(tickets_pb2.BatchGetTicketsRequest(names=names))
    assert [wire(t) for t in batch.tickets] == [wire(reference_ticket(r, zone)) for r in wanted]
    listed = await tickets.list(tickets_pb2.ListTicketsRequest(page_size=1000))
    by_id = {r["id"]: r for r in records}
    assert len(listed.tickets) == len(records)
    for ticket in listed.tickets:
        record = by_id[ticket.vendor_record.remote_id]
        assert wire(ticket) == wire(reference_ticket(record, zone))


async def test_every_contact_and_account_is_the_reference(served):
    http, token, _, identity = served
    zone, compared = ZoneInfo(ZONE), 0
    for record in (await http.get("contact_information/list", params={"token": token})).json()[
        "data"
    ]:
        request = identity_pb2.GetContactRequest(name=ref_name("contacts", record["id"]))
        got = await identity.get_contact(request)
        assert wire(got.contact) == wire(reference_contact(record, zone))
        compared += 1
    for record in (await http.get("accounts_receivable/list", params={"token": token})).json()[
        "data"
    ]:
        request = identity_pb2.GetAccountRequest(name=ref_name("accounts", record["id"]))
        got = await identity.get_account(request)
        assert wire(got.account) == wire(reference_account(record, zone))
        compared += 1
    assert compared > 10


# ---------------------------------------------------------------- shapes a sandbox never sends

BASE: dict[str, Any] = {
    "id": "1BEA85931A953CCA0C2282666BE49EE7",
    "number": "SR00000269",
    "type": {"id": "244C", "name": "Technical Support", "alternative_code": "TS"},
    "status": {"id": "73F7", "name": "Open", "alternative_code": "O"},
    "category": {"id": "3200", "name": "Network", "code": "NET"},
    "life_cycle_state": "FINAL_RESOLVED",
    "accounts_receivable": {"id": "623D", "number": "AR000002", "name": "Nikos Ioannou"},
    "contact_information": {"id": "563E", "number": "CI000112", "name": "Nikos Ioannou"},
    "caller_email": "nikos.ioannou@example.com",
    "caller_phone": "+35793382575",
    "description": "Payment shows an error",
    "notes": None,
    "urgency_level": "URGENCY1",
    "impact_level": "IMPACT2",
    "owned_by_group": {"id": "AF55", "name": "First Line Support", "alternative_code": "FLS"},
    "assigned_to": {"user": {"id": "2FA9", "username": "andreas.pavlou"}, "group": None},
    "expected_completion_date": "2026-11-28T00:05:16",
    "estimated_completion_time": {"time_period": 4, "uot": "HOURS"},
    "temporary_resolution": {"temporary_resolution_date": "2026-11-27T21:00:00"},
    "final_resolution": {"final_resolution_date": "2026-11-27T22:00:00", "accepted_by": None},
    "services": [],
    "related_service_requests": [],
    "udf_float_1": None,
    "log_information": {
        "created_by_unit": {"id": "73AB", "name": "Limassol Branch"},
        "created_date": "2026-11-27T20:05:16",
        "updated_date": "2026-11-27T20:05:17",
    },
}
MISSING = ...
ODD_DATES = [
    "2021-03-28T03:30:00",  # in Nicosia's spring-forward gap
    "2021-10-31T03:30:00",  # twice in Nicosia (autumn), the first taken
    "2026-11-27T20:05:16.999999",
    "2026-11-27T20:05:16+05:45",
    "2026-11-27T20:05:16Z",
    "2026-11-27",
    "1970-01-01T02:00:00",  # the epoch itself in Nicosia: an empty Timestamp, still set
    "1969-12-31T23:59:59.5",
    "0001-01-01T02:00:00",
    "9999-12-31T23:59:59",
    "27/11/2026",
    "",
    0,
    None,
]


@pytest.mark.parametrize(
    "changes",
    [
        *({"expected_completion_date": d} for d in ODD_DATES),
        *({"log_information": {"created_date": d, "updated_date": d}} for d in ODD_DATES),
        {"final_resolution": None, "temporary_resolution": {"temporary_resolution_date": "x"}},
        {"final_resolution": {"accepted_by": {"id": "C1"}, "final_resolution_date": None}},
        {"final_resolution": "done", "temporary_resolution": None},
        {"life_cycle_state": "completed"},
        {"life_cycle_state": "Temporary_Resolved", "final_resolution": None},
        {"life_cycle_state": None},
        {"life_cycle_state": 3},
        {"life_cycle_state": "UNKNOWN"},
        {"description": "<p>Printer &amp; <i>scanner</i></p>\n\t down "},
        {"description": "  spaced \n text  "},
        {"description": "x" * 300},
        {"description": "", "number": None},
        {"description": None, "number": 42},
        {"id": 42, "number": 7},
        {"id": None},
        {"id": MISSING, "number": MISSING, "log_information": MISSING},
        {"category": None, "accounts_receivable": {"id": ""}, "contact_information": "563E"},
        {"category": {"id": 12, "name": 0}, "owned_by_group": None},
        {"assigned_to": None, "owned_by_group": {"id": "G1"}},
        {"assigned_to": {"user": None, "group": {"id": "G2"}}},
        {"assigned_to": "someone"},
        {"status": "Open", "type": None, "urgency_level": "", "impact_level": 0},
        {"status": [], "type": {"name": "No id"}, "urgency_level": {"id": 3}},
        {"status": MISSING, "type": MISSING, "urgency_level": MISSING, "impact_level": MISSING},
        {
            "related_service_requests": [
                {"service_request": {"id": "A"}},
                {"service_request": None},
                {"id": "rel"},
                "B",
                {"service_request": {"id": 7, "number": "SR1"}},
            ]
        },
        {"related_service_requests": {"not": "a list"}},
        {"related_service_requests": [{"service_request": {"number": "no id"}}]},
        {"caller_email": 5, "caller_phone": False, "notes": ["n"]},
        {"extra": {"nested": {"deep": [1, {"a": None}, True, 2.5]}, "empty": {}, "list": []}},
        {"log_information": "not an object"},
        {"log_information": {}},
    ],
)
@pytest.mark.parametrize("zone", ["UTC", ZONE, "America/St_Johns"])
def test_odd_shapes_map_as_the_reference_does(changes, zone):
    record = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is MISSING:
            record.pop(key)
        else:
            record[key] = value
    tz = ZoneInfo(zone)
    expected = outcome(reference_ticket, record, tz)
    assert outcome(m.ticket, BACKEND, record, tz) == expected

    def in_place(record: Mapping[str, Any], tz: ZoneInfo) -> tickets_pb2.GetTicketResponse:
        response = tickets_pb2.GetTicketResponse()
        m.fill_ticket(response.ticket, BACKEND, record, tz)
        return response

    def copied(record: Mapping[str, Any], tz: ZoneInfo) -> tickets_pb2.GetTicketResponse:
        return tickets_pb2.GetTicketResponse(ticket=reference_ticket(record, tz))

    assert outcome(in_place, record, tz) == outcome(copied, record, tz)


def test_the_reference_sees_what_the_odd_shapes_are_about():
    """The odd shapes reach the branches they are for (not all mapped to the same thing)."""
    zone = ZoneInfo(ZONE)
    base = reference_ticket(BASE, zone)
    assert base.lifecycle_state == tickets_pb2.LIFECYCLE_STATE_FINAL_RESOLVED
    assert base.solve_time.seconds == int(datetime(2026, 11, 27, 20, tzinfo=UTC).timestamp())
    accepted = copy.deepcopy(BASE)
    accepted["final_resolution"]["accepted_by"] = {"id": "C1"}
    assert m.ticket(BACKEND, accepted, zone).lifecycle_state == (
        tickets_pb2.LIFECYCLE_STATE_COMPLETED
    )
    with pytest.raises(OverflowError):
        m.ticket(BACKEND, {**BASE, "expected_completion_date": "0001-01-01T00:30:00"}, zone)


# ---------------------------------------------------------------- dates, property-tested


@settings(max_examples=400, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    zone=st.sampled_from(
        ["UTC", ZONE, "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Apia"]
    ),
    offset=st.none() | st.integers(min_value=-14 * 60, max_value=14 * 60),
    date_only=st.booleans(),
)
def test_local_time_is_from_datetime(moment, zone, offset, date_only):
    """Any ISO text the vendor may send, in any zone: exactly `FromDatetime`'s answer, or
    the same error where a Timestamp cannot hold it."""
    text = moment.date().isoformat() if date_only else moment.isoformat()
    if offset is not None and not date_only:
        sign = "+" if offset >= 0 else "-"
        text += f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    tz = ZoneInfo(zone)
    assert outcome(stamp, m.moment, text, tz) == outcome(ref_time, text, tz)


@pytest.mark.parametrize("zone", ["Europe/Nicosia", "America/New_York", "Australia/Lord_Howe"])
def test_every_quarter_hour_across_two_summer_time_years(zone):
    tz = ZoneInfo(zone)
    start, compared = datetime(2025, 1, 1), 0
    for step in range(0, 2 * 366 * 96, 7):  # every 105 minutes: each quarter of the hour
        text = (start + timedelta(minutes=15 * step)).isoformat()
        assert wire(stamp(m.moment, text, tz)) == wire(ref_time(text, tz))
        compared += 1
    assert compared > 10_000
