"""ApprovalService operations on InvGate: approvals of a request, votes, voters, templates.

InvGate keeps an approval (`incident.approval`, listed per request) apart from its votes
(`incident.approval.possible_voters`), so an Approval is both read together. Votes, voters and
cancellation address the approval by `approval_id` alone; the adapter first checks that the
approval belongs to the ticket its name says, and answers with the approval re-read after the
change. Requests for approvals answer `{status}` only: the new approval is the newest one of
the ticket that matches what was asked. InvGate has no revision for approvals, so the `etag`
is a digest of what can change (status, reminders, votes): each vote gives a new one.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from deskbridge.runtime.backends import Operation
from deskbridge.runtime.errors import ApiError, FieldViolation, bad_field, invalid_argument
from deskbridge.runtime.errors import not_found as resource_not_found
from deskbridge.runtime.names import ResourcePattern
from deskbridge.v1 import approvals_pb2 as a
from deskbridge.v1 import common_pb2
from deskbridge.vendors.invgate import mapping as m
from deskbridge.vendors.invgate.client import InvGateClient

# InvGate's documented ids (VENDORS.md §1.4 "Approvals").
APPROVAL_STATES = {
    -2: a.APPROVAL_STATE_CANCELLED,
    -1: a.APPROVAL_STATE_WAITING,
    0: a.APPROVAL_STATE_REJECTED,
    1: a.APPROVAL_STATE_APPROVED,
}
APPROVAL_LABELS = {-2: "Cancelled", -1: "Waiting", 0: "Rejected", 1: "Approved"}
VOTE_STATES = {
    -2: a.APPROVAL_STATE_CANCELLED,  # InvGate: annulled (the approval was decided without it)
    -1: a.APPROVAL_STATE_WAITING,
    0: a.APPROVAL_STATE_REJECTED,
    1: a.APPROVAL_STATE_APPROVED,
    2: a.APPROVAL_STATE_EXPIRED,
}
VOTE_LABELS = {-2: "Annulled", -1: "Waiting", 0: "Rejected", 1: "Approved", 2: "Expired"}
TYPES = {1: a.APPROVAL_TYPE_PREDEFINED, 2: a.APPROVAL_TYPE_SPONTANEOUS}
TEMPLATE_DELETED = -1
DESCRIPTION_REQUIRED = 0  # InvGate's `description_required`: "0: Required, 1: Not required"

SPONTANEOUS = 2

IdSpec = tuple[str, ResourcePattern, str, str]  # (name, pattern, variable, request field)


def numeric_ids(backend: str, *specs: IdSpec) -> list[int]:
    """The InvGate ids inside resource names of `backend`, or INVALID_ARGUMENT listing every
    bad name at once."""
    values: list[int] = []
    violations: list[FieldViolation] = []
    for name, pattern, key, field in specs:
        found = pattern.match(name)
        try:
            if found is not None and found["backend"] != backend:
                raise bad_field(field, f"{name!r} is not of backend {backend!r}")
            values.append(m.numeric_id(name, pattern, key, field))
        except ApiError as error:
            violations.extend(v for v in error.violations if v not in violations)
    if violations:
        raise invalid_argument(violations)
    return values


def vote(backend: str, record: Mapping[str, Any]) -> a.Vote:
    """A `possible_voters` item `{user_id, status}` → Vote (InvGate does not return notes)."""
    status = m.to_int(record.get("status"))
    user = m.to_int(record.get("user_id", record.get("id")))
    return a.Vote(
        user=m.USER.format(backend=backend, user=user) if user is not None else "",
        state=VOTE_STATES.get(status, a.APPROVAL_STATE_UNSPECIFIED),
        vendor_state=m.vendor_value(status, VOTE_LABELS),
    )


def approval(
    backend: str, ticket_id: int, record: Mapping[str, Any], voters: list[Mapping[str, Any]]
) -> a.Approval:
    """An `incident.approval` item and its possible voters → Approval."""
    status = m.to_int(record.get("status"))
    author = m.to_int(record.get("author_id"))
    result = a.Approval(
        name=m.APPROVAL.format(backend=backend, ticket=ticket_id, approval=record.get("id")),
        vendor_record=m.vendor_record(backend, record),
        state=APPROVAL_STATES.get(status, a.APPROVAL_STATE_UNSPECIFIED),
        vendor_state=m.vendor_value(status, APPROVAL_LABELS),
        type=TYPES.get(m.to_int(record.get("type")), a.APPROVAL_TYPE_UNSPECIFIED),
        description=str(record.get("approval_request_description") or ""),
        author=m.USER.format(backend=backend, user=author) if author else "",
        votes=[vote(backend, v) for v in voters],
        reminder_count=m.to_int(record.get("reminder_count")) or 0,
    )
    stamp = m.timestamp(record.get("created_at"))
    if stamp is not None:
        result.create_time.CopyFrom(stamp)
    result.etag = etag(result)
    return result


def etag(value: a.Approval) -> str:
    """A revision of what can change on an approval: its status, reminders and votes."""
    votes = sorted(f"{v.user}={v.vendor_state.id}" for v in value.votes)
    material = "|".join([value.vendor_state.id, str(value.reminder_count), *votes])
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def template(backend: str, ticket_id: int, record: Mapping[str, Any]) -> a.ApprovalTemplate:
    """A `custom_approval` template → ApprovalTemplate."""
    return a.ApprovalTemplate(
        name=m.APPROVAL_TEMPLATE.format(
            backend=backend, ticket=ticket_id, approval_template=record.get("id")
        ),
        display_name=str(record.get("title") or ""),
        description=str(record.get("description") or record.get("description_prompt") or ""),
    )


def vendor_values(answer: Any) -> list[common_pb2.VendorValue]:
    """`{"-1": "Waiting", ...}` (observed) or `[{id, description}]` (documented) → values."""
    if isinstance(answer, Mapping):
        pairs = [(k, v) for k, v in answer.items()]
    else:
        pairs = [(r.get("id"), r.get("description") or r.get("name")) for r in m.rows(answer)]
    pairs.sort(key=lambda pair: (m.to_int(pair[0]) is None, m.to_int(pair[0]) or 0))
    return [common_pb2.VendorValue(id=str(k), label=str(v or "")) for k, v in pairs]


class InvGateApprovals:
    """The approval side of one InvGate backend."""

    def __init__(self, backend: str, client: InvGateClient) -> None:
        self.backend = backend
        self.client = client

    # ---------------------------------------------------------------- names

    def _ids(self, *specs: IdSpec) -> list[int]:
        return numeric_ids(self.backend, *specs)

    def _approval_ids(self, request, *user_fields: str) -> list[int]:
        """(ticket, approval, users...) of a request naming an approval and users."""
        return self._ids(
            (request.name, m.APPROVAL, "ticket", "name"),
            (request.name, m.APPROVAL, "approval", "name"),
            *((getattr(request, f), m.USER, "user", f) for f in user_fields),
        )

    def not_found(self, name: str) -> ApiError:
        return resource_not_found(name, backend=self.backend)

    # ---------------------------------------------------------------- reads

    async def _records(self, ticket_id: int, only_pending: bool = False) -> list[dict]:
        answer = await self.client.get(
            "incident.approval", {"request_id": ticket_id, "only_pending": only_pending or None}
        )
        return m.rows(answer)

    async def _record(self, ticket_id: int, approval_id: int, name: str) -> dict:
        """The approval's record, NOT_FOUND unless it is one of that ticket's approvals."""
        for record in await self._records(ticket_id):
            if m.to_int(record.get("id")) == approval_id:
                return record
        raise self.not_found(name)

    async def _voters(self, approval_id: Any) -> list[dict]:
        return m.rows(
            await self.client.get("incident.approval.possible_voters", {"approval_id": approval_id})
        )

    async def _approval(self, ticket_id: int, record: Mapping[str, Any]) -> a.Approval:
        voters = await self._voters(record.get("id"))
        return approval(self.backend, ticket_id, record, voters)

    async def _reread(self, ticket_id: int, approval_id: int, name: str) -> a.Approval:
        return await self._approval(ticket_id, await self._record(ticket_id, approval_id, name))

    async def list_approvals(self, request: a.ListApprovalsRequest) -> a.ListApprovalsResponse:
        (ticket_id,) = self._ids((request.parent, m.TICKET, "ticket", "parent"))
        records = await self._records(ticket_id, request.only_pending)
        approvals = await asyncio.gather(*(self._approval(ticket_id, r) for r in records))
        return a.ListApprovalsResponse(approvals=approvals)

    async def list_voters(self, request: a.ListApprovalVotersRequest):
        ticket_id, approval_id = self._approval_ids(request)
        _, voters = await asyncio.gather(
            self._record(ticket_id, approval_id, request.name), self._voters(approval_id)
        )
        return a.ListApprovalVotersResponse(voters=[vote(self.backend, v) for v in voters])

    # ---------------------------------------------------------------- votes and voters

    async def _change(self, request, method: str, key: str, extra: dict[str, Any]) -> a.Approval:
        """Checks the approval is the ticket's, sends the change, re-reads the approval."""
        ticket_id, approval_id, user_id = self._approval_ids(request, "user")
        await self._record(ticket_id, approval_id, request.name)
        params = {"approval_id": approval_id, "user_id": user_id, **extra}
        await self.client.call(method, key, params)
        return await self._reread(ticket_id, approval_id, request.name)

    async def approve(self, request: a.ApproveApprovalRequest):
        changed = await self._change(
            request, "PUT", "incident.approval.accept", {"note": request.note or None}
        )
        return a.ApproveApprovalResponse(approval=changed)

    async def reject(self, request: a.RejectApprovalRequest):
        changed = await self._change(
            request, "PUT", "incident.approval.reject", {"note": request.note or None}
        )
        return a.RejectApprovalResponse(approval=changed)

    async def cancel(self, request: a.CancelApprovalRequest):
        changed = await self._change(
            request, "PUT", "incident.approval.cancel", {"note": request.note or None}
        )
        return a.CancelApprovalResponse(approval=changed)

    async def add_voter(self, request: a.AddApprovalVoterRequest):
        changed = await self._change(request, "POST", "incident.approval.add_voter", {})
        return a.AddApprovalVoterResponse(approval=changed)

    # ---------------------------------------------------------------- requesting

    async def _newest(
        self,
        ticket_id: int,
        wanted: Callable[[Mapping[str, Any]], bool],
        name: str,
        exact: Callable[[Mapping[str, Any]], bool] = lambda record: True,
    ) -> a.Approval:
        """The ticket's newest approval matching `wanted`, those also `exact` first (InvGate
        does not return the new approval's id)."""
        matching = [r for r in await self._records(ticket_id) if wanted(r)]
        if not matching:
            raise self.not_found(name)
        newest = max(matching, key=lambda r: (exact(r), m.to_int(r.get("id")) or 0))
        return await self._approval(ticket_id, newest)

    async def request_approval(self, request: a.RequestApprovalRequest):
        ticket_id, author, approver = self._ids(
            (request.parent, m.TICKET, "ticket", "parent"),
            (request.author, m.USER, "user", "author"),
            (request.approver, m.USER, "user", "approver"),
        )
        await self.client.post(
            "incident.spontaneous_approval",
            {
                "request_id": ticket_id,
                "author_id": author,
                "approval_user_id": approver,
                "description": request.description,
            },
        )
        created = await self._newest(
            ticket_id,
            lambda r: (
                m.to_int(r.get("type")) == SPONTANEOUS and m.to_int(r.get("author_id")) == author
            ),
            f"{request.parent}/approvals/(new)",
            exact=lambda r: r.get("approval_request_description") == request.description,
        )
        return a.RequestApprovalResponse(approval=created)

    async def _templates(self, ticket_id: int) -> list[dict]:
        answer = await self.client.get("incident.custom_approval", {"request_id": ticket_id})
        return [r for r in m.rows(answer) if m.to_int(r.get("status")) != TEMPLATE_DELETED]

    async def list_templates(self, request: a.ListApprovalTemplatesRequest):
        (ticket_id,) = self._ids((request.parent, m.TICKET, "ticket", "parent"))
        return a.ListApprovalTemplatesResponse(
            templates=[
                template(self.backend, ticket_id, r) for r in await self._templates(ticket_id)
            ]
        )

    async def request_template(self, request: a.RequestTemplateApprovalRequest):
        ticket_id, template_id, author = self._ids(
            (request.name, m.APPROVAL_TEMPLATE, "ticket", "name"),
            (request.name, m.APPROVAL_TEMPLATE, "approval_template", "name"),
            (request.author, m.USER, "user", "author"),
        )
        found = [
            r for r in await self._templates(ticket_id) if m.to_int(r.get("id")) == template_id
        ]
        if not found:
            raise self.not_found(request.name)
        required = m.to_int(found[0].get("description_required")) == DESCRIPTION_REQUIRED
        if required and not request.description:
            raise bad_field("description", "this InvGate approval template requires one")
        await self.client.post(
            "incident.custom_approval",
            {
                "request_id": ticket_id,
                "author_id": author,
                "approval_id": template_id,
                "description": request.description or None,
            },
        )
        parent = m.TICKET.format(backend=self.backend, ticket=ticket_id)
        created = await self._newest(
            ticket_id,
            lambda r: (
                m.to_int(r.get("approval_request_id")) == template_id
                and m.to_int(r.get("author_id")) == author
            ),
            f"{parent}/approvals/(new)",
        )
        return a.RequestTemplateApprovalResponse(approval=created)

    # ---------------------------------------------------------------- catalogues

    async def _catalogue(self, key: str) -> list[common_pb2.VendorValue]:
        return vendor_values(await self.client.get(key))

    async def list_statuses(self, request: a.ListApprovalStatusesRequest):
        values = await self._catalogue("incident.approval.status")
        return a.ListApprovalStatusesResponse(statuses=values)

    async def list_vote_statuses(self, request: a.ListVoteStatusesRequest):
        values = await self._catalogue("incident.approval.vote_status")
        return a.ListVoteStatusesResponse(statuses=values)

    async def list_types(self, request: a.ListApprovalTypesRequest):
        return a.ListApprovalTypesResponse(types=await self._catalogue("incident.approval.type"))


def operations(backend: str, client: InvGateClient) -> dict[str, Operation]:
    """RPC name → operation, for every RPC of this family InvGate can do."""
    x = InvGateApprovals(backend, client)
    return {
        "ListApprovals": x.list_approvals,
        "ApproveApproval": x.approve,
        "RejectApproval": x.reject,
        "CancelApproval": x.cancel,
        "AddApprovalVoter": x.add_voter,
        "ListApprovalVoters": x.list_voters,
        "RequestApproval": x.request_approval,
        "ListApprovalTemplates": x.list_templates,
        "RequestTemplateApproval": x.request_template,
        "ListApprovalStatuses": x.list_statuses,
        "ListVoteStatuses": x.list_vote_statuses,
        "ListApprovalTypes": x.list_types,
    }
