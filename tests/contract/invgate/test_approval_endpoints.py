"""The sandbox's approval endpoints answer as InvGate does (VENDORS.md §1.4 "Approvals", §1.6)
and keep the instance consistent: who may vote, when an approval is decided, and what that
does to its request."""

from __future__ import annotations

import grpc
import pytest

from deskbridge.runtime.errors import ApiError

AUTHOR = 2
OBSERVED_FIELDS = {
    "id",
    "author_id",
    "status",
    "type",
    "created_at",
    "approval_request_id",
    "approval_request_description",
    "is_using_approval_manager",
    "reminder_count",
    "reassigned",
    "reminders_sent",
    "last_reminder_date",
}


def open_request(state) -> int:
    """An Open request without approvals (the seed puts some on other requests)."""
    busy = {a["request_id"] for a in state.approvals.values()}
    return next(
        i for i, r in sorted(state.requests.items()) if r["status_id"] == 2 and i not in busy
    )


async def new_approval(http, state, voters=(3, 4), request_id=None) -> tuple[int, int]:
    """A spontaneous approval asked of `voters[0]`, the others added: (request id, approval id)."""
    request_id = request_id or open_request(state)
    asked = await http.post(
        "incident.spontaneous_approval",
        data={
            "request_id": request_id,
            "author_id": AUTHOR,
            "approval_user_id": voters[0],
            "description": "New laptop",
        },
    )
    assert asked.json() == {"status": "OK"}
    approval_id = max(state.approvals)
    for voter in voters[1:]:
        added = await http.post(
            "incident.approval.add_voter", data={"approval_id": approval_id, "user_id": voter}
        )
        assert added.json() == {"approval_id": approval_id, "user_id": voter}
    return request_id, approval_id


async def vote(http, key: str, approval_id: int, user: int, **extra):
    return (await http.put(key, data={"approval_id": approval_id, "user_id": user, **extra})).json()


async def approvals_of(http, request_id: int, **params) -> list[dict]:
    response = await http.get("incident.approval", params={"request_id": request_id, **params})
    assert response.status_code == 200
    return response.json()


async def voters_of(http, approval_id: int, **params) -> list[dict]:
    response = await http.get(
        "incident.approval.possible_voters", params={"approval_id": approval_id, **params}
    )
    return response.json()


async def test_approvals_of_a_request_have_the_observed_shape(http, state):
    request_id = next(iter(state.approvals.values()))["request_id"]
    items = await approvals_of(http, request_id)
    assert items and all(set(item) == OBSERVED_FIELDS for item in items)  # no request_id leaks
    assert all(isinstance(item["created_at"], int) for item in items)
    expected = sorted(i for i, a in state.approvals.items() if a["request_id"] == request_id)
    assert [item["id"] for item in items] == expected
    iso = await approvals_of(http, request_id, date_format="iso8601")
    assert iso[0]["created_at"].startswith("20") and "T" in iso[0]["created_at"]


async def test_only_pending_filters_approvals_and_voters(http, state):
    request_id, approved = await new_approval(http, state, voters=(5,))
    await vote(http, "incident.approval.accept", approved, 5)
    assert state.requests[request_id]["status_id"] == 2
    _, pending = await new_approval(http, state, request_id=request_id)
    await vote(http, "incident.approval.accept", pending, 3)
    assert [a["id"] for a in await approvals_of(http, request_id)] == [approved, pending]
    assert [a["id"] for a in await approvals_of(http, request_id, only_pending=1)] == [pending]
    voters = await voters_of(http, pending)
    assert voters == [{"user_id": 3, "status": 1}, {"user_id": 4, "status": -1}]  # user_id, not id
    assert await voters_of(http, pending, only_pending="true") == [{"user_id": 4, "status": -1}]


async def test_catalogues_are_maps_keyed_by_the_status_id(http):
    statuses = (await http.get("incident.approval.status")).json()
    assert statuses == {"-2": "Cancelled", "-1": "Waiting", "0": "Rejected", "1": "Approved"}
    votes = (await http.get("incident.approval.vote_status")).json()
    assert votes["-2"] == "Annulled" and votes["2"] == "Expired" and len(votes) == 5
    types = (await http.get("incident.approval.type")).json()
    assert set(types) == {"1", "2"} and "Spontaneous" in types["2"]


async def test_spontaneous_approval_makes_the_request_wait(http, state):
    before = state.requests[open_request(state)]["last_update"]
    request_id, approval_id = await new_approval(http, state, voters=(5,))
    record = state.approvals[approval_id]
    assert (record["type"], record["status"], record["author_id"]) == (2, -1, AUTHOR)
    assert record["approval_request_description"] == "New laptop"
    assert record["approval_request_id"] is None
    assert (state.requests[request_id]["status_id"], state.voters[approval_id][0]["user_id"]) == (
        4,
        5,
    )
    assert state.requests[request_id]["last_update"] > before


