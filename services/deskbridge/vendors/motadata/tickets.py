"""TicketService operations on Motadata ServiceOps requests (VENDORS.md §2.4).

Motadata takes names where deskbridge.v1 has ids (`categoryName`, `groupName`, `assigneeEmail`,
`locationName`): ids are turned into names through what the instance itself reported — every
request read teaches the adapter its category, group and technician ids with their names —
plus the reference data a backend may configure (`categories`, `groups`). Lists are searches
by qualification with offset paging behind the opaque page token; every filter is applied by
the vendor, so `total_size` is exact.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import grpc

from deskbridge.runtime.backends import Operation, Reconcile
from deskbridge.runtime.errors import (
    ApiError,
    FieldViolation,
    absent_is,
    bad_field,
    invalid_argument,
    not_found,
)
from deskbridge.runtime.idempotency import Claim, record_write
from deskbridge.runtime.outcomes import unconfirmed_write
from deskbridge.runtime.paging import (
    cursor_int,
    decode_page_token,
    offset_page_token,
    page_of,
    page_size,
)
from deskbridge.runtime.records import plain_text
from deskbridge.runtime.resources import MAX_ID_DIGITS
from deskbridge.runtime.validation import check_mask
from deskbridge.v1 import tickets_pb2
from deskbridge.vendors.motadata import mapping as m
from deskbridge.vendors.motadata.client import MotadataClient
from deskbridge.vendors.motadata.quals import one_of, qual

if TYPE_CHECKING:
    from google.protobuf.internal.containers import RepeatedCompositeFieldContainer

REQUEST = "request"
MAX_BATCH = 100
CLOCK_SKEW_SECONDS = 30.0
# Conversation times have minute resolution: a match on time needs a minute more.
CONVERSATION_SLACK_SECONDS = 90.0


class Names:
    """Id → name of the instance's categories, groups, technicians, statuses, as reported."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.categories: dict[int, str] = _invert(options.get("categories"))
        self.groups: dict[int, str] = _invert(options.get("groups"))
        self.statuses: dict[int, str] = _invert(options.get("statuses"))
        self.technicians: dict[int, str] = {}

    def learn(self, record: Mapping[str, Any]) -> None:
        for ids, id_key, name_key in (
            (self.categories, "categoryId", "categoryName"),
            (self.groups, "groupId", "groupName"),
            (self.statuses, "statusId", "statusName"),
            (self.technicians, "technicianId", "assigneeEmail"),
        ):
            identifier, name = m.to_int(record.get(id_key)), record.get(name_key)
            if identifier is not None and isinstance(name, str) and name:
                ids[identifier] = name


def _invert(table: Any) -> dict[int, str]:
    if not isinstance(table, Mapping):
        return {}
    return {int(v): str(k) for k, v in table.items() if m.to_int(v) is not None}


