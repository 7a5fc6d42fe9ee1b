"""The demo instance: reference data, companies, users (operators among them) and tickets,
deterministic from `config.seed` (times relative to now). Seeding fires no events.

Reference data (ids from 1, in this order): services IT Support, Facilities, HR Services;
ticket types Incident, Service Request, Question; states New, In Progress, Waiting,
Resolved, Closed; categories Hardware, Software, Network, Access. Companies: Acme s.r.o.,
Globex a.s., Initech Ltd. Users: the API user (`config.username`, administrator and
operator), two operators, three end users of the companies. Tickets: submitted by the end
users, solved by an operator unless New; SolverUserProviderKey is the solver's UserName
[?: what a provider key is is not recorded].
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from deskbridge.sandbox.requestor.config import SandboxConfig
from deskbridge.sandbox.requestor.state import RequestorState

DAY_MS = 24 * 3600 * 1000

SERVICES = ("IT Support", "Facilities", "HR Services")
TICKET_TYPES = ("Incident", "Service Request", "Question")
STATES = ("New", "In Progress", "Waiting", "Resolved", "Closed")
CATEGORIES = ("Hardware", "Software", "Network", "Access")
COMPANIES = ("Acme s.r.o.", "Globex a.s.", "Initech Ltd")
# (UserName or None for the API user, first, last, roles, company indexes)
USERS: tuple[tuple[str | None, str, str, tuple[str, ...], tuple[int, ...]], ...] = (
    (None, "Deskbridge", "Integration", ("Operator", "Administrator"), ()),
    ("jnovak", "Jan", "Novák", ("Operator", "SuperOperator"), ()),
    ("pdvorak", "Petra", "Dvořák", ("Operator",), ()),
    ("asmith", "Alice", "Smith", ("EndUser",), (0,)),
    ("bjones", "Bob", "Jones", ("EndUser", "SmartUser"), (1,)),
    ("cwhite", "Carol", "White", ("EndUser",), (2, 0)),
)
_TOPICS = ("Laptop", "VPN", "Printer", "Password", "Badge", "Payroll", "Wi-Fi", "Desk chair")
_PROBLEMS = ("does not work", "is slow", "needs a reset", "shows an error", "needs replacing")
_FORM_FIELDS = {"Device": ("Laptop", "Phone", "Desktop"), "Location": ("HQ", "Branch", "Home")}


def seeded_state(config: SandboxConfig, clock: Callable[[], float] = time.time) -> RequestorState:
    state = RequestorState(config=config, clock=clock)
    rng = random.Random(config.seed)
    for table, names in (
        (state.services, SERVICES),
        (state.ticket_types, TICKET_TYPES),
        (state.states, STATES),
        (state.categories, CATEGORIES),
    ):
        table.update(enumerate(names, 1))
    now = state.now_ms()
    for name in COMPANIES:
        company_id = state.new_id("company")
        modified = now - int(rng.uniform(30, 300) * DAY_MS)
        state.companies[company_id] = {
            "Id": company_id,
            "Name": name,
            "IsDeleted": False,
            "Modified": modified,
        }
    company_ids = list(state.companies)
    for user_name, first, last, roles, companies in USERS:
        user_name = user_name or config.username
        user = new_user(state, user_name, f"{user_name}@example.com")
        user.update(
            FirstName=first,
            LastName=last,
            DisplayName=f"{first} {last}",
            Phone=f"+420 6{rng.randrange(10**7, 10**8)}",
            Roles=list(roles),
            CompanyIds=[company_ids[i] for i in companies],
            Password=config.password if user_name == config.username else None,
            Modified=now - int(rng.uniform(5, 200) * DAY_MS),
        )
    operators = [u for u in state.users.values() if "Operator" in u["Roles"]]
    submitters = [u for u in state.users.values() if "EndUser" in u["Roles"]]
    ages = sorted((rng.uniform(0.5, 20) * DAY_MS for _ in range(config.ticket_count)), reverse=True)
    for age in ages:
        _seed_ticket(state, rng, now - int(age), now, operators, submitters)
    return state


def new_user(state: RequestorState, user_name: str, email: str | None) -> dict[str, Any]:
    """A user record (internal keys) with nothing but its names set; stored in `state`."""
    user_id = state.new_id("user")
    user: dict[str, Any] = {
        "Id": user_id,
        "UserName": user_name,
        "Email": email,
        "Password": None,
        "FirstName": None,
        "LastName": None,
        "MiddleName": None,
        "DisplayName": None,
        "Phone": None,
        "Roles": [],
        "CompanyIds": [],
        "ChangePasswordAfterLogging": False,
        "AdminNote": None,
        "AdditionalInformation": None,
        "IsDeleted": False,
        "Modified": state.now_ms(),
    }
    state.users[user_id] = user
    return user


def _seed_ticket(
    state: RequestorState,
    rng: random.Random,
    created: int,
    now: int,
    operators: list[dict[str, Any]],
    submitters: list[dict[str, Any]],
) -> None:
    ticket_id = state.new_id("ticket")
    state_id = rng.choice(list(state.states))
    solver = None if state.states[state_id] == "New" else rng.choice(operators)["UserName"]
    form = {k: rng.choice(v) for k, v in _FORM_FIELDS.items() if rng.random() < 0.6}
    state.tickets[ticket_id] = {
        "Id": ticket_id,
        "Subject": f"{rng.choice(_TOPICS)} {rng.choice(_PROBLEMS)}",
        "Message": "Reported through the portal.",
        "StateId": state_id,
        "CategoryId": rng.choice([None, *state.categories]),
        "TypeId": rng.choice(list(state.ticket_types)),
        "ServiceId": rng.choice(list(state.services)),
        "SubmitterEmail": rng.choice(submitters)["Email"],
        "SolverUserProviderKey": solver,
        "CustomForm": form,
        "Created": created,
        "Modified": min(created + int(rng.uniform(0.01, 2) * DAY_MS), now - 60_000),
    }
