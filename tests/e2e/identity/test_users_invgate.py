"""IdentityService users on InvGate, end to end: gRPC → service → adapter → sandbox over HTTP."""

from __future__ import annotations

import hashlib
import itertools

import grpc
from e2e_events import decoded, stored_events
from e2e_support import rpc_error, support_by_rpc
from google.protobuf import field_mask_pb2

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.invgate.users import accounts
from deskbridge.v1 import backends_pb2, common_pb2, events_pb2
from deskbridge.v1 import identity_pb2 as pb

AGENT, CUSTOMER = 2, 101
PASSWORD = "Corr3ct-Horse-Battery"
_emails = itertools.count(1)


def violated(error: grpc.aio.AioRpcError) -> set[str]:
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    return {v.field for v in details_of(error)["BadRequest"].field_violations}


def new_user(**fields) -> pb.User:
    number = next(_emails)
    values = {
        "given_name": "Rosa",
        "family_name": "Quiroga",
        "email": f"rosa.quiroga{number}@example.com",
    }
    return pb.User(**{**values, **fields})


async def create(stack, user: pb.User | None = None, **request) -> pb.User:
    return (
        await stack.identity.CreateUser(
            pb.CreateUserRequest(parent=stack.parent, user=user or new_user(), **request)
        )
    ).user


def record_of(stack, user: pb.User) -> dict:
    return stack.state.users[int(user.vendor_record.remote_id)]


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


# ------------------------------------------------------------------------ create, get


async def test_create_maps_every_field_and_keeps_the_vendor_record(stack):
    manager = stack.name("users", AGENT)
    user = await create(
        stack,
        new_user(
            username="rquiroga",
            other_email="rosa@home.example",
            phones=pb.PhoneNumbers(mobile="+54 9 341 555", office="+54 341 400"),
            city="Rosario",
            position="Analyst",
            manager=manager,
            document_id="30111222",
            location="Rosario HQ",
            external=True,
        ),
        password=PASSWORD,
        force_password_change=True,
    )
    record = record_of(stack, user)
    assert user.name == stack.name("users", record["id"])
    assert (user.username, user.other_email, user.location) == (
        "rquiroga",
        "rosa@home.example",
        "Rosario HQ",
    )
    assert (record["other_email"], record["location"], record["doc"]) == (
        "rosa@home.example",
        "Rosario HQ",
        "30111222",
    )
    assert (user.phones.mobile, user.phones.office, user.manager) == (
        "+54 9 341 555",
        "+54 341 400",
        manager,
    )
    assert user.display_name == "Rosa Quiroga" and user.external and not user.disabled
    assert (user.kind, user.account_type) == (pb.USER_KIND_END_USER, pb.ACCOUNT_TYPE_SYSTEM)
    assert user.vendor_account_type == common_pb2.VendorValue(id="1", label="System")
    vendor = user.vendor_record
    assert (vendor.backend, vendor.vendor) == (stack.backend, common_pb2.VENDOR_INVGATE)
    assert vendor.remote_data["email"] == user.email
    login = accounts(stack.state)[record["id"]]
    assert login["password_sha256"] == hashlib.sha256(PASSWORD.encode()).hexdigest()
    assert login["force_password_change"] is True
    assert PASSWORD not in str(await stack.sandbox_log())

    got = (await stack.identity.GetUser(pb.GetUserRequest(name=user.name))).user
    assert got == user


async def test_seeded_agents_and_customers_keep_the_vendor_type(stack):
    stack.state.users[CUSTOMER]["manager_id"] = AGENT
    customer = (
        await stack.identity.GetUser(pb.GetUserRequest(name=stack.name("users", CUSTOMER)))
    ).user
    assert (customer.kind, customer.account_type) == (
        pb.USER_KIND_END_USER,
        pb.ACCOUNT_TYPE_CUSTOMER,
    )
    assert customer.vendor_account_type == common_pb2.VendorValue(id="4", label="Customer")
    assert customer.manager == stack.name("users", AGENT)
    assert customer.phones.phone == stack.state.users[CUSTOMER]["phone"]
    assert customer.employee_number == stack.state.users[CUSTOMER]["employee_number"]
    agent = (await stack.identity.GetUser(pb.GetUserRequest(name=stack.name("users", AGENT)))).user
    assert (agent.kind, agent.role_name) == (pb.USER_KIND_AGENT, "Agent")


async def test_create_without_required_fields_is_invalid_argument(stack):
    error = await rpc_error(
        stack.identity.CreateUser(
            pb.CreateUserRequest(parent=stack.parent, user=pb.User(family_name="x"))
        )
    )
    assert violated(error) == {"user.given_name", "user.email"}


