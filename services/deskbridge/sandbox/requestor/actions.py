"""The two public actions' bodies (VENDORS.md §4.3), checked as ASP.NET Web API model binding
would [I]: each problem is a ModelState entry under the field's name, all of them reported.

NewTicket: `{"Type": int*, "ServiceId": int*, "Subject": str*, "Message": str*,
"SubmitterEmail": str*, "SolverUserProviderKey": str}` [C]. CreateRequestorUser:
`{"UserName"*, "Email", "Password", "RoleEndUser", "RoleSmartUser", "RoleOperator",
"RoleSuperOperator", "RoleAdministrator", "FirstName", "LastName", "MiddleName",
"DisplayName", "Phone", "ChangePasswordAfterLogging"*, "AdminNote", "AdditionalInformation",
"CustomerNames": [str]}` [C]; the role flags are bools and CustomerNames company names.

[I] A required string must not be missing, null, empty or blank ("The X field is required.",
DataAnnotations' [Required] text); a value of the wrong JSON type is "The value '…' is not
valid for X."; unknown properties are ignored. Type / ServiceId must name a ticket type /
service of the instance; UserName must be new (ASP.NET Identity's "Name x is already
taken."). Nothing else (e-mail syntax, password rules, whether SubmitterEmail is a user,
SolverUserProviderKey) is checked [?].
"""

from __future__ import annotations

import json
from typing import Any

from deskbridge.sandbox.requestor.state import ROLES, Invalid, RequestorState

INVALID_REQUEST = "The request is invalid."
USER_STRINGS = (
    "Email",
    "Password",
    "FirstName",
    "LastName",
    "MiddleName",
    "DisplayName",
    "Phone",
    "AdminNote",
    "AdditionalInformation",
)


def model_state(errors: dict[str, list[str]]) -> dict[str, Any]:
    """The 400 body: `{"Message": "The request is invalid.", "ModelState": {…}}` [I]."""
    return {"Message": INVALID_REQUEST, "ModelState": errors}


def parse_object(raw: bytes) -> dict[str, Any]:
    """The JSON object of a body; `Invalid` (under the key "") for anything else."""
    try:
        body = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise Invalid.of("", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise Invalid.of("", "The request body must be a JSON object.")
    return body


class Fields:
    """Reads typed fields of one body, collecting the problems."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.errors: dict[str, list[str]] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def _wrong(self, name: str) -> None:
        self.fail(name, f"The value '{self.body[name]}' is not valid for {name}.")

    def string(self, name: str, required: bool = False) -> str | None:
        value = self.body.get(name)
        if value is not None and not isinstance(value, str):
            self._wrong(name)
            return None
        if required and (value is None or not value.strip()):
            self.fail(name, f"The {name} field is required.")
            return None
        return value

    def integer(self, name: str, required: bool = False) -> int | None:
        value = self.body.get(name)
        if value is None:
            if required:
                self.fail(name, f"The {name} field is required.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(name)
            return None
        return value

    def boolean(self, name: str, required: bool = False) -> bool | None:
        value = self.body.get(name)
        if value is None:
            if required:
                self.fail(name, f"The {name} field is required.")
            return None
        if not isinstance(value, bool):
            self._wrong(name)
            return None
        return value

    def strings(self, name: str) -> list[str] | None:
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"The value is not valid for {name}: a list of strings.")
            return None
        return value

    def done(self) -> None:
        if self.errors:
            raise Invalid(self.errors)


def ticket_fields(state: RequestorState, body: dict[str, Any]) -> dict[str, Any]:
    """NewTicket's body as the fields of a new ticket (`create_ticket`); `Invalid` if not."""
    fields = Fields(body)
    type_id = fields.integer("Type", required=True)
    service_id = fields.integer("ServiceId", required=True)
    subject = fields.string("Subject", required=True)
    message = fields.string("Message", required=True)
    submitter = fields.string("SubmitterEmail", required=True)
    solver = fields.string("SolverUserProviderKey")
    if type_id is not None and type_id not in state.ticket_types:
        fields.fail("Type", f"The ticket type {type_id} does not exist.")
    if service_id is not None and service_id not in state.services:
        fields.fail("ServiceId", f"The service {service_id} does not exist.")
    fields.done()
    return {
        "TypeId": type_id,
        "ServiceId": service_id,
        "Subject": subject,
        "Message": message,
        "SubmitterEmail": submitter,
        "SolverUserProviderKey": solver,
    }


def user_fields(state: RequestorState, body: dict[str, Any]) -> dict[str, Any]:
    """CreateRequestorUser's body as the fields of a new user (`create_user`: Roles a list of
    role names, CustomerNames the names as given); `Invalid` if not."""
    fields = Fields(body)
    user_name = fields.string("UserName", required=True)
    values: dict[str, Any] = {name: fields.string(name) for name in USER_STRINGS}
    change_password = fields.boolean("ChangePasswordAfterLogging", required=True)
    roles = [role for role in ROLES if fields.boolean(f"Role{role}")]
    customers = fields.strings("CustomerNames") or []
    if user_name is not None and state.user_named(user_name) is not None:
        fields.fail("UserName", f"Name {user_name} is already taken.")
    if state.config.unknown_customer == "reject":
        for name in customers:
            if state.company_named(name) is None:
                fields.fail("CustomerNames", f"The company '{name}' does not exist.")
    fields.done()
    values.update(
        UserName=user_name.strip(),
        ChangePasswordAfterLogging=change_password,
        Roles=roles,
        CustomerNames=customers,
    )
    return values
