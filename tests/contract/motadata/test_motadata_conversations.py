"""Request conversations (VENDORS.md §2.4): create, list, patch, their string times."""

from __future__ import annotations

from datetime import UTC, datetime

NOTE = {
    "conversationType": "note",
    "details": "<p>Rebooted the mail server.</p>",
    "subject": "ignored",
    "conversationState": "published",
    "emailIds": ["a@b.com"],
    "ccEmailIds": ["cc@example.com"],
    "fileAttachments": [{"refFileName": "r1", "realName": "log.txt"}],
}
# 2025-07-16 16:33 UTC, the time of the docs' example ("Wed, Jul 16, 2025 04:33 pm")
EXAMPLE = datetime(2025, 7, 16, 16, 33, 20, tzinfo=UTC).timestamp()


async def _new_request(md, subject: str = "Email Server is Down") -> dict:
    body = {"subject": subject, "requesterEmail": "a@b.com"}
    return (await md.api.post("request", json=body)).json()


async def test_create_answers_the_documented_object(md):
    request = await _new_request(md)
    response = await md.api.post(f"request/{request['id']}/conversation", json=NOTE)
    assert response.status_code == 200, response.text
    conversation = response.json()
    assert set(conversation) == {
        "id",
        "conversationType",
        "details",
        "createdByName",
        "createdByEmail",
        "createdTime",
        "updatedTime",
        "subject",
        "conversationState",
        "emailIds",
        "ccEmailIds",
        "updatable",
        "deletable",
        "fileAttachments",
    }
    assert conversation["subject"] == f"[{request['name']}]: Email Server is Down"
    assert conversation["details"] == NOTE["details"]
    assert conversation["createdByName"] == "API Integration"
    assert conversation["createdByEmail"] == "api@example.com"
    assert conversation["emailIds"] == ["a@b.com"]
    assert conversation["ccEmailIds"] == ["cc@example.com"]
    assert conversation["fileAttachments"] == NOTE["fileAttachments"]
    assert conversation["updatable"] is True and conversation["deletable"] is True
    assert conversation["conversationState"] == "published"


async def test_times_are_strings_in_the_instance_time_zone(md, start):
    md.state.clock = lambda: EXAMPLE
    request = await _new_request(md)
    utc = (await md.api.post(f"request/{request['id']}/conversation", json=NOTE)).json()
    assert utc["createdTime"] == "Wed, Jul 16, 2025 04:33 pm"
    assert utc["updatedTime"] == utc["createdTime"]
    kolkata = await start(time_zone="Asia/Kolkata")  # UTC+05:30
    kolkata.state.clock = lambda: EXAMPLE
    other = await _new_request(kolkata)
    late = (await kolkata.api.post(f"request/{other['id']}/conversation", json=NOTE)).json()
    assert late["createdTime"] == "Wed, Jul 16, 2025 10:03 pm"
    kolkata.state.clock = lambda: EXAMPLE - 18 * 3600  # 04:03 am in Kolkata
    early = (await kolkata.api.post(f"request/{other['id']}/conversation", json=NOTE)).json()
    assert early["createdTime"] == "Wed, Jul 16, 2025 04:03 am"


async def test_posting_moves_the_request_updated_time(md):
    request = await _new_request(md)
    frozen = md.state.clock() + 5
    md.state.clock = lambda: frozen
    await md.api.post(f"request/{request['id']}/conversation", json=NOTE)
    after = (await md.api.get(f"request/{request['id']}")).json()
    assert after["updatedTime"] == int(frozen * 1000) > request["updatedTime"]


async def test_list_is_an_array_by_default(md):
    request = await _new_request(md)
    first = (await md.api.post(f"request/{request['id']}/conversation", json=NOTE)).json()
    reply = {"conversationType": "technician_to_requester", "details": "<p>Fixed?</p>"}
    second = (await md.api.post(f"request/{request['id']}/conversation", json=reply)).json()
    listed = (await md.api.get(f"request/{request['id']}/conversation")).json()
    assert listed == [first, second]
    seeded = next(i for i, c in md.state.conversations.items() if c)
    found = (await md.api.get(f"request/{seeded}/conversation")).json()
    assert len(found) == len(md.state.conversations[seeded])
    assert all(c["subject"].startswith(f"[INC-{seeded}]: ") for c in found)


async def test_list_can_be_an_object_list(start):
    md = await start(conversation_list_shape="objectList")
    request = await _new_request(md)
    created = (await md.api.post(f"request/{request['id']}/conversation", json=NOTE)).json()
    listed = (await md.api.get(f"request/{request['id']}/conversation")).json()
    assert listed == {"objectList": [created], "totalCount": 1}


async def test_patch_updates_the_conversation(md):
    request = await _new_request(md)
    created = (await md.api.post(f"request/{request['id']}/conversation", json=NOTE)).json()
    path = f"request/{request['id']}/conversation/{created['id']}"
    response = await md.api.patch(path, json={"details": "<p>Edited</p>", "emailIds": []})
    assert response.status_code == 200
    patched = response.json()
    assert patched["id"] == created["id"]
    assert patched["details"] == "<p>Edited</p>"
    assert patched["emailIds"] == []
    assert patched["conversationType"] == "note"
    assert patched["subject"] == created["subject"]
    listed = (await md.api.get(f"request/{request['id']}/conversation")).json()
    assert listed == [patched]
    bad = await md.api.patch(path, json={"conversationType": "chat"})
    assert bad.status_code == 400 and "conversationType" in bad.json()["message"]


async def test_validation_and_404s(md):
    request = await _new_request(md)
    base = f"request/{request['id']}/conversation"
    for body, field in (
        ({"details": "<p>x</p>"}, "conversationType"),
        ({"conversationType": "email", "details": "<p>x</p>"}, "conversationType"),
        ({"conversationType": "note"}, "details"),
        ({**NOTE, "emailIds": "a@b.com"}, "emailIds"),
    ):
        response = await md.api.post(base, json=body)
        assert response.status_code == 400, body
        assert field in response.json()["message"]
    assert md.state.conversations[request["id"]] == []
    assert (await md.api.post("request/999/conversation", json=NOTE)).status_code == 404
    assert (await md.api.get("request/999/conversation")).status_code == 404
    assert (await md.api.patch(f"{base}/999", json={"details": "x"})).status_code == 404
    other = next(c for cs in md.state.conversations.values() for c in cs)
    assert (await md.api.patch(f"{base}/{other['id']}", json={"details": "x"})).status_code == 404
    for kind in ("technician_to_requester", "requestor_to_technician", "collaborate"):
        ok = await md.api.post(base, json={"conversationType": kind, "details": "<p>y</p>"})
        assert ok.status_code == 200 and ok.json()["conversationType"] == kind
