"""Requests (VENDORS.md §2.4 and the create-request field tables): create, get, patch,
delete, validation, defaults, updatedTime."""

from __future__ import annotations

import pytest

# The docs' create example (seed 001), with every other key of the field tables added.
EVERY_FIELD = {
    "requesterEmail": "a@b.com",
    "ccEmailSet": ["a@b.com", "cc@example.com"],
    "subject": "asdasd",
    "description": "<p>The mail server answers 550.</p>",
    "categoryName": "Hardware",
    "impactName": "On Department",
    "priorityName": "High",
    "statusName": "In Progress",
    "urgencyName": "Urgent",
    "departmentName": "IT",
    "locationName": "Head Office",
    "spam": False,
    "supportLevel": "Tier2",
    "assigneeEmail": "nirav.patel@example.com",
    "groupName": "Network Team",
    "source": "Support Portal",
    "fileAttachments": [{"refFileName": "abc", "realName": "xyz.pdf"}],
    "linkAssetIds": [{"assetModel": "asset_hardware", "assetId": 1}],
    "customField": {
        "New Dropdown": "1",
        "New Number": 110.1,
        "New Text Area": "a11",
        "New Text Input": "111",
    },
    "name": "INC-1",  # sent by the docs' example; the instance names the request itself
    "tags": ["asdasd"],
}


async def test_create_round_trips_every_documented_field(md):
    response = await md.api.post("request", json=EVERY_FIELD)
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["id"] == 41
    assert created["name"] == "INC-41"
    same = ("subject", "description", "ccEmailSet", "tags", "departmentName", "spam", "source")
    for key in (*same, "fileAttachments", "linkAssetIds", "customField", "requesterEmail"):
        assert created[key] == EVERY_FIELD[key], key
    assert created["requesterName"] == "utsav"
    assert created["supportLevel"] == "tier2"
    expect = {
        "categoryName": ("Hardware", 3),
        "impactName": ("On Department", 3),
        "priorityName": ("High", 3),
        "statusName": ("In Progress", 10),
        "urgencyName": ("Urgent", 4),
    }
    for key, (name, ident) in expect.items():
        assert (created[key], created[key.replace("Name", "Id")]) == (name, ident)
    assert created["locationName"] == "Head Office"
    assert created["assigneeEmail"] == "nirav.patel@example.com"
    assert created["technicianId"] == md.state.user_by_email("nirav.patel@example.com")["id"]
    assert (created["groupName"], created["groupId"]) == ("Network Team", 2)
    assert created["requesterId"] == md.state.user_by_email("a@b.com")["id"]
    assert created["createdByName"] == created["updatedByName"] == "API Integration"
    assert isinstance(created["createdTime"], int)
    assert abs(created["createdTime"] - md.state.clock() * 1000) < 5_000  # epoch ms
    assert created["updatedTime"] >= created["createdTime"]
    assert created["dueBy"] is None and created["resolvedTime"] is None
    fetched = (await md.api.get("request/41")).json()
    assert fetched == created


async def test_create_defaults(md):
    created = await md.api.post("request", json={"subject": "s", "requesterEmail": "a@b.com"})
    body = created.json()
    assert created.status_code == 200
    assert (body["categoryName"], body["categoryId"]) == ("Service Request", 1)
    assert body["source"] == "External"
    assert (body["statusName"], body["statusId"]) == ("Open", 9)
    assert body["priorityName"] == body["urgencyName"] == body["impactName"] == "Low"
    assert body["assigneeEmail"] is None and body["technicianId"] is None
    assert body["groupName"] is None and body["groupId"] is None
    assert body["tags"] == [] and body["customField"] == {} and body["spam"] is False


async def test_enum_names_match_case_insensitively(md):
    body = {
        "subject": "s",
        "requesterEmail": "A@B.COM",
        "priorityName": "urgent",
        "impactName": "on user",
        "statusName": "in progress",
        "categoryName": "software",
        "locationName": "head office",
        "supportLevel": "TIER4",
    }
    created = (await md.api.post("request", json=body)).json()
    assert created["priorityName"] == "Urgent"
    assert created["impactName"] == "On User"
    assert created["statusName"] == "In Progress"
    assert created["categoryName"] == "Software"
    assert created["locationName"] == "Head Office"
    assert created["supportLevel"] == "tier4"
    assert created["requesterEmail"] == "a@b.com"


