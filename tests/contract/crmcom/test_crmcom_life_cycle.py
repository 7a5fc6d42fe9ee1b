"""The life cycle: respond, response_accept, temporary_resolve, final_resolve, completion,
and the GET lists with the states they select (app.py's docstring)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

CALLER = {"number": "CI000111"}  # AR000001's owner, the default caller of crm.create()
TEMPORARY = {
    "category_identifier": {"code": "WRK"},
    "temporary_resolved_by_identifier": {"username": "andreas.pavlou"},
    "temporary_resolution_date": "2030-03-01T10:00:00",
    "description": "Rebooted the router",
}
FINAL = {
    "category_identifier": {"name": "Fixed"},
    "final_resolved_by_identifier": {"username": "maria.georgiou"},
    "final_resolution_date": "2030-03-02T10:00:00",
}
LISTS = (
    "get_pending",
    "get_responded_pending_acceptance",
    "get_final_resolved",
    "get_final_resolved_pending_acceptance",
    "get_completed",
)


def ident(record):
    return {"service_request_identifier": {"number": record["number"]}}


async def responded(crm, category="PROP", **changes):
    created = await crm.create(**changes)
    return await crm.data(
        "POST",
        "service_requests/respond",
        status_identifier={"name": "Responded"},
        response={"category_identifier": {"code": category}, "description": "Try a reboot"},
        **ident(created),
    )


async def accepted(crm):
    record = await responded(crm)
    return await crm.data(
        "POST", "service_requests/response_accept", accepted_by_identifier=CALLER, **ident(record)
    )


async def in_list(crm, method, record, **params):
    listed = await crm.data("GET", f"service_requests/{method}", **params)
    return record["number"] in crm.numbers(listed)


async def memberships(crm, record):
    return {name for name in LISTS if await in_list(crm, name, record)}


async def test_respond_moves_pending_to_responded(crm):
    created = await crm.create()
    assert await memberships(crm, created) == {"get_pending"}
    later = _later(created, 5)
    crm.state.clock = lambda: later
    answer = await crm.data(
        "POST",
        "service_requests/respond",
        status_identifier={"alternative_code": "R"},
        response={
            "category_identifier": {"name": "Proposed Solution"},
            "description": "Try a reboot",
        },
        description="Router drops",
        notes="Called the customer",
        **ident(created),
    )
    assert answer["life_cycle_state"] == "RESPONDED" and answer["status"]["name"] == "Responded"
    assert answer["description"] == "Router drops" and answer["notes"] == "Called the customer"
    response = answer["response"]
    assert response["category"]["code"] == "PROP" and response["description"] == "Try a reboot"
    assert response["responded_by"]["username"] == "deskbridge"
    assert response["accepted_by"] is None and response["accepted_date"] is None
    log = answer["log_information"]
    assert log["updated_date"] == response["response_date"] != log["created_date"]
    assert await memberships(crm, answer) == {"get_responded_pending_acceptance"}


def _later(record, seconds):
    created = datetime.fromisoformat(record["log_information"]["created_date"])
    return created.replace(tzinfo=ZoneInfo("UTC")).timestamp() + seconds


async def test_respond_refusals(crm):
    created = await crm.create()
    base = {
        "status_identifier": {"name": "Responded"},
        "response": {"category_identifier": {"code": "ACK"}},
    }
    cases = [
        ({"response": base["response"]}, "status_identifier is mandatory"),
        (
            {**base, "status_identifier": {"name": "Open"}},
            "status_identifier must be a status of life cycle state RESPONDED",
        ),
        ({"status_identifier": base["status_identifier"]}, "response is mandatory"),
        ({**base, "response": {"description": "x"}}, "response.category_identifier is mandatory"),
        (
            {**base, "response": {"category_identifier": {"code": "FIX"}}},
            "response.category_identifier not found",
        ),
    ]
    for body, message in cases:
        status = await crm.error("POST", "service_requests/respond", **body, **ident(created))
        assert status["message"] == message
    completed = next(r for r in crm.state.requests.values() if crm.state.is_completed(r))
    status = await crm.error("POST", "service_requests/respond", **base, **ident(completed))
    assert (
        status["message"]
        == "respond is not allowed for a service request in life cycle state COMPLETED"
    )
    assert (await crm.data("GET", "service_requests/show", **ident(created)))["response"] is None


async def test_a_response_without_acceptance_is_not_pending_acceptance(crm):
    record = await responded(crm, category="ACK")
    assert await memberships(crm, record) == set()
    status = await crm.error(
        "POST", "service_requests/response_accept", accepted_by_identifier=CALLER, **ident(record)
    )
    assert status["message"] == "The response of this service request cannot be accepted"
    assert status["description"] == "its response category does not require customer acceptance"
    # and it may be temporary resolved straight away
    resolved = await crm.data(
        "POST",
        "service_requests/temporary_resolve",
        temporary_resolution=TEMPORARY,
        **ident(record),
    )
    assert resolved["life_cycle_state"] == "TEMPORARY_RESOLVED"


async def test_response_accept(crm):
    record = await responded(crm)
    missing = await crm.error("POST", "service_requests/response_accept", **ident(record))
    assert missing["message"] == "accepted_by_identifier is mandatory"
    stranger = await crm.error(
        "POST",
        "service_requests/response_accept",
        accepted_by_identifier={"number": "CI000116"},
        **ident(record),
    )
    assert (
        stranger["message"]
        == "accepted_by_identifier must be the caller or a contact related with the caller"
    )
    answer = await crm.data(
        "POST",
        "service_requests/response_accept",
        accepted_by_identifier=CALLER,
        notes="accepted by phone",
        **ident(record),
    )
    assert answer["life_cycle_state"] == "RESPONDED"
    assert answer["response"]["accepted_by"]["number"] == "CI000111"
    assert answer["response"]["accepted_date"] == answer["log_information"]["updated_date"]
    assert answer["notes"] == "accepted by phone"
    assert not await in_list(crm, "get_responded_pending_acceptance", answer)
    again = await crm.error(
        "POST", "service_requests/response_accept", accepted_by_identifier=CALLER, **ident(record)
    )
    assert again["description"] == "its response is already accepted"
    pending = await crm.create()
    none = await crm.error(
        "POST", "service_requests/response_accept", accepted_by_identifier=CALLER, **ident(pending)
    )
    assert none["description"] == "it has no response"


async def test_a_related_contact_may_accept(crm):
    record = await responded(
        crm,
        accounts_receivable_identifier={"number": "AR000004"},
        contact_information_identifier={"number": "CI000116"},
    )
    answer = await crm.data(
        "POST",
        "service_requests/response_accept",
        accepted_by_identifier={"number": "CI000114"},
        **ident(record),
    )
    assert answer["response"]["accepted_by"]["name"] == "Kypros Telecom Ltd"


async def test_acceptor_relation_setting(start):
    crm = await start(acceptor_must_relate_to_caller=False)
    record = await responded(crm)
    answer = await crm.data(
        "POST",
        "service_requests/response_accept",
        accepted_by_identifier={"number": "CI000118"},
        **ident(record),
    )
    assert answer["response"]["accepted_by"]["number"] == "CI000118"


async def test_temporary_resolve(crm):
    pending_acceptance = await responded(crm)
    blocked = await crm.error(
        "POST",
        "service_requests/temporary_resolve",
        temporary_resolution=TEMPORARY,
        **ident(pending_acceptance),
    )
    assert (
        blocked["message"]
        == "The service request cannot be temporary resolved: the response is not accepted"
    )
    record = await accepted(crm)
    for missing in (
        "category_identifier",
        "temporary_resolved_by_identifier",
        "temporary_resolution_date",
    ):
        body = {k: v for k, v in TEMPORARY.items() if k != missing}
        status = await crm.error(
            "POST", "service_requests/temporary_resolve", temporary_resolution=body, **ident(record)
        )
        assert status["message"] == f"temporary_resolution.{missing} is mandatory"
    answer = await crm.data(
        "POST",
        "service_requests/temporary_resolve",
        temporary_resolution=TEMPORARY,
        **ident(record),
    )
    assert answer["life_cycle_state"] == "TEMPORARY_RESOLVED"
    assert answer["status"]["name"] == "Temporary Resolved"  # no status parameter [seed]
    resolution = answer["temporary_resolution"]
    assert resolution["category"]["name"] == "Workaround"
    assert resolution["temporary_resolved_by"]["person_name"] == "Andreas Pavlou"
    assert resolution["temporary_resolution_date"] == "2030-03-01T10:00:00"
    assert resolution["description"] == "Rebooted the router" and resolution["accepted_by"] is None
    assert await memberships(crm, answer) == set()
    pending = await crm.create()
    status = await crm.error(
        "POST",
        "service_requests/temporary_resolve",
        temporary_resolution=TEMPORARY,
        **ident(pending),
    )
    assert (
        status["message"]
        == "temporary_resolve is not allowed for a service request in life cycle state PENDING"
    )


async def test_enforce_acceptance_setting(start):
    crm = await start(enforce_acceptance=False)
    record = await responded(crm)
    answer = await crm.data(
        "POST",
        "service_requests/temporary_resolve",
        temporary_resolution=TEMPORARY,
        **ident(record),
    )
    assert answer["life_cycle_state"] == "TEMPORARY_RESOLVED"
    final = await crm.data(
        "POST",
        "service_requests/final_resolve",
        status_identifier={"name": "Resolved"},
        final_resolution=FINAL,
        **ident(record),
    )
    assert final["life_cycle_state"] == "FINAL_RESOLVED"


async def test_final_resolve_then_completion_by_final_acceptance(crm):
    record = await accepted(crm)
    record = await crm.data(
        "POST",
        "service_requests/temporary_resolve",
        temporary_resolution=TEMPORARY,
        **ident(record),
    )
    final_body = {"status_identifier": {"name": "Resolved"}, "final_resolution": FINAL}
    blocked = await crm.error(
        "POST", "service_requests/final_resolve", **final_body, **ident(record)
    )
    assert blocked["message"] == (
        "The service request cannot be final resolved: the temporary resolution is not accepted"
    )
    # the temporary resolution is accepted through update, which then needs a status [seed]
    record = await crm.data(
        "POST",
        "service_requests/update",
        status_identifier={"name": "Temporary Resolved"},
        temporary_resolution={"accepted_by_identifier": CALLER},
        **ident(record),
    )
    assert record["temporary_resolution"]["accepted_by"]["number"] == "CI000111"
    wrong = await crm.error(
        "POST",
        "service_requests/final_resolve",
        status_identifier={"name": "Open"},
        final_resolution=FINAL,
        **ident(record),
    )
    assert (
        wrong["message"] == "status_identifier must be a status of life cycle state FINAL_RESOLVED"
    )
    resolved = await crm.data(
        "POST", "service_requests/final_resolve", **final_body, **ident(record)
    )
    assert (
        resolved["life_cycle_state"] == "FINAL_RESOLVED"
        and resolved["status"]["name"] == "Resolved"
    )
    assert resolved["final_resolution"]["final_resolved_by"]["username"] == "maria.georgiou"
    assert resolved["final_resolution"]["accepted_by"] is None
    assert await memberships(crm, resolved) == {
        "get_final_resolved",
        "get_final_resolved_pending_acceptance",
    }
    # sent again, the object changes what it names: the acceptance completes the request
    completed = await crm.data(
        "POST",
        "service_requests/final_resolve",
        status_identifier={"name": "Closed"},
        final_resolution={"accepted_by_identifier": CALLER},
        **ident(record),
    )
    assert completed["life_cycle_state"] == "FINAL_RESOLVED"
    assert completed["final_resolution"]["accepted_by"]["number"] == "CI000111"
    assert completed["final_resolution"]["final_resolution_date"] == "2030-03-02T10:00:00"
    assert await memberships(crm, completed) == {"get_final_resolved", "get_completed"}
    again = await crm.error("POST", "service_requests/final_resolve", **final_body, **ident(record))
    assert "COMPLETED" in again["message"]


async def test_final_resolve_with_the_acceptance_completes_at_once(crm):
    record = await accepted(crm)
    completed = await crm.data(
        "POST",
        "service_requests/final_resolve",
        status_identifier={"name": "Closed"},
        final_resolution={**FINAL, "accepted_by_identifier": CALLER},
        **ident(record),
    )
    assert await memberships(crm, completed) == {"get_final_resolved", "get_completed"}
    for missing in ("final_resolved_by_identifier", "final_resolution_date"):
        fresh = await accepted(crm)
        body = {k: v for k, v in FINAL.items() if k != missing}
        status = await crm.error(
            "POST",
            "service_requests/final_resolve",
            status_identifier={"name": "Resolved"},
            final_resolution=body,
            **ident(fresh),
        )
        assert status["message"] == f"final_resolution.{missing} is mandatory"


async def test_completion_by_update(crm):
    pending_final = next(
        r
        for r in crm.state.requests.values()
        if crm.state.status_state(r) == "FINAL_RESOLVED" and not crm.state.is_completed(r)
    )
    without_status = await crm.error(
        "POST",
        "service_requests/update",
        final_resolution={"accepted_by_identifier": {"id": pending_final["contact_id"]}},
        **ident(pending_final),
    )
    assert without_status["message"].startswith("status_identifier is mandatory")
    completed = await crm.data(
        "POST",
        "service_requests/update",
        status_identifier={"name": "Closed"},
        final_resolution={"accepted_by_identifier": {"id": pending_final["contact_id"]}},
        **ident(pending_final),
    )
    assert completed["final_resolution"]["accepted_by"]["id"] == pending_final["contact_id"]
    assert await in_list(crm, "get_completed", completed)
    assert not await in_list(crm, "get_final_resolved_pending_acceptance", completed)


async def test_completed_life_cycle_state_setting(start):
    crm = await start(completed_life_cycle_state=True)
    completed = next(r for r in crm.state.requests.values() if crm.state.is_completed(r))
    shown = await crm.data("GET", "service_requests/show", **ident(completed))
    assert shown["life_cycle_state"] == "COMPLETED"
    assert await memberships(crm, shown) == {"get_completed"}


async def test_each_list_selects_its_seeded_requests(crm):
    state = crm.state

    def numbers(pick):
        return sorted(r["number"] for r in state.requests.values() if pick(r))

    def waiting(r):
        response = r["response"]
        category = response and state.response_categories[response["category_id"]]
        return bool(
            category and category["requires_customer_acceptance"] and not response["accepted_by_id"]
        )

    expected = {
        "get_pending": numbers(lambda r: state.status_state(r) == "PENDING"),
        "get_responded_pending_acceptance": numbers(
            lambda r: state.status_state(r) == "RESPONDED" and waiting(r)
        ),
        "get_final_resolved": numbers(lambda r: state.status_state(r) == "FINAL_RESOLVED"),
        "get_final_resolved_pending_acceptance": numbers(
            lambda r: (
                state.status_state(r) == "FINAL_RESOLVED"
                and not r["final_resolution"]["accepted_by_id"]
            )
        ),
        "get_completed": numbers(state.is_completed),
    }
    for method, wanted in expected.items():
        assert wanted, method  # the seed covers every situation
        listed = await crm.data("GET", f"service_requests/{method}")
        assert crm.numbers(listed) == wanted, method
    assert len(expected["get_pending"]) + len(expected["get_final_resolved"]) < 30
    assert set(expected["get_completed"]) < set(expected["get_final_resolved"])


@pytest.mark.parametrize("method", [*LISTS, "get_close_to_estimated_completion_time"])
async def test_list_identifiers_are_optional_filters(crm, method):
    period = {"period": 100, "uot": "YEARS"} if method.startswith("get_close") else {}
    everything = await crm.data("GET", f"service_requests/{method}", **period)
    account = crm.find("accounts", number="AR000004")
    mine = await crm.data(
        "GET",
        f"service_requests/{method}",
        accounts_receivable_identifier={"id": account["id"]},
        **period,
    )
    assert all(r["accounts_receivable"]["number"] == "AR000004" for r in mine)
    assert crm.numbers(mine) == [
        r["number"] for r in everything if r["accounts_receivable"]["number"] == "AR000004"
    ]
    typed = await crm.data(
        "GET", f"service_requests/{method}", type_identifier={"name": "Installation"}, **period
    )
    assert crm.numbers(typed) == [
        r["number"] for r in everything if r["type"]["name"] == "Installation"
    ]
    unknown = await crm.error(
        "GET", f"service_requests/{method}", type_identifier={"name": "Nope"}, **period
    )
    assert unknown["message"] == "type_identifier not found"


async def test_caller_and_category_filter_the_state_lists(crm):
    caller = crm.find("contacts", number="CI000111")
    category = crm.find("categories", code="NET")
    everything = await crm.data("GET", "service_requests/get_pending")
    mine = await crm.data(
        "GET",
        "service_requests/get_pending",
        caller_identifier={"id": caller["id"]},
        category_identifier={"code": "NET"},
    )
    expected = [
        r["number"]
        for r in everything
        if r["contact_information"]["id"] == caller["id"] and r["category"]["id"] == category["id"]
    ]
    assert crm.numbers(mine) == expected


async def test_close_to_estimated_completion_time(start):
    crm = await start(request_count=0)
    now = datetime(2031, 5, 10, 12, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    crm.state.clock = lambda: now
    crm.token = crm.new_token()
    made = {}
    for label, due in (
        ("30m", "12:30"),
        ("3h", "15:00"),
        ("2d", "2031-05-12T12:00:00"),
        ("late", "11:00"),
    ):
        date = due if "T" in due else f"2031-05-10T{due}:00"
        made[label] = (
            await crm.create(start_date="2031-05-10T10:00:00", expected_completion_date=date)
        )["number"]
    await crm.create(
        start_date="2031-05-10T10:00:00",
        expected_completion_date="2031-05-10T12:10:00",
        accounts_receivable_identifier={"number": "AR000002"},
    )
    far = await crm.create(
        start_date="2031-05-10T10:00:00",
        estimated_completion_time={"time_period": 2, "uot": "MONTHS"},
    )
    assert far["expected_completion_date"] == "2031-07-10T10:00:00"
    await crm.create()  # no expected completion date

    async def close(period, uot, **params):
        listed = await crm.data(
            "GET",
            "service_requests/get_close_to_estimated_completion_time",
            period=period,
            uot=uot,
            accounts_receivable_identifier={"number": "AR000001"},
            **params,
        )
        return crm.numbers(listed)

    assert await close(1, "HOURS") == [made["30m"]]
    assert await close(180, "MINUTES") == [made["30m"], made["3h"]]
    assert await close(3, "DAYS") == [made["30m"], made["3h"], made["2d"]]
    assert await close(1, "WEEKS") == await close(3, "DAYS")
    assert await close(2, "MONTHS") == [made["30m"], made["3h"], made["2d"], far["number"]]
    assert len(await close(1, "YEARS")) == 4
    # [seed] caller_identifier is no filter of this method: ignored
    assert await close(1, "HOURS", caller_identifier={"number": "CI000118"}) == [made["30m"]]
    for params, words in (
        ({"uot": "HOURS"}, "period is mandatory"),
        ({"period": 1}, "uot is mandatory"),
        ({"period": 1, "uot": "DECADES"}, "uot must be one of"),
        ({"period": "x", "uot": "DAYS"}, "period must be a number"),
    ):
        status = await crm.error(
            "GET", "service_requests/get_close_to_estimated_completion_time", **params
        )
        assert status["message"].startswith(words), params


async def test_close_to_skips_final_resolved_and_may_include_overdue(start):
    crm = await start(request_count=0, close_includes_overdue=True)
    base = crm.state.clock()
    crm.state.clock = lambda: base
    soon = await accepted(crm)
    soon = await crm.data(
        "POST", "service_requests/update", expected_completion_date=_iso(base + 600), **ident(soon)
    )
    late = await crm.create(
        start_date=_iso(base - 7200), expected_completion_date=_iso(base - 3600)
    )
    listed = await crm.data(
        "GET", "service_requests/get_close_to_estimated_completion_time", period=1, uot="HOURS"
    )
    assert crm.numbers(listed) == sorted([soon["number"], late["number"]])
    await crm.data(
        "POST",
        "service_requests/final_resolve",
        status_identifier={"name": "Resolved"},
        final_resolution=FINAL,
        **ident(soon),
    )
    listed = await crm.data(
        "GET", "service_requests/get_close_to_estimated_completion_time", period=1, uot="HOURS"
    )
    assert crm.numbers(listed) == [late["number"]]


def _iso(ts):
    return datetime.fromtimestamp(int(ts), ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S")


async def test_paging_setting(start):
    crm = await start(list_page_size=2)
    everything = [
        r["number"]
        for r in sorted(crm.state.requests.values(), key=lambda r: r["number"])
        if crm.state.status_state(r) == "PENDING"
    ]
    first = await crm.data("GET", "service_requests/get_pending")
    second = await crm.data("GET", "service_requests/get_pending", page=2)
    assert crm.numbers(first) == everything[:2] and crm.numbers(second) == everything[2:4]
    bigger = await crm.data("GET", "service_requests/get_pending", records_per_page=5)
    assert crm.numbers(bigger) == everything[:5]
    assert (await crm.error("GET", "service_requests/get_pending", page=0))[
        "message"
    ] == "page must be >= 1"


async def test_no_paging_by_default(crm):
    listed = await crm.data("GET", "service_requests/get_pending", page=2, records_per_page=1)
    assert (
        len(listed)
        == sum(1 for r in crm.state.requests.values() if crm.state.status_state(r) == "PENDING")
        > 1
    )
