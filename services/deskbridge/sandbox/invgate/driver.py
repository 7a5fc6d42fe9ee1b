"""A vendor-side change driver: agents working in InvGate, played over its public API.

For tests and benchmarks of what watches InvGate (pollers, webhooks): `drive()` makes random,
seeded changes straight through `/api/v1/...` with HTTP Basic, never through the sandbox's
Python state, so it works against any sandbox (or instance) it can reach, and reports each
change as a `DrivenChange`. Every call is one the sandbox accepts from the object's current
state (endpoints.py) and every change really changes something; a refusal (HTTP 4xx/5xx or
200 `{"status": "ERROR"}`) is a bug here and raises `DriverError`.

What it does, per kind:

- request: create (`incident POST`), edit the title or the priority (`incident PUT`), reassign
  to another help desk or agent (`incident.reassign POST`), wait for the agent or the customer,
  cancel, reject (1-5, i.e. not final), reopen (solved or closed), accept or reject a solution
  (solved);
- comment: `incident.comment POST` on a request that is not final (sometimes an agent's
  solution, which solves an open request); the comment id is read back from
  `incident.comment GET`;
- group: create, or delete one the driver created (`groups POST/DELETE`);
- company: rename (`companies PUT`); `companies POST` when every company changed too recently;
- location: create, or delete a leaf the driver created (`locations POST/DELETE`).

Run `python -m deskbridge.sandbox.invgate.driver --url http://127.0.0.1:8081 --count 50
--seed 1` for one JSON line per change.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

KINDS = ("request", "comment", "group", "company", "location")
_WEIGHTS = {"request": 4, "comment": 3, "group": 1, "company": 1, "location": 1}
OPEN, SOLVED, CLOSED = frozenset({1, 2, 3, 4}), 5, 6
NOT_FINAL = frozenset({1, 2, 3, 4, 5})  # 6 closed, 7 rejected, 8 cancelled
_CANDIDATES = 8  # requests looked at (one GET each) before creating one instead
_NEW_REQUEST_SHARE = 0.2

_TOPICS = ["Printer", "VPN", "Laptop", "Email", "Badge", "Wi-Fi", "Monitor", "Licence"]
_PROBLEMS = ["is down", "is slow", "shows an error", "needs a reset", "keeps disconnecting"]
_REPLIES = ["Looking into it.", "Any news?", "Restarted the service.", "Please try again."]
_GROUPS = ["Field Support", "Night Shift", "Onboarding", "Change Board", "VIP Desk"]
_COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries"]
_LOCATIONS = ["Floor", "Room", "Warehouse", "Branch", "Lab"]

Params = Mapping[str, Any] | Sequence[tuple[str, Any]]


@dataclass(frozen=True)
class DrivenChange:
    """One change the driver made, as the vendor now shows it."""

    kind: str  # InvGate object: "request", "comment", "group", "company", "location"
    remote_id: int  # the object's InvGate id (for a comment: the comment id)
    parent_id: int | None  # for a comment: the request id; else None
    operation: str  # "<endpoint key> <METHOD>", e.g. "incident.cancel POST"
    at: float  # time.time() right after the vendor answered OK

    @property
    def object_key(self) -> tuple[str, int]:
        """What `min_gap_seconds` spaces out: the object, or a comment's request."""
        if self.kind == "comment" and self.parent_id is not None:
            return ("request", self.parent_id)
        return (self.kind, self.remote_id)


class DriverError(RuntimeError):
    """The vendor refused a call the driver made (a bug in the driver), or nothing could be
    changed."""