async def test_spontaneous_approval_needs_every_documented_parameter(http, state):
    request_id = open_request(state)
    response = await http.post(
        "incident.spontaneous_approval",
        data={"request_id": request_id, "author_id": AUTHOR, "approval_user_id": 3},
    )
    assert response.status_code == 428 and "description" in response.json()["error"]
    closed = next(i for i, r in state.requests.items() if r["status_id"] == 6)
    refused = await http.post(
        "incident.spontaneous_approval",
        data={"request_id": closed, "author_id": AUTHOR, "approval_user_id": 3, "description": "x"},
    )
    assert refused.status_code == 200 and refused.json()["status"] == "ERROR"
    unknown = await http.post(
        "incident.spontaneous_approval",
        data={
            "request_id": request_id,
            "author_id": AUTHOR,
            "approval_user_id": 999,
            "description": "x",
        },
    )
    assert "does not exist" in unknown.json()["info"]


async def test_the_last_approving_voter_approves_and_reopens_the_request(http, state):
    request_id, approval_id = await new_approval(http, state)
    first = await vote(http, "incident.approval.accept", approval_id, 4, note="fine by me")
    assert first == {"status": "OK"}
    assert state.approvals[approval_id]["status"] == -1  # 3 still has to vote
    assert state.requests[request_id]["status_id"] == 4
    touched = state.requests[request_id]["last_update"]
    # invgo sends request_id too: extras are ignored
    last = await vote(http, "incident.approval.accept", approval_id, 3, request_id=request_id)
    assert last == {"status": "OK"}
    assert state.approvals[approval_id]["status"] == 1
    assert state.requests[request_id]["status_id"] == 2
    assert state.requests[request_id]["waiting_for"] is None
    assert state.requests[request_id]["last_update"] >= touched  # epoch seconds: may be equal
    assert state.voters[approval_id][1]["note"] == "fine by me"


async def test_one_rejection_rejects_the_approval_and_the_request(http, state):
    request_id, approval_id = await new_approval(http, state, voters=(3, 4, 5))
    other = (
        await http.post(
            "incident.spontaneous_approval",
            data={
                "request_id": request_id,
                "author_id": AUTHOR,
                "approval_user_id": 6,
                "description": "Second opinion",
            },
        )
    ).json()
    assert other["status"] == "OK"
    second = max(state.approvals)
    await vote(http, "incident.approval.accept", approval_id, 3)
    assert await vote(http, "incident.approval.reject", approval_id, 4, note="no") == {
        "status": "OK"
    }
    assert state.approvals[approval_id]["status"] == 0
    assert [v["status"] for v in await voters_of(http, approval_id)] == [1, 0, -2]  # annulled
    assert state.requests[request_id]["status_id"] == 7
    assert state.approvals[second]["status"] == -2  # the request's other approval is cancelled
    assert await voters_of(http, second) == [{"user_id": 6, "status": -2}]


async def test_who_may_vote_and_when(http, state):
    _request_id, approval_id = await new_approval(http, state)
    stranger = await vote(http, "incident.approval.accept", approval_id, 9)
    assert stranger["status"] == "ERROR" and "cannot vote" in stranger["info"]
    await vote(http, "incident.approval.accept", approval_id, 3)
    twice = await vote(http, "incident.approval.reject", approval_id, 3)
    assert twice["status"] == "ERROR" and "already voted" in twice["info"]
    await vote(http, "incident.approval.accept", approval_id, 4)
    for key in ("incident.approval.accept", "incident.approval.reject", "incident.approval.cancel"):
        late = await vote(http, key, approval_id, 4)
        assert late["status"] == "ERROR" and "no longer pending" in late["info"]
    voter = await http.post(
        "incident.approval.add_voter", data={"approval_id": approval_id, "user_id": 5}
    )
    assert voter.json()["status"] == "ERROR"
    missing = await vote(http, "incident.approval.accept", 424242, 3)
    assert missing["status"] == "ERROR" and "not found" in missing["info"]
    no_user = await http.put("incident.approval.accept", data={"approval_id": approval_id})
    assert no_user.status_code == 428


