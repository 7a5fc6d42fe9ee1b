"""IdentityService on Motadata: requesters (`/api/v1/requester`, VENDORS.md §2.4) and, read
only, technicians (`/api/v1/technician` [I]). One id space holds both [I]: a user is looked up
among requesters first, then technicians."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from deskbridge.runtime.backends import Operation
from deskbridge.runtime.errors import ApiError, bad_field, not_found
from deskbridge.runtime.idempotency import record_write
from deskbridge.runtime.paging import (
    cursor_int,
    cursor_text,
    decode_page_token,
    encode_page_token,
    page_size,
)
from deskbridge.v1 import identity_pb2
from deskbridge.vendors.motadata import mapping as m
from deskbridge.vendors.motadata.client import MotadataClient
from deskbridge.vendors.motadata.quals import qual

MODULES = {"requester": identity_pb2.USER_KIND_END_USER, "technician": identity_pb2.USER_KIND_AGENT}


class MotadataUsers:
    def __init__(self, backend: str, client: MotadataClient) -> None:
        self.backend = backend
        self.client = client

    def user(self, record: Mapping[str, Any], module: str) -> identity_pb2.User:
        return m.user(self.backend, record, MODULES[module])

    def user_id(self, name: str, field: str = "name") -> int:
        ids = m.USER.parse(name, field)
        if ids["backend"] != self.backend:
            raise bad_field(field, f"{name!r} is not a user of backend {self.backend!r}")
        return m.numeric(ids["user"], field)

    async def create(self, request: identity_pb2.CreateUserRequest):
        u = request.user
        if request.user.kind == identity_pb2.USER_KIND_AGENT:
            raise bad_field("user.kind", "Motadata's API creates requesters only")
        body: dict[str, Any] = {
            "name": " ".join(p for p in (u.given_name, u.family_name) if p) or u.display_name,
            "email": u.email,
            "userLogOnName": u.username or None,
            "contactNo": u.phones.phone or None,
            "altContactNo1": u.phones.mobile or None,
            "altContactNo2": u.phones.other or None,
            "locationName": m.location_of(u.location, "user.location") if u.location else None,
            "departmentName": u.department or None,
            "companyName": u.company_names[0] if u.company_names else None,
            "verified": u.verified,
            "vipRequester": u.vip,
            "allowToLogin": u.allow_login,
        }
        if u.manager:
            body["manager"] = await self._email(u.manager, "user.manager")
        if u.custom_fields:
            body["customField"] = {
                (v.label or v.field_id): m.custom_field_value(v) for v in u.custom_fields
            }
        made = await self.client.post("requester", {k: v for k, v in body.items() if v is not None})
        await record_write(str(made.get("id")))
        return identity_pb2.CreateUserResponse(user=self.user(made, "requester"))

    async def find_created(self, request: identity_pb2.CreateUserRequest, claim) -> Any:
        """The requester an earlier attempt made: emails are unique, so the email finds it."""
        found, _ = await self.client.search(
            "requester", [qual("requester", "email", "equal", request.user.email)], size=1
        )
        if not found:
            return None
        return identity_pb2.CreateUserResponse(user=self.user(found[0], "requester"))

    async def _record(self, identifier: int) -> tuple[Mapping[str, Any], str]:
        for module in MODULES:
            try:
                record = await self.client.get(f"{module}/{identifier}")
            except ApiError as error:
                if error.code == grpc.StatusCode.NOT_FOUND:
                    continue
                raise
            if isinstance(record, Mapping) and "id" in record:
                return record, module
        raise not_found(m.USER.name(self.backend, identifier), backend=self.backend)

    async def _email(self, name: str, field: str) -> str:
        record, _ = await self._record(self.user_id(name, field))
        return str(record.get("email") or "")

    async def get(self, request: identity_pb2.GetUserRequest):
        record, module = await self._record(self.user_id(request.name))
        return identity_pb2.GetUserResponse(user=self.user(record, module))

    async def find(self, request: identity_pb2.FindUserRequest):
        key = request.WhichOneof("key")
        field = {"email": "email", "username": "userLogOnName", "phone": "contactNo"}.get(key or "")
        if field is None:
            raise bad_field(key or "key", "Motadata finds users by email, username or phone")
        value = getattr(request, key)
        for module in MODULES:
            found, _ = await self.client.search(
                module, [qual(module, field, "equal", value)], size=1
            )
            if found:
                return identity_pb2.FindUserResponse(user=self.user(found[0], module))
        raise not_found(f"{request.parent}/users/({key}={value[:40]})", backend=self.backend)

    async def list(self, request: identity_pb2.ListUsersRequest):
        """Requesters, then technicians (or one of them, by `kind`), offset pages of each."""
        cursor = decode_page_token(request.page_token, request)
        modules = [
            module
            for module, kind in MODULES.items()
            if request.kind in (identity_pb2.USER_KIND_UNSPECIFIED, kind)
        ]
        module = cursor_text(cursor, "module") or modules[0]
        if module not in modules:
            raise bad_field("page_token", "is not a page token issued by this API")
        offset = cursor_int(cursor, "offset", 0)
        size = page_size(request.page_size)
        quals = [qual(module, "name", "contains", request.search)] if request.search else []
        found, total = await self.client.search(
            module, quals, offset=offset, size=size, sort_by="id"
        )
        more = offset + size < total if total is not None else len(found) == size
        if more:
            token = {"module": module, "offset": offset + size}
        elif modules.index(module) + 1 < len(modules):
            token = {"module": modules[modules.index(module) + 1], "offset": 0}
        else:
            token = {}
        return identity_pb2.ListUsersResponse(
            users=[self.user(r, module) for r in found],
            next_page_token=encode_page_token(token, request) if token else "",
        )

    async def update(self, request: identity_pb2.UpdateUserRequest):
        identifier = self.user_id(request.user.name, "user.name")
        u = request.user
        fields = {
            "email": ("email", u.email),
            "username": ("userLogOnName", u.username),
            "department": ("departmentName", u.department),
            "vip": ("vipRequester", u.vip),
            "verified": ("verified", u.verified),
            "allow_login": ("allowToLogin", u.allow_login),
            "phones.phone": ("contactNo", u.phones.phone),
            "phones.mobile": ("altContactNo1", u.phones.mobile),
        }
        bad = [p for p in request.update_mask.paths if p not in fields and p != "display_name"]
        if bad:
            raise bad_field("update_mask", f"Motadata cannot update {', '.join(bad)}")
        body = dict(fields[p] for p in request.update_mask.paths if p in fields)
        if "display_name" in request.update_mask.paths:
            body["name"] = u.display_name
        made = await self.client.patch(f"requester/{identifier}", body)
        return identity_pb2.UpdateUserResponse(user=self.user(made, "requester"))


def operations(users: MotadataUsers) -> dict[str, Operation]:
    u = users
    return {
        "CreateUser": u.create,
        "GetUser": u.get,
        "FindUser": u.find,
        "ListUsers": u.list,
        "UpdateUser": u.update,
    }