class MotadataTickets:
    """The ticket side of one Motadata backend."""

    def __init__(self, backend: str, client: MotadataClient, options: Mapping[str, Any]) -> None:
        self.backend = backend
        self.client = client
        self.names = Names(options)
        self.zone = ZoneInfo(str(options.get("time_zone", "UTC")))
        prefix = m.TICKET.name(backend, "")
        # Only where the full parse would accept this backend's names (its id a valid segment).
        self._ticket_prefix = prefix if m.TICKET.matches(prefix + "1") else None

    # ---------------------------------------------------------------- helpers

    def ticket_id(self, name: str, field: str = "name") -> int:
        # The common case without the name's regex (0.8 → 0.4 µs, timeit): this backend's
        # prefix and a plain id; anything else is parsed, and refused, as below.
        prefix = self._ticket_prefix
        if prefix is not None and name.startswith(prefix):
            tail = name[len(prefix) :]
            if tail.isascii() and tail.isdigit() and len(tail) <= MAX_ID_DIGITS:
                return int(tail)
        ids = m.TICKET.parse(name, field)
        if ids["backend"] != self.backend:
            raise bad_field(field, f"{name!r} is not a ticket of backend {self.backend!r}")
        return m.numeric(ids["ticket"], field)

    def tickets(self, records: list[Mapping[str, Any]]) -> list[tickets_pb2.Ticket]:
        for record in records:
            self.names.learn(record)
        return [m.ticket(self.backend, r) for r in records]

    def fill_tickets(
        self,
        target: RepeatedCompositeFieldContainer[tickets_pb2.Ticket],
        records: list[Mapping[str, Any]],
    ) -> None:
        """`records` as Tickets appended to a response's repeated `tickets`, each filled in
        place (a list of Tickets handed to the response is copied, ~6 µs a ticket)."""
        for record in records:
            self.names.learn(record)
            m.ticket(self.backend, record, target.add())

    async def fetch(
        self, identifier: int, into: tickets_pb2.Ticket | None = None
    ) -> tickets_pb2.Ticket:
        """The request `identifier` as a Ticket, filled into `into` when given."""
        try:  # what `self._absent` does, without a context manager per call (2.3 µs)
            record = await self.client.get(f"{REQUEST}/{identifier}")
        except ApiError as error:
            if error.code != grpc.StatusCode.NOT_FOUND:
                raise
            raise self._missing(identifier) from None
        if not isinstance(record, Mapping) or "id" not in record:
            raise self._missing(identifier)
        self.names.learn(record)
        return m.ticket(self.backend, record, into)

    def _missing(self, identifier: int) -> ApiError:
        return not_found(m.TICKET.name(self.backend, identifier), backend=self.backend)

    def _absent(self, identifier: int):
        return absent_is(m.TICKET.name(self.backend, identifier), backend=self.backend)

    async def _email_of(self, user: str, field: str) -> str:
        """A user's email (Motadata addresses people by email)."""
        identifier = m.numeric_id(user, m.USER, "user", field)
        known = self.names.technicians.get(identifier)
        if known:
            return known
        for module in ("technician", "requester"):
            try:
                record = await self.client.get(f"{module}/{identifier}")
            except ApiError as error:
                if error.code == grpc.StatusCode.NOT_FOUND:
                    continue
                raise
            if isinstance(record, Mapping) and record.get("email"):
                return str(record["email"])
        raise bad_field(field, f"{user!r} is no Motadata user")

    def _name(self, table: dict[int, str], name: str, pattern, key: str, field: str) -> str:
        identifier = m.numeric_id(name, pattern, key, field)
        found = table.get(identifier)
        if found is None:
            raise bad_field(
                field,
                f"Motadata takes names here, and id {identifier} has not been seen on this "
                "instance; configure it in the backend's options or use an existing one",
            )
        return found

    async def _body(self, t: tickets_pb2.Ticket, paths: list[str] | None) -> dict[str, Any]:
        """Motadata's request keys for the Ticket fields in `paths` (None: every field set)."""
        want = (lambda f: f in paths) if paths is not None else None
        body: dict[str, Any] = {}
        bad: list[FieldViolation] = []

        def wanted(field: str, present: bool) -> bool:
            return want(field) if want is not None else present

        if wanted("title", bool(t.title)):
            body["subject"] = t.title
        if wanted("description", bool(t.description)):
            body["description"] = t.description
        if wanted("requester_email", bool(t.requester_email)):
            body["requesterEmail"] = t.requester_email
        elif wanted("requester", bool(t.requester)):
            body["requesterEmail"] = await self._email_of(t.requester, "ticket.requester")
        if wanted("assignee", bool(t.assignee)):
            body["assigneeEmail"] = (
                await self._email_of(t.assignee, "ticket.assignee") if t.assignee else None
            )
        if wanted("category", bool(t.category)):
            body["categoryName"] = self._name(
                self.names.categories, t.category, m.CATEGORY, "ticket_category", "ticket.category"
            )
        if wanted("help_desk", bool(t.help_desk)):
            body["groupName"] = self._name(
                self.names.groups, t.help_desk, m.HELP_DESK, "help_desk", "ticket.help_desk"
            )
        if wanted("location", bool(t.location)):
            body["locationName"] = m.location_of(t.location, "ticket.location") or None
        if wanted("priority", bool(t.priority)) or wanted(
            "vendor_priority", bool(t.vendor_priority.label)
        ):
            label = t.vendor_priority.label or m.PRIORITY_NAMES.get(t.priority)
            if label is None:
                bad.append(
                    FieldViolation("ticket.priority", f"Motadata has no priority {t.priority}")
                )
            body["priorityName"] = label
        for field, key, value in (
            ("urgency", "urgencyName", t.urgency.label),
            ("impact", "impactName", t.impact.label),
            ("vendor_state", "statusName", t.vendor_state.label),
            ("vendor_source", "source", t.vendor_source.label),
            ("department", "departmentName", t.department),
            ("support_level", "supportLevel", t.support_level),
        ):
            if wanted(field, bool(value)):
                body[key] = value or None
        if wanted("tags", bool(t.tags)):
            body["tags"] = list(t.tags)
        if wanted("cc_emails", bool(t.cc_emails)):
            body["ccEmailSet"] = list(t.cc_emails)
        if wanted("spam", t.spam):
            body["spam"] = t.spam
        if wanted("linked_assets", bool(t.linked_assets)):
            body["linkAssetIds"] = [
                {"assetModel": a.model, "assetId": m.to_int(a.asset_id) or a.asset_id}
                for a in t.linked_assets
            ]
        if wanted("custom_fields", bool(t.custom_fields)):
            body["customField"] = {
                (v.label or v.field_id): m.custom_field_value(v) for v in t.custom_fields
            }
        if paths is not None:
            known = {
                "title", "description", "requester", "requester_email", "assignee", "category",
                "help_desk", "location", "priority", "vendor_priority", "urgency", "impact",
                "vendor_state", "vendor_source", "department", "support_level", "tags",
                "cc_emails", "spam", "linked_assets", "custom_fields",
            }  # fmt: skip
            bad.extend(
                FieldViolation(f"update_mask.paths[{i}]", f"Motadata cannot update {p!r}")
                for i, p in enumerate(paths)
                if p not in known
            )
        if bad:
            raise invalid_argument(bad)
        return body

    # ---------------------------------------------------------------- CRUD

    async def create(self, request: tickets_pb2.CreateTicketRequest):
        t = request.ticket
        if not (t.requester_email or t.requester):
            raise bad_field(
                "ticket.requester_email", "Motadata requires the requester (email or user)"
            )
        body = await self._body(t, None)
        started = time.time()
        created = await self.client.post(REQUEST, body)
        identifier = m.to_int(created.get("id")) if isinstance(created, Mapping) else None
        if identifier is None:
            found = await self.find_created(request, Claim("unknown", "", started, started))
            if found is None:
                raise unconfirmed_write("Motadata", self.backend, "request", "request")
            return found
        await record_write(str(identifier))
        return tickets_pb2.CreateTicketResponse(ticket=self.tickets([created])[0])

    async def find_created(self, request: tickets_pb2.CreateTicketRequest, claim: Claim):
        """The request an earlier attempt of this create made: matched on subject and
        requester, created since the claim (less the clock skew), the oldest first."""
        if claim.remote_id is not None:
            return tickets_pb2.CreateTicketResponse(ticket=await self.fetch(int(claim.remote_id)))
        t = request.ticket
        email = t.requester_email or await self._email_of(t.requester, "ticket.requester")
        since_ms = int((claim.since - CLOCK_SKEW_SECONDS) * 1000)
        found, _ = await self.client.search(
            REQUEST,
            [
                qual(REQUEST, "subject", "equal", t.title),
                qual(REQUEST, "requesterEmail", "equal", email),
                qual(REQUEST, "createdTime", "greater_than_or_equal", since_ms),
            ],
            size=10,
            sort_by="id",
        )
        matches = [r for r in found if r.get("subject") == t.title]
        if not matches:
            return None
        return tickets_pb2.CreateTicketResponse(ticket=self.tickets(matches[:1])[0])

    async def get(self, request: tickets_pb2.GetTicketRequest):
        # Filled in place: `GetTicketResponse(ticket=…)` would copy the whole ticket (~6 µs).
        response = tickets_pb2.GetTicketResponse()
        await self.fetch(self.ticket_id(request.name), into=response.ticket)
        return response

    async def batch_get(self, request: tickets_pb2.BatchGetTicketsRequest):
        if len(request.names) > MAX_BATCH:
            raise bad_field("names", f"at most {MAX_BATCH} names per call")
        ids = [self.ticket_id(n, f"names[{i}]") for i, n in enumerate(request.names)]
        if not ids:
            return tickets_pb2.BatchGetTicketsResponse()
        found, _ = await self.client.search(
            REQUEST, [one_of(REQUEST, "id", sorted(set(ids)))], size=len(set(ids))
        )
        by_id = {int(r["id"]): r for r in found if m.to_int(r.get("id")) is not None}
        for identifier in ids:
            if identifier not in by_id:
                raise self._missing(identifier)
        response = tickets_pb2.BatchGetTicketsResponse()
        self.fill_tickets(response.tickets, [by_id[i] for i in ids])
        return response

    def _list_quals(self, r: tickets_pb2.ListTicketsRequest) -> list[dict[str, Any]]:
        quals = []
        if r.states:
            # By name: the documented names need no instance ids; custom ones seen count too.
            wanted = set(r.states)
            names = {
                label
                for label in (*(n.title() for n in m.STATES), *self.names.statuses.values())
                if m.STATES.get(label.lower()) in wanted
            }
            if not names:
                raise bad_field("states", "no Motadata status has these states")
            quals.append(one_of(REQUEST, "statusName", sorted(names)))
        for field, key, pattern, var in (
            ("requester", "requesterId", m.USER, "user"),
            ("assignee", "technicianId", m.USER, "user"),
            ("help_desk", "groupId", m.HELP_DESK, "help_desk"),
            ("category", "categoryId", m.CATEGORY, "ticket_category"),
        ):
            value = getattr(r, field)
            if value:
                quals.append(qual(REQUEST, key, "equal", m.numeric_id(value, pattern, var, field)))
        if r.priority:
            label = m.PRIORITY_NAMES.get(r.priority)
            if label is None:
                raise bad_field("priority", f"Motadata has no priority {r.priority}")
            quals.append(qual(REQUEST, "priorityName", "equal", label))
        if r.HasField("updated_after"):
            quals.append(
                qual(REQUEST, "updatedTime", "greater_than", r.updated_after.ToMilliseconds())
            )
        for field in ("view_id", "sentiment", "lifecycle_state", "account"):
            if getattr(r, field):
                raise bad_field(field, "Motadata has no such filter")
        return quals

    async def list(self, request: tickets_pb2.ListTicketsRequest):
        cursor = decode_page_token(request.page_token, request)
        offset = cursor_int(cursor, "offset", 0)
        size = page_size(request.page_size)
        found, total = await self.client.search(
            REQUEST, self._list_quals(request), offset=offset, size=size, sort_by="id"
        )
        response = tickets_pb2.ListTicketsResponse(
            next_page_token=offset_page_token(request, offset, size, len(found), total),
            total_size=min(total or 0, 2**31 - 1),
        )
        self.fill_tickets(response.tickets, found)
        return response

    async def update(self, request: tickets_pb2.UpdateTicketRequest):
        identifier = self.ticket_id(request.ticket.name, "ticket.name")
        body = await self._body(request.ticket, list(request.update_mask.paths))
        with self._absent(identifier):
            updated = await self.client.patch(f"{REQUEST}/{identifier}", body)
        ticket = (
            self.tickets([updated])[0]
            if isinstance(updated, Mapping) and "id" in updated
            else await self.fetch(identifier)
        )
        return tickets_pb2.UpdateTicketResponse(ticket=ticket)

    async def delete(self, request: tickets_pb2.DeleteTicketRequest):
        identifier = self.ticket_id(request.name)
        before = await self.fetch(identifier)
        with self._absent(identifier):
            await self.client.delete(f"{REQUEST}/{identifier}")
        return tickets_pb2.DeleteTicketResponse(ticket=before)

    # ---------------------------------------------------------------- conversations

    async def conversations(self, identifier: int) -> list[Mapping[str, Any]]:
        with self._absent(identifier):
            answer = await self.client.get(f"{REQUEST}/{identifier}/conversation")
        rows = answer.get("objectList") if isinstance(answer, Mapping) else answer
        return [r for r in rows or [] if isinstance(r, Mapping)]

    def comment(self, identifier: int, record: Mapping[str, Any]) -> tickets_pb2.Comment:
        return m.comment(self.backend, str(identifier), record, self.zone)

    async def list_comments(self, request: tickets_pb2.ListCommentsRequest):
        identifier = self.ticket_id(request.parent, "parent")
        if request.solutions_only:
            return tickets_pb2.ListCommentsResponse()  # Motadata has no solution conversations
        window, token = page_of(await self.conversations(identifier), request)
        return tickets_pb2.ListCommentsResponse(
            comments=[self.comment(identifier, r) for r in window], next_page_token=token
        )

    @staticmethod
    def conversation_type(c: tickets_pb2.Comment) -> str:
        if c.conversation_type:
            if c.conversation_type not in m.COMMENT_TYPES:
                raise bad_field(
                    "comment.conversation_type", f"must be one of {', '.join(m.COMMENT_TYPES)}"
                )
            return c.conversation_type
        if c.is_solution:
            raise bad_field(
                "comment.is_solution",
                "Motadata has no solution conversation: resolve the ticket with UpdateTicket "
                "(vendor_state Resolved)",
            )
        internal = c.visibility == tickets_pb2.COMMENT_VISIBILITY_INTERNAL
        return "note" if internal else "technician_to_requester"

    async def create_comment(self, request: tickets_pb2.CreateCommentRequest):
        identifier = self.ticket_id(request.parent, "parent")
        c = request.comment
        body = {
            "conversationType": self.conversation_type(c),
            "details": c.body,
            "subject": c.subject or None,
            "conversationState": "published",
            "emailIds": list(c.email_ids),
            "ccEmailIds": list(c.cc_email_ids),
        }
        started = time.time()
        with self._absent(identifier):
            made = await self.client.post(f"{REQUEST}/{identifier}/conversation", body)
        if isinstance(made, Mapping) and made.get("id") is not None:
            await record_write(str(made["id"]))
            return tickets_pb2.CreateCommentResponse(comment=self.comment(identifier, made))
        found = await self._comment_since(request, started)
        if found is None:
            raise unconfirmed_write(
                "Motadata", self.backend, "conversation", "request/{id}/conversation"
            )
        return found

    async def find_comment(self, request: tickets_pb2.CreateCommentRequest, claim: Claim):
        return await self._comment_since(request, claim.since)

    async def _comment_since(self, request: tickets_pb2.CreateCommentRequest, since: float):
        """The newest conversation of the request with this type and text, made since."""
        identifier = self.ticket_id(request.parent, "parent")
        kind, text = self.conversation_type(request.comment), plain_text(request.comment.body)
        earliest = since - CLOCK_SKEW_SECONDS - CONVERSATION_SLACK_SECONDS
        matches = []
        for row in await self.conversations(identifier):
            made = m.conversation_time(row.get("createdTime"), self.zone)
            if (
                row.get("conversationType") == kind
                and plain_text(str(row.get("details") or "")) == text
                and (made is None or made.seconds >= earliest)
            ):
                matches.append(row)
        if not matches:
            return None
        newest = max(matches, key=lambda r: m.to_int(r.get("id")) or 0)
        return tickets_pb2.CreateCommentResponse(comment=self.comment(identifier, newest))

    async def update_comment(self, request: tickets_pb2.UpdateCommentRequest):
        ids = m.COMMENT.parse(request.comment.name, "comment.name")
        identifier = m.numeric(ids["ticket"], "comment.name")
        conversation = m.numeric(ids["comment"], "comment.name")
        c = request.comment
        fields = {
            "body": ("details", c.body),
            "subject": ("subject", c.subject),
            "email_ids": ("emailIds", list(c.email_ids)),
            "cc_email_ids": ("ccEmailIds", list(c.cc_email_ids)),
            "conversation_type": ("conversationType", c.conversation_type),
        }
        check_mask(request.update_mask.paths, fields, "Motadata")
        body = dict(fields[p] for p in request.update_mask.paths)
        made = await self.client.patch(f"{REQUEST}/{identifier}/conversation/{conversation}", body)
        return tickets_pb2.UpdateCommentResponse(comment=self.comment(identifier, made))

    # ---------------------------------------------------------------- reference data

    def _values(self, table: Mapping[int, str], normalize=None) -> list[tickets_pb2.ReferenceValue]:
        values = []
        for identifier, label in sorted(table.items()):
            value = tickets_pb2.ReferenceValue(value=m.vendor_value(identifier, label))
            if normalize is not None and label.lower() in normalize[0]:
                value.normalized = normalize[1].Name(normalize[0][label.lower()])
            values.append(value)
        return values

    async def list_statuses(self, request):
        return tickets_pb2.ListTicketStatusesResponse(
            statuses=self._values(self.names.statuses, (m.STATES, tickets_pb2.TicketState))
        )

    async def list_priorities(self, request):
        return tickets_pb2.ListTicketPrioritiesResponse(
            priorities=[
                tickets_pb2.ReferenceValue(
                    value=m.vendor_value(None, label),
                    normalized=tickets_pb2.TicketPriority.Name(value),
                )
                for value, label in sorted(m.PRIORITY_NAMES.items())
            ]
        )

    async def list_categories(self, request: tickets_pb2.ListTicketCategoriesRequest):
        rows = [
            tickets_pb2.TicketCategory(
                name=m.CATEGORY.name(self.backend, identifier), display_name=label
            )
            for identifier, label in sorted(self.names.categories.items())
            if not request.search or request.search.lower() in label.lower()
        ]
        window, token = page_of(rows, request)
        return tickets_pb2.ListTicketCategoriesResponse(categories=window, next_page_token=token)


def reconcilers(tickets: MotadataTickets) -> dict[str, Reconcile]:
    return {"CreateTicket": tickets.find_created, "CreateComment": tickets.find_comment}


def operations(tickets: MotadataTickets) -> dict[str, Operation]:
    """TicketService RPC name → operation, for every RPC Motadata can do."""
    t = tickets
    return {
        "CreateTicket": t.create,
        "GetTicket": t.get,
        "BatchGetTickets": t.batch_get,
        "ListTickets": t.list,
        "UpdateTicket": t.update,
        "DeleteTicket": t.delete,
        "ListComments": t.list_comments,
        "CreateComment": t.create_comment,
        "UpdateComment": t.update_comment,
        "ListTicketStatuses": t.list_statuses,
        "ListTicketPriorities": t.list_priorities,
        "ListTicketCategories": t.list_categories,
    }
