"""IdentityService's directory on InvGate, end to end: gRPC → service → adapter → sandbox over
HTTP, and the change events on NATS."""

from __future__ import annotations

import grpc
import pytest
from e2e_events import decoded, stored_events
from e2e_support import rpc_error, support_by_rpc
from google.protobuf import field_mask_pb2

from deskbridge.runtime.errors import details_of
from deskbridge.v1 import backends_pb2, common_pb2, events_pb2
from deskbridge.v1 import identity_pb2 as pb


async def invalid_fields(awaitable) -> list[str]:
    error = await rpc_error(awaitable)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    return [v.field for v in details_of(error)["BadRequest"].field_violations]


def members_of(stack, kind: str, identifier: int) -> list[int]:
    return stack.state.members.get((kind, identifier), [])


def user_ids(stack, names) -> list[int]:
    prefix = stack.name("users", "")
    return [int(n.removeprefix(prefix)) for n in names]


# ---------------------------------------------------------------------- groups


async def test_group_create_get_list_delete(stack):
    ident = stack.identity
    created = (
        await ident.CreateGroup(
            pb.CreateGroupRequest(parent=stack.parent, group=pb.Group(display_name="Night shift"))
        )
    ).group
    identifier = int(created.vendor_record.remote_id)
    assert created.name == stack.name("groups", identifier)
    assert (created.display_name, created.member_count) == ("Night shift", 0)
    assert created.vendor_record.remote_data["name"] == "Night shift"
    assert stack.state.groups[identifier]["name"] == "Night shift"

    seeded = (await ident.GetGroup(pb.GetGroupRequest(name=stack.name("groups", 2)))).group
    assert seeded.display_name == stack.state.groups[2]["name"]
    assert seeded.member_count == len(members_of(stack, "groups", 2))

    by_name = await ident.ListGroups(
        pb.ListGroupsRequest(parent=stack.parent, display_name="Night shift")
    )
    assert [g.name for g in by_name.groups] == [created.name]

    deleted = (await ident.DeleteGroup(pb.DeleteGroupRequest(name=created.name))).group
    assert deleted == created  # as it was
    error = await rpc_error(ident.GetGroup(pb.GetGroupRequest(name=created.name)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_list_groups_pages_with_opaque_tokens(stack):
    seen, token = [], ""
    while True:
        page = await stack.identity.ListGroups(
            pb.ListGroupsRequest(parent=stack.parent, page_size=2, page_token=token)
        )
        assert len(page.groups) <= 2
        seen.extend(g.name for g in page.groups)
        token = page.next_page_token
        if not token:
            break
    assert seen == [stack.name("groups", i) for i in stack.state.groups]
    fields = await invalid_fields(
        stack.identity.ListGroups(
            pb.ListGroupsRequest(parent=stack.parent, page_size=3, page_token=token or "bogus")
        )
    )
    assert fields == ["page_token"]


async def test_create_group_is_idempotent_per_request_id(stack):
    request = pb.CreateGroupRequest(
        parent=stack.parent, group=pb.Group(display_name="Once"), request_id="grp-once-1"
    )
    first = (await stack.identity.CreateGroup(request)).group
    again = (await stack.identity.CreateGroup(request)).group
    assert first.name == again.name
    assert [g["name"] for g in stack.state.groups.values()].count("Once") == 1


# ---------------------------------------------------------------------- companies


async def test_company_create_list_update_delete(stack):
    ident = stack.identity
    created = (
        await ident.CreateCompany(
            pb.CreateCompanyRequest(
                parent=stack.parent,
                company=pb.Company(display_name="Umbrella", external_id="UMB-7"),
            )
        )
    ).company
    assert (created.display_name, created.external_id) == ("Umbrella", "UMB-7")
    listed = await ident.ListCompanies(
        pb.ListCompaniesRequest(parent=stack.parent, external_id="UMB-7")
    )
    assert [c.name for c in listed.companies] == [created.name]

    updated = (
        await ident.UpdateCompany(
            pb.UpdateCompanyRequest(
                company=pb.Company(name=created.name, display_name="Umbrella Inc", external_id="x"),
                update_mask=field_mask_pb2.FieldMask(paths=["display_name"]),
            )
        )
    ).company
    assert (updated.display_name, updated.external_id) == ("Umbrella Inc", "UMB-7")

    company_users = list(members_of(stack, "companies", 1))
    before = await ident.DeleteCompany(pb.DeleteCompanyRequest(name=stack.name("companies", 1)))
    assert before.company.member_count == len(company_users) > 0
    assert 1 not in stack.state.companies and ("companies", 1) not in stack.state.members


async def test_update_company_rejects_paths_invgate_cannot_change(stack):
    fields = await invalid_fields(
        stack.identity.UpdateCompany(
            pb.UpdateCompanyRequest(
                company=pb.Company(name=stack.name("companies", 1), member_count=3),
                update_mask=field_mask_pb2.FieldMask(paths=["display_name", "member_count"]),
            )
        )
    )
    assert fields == ["update_mask.paths[1]"]
    assert stack.state.companies[1]["name"] == "Acme Corp"  # nothing was sent


async def test_company_groups_link_list_and_unlink_with_their_users(stack):
    ident, company = stack.identity, stack.name("companies", 3)
    group_users = set(members_of(stack, "groups", 2))
    before = (await ident.GetCompany(pb.GetCompanyRequest(name=company))).company.member_count

    linked = (
        await ident.LinkCompanyGroups(
            pb.LinkCompanyGroupsRequest(name=company, groups=[stack.name("groups", 2)])
        )
    ).company
    assert linked.member_count == before + len(group_users)
    groups = (await ident.ListCompanyGroups(pb.ListCompanyGroupsRequest(name=company))).groups
    assert [g.name for g in groups] == [stack.name("groups", 2)]

    unlinked = (
        await ident.UnlinkCompanyGroups(
            pb.UnlinkCompanyGroupsRequest(
                name=company, groups=[stack.name("groups", 2)], unlink_users_too=True
            )
        )
    ).company
    assert unlinked.member_count == before
    assert not group_users & set(members_of(stack, "companies", 3))
    fields = await invalid_fields(
        ident.LinkCompanyGroups(
            pb.LinkCompanyGroupsRequest(name=company, groups=[stack.name("groups", "two")])
        )
    )
    assert fields == ["groups[0]"]


# ---------------------------------------------------------------------- locations


async def test_location_tree_create_get_list_and_delete_with_sublocations(stack):
    ident = stack.identity

    async def create(name: str, parent: str = "") -> pb.Location:
        location = pb.Location(display_name=name, parent_location=parent)
        request = pb.CreateLocationRequest(parent=stack.parent, location=location)
        return (await ident.CreateLocation(request)).location

    campus = await create("Campus")
    building = await create("Building A", campus.name)
    room = await create("Room 12", building.name)
    assert room.parent_location == building.name and not campus.parent_location
    got = (await ident.GetLocation(pb.GetLocationRequest(name=building.name))).location
    assert got == building

    listed = await ident.ListLocations(pb.ListLocationsRequest(parent=stack.parent))
    assert {campus.name, building.name, room.name} <= {x.name for x in listed.locations}

    deleted = await ident.DeleteLocation(pb.DeleteLocationRequest(name=campus.name))
    assert deleted.location.name == campus.name
    assert list(deleted.deleted_sublocations) == [building.name, room.name]
    error = await rpc_error(ident.GetLocation(pb.GetLocationRequest(name=room.name)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_location_under_an_unknown_parent_is_refused(stack):
    error = await rpc_error(
        stack.identity.CreateLocation(
            pb.CreateLocationRequest(
                parent=stack.parent,
                location=pb.Location(
                    display_name="Nowhere", parent_location=stack.name("locations", 999)
                ),
            )
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "999" in details_of(error)["ErrorInfo"].metadata["vendor_message"]


# ---------------------------------------------------------------------- help desks and levels


async def test_help_desks_and_levels(stack):
    ident = stack.identity
    active = await ident.ListHelpDesks(pb.ListHelpDesksRequest(parent=stack.parent))
    everything = await ident.ListHelpDesks(
        pb.ListHelpDesksRequest(parent=stack.parent, include_deleted=True)
    )
    assert len(everything.help_desks) == len(active.help_desks) + 1
    assert [d.deleted for d in everything.help_desks if d not in active.help_desks] == [True]

    desk = (
        await ident.GetHelpDesk(pb.GetHelpDeskRequest(name=stack.name("helpDesks", 4)))
    ).help_desk
    assert desk.display_name == "Facilities" and desk.status == pb.HELP_DESK_STATUS_ENABLED
    assert desk.engine == pb.ASSIGNMENT_ENGINE_ROUND_ROBIN
    assert desk.member_count == len(members_of(stack, "helpdesks", 4))

    levels = (await ident.ListHelpDeskLevels(pb.ListHelpDeskLevelsRequest(parent=desk.name))).levels
    assert [lv.order for lv in levels] == [1, 2]  # the deleted level is left out
    with_deleted = (
        await ident.ListHelpDeskLevels(
            pb.ListHelpDeskLevelsRequest(parent=desk.name, include_deleted=True)
        )
    ).levels
    assert [lv.deleted for lv in with_deleted] == [False, False, True]

    level = (
        await ident.GetHelpDeskLevel(pb.GetHelpDeskLevelRequest(name=f"{desk.name}/levels/41"))
    ).level
    assert level == levels[0]
    assert user_ids(stack, level.members) == members_of(stack, "levels", 41)
    wrong_desk = await rpc_error(
        ident.GetHelpDeskLevel(
            pb.GetHelpDeskLevelRequest(name=stack.name("helpDesks", 1) + "/levels/41")
        )
    )
    assert wrong_desk.code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------------- members


@pytest.mark.parametrize(
    ("collection", "identifier", "kind"),
    [
        ("groups", 1, "groups"),
        ("companies", 2, "companies"),
        ("locations", 4, "locations"),
        ("helpDesks", 2, "helpdesks"),
        ("helpDesks/2/levels", 21, "levels"),
    ],
)
async def test_list_members_of_each_kind(stack, collection, identifier, kind):
    response = await stack.identity.ListMembers(
        pb.ListMembersRequest(name=stack.name(collection, identifier))
    )
    assert user_ids(stack, [x.user for x in response.members]) == members_of(
        stack, kind, identifier
    )
    first = response.members[0]
    user = stack.state.users[user_ids(stack, [first.user])[0]]
    assert (first.username, first.email) == (user["username"], user["email"])
    assert first.display_name == f"{user['name']} {user['lastname']}"


async def test_add_and_remove_group_members_carry_the_group_after_the_change(stack):
    group, ident = stack.name("groups", 2), stack.identity
    newcomers = [u for u in (101, 102) if u not in members_of(stack, "groups", 2)]
    before = len(members_of(stack, "groups", 2))
    added = await ident.AddMembers(
        pb.AddMembersRequest(name=group, users=[stack.name("users", u) for u in newcomers])
    )
    assert added.WhichOneof("parent") == "group"
    assert added.group.member_count == before + len(newcomers)
    assert set(newcomers) <= set(user_ids(stack, [x.user for x in added.members]))

    removed = await ident.RemoveMembers(
        pb.RemoveMembersRequest(name=group, users=[stack.name("users", newcomers[0])])
    )
    assert removed.group.member_count == before + len(newcomers) - 1
    assert newcomers[0] not in user_ids(stack, [x.user for x in removed.members])


async def test_company_members_join_the_companys_groups(stack):
    (group,) = stack.state.company_groups[1]
    user = next(u for u in range(100, 150) if u not in members_of(stack, "companies", 1))
    added = await stack.identity.AddMembers(
        pb.AddMembersRequest(name=stack.name("companies", 1), users=[stack.name("users", user)])
    )
    assert added.WhichOneof("parent") == "company"
    assert user in members_of(stack, "groups", group)


async def test_member_changes_are_refused_where_invgate_cannot_make_them(stack):
    ident = stack.identity
    for name in (stack.name("helpDesks", 1), stack.name("helpDesks", 1) + "/levels/11"):
        fields = await invalid_fields(
            ident.AddMembers(pb.AddMembersRequest(name=name, users=[stack.name("users", 3)]))
        )
        assert fields == ["name"]
    fields = await invalid_fields(
        ident.RemoveMembers(
            pb.RemoveMembersRequest(
                name=stack.name("tickets", 1000), users=[stack.name("users", 3)]
            )
        )
    )
    assert fields == ["name"]
    fields = await invalid_fields(
        ident.AddMembers(
            pb.AddMembersRequest(
                name=stack.name("groups", 1), users=[stack.name("users", 3), "users/4"]
            )
        )
    )
    assert fields == ["users[1]"]


async def test_adding_an_unknown_user_is_not_found_and_changes_nothing(stack):
    before = list(members_of(stack, "groups", 1))
    missing = stack.name("users", 99999)
    error = await rpc_error(
        stack.identity.AddMembers(
            pb.AddMembersRequest(
                name=stack.name("groups", 1), users=[stack.name("users", 120), missing]
            )
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert details_of(error)["ErrorInfo"].metadata["resource_name"] == missing
    assert members_of(stack, "groups", 1) == before


# ---------------------------------------------------------------------- observers


@pytest.mark.parametrize(
    ("name", "kind", "identifier", "field"),
    [
        ("groups/1", "groups", 1, "group"),
        ("companies/1", "companies", 1, "company"),
        ("locations/1", "locations", 1, "location"),
        ("helpDesks/1", "helpdesks", 1, "help_desk"),
        ("helpDesks/1/levels/11", "levels", 11, "level"),
    ],
)
async def test_observers_list_add_remove(stack, name, kind, identifier, field):
    ident, resource = stack.identity, f"{stack.parent}/{name}"
    seeded = stack.state.observers_of[(kind, identifier)]
    listed = (await ident.ListObservers(pb.ListObserversRequest(name=resource))).observers
    assert listed.resource == resource
    assert user_ids(stack, listed.users) == seeded["observer_users"]
    assert list(listed.groups) == [stack.name("groups", g) for g in seeded["observer_groups"]]

    user = stack.name("users", 9)
    added = await ident.AddObservers(pb.AddObserversRequest(name=resource, users=[user]))
    assert added.WhichOneof("parent") == field
    assert getattr(added, field).name == resource
    assert list(added.observers.users) == [*listed.users, user]

    removed = await ident.RemoveObservers(pb.RemoveObserversRequest(name=resource, users=[user]))
    assert removed.observers == listed


async def test_observers_of_unknown_or_misplaced_resources(stack):
    ident = stack.identity
    for name in (stack.name("groups", 999), stack.name("helpDesks", 2) + "/levels/11"):
        error = await rpc_error(ident.ListObservers(pb.ListObserversRequest(name=name)))
        assert error.code() == grpc.StatusCode.NOT_FOUND, name
    error = await rpc_error(
        ident.AddObservers(
            pb.AddObserversRequest(name=stack.name("groups", 1), users=[stack.name("users", 777)])
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------------- internal notes


async def test_internal_notes_create_list_update_delete(stack):
    ident, author = stack.identity, stack.name("users", 2)
    subject = stack.name("groups", 3)
    note = (
        await ident.CreateInternalNote(
            pb.CreateInternalNoteRequest(
                parent=stack.parent,
                note=pb.InternalNote(
                    subject_resource=subject, title="Handover", body="<p>Ask Ana</p>", author=author
                ),
            )
        )
    ).note
    identifier = int(note.vendor_record.remote_id)
    assert note.name == stack.name("internalNotes", identifier)
    assert (note.subject_resource, note.title, note.author) == (subject, "Handover", author)
    assert note.create_time.seconds == stack.state.internal_notes[identifier]["created_at"]

    about = await ident.ListInternalNotes(
        pb.ListInternalNotesRequest(parent=stack.parent, subject_resource=subject)
    )
    assert [n.name for n in about.notes] == [note.name]
    everything = await ident.ListInternalNotes(pb.ListInternalNotesRequest(parent=stack.parent))
    subjects = {n.subject_resource for n in everything.notes}
    assert {stack.name("users", 100), stack.name("helpDesks", 1), subject} <= subjects

    updated = (
        await ident.UpdateInternalNote(
            pb.UpdateInternalNoteRequest(
                note=pb.InternalNote(name=note.name, body="<p>Ask Bruno</p>", author=author),
                update_mask=field_mask_pb2.FieldMask(paths=["body"]),
            )
        )
    ).note
    assert (updated.title, updated.body) == ("Handover", "<p>Ask Bruno</p>")

    deleted = await ident.DeleteInternalNote(
        pb.DeleteInternalNoteRequest(name=note.name, author=author)
    )
    assert identifier not in stack.state.internal_notes
    assert deleted.note.name == note.name and deleted.note.body == "<p>Ask Bruno</p>"
    events = await stored_events(stack.runtime.settings.nats_url, stack.backend)
    gone = [m for m in events if m.subject.endswith(".internal_note.deleted")]
    assert [m.headers["ce-subject"] for m in gone] == [note.name]
    assert decoded(gone[0]).internal_note.body == "<p>Ask Bruno</p>"
    error = await rpc_error(
        ident.DeleteInternalNote(pb.DeleteInternalNoteRequest(name=note.name, author=author))
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND  # InvGate's capital-S `Status: ERROR`


async def test_internal_note_bad_input_lists_the_fields(stack):
    ident = stack.identity
    fields = await invalid_fields(
        ident.CreateInternalNote(
            pb.CreateInternalNoteRequest(
                parent=stack.parent,
                note=pb.InternalNote(
                    subject_resource=stack.name("tickets", 1000), title="t", body="b"
                ),
            )
        )
    )
    assert fields == ["note.subject_resource"]
    fields = await invalid_fields(
        ident.CreateInternalNote(
            pb.CreateInternalNoteRequest(
                parent=stack.parent,
                note=pb.InternalNote(subject_resource=stack.name("groups", 1), title="t", body="b"),
            )
        )
    )
    assert fields == ["note.author"]
    fields = await invalid_fields(
        ident.DeleteInternalNote(pb.DeleteInternalNoteRequest(name=stack.name("internalNotes", 1)))
    )
    assert fields == ["author"]
    refused = await rpc_error(
        ident.CreateInternalNote(
            pb.CreateInternalNoteRequest(
                parent=stack.parent,
                note=pb.InternalNote(
                    subject_resource=stack.name("companies", 999),
                    title="t",
                    body="b",
                    author=stack.name("users", 2),
                ),
            )
        )
    )
    assert refused.code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------------- errors, faults, support


@pytest.mark.parametrize(
    ("rpc", "request_type", "name"),
    [
        ("GetGroup", pb.GetGroupRequest, "groups/999"),
        ("GetCompany", pb.GetCompanyRequest, "companies/999"),
        ("GetLocation", pb.GetLocationRequest, "locations/999"),
        ("GetHelpDesk", pb.GetHelpDeskRequest, "helpDesks/999"),
        ("GetHelpDeskLevel", pb.GetHelpDeskLevelRequest, "helpDesks/1/levels/999"),
        ("DeleteCompany", pb.DeleteCompanyRequest, "companies/999"),
        ("ListMembers", pb.ListMembersRequest, "locations/999"),
        ("ListCompanyGroups", pb.ListCompanyGroupsRequest, "companies/999"),
    ],
)
async def test_unknown_resources_are_not_found(stack, rpc, request_type, name):
    full = f"{stack.parent}/{name}"
    error = await rpc_error(getattr(stack.identity, rpc)(request_type(name=full)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert details_of(error)["ErrorInfo"].metadata["backend"] == stack.backend


async def test_non_numeric_ids_and_foreign_backends_are_invalid_arguments(stack):
    ident = stack.identity
    assert await invalid_fields(ident.GetGroup(pb.GetGroupRequest(name=stack.name("groups", "x"))))
    fields = await invalid_fields(
        ident.GetHelpDeskLevel(
            pb.GetHelpDeskLevelRequest(name=stack.name("helpDesks", "a") + "/levels/1")
        )
    )
    assert fields == ["name"]
    fields = await invalid_fields(
        ident.AddObservers(
            pb.AddObserversRequest(name=stack.name("groups", 1), users=["backends/other/users/2"])
        )
    )
    assert fields == ["users[0]"]


async def test_a_503_on_a_read_is_retried_and_visible_in_the_sandbox_log(stack):
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(
        fail_next=[{"key": "groups", "method": "GET", "status": 503, "count": 2}]
    )
    group = (await stack.identity.GetGroup(pb.GetGroupRequest(name=stack.name("groups", 1)))).group
    assert group.display_name == stack.state.groups[1]["name"]
    statuses = [e["status"] for e in await stack.sandbox_log() if e["key"] == "groups"]
    assert statuses == [503, 503, 200]


async def test_a_failed_write_is_not_retried(stack):
    before = list(members_of(stack, "groups", 1))
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(
        fail_next=[{"key": "groups.users", "method": "POST", "status": 503, "count": 1}]
    )
    error = await rpc_error(
        stack.identity.AddMembers(
            pb.AddMembersRequest(name=stack.name("groups", 1), users=[stack.name("users", 130)])
        )
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    posts = [e for e in await stack.sandbox_log() if e["key"] == "groups.users"]
    assert [(e["method"], e["status"]) for e in posts] == [("POST", 503)]
    assert members_of(stack, "groups", 1) == before


async def test_backend_service_reports_every_directory_rpc_supported(stack):
    support = await support_by_rpc(stack, "IdentityService")
    for rpc in (
        "CreateGroup",
        "UnlinkCompanyGroups",
        "DeleteLocation",
        "GetHelpDeskLevel",
        "AddObservers",
        "DeleteInternalNote",
    ):
        assert support[rpc] == backends_pb2.SUPPORT_SUPPORTED, rpc
    assert support["GetContact"] == backends_pb2.SUPPORT_UNSUPPORTED


# ---------------------------------------------------------------------- events


@pytest.mark.parametrize(
    ("collection", "identifier", "resource", "field"),
    [
        ("groups", 3, "group", "group"),
        ("companies", 2, "company", "company"),
        ("locations", 2, "location", "location"),
    ],
)
async def test_a_members_change_publishes_one_members_changed_event(
    stack, nats_server, collection, identifier, resource, field
):
    name = stack.name(collection, identifier)
    newcomer = next(
        u for u in range(100, 150) if u not in members_of(stack, collection, identifier)
    )
    response = await stack.identity.AddMembers(
        pb.AddMembersRequest(name=name, users=[stack.name("users", newcomer)])
    )
    after = getattr(response, field)

    (message,) = await stored_events(nats_server.url, stack.backend)
    assert message.subject == f"deskbridge.{stack.backend}.{resource}.members_changed"
    assert message.headers["ce-subject"] == name
    event = decoded(message)
    assert event.action == events_pb2.CHANGE_ACTION_MEMBERS_CHANGED
    assert getattr(event, field) == after
    assert getattr(event, field).member_count == len(members_of(stack, collection, identifier))


async def test_each_directory_mutation_is_one_event_and_reads_none(stack, nats_server):
    ident, parent = stack.identity, stack.parent
    group = (
        await ident.CreateGroup(
            pb.CreateGroupRequest(parent=parent, group=pb.Group(display_name="E"))
        )
    ).group
    user, acme = stack.name("users", 104), stack.name("companies", 3)
    desk = stack.name("helpDesks", 2)
    await ident.GetGroup(pb.GetGroupRequest(name=group.name))
    await ident.ListMembers(pb.ListMembersRequest(name=group.name))
    await ident.ListObservers(pb.ListObserversRequest(name=group.name))
    note = pb.InternalNote(subject_resource=group.name, title="n", body="b", author=user)
    steps = [  # (rpc, request, event): calls are made one at a time below
        (
            ident.AddMembers,
            pb.AddMembersRequest(name=group.name, users=[user]),
            "group.members_changed",
        ),
        (
            ident.AddObservers,
            pb.AddObserversRequest(name=group.name, users=[user]),
            "group.observers_changed",
        ),
        # the group looks as it did before the AddObservers, yet this is a change of its own
        (
            ident.RemoveObservers,
            pb.RemoveObserversRequest(name=group.name, users=[user]),
            "group.observers_changed",
        ),
        (
            ident.AddObservers,
            pb.AddObserversRequest(name=desk, users=[user]),
            "help_desk.observers_changed",
        ),
        (
            ident.AddObservers,
            pb.AddObserversRequest(name=f"{desk}/levels/21", users=[user]),
            "help_desk_level.observers_changed",
        ),
        (
            ident.CreateCompany,
            pb.CreateCompanyRequest(parent=parent, company=pb.Company(display_name="C")),
            "company.created",
        ),
        (
            ident.UpdateCompany,
            pb.UpdateCompanyRequest(
                company=pb.Company(name=acme, external_id="N"),
                update_mask=field_mask_pb2.FieldMask(paths=["external_id"]),
            ),
            "company.updated",
        ),
        (
            ident.LinkCompanyGroups,
            pb.LinkCompanyGroupsRequest(name=acme, groups=[group.name]),
            "company.members_changed",
        ),
        (
            ident.CreateLocation,
            pb.CreateLocationRequest(parent=parent, location=pb.Location(display_name="L")),
            "location.created",
        ),
        (
            ident.DeleteLocation,
            pb.DeleteLocationRequest(name=stack.name("locations", 5)),
            "location.deleted",
        ),
        (
            ident.CreateInternalNote,
            pb.CreateInternalNoteRequest(parent=parent, note=note),
            "internal_note.created",
        ),
        (ident.DeleteGroup, pb.DeleteGroupRequest(name=group.name), "group.deleted"),
    ]
    for rpc, request, _ in steps:
        await rpc(request)
    messages = await stored_events(nats_server.url, stack.backend)
    subjects = [m.subject.split(".", 2)[2] for m in messages]
    assert subjects == ["group.created", *[s for _, _, s in steps]]
    updated = decoded(messages[7])
    assert list(updated.changed_fields.paths) == ["external_id"]
    assert updated.company.external_id == "N"
    level_event = decoded(messages[5])
    assert isinstance(level_event, events_pb2.HelpDeskLevelEvent)
    assert level_event.level.name == f"{desk}/levels/21"
    assert decoded(messages[0]).group.vendor_record.vendor == common_pb2.VENDOR_INVGATE
