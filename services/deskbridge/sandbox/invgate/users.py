"""The InvGate user endpoints: `user`, `users`, `user.by`, `users.by`, `users.by.extended`,
`users.groups` and the user life cycle (disable, enable, convert, password, token)
(VENDORS.md §1.4, shapes §1.6).

Disabled users are hidden unless `include_disabled`; deleted users keep their record with
`is_deleted: true` (tickets still point at them) but are gone from every lookup, and every
action on them answers "does not exist". Writes take the documented parameter names, hyphen
of `other-email` and `localization` (→ `location`) included. Choices no source documents are
marked [I].
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable
from typing import Any

from deskbridge.sandbox.invgate.endpoints import (
    LogicError,
    NotFound,
    endpoint,
    error,
    ok,
    page_key,
    read_page_key,
)
from deskbridge.sandbox.invgate.params import ParamError, Params
from deskbridge.sandbox.invgate.state import InvGateState

KEYSET_PAGE = 10  # users.by: "10 objects per page"
EXTENDED_DEFAULT, EXTENDED_MAX = 10, 100
FIRST_NEW_USER = 500  # [I] clear of the seeded ids (agents 1-10, customers 100-149)
LANGUAGES = {"es", "en", "en_GB", "pt", "fr", "de", "ca", "it", "nl", "el"}
RESET_TYPES = {"NEW_USER", "RESET_PASSWORD"}
REQUIRED_ON_CREATE = ("name", "lastname", "email")
# POST/PUT `user` parameter → user object field.
FIELDS = {
    "name": "name",
    "lastname": "lastname",
    "username": "username",
    "email": "email",
    "other-email": "other_email",
    "doc": "doc",
    "mobile": "mobile",
    "office": "office",
    "other": "other",
    "fax": "fax",
    "address": "address",
    "phone": "phone",
    "city": "city",
    "country": "country",
    "birthday": "birthday",
    "position": "position",
    "department": "department",
    "employee_number": "employee_number",
    "localization": "location",
}
PHONE_FIELDS = ("phone", "office", "mobile", "fax", "other")
# users.by filter parameter → the user object fields it searches.
FILTERS = {
    "username": ("username",),
    "email": ("email",),
    "employee_number": ("employee_number",),
    "phone": ("phone",),
    "office_phone": ("office",),
    "mobile_phone": ("mobile",),
    "fax_phone": ("fax",),
    "other_phone": ("other",),
    "phones": PHONE_FIELDS,
}
SEARCHED = ("name", "lastname", "username", "email")  # users.by.extended `search` [I]


# ------------------------------------------------------------------------ helpers


def accounts(state: InvGateState) -> dict[int, dict[str, Any]]:
    """What InvGate keeps about a login but never returns: password digest, forced change,
    language, emails sent [I]. InvGateState has no field for it, so it hangs off the state."""
    return state.__dict__.setdefault("user_accounts", {})


def account(state: InvGateState, user_id: int) -> dict[str, Any]:
    return accounts(state).setdefault(
        user_id, {"password_sha256": None, "force_password_change": False, "emails": []}
    )


def visible(user: dict[str, Any], include_disabled: bool) -> bool:
    return not user["is_deleted"] and (include_disabled or not user["is_disabled"])


def live_user(state: InvGateState, params: Params) -> dict[str, Any]:
    """The (not deleted) user `id` names; a logic error as InvGate answers writes otherwise."""
    identifier = params.int("id", required=True)
    user = state.users.get(identifier)
    if user is None or user["is_deleted"]:
        raise LogicError(f"The user {identifier} does not exist")
    return user


def by_id(records: Iterable[dict[str, Any]]) -> dict[str, Any] | list:
    """An id-keyed object, or `[]` when empty (a PHP empty array, as on by.customer)."""
    return {str(r["id"]): r for r in records} or []


def taken(state: InvGateState, field: str, value: str | None, but: int | None = None) -> bool:
    return bool(value) and any(
        u[field] == value and not u["is_deleted"] and i != but for i, u in state.users.items()
    )


def _written_fields(params: Params, *, create: bool) -> dict[str, Any]:
    """The user fields a POST/PUT sets. On PUT an empty value clears the field [I]."""
    fields: dict[str, Any] = {}
    for parameter, field in FIELDS.items():
        if parameter in params.values:
            value = params.str(parameter)
            if parameter in REQUIRED_ON_CREATE and value is None and not create:
                raise ParamError(f"The parameter {parameter} cannot be empty")
            fields[field] = value
    if "manager_id" in params.values:
        fields["manager_id"] = params.int("manager_id")
    return fields


def _check_fields(state: InvGateState, fields: dict[str, Any], user_id: int | None) -> None:
    for field in ("email", "username"):
        if taken(state, field, fields.get(field), but=user_id):
            raise LogicError(f"A user with the {field} {fields[field]} already exists")
    manager = fields.get("manager_id")
    if manager is not None and (manager not in state.users or state.users[manager]["is_deleted"]):
        raise LogicError(f"The user {manager} does not exist")


# ------------------------------------------------------------------------ reads


@endpoint("user", "GET")
def get_user(state: InvGateState, params: Params):
    user = state.users.get(params.int("id", required=True))
    if user is None or not visible(user, params.bool("include_disabled")):
        raise NotFound("User not found")
    return user


@endpoint("users", "GET")
def get_users(state: InvGateState, params: Params):
    """A flat array (VENDORS.md §1.6); every user when no `ids[]` is given."""
    ids = params.ints("ids")
    include_disabled = params.bool("include_disabled")
    chosen = [state.users[i] for i in ids if i in state.users] if ids else state.users.values()
    return [u for u in chosen if visible(u, include_disabled)]


@endpoint("user.by", "GET")
def get_user_by(state: InvGateState, params: Params):
    """One user by `username` or `email` (at least one is required)."""
    wanted = {k: params.str(k) for k in ("username", "email") if params.has(k)}
    if not wanted:
        return error("You must provide username or email")
    for user in state.users.values():
        if visible(user, False) and all(user[k] == v for k, v in wanted.items()):
            return user
    raise NotFound("User not found")


def _matches(user: dict[str, Any], params: Params, exact: bool) -> bool:
    for parameter, fields in FILTERS.items():
        if not params.has(parameter):
            continue
        term = params.str(parameter)
        values = [str(user[f]) for f in fields if user.get(f)]
        if exact:
            found = term in values
        else:
            found = any(term.casefold() in v.casefold() for v in values)
        if not found:
            return False
    return True


def _searched(user: dict[str, Any], term: str) -> bool:
    text = " ".join(str(user.get(f) or "") for f in SEARCHED)  # "name lastname username email"
    return term.casefold() in text.casefold()


def _found(state: InvGateState, params: Params) -> list[dict[str, Any]]:
    """The users matching every filter given (contained, or identical with `exact_match`)."""
    include_disabled, exact = params.bool("include_disabled"), params.bool("exact_match")
    term = params.str("search")
    return [
        state.users[i]
        for i in sorted(state.users)
        if visible(state.users[i], include_disabled)
        and _matches(state.users[i], params, exact)
        and (term is None or _searched(state.users[i], term))
    ]


def _keyset_page(users: list[dict[str, Any]], params: Params, size: int) -> dict[str, Any]:
    after = read_page_key(params.str("page_key"))
    remaining = [u for u in users if u["id"] > after]
    page = remaining[:size]
    more = len(remaining) > size
    return {"data": by_id(page), "next_page_key": page_key(page[-1]["id"]) if more else None}


@endpoint("users.by", "GET")
def users_by(state: InvGateState, params: Params):
    """`{"data": {id: user}, "next_page_key": ...}`, 10 per page (VENDORS.md §1.5, §1.6)."""
    if not any(params.has(p) for p in FILTERS):
        return error("You must provide username, email, employee_number or a phone")  # [I]
    return _keyset_page(_found(state, params), params, KEYSET_PAGE)


@endpoint("users.by.extended", "GET")
def users_by_extended(state: InvGateState, params: Params):
    """The internal variant: filters optional, `search`, and `page`/`page_size` pages
    (`data` only) or, without `page`, keyset pages with `next_page_key`."""
    size = min(max(params.int("page_size", default=EXTENDED_DEFAULT), 1), EXTENDED_MAX)  # [I]
    users = _found(state, params)
    if not params.has("page"):
        return _keyset_page(users, params, size)
    number = params.int("page")
    if number < 1:
        raise ParamError("The parameter page must be 1 or more")
    return {"data": by_id(users[(number - 1) * size : number * size])}


# ------------------------------------------------------------------------ memberships


def _holding(table: dict[tuple[str, int], Any], kind: str, has_user) -> list[int]:
    return sorted(i for (k, i), value in table.items() if k == kind and has_user(value))


def _in_levels(state: InvGateState, user_id: int) -> list[int]:
    """Levels the user is a member of: `members_ids` or the directory's `("levels", id)`."""
    listed = _holding(state.members, "levels", lambda members: user_id in members)
    return sorted(
        {i for i, level in state.levels.items() if user_id in level.get("members_ids", [])}
        | set(listed)
    )


