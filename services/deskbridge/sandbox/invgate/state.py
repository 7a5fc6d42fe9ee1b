"""The sandbox's consistent in-memory InvGate instance, with seeded demo data.

Records are kept in InvGate's own JSON shape (VENDORS.md §1.4), so endpoints only select and
format. `touch()` sets a request's `last_update` on every change to the current epoch second,
never moving it backwards: as on a real instance, two changes within one second share one
`last_update`. `strictly_increasing_last_update` restores the old sandbox behaviour
(max(now, previous + 1): every change a distinct value). Both `add_request()` and `touch()`
append to a change log a poller can read and call the `listeners` ("created" | "updated",
the request record), which is how the automation rules (automation.py) see every change.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Called with ("created" | "updated", the request record) after each change.
ChangeListener = Callable[[str, dict[str, Any]], None]

STATUSES = {
    1: "New",
    2: "Open",
    3: "Pending",
    4: "Waiting",
    5: "Solved",
    6: "Closed",
    7: "Rejected",
    8: "Cancelled",
}
PRIORITIES = {1: "Low", 2: "Medium", 3: "High", 4: "Urgent", 5: "Critical"}
TYPES = {
    1: "Incident",
    2: "Service Request",
    3: "Question",
    4: "Problem",
    5: "Change",
    6: "Major Incident",
}
SOURCES = {  # observed (VENDORS.md §1.4 "Enumerations")
    1: "Email",
    2: "Web",
    3: "Phone",
    4: "In person",
    5: "IM",
    6: "Scheduled",
    7: "Imported",
    8: "API",
    9: "MS Teams",
    10: "WhatsApp",
    11: "Workflow",
    12: "Embedded chat",
    13: "Mobile app",
    14: "MCP",
}
OPEN_STATUSES = {1, 2, 3, 4}
FINAL_STATUSES = {6, 7, 8}


@dataclass
class Instance:
    """What differs from one real InvGate instance to another: its reference data (labels
    are the instance's own: one calls status 5 "Solved", another "Resolved"; custom statuses
    get ids above 8) and behaviours no source records [?], each a setting."""

    statuses: dict[int, str] = field(default_factory=lambda: dict(STATUSES))
    priorities: dict[int, str] = field(default_factory=lambda: dict(PRIORITIES))
    types: dict[int, str] = field(default_factory=lambda: dict(TYPES))
    sources: dict[int, str] = field(default_factory=lambda: dict(SOURCES))
    # Statuses a request is open in: all `incidents.by.status|view|helpdesk` return [O].
    # Custom statuses are open ones [I]: final statuses are built in.
    open_statuses: frozenset[int] = frozenset(OPEN_STATUSES)
    # [?] Whether `incidents.by.customer|agent` leave closed requests out, like by.status.
    person_lists_open_only: bool = False
    # [?] What an endpoint key the instance does not serve answers (§1.7 has 405 only for a
    # known key with the wrong method).
    unknown_endpoint_status: int = 404
    # Endpoint keys this instance does not serve (an older version, a module not licensed).
    unserved: frozenset[str] = frozenset()
    # [?] How `GET incident` answers a request that does not exist: "404" (`{"error"}`, seen
    # only in a test mock), "error" (HTTP 200 `status: ERROR`, as the actions answer) or
    # "empty" (HTTP 200 `[]`); and in which words (instances answer in their language).
    missing_incident: str = "404"
    missing_request_text: str = "Request not found"
    # [C spec] `POST incident` answers `{status, info, request_id}`; False leaves the id out.
    create_names_request: bool = True

    def is_open(self, status: int) -> bool:
        return status in self.open_statuses


_TOPICS = [
    "Printer",
    "VPN",
    "Laptop",
    "Email",
    "Password",
    "Monitor",
    "Phone",
    "Badge",
    "Wi-Fi",
    "Software licence",
]
_PROBLEMS = [
    "is down",
    "does not start",
    "is slow",
    "needs a reset",
    "was lost",
    "shows an error",
    "needs an upgrade",
]
_NAMES = [
    "Ana",
    "Bruno",
    "Carla",
    "Diego",
    "Elena",
    "Facundo",
    "Gabriela",
    "Hugo",
    "Ines",
    "Julian",
    "Karina",
    "Lucas",
    "Marta",
    "Nicolas",
    "Olga",
    "Pablo",
]
_SURNAMES = ["Garcia", "Lopez", "Martinez", "Perez", "Rossi", "Silva", "Torres", "Vega"]


@dataclass
class InvGateState:
    """Everything an InvGate instance holds that the sandbox serves."""

    requests: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    helpdesks: dict[int, dict[str, Any]] = field(default_factory=dict)
    levels: dict[int, dict[str, Any]] = field(default_factory=dict)
    categories: dict[int, dict[str, Any]] = field(default_factory=dict)
    custom_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    observers: dict[int, list[int]] = field(default_factory=dict)
    collaborators: dict[int, list[int]] = field(default_factory=dict)
    links: dict[int, list[int]] = field(default_factory=dict)
    external_entities: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    tasks: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    attachments: dict[int, dict[str, Any]] = field(default_factory=dict)
    timetracking: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Directory (sandbox/invgate/directory.py): groups, companies, locations; who belongs
    # to what; observers. `members` and `observers` are keyed by (kind, id), kind being the
    # endpoint family: "groups", "companies", "locations", "helpdesks", "levels".
    groups: dict[int, dict[str, Any]] = field(default_factory=dict)
    companies: dict[int, dict[str, Any]] = field(default_factory=dict)
    locations: dict[int, dict[str, Any]] = field(default_factory=dict)
    members: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    company_groups: dict[int, list[int]] = field(default_factory=dict)
    observers_of: dict[tuple[str, int], dict[str, list[int]]] = field(default_factory=dict)
    internal_notes: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Knowledge base and Breaking News (sandbox/invgate/knowledge.py). Article records carry
    # their attachments; `kb_visibility` (article id → 1 private, 2 registered users,
    # 3 public) is what `kb.articles.by.category?visibility=` filters on, a level the article
    # object itself does not show (it has `is_private` only). `news_updates` are keyed by
    # Breaking News id, oldest first.
    kb_categories: dict[int, dict[str, Any]] = field(default_factory=dict)
    kb_articles: dict[int, dict[str, Any]] = field(default_factory=dict)
    kb_visibility: dict[int, int] = field(default_factory=dict)
    news: dict[int, dict[str, Any]] = field(default_factory=dict)
    news_updates: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # Approvals (sandbox/invgate/approvals.py): approval id → record (with its request id),
    # approval id → possible voters `[{user_id, status, note}]`, request id → {template id →
    # template}, template id → the user ids who vote on approvals requested from it.
    approvals: dict[int, dict[str, Any]] = field(default_factory=dict)
    voters: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    approval_templates: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    template_voters: dict[int, list[int]] = field(default_factory=dict)
    change_log: list[tuple[int, int]] = field(default_factory=list)
    next_ids: dict[str, int] = field(default_factory=dict)
    strictly_increasing_last_update: bool = False
    instance: Instance = field(default_factory=Instance)
    listeners: list[ChangeListener] = field(default_factory=list)

    def new_id(self, kind: str, start: int = 1) -> int:
        value = self.next_ids.get(kind, start)
        self.next_ids[kind] = value + 1
        return value

    def touch(self, request_id: int) -> None:
        """Record a change of a request: move its `last_update`, log it, tell the listeners."""
        record = self.requests[request_id]
        floor = int(record.get("last_update") or 0)
        if self.strictly_increasing_last_update:
            floor += 1
        record["last_update"] = max(int(time.time()), floor)
        self.change_log.append((request_id, record["last_update"]))
        self._notify("updated", record)

    def _notify(self, event: str, record: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            listener(event, record)

    def agents(self) -> list[int]:
        return [i for i, u in self.users.items() if u["user_type"] == 1]

    def customers(self) -> list[int]:
        return [i for i, u in self.users.items() if u["user_type"] == 2]

    def add_request(self, fields: dict[str, Any], now: int | None = None) -> dict[str, Any]:
        identifier = self.new_id("request", 1000)
        now = now or int(time.time())
        record = {
            "id": identifier,
            "title": "",
            "description": "",
            "category_id": None,
            "priority_id": 2,
            "type_id": 1,
            "source_id": 8,
            "user_id": None,
            "creator_id": None,
            "assigned_id": None,
            "assigned_group_id": None,
            "location_id": None,
            "status_id": 1,
            "date_ocurred": now,
            "created_at": now,
            "last_update": now,
            "process_id": None,
            "solved_at": None,
            "closed_at": None,
            "closed_reason": None,
            "attachments": [],
            "custom_fields": {},
            "sla_incident_resolution": "on time",
            "sla_incident_first_reply": "on time",
            "pretty_id": f"#{identifier}",
            "request_customer_sentiment_initial": "neutral",
            "request_customer_sentiment_current": "neutral",
            "waiting_for": None,
        }
        record.update(fields)
        self.requests[identifier] = record
        self.comments[identifier] = []
        self.change_log.append((identifier, record["last_update"]))
        self._notify("created", record)
        return record

    def add_comment(
        self,
        request_id: int,
        author_id: int,
        message: str,
        *,
        customer_visible: bool,
        is_solution: bool,
        attachments: list[int] | None = None,
    ) -> dict[str, Any]:
        thread = self.comments[request_id]
        comment = {
            "id": self.new_id("comment", 5000),
            "incident_id": request_id,
            "author_id": author_id,
            "message": message,
            "created_at": int(time.time()),
            "customer_visible": customer_visible,
            "reference": None,
            "msg_num": len(thread) + 1,
            "is_solution": is_solution,
            "attached_files": list(attachments or []),
        }
        thread.append(comment)
        return comment


def seeded_state(
    seed: int = 7, request_count: int = 300, instance: Instance | None = None
) -> InvGateState:
    """Deterministic demo data: help desks and levels, agents, customers, categories, requests
    across every status (the instance's custom ones too) with comments, and a few custom
    fields."""
    rng = random.Random(seed)
    state = InvGateState(instance=instance or Instance())
    custom_statuses = sorted(s for s in state.instance.statuses if s not in STATUSES)
    for index, name in enumerate(
        ["Service Desk", "Infrastructure", "Applications", "Facilities"], start=1
    ):
        state.helpdesks[index] = {
            "id": index,
            "name": name,
            "engine_id": 1,
            "status_id": 1,
            "parent_id": None,
            "total_members": 0,
        }
        for order in (1, 2):
            level_id = index * 10 + order
            state.levels[level_id] = {
                "id": level_id,
                "name": f"{name} L{order}",
                "level_order": order,
                "engine_id": 1,
                "status_id": 1,
                "parent_id": index,
                "type_id": 2,
                "total_members": 0,
                "members_ids": [],
            }
    for identifier in range(1, 11):
        state.users[identifier] = _user(rng, identifier, user_type=1)
    for identifier in range(100, 150):
        state.users[identifier] = _user(rng, identifier, user_type=2)
    for identifier, (name, parent) in enumerate(
        [
            ("Hardware", None),
            ("Software", None),
            ("Network", None),
            ("Access", None),
            ("Printers", 1),
            ("Laptops", 1),
            ("Email", 2),
            ("VPN", 3),
        ],
        start=1,
    ):
        state.categories[identifier] = {
            "id": str(identifier),
            "name": name,
            "parent_category_id": parent,
        }
    state.custom_fields = {
        "26": {
            "uid": "26",
            "label": "Team",
            "description": "Owning team",
            "type": "list",
            "categories": [1, 2],
            "is_required": False,
        },
        "27": {
            "uid": "27",
            "label": "Asset tag",
            "description": "",
            "type": "text",
            "categories": [1],
            "is_required": False,
        },
        "28": {
            "uid": "28",
            "label": "VIP",
            "description": "",
            "type": "checkbox",
            "categories": [],
            "is_required": False,
        },
        "29": {
            "uid": "29",
            "label": "Product",
            "description": "",
            "type": "tree",
            "categories": [2],
            "is_required": False,
        },
    }
    now = int(time.time())
    agents, customers = state.agents(), state.customers()
    for _ in range(request_count):
        created = now - rng.randint(3600, 90 * 24 * 3600)
        status = rng.choice([1, 2, 2, 2, 3, 4, 5, 6, 6, 7, 8, *custom_statuses])
        helpdesk = rng.choice(list(state.helpdesks))
        customer = rng.choice(customers)
        assigned = rng.choice(agents) if status != 1 else None
        record = state.add_request(
            {
                "title": f"{rng.choice(_TOPICS)} {rng.choice(_PROBLEMS)}",
                "description": "<p>Reported through the portal.</p>",
                "category_id": rng.choice(list(state.categories)),
                "priority_id": rng.randint(1, 5),
                "type_id": rng.choice([1, 1, 2, 3]),
                "source_id": rng.choice(list(state.instance.sources)),
                "user_id": customer,
                "creator_id": customer,
                "assigned_id": assigned,
                "assigned_group_id": helpdesk if status != 1 else None,
                "status_id": status,
                "created_at": created,
                "date_ocurred": created,
                "last_update": created + rng.randint(60, 3000),
                "custom_fields": {"26": {"a1b2": "Team A"}} if rng.random() < 0.3 else {},
                "request_customer_sentiment_current": rng.choice(
                    ["positive", "neutral", "negative"]
                ),
            },
            now=created,
        )
        if status in (5, 6):
            record["solved_at"] = record["last_update"]
        if status == 6:
            record["closed_at"], record["closed_reason"], record["rating"] = (
                record["last_update"],
                1,
                rng.randint(3, 5),
            )
        if rng.random() < 0.2:
            attachment_id = state.new_id("attachment", 9000)
            state.attachments[attachment_id] = {
                "id": attachment_id,
                "name": f"screenshot-{attachment_id}.png",
                "url": f"/attachments/{attachment_id}",
                "hash": f"{attachment_id:032x}",
                "extension": "png",
            }
            record["attachments"].append(attachment_id)
        for _ in range(rng.randint(0, 3)):
            comment = state.add_comment(
                record["id"],
                rng.choice([customer, assigned or 1]),
                "<p>Any news on this?</p>",
                customer_visible=True,
                is_solution=False,
            )
            comment["created_at"] = created + 60
    return state


def _user(rng: random.Random, identifier: int, *, user_type: int) -> dict[str, Any]:
    name, surname = rng.choice(_NAMES), rng.choice(_SURNAMES)
    username = f"{name.lower()}.{surname.lower()}{identifier}"
    return {
        "id": identifier,
        "name": name,
        "lastname": surname,
        "username": username,
        "email": f"{username}@example.com",
        "other_email": None,
        "type": 1 if user_type == 1 else 4,
        "phone": f"+54 11 4000 {identifier:04d}",
        "mobile": None,
        "office": None,
        "other": None,
        "fax": None,
        "address": None,
        "city": "Buenos Aires",
        "country": "Argentina",
        "birthday": None,
        "position": "Agent" if user_type == 1 else "Employee",
        "department": "IT" if user_type == 1 else "Operations",
        "manager_id": None,
        "location": None,
        "is_external": False,
        "user_type": user_type,
        "role_name": "Agent" if user_type == 1 else "End user",
        "is_disabled": False,
        "is_deleted": False,
        "employee_number": f"E{identifier:05d}",
        "doc": None,
    }
