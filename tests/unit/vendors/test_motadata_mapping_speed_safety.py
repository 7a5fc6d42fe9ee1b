"""Motadata's mapping, written for speed, says exactly what the plain one says.

`vendors/motadata/mapping.py` fills messages in place, reads each time once, parses
conversation times without strptime and caches escaped location names. Every record the
sandbox serves (over real HTTP, through the adapter's own client), and odd shapes a real
instance might send, are mapped both ways here and compared byte for byte
(`SerializeToString(deterministic=True)`): the reference below is the mapping written the
straightforward way, with protobuf's own helpers (`FromMilliseconds`, `strptime` +
`FromDatetime`, `Struct.update`, messages built from keywords and copied into responses).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx
import pytest
from google.protobuf.struct_pb2 import Struct
from google.protobuf.timestamp_pb2 import Timestamp
from hypothesis import given, settings
from hypothesis import strategies as st

from deskbridge.runtime.errors import ApiError, bad_field
from deskbridge.runtime.upstream import FixedAuth, Upstream
from deskbridge.runtime.validation import MAX_SECONDS, MIN_SECONDS
from deskbridge.sandbox.motadata import SandboxConfig, start_sandbox
from deskbridge.v1 import common_pb2, identity_pb2, tickets_pb2
from deskbridge.vendors.motadata import mapping as m
from deskbridge.vendors.motadata.client import MotadataClient
from deskbridge.vendors.motadata.tickets import MotadataTickets
from deskbridge.vendors.motadata.users import MODULES

BACKEND = "md"
ZONE = "Asia/Kolkata"  # conversation times in a zone with an offset, not UTC
APIKEY = "Apikey sandbox-apikey"
SHOWN = "%a, %b %d, %Y %I:%M %p"
MIN_MS, MAX_MS = MIN_SECONDS * 1000, MAX_SECONDS * 1000


# ---------------------------------------------------------------- the reference mapping


def ref_int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def ref_millis(value: Any) -> Timestamp | None:
    ms = ref_int(value)
    if not ms or not MIN_MS <= ms <= MAX_MS:
        return None
    stamp = Timestamp()
    stamp.FromMilliseconds(ms)
    return stamp


def ref_shown(value: Any, zone: ZoneInfo) -> Timestamp | None:
    if not isinstance(value, str) or not value:
        return ref_millis(value)
    try:
        moment = datetime.strptime(value.strip(), SHOWN).replace(tzinfo=zone)
    except ValueError:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def ref_text(value: Any) -> str:
    return str(value or "")


def ref_name(collection: str, value: Any) -> str:
    identifier = ref_int(value)
    return f"backends/{BACKEND}/{collection}/{identifier}" if identifier else ""


def ref_struct(record: Mapping[str, Any]) -> Struct:
    struct = Struct()
    struct.update(json.loads(json.dumps(record)))  # keys as JSON has them: text
    return struct


def ref_value(identifier: Any, label: Any) -> common_pb2.VendorValue:
    return common_pb2.VendorValue(
        id="" if identifier is None or identifier == "" else str(identifier),
        label=str(label) if label else "",
    )


def ref_custom(label: str, raw: Any) -> common_pb2.CustomFieldValue:
    base = {"field_id": label, "label": label}
    if isinstance(raw, bool):
        return common_pb2.CustomFieldValue(
            **base, type=common_pb2.CUSTOM_FIELD_TYPE_BOOLEAN, bool_value=raw
        )
    if isinstance(raw, int | float):
        return common_pb2.CustomFieldValue(
            **base, type=common_pb2.CUSTOM_FIELD_TYPE_NUMBER, number_value=raw
        )
    if isinstance(raw, list):
        values = common_pb2.StringList(values=[str(v) for v in raw])
        return common_pb2.CustomFieldValue(
            **base, type=common_pb2.CUSTOM_FIELD_TYPE_TEXT, string_list_value=values
        )
    text = "" if raw is None else str(raw)
    return common_pb2.CustomFieldValue(
        **base, type=common_pb2.CUSTOM_FIELD_TYPE_TEXT, string_value=text
    )


def ref_customs(fields: Any) -> list[common_pb2.CustomFieldValue]:
    if not isinstance(fields, Mapping):
        return []
    return [ref_custom(str(k), v) for k, v in fields.items()]


def ref_record(record: Mapping[str, Any], display_id: str, created, updated):
    return common_pb2.VendorRecord(
        backend=BACKEND,
        vendor=common_pb2.VENDOR_MOTADATA,
        remote_id=str(record.get("id", "")),
        display_id=display_id,
        remote_data=ref_struct(record),
        create_time=created,
        update_time=updated,
    )


def ref_location(value: Any) -> str:
    return f"backends/{BACKEND}/locations/{quote(str(value), safe='')}" if value else ""


def reference_ticket(record: Mapping[str, Any]) -> tickets_pb2.Ticket:
    get = record.get
    identifier = ref_int(get("id"))
    status, priority = ref_text(get("statusName")), ref_text(get("priorityName"))
    created, updated = ref_millis(get("createdTime")), ref_millis(get("updatedTime"))
    attachments = [
        f"backends/{BACKEND}/tickets/{identifier}/attachments/"
        + quote(str(a["refFileName"]), safe="")
        for a in get("fileAttachments") or []
        if isinstance(a, Mapping) and a.get("refFileName")
    ]
    assets = [
        tickets_pb2.LinkedAsset(
            model=ref_text(a.get("assetModel")), asset_id=ref_text(a.get("assetId"))
        )
        for a in get("linkAssetIds") or []
        if isinstance(a, Mapping)
    ]
    return tickets_pb2.Ticket(
        name=f"backends/{BACKEND}/tickets/{identifier}",
        title=ref_text(get("subject")),
        description=ref_text(get("description")),
        state=m.STATES.get(status.lower(), 0),
        priority=m.PRIORITIES.get(priority.lower(), 0),
        category=ref_name("ticketCategories", get("categoryId")),
        category_display_name=ref_text(get("categoryName")),
        requester=ref_name("users", get("requesterId")),
        requester_email=ref_text(get("requesterEmail")),
        assignee=ref_name("users", get("technicianId")),
        help_desk=ref_name("helpDesks", get("groupId")),
        location=ref_location(get("locationName")),
        department=ref_text(get("departmentName")),
        support_level=ref_text(get("supportLevel")),
        tags=[str(t) for t in get("tags") or []],
        cc_emails=[str(e) for e in get("ccEmailSet") or []],
        spam=bool(get("spam")),
        etag=ref_text(get("updatedTime")),
        vendor_record=ref_record(record, str(get("name") or f"#{identifier}"), created, updated),
        vendor_state=ref_value(get("statusId"), status),
        vendor_priority=ref_value(get("priorityId"), priority),
        impact=ref_value(get("impactId"), get("impactName")),
        urgency=ref_value(get("urgencyId"), get("urgencyName")),
        vendor_source=ref_value(None, get("source")),
        vendor_type=common_pb2.VendorValue(),
        linked_assets=assets,
        attachments=attachments,
        custom_fields=ref_customs(get("customField")),
        create_time=created,
        update_time=updated,
        solve_time=ref_millis(get("resolvedTime")),
        close_time=ref_millis(get("lastClosedTime")),
    )


def reference_comment(ticket_id: str, record: Mapping[str, Any], zone: ZoneInfo):
    get = record.get
    kind = ref_text(get("conversationType"))
    created, updated = ref_shown(get("createdTime"), zone), ref_shown(get("updatedTime"), zone)
    return tickets_pb2.Comment(
        name=f"backends/{BACKEND}/tickets/{ticket_id}/comments/{get('id')}",
        body=ref_text(get("details")),
        visibility=tickets_pb2.COMMENT_VISIBILITY_INTERNAL
        if kind == "note"
        else tickets_pb2.COMMENT_VISIBILITY_PUBLIC,
        conversation_type=kind,
        subject=ref_text(get("subject")),
        email_ids=[str(e) for e in get("emailIds") or []],
        cc_email_ids=[str(e) for e in get("ccEmailIds") or []],
        vendor_record=ref_record(record, "", created, updated),
        create_time=created,
        update_time=updated,
    )


def reference_user(record: Mapping[str, Any], kind: int) -> identity_pb2.User:
    get = record.get
    full = ref_text(get("name"))
    given, _, family = full.partition(" ")
    created, updated = ref_millis(get("createdTime")), ref_millis(get("updatedTime"))
    return identity_pb2.User(
        name=f"backends/{BACKEND}/users/{ref_int(get('id'))}",
        given_name=given,
        family_name=family,
        display_name=full,
        username=ref_text(get("userLogOnName")),
        email=ref_text(get("email")),
        department=ref_text(get("departmentName")),
        location=ref_location(get("locationName")),
        kind=kind,
        company_names=[str(get("companyName"))] if get("companyName") else [],
        vip=bool(get("vipRequester")),
        verified=bool(get("verified")),
        allow_login=bool(get("allowToLogin")),
        etag=ref_text(get("updatedTime")),
        phones=identity_pb2.PhoneNumbers(
            phone=ref_text(get("contactNo")),
            mobile=ref_text(get("altContactNo1")),
            other=ref_text(get("altContactNo2")),
        ),
        vendor_record=ref_record(record, "", created, updated),
        custom_fields=ref_customs(get("customField")),
        create_time=created,
        update_time=updated,
    )


def wire(message: Any) -> bytes:
    return message.SerializeToString(deterministic=True)


# ---------------------------------------------------------------- the sandbox over HTTP


@pytest.fixture(scope="module")
async def served():
    """A sandbox of 120 requests (conversation times in Asia/Kolkata), one of them made with
    custom fields, attachments and linked assets; an httpx client reading what it serves and
    the adapter's ticket side bound to it through its own HTTP client."""
    handle = await start_sandbox(SandboxConfig(seed=13, request_count=120, time_zone=ZONE))
    http = httpx.AsyncClient(base_url=handle.url + "/api/v1/", headers={"Authorization": APIKEY})
    made = await http.post(
        "request",
        json={
            "subject": "With every extra",
            "requesterEmail": "a@b.com",
            "customField": {"New Number": 4.5, "New Text Input": "x", "New Dropdown": None},
            "fileAttachments": [{"refFileName": "a b/ä.txt", "realName": "ä.txt"}],
            "linkAssetIds": [{"assetModel": "hardware", "assetId": 7}],
            "tags": ["vip"],
            "ccEmailSet": ["cc@example.com"],
        },
    )
    assert made.status_code == 200, made.text
    upstream = Upstream(
        backend=BACKEND, vendor="motadata", base_url=handle.url, auth=FixedAuth(APIKEY)
    )
    tickets = MotadataTickets(BACKEND, MotadataClient(upstream), {"time_zone": ZONE})
    yield http, tickets
    await upstream.aclose()
    await http.aclose()
    await handle.stop()


