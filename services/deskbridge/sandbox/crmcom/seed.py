"""The demo instance's data, deterministic from `config.seed` (dates relative to now).

Reference data (names are what callers identify them by; see app.py for the list): 2 units,
3 users (the first logs in as `config.username`), 3 service request types (one emails its
customers, one SMSes them), 6 statuses over the 4 life-cycle states, 4 service request
categories, 3 response categories (2 require customer acceptance), 3 resolution categories,
2 groups, 2 privacy levels, 8 contacts (6 persons, 2 companies; see CONTACTS), 5 accounts
receivable (owned by contacts 1-5), and `request_count` service requests spread over every
life-cycle situation (SITUATIONS).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from deskbridge.sandbox.crmcom.config import SandboxConfig
from deskbridge.sandbox.crmcom.state import (
    FINAL_RESOLVED,
    PENDING,
    RESPONDED,
    TEMPORARY_RESOLVED,
    Actor,
    CrmState,
    new_log,
)

HOUR, DAY = 3600.0, 86400.0
FIRST_NUMBER = 251  # so the docs' SR00000275 [C] is one of the seeded requests

UNITS = [
    ("Head Office", "HO", "Customer care", "Customer Care", "CRMDEMO"),
    ("Limassol Branch", "LB", "Field operations", "Field Operations", "CRMDEMO"),
]
USERS = [  # (username, person name, email); the first is replaced by config.username
    (None, "Deskbridge Integration", "deskbridge@crmdemo.example.com"),
    ("maria.georgiou", "Maria Georgiou", "maria.georgiou@crmdemo.example.com"),
    ("andreas.pavlou", "Andreas Pavlou", "andreas.pavlou@crmdemo.example.com"),
]
TYPES = [  # (name, alternative_code, emails customers, SMSes customers)
    ("Technical Support", "TS", True, False),
    ("Billing Enquiry", "BE", False, False),
    ("Installation", "INS", False, True),
]
STATUSES = [  # (name, alternative_code, life-cycle state); the first of a state is its default
    ("Open", "O", PENDING),
    ("Awaiting Customer", "AC", PENDING),
    ("Responded", "R", RESPONDED),
    ("Temporary Resolved", "TR", TEMPORARY_RESOLVED),
    ("Resolved", "RES", FINAL_RESOLVED),
    ("Closed", "C", FINAL_RESOLVED),
]
CATEGORIES = [("Network", "NET"), ("Billing", "BIL"), ("Hardware", "HW"), ("Accounts", "ADM")]
RESPONSE_CATEGORIES = [  # (name, code, requires customer acceptance)
    ("Acknowledged", "ACK", False),
    ("Proposed Solution", "PROP", True),
    ("Site Visit Scheduled", "VISIT", True),
]
RESOLUTION_CATEGORIES = [("Fixed", "FIX"), ("Workaround", "WRK"), ("No Fault Found", "NFF")]
GROUPS = [("First Line Support", "FLS"), ("Field Engineers", "FE")]
PRIVACY_LEVELS = [("Public", "PUB"), ("Restricted", "RST")]
# (type, first/company name, last name, number suffix, related with contact #): contacts 1-5
# own the accounts; 6 and 7 are related with the company 4, 8 with the company 5.
CONTACTS = [
    ("PERSON", "Eleni", "Christodoulou", None),
    ("PERSON", "Nikos", "Ioannou", None),
    ("PERSON", "Sofia", "Constantinou", None),
    ("COMPANY", "Kypros Telecom Ltd", None, None),
    ("COMPANY", "Marina Services Ltd", None, None),
    ("PERSON", "Petros", "Kyriakou", 4),
    ("PERSON", "Anna", "Demetriou", 4),
    ("PERSON", "Giorgos", "Michael", 5),
]
URGENCIES = ("URGENCY1", "URGENCY2", "URGENCY3")
IMPACTS = ("IMPACT1", "IMPACT2", "IMPACT3")
_TOPICS = ["Internet connection", "Set-top box", "Invoice", "Router", "Payment", "Decoder"]
_PROBLEMS = ["drops every evening", "shows an error", "is wrong", "needs installing", "is slow"]
# Every life-cycle situation the seeded requests cover, cycled then shuffled.
SITUATIONS = (
    "pending",
    "pending_awaiting",
    "responded_pending_acceptance",
    "responded_accepted",
    "responded_no_acceptance",
    "temporary",
    "temporary_accepted",
    "final_pending_acceptance",
    "completed",
)


def _table(state: CrmState, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    table = {}
    for row in rows:
        row = {"id": state.new_id(), **row}
        table[row["id"]] = row
    return table


def seeded_state(config: SandboxConfig, clock: Callable[[], float] | None = None) -> CrmState:
    state = CrmState(config=config, rng=random.Random(config.seed))
    if clock is not None:
        state.clock = clock
    rng = random.Random(config.seed * 7919 + 1)
    state.units = _table(
        state,
        [
            dict(
                zip(
                    ("name", "alternative_code", "description", "group_name", "community_name"),
                    u,
                    strict=True,
                )
            )
            for u in UNITS
        ],
    )
    state.users = _table(
        state,
        [
            {"username": name or config.username, "person_name": person, "email": email}
            for name, person, email in USERS
        ],
    )
    state.types = _table(
        state,
        [
            {"name": n, "alternative_code": c, "email_customers": e, "sms_customers": s}
            for n, c, e, s in TYPES
        ],
    )
    state.statuses = _table(
        state,
        [{"name": n, "alternative_code": c, "life_cycle_state": s} for n, c, s in STATUSES],
    )
    state.categories = _table(state, [{"name": n, "code": c} for n, c in CATEGORIES])
    state.response_categories = _table(
        state,
        [
            {"name": n, "code": c, "requires_customer_acceptance": r}
            for n, c, r in RESPONSE_CATEGORIES
        ],
    )
    state.resolution_categories = _table(
        state, [{"name": n, "code": c} for n, c in RESOLUTION_CATEGORIES]
    )
    state.groups = _table(state, [{"name": n, "alternative_code": c} for n, c in GROUPS])
    state.privacy_levels = _table(
        state, [{"name": n, "alternative_code": c} for n, c in PRIVACY_LEVELS]
    )
    now = state.now()
    actor = Actor(state.api_user()["id"], state.default_unit()["id"])
    _seed_contacts(state, rng, actor, now)
    _seed_accounts(state, rng, actor, now)
    state.next_number = FIRST_NUMBER
    ages = sorted(rng.uniform(2 * HOUR, 20 * DAY) for _ in range(config.request_count))
    situations = [SITUATIONS[i % len(SITUATIONS)] for i in range(config.request_count)]
    rng.shuffle(situations)
    for age, situation in zip(reversed(ages), situations, strict=True):
        _seed_request(state, rng, now - age, situation, now)
    return state


def _seed_contacts(state: CrmState, rng: random.Random, actor: Actor, now: float) -> None:
    ids: list[str] = []
    for n, (kind, first, last, related) in enumerate(CONTACTS, 1):
        person = kind == "PERSON"
        name = f"{first} {last}" if person else first
        local = f"{first}.{last}".lower() if person else first.split()[0].lower()
        record = {
            "id": state.new_id(),
            "number": f"CI{n + 110:06d}",  # CI000111 [C] is the first
            "type": kind,
            "name": name,
            "first_name": first if person else None,
            "last_name": last if person else None,
            "company_name": None if person else first,
            "id_number": f"{800000 + n * 17}" if person else None,
            "passport_number": f"K{rng.randrange(10**6, 10**7)}" if person else None,
            "social_security_number": f"SS{rng.randrange(10**5, 10**6)}" if person else None,
            "vat_registration_number": None if person else f"CY{rng.randrange(10**7, 10**8)}X",
            "registration_number": None if person else f"HE{rng.randrange(10**5, 10**6)}",
            "emails": [{"email_address": f"{local}@example.com", "is_primary": True}],
            "phones": [{"number": f"+3579{rng.randrange(10**6, 10**7)}", "is_primary": True}],
            "related": [],
            "log": new_log(actor, now - rng.uniform(200, 900) * DAY),
        }
        state.contacts[record["id"]] = record
        ids.append(record["id"])
        if related is not None:
            other = state.contacts[ids[related - 1]]
            record["related"].append(other["id"])
            other["related"].append(record["id"])


def _seed_accounts(state: CrmState, rng: random.Random, actor: Actor, now: float) -> None:
    owners = list(state.contacts.values())[:5]
    for n, owner in enumerate(owners, 1):
        record = {
            "id": state.new_id(),
            "number": f"AR{n:06d}",
            "name": owner["name"],
            "life_cycle_state": "ACTIVE",  # [I]
            "owner_id": owner["id"],
            "log": new_log(actor, owner["log"]["created"] + rng.uniform(1, 30) * DAY),
        }
        state.accounts[record["id"]] = record


def first(table: dict[str, dict[str, Any]], **match: Any) -> dict[str, Any]:
    return next(r for r in table.values() if all(r[k] == v for k, v in match.items()))


def _seed_request(
    state: CrmState, rng: random.Random, created: float, situation: str, now: float
) -> None:
    users = list(state.users.values())
    units = list(state.units.values())
    account = rng.choice(list(state.accounts.values()))
    caller = state.contacts[rng.choice(sorted(state.related_contacts(account["owner_id"])))]
    kind = rng.choice(list(state.types.values()))
    creator = Actor(rng.choice(users)["id"], rng.choice(units)["id"])
    log = new_log(creator, created)
    record: dict[str, Any] = {
        "id": state.new_id(),
        "number": state.new_number(),
        "type_id": kind["id"],
        "status_id": first(state.statuses, name="Open")["id"],
        "category_id": rng.choice(list(state.categories)),
        "account_id": account["id"],
        "contact_id": caller["id"],
        "caller_email": caller["emails"][0]["email_address"]
        if kind["email_customers"] or rng.random() < 0.5
        else None,
        "caller_phone": caller["phones"][0]["number"]
        if kind["sms_customers"] or rng.random() < 0.3
        else None,
        "description": f"{rng.choice(_TOPICS)} {rng.choice(_PROBLEMS)}",
        "notes": None,
        "urgency_level": rng.choice(URGENCIES),
        "impact_level": rng.choice(IMPACTS),
        "group_id": rng.choice([None, *state.groups]),
        "privacy_level_id": None,
        "assigned_to": {"user_id": rng.choice(users)["id"], "group_id": None},
        "start_date": created,
        "expected_completion_date": None,
        "estimated_completion_time": None,
        "response": None,
        "temporary_resolution": None,
        "final_resolution": None,
        "referring_to": None,
        "services": [],
        "physical_goods": [],
        "related": [],
        "udf": {},
        "log": log,
    }
    if rng.random() < 0.7:
        amount, uot = rng.choice([(4, "HOURS"), (8, "HOURS"), (1, "DAYS"), (3, "DAYS")])
        record["estimated_completion_time"] = {"time_period": amount, "uot": uot}
        record["expected_completion_date"] = created + amount * (HOUR if uot == "HOURS" else DAY)
    _seed_steps(state, rng, record, situation, now)
    state.requests[record["id"]] = record


def _seed_steps(
    state: CrmState, rng: random.Random, record: dict[str, Any], situation: str, now: float
) -> None:
    """The response, resolutions and acceptances of one life-cycle situation."""
    created = record["log"]["created"]
    times = sorted(rng.uniform(created, now - 60) for _ in range(6))
    by = rng.choice(list(state.users))
    caller = record["contact_id"]
    last = created
    if situation == "pending_awaiting":
        record["status_id"] = first(state.statuses, name="Awaiting Customer")["id"]
        last = times[0]
    if situation.startswith("pending"):
        record["log"]["updated"] = last
        return
    needs = situation != "responded_no_acceptance"
    response_category = rng.choice(
        [
            c
            for c in state.response_categories.values()
            if c["requires_customer_acceptance"] == needs
        ]
    )
    accepted = situation != "responded_pending_acceptance" and needs
    record["response"] = _step(
        response_category["id"], by, times[0], caller if accepted else None, times[1]
    )
    record["status_id"] = first(state.statuses, name="Responded")["id"]
    last = times[1] if accepted else times[0]
    resolution = rng.choice(list(state.resolution_categories))
    if situation.startswith("temporary") or situation in ("final_pending_acceptance", "completed"):
        temporary_accepted = situation != "temporary"
        record["temporary_resolution"] = _step(
            resolution, by, times[2], caller if temporary_accepted else None, times[3]
        )
        record["status_id"] = first(state.statuses, name="Temporary Resolved")["id"]
        last = times[3] if temporary_accepted else times[2]
    if situation in ("final_pending_acceptance", "completed"):
        done = situation == "completed"
        record["final_resolution"] = _step(
            resolution, by, times[4], caller if done else None, times[5]
        )
        record["status_id"] = first(state.statuses, name="Closed" if done else "Resolved")["id"]
        last = times[5] if done else times[4]
    record["log"]["updated"] = last
    record["log"]["updated_by_user"] = by


def _step(
    category_id: str, by: str, at: float, accepted_by: str | None, accepted_at: float
) -> dict[str, Any]:
    return {
        "category_id": category_id,
        "description": None,
        "by_user_id": by,
        "date": at,
        "accepted_by_id": accepted_by,
        "accepted_date": accepted_at if accepted_by else None,
    }
