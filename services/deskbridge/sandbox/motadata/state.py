"""The sandbox's in-memory Motadata ServiceOps instance, with seeded demo data.

Records are kept in Motadata's own JSON shape (VENDORS.md §2.4), so endpoints only select and
format: a request is its wire object (times in epoch ms), a user (requester or technician, one
id space [I]) its requester object. Conversations keep their times in epoch ms; the API
renders them as the instance's strings ("Wed, Jul 16, 2025 04:33 pm"). `stamp()` sets a
record's `updatedTime` to the current epoch ms, never backwards: changes within one
millisecond share it, unless `strictly_increasing_updated_time`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deskbridge.sandbox.motadata.config import SandboxConfig

DAY_MS = 24 * 3600 * 1000

# Search-key kinds: what a qual's value may be compared with (quals.py).
LONG, STRING, BOOL, LIST, OTHER = "long", "string", "bool", "list", "other"

# The request object, in its key order, with each key's kind.
REQUEST_FIELDS: dict[str, str] = {
    "id": LONG,
    "name": STRING,
    "subject": STRING,
    "description": STRING,
    "createdTime": LONG,
    "updatedTime": LONG,
    "requesterEmail": STRING,
    "requesterName": STRING,
    "requesterId": LONG,
    "ccEmailSet": LIST,
    "tags": LIST,
    "impactName": STRING,
    "impactId": LONG,
    "priorityName": STRING,
    "priorityId": LONG,
    "urgencyName": STRING,
    "urgencyId": LONG,
    "statusName": STRING,
    "statusId": LONG,
    "categoryName": STRING,
    "categoryId": LONG,
    "departmentName": STRING,
    "locationName": STRING,
    "supportLevel": STRING,
    "spam": BOOL,
    "source": STRING,
    "assigneeEmail": STRING,
    "technicianId": LONG,
    "groupName": STRING,
    "groupId": LONG,
    "fileAttachments": OTHER,
    "linkAssetIds": OTHER,
    "customField": OTHER,
    "createdByName": STRING,
    "updatedByName": STRING,
    "resolvedTime": LONG,
    "lastClosedTime": LONG,
    "dueBy": LONG,
}

# The requester object (§2.4 POST /requester), also the technician object [I].
USER_FIELDS: dict[str, str] = {
    "id": LONG,
    "name": STRING,
    "email": STRING,
    "userLogOnName": STRING,
    "contactNo": STRING,
    "altContactNo1": STRING,
    "altContactNo2": STRING,
    "locationName": STRING,
    "departmentName": STRING,
    "companyName": STRING,
    "manager": STRING,
    "verified": BOOL,
    "vipRequester": BOOL,
    "allowToLogin": BOOL,
    "customField": OTHER,
    "createdTime": LONG,
    "updatedTime": LONG,
}

REQUESTER, TECHNICIAN = "requester", "technician"

LOCATIONS = ["Head Office", "Branch Office", "Data Center", "Remote Site"]
DEPARTMENTS = ["IT", "HR", "Finance"]
GROUPS = ["Service Desk", "Network Team", "Application Support"]
# label → field type. The docs' create example fills these four.
CUSTOM_FIELDS = {
    "New Dropdown": "dropdown",
    "New Number": "number",
    "New Text Area": "textarea",
    "New Text Input": "text",
}
SOURCES = ["External", "Support Portal", "Technician Portal", "Email"]
# (name, email): the first is the API user (config.username) and is filled in at seeding.
TECHNICIANS = [
    ("API Integration", None),
    ("Nirav Patel", "nirav.patel@example.com"),
    ("Priya Shah", "priya.shah@example.com"),
    ("Rahul Mehta", "rahul.mehta@example.com"),
    ("Sara Khan", "sara.khan@example.com"),
]
# The docs' create example has requesterEmail "a@b.com" answered as requesterName "utsav".
REQUESTERS = [
    ("utsav", "a@b.com"),
    ("Anita Desai", "anita.desai@example.com"),
    ("Bhavesh Joshi", "bhavesh.joshi@example.com"),
    ("Chitra Rao", "chitra.rao@example.com"),
    ("Deepak Nair", "deepak.nair@example.com"),
    ("Esha Gupta", "esha.gupta@example.com"),
    ("Farhan Ali", "farhan.ali@example.com"),
    ("Gita Iyer", "gita.iyer@example.com"),
    ("Harsh Vora", "harsh.vora@example.com"),
    ("Isha Kapoor", "isha.kapoor@example.com"),
    ("Jay Pandya", "jay.pandya@example.com"),
    ("Kavya Menon", "kavya.menon@example.com"),
]
_TOPICS = ["Email server", "VPN", "Laptop", "Printer", "Password", "Wi-Fi", "Payroll app"]
_PROBLEMS = ["is down", "is slow", "needs a reset", "shows an error", "needs an upgrade"]
_TAGS = ["network", "hardware", "access", "urgent", "vip", "email"]
_NOTES = [
    ("note", "<p>Checked the logs, looking into it.</p>"),
    ("technician_to_requester", "<p>Could you send a screenshot of the error?</p>"),
    ("requestor_to_technician", "<p>Attached, it happens every morning.</p>"),
    ("collaborate", "<p>Network team: can you check the switch on floor 2?</p>"),
]


@dataclass
class MotadataState:
    """Everything the sandboxed instance holds: records, reference data, issued tokens."""

    config: SandboxConfig
    requests: dict[int, dict[str, Any]] = field(default_factory=dict)
    conversations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    user_kind: dict[int, str] = field(default_factory=dict)  # user id → REQUESTER | TECHNICIAN
    locations: dict[str, int] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    custom_fields: dict[str, str] = field(default_factory=dict)  # label → type
    next_ids: dict[str, int] = field(default_factory=dict)
    # Issued credentials: access token → expiry (epoch s); refresh token → (user, expiry).
    tokens: dict[str, float] = field(default_factory=dict)
    refresh_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    token_requests: int = 0  # every POST /api/oauth/token
    tokens_issued: int = 0  # the ones that got an access token
    clock: Callable[[], float] = time.time  # epoch seconds; tests may freeze it

    def new_id(self, kind: str) -> int:
        value = self.next_ids.get(kind, 1)
        self.next_ids[kind] = value + 1
        return value

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def stamp(self, record: dict[str, Any]) -> None:
        """A change of `record`: move its `updatedTime` to now (never backwards)."""
        floor = int(record.get("updatedTime") or 0)
        if self.config.strictly_increasing_updated_time:
            floor += 1
        record["updatedTime"] = max(self.now_ms(), floor)

    def user_by_email(self, email: str, kind: str | None = None) -> dict[str, Any] | None:
        """The user with this email (case-insensitive [I]), of `kind` if given."""
        wanted = email.strip().lower()
        for user_id, user in self.users.items():
            if (user.get("email") or "").lower() == wanted:
                return user if kind is None or self.user_kind[user_id] == kind else None
        return None

    def user_of(self, user_id: int, kind: str) -> dict[str, Any] | None:
        return self.users.get(user_id) if self.user_kind.get(user_id) == kind else None

    def api_user(self) -> dict[str, Any]:
        """Who API calls act as: the password grant's user (also for Apikey calls [?])."""
        return self.user_by_email(self.config.username) or next(iter(self.users.values()))

    def refresh_requester(self, user: dict[str, Any]) -> None:
        """Keep the requests of `user` showing its current name and email."""
        for record in self.requests.values():
            if record["requesterId"] == user["id"]:
                record["requesterName"], record["requesterEmail"] = user["name"], user["email"]


