"""The RPCs Requestor's public API can do (VENDORS.md §4.3): create a ticket, create a user,
and the services and ticket types that feed them. Its API reads nothing else back.

Create answers are not recorded [?]: the entity, its bare id, or nothing. With the entity the
response is it; with an id it is the request as sent under that id; with nothing there is no
id to name the result by, so the call is an unconfirmed write (UNAVAILABLE, written).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deskbridge.runtime.backends import Operation
from deskbridge.runtime.errors import FieldViolation, invalid_argument
from deskbridge.runtime.idempotency import record_write
from deskbridge.runtime.outcomes import unconfirmed_write
from deskbridge.runtime.records import to_int
from deskbridge.runtime.resources import TICKET, USER
from deskbridge.v1 import common_pb2, identity_pb2, tickets_pb2
from deskbridge.vendors.requestor import mapping as m
from deskbridge.vendors.requestor.client import RequestorClient

NEW_TICKET = "/api/Tickets/NewTicket"
NEW_USER = "/api/Account/CreateRequestorUser"
TICKET_FIELDS = {  # vendor property → request field, for the violations of a 400
    "Type": "ticket.vendor_type",
    "ServiceId": "ticket.service",
    "Subject": "ticket.title",
    "Message": "ticket.description",
    "SubmitterEmail": "ticket.requester_email",
    "SolverUserProviderKey": "ticket.solver_key",
}
USER_FIELDS = {
    "UserName": "user.username",
    "Email": "user.email",
    "Password": "password",
    "FirstName": "user.given_name",
    "LastName": "user.family_name",
    "DisplayName": "user.display_name",
    "Phone": "user.phones.phone",
    "CustomerNames": "user.company_names",
    "ChangePasswordAfterLogging": "force_password_change",
}


class RequestorOperations:
    def __init__(self, backend: str, client: RequestorClient, options: Mapping[str, Any]) -> None:
        self.backend = backend
        self.client = client
        self.services_path = str(options.get("services_path", "/api/Services"))
        self.types_path = str(options.get("ticket_types_path", "/api/TicketTypes"))

    async def create_ticket(self, request: tickets_pb2.CreateTicketRequest):
        t = request.ticket
        problems = []
        kind = to_int(t.vendor_type.id)
        if kind is None:
            problems.append(
                FieldViolation("ticket.vendor_type", "Requestor needs the ticket type id")
            )
        service = None
        if t.service:
            service = to_int(m.SERVICE.parse(t.service, "ticket.service")["service"])
        if service is None:
            problems.append(FieldViolation("ticket.service", "Requestor needs the service"))
        for field, value in (
            ("ticket.description", t.description),
            ("ticket.requester_email", t.requester_email),
        ):
            if not value:
                problems.append(FieldViolation(field, "Requestor requires it"))
        if problems:
            raise invalid_argument(problems)
        body = {
            "Type": kind,
            "ServiceId": service,
            "Subject": t.title,
            "Message": t.description,
            "SubmitterEmail": t.requester_email,
            "SolverUserProviderKey": t.solver_key or None,
        }
        answer = await self.client.post(NEW_TICKET, body, TICKET_FIELDS)
        if isinstance(answer, Mapping) and answer.get("Id") is not None:
            await record_write(str(answer["Id"]))
            return tickets_pb2.CreateTicketResponse(ticket=m.ticket(self.backend, answer))
        identifier = to_int(answer)
        if identifier is None:
            raise unconfirmed_write("Requestor", self.backend, "ticket", NEW_TICKET)
        await record_write(str(identifier))
        made = m.named(t, TICKET.name(self.backend, identifier), self.backend)
        return tickets_pb2.CreateTicketResponse(ticket=made)

    async def create_user(self, request: identity_pb2.CreateUserRequest):
        u = request.user
        if not u.username:
            raise invalid_argument(FieldViolation("user.username", "Requestor requires it"))
        roles = u.roles
        body = {
            "UserName": u.username,
            "Email": u.email or None,
            "Password": request.password or None,
            "RoleEndUser": roles.end_user,
            "RoleSmartUser": roles.smart_user,
            "RoleOperator": roles.operator,
            "RoleSuperOperator": roles.super_operator,
            "RoleAdministrator": roles.administrator,
            "FirstName": u.given_name or None,
            "LastName": u.family_name or None,
            "DisplayName": u.display_name or None,
            "Phone": u.phones.phone or None,
            "ChangePasswordAfterLogging": request.force_password_change,
            "CustomerNames": list(u.company_names),
        }
        answer = await self.client.post(NEW_USER, body, USER_FIELDS)
        if isinstance(answer, Mapping) and answer.get("Id") is not None:
            await record_write(str(answer["Id"]))
            return identity_pb2.CreateUserResponse(user=m.user(self.backend, answer))
        identifier = to_int(answer)
        if identifier is None:
            raise unconfirmed_write("Requestor", self.backend, "user", NEW_USER)
        await record_write(str(identifier))
        made = m.named(u, USER.name(self.backend, identifier), self.backend)
        return identity_pb2.CreateUserResponse(user=made)

    async def _reference(self, path: str) -> list[tickets_pb2.ReferenceValue]:
        rows = await self.client.get(path)
        return [
            tickets_pb2.ReferenceValue(
                value=common_pb2.VendorValue(id=str(r.get("Id")), label=str(r.get("Name") or ""))
            )
            for r in rows or []
            if isinstance(r, Mapping) and r.get("Id") is not None
        ]

    async def list_services(self, request: tickets_pb2.ListServicesRequest):
        return tickets_pb2.ListServicesResponse(services=await self._reference(self.services_path))

    async def list_ticket_types(self, request: tickets_pb2.ListTicketTypesRequest):
        return tickets_pb2.ListTicketTypesResponse(types=await self._reference(self.types_path))


def ticket_operations(ops: RequestorOperations) -> dict[str, Operation]:
    return {
        "CreateTicket": ops.create_ticket,
        "ListServices": ops.list_services,
        "ListTicketTypes": ops.list_ticket_types,
    }


def identity_operations(ops: RequestorOperations) -> dict[str, Operation]:
    return {"CreateUser": ops.create_user}
