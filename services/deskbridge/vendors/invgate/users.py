"""IdentityService operations on InvGate users: users, lookups, life cycle, memberships.

InvGate answers user actions (update, disable, enable, convert, password) with `{status}`
only, so each action re-reads the user (disabled ones included) and returns it as it is now,
which is also what the change event carries. Passwords go to InvGate in the form body and
are never returned, logged or put in an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from deskbridge.runtime.backends import Operation
from deskbridge.runtime.errors import FieldViolation, bad_field, invalid_argument, not_found
from deskbridge.runtime.paging import (
    cursor_int,
    decode_page_token,
    encode_page_token,
    page_size,
)
from deskbridge.v1 import identity_pb2 as pb
from deskbridge.vendors.invgate import mapping as m
from deskbridge.vendors.invgate.client import InvGateClient

# InvGate `user_type` and `type` (VENDORS.md §1.4, "User object").
KINDS = {1: pb.USER_KIND_AGENT, 2: pb.USER_KIND_END_USER}
ACCOUNT_TYPES = {
    1: pb.ACCOUNT_TYPE_SYSTEM,
    2: pb.ACCOUNT_TYPE_LDAP,
    3: pb.ACCOUNT_TYPE_WEBSERVICE,
    4: pb.ACCOUNT_TYPE_CUSTOMER,
    5: pb.ACCOUNT_TYPE_MAILBOX,
}
ACCOUNT_TYPE_LABELS = {1: "System", 2: "LDAP", 3: "Webservice", 4: "Customer", 5: "Mailbox"}
LANGUAGES = ("es", "en", "en_GB", "pt", "fr", "de", "ca", "it", "nl", "el")
RESET_TYPES = {
    pb.PASSWORD_RESET_KIND_NEW_USER: "NEW_USER",
    pb.PASSWORD_RESET_KIND_RESET_PASSWORD: "RESET_PASSWORD",
}
# FindUser `phone_kind` → the users.by parameter searching that phone.
PHONE_PARAMETERS = {
    pb.PHONE_KIND_UNSPECIFIED: "phones",
    pb.PHONE_KIND_ANY: "phones",
    pb.PHONE_KIND_PHONE: "phone",
    pb.PHONE_KIND_OFFICE: "office_phone",
    pb.PHONE_KIND_MOBILE: "mobile_phone",
    pb.PHONE_KIND_FAX: "fax_phone",
    pb.PHONE_KIND_OTHER: "other_phone",
}
LIST_MAX = 100  # users.by.extended `page_size` maximum

Reader = Callable[[pb.User], Any]
# User field path → (InvGate `user` POST/PUT parameter, how to read it). The vendor spells
# the second email `other-email` and the location `localization`.
WRITABLE: dict[str, tuple[str, Reader]] = {
    "given_name": ("name", lambda u: u.given_name),
    "family_name": ("lastname", lambda u: u.family_name),
    "username": ("username", lambda u: u.username),
    "email": ("email", lambda u: u.email),
    "other_email": ("other-email", lambda u: u.other_email),
    "phones.phone": ("phone", lambda u: u.phones.phone),
    "phones.mobile": ("mobile", lambda u: u.phones.mobile),
    "phones.office": ("office", lambda u: u.phones.office),
    "phones.other": ("other", lambda u: u.phones.other),
    "phones.fax": ("fax", lambda u: u.phones.fax),
    "address": ("address", lambda u: u.address),
    "city": ("city", lambda u: u.city),
    "country": ("country", lambda u: u.country),
    "birthday": ("birthday", lambda u: u.birthday),
    "position": ("position", lambda u: u.position),
    "department": ("department", lambda u: u.department),
    "employee_number": ("employee_number", lambda u: u.employee_number),
    "document_id": ("doc", lambda u: u.document_id),
    "location": ("localization", lambda u: u.location),
    "manager": ("manager_id", lambda u: u.manager),
    "language": ("language", lambda u: u.language),  # PUT only
}
PHONE_PATHS = [p for p in WRITABLE if p.startswith("phones.")]
NOT_EMPTY = ("given_name", "family_name", "email")  # InvGate requires them on every user
# Fields a create ignores: identity, output-only and derived ones.
IGNORED_ON_CREATE = {
    "name",
    "vendor_record",
    "display_name",
    "disabled",
    "deleted",
    "create_time",
    "update_time",
    "etag",
}
CREATABLE = {p.split(".")[0] for p in WRITABLE} - {"language"} | {"external"}


def user(backend: str, record: Mapping[str, Any]) -> pb.User:
    """An InvGate user object → User."""
    given, family = str(record.get("name") or ""), str(record.get("lastname") or "")
    account_type = m.to_int(record.get("type"))
    manager = m.to_int(record.get("manager_id"))
    return pb.User(
        name=m.USER.format(backend=backend, user=record.get("id")),
        vendor_record=m.vendor_record(backend, record),
        given_name=given,
        family_name=family,
        display_name=f"{given} {family}".strip(),
        username=_text(record, "username"),
        email=_text(record, "email"),
        other_email=_text(record, "other_email"),
        phones=pb.PhoneNumbers(
            phone=_text(record, "phone"),
            mobile=_text(record, "mobile"),
            office=_text(record, "office"),
            other=_text(record, "other"),
            fax=_text(record, "fax"),
        ),
        address=_text(record, "address"),
        city=_text(record, "city"),
        country=_text(record, "country"),
        birthday=_text(record, "birthday"),
        position=_text(record, "position"),
        department=_text(record, "department"),
        manager=m.USER.format(backend=backend, user=manager) if manager else "",
        employee_number=_text(record, "employee_number"),
        document_id=_text(record, "doc"),
        language=_text(record, "language"),
        location=_text(record, "location"),
        kind=KINDS.get(m.to_int(record.get("user_type")), pb.USER_KIND_UNSPECIFIED),
        account_type=ACCOUNT_TYPES.get(account_type, pb.ACCOUNT_TYPE_UNSPECIFIED),
        vendor_account_type=m.vendor_value(account_type, ACCOUNT_TYPE_LABELS),
        external=_flag(record.get("is_external")),
        disabled=_flag(record.get("is_disabled")),
        deleted=_flag(record.get("is_deleted")),
        role_name=_text(record, "role_name"),
    )


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value)


def _flag(value: Any) -> bool:
    """InvGate booleans arrive as true/false, 1/0 or "1"/"0"."""
    return value is True or m.to_int(value) == 1 or str(value).lower() == "true"


class InvGateUsers:
    """The user side of one InvGate backend."""

    def __init__(self, backend: str, client: InvGateClient) -> None:
        self.backend = backend
        self.client = client

    # ---------------------------------------------------------------- helpers

    def user_id(self, name: str, field: str = "name") -> int:
        if m.USER.parse(name, field)["backend"] != self.backend:
            raise bad_field(field, f"{name!r} is not a user of backend {self.backend!r}")
        return m.numeric_id(name, m.USER, "user", field)

    async def fetch(self, identifier: int, *, include_disabled: bool = True) -> pb.User:
        record = await self.client.get(
            "user", {"id": identifier, "include_disabled": include_disabled or None}
        )
        if not isinstance(record, Mapping) or "id" not in record:
            raise not_found(self._name(identifier), backend=self.backend)
        return user(self.backend, record)

    def _name(self, identifier: int) -> str:
        return m.USER.format(backend=self.backend, user=identifier)

    async def _act(self, method: str, key: str, name: str, **params: Any) -> pb.User:
        """Run a `{status}`-only action on the user `name` names; the user after it."""
        identifier = self.user_id(name)
        await self.client.call(method, key, {"id": identifier, **params})
        return await self.fetch(identifier)

    def _parameters(self, u: pb.User, paths: Iterable[str]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for path in paths:
            parameter, read = WRITABLE[path]
            value = read(u)
            if path == "manager":
                value = self.user_id(value, "user.manager") if value else ""
            params[parameter] = value
        return params

    # ---------------------------------------------------------------- CRUD

    async def create(self, request: pb.CreateUserRequest) -> pb.CreateUserResponse:
        u = request.user
        violations = [
            FieldViolation(f"user.{f.name}", "InvGate cannot set it when creating a user")
            for f, _ in u.ListFields()
            if f.name not in CREATABLE | IGNORED_ON_CREATE
        ]
        if not u.family_name:
            violations.append(FieldViolation("user.family_name", "InvGate requires a last name"))
        if violations:
            raise invalid_argument(violations)
        paths = [p for p in WRITABLE if p != "language" and WRITABLE[p][1](u)]
        params = {
            **self._parameters(u, paths),
            "is_external": u.external or None,
            "pass": request.password or None,
            "send_set_password_email": request.send_set_password_email or None,
            "force_password_change": request.force_password_change or None,
        }
        record = await self.client.post("user", params)
        if "email" in record:  # the user object, as documented
            return pb.CreateUserResponse(user=user(self.backend, record))
        return pb.CreateUserResponse(user=await self.fetch(int(record["id"])))

    async def get(self, request: pb.GetUserRequest) -> pb.GetUserResponse:
        identifier = self.user_id(request.name)
        found = await self.fetch(identifier, include_disabled=request.include_disabled)
        return pb.GetUserResponse(user=found)

    async def find(self, request: pb.FindUserRequest) -> pb.FindUserResponse:
        key = request.WhichOneof("key")
        value = getattr(request, key) if key else ""
        violations = []
        if not value:
            violations.append(
                FieldViolation(key or "key", "set one of email, username, phone, employee_number")
            )
        if request.phone_kind and key != "phone":
            violations.append(FieldViolation("phone_kind", "applies only when finding by phone"))
        if violations:
            raise invalid_argument(violations)
        parameter = PHONE_PARAMETERS.get(request.phone_kind) if key == "phone" else key
        if parameter is None:
            raise bad_field("phone_kind", f"unknown phone kind {request.phone_kind}")
        answer = await self.client.get(
            "users.by",
            {
                parameter: value,
                "exact_match": True,
                "include_disabled": request.include_disabled or None,
            },
        )
        records = m.rows(answer)
        if not records:
            raise not_found(f"{request.parent}/users?{key}={value}", backend=self.backend)
        # Several users may share a phone: the oldest account wins, every time.
        first = min(records, key=lambda r: m.to_int(r.get("id")) or 0)
        return pb.FindUserResponse(user=user(self.backend, first))

    async def list(self, request: pb.ListUsersRequest) -> pb.ListUsersResponse:
        """users.by.extended pages; `kind` is applied per page (InvGate cannot filter by it),
        so such pages may hold fewer than page_size users while more follow."""
        size = page_size(request.page_size, maximum=LIST_MAX)
        number = cursor_int(decode_page_token(request.page_token, request), "page", 1, minimum=1)
        records = m.rows(
            await self.client.get(
                "users.by.extended",
                {
                    "page": number,
                    "page_size": size,
                    "search": request.search or None,
                    "include_disabled": request.include_disabled or None,
                },
            )
        )
        users = [user(self.backend, r) for r in records]
        more = len(records) >= size
        return pb.ListUsersResponse(
            users=[u for u in users if not request.kind or u.kind == request.kind],
            next_page_token=encode_page_token({"page": number + 1}, request) if more else "",
        )

    async def update(self, request: pb.UpdateUserRequest) -> pb.UpdateUserResponse:
        u = request.user
        identifier = self.user_id(u.name, "user.name")
        paths: list[str] = []
        violations = []
        for index, path in enumerate(request.update_mask.paths):
            if path == "phones":
                paths.extend(PHONE_PATHS)
            elif path in WRITABLE:
                paths.append(path)
            else:
                hint = " (use ConvertUserToInternal)" if path == "external" else ""
                violations.append(
                    FieldViolation(
                        f"update_mask.paths[{index}]", f"InvGate cannot update {path!r}{hint}"
                    )
                )
        violations += [
            FieldViolation(f"user.{p}", "must not be empty")
            for p in NOT_EMPTY
            if p in paths and not WRITABLE[p][1](u)
        ]
        if "language" in paths and u.language not in LANGUAGES:
            violations.append(FieldViolation("user.language", f"one of {', '.join(LANGUAGES)}"))
        if violations:
            raise invalid_argument(violations)
        await self.client.put("user", {"id": identifier, **self._parameters(u, paths)})
        return pb.UpdateUserResponse(user=await self.fetch(identifier))

    async def delete(self, request: pb.DeleteUserRequest) -> pb.DeleteUserResponse:
        identifier = self.user_id(request.name)
        before = await self.fetch(identifier)
        await self.client.delete("user", {"id": identifier})
        return pb.DeleteUserResponse(user=before)

    # ---------------------------------------------------------------- life cycle

    async def disable(self, request: pb.DisableUserRequest) -> pb.DisableUserResponse:
        return pb.DisableUserResponse(user=await self._act("PUT", "user.disable", request.name))

    async def enable(self, request: pb.EnableUserRequest) -> pb.EnableUserResponse:
        return pb.EnableUserResponse(user=await self._act("PUT", "user.enable", request.name))

    async def convert(
        self, request: pb.ConvertUserToInternalRequest
    ) -> pb.ConvertUserToInternalResponse:
        return pb.ConvertUserToInternalResponse(
            user=await self._act("POST", "user.convert", request.name)
        )

    async def request_password_reset(
        self, request: pb.RequestPasswordResetRequest
    ) -> pb.RequestPasswordResetResponse:
        kind = RESET_TYPES.get(request.kind)
        if kind is None:
            raise bad_field("kind", "NEW_USER or RESET_PASSWORD")
        return pb.RequestPasswordResetResponse(
            user=await self._act("POST", "user.password.reset", request.name, type=kind)
        )

    async def set_password(self, request: pb.SetUserPasswordRequest) -> pb.SetUserPasswordResponse:
        changed = await self._act(
            "PUT",
            "user.password",
            request.name,
            password=request.password,
            force_password_change=request.force_password_change or None,
        )
        return pb.SetUserPasswordResponse(user=changed)

    # ---------------------------------------------------------------- memberships

    async def list_memberships(
        self, request: pb.ListUserMembershipsRequest
    ) -> pb.ListUserMembershipsResponse:
        identifier = self.user_id(request.name)
        entries = m.rows(await self.client.get("users.groups", {"ids": [identifier]}))
        entry = next((e for e in entries if m.to_int(e.get("id")) == identifier), None)
        if entry is None:
            raise not_found(request.name, backend=self.backend)

        def names(pattern, key: str, field: str) -> list[str]:
            return [
                pattern.format(backend=self.backend, **{key: i}) for i in _ids(entry.get(field))
            ]

        return pb.ListUserMembershipsResponse(
            groups=names(m.GROUP, "group", "groups"),
            companies=names(m.COMPANY, "company", "companies"),
            help_desks=self._help_desks(entry.get("helpdesks")),
            locations=names(m.LOCATION, "location", "locations"),
            observed_groups=names(m.GROUP, "group", "groups_observed"),
            observed_companies=names(m.COMPANY, "company", "companies_observed"),
            observed_help_desks=self._help_desks(entry.get("helpdesks_observed")),
            observed_locations=names(m.LOCATION, "location", "locations_observed"),
        )

    def _help_desks(self, value: Any) -> list[str]:
        """`helpdesks` holds help desks and their levels; a level counts as its help desk."""
        found: dict[int, None] = {}
        for record in _entries(value):
            identifier = m.to_int(record.get("id"))
            if m.to_int(record.get("level_order")) and m.to_int(record.get("parent_id")):
                identifier = m.to_int(record["parent_id"])
            if identifier:
                found.setdefault(identifier)
        return [m.HELP_DESK.format(backend=self.backend, help_desk=i) for i in found]


def _entries(value: Any) -> list[Mapping[str, Any]]:
    """A `users.groups` collection — an id-keyed map, an array, or `[]` — as records; bare
    ids become `{"id": ...}`."""
    if isinstance(value, Mapping):
        return [{"id": k, **v} if isinstance(v, Mapping) else {"id": k} for k, v in value.items()]
    return [v if isinstance(v, Mapping) else {"id": v} for v in value or []]


def _ids(value: Any) -> list[int]:
    ids = (m.to_int(record.get("id")) for record in _entries(value))
    return list(dict.fromkeys(i for i in ids if i))


def operations(backend: str, client: InvGateClient) -> dict[str, Operation]:
    """RPC name → operation, for every RPC of this family InvGate can do."""
    u = InvGateUsers(backend, client)
    return {
        "CreateUser": u.create,
        "GetUser": u.get,
        "FindUser": u.find,
        "ListUsers": u.list,
        "UpdateUser": u.update,
        "DeleteUser": u.delete,
        "DisableUser": u.disable,
        "EnableUser": u.enable,
        "ConvertUserToInternal": u.convert,
        "RequestPasswordReset": u.request_password_reset,
        "SetUserPassword": u.set_password,
        "ListUserMemberships": u.list_memberships,
    }
