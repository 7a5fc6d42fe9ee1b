"""service_requests/create, update, show and list (the seed's parameter tables)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
SR_KEYS = {
    "id",
    "number",
    "type",
    "status",
    "category",
    "life_cycle_state",
    "accounts_receivable",
    "contact_information",
    "caller_email",
    "caller_phone",
    "description",
    "notes",
    "urgency_level",
    "impact_level",
    "owned_by_group",
    "privacy_level",
    "assigned_to",
    "start_date",
    "expected_completion_date",
    "estimated_completion_time",
    "response",
    "temporary_resolution",
    "final_resolution",
    "referring_to",
    "services",
    "physical_goods",
    "related_service_requests",
    *(f"udf_string_{i}" for i in range(1, 9)),
    *(f"udf_float_{i}" for i in range(1, 5)),
    *(f"udf_date_{i}" for i in range(1, 5)),
    "log_information",
}


def at(text: str, zone: str = "UTC") -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


async def test_a_minimal_create(crm):
    created = await crm.create()
    assert set(created) == SR_KEYS
    assert created["number"] == "SR00000281"  # after the 30 seeded SR00000251…280
    assert len(created["id"]) == 32
    assert created["life_cycle_state"] == "PENDING"
    assert created["status"]["name"] == "Open"
    # [seed] without contact_information_identifier the caller is the account's owner
    assert created["contact_information"]["number"] == "CI000111"
    assert created["accounts_receivable"] == {
        "id": crm.find("accounts", number="AR000001")["id"],
        "number": "AR000001",
        "name": "Eleni Christodoulou",
    }
    assert created["caller_email"] is None and created["notes"] is None
    assert created["assigned_to"] == {
        "user": None,
        "group": {
            "id": crm.find("groups", name="First Line Support")["id"],
            "name": "First Line Support",
            "alternative_code": "FLS",
        },
    }
    log = created["log_information"]
    assert ISO.match(log["created_date"]) and log["created_date"] == log["updated_date"]
    assert log["created_by_user"]["username"] == "deskbridge"
    assert log["updated_by_unit"]["name"] == "Head Office"
    assert created["start_date"] == log["created_date"]
    assert created["response"] is None and created["related_service_requests"] == []
    shown = await crm.data(
        "GET", "service_requests/show", service_request_identifier={"number": "SR00000281"}
    )
    assert shown == created


@pytest.mark.parametrize(
    "name",
    [
        "type_identifier",
        "accounts_receivable_identifier",
        "status_identifier",
        "category_identifier",
        "urgency_level",
        "impact_level",
    ],
)
async def test_mandatory_create_parameters(crm, name):
    body = crm.create_body()
    del body[name]
    status = await crm.error("POST", "service_requests/create", **body)
    assert status["message"] == f"{name} is mandatory"
    assert len(crm.state.requests) == 30
    assert (await crm.create())["number"] == "SR00000281"  # the error used no number


async def test_caller_email_is_mandatory_when_the_type_emails_customers(crm):
    body = crm.create_body(type_identifier={"name": "Technical Support"})
    status = await crm.error("POST", "service_requests/create", **body)
    assert status["message"] == "caller_email is mandatory"
    assert "Technical Support" in status["description"]
    created = await crm.create(
        type_identifier={"name": "Technical Support"}, caller_email="e@example.com"
    )
    assert created["caller_email"] == "e@example.com"


async def test_caller_email_optional_from_r10(start):
    crm = await start(caller_email_optional=True)
    created = await crm.create(type_identifier={"alternative_code": "TS"})
    assert created["type"]["name"] == "Technical Support" and created["caller_email"] is None


async def test_caller_phone_is_required_when_the_type_sms_customers(crm):
    status = await crm.error(
        "POST",
        "service_requests/create",
        **crm.create_body(type_identifier={"name": "Installation"}),
    )
    assert status["message"] == "caller_phone is mandatory"
    created = await crm.create(
        type_identifier={"name": "Installation"}, caller_phone="+35799000000"
    )
    assert created["caller_phone"] == "+35799000000"


async def test_the_caller_is_the_owner_or_related_with_it(crm):
    related = await crm.create(
        accounts_receivable_identifier={"number": "AR000004"},
        contact_information_identifier={"number": "CI000116"},
    )
    assert related["contact_information"]["name"] == "Petros Kyriakou"
    status = await crm.error(
        "POST",
        "service_requests/create",
        **crm.create_body(
            accounts_receivable_identifier={"number": "AR000004"},
            contact_information_identifier={"number": "CI000111"},
        ),
    )
    assert "related with the owner" in status["message"]


async def test_urgency_and_impact_levels(crm):
    status = await crm.error(
        "POST", "service_requests/create", **crm.create_body(urgency_level="HIGH")
    )
    assert status["message"].startswith(
        "urgency_level must be one of URGENCY1, URGENCY2, URGENCY3, CUSTOM1"
    )
    status = await crm.error(
        "POST", "service_requests/create", **crm.create_body(impact_level="URGENCY1")
    )
    assert status["message"].startswith("impact_level must be one of IMPACT1")
    created = await crm.create(urgency_level="CUSTOM3", impact_level="IMPACT3")
    assert (created["urgency_level"], created["impact_level"]) == ("CUSTOM3", "IMPACT3")


async def test_estimated_completion_time_gives_the_expected_date_and_back(crm):
    start = "2030-01-31T09:00:00"
    by_time = await crm.create(
        start_date=start, estimated_completion_time={"time_period": 6, "uot": "HOURS"}
    )
    assert by_time["start_date"] == start
    assert by_time["expected_completion_date"] == "2030-01-31T15:00:00"
    assert by_time["estimated_completion_time"] == {"time_period": 6, "uot": "HOURS"}
    by_date = await crm.create(start_date=start, expected_completion_date="2030-02-03T09:00:00")
    assert by_date["estimated_completion_time"] == {"time_period": 3, "uot": "DAYS"}
    months = await crm.create(
        start_date=start, estimated_completion_time={"time_period": 1, "uot": "MONTHS"}
    )
    assert months["expected_completion_date"] == "2030-02-28T09:00:00"  # the month's last day
    both = await crm.error(
        "POST",
        "service_requests/create",
        **crm.create_body(
            estimated_completion_time={"time_period": 1, "uot": "DAYS"},
            expected_completion_date="2030-02-03T09:00:00",
        ),
    )
    assert "not both" in both["message"]
    bad_uot = await crm.error(
        "POST",
        "service_requests/create",
        **crm.create_body(estimated_completion_time={"time_period": 1, "uot": "SECONDS"}),
    )
    assert bad_uot["message"] == "uot must be one of MINUTES, HOURS, DAYS, WEEKS, MONTHS, YEARS"
    before = await crm.error(
        "POST",
        "service_requests/create",
        **crm.create_body(start_date=start, expected_completion_date="2030-01-01T00:00:00"),
    )
    assert "before the start date" in before["message"]


async def test_completion_estimate_required_setting(start):
    crm = await start(completion_estimate_required=True)
    status = await crm.error("POST", "service_requests/create", **crm.create_body())
    assert "estimated_completion_time or expected_completion_date" in status["message"]
    assert (await crm.create(estimated_completion_time={"time_period": 2, "uot": "WEEKS"}))[
        "expected_completion_date"
    ]


async def test_assigned_to_without_acr_rules(start):
    crm = await start(acr_assigns=False)
    status = await crm.error("POST", "service_requests/create", **crm.create_body())
    assert status["message"] == "assigned_to is mandatory"
    created = await crm.create(
        assigned_to={
            "user_identifier": {"username": "maria.georgiou"},
            "group_identifier": {"name": "Field Engineers"},
        }
    )
    assert created["assigned_to"]["user"]["person_name"] == "Maria Georgiou"
    assert created["assigned_to"]["group"]["alternative_code"] == "FE"
    empty = await crm.error("POST", "service_requests/create", **crm.create_body(assigned_to={}))
    assert "user_identifier or a group_identifier" in empty["message"]


async def test_the_other_create_fields(crm):
    created = await crm.create(
        notes="shared",
        caller_email="c@example.com",
        owned_by_group_identifier={"alternative_code": "FE"},
        privacy_level_identifier={"name": "Restricted"},
        udf_string_3="abc",
        udf_float_2=2,
        udf_date_1="2030-05-06",
        referring_to={"subscription_identifier": {"number": "S1"}},
        services=[{"product_identifier": {"code": "TV"}}],
        physical_goods=[],
    )
    assert created["notes"] == "shared" and created["caller_email"] == "c@example.com"
    assert created["owned_by_group"]["name"] == "Field Engineers"
    assert created["privacy_level"]["name"] == "Restricted"
    assert (created["udf_string_3"], created["udf_float_2"]) == ("abc", 2.0)
    assert created["udf_date_1"] == "2030-05-06T00:00:00"
    assert created["referring_to"] == {"subscription_identifier": {"number": "S1"}}
    assert created["services"] == [{"product_identifier": {"code": "TV"}}]
    for bad in ({"udf_float_1": "x"}, {"udf_string_1": 5}, {"udf_date_2": "tomorrow"}):
        assert (await crm.error("POST", "service_requests/create", **crm.create_body(**bad)))[
            "message"
        ]


async def test_create_straight_into_responded_needs_a_response(crm):
    status = await crm.error(
        "POST",
        "service_requests/create",
        **crm.create_body(status_identifier={"name": "Responded"}),
    )
    assert status["message"] == "The service request cannot be responded: it has no response"
    created = await crm.create(
        status_identifier={"name": "Responded"},
        response={"category_identifier": {"code": "ACK"}, "description": "On it"},
    )
    assert created["life_cycle_state"] == "RESPONDED"
    assert created["response"]["category"]["name"] == "Acknowledged"
    assert created["response"]["responded_by"]["username"] == "deskbridge"
    assert created["response"]["response_date"] == created["log_information"]["created_date"]


async def test_update_changes_what_it_names_and_moves_updated_date(crm):
    record = crm.find("requests", number="SR00000252")
    before = await crm.data(
        "GET", "service_requests/show", service_request_identifier={"number": "SR00000252"}
    )
    updated = await crm.data(
        "POST",
        "service_requests/update",
        service_request_identifier={"number": "SR00000252"},
        description="new text",
        caller_phone="+35711111111",
        category_identifier={"code": "HW"},
        urgency_level="URGENCY3",
        type_identifier={"name": "Installation"},  # not an update parameter: ignored
    )
    assert updated["description"] == "new text" and updated["caller_phone"] == "+35711111111"
    assert updated["category"]["code"] == "HW" and updated["urgency_level"] == "URGENCY3"
    assert updated["type"] == before["type"]
    assert updated["notes"] == before["notes"]
    log, old = updated["log_information"], before["log_information"]
    assert log["created_date"] == old["created_date"]
    assert log["updated_date"] > old["updated_date"]
    assert log["updated_by_user"]["username"] == "deskbridge"
    assert crm.state.requests[record["id"]]["description"] == "new text"


async def test_a_failed_update_changes_nothing(crm):
    before = await crm.data(
        "GET", "service_requests/show", service_request_identifier={"number": "SR00000253"}
    )
    status = await crm.error(
        "POST",
        "service_requests/update",
        service_request_identifier={"number": "SR00000253"},
        description="half",
        urgency_level="NOPE",
    )
    assert status["message"].startswith("urgency_level")
    after = await crm.data(
        "GET", "service_requests/show", service_request_identifier={"number": "SR00000253"}
    )
    assert after == before


async def test_updated_date_has_second_resolution(crm):
    base = float(int(crm.state.clock())) + 10
    created = await crm.create()
    ident = {"service_request_identifier": {"number": created["number"]}}
    dates = []
    for offset in (0.1, 0.8, 1.2):
        crm.state.clock = lambda offset=offset: base + offset
        updated = await crm.data("POST", "service_requests/update", notes=str(offset), **ident)
        dates.append(updated["log_information"]["updated_date"])
    assert dates[0] == dates[1]  # the same second
    assert dates[2] > dates[1]
    assert dates[0] == datetime.fromtimestamp(base, ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S")


async def test_dates_are_local_to_the_instance_time_zone(start):
    crm = await start(time_zone="Asia/Nicosia")
    crm.state.clock = lambda: at("2030-07-01T12:00:00")  # UTC; Nicosia is UTC+3 in summer
    crm.token = crm.new_token()
    created = await crm.create(expected_completion_date="2030-07-02T12:00:00")
    assert created["log_information"]["created_date"] == "2030-07-01T15:00:00"
    assert created["expected_completion_date"] == "2030-07-02T12:00:00"
    assert crm.state.requests[created["id"]]["expected_completion_date"] == at(
        "2030-07-02T09:00:00"
    )


async def test_update_needs_a_status_with_a_resolution(crm):
    responded = next(
        r
        for r in crm.state.requests.values()
        if crm.state.status_state(r) == "RESPONDED" and r["response"]["accepted_by_id"]
    )
    ident = {"service_request_identifier": {"number": responded["number"]}}
    resolution = {
        "category_identifier": {"name": "Fixed"},
        "temporary_resolved_by_identifier": {"username": "andreas.pavlou"},
        "temporary_resolution_date": "2030-01-01T10:00:00",
    }
    status = await crm.error(
        "POST", "service_requests/update", temporary_resolution=resolution, **ident
    )
    assert (
        status["message"]
        == "status_identifier is mandatory when the temporary or final resolution is updated"
    )
    updated = await crm.data(
        "POST",
        "service_requests/update",
        temporary_resolution=resolution,
        status_identifier={"name": "Temporary Resolved"},
        **ident,
    )
    assert updated["life_cycle_state"] == "TEMPORARY_RESOLVED"
    assert updated["temporary_resolution"]["temporary_resolution_date"] == "2030-01-01T10:00:00"


async def test_update_moves_the_state_with_the_status(crm):
    completed = next(r for r in crm.state.requests.values() if crm.state.is_completed(r))
    ident = {"service_request_identifier": {"number": completed["number"]}}
    reopened = await crm.data(
        "POST", "service_requests/update", status_identifier={"name": "Awaiting Customer"}, **ident
    )
    assert reopened["life_cycle_state"] == "PENDING"
    assert reopened["final_resolution"]["accepted_by"] is not None  # kept
    pending = next(
        r
        for r in crm.state.requests.values()
        if crm.state.status_state(r) == "PENDING" and not r["response"]
    )
    status = await crm.error(
        "POST",
        "service_requests/update",
        service_request_identifier={"id": pending["id"]},
        status_identifier={"name": "Resolved"},
    )
    assert status["message"] == "The service request cannot be final resolved: it has no response"


async def test_related_service_requests(crm):
    one = await crm.create(description="one")
    two = await crm.create(
        description="two",
        related_service_requests=[
            {"service_request_identifier": {"number": one["number"]}, "description": "dup"}
        ],
    )
    assert two["related_service_requests"][0]["service_request"] == {
        "id": one["id"],
        "number": one["number"],
    }
    relation_id = two["related_service_requests"][0]["id"]
    ident = {"service_request_identifier": {"number": two["number"]}}

    async def update(*items):
        return await crm.post(
            "service_requests/update", related_service_requests=list(items), **ident
        )

    added = (
        await update(
            {
                "action": "ADD",
                "service_request_identifier": {"number": "SR00000251"},
                "description": "same cause",
            }
        )
    ).json()["data"]
    assert [r["service_request"]["number"] for r in added["related_service_requests"]] == [
        one["number"],
        "SR00000251",
    ]
    changed = (
        await update(
            {
                "action": "UPDATE",
                "service_request_relation_identifier": {"id": relation_id},
                "description": "duplicate",
            }
        )
    ).json()["data"]
    assert changed["related_service_requests"][0]["description"] == "duplicate"
    by_request = {"service_request_identifier": {"number": "SR00000251"}}
    removed = (
        await update({"action": "REMOVE", "service_request_relation_identifier": by_request})
    ).json()["data"]
    assert [r["id"] for r in removed["related_service_requests"]] == [relation_id]
    for item, words in (
        ({"action": "ADD", "service_request_identifier": {"number": two["number"]}}, "itself"),
        (
            {"action": "ADD", "service_request_identifier": {"number": one["number"]}},
            "already related",
        ),
        ({"action": "REMOVE", "service_request_relation_identifier": {"id": "NOPE"}}, "not found"),
        ({"action": "REMOVE", "service_request_relation_identifier": {}}, "exactly one"),
        ({"action": "MERGE"}, "ADD, UPDATE, REMOVE"),
        ({"service_request_identifier": {"number": "SR00000252"}}, "ADD, UPDATE, REMOVE"),
    ):
        body = (await update(item)).json()
        assert body["status"]["code"] == "ERROR" and words in body["status"]["message"], item


async def test_list_takes_exactly_one_of_account_and_caller(crm):
    none = await crm.error("GET", "service_requests/list")
    assert (
        none["message"]
        == "Specify exactly one of accounts_receivable_identifier, caller_identifier"
    )
    both = await crm.error(
        "GET",
        "service_requests/list",
        accounts_receivable_identifier={"number": "AR000001"},
        caller_identifier={"number": "CI000111"},
    )
    assert both["message"] == none["message"]
    account = crm.find("accounts", number="AR000004")
    listed = await crm.data(
        "GET", "service_requests/list", accounts_receivable_identifier={"number": "AR000004"}
    )
    expected = sorted(
        r["number"] for r in crm.state.requests.values() if r["account_id"] == account["id"]
    )
    assert crm.numbers(listed) == expected and expected
    caller = crm.find("contacts", number="CI000116")
    by_caller = await crm.data(
        "GET", "service_requests/list", caller_identifier={"id": caller["id"]}
    )
    assert crm.numbers(by_caller) == sorted(
        r["number"] for r in crm.state.requests.values() if r["contact_id"] == caller["id"]
    )


async def test_list_filters_by_type_and_category(crm):
    for n in range(3):
        await crm.create(
            accounts_receivable_identifier={"number": "AR000005"},
            category_identifier={"code": ("NET", "HW", "NET")[n]},
        )
    await crm.create(
        accounts_receivable_identifier={"number": "AR000005"},
        type_identifier={"name": "Installation"},
        caller_phone="1",
        category_identifier={"code": "NET"},
    )
    account = crm.find("accounts", number="AR000005")
    params = {"accounts_receivable_identifier": {"number": "AR000005"}}
    net = await crm.data(
        "GET", "service_requests/list", category_identifier={"code": "NET"}, **params
    )
    expected = [
        r
        for r in crm.state.requests.values()
        if r["account_id"] == account["id"]
        and r["category_id"] == crm.find("categories", code="NET")["id"]
    ]
    assert crm.numbers(net) == sorted(r["number"] for r in expected)
    both = await crm.data(
        "GET",
        "service_requests/list",
        category_identifier={"code": "NET"},
        type_identifier={"name": "Installation"},
        **params,
    )
    assert [r["type"]["name"] for r in both] == ["Installation"] * len(both) and both
    assert all(r["category"]["code"] == "NET" for r in both)
