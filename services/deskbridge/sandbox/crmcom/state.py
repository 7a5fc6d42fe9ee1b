"""The sandbox's in-memory CRM.COM instance.

Records are kept in an internal shape (references by id, dates as epoch seconds) and
rendered to CRM.COM's wire objects by render.py, so a renamed contact or status shows
everywhere. Every record with `log_information` carries `log`: created/updated epoch seconds
and the ids of the user and unit that created and last updated it. `touch()` moves `updated`
to now; dates are rendered to the second, so changes within one second share it.

A service request record: id, number, type_id, status_id, category_id, account_id,
contact_id, caller_email, caller_phone, description, notes, urgency_level, impact_level,
group_id, privacy_level_id, assigned_to {user_id, group_id} | None, start_date,
expected_completion_date (epoch s | None), estimated_completion_time {time_period, uot} |
None, response / temporary_resolution / final_resolution (see lifecycle.py) | None,
referring_to, services, physical_goods (kept as sent [I]), related [{id, request_id,
description}], udf {udf_string_1: …}, log. Its life-cycle state is its status's.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deskbridge.sandbox.crmcom.config import SandboxConfig

PENDING = "PENDING"
RESPONDED = "RESPONDED"
TEMPORARY_RESOLVED = "TEMPORARY_RESOLVED"
FINAL_RESOLVED = "FINAL_RESOLVED"
COMPLETED = "COMPLETED"  # shown only with `completed_life_cycle_state` [?]
LIFE_CYCLE_STATES = (PENDING, RESPONDED, TEMPORARY_RESOLVED, FINAL_RESOLVED)


@dataclass
class Token:
    """An issued token: who it acts as and when it was issued and last used (epoch s)."""

    user_id: str
    unit_id: str
    issued: float
    last_used: float


@dataclass
class Actor:
    """Who a call acts as: the token's user and unit."""

    user_id: str
    unit_id: str


@dataclass
class CrmState:
    """Everything the sandboxed instance holds: reference data, records, issued tokens."""

    config: SandboxConfig
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    types: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    response_categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    resolution_categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    privacy_levels: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    token_requests: int = 0  # every call of a token method
    tokens_issued: int = 0  # the ones that got a token
    next_number: int = 1
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], float] = time.time  # epoch seconds; tests may move it

    def new_id(self) -> str:
        """A CRM.COM-style id: 32 upper-case hex digits [C: the unit id in §3.3]."""
        return f"{self.rng.getrandbits(128):032X}"

    def new_number(self) -> str:
        """The next service request number: "SR" and 8 digits [C: SR00000275]."""
        number = f"SR{self.next_number:08d}"
        self.next_number += 1
        return number

    def now(self) -> float:
        return self.clock()

    def api_user(self) -> dict[str, Any]:
        """The user the configured username logs in as."""
        return next(u for u in self.users.values() if u["username"] == self.config.username)

    def default_unit(self) -> dict[str, Any]:
        return next(iter(self.units.values()))

    def status_state(self, record: dict[str, Any]) -> str:
        """A service request's life-cycle state: its status's."""
        return self.statuses[record["status_id"]]["life_cycle_state"]

    def is_completed(self, record: dict[str, Any]) -> bool:
        """Final resolved, and the final resolution accepted (see app.py)."""
        final = record.get("final_resolution")
        return (
            self.status_state(record) == FINAL_RESOLVED
            and final is not None
            and final.get("accepted_by_id") is not None
        )

    def life_cycle_state(self, record: dict[str, Any]) -> str:
        """The state the API shows: COMPLETED only with `completed_life_cycle_state` [?]."""
        if self.config.completed_life_cycle_state and self.is_completed(record):
            return COMPLETED
        return self.status_state(record)

    def related_contacts(self, contact_id: str) -> set[str]:
        """The contact itself and the contacts related with it."""
        return {contact_id, *self.contacts[contact_id]["related"]}


def new_log(actor: Actor, at: float) -> dict[str, Any]:
    return {
        "created": at,
        "updated": at,
        "created_by_user": actor.user_id,
        "updated_by_user": actor.user_id,
        "created_by_unit": actor.unit_id,
        "updated_by_unit": actor.unit_id,
    }


def touch(state: CrmState, record: dict[str, Any], actor: Actor) -> None:
    """A change of `record` by `actor`: its updated date moves to now (never backwards)."""
    log = record["log"]
    log["updated"] = max(state.now(), log["updated"])
    log["updated_by_user"], log["updated_by_unit"] = actor.user_id, actor.unit_id