@pytest.mark.parametrize("field", ["subject", "requesterEmail"])
async def test_each_required_field_missing_is_400_naming_it(md, field):
    body = {"subject": "s", "requesterEmail": "a@b.com"}
    for broken in ({k: v for k, v in body.items() if k != field}, {**body, field: "  "}):
        response = await md.api.post("request", json=broken)
        assert response.status_code == 400
        assert field in response.json()["message"]
        assert response.json()["status"] == 400
    assert len(md.state.requests) == 40


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("priorityName", "Critical"),
        ("urgencyName", "Whenever"),
        ("impactName", "On Planet"),
        ("statusName", "Waiting"),
        ("categoryName", "Plumbing"),
        ("locationName", "Moon Base"),
        ("assigneeEmail", "a@b.com"),  # a requester, not a technician
        ("assigneeEmail", "nobody@example.com"),
        ("groupName", "Nobody"),
        ("supportLevel", "Tier9"),
        ("customField", {"Undefined Field": 1}),
        ("spam", "yes"),
        ("tags", "one"),
        ("fileAttachments", [{"realName": "x.pdf"}]),
    ],
)
async def test_unknown_values_are_400(md, field, value):
    body = {"subject": "s", "requesterEmail": "a@b.com", field: value}
    response = await md.api.post("request", json=body)
    assert response.status_code == 400
    assert field in response.json()["message"]
    assert len(md.state.requests) == 40  # nothing created


async def test_an_unknown_requester_is_refused_by_default(md):
    body = {"subject": "s", "requesterEmail": "new.person@example.com"}
    response = await md.api.post("request", json=body)
    assert response.status_code == 400
    assert "requesterEmail" in response.json()["message"]
    assert md.state.user_by_email("new.person@example.com") is None


async def test_an_unknown_requester_can_be_created(start):
    md = await start(unknown_requester="create")
    body = {"subject": "s", "requesterEmail": "new.person@example.com"}
    created = (await md.api.post("request", json=body)).json()
    user = md.state.user_by_email("new.person@example.com")
    assert user is not None
    assert created["requesterId"] == user["id"]
    assert created["requesterName"] == "new.person"
    got = await md.api.get(f"requester/{user['id']}")
    assert got.status_code == 200 and got.json()["email"] == "new.person@example.com"
    # a refused body creates nobody
    bad = {"subject": "s", "requesterEmail": "other@example.com", "priorityName": "x"}
    assert (await md.api.post("request", json=bad)).status_code == 400
    assert md.state.user_by_email("other@example.com") is None


async def test_get_and_404(md):
    got = await md.api.get("request/7")
    assert got.status_code == 200
    assert got.json()["name"] == "INC-7"
    missing = await md.api.get("request/999")
    assert missing.status_code == 404
    assert missing.json()["path"] == "/api/v1/request/999"
    assert (await md.api.get("request/abc")).status_code == 400


async def test_patch_updates_validates_and_404s(md):
    rid = next(i for i, r in md.state.requests.items() if r["statusName"] == "Open")
    before = (await md.api.get(f"request/{rid}")).json()
    response = await md.api.patch(
        f"request/{rid}",
        json={"statusName": "Resolved", "priorityName": "urgent", "customField": {"New Number": 5}},
    )
    assert response.status_code == 200, response.text
    after = response.json()
    assert (after["statusName"], after["statusId"]) == ("Resolved", 12)
    assert (after["priorityName"], after["priorityId"]) == ("Urgent", 4)
    assert after["customField"]["New Number"] == 5
    assert after["subject"] == before["subject"]  # not required on PATCH
    assert after["updatedTime"] > before["updatedTime"]
    assert after["resolvedTime"] == after["updatedTime"]
    assert after["updatedByName"] == "API Integration"
    assert (await md.api.get(f"request/{rid}")).json() == after
    bad = await md.api.patch(f"request/{rid}", json={"urgencyName": "nope"})
    assert bad.status_code == 400 and "urgencyName" in bad.json()["message"]
    assert (await md.api.get(f"request/{rid}")).json() == after
    assert (await md.api.patch("request/999", json={"subject": "x"})).status_code == 404