def _records(table: dict[int, dict[str, Any]], ids: Iterable[int]) -> list[dict[str, Any]]:
    return [dict(table[i]) for i in ids if i in table]


def _summaries(table: dict[int, dict[str, Any]], ids: Iterable[int]) -> list[dict[str, Any]]:
    return [{"id": i, "name": table[i].get("name")} for i in ids if i in table]


def memberships(state: InvGateState, user: dict[str, Any]) -> dict[str, Any]:
    """One `users.groups` entry. `groups` and `helpdesks` (help desks and levels) are maps
    keyed by id with the full records (VENDORS.md §1.6); the others are arrays of `{id,
    name}` [I: their real shape is unknown]."""
    uid = user["id"]

    def member(kind: str) -> list[int]:
        return _holding(state.members, kind, lambda members: uid in members)

    def observer(kind: str) -> list[int]:
        return _holding(
            state.observers_of, kind, lambda seen: uid in seen.get("observer_users", [])
        )

    return {
        "id": uid,
        "username": user["username"],
        "email": user["email"],
        "groups": by_id(_records(state.groups, member("groups"))),
        "companies": _summaries(state.companies, member("companies")),
        "helpdesks": by_id(
            _records(state.helpdesks, member("helpdesks"))
            + _records(state.levels, _in_levels(state, uid))
        ),
        "locations": _summaries(state.locations, member("locations")),
        "groups_observed": by_id(_records(state.groups, observer("groups"))),
        "companies_observed": _summaries(state.companies, observer("companies")),
        "helpdesks_observed": by_id(
            _records(state.helpdesks, observer("helpdesks"))
            + _records(state.levels, observer("levels"))
        ),
        "locations_observed": _summaries(state.locations, observer("locations")),
    }