async def all_requests(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    answer = await http.post("request/search/byqual", params={"size": 2000}, json={})
    return answer.json()["objectList"]


async def test_get_ticket_is_the_reference_for_every_request_served(served):
    http, tickets = served
    compared = 0
    for listed in await all_requests(http):
        record = (await http.get(f"request/{listed['id']}")).json()
        name = f"backends/{BACKEND}/tickets/{record['id']}"
        got = await tickets.get(tickets_pb2.GetTicketRequest(name=name))
        assert wire(got) == wire(tickets_pb2.GetTicketResponse(ticket=reference_ticket(record)))
        compared += 1
    assert compared == 121


async def test_a_list_page_and_a_batch_are_the_reference_tickets(served):
    http, tickets = served
    records = sorted(await all_requests(http), key=lambda r: r["id"])
    listed = await tickets.list(tickets_pb2.ListTicketsRequest(page_size=50))
    assert [wire(t) for t in listed.tickets] == [wire(reference_ticket(r)) for r in records[:50]]
    wanted = records[70:100][::-1]
    names = [f"backends/{BACKEND}/tickets/{r['id']}" for r in wanted]
    batch = await tickets.batch_get(tickets_pb2.BatchGetTicketsRequest(names=names))
    assert [wire(t) for t in batch.tickets] == [wire(reference_ticket(r)) for r in wanted]


async def test_every_conversation_is_the_reference_comment(served):
    http, tickets = served
    zone, compared = ZoneInfo(ZONE), 0
    for record in await all_requests(http):
        rows = (await http.get(f"request/{record['id']}/conversation")).json()
        for row in rows:
            got = tickets.comment(record["id"], row)
            assert wire(got) == wire(reference_comment(str(record["id"]), row, zone))
            compared += 1
    assert compared > 100


async def test_every_user_is_the_reference_user(served):
    http, _ = served
    compared = 0
    for module, kind in MODULES.items():
        answer = await http.post(f"{module}/search/byqual", params={"size": 2000}, json={})
        for record in answer.json()["objectList"]:
            assert wire(m.user(BACKEND, record, kind)) == wire(reference_user(record, kind))
            compared += 1
    assert compared > 10


# ---------------------------------------------------------------- shapes a sandbox never sends

BASE = {
    "id": 9,
    "name": "INC-9",
    "subject": "VPN is down",
    "createdTime": 1_752_683_580_123,
    "updatedTime": 1_752_690_000_456,
    "statusName": "Resolved",
    "statusId": 12,
    "priorityName": "High",
    "priorityId": 3,
    "locationName": "Head Office",
    "customField": {},
    "tags": [],
}
MISSING = ...


@pytest.mark.parametrize(
    "changes",
    [
        {"id": "123", "requesterId": "5", "technicianId": "9", "groupId": "2", "categoryId": "3"},
        {"id": 0, "requesterId": 0, "technicianId": False, "groupId": True, "categoryId": "x"},
        {"createdTime": "1700000000123", "resolvedTime": 0, "lastClosedTime": ""},
        {"createdTime": -5, "updatedTime": 10**16, "resolvedTime": 1, "lastClosedTime": MAX_MS},
        {"createdTime": MAX_MS + 1, "updatedTime": MIN_MS, "resolvedTime": MIN_MS - 1},
        {
            "createdTime": MAX_MS + 999,
            "updatedTime": -1,
            "resolvedTime": 999,
            "lastClosedTime": -999,
        },
        {"createdTime": 1.5e12, "updatedTime": 1_700_000_000_000.7, "resolvedTime": "abc"},
        {"createdTime": True, "updatedTime": None},
        {"statusName": "IN PROGRESS", "priorityName": "Urgent", "statusId": "10"},
        {"statusName": None, "priorityName": None, "statusId": None, "priorityId": None},
        {"statusName": 5, "priorityName": 3.5, "impactName": "", "urgencyName": 0, "urgencyId": 0},
        {"customField": {"b": True, "n": 3, "f": 2.5, "l": [1, "a", None], "s": "t", "z": None}},
        {"customField": {"obj": {"k": 1}, "empty": []}},
        {"customField": [1, 2], "fileAttachments": {"x": 1}, "linkAssetIds": "no", "tags": None},
        {"fileAttachments": [{"refFileName": ""}, {"refFileName": "ä/ö?x"}, "s", {"x": 1}]},
        {"linkAssetIds": [{"assetModel": None, "assetId": 0}, {"assetModel": "m"}, 5]},
        {"tags": [1, None, "a"], "ccEmailSet": ["a@b.com"], "spam": 1, "subject": 7},
        {"locationName": "Head Office/ä b?", "departmentName": None, "source": None},
        {"locationName": 0, "name": None},
        {"name": "", "id": None},
        {"id": MISSING, "name": MISSING, "subject": MISSING, "createdTime": MISSING},
        {"extra": {"nested": {"deep": [1, {"a": None}]}, "empty": {}}, "description": "x" * 999},
    ],
)
def test_odd_shapes_map_as_the_reference_does(changes):
    record = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is MISSING:
            record.pop(key)
        else:
            record[key] = value
    assert wire(m.ticket(BACKEND, record)) == wire(reference_ticket(record))
    filled = tickets_pb2.GetTicketResponse()
    m.ticket(BACKEND, record, filled.ticket)
    assert wire(filled) == wire(tickets_pb2.GetTicketResponse(ticket=reference_ticket(record)))


def test_a_location_name_is_escaped_the_same_way_when_cached():
    first = m.location_name(BACKEND, "Data Center/2")
    assert first == m.location_name(BACKEND, "Data Center/2") == ref_location("Data Center/2")
    assert m.location_name("other", "Data Center/2") == "backends/other/locations/Data%20Center%2F2"


# ---------------------------------------------------------------- conversation times

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Xyz"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@settings(max_examples=3000, deadline=None)
@given(
    day_name=st.sampled_from(DAYS),
    month=st.sampled_from([*MONTHS, "Foo", "jul", "JUL"]),
    day=st.integers(0, 39),
    year=st.integers(1, 9999),
    hour=st.integers(0, 13),
    minute=st.integers(0, 61),
    half=st.sampled_from(["am", "pm", "AM", "Pm"]),
    pad=st.sampled_from(["", " ", "  "]),
    zone=st.sampled_from(["UTC", "Asia/Kolkata", "America/New_York", "Europe/London"]),
)
def test_a_shown_time_reads_as_strptime_reads_it(
    day_name, month, day, year, hour, minute, half, pad, zone
):
    """Any text in or near the instance's shape, in zones with DST and offsets: the same
    Timestamp as strptime + FromDatetime, or None where strptime refuses it."""
    text = f"{pad}{day_name}, {month} {day:02d}, {year:04d} {hour:02d}:{minute:02d} {half}{pad}"
    assert_reads_as_strptime(text, ZoneInfo(zone))


def assert_reads_as_strptime(text: str, zone: ZoneInfo) -> None:
    try:
        expected = ref_shown(text, zone)
    except OverflowError:  # FromDatetime's own, for year 1 or 9999 across the zone's offset
        with pytest.raises(OverflowError):
            m.conversation_time(text, zone)
        return
    got = m.conversation_time(text, zone)
    assert (got is None) == (expected is None), text
    if expected is not None:
        assert wire(got) == wire(expected), text


@pytest.mark.parametrize(
    "text",
    [
        "Sun, Mar 09, 2025 02:30 am",  # New York: a time the DST change skips
        "Sun, Nov 02, 2025 01:30 am",  # New York: a time it repeats
        "Wed, Jul 16, 2025 12:00 am",
        "Wed, Jul 16, 2025 12:59 pm",
        "Sat, Feb 29, 2025 10:00 am",  # no such day
        "Thu, Feb 29, 2024 10:00 am",
        "Mon, Jan 01, 0001 12:00 am",  # a year whose conversion may overflow: strptime's path
        "Fri, Dec 31, 9999 11:59 pm",
        "Wed, Jul 6, 2025 04:33 pm",  # one digit: not the instance's shape, strptime's path
        "Wed,  Jul 16, 2025 04:33 pm",
        "",
        "not a time",
    ],
)
def test_edge_shown_times_read_as_strptime_reads_them(text):
    assert_reads_as_strptime(text, ZoneInfo("America/New_York"))
    assert_reads_as_strptime(text, ZoneInfo("Asia/Kolkata"))


# ---------------------------------------------------------------- ticket names


def reference_ticket_id(name: str, field: str) -> int:
    """The adapter's ticket id, the way every name was read before (the full parse)."""
    ids = m.TICKET.parse(name, field)
    if ids["backend"] != BACKEND:
        raise bad_field(field, f"{name!r} is not a ticket of backend {BACKEND!r}")
    return m.numeric(ids["ticket"], field)


@pytest.mark.parametrize(
    "name",
    [
        f"backends/{BACKEND}/tickets/7",
        f"backends/{BACKEND}/tickets/0007",
        f"backends/{BACKEND}/tickets/{'9' * 18}",
        f"backends/{BACKEND}/tickets/{'9' * 19}",
        f"backends/{BACKEND}/tickets/",
        f"backends/{BACKEND}/tickets/12a",
        f"backends/{BACKEND}/tickets/١٢",
        f"backends/{BACKEND}/tickets/7/comments/1",
        "backends/other/tickets/7",
        f"backends/{BACKEND}x/tickets/7",
        "",
    ],
)
async def test_a_ticket_name_reads_as_the_full_parse_reads_it(served, name):
    _, tickets = served
    try:
        expected = reference_ticket_id(name, "name")
    except ApiError as refused:
        with pytest.raises(ApiError) as raised:
            tickets.ticket_id(name)
        assert (raised.value.code, str(raised.value)) == (refused.code, str(refused))
        return
    assert tickets.ticket_id(name) == expected
