"""Matching what the change driver did in InvGate with what reached DESKBRIDGE_EVENTS.

The driver spaces changes to one object (a comment counts for its request) by more than the
watcher needs to see each one, so the k-th event of a resource answers the k-th change to it;
anything else (a change with no event, an event with no change, a wrong action) is a problem.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from deskbridge.sandbox.invgate.driver import DrivenChange

TICKET = "deskbridge.v1.ticket."
# the event type each vendor operation must produce on the object it changed
EXPECTED: dict[str, set[str]] = {
    "incident POST": {TICKET + "created"},
    "incident PUT": {TICKET + "updated"},
    "incident.reassign POST": {TICKET + "assigned"},
    "incident.waitingfor.agent POST": {TICKET + "waiting"},
    "incident.waitingfor.customer POST": {TICKET + "waiting"},
    "incident.cancel POST": {TICKET + "cancelled"},
    "incident.reject POST": {TICKET + "rejected"},
    "incident.reopen PUT": {TICKET + "state_changed"},
    "incident.solution.accept PUT": {TICKET + "state_changed"},
    "incident.solution.reject PUT": {TICKET + "state_changed"},
    # on the comment itself; its request moves too (last_update, or solved by a solution)
    "incident.comment POST": {"deskbridge.v1.comment.created"},
    "groups POST": {"deskbridge.v1.group.created"},
    "groups DELETE": {"deskbridge.v1.group.deleted"},
    "companies POST": {"deskbridge.v1.company.created"},
    "companies PUT": {"deskbridge.v1.company.updated"},
    "locations POST": {"deskbridge.v1.location.created"},
    "locations DELETE": {"deskbridge.v1.location.deleted"},
}
COMMENTED_TICKET = {TICKET + "updated", TICKET + "state_changed"}
# operations that may add a comment of their own (a reason, a rejection of the solution)
COMMENTING = {
    "incident.cancel POST",
    "incident.solution.reject PUT",
    "incident.solution.accept PUT",
}
COLLECTIONS = {
    "request": "tickets",
    "group": "groups",
    "company": "companies",
    "location": "locations",
}


@dataclass(frozen=True)
class Expectation:
    change: DrivenChange
    resource: str
    types: frozenset[str]


@dataclass
class Outcome:
    latencies: list[float]  # seconds from the vendor's answer to the event in the stream
    problems: list[str]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def report(self) -> str:
        if not self.latencies:
            return "no latencies"
        return (
            f"{len(self.latencies)} changes, detection latency p50 "
            f"{statistics.median(self.latencies) * 1000:.0f} ms, p99 "
            f"{self.percentile(99) * 1000:.0f} ms, max {max(self.latencies) * 1000:.0f} ms"
        )


def expectations(backend: str, changes: list[DrivenChange]) -> list[Expectation]:
    """What each change must put on the stream, per resource it touched."""
    found = []
    for change in changes:
        types = frozenset(EXPECTED[change.operation])
        if change.kind == "comment":
            ticket = f"backends/{backend}/tickets/{change.parent_id}"
            found.append(Expectation(change, f"{ticket}/comments/{change.remote_id}", types))
            found.append(Expectation(change, ticket, frozenset(COMMENTED_TICKET)))
        else:
            name = f"backends/{backend}/{COLLECTIONS[change.kind]}/{change.remote_id}"
            found.append(Expectation(change, name, types))
    return found


def match(backend: str, changes: list[DrivenChange], events: list, decode, origin: int) -> Outcome:
    """Compare per resource, in order; `decode(message)` gives the ChangeEvent, every one
    must have `origin`."""
    wanted: dict[str, list[Expectation]] = defaultdict(list)
    for expectation in expectations(backend, changes):
        wanted[expectation.resource].append(expectation)
    seen: dict[str, list] = defaultdict(list)
    for event in events:
        seen[event.headers["ce-subject"]].append(event)
    outcome = Outcome([], [])
    commenting = {
        f"backends/{backend}/tickets/{c.remote_id}/comments/"
        for c in changes
        if c.operation in COMMENTING
    }
    for resource in sorted(set(seen) - set(wanted)):
        got = _types(seen[resource])
        if got == ["comment.created"] and resource.rsplit("/", 1)[0] + "/" in commenting:
            continue  # the comment an operation on its ticket wrote
        outcome.problems.append(f"{resource}: {got} with no change behind it")
    for resource, expected in wanted.items():
        got = seen.get(resource, [])
        if len(got) != len(expected):
            outcome.problems.append(
                f"{resource}: {[e.change.operation for e in expected]} made, {_types(got)} seen"
            )
            continue
        sequences = [int(e.headers["ce-revision"].split(".")[0]) for e in got]
        if sequences != sorted(set(sequences)):
            outcome.problems.append(f"{resource}: revisions out of order {sequences}")
        for expectation, event in zip(expected, got, strict=True):
            _check(expectation, event, decode(event), origin, outcome)
    return outcome


def _check(expectation: Expectation, event, decoded, origin: int, outcome: Outcome) -> None:
    kind = event.headers["ce-type"]
    operation = expectation.change.operation
    if kind not in expectation.types:
        outcome.problems.append(f"{expectation.resource}: {operation} seen as {kind}")
        return
    if decoded.origin != origin:
        outcome.problems.append(f"{expectation.resource}: {operation} with origin {decoded.origin}")
    paths = set(decoded.changed_fields.paths)
    created_or_deleted = kind.endswith((".created", ".deleted"))
    if not created_or_deleted and not paths:
        outcome.problems.append(f"{expectation.resource}: {operation} without changed_fields")
    if operation == "incident PUT" and not paths & {"title", "priority"}:
        outcome.problems.append(f"{expectation.resource}: {operation} changed {sorted(paths)}")
    stored = event.metadata.timestamp.timestamp()
    outcome.latencies.append(max(0.0, stored - expectation.change.at))


def _types(events: list) -> list[str]:
    return [e.headers["ce-type"].removeprefix("deskbridge.v1.") for e in events]
