"""`deskbridge users find|get` (IdentityService)."""

from __future__ import annotations

import argparse
from typing import Any

from deskbridge.cli import render
from deskbridge.cli.render import UsageError, enum_choices, enum_value
from deskbridge.cli.session import (
    Session,
    add_command,
    add_paging_arguments,
    more_hint,
    paging_of,
)
from deskbridge.v1 import identity_pb2, identity_pb2_grpc

i = identity_pb2
KEYS = ("email", "username", "phone", "employee_number")


def add_parsers(commands: Any, parent: argparse.ArgumentParser) -> None:
    users = commands.add_parser("users", help="find and show users")
    verbs = users.add_subparsers(dest="users_command", required=True, metavar="COMMAND")

    find = add_command(
        verbs,
        "find",
        find_users,
        parent,
        help="find users by text, or one user by email, username, phone or employee number",
        description="With TEXT: every user whose names, username or email match (ListUsers "
        "search). With --email, --username, --phone or --employee-number: the one user with "
        "exactly that value (FindUser).",
    )
    find.add_argument("text", nargs="?", help="free text over names, username and email")
    exact = find.add_mutually_exclusive_group()
    for key in KEYS:
        exact.add_argument(f"--{key.replace('_', '-')}", dest=key)
    find.add_argument("--kind", choices=enum_choices(i.UserKind), help="only agents or end users")
    find.add_argument("--include-disabled", action="store_true", help="disabled users too")
    add_paging_arguments(find, "users")

    get = add_command(verbs, "get", get_user, parent, help="show one user")
    get.add_argument("user", help="user id, or backends/B/users/ID")
    get.add_argument("--include-disabled", action="store_true", help="also a disabled user")


def stub(session: Session) -> identity_pb2_grpc.IdentityServiceStub:
    return identity_pb2_grpc.IdentityServiceStub(session.channel)


def show_user(session: Session, response: Any) -> None:
    if session.output.json_output:
        session.output.document(response)
    else:
        session.output.details(render.user_fields(response.user))


async def find_users(session: Session, args: argparse.Namespace) -> int:
    exact = {key: getattr(args, key) for key in KEYS if getattr(args, key)}
    if exact and args.text:
        raise UsageError("give TEXT or one of --email/--username/--phone/--employee-number")
    if not exact and not args.text:
        raise UsageError("what to find: TEXT, or --email/--username/--phone/--employee-number")
    parent = f"backends/{await session.backend()}"
    if exact:
        request = i.FindUserRequest(parent=parent, include_disabled=args.include_disabled, **exact)
        show_user(session, await stub(session).FindUser(request, timeout=session.timeout))
        return 0
    request = i.ListUsersRequest(
        parent=parent, search=args.text, include_disabled=args.include_disabled
    )
    if args.kind:
        request.kind = enum_value(i.UserKind, args.kind)

    async def fetch(token: str, size: int) -> i.ListUsersResponse:
        page = i.ListUsersRequest()
        page.CopyFrom(request)
        page.page_token, page.page_size = token, size
        return await stub(session).ListUsers(page, timeout=session.timeout)

    listed = await session.collect("users", fetch, "users", **paging_of(args))
    if session.output.json_output:
        session.output.document(listed)
        return 0
    session.output.table(render.USER_COLUMNS, listed.users, empty="no users match")
    more_hint(session.output, listed, "users")
    return 0


async def get_user(session: Session, args: argparse.Namespace) -> int:
    name = await session.name(args.user, "users")
    request = i.GetUserRequest(name=name, include_disabled=args.include_disabled)
    show_user(session, await stub(session).GetUser(request, timeout=session.timeout))
    return 0