def new_user(user_id: int, name: str, email: str, now_ms: int) -> dict[str, Any]:
    """A user record with every requester key; the unset ones null [I]."""
    record: dict[str, Any] = dict.fromkeys(USER_FIELDS)
    record.update(
        id=user_id,
        name=name,
        email=email,
        verified=False,
        vipRequester=False,
        allowToLogin=False,
        customField={},
        createdTime=now_ms,
        updatedTime=now_ms,
    )
    return record


def add_user(state: MotadataState, kind: str, name: str, email: str) -> dict[str, Any]:
    user = new_user(state.new_id("user"), name, email, state.now_ms())
    state.users[user["id"]] = user
    state.user_kind[user["id"]] = kind
    return user


def seeded_state(config: SandboxConfig, clock: Callable[[], float] = time.time) -> MotadataState:
    """The demo instance: deterministic from `config.seed` (times relative to now)."""
    state = MotadataState(config=config, clock=clock)
    rng = random.Random(config.seed)
    state.locations = {name: i for i, name in enumerate(LOCATIONS, 1)}
    state.departments = {name: i for i, name in enumerate(DEPARTMENTS, 1)}
    state.groups = {name: i for i, name in enumerate(GROUPS, 1)}
    state.custom_fields = dict(CUSTOM_FIELDS)
    now = state.now_ms()
    for name, email in TECHNICIANS:
        _seed_user(state, rng, TECHNICIAN, name, email or config.username, now)
    for name, email in REQUESTERS:
        _seed_user(state, rng, REQUESTER, name, email, now)
    ages = sorted((rng.uniform(0.5, 6) * DAY_MS for _ in range(config.request_count)), reverse=True)
    statuses = [list(config.statuses)[i % len(config.statuses)] for i in range(len(ages))]
    rng.shuffle(statuses)
    for age, status in zip(ages, statuses, strict=True):
        _seed_request(state, rng, now - int(age), status, now)
    return state