async def test_add_voter_rules(http, state):
    _request_id, approval_id = await new_approval(http, state, voters=(3,))
    again = await http.post(
        "incident.approval.add_voter", data={"approval_id": approval_id, "user_id": 3}
    )
    assert again.json()["status"] == "ERROR" and "already a voter" in again.json()["info"]
    nobody = await http.post(
        "incident.approval.add_voter", data={"approval_id": approval_id, "user_id": 999}
    )
    assert "does not exist" in nobody.json()["info"]
    await http.post("incident.approval.add_voter", data={"approval_id": approval_id, "user_id": 7})
    await vote(http, "incident.approval.accept", approval_id, 3)
    assert state.approvals[approval_id]["status"] == -1  # the added voter must vote too
    await vote(http, "incident.approval.accept", approval_id, 7)
    assert state.approvals[approval_id]["status"] == 1


async def test_cancel_annuls_waiting_votes_and_releases_the_request(http, state):
    request_id, approval_id = await new_approval(http, state)
    await vote(http, "incident.approval.accept", approval_id, 3)
    cancelled = await vote(http, "incident.approval.cancel", approval_id, AUTHOR, note="obsolete")
    assert cancelled == {"status": "OK"}
    assert state.approvals[approval_id]["status"] == -2
    assert [v["status"] for v in await voters_of(http, approval_id)] == [1, -2]
    assert state.requests[request_id]["status_id"] == 2
    nobody = await vote(http, "incident.approval.cancel", approval_id, 999)
    assert nobody["status"] == "ERROR"


async def test_templates_are_keyed_by_id_and_empty_is_an_array(http, state):
    request_id = next(iter(state.approval_templates))
    templates = (
        await http.get("incident.custom_approval", params={"request_id": request_id})
    ).json()
    assert isinstance(templates, dict)
    assert set(templates) == {str(i) for i in state.approval_templates[request_id]}
    first = next(iter(templates.values()))
    assert {"title", "description_required", "expired_in", "wf_process_id", "status"} <= set(first)
    assert isinstance(first["created_at"], int)
    bare = next(i for i in state.requests if i not in state.approval_templates)
    empty = await http.get("incident.custom_approval", params={"request_id": bare})
    assert empty.json() == []


async def test_template_approval_follows_the_template(http, state):
    request_id = next(
        i for i in state.approval_templates if state.requests[i]["status_id"] in (1, 2, 3, 4)
    )
    templates = state.approval_templates[request_id]
    optional = next(
        t for t in templates.values() if t["status"] == 1 and t["description_required"] == 1
    )
    required = next(t for t in templates.values() if t["description_required"] == 0)
    deleted = next(t for t in templates.values() if t["status"] == -1)

    async def ask(template_id: int, **extra) -> dict:
        fields = {"request_id": request_id, "author_id": AUTHOR, "approval_id": template_id}
        return (await http.post("incident.custom_approval", data={**fields, **extra})).json()

    assert (await ask(required["id"]))["status"] == "ERROR"  # its description is required
    assert "deleted" in (await ask(deleted["id"]))["info"]
    assert "does not exist" in (await ask(424242))["info"]
    assert await ask(optional["id"]) == {"status": "OK"}
    created = state.approvals[max(state.approvals)]
    assert (created["type"], created["approval_request_id"]) == (1, optional["id"])
    assert created["approval_request_description"] == optional["description"]
    voters = [v["user_id"] for v in await voters_of(http, created["id"])]
    assert voters == state.template_voters[optional["id"]]
    assert state.requests[request_id]["status_id"] == 4


async def test_seeded_history_is_consistent(state):
    by_status = {s: [a for a in state.approvals.values() if a["status"] == s] for s in (-1, 0, 1)}
    assert all(by_status.values())
    for approval in by_status[-1]:
        assert len(state.voters[approval["id"]]) >= 2
        assert state.requests[approval["request_id"]]["status_id"] == 4
    for approval in by_status[1]:
        assert {v["status"] for v in state.voters[approval["id"]]} == {1}
    for approval in by_status[0]:
        assert 0 in {v["status"] for v in state.voters[approval["id"]]}
        assert state.requests[approval["request_id"]]["status_id"] == 7


async def test_adapter_client_maps_approval_refusals(client, state, http):
    _request_id, approval_id = await new_approval(http, state)
    with pytest.raises(ApiError) as refused:
        await client.put("incident.approval.accept", {"approval_id": approval_id, "user_id": 9})
    assert refused.value.code == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(ApiError) as missing:
        await client.put("incident.approval.accept", {"approval_id": 424242, "user_id": 3})
    assert missing.value.code == grpc.StatusCode.NOT_FOUND
    with pytest.raises(ApiError) as no_request:
        await client.get("incident.approval", {"request_id": 424242})
    assert no_request.value.code == grpc.StatusCode.NOT_FOUND
    statuses = await client.get("incident.approval.vote_status")
    assert statuses["-1"] == "Waiting"
