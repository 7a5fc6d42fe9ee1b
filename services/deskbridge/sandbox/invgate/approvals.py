"""The InvGate approval endpoints: `incident.approval*`, `incident.spontaneous_approval`,
`incident.custom_approval` (VENDORS.md §1.4 "Approvals", shapes §1.6).

Observed shapes: `incident.approval` items carry an integer `created_at` and the extra fields
`is_using_approval_manager, reminder_count, reassigned, reminders_sent, last_reminder_date`;
`possible_voters` items use `user_id` (not `id`); the status/type catalogues are maps
`{"-1": "Waiting", ...}`; `custom_approval` GET answers templates keyed by id (`[]` if none).

The instance stays consistent ([I]: no source documents these rules; they follow the UI):
- only a possible voter still waiting may vote, once; a decided approval takes no vote, voter
  or cancellation (HTTP 200 `{"status": "ERROR"}`);
- one rejection rejects the approval; the vote of the last waiting voter approves it; either
  way the votes still waiting are annulled (-2);
- a request with a waiting approval waits (status 4, `waiting_for` approval); when none of its
  approvals is left waiting it is Open (2) again, unless one was rejected: a rejected approval
  rejects the request (7) and cancels its other waiting approvals;
- every change moves the request's `last_update` (`state.touch`).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import Any

from deskbridge.sandbox.invgate.endpoints import LogicError, endpoint, request_or_none
from deskbridge.sandbox.invgate.params import Params
from deskbridge.sandbox.invgate.state import FINAL_STATUSES, OPEN_STATUSES, InvGateState

APPROVAL_STATUSES = {-2: "Cancelled", -1: "Waiting", 0: "Rejected", 1: "Approved"}
VOTE_STATUSES = {-2: "Annulled", -1: "Waiting", 0: "Rejected", 1: "Approved", 2: "Expired"}
APPROVAL_TYPES = {1: "Predefined approval", 2: "Spontaneous approval"}
CANCELLED = ANNULLED = -2
WAITING, REJECTED, APPROVED = -1, 0, 1
PREDEFINED, SPONTANEOUS = 1, 2
TEMPLATE_ACTIVE, TEMPLATE_DELETED = 1, -1
REQUEST_OPEN, REQUEST_WAITING, REQUEST_REJECTED = 2, 4, 7
# What `incident.approval` serves of a record (the record also keeps its `request_id`).
SERVED = (
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
)


# ------------------------------------------------------------------------ reading


def _dated(record: dict[str, Any], params: Params, keys: tuple[str, ...]) -> dict[str, Any]:
    """`created_at` and friends as epoch ints (default) or ISO-8601 (`date_format=iso8601`)."""
    if params.str("date_format") != "iso8601":
        return record
    return {
        k: datetime.fromtimestamp(v, UTC).isoformat() if k in keys and v else v
        for k, v in record.items()
    }


def _served(approval: dict[str, Any], params: Params) -> dict[str, Any]:
    return _dated({k: approval[k] for k in SERVED}, params, ("created_at", "last_reminder_date"))


def _request(state: InvGateState, params: Params) -> dict[str, Any]:
    record = request_or_none(state, params.int("request_id", required=True))
    if record is None:
        raise LogicError("Request not found")
    return record


def _approval(state: InvGateState, params: Params) -> dict[str, Any]:
    approval = state.approvals.get(params.int("approval_id", required=True))
    if approval is None:
        raise LogicError("Approval not found")
    return approval


def _user(state: InvGateState, params: Params, key: str) -> int:
    user = params.int(key, required=True)
    if user not in state.users:
        raise LogicError(f"The user {user} does not exist")
    return user


def _of_request(state: InvGateState, request_id: int) -> list[dict[str, Any]]:
    return [a for _, a in sorted(state.approvals.items()) if a["request_id"] == request_id]


@endpoint("incident.approval", "GET")
def list_approvals(state: InvGateState, params: Params):
    request = _request(state, params)
    pending = params.bool("only_pending")
    return [
        _served(a, params)
        for a in _of_request(state, request["id"])
        if not pending or a["status"] == WAITING
    ]


@endpoint("incident.approval.possible_voters", "GET")
def possible_voters(state: InvGateState, params: Params):
    approval = _approval(state, params)
    pending = params.bool("only_pending")
    return [
        {"user_id": v["user_id"], "status": v["status"]}
        for v in state.voters[approval["id"]]
        if not pending or v["status"] == WAITING
    ]


def _catalogue(values: dict[int, str]):
    def handler(state: InvGateState, params: Params):
        return {str(k): v for k, v in values.items()}

    return handler


for _key, _values in (
    ("incident.approval.status", APPROVAL_STATUSES),
    ("incident.approval.vote_status", VOTE_STATUSES),
    ("incident.approval.type", APPROVAL_TYPES),
):
    endpoint(_key, "GET")(_catalogue(_values))


@endpoint("incident.custom_approval", "GET")
def list_templates(state: InvGateState, params: Params):
    request = _request(state, params)
    templates = state.approval_templates.get(request["id"], {})
    # PHP serialises an empty array as `[]`, a non-empty id-keyed one as an object.
    return {str(i): _dated(dict(t), params, ("created_at",)) for i, t in templates.items()} or []


# ------------------------------------------------------------------------ voting


def _require_waiting(approval: dict[str, Any]) -> None:
    if approval["status"] != WAITING:
        label = APPROVAL_STATUSES[approval["status"]].lower()
        raise LogicError(f"The approval {approval['id']} is {label}; it is no longer pending")


def _close(state: InvGateState, approval: dict[str, Any], outcome: int) -> None:
    approval["status"] = outcome
    for voter in state.voters[approval["id"]]:
        if voter["status"] == WAITING:
            voter["status"] = ANNULLED


def _decide(state: InvGateState, approval: dict[str, Any], outcome: int) -> None:
    """Closes an approval and moves its request on (see the module docstring); the caller
    touches the request."""
    _close(state, approval, outcome)
    request = state.requests[approval["request_id"]]
    siblings = _of_request(state, request["id"])
    if outcome == REJECTED and request["status_id"] not in FINAL_STATUSES:
        request.update(status_id=REQUEST_REJECTED, waiting_for=None)
        for other in siblings:
            if other["status"] == WAITING:
                _close(state, other, CANCELLED)
    elif (request.get("waiting_for") or {}).get("type") == "approval" and not any(
        a["status"] == WAITING for a in siblings
    ):
        request.update(status_id=REQUEST_OPEN, waiting_for=None)


def _vote(state: InvGateState, params: Params, vote: int):
    approval = _approval(state, params)
    user = params.int("user_id", required=True)
    _require_waiting(approval)
    voters = state.voters[approval["id"]]
    voter = next((v for v in voters if v["user_id"] == user), None)
    if voter is None:
        raise LogicError(f"The user {user} cannot vote on approval {approval['id']}")
    if voter["status"] != WAITING:
        raise LogicError(f"The user {user} already voted on approval {approval['id']}")
    voter.update(status=vote, note=params.str("note", default=""))
    if vote == REJECTED:
        _decide(state, approval, REJECTED)
    elif all(v["status"] != WAITING for v in voters):
        _decide(state, approval, APPROVED)
    state.touch(approval["request_id"])
    return {"status": "OK"}


@endpoint("incident.approval.accept", "PUT")
def accept(state: InvGateState, params: Params):
    return _vote(state, params, APPROVED)


@endpoint("incident.approval.reject", "PUT")
def reject(state: InvGateState, params: Params):
    return _vote(state, params, REJECTED)


@endpoint("incident.approval.cancel", "PUT")
def cancel(state: InvGateState, params: Params):
    approval = _approval(state, params)
    _user(state, params, "user_id")
    _require_waiting(approval)
    approval["cancel_note"] = params.str("note", default="")
    _decide(state, approval, CANCELLED)
    state.touch(approval["request_id"])
    return {"status": "OK"}


@endpoint("incident.approval.add_voter", "POST")
def add_voter(state: InvGateState, params: Params):
    approval = _approval(state, params)
    user = _user(state, params, "user_id")
    _require_waiting(approval)
    voters = state.voters[approval["id"]]
    if any(v["user_id"] == user for v in voters):
        raise LogicError(f"The user {user} is already a voter of approval {approval['id']}")
    voters.append({"user_id": user, "status": WAITING, "note": ""})
    state.touch(approval["request_id"])
    return {"approval_id": approval["id"], "user_id": user}


# ------------------------------------------------------------------------ requesting


def _open_approval(
    state: InvGateState,
    request: dict[str, Any],
    *,
    author: int,
    kind: int,
    description: str,
    voters: list[int],
    template: int | None = None,
    created_at: int | None = None,
) -> dict[str, Any]:
    """A new waiting approval on `request`, which then waits for it."""
    identifier = state.new_id("approval", 500)
    approval = {
        "id": identifier,
        "request_id": request["id"],
        "author_id": author,
        "status": WAITING,
        "type": kind,
        "created_at": created_at or int(time.time()),
        "approval_request_id": template,
        "approval_request_description": description,
        "is_using_approval_manager": 0,
        "reminder_count": 0,
        "reassigned": 0,
        "reminders_sent": 0,
        "last_reminder_date": None,
    }
    state.approvals[identifier] = approval
    state.voters[identifier] = [{"user_id": u, "status": WAITING, "note": ""} for u in voters]
    request.update(status_id=REQUEST_WAITING, waiting_for={"type": "approval"})
    return approval


def _approvable(state: InvGateState, params: Params) -> dict[str, Any]:
    request = _request(state, params)
    if request["status_id"] not in OPEN_STATUSES:
        raise LogicError("Approvals can only be requested on requests still open")
    return request


@endpoint("incident.spontaneous_approval", "POST")
def spontaneous(state: InvGateState, params: Params):
    request = _approvable(state, params)
    author = _user(state, params, "author_id")
    voter = _user(state, params, "approval_user_id")
    description = params.str("description", required=True)
    _open_approval(
        state, request, author=author, kind=SPONTANEOUS, description=description, voters=[voter]
    )
    state.touch(request["id"])
    return {"status": "OK"}


@endpoint("incident.custom_approval", "POST")
def request_template(state: InvGateState, params: Params):
    request = _approvable(state, params)
    author = _user(state, params, "author_id")
    identifier = params.int("approval_id", required=True)
    template = state.approval_templates.get(request["id"], {}).get(identifier)
    if template is None:
        raise LogicError(f"The approval template {identifier} does not exist for this request")
    if template["status"] == TEMPLATE_DELETED:
        raise LogicError(f"The approval template {identifier} was deleted")
    description = params.str("description", default="")
    if template["description_required"] == 0 and not description:  # 0 means required (docs)
        raise LogicError("The description is required for this approval")
    _open_approval(
        state,
        request,
        author=author,
        kind=PREDEFINED,
        description=description or template["description"],
        voters=list(state.template_voters.get(identifier, [])),
        template=identifier,
    )
    state.touch(request["id"])
    return {"status": "OK"}


# ------------------------------------------------------------------------ demo data


def _template(identifier: int, title: str, *, required: bool, created: int) -> dict[str, Any]:
    return {
        "id": identifier,
        "title": title,
        "description": f"{title} of the request",
        "description_prompt": f"Why does this request need {title.lower()}?",
        "description_required": 0 if required else 1,
        "pause_sla": 1,
        "expired_in": "172800",
        "expired_approved": 2,
        "status": TEMPLATE_ACTIVE,
        "wf_item_id": 40 + identifier,
        "wf_process_id": 7,
        "created_at": created,
    }


SEEDED_OUTCOMES = (WAITING, WAITING, WAITING, APPROVED, REJECTED)


def seed(state: InvGateState, rng: random.Random) -> None:
    """Demo data: approval templates on a few open requests; on five of them an approval
    with three voters: three pending (one with a vote already cast), one approved, one
    rejected. Predefined approvals are asked of their template's voters."""
    agents = state.agents()
    candidates = [i for i, r in sorted(state.requests.items()) if r["status_id"] in (2, 3)]
    chosen = rng.sample(candidates, min(7, len(candidates)))
    epoch = min((r["created_at"] for r in state.requests.values()), default=0)
    catalogue = [
        _template(1, "Manager approval", required=False, created=epoch),
        _template(2, "Budget approval", required=True, created=epoch),
        _template(3, "Legacy approval", required=False, created=epoch),
    ]
    catalogue[2]["status"] = TEMPLATE_DELETED
    for template in catalogue:
        state.template_voters[template["id"]] = rng.sample(agents, 3)
    for request_id in chosen:
        state.approval_templates[request_id] = {t["id"]: dict(t) for t in catalogue}
    for position, (request_id, outcome) in enumerate(zip(chosen, SEEDED_OUTCOMES, strict=False)):
        request = state.requests[request_id]
        template = catalogue[0] if position % 2 else None
        approval = _open_approval(
            state,
            request,
            author=request["assigned_id"] or rng.choice(agents),
            kind=PREDEFINED if template else SPONTANEOUS,
            description=template["description"] if template else "Please approve the purchase",
            voters=state.template_voters[1] if template else rng.sample(agents, 3),
            template=template["id"] if template else None,
            created_at=request["last_update"],
        )
        approval["reminder_count"] = rng.randint(0, 2)
        voters = state.voters[approval["id"]]
        if outcome == APPROVED:
            for voter in voters:
                voter["status"] = APPROVED
            _decide(state, approval, APPROVED)
        elif outcome == REJECTED:
            voters[0].update(status=REJECTED, note="Not in the budget")
            _decide(state, approval, REJECTED)
        elif position == 0:  # a pending approval one voter has already approved
            voters[0].update(status=APPROVED, note="Fine by me")
