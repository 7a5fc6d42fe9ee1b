"""The sandbox's in-memory Requestor instance and how its entities look on the wire.

Records are kept internally (ids of reference data, times in epoch ms); `ticket_json`,
`user_json` and `company_json` render the PascalCase entities the actions answer with and the
webhook payloads carry [I: §4.4 "a defensible default … the Requestor entity in the same
PascalCase style as the action bodies"]:

- ticket: `{"Id", "Subject", "Message", "State": {"Id","Name"}, "Category": {"Id","Name"} |
  null, "Type": {"Id","Name"}, "Service": {"Id","Name"}, "SubmitterEmail",
  "SolverUserProviderKey", "CustomForm": {…}, "CreatedDate", "ModifiedDate"}`
- user: `{"Id", "UserName", "Email", "FirstName", "LastName", "MiddleName", "DisplayName",
  "Phone", "Roles": [...], "CustomerNames": [...], "IsDeleted", "ModifiedDate"}`; Roles are
  the names of CreateRequestorUser's role flags without "Role" ("EndUser", "Operator", …) [I]
- company: `{"Id", "Name", "IsDeleted", "ModifiedDate"}`

Dates are ISO 8601 UTC with milliseconds and `Z` ("2025-06-01T10:00:00.123Z") [I]. Every
change moves an entity's ModifiedDate forward, by at least 1 ms [I]. Deleting a user or a
company marks it `IsDeleted` [I: the flag]; it stays, and a deleted one cannot be changed.
Names (users, companies, states, …) match case-insensitively [I: SQL Server's default
collation]. Whatever changes an entity calls `emit(event, entity JSON)`: the listeners (the
deliveries) see it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from deskbridge.sandbox.requestor.config import SandboxConfig

ROLES = ("EndUser", "SmartUser", "Operator", "SuperOperator", "Administrator")

Listener = Callable[[str, dict[str, Any]], None]


class Invalid(ValueError):
    """A body the instance refuses (400): field → messages, as ASP.NET's ModelState [I]."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        parts = (f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in errors.items())
        super().__init__("; ".join(parts))
        self.errors = errors

    @classmethod
    def of(cls, field_name: str, message: str) -> Invalid:
        return cls({field_name: [message]})


class Absent(LookupError):
    """An entity the instance does not have (404)."""


def iso(ms: int) -> str:
    """Epoch ms as ISO 8601 UTC with milliseconds and Z [I]."""
    moment = datetime.fromtimestamp(ms // 1000, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


@dataclass
class RequestorState:
    """Everything the sandboxed instance holds."""

    config: SandboxConfig
    services: dict[int, str] = field(default_factory=dict)  # id → name
    ticket_types: dict[int, str] = field(default_factory=dict)
    states: dict[int, str] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)
    companies: dict[int, dict[str, Any]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    tickets: dict[int, dict[str, Any]] = field(default_factory=dict)
    # The webhook subscriptions: id → {"Id", "Event", "CallbackUrl", "CreatedDate"}.
    subscriptions: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)
    listeners: list[Listener] = field(default_factory=list)
    clock: Callable[[], float] = time.time  # epoch seconds; tests may freeze it

    def new_id(self, kind: str) -> int:
        value = self.next_ids.get(kind, 1)
        self.next_ids[kind] = value + 1
        return value

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def stamp(self, record: dict[str, Any]) -> None:
        """A change of `record`: its ModifiedDate moves to now, and forward at least 1 ms."""
        record["Modified"] = max(self.now_ms(), int(record.get("Modified") or 0) + 1)

    def emit(self, event: str, entity: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            listener(event, entity)

    # ---- look-ups ---------------------------------------------------------------------

    @staticmethod
    def named(table: dict[int, str], name: str) -> int | None:
        wanted = name.strip().casefold()
        return next((i for i, n in table.items() if n.casefold() == wanted), None)

    def company_named(self, name: str) -> dict[str, Any] | None:
        """The company (not deleted) with this name."""
        wanted = name.strip().casefold()
        return next(
            (
                c
                for c in self.companies.values()
                if not c["IsDeleted"] and c["Name"].casefold() == wanted
            ),
            None,
        )

    def user_named(self, user_name: str) -> dict[str, Any] | None:
        wanted = user_name.strip().casefold()
        return next((u for u in self.users.values() if u["UserName"].casefold() == wanted), None)

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        found = self.tickets.get(ticket_id)
        if found is None:
            raise Absent(f"No ticket with id {ticket_id}")
        return found

    def live(self, table: dict[int, dict[str, Any]], record_id: int, kind: str) -> dict[str, Any]:
        found = table.get(record_id)
        if found is None or found["IsDeleted"]:
            raise Absent(f"No {kind} with id {record_id}")
        return found

    # ---- the wire entities ------------------------------------------------------------

    @staticmethod
    def ref(table: dict[int, str], ref_id: int | None) -> dict[str, Any] | None:
        return None if ref_id is None else {"Id": ref_id, "Name": table[ref_id]}

    def ticket_json(self, ticket: dict[str, Any]) -> dict[str, Any]:
        return {
            "Id": ticket["Id"],
            "Subject": ticket["Subject"],
            "Message": ticket["Message"],
            "State": self.ref(self.states, ticket["StateId"]),
            "Category": self.ref(self.categories, ticket["CategoryId"]),
            "Type": self.ref(self.ticket_types, ticket["TypeId"]),
            "Service": self.ref(self.services, ticket["ServiceId"]),
            "SubmitterEmail": ticket["SubmitterEmail"],
            "SolverUserProviderKey": ticket["SolverUserProviderKey"],
            "CustomForm": dict(ticket["CustomForm"]),
            "CreatedDate": iso(ticket["Created"]),
            "ModifiedDate": iso(ticket["Modified"]),
        }

    def user_json(self, user: dict[str, Any]) -> dict[str, Any]:
        return {
            "Id": user["Id"],
            "UserName": user["UserName"],
            "Email": user["Email"],
            "FirstName": user["FirstName"],
            "LastName": user["LastName"],
            "MiddleName": user["MiddleName"],
            "DisplayName": user["DisplayName"],
            "Phone": user["Phone"],
            "Roles": list(user["Roles"]),
            "CustomerNames": [self.companies[c]["Name"] for c in user["CompanyIds"]],
            "IsDeleted": user["IsDeleted"],
            "ModifiedDate": iso(user["Modified"]),
        }

    @staticmethod
    def company_json(company: dict[str, Any]) -> dict[str, Any]:
        return {
            "Id": company["Id"],
            "Name": company["Name"],
            "IsDeleted": company["IsDeleted"],
            "ModifiedDate": iso(company["Modified"]),
        }

    def counts(self) -> dict[str, int]:
        return {
            "tickets": len(self.tickets),
            "users": sum(not u["IsDeleted"] for u in self.users.values()),
            "companies": sum(not c["IsDeleted"] for c in self.companies.values()),
            "subscriptions": len(self.subscriptions),
        }