@endpoint("users.groups", "GET")
def users_groups(state: InvGateState, params: Params):
    """Per user asked for (deleted and unknown ones left out): what they belong to and observe."""
    ids = params.ints("ids", required=True)
    return [
        memberships(state, state.users[i])
        for i in ids
        if i in state.users and not state.users[i]["is_deleted"]
    ]


# ------------------------------------------------------------------------ writes


@endpoint("user", "POST")
def create_user(state: InvGateState, params: Params):
    """Creates a user and answers the user object."""
    for parameter in REQUIRED_ON_CREATE:
        params.str(parameter, required=True)
    fields = _written_fields(params, create=True)
    fields.setdefault("username", fields["email"])  # [I] the login defaults to the email
    _check_fields(state, fields, None)
    identifier = state.new_id("user", FIRST_NEW_USER)
    user = {
        "id": identifier,
        **{field: None for field in FIELDS.values()},
        "manager_id": None,
        "type": 1,  # [I] a local (System) account
        "is_external": params.bool("is_external"),
        "user_type": 2,  # [I] the API creates end users; agents are licensed in the UI
        "role_name": "End user",
        "is_disabled": False,
        "is_deleted": False,
        **fields,
    }
    state.users[identifier] = user
    login = account(state, identifier)
    if params.has("pass"):
        _set_password(login, params.str("pass"), params.bool("force_password_change"))
    if params.bool("send_set_password_email"):
        _send(login, "NEW_USER")
    return user


@endpoint("user", "PUT")
def update_user(state: InvGateState, params: Params):
    user = live_user(state, params)
    fields = _written_fields(params, create=False)
    _check_fields(state, fields, user["id"])
    if params.has("language"):
        language = params.str("language")
        if language not in LANGUAGES:
            return error(f"The language {language} is not valid")
        account(state, user["id"])["language"] = language
    user.update(fields)
    return ok("The user was updated.")


@endpoint("user", "DELETE")
def delete_user(state: InvGateState, params: Params):
    live_user(state, params)["is_deleted"] = True
    return ok("The user was deleted.")


def _toggle(disabled: bool):
    def handler(state: InvGateState, params: Params):
        live_user(state, params)["is_disabled"] = disabled
        return ok(f"The user was {'disabled' if disabled else 'enabled'}.")

    return handler


endpoint("user.disable", "PUT")(_toggle(True))
endpoint("user.enable", "PUT")(_toggle(False))


@endpoint("user.convert", "POST")
def convert_user(state: InvGateState, params: Params):
    """External → internal, and the set-password email goes out."""
    user = live_user(state, params)
    if not user["is_external"]:
        return error(f"The user {user['id']} is not an external user")
    user["is_external"] = False
    _send(account(state, user["id"]), "NEW_USER")
    return ok("The user was converted.")


def _set_password(login: dict[str, Any], password: str, force_change: bool) -> None:
    login["password_sha256"] = hashlib.sha256(password.encode()).hexdigest()
    login["force_password_change"] = force_change


def _send(login: dict[str, Any], kind: str) -> None:
    login["emails"].append({"type": kind, "time": int(time.time())})


@endpoint("user.password", "PUT")
def set_password(state: InvGateState, params: Params):
    """Never echoes the password, not even in errors."""
    user = live_user(state, params)
    password = params.str("password", required=True)
    _set_password(account(state, user["id"]), password, params.bool("force_password_change"))
    return ok("The password was changed.")


@endpoint("user.password.reset", "POST")
def reset_password(state: InvGateState, params: Params):
    user = live_user(state, params)
    kind = params.str("type", required=True)
    if kind not in RESET_TYPES:
        return error("The type must be NEW_USER or RESET_PASSWORD")
    if user["is_disabled"]:
        return error(f"The user {user['id']} is disabled")  # [I] no email to disabled users
    _send(account(state, user["id"]), kind)
    return ok("The password was reset.")


@endpoint("user.token", "POST")
def user_token(state: InvGateState, params: Params):
    user = live_user(state, params)
    if user["is_disabled"]:
        return error(f"The user {user['id']} is disabled")  # [I]
    return {"token": secrets.token_hex(20)}