async def test_create_lists_every_field_invgate_cannot_take(stack):
    user = new_user(family_name="", kind=pb.USER_KIND_AGENT, language="pt", vip=True)
    error = await rpc_error(
        stack.identity.CreateUser(pb.CreateUserRequest(parent=stack.parent, user=user))
    )
    assert violated(error) == {"user.family_name", "user.kind", "user.language", "user.vip"}
    assert not [e for e in await stack.sandbox_log() if e["method"] == "POST"]


async def test_create_with_a_taken_email_is_refused(stack):
    taken = stack.state.users[CUSTOMER]["email"]
    error = await rpc_error(create(stack, new_user(email=taken)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "already exists" in error.details()


async def test_create_is_idempotent_per_request_id(stack):
    user = new_user()
    first = await create(stack, user, request_id="user-once")
    again = await create(stack, user, request_id="user-once")
    assert again == first
    posts = [e for e in await stack.sandbox_log() if (e["key"], e["method"]) == ("user", "POST")]
    assert len(posts) == 1


async def test_get_unknown_and_malformed_users(stack):
    missing = await rpc_error(
        stack.identity.GetUser(pb.GetUserRequest(name=stack.name("users", 4242)))
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    assert details_of(missing)["ErrorInfo"].metadata["vendor_http_status"] == "404"
    malformed = await rpc_error(
        stack.identity.GetUser(pb.GetUserRequest(name=stack.name("users", "rosa")))
    )
    assert violated(malformed) == {"name"}


# ------------------------------------------------------------------------ find, list


async def test_find_by_each_key(stack):
    target = stack.state.users[105]
    target["office"] = "+54 11 5555 0105"
    cases = [
        pb.FindUserRequest(email=target["email"]),
        pb.FindUserRequest(username=target["username"]),
        pb.FindUserRequest(employee_number=target["employee_number"]),
        pb.FindUserRequest(phone=target["phone"]),
        pb.FindUserRequest(phone="+54 11 5555 0105", phone_kind=pb.PHONE_KIND_OFFICE),
    ]
    for request in cases:
        request.parent = stack.parent
        found = (await stack.identity.FindUser(request)).user
        assert found.name == stack.name("users", 105), request
    # exact matching: a part of the number finds nobody
    partial = await rpc_error(
        stack.identity.FindUser(pb.FindUserRequest(parent=stack.parent, phone="5555 0105"))
    )
    assert partial.code() == grpc.StatusCode.NOT_FOUND
    wrong_kind = await rpc_error(
        stack.identity.FindUser(
            pb.FindUserRequest(
                parent=stack.parent, phone=target["phone"], phone_kind=pb.PHONE_KIND_MOBILE
            )
        )
    )
    assert wrong_kind.code() == grpc.StatusCode.NOT_FOUND


async def test_find_includes_disabled_users_only_when_asked(stack):
    target = stack.state.users[106]
    target["is_disabled"] = True
    request = pb.FindUserRequest(parent=stack.parent, email=target["email"])
    hidden = await rpc_error(stack.identity.FindUser(request))
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    request.include_disabled = True
    found = (await stack.identity.FindUser(request)).user
    assert found.disabled and found.email == target["email"]


async def test_find_needs_one_key(stack):
    nothing = await rpc_error(stack.identity.FindUser(pb.FindUserRequest(parent=stack.parent)))
    assert violated(nothing) == {"key"}
    misplaced = await rpc_error(
        stack.identity.FindUser(
            pb.FindUserRequest(
                parent=stack.parent, email="a@example.com", phone_kind=pb.PHONE_KIND_FAX
            )
        )
    )
    assert violated(misplaced) == {"phone_kind"}


async def _walk(stack, **query) -> list[pb.User]:
    seen, token = [], ""
    for _ in range(50):
        page = await stack.identity.ListUsers(
            pb.ListUsersRequest(parent=stack.parent, page_size=25, page_token=token, **query)
        )
        seen += page.users
        token = page.next_page_token
        if not token:
            return seen
    raise AssertionError("ListUsers never ended")


async def test_list_walks_every_visible_user_once(stack):
    stack.state.users[107]["is_disabled"] = True
    live = sorted(
        i for i, u in stack.state.users.items() if not (u["is_disabled"] or u["is_deleted"])
    )
    listed = [int(u.vendor_record.remote_id) for u in await _walk(stack)]
    assert listed == live
    with_disabled = [
        int(u.vendor_record.remote_id) for u in await _walk(stack, include_disabled=True)
    ]
    assert 107 in with_disabled and len(with_disabled) == len(live) + 1


async def test_list_filters_by_kind_and_search(stack):
    agents = await _walk(stack, kind=pb.USER_KIND_AGENT)
    assert sorted(int(u.vendor_record.remote_id) for u in agents) == stack.state.agents()
    surname = stack.state.users[CUSTOMER]["lastname"]
    found = await _walk(stack, search=surname.lower())
    expected = sorted(i for i, u in stack.state.users.items() if u["lastname"] == surname)
    assert sorted(int(u.vendor_record.remote_id) for u in found) == expected


async def test_list_page_tokens_are_bound_to_the_query(stack):
    first = await stack.identity.ListUsers(pb.ListUsersRequest(parent=stack.parent, page_size=5))
    assert len(first.users) == 5 and first.next_page_token
    reused = await rpc_error(
        stack.identity.ListUsers(
            pb.ListUsersRequest(
                parent=stack.parent, page_size=5, page_token=first.next_page_token, search="a"
            )
        )
    )
    assert violated(reused) == {"page_token"}
    negative = await rpc_error(
        stack.identity.ListUsers(pb.ListUsersRequest(parent=stack.parent, page_size=-1))
    )
    assert violated(negative) == {"page_size"}


# ------------------------------------------------------------------------ update, delete


async def test_update_changes_only_masked_fields(stack):
    user = await create(stack, new_user(city="Rosario", position="Analyst"))
    updated = (
        await stack.identity.UpdateUser(
            pb.UpdateUserRequest(
                user=pb.User(
                    name=user.name,
                    city="Mendoza",
                    family_name="Quiroga Paz",
                    phones=pb.PhoneNumbers(mobile="+54 9 261 1"),
                    manager=stack.name("users", AGENT),
                    language="en_GB",
                    position="ignored: not masked",
                ),
                update_mask=mask("city", "family_name", "phones", "manager", "language"),
            )
        )
    ).user
    assert (updated.city, updated.family_name, updated.phones.mobile) == (
        "Mendoza",
        "Quiroga Paz",
        "+54 9 261 1",
    )
    assert updated.manager == stack.name("users", AGENT)
    assert updated.position == "Analyst" and updated.email == user.email
    assert updated.display_name == "Rosa Quiroga Paz"
    assert accounts(stack.state)[int(user.vendor_record.remote_id)]["language"] == "en_GB"


async def test_update_lists_every_bad_path_and_value(stack):
    error = await rpc_error(
        stack.identity.UpdateUser(
            pb.UpdateUserRequest(
                user=pb.User(name=stack.name("users", CUSTOMER), language="xx"),
                update_mask=mask("kind", "given_name", "language", "external"),
            )
        )
    )
    assert violated(error) == {
        "update_mask.paths[0]",
        "update_mask.paths[3]",
        "user.given_name",
        "user.language",
    }
    assert "ConvertUserToInternal" in error.details()


async def test_update_of_an_unknown_user_is_not_found(stack):
    error = await rpc_error(
        stack.identity.UpdateUser(
            pb.UpdateUserRequest(
                user=pb.User(name=stack.name("users", 4242), city="x"), update_mask=mask("city")
            )
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_delete_answers_the_user_as_it_was_and_it_is_gone(stack):
    user = await create(stack)
    deleted = (await stack.identity.DeleteUser(pb.DeleteUserRequest(name=user.name))).user
    assert deleted == user
    assert record_of(stack, user)["is_deleted"] is True
    identity = stack.identity
    for call in (
        lambda: identity.GetUser(pb.GetUserRequest(name=user.name, include_disabled=True)),
        lambda: identity.FindUser(pb.FindUserRequest(parent=stack.parent, email=user.email)),
        lambda: identity.DeleteUser(pb.DeleteUserRequest(name=user.name)),
        lambda: identity.ListUserMemberships(pb.ListUserMembershipsRequest(name=user.name)),
    ):
        assert (await rpc_error(call())).code() == grpc.StatusCode.NOT_FOUND


# ------------------------------------------------------------------------ life cycle


async def test_disable_and_enable(stack):
    name = stack.name("users", 108)
    disabled = (await stack.identity.DisableUser(pb.DisableUserRequest(name=name))).user
    assert disabled.disabled and stack.state.users[108]["is_disabled"] is True
    hidden = await rpc_error(stack.identity.GetUser(pb.GetUserRequest(name=name)))
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    shown = (await stack.identity.GetUser(pb.GetUserRequest(name=name, include_disabled=True))).user
    assert shown == disabled
    enabled = (await stack.identity.EnableUser(pb.EnableUserRequest(name=name))).user
    assert not enabled.disabled and stack.state.users[108]["is_disabled"] is False
    unknown = await rpc_error(
        stack.identity.EnableUser(pb.EnableUserRequest(name=stack.name("users", 4242)))
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


async def test_convert_external_to_internal(stack):
    external = await create(stack, new_user(external=True))
    converted = (
        await stack.identity.ConvertUserToInternal(
            pb.ConvertUserToInternalRequest(name=external.name)
        )
    ).user
    assert external.external and not converted.external
    assert record_of(stack, external)["is_external"] is False
    again = await rpc_error(
        stack.identity.ConvertUserToInternal(pb.ConvertUserToInternalRequest(name=external.name))
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_request_password_reset(stack):
    name = stack.name("users", 109)
    for kind, vendor_type in (
        (pb.PASSWORD_RESET_KIND_RESET_PASSWORD, "RESET_PASSWORD"),
        (pb.PASSWORD_RESET_KIND_NEW_USER, "NEW_USER"),
    ):
        user = (
            await stack.identity.RequestPasswordReset(
                pb.RequestPasswordResetRequest(name=name, kind=kind)
            )
        ).user
        assert user.name == name
        assert accounts(stack.state)[109]["emails"][-1]["type"] == vendor_type
    unset = await rpc_error(
        stack.identity.RequestPasswordReset(pb.RequestPasswordResetRequest(name=name))
    )
    assert violated(unset) == {"kind"}
    stack.state.users[109]["is_disabled"] = True
    refused = await rpc_error(
        stack.identity.RequestPasswordReset(
            pb.RequestPasswordResetRequest(name=name, kind=pb.PASSWORD_RESET_KIND_RESET_PASSWORD)
        )
    )
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert len(accounts(stack.state)[109]["emails"]) == 2


async def test_set_password_never_echoes_it(stack):
    name = stack.name("users", 110)
    user = (
        await stack.identity.SetUserPassword(
            pb.SetUserPasswordRequest(name=name, password=PASSWORD, force_password_change=True)
        )
    ).user
    assert user.name == name and PASSWORD not in str(user)
    login = accounts(stack.state)[110]
    assert login["password_sha256"] == hashlib.sha256(PASSWORD.encode()).hexdigest()
    assert login["force_password_change"] is True
    assert PASSWORD not in str(await stack.sandbox_log())  # form body, never the query
    empty = await rpc_error(stack.identity.SetUserPassword(pb.SetUserPasswordRequest(name=name)))
    assert violated(empty) == {"password"}
    unknown = await rpc_error(
        stack.identity.SetUserPassword(
            pb.SetUserPasswordRequest(name=stack.name("users", 4242), password=PASSWORD)
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND and PASSWORD not in unknown.details()


# ------------------------------------------------------------------------ memberships


async def test_list_user_memberships(stack):
    user = await create(stack)  # in nothing seeded
    uid, state = int(user.vendor_record.remote_id), stack.state
    group, company, location = min(state.groups), min(state.companies), min(state.locations)
    state.members.setdefault(("groups", group), []).append(uid)
    state.members.setdefault(("companies", company), []).append(uid)
    state.members.setdefault(("locations", location), []).append(uid)
    state.levels[21]["members_ids"].append(uid)  # a level of help desk 2
    state.members.setdefault(("helpdesks", 4), []).append(uid)
    state.observers_of[("groups", group)] = {"observer_users": [uid], "observer_groups": []}
    state.observers_of[("levels", 32)] = {"observer_users": [uid], "observer_groups": []}
    answer = await stack.identity.ListUserMemberships(pb.ListUserMembershipsRequest(name=user.name))
    assert list(answer.groups) == [stack.name("groups", group)]
    assert list(answer.companies) == [stack.name("companies", company)]
    assert list(answer.locations) == [stack.name("locations", location)]
    assert sorted(answer.help_desks) == [stack.name("helpDesks", 2), stack.name("helpDesks", 4)]
    assert list(answer.observed_groups) == [stack.name("groups", group)]
    assert list(answer.observed_help_desks) == [stack.name("helpDesks", 3)]
    assert not answer.observed_companies and not answer.observed_locations
    unknown = await rpc_error(
        stack.identity.ListUserMemberships(
            pb.ListUserMembershipsRequest(name=stack.name("users", 4242))
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


# ------------------------------------------------------------------------ capabilities


USER_RPCS = [
    "CreateUser",
    "GetUser",
    "FindUser",
    "ListUsers",
    "UpdateUser",
    "DeleteUser",
    "DisableUser",
    "EnableUser",
    "ConvertUserToInternal",
    "RequestPasswordReset",
    "SetUserPassword",
    "ListUserMemberships",
]


async def test_backend_reports_the_user_rpcs_and_not_the_crm_ones(stack):
    support = await support_by_rpc(stack, "IdentityService")
    expected = dict.fromkeys(USER_RPCS, backends_pb2.SUPPORT_SUPPORTED)
    expected["ListUsers"] = backends_pb2.SUPPORT_PARTIAL  # `kind` is filtered per page
    assert {rpc: support[rpc] for rpc in USER_RPCS} == expected
    for crm in ("GetContact", "ListContacts", "GetAccount", "ListAccounts"):
        assert support[crm] == backends_pb2.SUPPORT_UNSUPPORTED
    error = await rpc_error(
        stack.identity.GetContact(pb.GetContactRequest(name=stack.name("contacts", 1)))
    )
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "IdentityService.GetContact" in error.details()


# ------------------------------------------------------------------------ upstream faults


async def test_a_failing_read_is_retried_to_success(stack):
    await stack.set_faults(fail_next=[{"key": "user", "method": "GET", "status": 503, "count": 2}])
    user = (await stack.identity.GetUser(pb.GetUserRequest(name=stack.name("users", AGENT)))).user
    assert user.name == stack.name("users", AGENT)
    statuses = [e["status"] for e in await stack.sandbox_log() if e["key"] == "user"]
    assert statuses == [503, 503, 200]


async def test_a_failing_write_is_not_retried(stack):
    await stack.set_faults(
        fail_next=[{"key": "user.disable", "method": "PUT", "status": 503, "count": 1}]
    )
    error = await rpc_error(
        stack.identity.DisableUser(pb.DisableUserRequest(name=stack.name("users", CUSTOMER)))
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    puts = [e for e in await stack.sandbox_log() if e["key"] == "user.disable"]
    assert len(puts) == 1 and stack.state.users[CUSTOMER]["is_disabled"] is False


# ------------------------------------------------------------------------ events


async def test_each_user_mutation_publishes_one_event(stack, nats_server):
    identity = stack.identity
    user = await create(stack, new_user(external=True), request_id="user-events")
    name = user.name
    # reads publish nothing
    await identity.GetUser(pb.GetUserRequest(name=name))
    await identity.FindUser(pb.FindUserRequest(parent=stack.parent, email=user.email))
    await identity.ListUsers(pb.ListUsersRequest(parent=stack.parent, page_size=3))
    await identity.ListUserMemberships(pb.ListUserMembershipsRequest(name=name))
    # one at a time (aio calls start when made); each leaves the user in a state no earlier
    # event of the same action carried
    steps = [
        lambda: identity.SetUserPassword(pb.SetUserPasswordRequest(name=name, password=PASSWORD)),
        lambda: identity.UpdateUser(
            pb.UpdateUserRequest(user=pb.User(name=name, city="Salta"), update_mask=mask("city"))
        ),
        lambda: identity.DisableUser(pb.DisableUserRequest(name=name)),
        lambda: identity.EnableUser(pb.EnableUserRequest(name=name)),
        lambda: identity.RequestPasswordReset(
            pb.RequestPasswordResetRequest(name=name, kind=pb.PASSWORD_RESET_KIND_NEW_USER)
        ),
        lambda: identity.ConvertUserToInternal(pb.ConvertUserToInternalRequest(name=name)),
        lambda: identity.DeleteUser(pb.DeleteUserRequest(name=name)),
    ]
    for step in steps:
        await step()
    messages = await stored_events(nats_server.url, stack.backend)
    assert [m.subject.split(".", 2)[2] for m in messages] == [
        "user.created",
        "user.updated",
        "user.updated",
        "user.disabled",
        "user.enabled",
        "user.password_reset_requested",
        "user.converted",
        "user.deleted",
    ]
    assert all(m.headers["ce-subject"] == name for m in messages)
    events = [decoded(m) for m in messages]
    assert all(isinstance(e, events_pb2.UserEvent) for e in events)
    assert events[0].request_id == "user-events" and events[0].user.email == user.email
    assert list(events[2].changed_fields.paths) == ["city"] and events[2].user.city == "Salta"
    assert events[3].user.disabled and not events[4].user.disabled
    assert not events[6].user.external
    assert all(PASSWORD.encode() not in m.data for m in messages)