async def test_patch_can_unassign_and_reassign(md):
    assigned = await md.api.patch("request/5", json={"assigneeEmail": "sara.khan@example.com"})
    assert assigned.json()["technicianId"] == md.state.user_by_email("sara.khan@example.com")["id"]
    cleared = (await md.api.patch("request/5", json={"assigneeEmail": None})).json()
    assert cleared["assigneeEmail"] is None and cleared["technicianId"] is None
    grouped = (await md.api.patch("request/5", json={"groupName": "service desk"})).json()
    assert (grouped["groupName"], grouped["groupId"]) == ("Service Desk", 1)
    ungrouped = (await md.api.patch("request/5", json={"groupName": None})).json()
    assert ungrouped["groupName"] is None and ungrouped["groupId"] is None
    assert ungrouped["assigneeEmail"] is None  # unchanged by a PATCH without it


async def test_patch_requires_subject_when_set(start):
    md = await start(patch_requires_subject=True)
    response = await md.api.patch("request/1", json={"priorityName": "High"})
    assert response.status_code == 400
    assert "subject" in response.json()["message"]
    ok = await md.api.patch("request/1", json={"subject": "new", "priorityName": "High"})
    assert ok.status_code == 200 and ok.json()["subject"] == "new"


async def test_delete_answers_empty_by_default(md):
    response = await md.api.delete("request/4")
    assert response.status_code == 204
    assert response.content == b""
    assert (await md.api.get("request/4")).status_code == 404
    assert (await md.api.delete("request/4")).status_code == 404
    assert 4 not in await md.ids()


async def test_delete_can_answer_the_object(start):
    md = await start(delete_answer="object")
    before = (await md.api.get("request/4")).json()
    response = await md.api.delete("request/4")
    assert response.status_code == 200
    assert response.json() == before
    assert (await md.api.get("request/4")).status_code == 404


async def test_updated_time_moves_on_every_change(md):
    times = [(await md.api.get("request/2")).json()["updatedTime"]]
    for priority in ("Low", "Medium", "High"):
        times.append(
            (await md.api.patch("request/2", json={"priorityName": priority})).json()["updatedTime"]
        )
    assert times[1] > times[0]
    assert times == sorted(times)
    conv = {"conversationType": "note", "details": "<p>x</p>"}
    await md.api.post("request/2/conversation", json=conv)
    assert (await md.api.get("request/2")).json()["updatedTime"] >= times[-1]


async def test_changes_within_one_millisecond_share_updated_time(md):
    frozen = md.state.clock() + 60
    md.state.clock = lambda: frozen
    first = (await md.api.patch("request/2", json={"priorityName": "High"})).json()
    second = (await md.api.patch("request/2", json={"priorityName": "Low"})).json()
    assert first["updatedTime"] == second["updatedTime"] == int(frozen * 1000)
    created = await md.api.post("request", json={"subject": "s", "requesterEmail": "a@b.com"})
    assert created.json()["createdTime"] == int(frozen * 1000)


async def test_strictly_increasing_updated_time(start):
    md = await start(strictly_increasing_updated_time=True)
    frozen = md.state.clock() + 60
    md.state.clock = lambda: frozen
    first = (await md.api.patch("request/2", json={"priorityName": "High"})).json()
    second = (await md.api.patch("request/2", json={"priorityName": "Low"})).json()
    assert second["updatedTime"] == first["updatedTime"] + 1


async def test_seeded_requests_cover_every_status_in_the_past(md):
    ids = await md.ids()
    assert len(ids) == 40
    requests = [md.state.requests[i] for i in ids]
    assert {r["statusName"] for r in requests} == set(md.state.config.statuses)
    now_ms = md.state.now_ms()
    for r in requests:
        assert r["createdTime"] <= r["updatedTime"] < now_ms
        assert r["name"] == f"INC-{r['id']}"
    assert any(md.state.conversations[i] for i in ids)


async def test_seeding_is_deterministic(start):
    one, two = await start(seed=9), await start(seed=9)
    a = [(r["subject"], r["statusName"], r["requesterEmail"]) for r in one.state.requests.values()]
    b = [(r["subject"], r["statusName"], r["requesterEmail"]) for r in two.state.requests.values()]
    assert a == b
    small = await start(request_count=5)
    assert len(small.state.requests) == 5