def _seed_user(
    state: MotadataState, rng: random.Random, kind: str, name: str, email: str, now: int
) -> None:
    user = add_user(state, kind, name, email)
    created = now - int(rng.uniform(30, 400) * DAY_MS)
    user.update(
        userLogOnName=email.split("@")[0],
        contactNo=f"+91 98{rng.randrange(10**7, 10**8)}",
        locationName=rng.choice(LOCATIONS),
        departmentName=rng.choice(DEPARTMENTS),
        companyName="Example Corp",
        verified=True,
        vipRequester=rng.random() < 0.2,
        allowToLogin=True,
        createdTime=created,
        updatedTime=created + int(rng.uniform(0, 20) * DAY_MS),
    )


def _seed_request(
    state: MotadataState, rng: random.Random, created: int, status: str, now: int
) -> None:
    config = state.config
    requesters = [u for u, k in state.user_kind.items() if k == REQUESTER]
    technicians = [u for u, k in state.user_kind.items() if k == TECHNICIAN]
    requester = state.users[rng.choice(requesters)]
    technician = state.users[rng.choice(technicians)] if status != "Open" else None
    group = rng.choice([None, *GROUPS])
    request_id = state.new_id("request")
    priority = rng.choice(list(config.priorities))
    urgency = rng.choice(list(config.urgencies))
    impact = rng.choice(list(config.impacts))
    category = rng.choice(list(config.categories))
    updated = min(created + int(rng.uniform(0.01, 1.5) * DAY_MS), now - 60_000)
    record: dict[str, Any] = {
        "id": request_id,
        "name": f"INC-{request_id}",
        "subject": f"{rng.choice(_TOPICS)} {rng.choice(_PROBLEMS)}",
        "description": "<p>Reported by the requester.</p>",
        "createdTime": created,
        "updatedTime": updated,
        "requesterEmail": requester["email"],
        "requesterName": requester["name"],
        "requesterId": requester["id"],
        "ccEmailSet": [],
        "tags": rng.sample(_TAGS, rng.randrange(0, 3)),
        "impactName": impact,
        "impactId": config.impacts[impact],
        "priorityName": priority,
        "priorityId": config.priorities[priority],
        "urgencyName": urgency,
        "urgencyId": config.urgencies[urgency],
        "statusName": status,
        "statusId": config.statuses[status],
        "categoryName": category,
        "categoryId": config.categories[category],
        "departmentName": requester["departmentName"],
        "locationName": requester["locationName"],
        "supportLevel": f"tier{rng.randrange(1, 5)}",
        "spam": False,
        "source": rng.choice(SOURCES),
        "assigneeEmail": technician["email"] if technician else None,
        "technicianId": technician["id"] if technician else None,
        "groupName": group,
        "groupId": state.groups[group] if group else None,
        "fileAttachments": [],
        "linkAssetIds": [],
        "customField": {},
        "createdByName": requester["name"],
        "updatedByName": technician["name"] if technician else requester["name"],
        "resolvedTime": updated if status in ("Resolved", "Closed") else None,
        "lastClosedTime": updated if status == "Closed" else None,
        "dueBy": created + int(rng.uniform(1, 4) * DAY_MS) if rng.random() < 0.6 else None,
    }
    state.requests[request_id] = record
    conversations = state.conversations.setdefault(request_id, [])
    for _ in range(rng.randrange(0, 4) if technician else rng.randrange(0, 2)):
        kind, details = rng.choice(_NOTES)
        author = technician if technician and kind != "requestor_to_technician" else requester
        at = rng.randint(created, updated)
        conversations.append(
            new_conversation(state, record, author, kind, details, at, {"conversationState": None})
        )
    conversations.sort(key=lambda c: c["createdTime"])


def new_conversation(
    state: MotadataState,
    request: dict[str, Any],
    author: dict[str, Any],
    kind: str,
    details: str,
    at_ms: int,
    body: dict[str, Any],
) -> dict[str, Any]:
    """A conversation record (times in epoch ms); `body` has the optional keys."""
    return {
        "id": state.new_id("conversation"),
        "conversationType": kind,
        "details": details,
        "createdByName": author["name"],
        "createdByEmail": author["email"],
        "createdTime": at_ms,
        "updatedTime": at_ms,
        # [C] the example's subject is "[INC-104]: <the request's subject>".
        "subject": f"[{request['name']}]: {request['subject']}",
        "conversationState": body.get("conversationState") or "published",
        "emailIds": list(body.get("emailIds") or []),
        "ccEmailIds": list(body.get("ccEmailIds") or []),
        "updatable": True,
        "deletable": True,
        "fileAttachments": list(body.get("fileAttachments") or []),
    }
