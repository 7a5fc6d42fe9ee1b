"""Requesters (VENDORS.md §2.4 POST /requester) and technicians [I]: one user id space."""

from __future__ import annotations

FULL = {
    "name": "Mira Sen",
    "email": "mira.sen@example.com",
    "userLogOnName": "mira",
    "contactNo": "+91 9800000001",
    "altContactNo1": "+91 9800000002",
    "altContactNo2": "+91 9800000003",
    "locationName": "Branch Office",
    "departmentName": "Finance",
    "companyName": "Example Corp",
    "manager": "anita.desai@example.com",
    "verified": True,
    "vipRequester": True,
    "allowToLogin": False,
    "customField": {"Employee Id": "E-17"},
}


async def test_create_echoes_every_field(md):
    response = await md.api.post("requester", json=FULL)
    assert response.status_code == 200, response.text
    created = response.json()
    assert {k: created[k] for k in FULL} == FULL
    assert created["id"] == 18  # after 5 technicians and 12 requesters
    assert isinstance(created["createdTime"], int) and created["createdTime"] > 1e12
    assert created["updatedTime"] == created["createdTime"]
    assert (await md.api.get("requester/18")).json() == created


async def test_create_minimal_and_validation(md):
    minimal = (await md.api.post("requester", json={"email": "x@example.com"})).json()
    assert minimal["email"] == "x@example.com" and minimal["name"] == "x"
    assert minimal["vipRequester"] is False and minimal["customField"] == {}
    missing = await md.api.post("requester", json={"name": "No Mail"})
    assert missing.status_code == 400 and "email" in missing.json()["message"]
    for field, value in (("locationName", "Moon"), ("manager", "who@example.com"), ("verified", 1)):
        bad = await md.api.post("requester", json={"email": "y@example.com", field: value})
        assert bad.status_code == 400, field
        assert field in bad.json()["message"]
    assert md.state.user_by_email("y@example.com") is None


async def test_a_duplicate_email_is_400(md):
    for email in ("a@b.com", "A@B.com", "nirav.patel@example.com"):  # requester, technician
        response = await md.api.post("requester", json={"name": "Dup", "email": email})
        assert response.status_code == 400
        assert "already exists" in response.json()["message"]
    assert len(md.state.users) == 17


async def test_patch_a_requester(md):
    user = md.state.user_by_email("a@b.com")
    before = dict(user)
    response = await md.api.patch(
        f"requester/{user['id']}", json={"name": "Utsav Shah", "vipRequester": True}
    )
    assert response.status_code == 200
    after = response.json()
    assert after["name"] == "Utsav Shah" and after["vipRequester"] is True
    assert after["email"] == before["email"]
    assert after["updatedTime"] > before["updatedTime"]
    created = await md.api.post("request", json={"subject": "s", "requesterEmail": "a@b.com"})
    assert created.json()["requesterName"] == "Utsav Shah"
    taken = await md.api.patch(f"requester/{user['id']}", json={"email": "anita.desai@example.com"})
    assert taken.status_code == 400
    assert (await md.api.patch("requester/999", json={"name": "x"})).status_code == 404


async def test_get_requester_404s_for_absent_and_technician_ids(md):
    assert (await md.api.get("requester/999")).status_code == 404
    technician = md.state.user_by_email("nirav.patel@example.com")
    assert (await md.api.get(f"requester/{technician['id']}")).status_code == 404
    got = await md.api.get(f"technician/{technician['id']}")
    assert got.status_code == 200 and got.json()["name"] == "Nirav Patel"
    requester = md.state.user_by_email("a@b.com")
    assert (await md.api.get(f"technician/{requester['id']}")).status_code == 404


async def test_search_requesters(md):
    body = (await md.search(None, module="requester", size=100)).json()
    assert body["totalCount"] == 12
    assert all("@" in r["email"] for r in body["objectList"])
    quals = [md.qual("requester.email", "equal", "StringValueRest", "a@b.com")]
    hit = (await md.search(quals, module="requester")).json()
    assert [r["name"] for r in hit["objectList"]] == ["utsav"]
    by_name = [md.qual("name", "contains", "StringValueRest", "IYER")]
    assert [
        r["email"] for r in (await md.search(by_name, module="requester")).json()["objectList"]
    ] == ["gita.iyer@example.com"]
    page = (await md.search(None, module="requester", offset=10, size=5)).json()
    assert len(page["objectList"]) == 2 and page["totalCount"] == 12
    bad = await md.search([md.qual("request.statusId", "equal", "LongValueRest", 9)], "requester")
    assert bad.status_code == 400


async def test_search_technicians(md):
    body = (await md.search(None, module="technician")).json()
    assert body["totalCount"] == 5
    emails = {t["email"] for t in body["objectList"]}
    assert {"api@example.com", "nirav.patel@example.com"} <= emails
    quals = [md.qual("technician.id", "in", "ListLongValueRest", [1, 2, 9])]
    assert (await md.search(quals, module="technician")).json()["totalCount"] == 2