async def drive(
    base_url: str,
    count: int,
    *,
    seed: int = 0,
    username: str = "api",
    password: str = "sandbox-token",
    min_gap_seconds: float = 0.0,
    pause_seconds: float = 0.0,
    kinds: Sequence[str] = KINDS,
    on_change: Callable[[DrivenChange], None] | None = None,
) -> list[DrivenChange]:
    """Make `count` random changes through the InvGate API at `base_url` (the instance root,
    `/api/v1` optional) and return them in order.

    The same seed against the same starting data makes the same changes (with
    `min_gap_seconds` the choices also depend on timing). `min_gap_seconds`: never change one
    object (for comments: one request) twice within that many seconds, another object is
    chosen or created instead. `pause_seconds`: sleep between changes. `on_change` is called
    with each change as it is made.
    """
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds:
        raise ValueError(f"kinds must be a non-empty subset of {list(KINDS)}, got {list(kinds)}")
    if count < 0 or min_gap_seconds < 0 or pause_seconds < 0:
        raise ValueError("count, min_gap_seconds and pause_seconds must not be negative")
    root = base_url.rstrip("/").removesuffix("/api/v1")
    async with httpx.AsyncClient(
        base_url=root + "/api/v1/", auth=(username, password), timeout=30.0
    ) as client:
        driver = _Driver(client, random.Random(seed), min_gap_seconds, tuple(dict.fromkeys(kinds)))
        await driver.load()
        changes: list[DrivenChange] = []
        for index in range(count):
            if index and pause_seconds:
                await asyncio.sleep(pause_seconds)
            change = await driver.step()
            changes.append(change)
            if on_change is not None:
                on_change(change)
        return changes


@dataclass
class _Driver:
    client: httpx.AsyncClient
    rng: random.Random
    min_gap: float
    kinds: tuple[str, ...]
    changed_at: dict[tuple[str, int], float] = field(default_factory=dict)
    requests: dict[int, dict[str, Any]] = field(default_factory=dict)  # as last read
    agents: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)
    categories: list[int] = field(default_factory=list)
    desks: dict[int, list[int]] = field(default_factory=dict)  # help desk → its agents
    companies: list[int] = field(default_factory=list)
    own_groups: list[int] = field(default_factory=list)
    own_locations: list[int] = field(default_factory=list)
    serial: int = 0
    run: str = field(init=False, default="")

    def __post_init__(self) -> None:
        # Names and messages carry this run's token, so they differ from what is there.
        self.run = f"{self.rng.getrandbits(24):06x}"

    # ---------------------------------------------------------------- vendor calls

    async def call(self, key: str, method: str, params: Params | None = None) -> Any:
        """One API call; `DriverError` naming the endpoint unless the vendor answered OK."""
        where = f"{key} {method}"
        try:
            if method in ("GET", "DELETE"):
                response = await self.client.request(method, key, params=params)
            else:
                response = await self.client.request(method, key, data=params)
        except httpx.HTTPError as failure:
            raise DriverError(f"{where} failed: {failure!r}") from failure
        if response.status_code >= 400:
            raise DriverError(f"{where} answered HTTP {response.status_code}: {response.text}")
        try:
            body = response.json()
        except ValueError:
            raise DriverError(
                f"{where} answered a body that is not JSON: {response.text}"
            ) from None
        if isinstance(body, dict) and body.get("status") == "ERROR":
            raise DriverError(f"{where} answered {json.dumps(body)} to {params!r}")
        return body

    async def change(
        self, kind: str, remote_id: int, operation: str, params: Params
    ) -> tuple[DrivenChange, Any]:
        """Make the call `operation` names; the change it made and the vendor's answer."""
        key, method = operation.split(" ")
        body = await self.call(key, method, params)
        return DrivenChange(kind, int(remote_id), None, operation, time.time()), body

    def token(self) -> str:
        self.serial += 1
        return f"{self.run}-{self.serial}"

    # ---------------------------------------------------------------- reference data

    async def load(self) -> None:
        """What the changes are made with: users, categories, help desks, requests,
        companies, read through the API."""
        if {"request", "comment"} & set(self.kinds):
            users = await self.call("users", "GET")
            self.agents = sorted(u["id"] for u in users if u.get("user_type") == 1)
            self.customers = sorted(u["id"] for u in users if u.get("user_type") == 2)
            categories = await self.call("categories", "GET", {"page_size": 500})
            self.categories = sorted(int(c["id"]) for c in categories)
            if not (self.agents and self.customers and self.categories):
                raise DriverError("the instance needs agents, customers and categories")
            desks = await self.call("helpdesks", "GET")
            members = {
                row["id"]: row.get("members_ids") or []
                for row in await self.call("helpdesksandlevels", "GET")
            }
            agents = set(self.agents)
            for desk in sorted(d["id"] for d in desks):
                self.desks[desk] = [a for a in members.get(desk, []) if a in agents] or self.agents
            await self._load_requests()
        if "company" in self.kinds:
            self.companies = sorted(c["id"] for c in await self.call("companies", "GET"))

    async def _load_requests(self) -> None:
        listed = await self.call(
            "incidents.by.status", "GET", [("status_ids[]", s) for s in range(1, 9)]
        )
        ids = sorted(listed.get("requestIds") or [])
        for start in range(0, len(ids), 100):
            chunk = ids[start : start + 100]
            records = await self.call("incidents", "GET", [("ids[]", i) for i in chunk])
            for record in records.values() if isinstance(records, dict) else records:
                self.requests[int(record["id"])] = record

    async def fetch(self, request_id: int) -> dict[str, Any]:
        record = await self.call("incident", "GET", {"id": request_id})
        self.requests[request_id] = record
        return record

    # ---------------------------------------------------------------- scheduling

    def free(self, key: tuple[str, int]) -> bool:
        last = self.changed_at.get(key)
        return last is None or time.time() - last >= self.min_gap

    def candidates(self, statuses: frozenset[int]) -> list[int]:
        """A few free requests whose last known status is in `statuses`, in random order."""
        ids = [
            i
            for i, r in sorted(self.requests.items())
            if r.get("status_id") in statuses and self.free(("request", i))
        ]
        return self.rng.sample(ids, min(_CANDIDATES, len(ids)))

    async def step(self) -> DrivenChange:
        kinds = list(self.kinds)
        kind = self.rng.choices(kinds, weights=[_WEIGHTS[k] for k in kinds])[0]
        planner = {
            "request": self.request_change,
            "comment": self.comment_change,
            "group": self.group_change,
            "company": self.company_change,
            "location": self.location_change,
        }[kind]
        while True:
            change = await planner()
            if change is not None:
                self.changed_at[change.object_key] = change.at
                return change
            # Only a comment without "request" in kinds gets here: wait for a request to free.
            now = time.time()
            busy = [t + self.min_gap - now for t in self.changed_at.values()]
            busy = [wait for wait in busy if wait > 0]
            if not busy:
                raise DriverError(f"no object of kind {kind!r} can be changed")
            await asyncio.sleep(min(busy))

    # ---------------------------------------------------------------- requests

    async def request_change(self) -> DrivenChange:
        if self.rng.random() >= _NEW_REQUEST_SHARE:
            for request_id in self.candidates(NOT_FINAL | {CLOSED}):
                record = await self.fetch(request_id)
                options = self.request_options(record)
                if options:
                    names = sorted(options)
                    chosen = self.rng.choices(names, weights=[options[n] for n in names])[0]
                    return await getattr(self, f"_{chosen}")(record)
        return await self.create_request()

    @staticmethod
    def request_options(record: Mapping[str, Any]) -> dict[str, float]:
        """What may be done to a request in its current status (endpoints.py), with weights."""
        status = record["status_id"]
        waiting = (record.get("waiting_for") or {}).get("type")
        options: dict[str, float] = {}
        if status in NOT_FINAL:
            options.update(edit=3, cancel=0.5, reject=0.5)
        if status in OPEN:
            options["reassign"] = 2
            for target in ("agent", "customer"):
                if not (status == 4 and waiting == target):
                    options[f"wait_{target}"] = 0.75
        if status in (SOLVED, CLOSED):
            options["reopen"] = 2
        if status == SOLVED:
            options.update(accept=1, refuse=1)
        return options

    async def create_request(self) -> DrivenChange:
        customer = self.rng.choice(self.customers)
        creator = customer if self.rng.random() < 0.7 else self.rng.choice(self.agents)
        params = {
            "creator_id": creator,
            "customer_id": customer,
            "category_id": self.rng.choice(self.categories),
            "priority_id": self.rng.randint(1, 5),
            "type_id": self.rng.choice([1, 1, 2, 3]),
            "title": self._title(),
            "description": "<p>Reported by the change driver.</p>",
        }
        body = await self.call("incident", "POST", params)
        change = DrivenChange(
            "request", int(body["request_id"]), None, "incident POST", time.time()
        )
        self.requests[change.remote_id] = {"id": change.remote_id, "status_id": 1}
        return change

    def _title(self) -> str:
        return f"{self.rng.choice(_TOPICS)} {self.rng.choice(_PROBLEMS)} ({self.token()})"

    async def _edit(self, record: dict[str, Any]) -> DrivenChange:
        params: dict[str, Any] = {"id": record["id"]}
        if self.rng.random() < 0.5:
            params["title"] = self._title()  # the token makes it differ
        else:
            current = record.get("priority_id")
            params["priority_id"] = self.rng.choice([p for p in range(1, 6) if p != current])
        change, body = await self.change("request", record["id"], "incident PUT", params)
        self.requests[record["id"]] = body
        return change

    async def _reassign(self, record: dict[str, Any]) -> DrivenChange:
        current = (record.get("assigned_group_id"), record.get("assigned_id"))
        pairs = [(d, a) for d, agents in self.desks.items() for a in agents if (d, a) != current]
        desk, agent = self.rng.choice(pairs)
        params = {
            "request_id": record["id"],
            "author_id": self.rng.choice(self.agents),
            "group_id": desk,
            "agent_id": agent,
        }
        change, _ = await self.change("request", record["id"], "incident.reassign POST", params)
        record.update(assigned_group_id=desk, assigned_id=agent)
        return change

    async def _wait(self, record: dict[str, Any], target: str) -> DrivenChange:
        operation = f"incident.waitingfor.{target} POST"
        change, _ = await self.change(
            "request", record["id"], operation, {"request_id": record["id"]}
        )
        record.update(status_id=4, waiting_for={"type": target})
        return change

    async def _wait_agent(self, record: dict[str, Any]) -> DrivenChange:
        return await self._wait(record, "agent")

    async def _wait_customer(self, record: dict[str, Any]) -> DrivenChange:
        return await self._wait(record, "customer")

    async def _finish(self, record: dict[str, Any], key: str, status: int) -> DrivenChange:
        params = {"request_id": record["id"], "author_id": self.rng.choice(self.agents)}
        change, _ = await self.change("request", record["id"], f"{key} POST", params)
        record["status_id"] = status
        return change

    async def _cancel(self, record: dict[str, Any]) -> DrivenChange:
        return await self._finish(record, "incident.cancel", 8)

    async def _reject(self, record: dict[str, Any]) -> DrivenChange:
        return await self._finish(record, "incident.reject", 7)

    async def _reopen(self, record: dict[str, Any]) -> DrivenChange:
        params = {"request_id": record["id"], "author_id": self.rng.choice(self.agents)}
        change, _ = await self.change("request", record["id"], "incident.reopen PUT", params)
        record["status_id"] = 2
        return change

    async def _accept(self, record: dict[str, Any]) -> DrivenChange:
        params: dict[str, Any] = {"id": record["id"], "rating": self.rng.randint(1, 5)}
        if params["rating"] < 4:  # InvGate requires a comment below 4
            params["comment"] = "<p>Took a while.</p>"
        change, _ = await self.change(
            "request", record["id"], "incident.solution.accept PUT", params
        )
        record["status_id"] = CLOSED
        return change

    async def _refuse(self, record: dict[str, Any]) -> DrivenChange:
        params = {"id": record["id"], "comment": "<p>Still broken.</p>"}
        change, _ = await self.change(
            "request", record["id"], "incident.solution.reject PUT", params
        )
        record["status_id"] = 2
        return change

    # ---------------------------------------------------------------- comments

    async def comment_change(self) -> DrivenChange | None:
        for request_id in self.candidates(NOT_FINAL):
            record = await self.fetch(request_id)
            if record["status_id"] in NOT_FINAL:
                return await self._comment(record)
        if "request" in self.kinds:
            return await self.create_request()
        return None

    async def _comment(self, record: dict[str, Any]) -> DrivenChange:
        by_agent = self.rng.random() < 0.6 or not record.get("user_id")
        author = self.rng.choice(self.agents) if by_agent else int(record["user_id"])
        solution = by_agent and record["status_id"] in OPEN and self.rng.random() < 0.25
        message = f"<p>{self.rng.choice(_REPLIES)} ({self.token()})</p>"
        params = {
            "request_id": record["id"],
            "author_id": author,
            "comment": message,
            "customer_visible": 1 if solution else self.rng.choice([0, 1]),
            "is_solution": 1 if solution else 0,
        }
        await self.call("incident.comment", "POST", params)
        at = time.time()
        if solution:
            record["status_id"] = SOLVED
        thread = await self.call("incident.comment", "GET", {"request_id": record["id"]})
        ids = [c["id"] for c in thread if c["message"] == message and c["author_id"] == author]
        if not ids:
            raise DriverError(f"incident.comment GET does not list the comment {message!r}")
        return DrivenChange("comment", int(max(ids)), record["id"], "incident.comment POST", at)

    # ---------------------------------------------------------------- directory

    async def group_change(self) -> DrivenChange:
        deletable = [g for g in self.own_groups if self.free(("group", g))]
        if deletable and self.rng.random() < 0.5:
            group = self.rng.choice(deletable)
            change, _ = await self.change("group", group, "groups DELETE", {"id": group})
            self.own_groups.remove(group)
            return change
        name = f"{self.rng.choice(_GROUPS)} {self.token()}"
        body = await self.call("groups", "POST", {"name": name})
        self.own_groups.append(int(body["id"]))
        return DrivenChange("group", int(body["id"]), None, "groups POST", time.time())

    async def company_change(self) -> DrivenChange:
        while True:
            free = [c for c in self.companies if self.free(("company", c))]
            if not free:
                name = f"{self.rng.choice(_COMPANIES)} {self.token()}"
                body = await self.call("companies", "POST", {"name": name})
                self.companies.append(int(body["id"]))
                return DrivenChange("company", int(body["id"]), None, "companies POST", time.time())
            company = self.rng.choice(free)
            rows = await self.call("companies", "GET", {"id": company})
            if not rows:  # deleted by someone else
                self.companies.remove(company)
                continue
            name = f"{self.rng.choice(_COMPANIES)} {self.token()}"
            if name == rows[0]["name"]:
                name += "+"
            change, _ = await self.change(
                "company", company, "companies PUT", {"id": company, "name": name}
            )
            return change

    async def location_change(self) -> DrivenChange:
        rows = await self.call("locations", "GET")
        existing = sorted(r["id"] for r in rows)
        parents = {r.get("parent_id") for r in rows}
        self.own_locations = [i for i in self.own_locations if i in existing]
        leaves = [i for i in self.own_locations if i not in parents and self.free(("location", i))]
        if leaves and self.rng.random() < 0.5:
            location = self.rng.choice(leaves)
            change, _ = await self.change(
                "location", location, "locations DELETE", {"id": location}
            )
            self.own_locations.remove(location)
            return change
        params: dict[str, Any] = {"name": f"{self.rng.choice(_LOCATIONS)} {self.token()}"}
        parent = self.rng.choice([None, *existing])
        if parent is not None:
            params["parent_id"] = parent
        body = await self.call("locations", "POST", params)
        self.own_locations.append(int(body["id"]))
        return DrivenChange("location", int(body["id"]), None, "locations POST", time.time())


def main(argv: list[str] | None = None) -> int:
    """`python -m deskbridge.sandbox.invgate.driver`: one JSON line per change on stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m deskbridge.sandbox.invgate.driver",
        description="Make random changes in an InvGate instance (the sandbox) through its API.",
    )
    parser.add_argument("--url", default="http://127.0.0.1:8081", help="the instance root")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--username", default="api")
    parser.add_argument("--password", default="sandbox-token")
    parser.add_argument(
        "--min-gap", type=float, default=0.0, help="seconds between changes of one object"
    )
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between changes")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    args = parser.parse_args(argv)
    try:
        asyncio.run(
            drive(
                args.url,
                args.count,
                seed=args.seed,
                username=args.username,
                password=args.password,
                min_gap_seconds=args.min_gap,
                pause_seconds=args.pause,
                kinds=[k.strip() for k in args.kinds.split(",") if k.strip()],
                on_change=lambda change: print(json.dumps(asdict(change)), flush=True),
            )
        )
    except (DriverError, ValueError) as failure:
        print(f"driver: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
