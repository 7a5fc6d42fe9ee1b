"""The sandbox's directory endpoints over HTTP: groups, companies, locations, help desks and
levels, members, observers, internal notes (VENDORS.md §1.4, §1.6, §1.7)."""

from __future__ import annotations

import grpc
import pytest

from deskbridge.runtime.errors import ApiError

OBSERVED_KINDS = ["groups", "companies", "locations", "helpdesks", "levels"]
MEMBER_KINDS = ["groups", "companies", "locations"]


def members(state, kind: str, identifier: int) -> list[int]:
    return state.members.get((kind, identifier), [])


# ---------------------------------------------------------------------- lists and shapes


async def test_groups_companies_locations_have_the_observed_shapes(http, state):
    groups = (await http.get("groups")).json()
    assert [list(g) for g in groups] == [["id", "name", "total"]] * len(state.groups)
    assert {g["id"]: g["total"] for g in groups} == {
        i: len(members(state, "groups", i)) for i in state.groups
    }
    companies = (await http.get("companies")).json()
    assert set(companies[0]) == {"id", "name", "external_id", "total"}
    assert companies[0]["total"] == len(members(state, "companies", companies[0]["id"]))
    locations = (await http.get("locations")).json()
    assert set(locations[0]) == {"id", "name", "total", "parent_id"}
    children = [loc for loc in locations if loc["parent_id"] is not None]
    assert children and all(c["parent_id"] in state.locations for c in children)


async def test_list_filters_are_exact_and_unknown_ids_give_an_empty_list(http, state):
    name = state.groups[2]["name"]
    assert [g["id"] for g in (await http.get("groups", params={"name": name})).json()] == [2]
    assert (await http.get("groups", params={"name": name[:4]})).json() == []
    assert (await http.get("groups", params={"id": 999})).json() == []
    external = state.companies[3]["external_id"]
    found = (await http.get("companies", params={"external_id": external})).json()
    assert [c["id"] for c in found] == [3]


async def test_help_desks_hide_deleted_ones_unless_asked(http, state):
    deleted = [i for i, d in state.helpdesks.items() if d.get("is_deleted")]
    assert deleted, "the seed has a deleted help desk"
    active = {d["id"] for d in (await http.get("helpdesks")).json()}
    everything = {
        d["id"] for d in (await http.get("helpdesks", params={"include_deleted": 1})).json()
    }
    assert active == set(state.helpdesks) - set(deleted)
    assert everything == set(state.helpdesks)
    one = (await http.get("helpdesks", params={"id": 1})).json()
    assert one[0]["total_members"] == len(members(state, "helpdesks", 1))


async def test_levels_include_deleted_by_default_and_carry_type_and_parent(http, state):
    deleted = {i for i, lv in state.levels.items() if lv.get("is_deleted")}
    default = (await http.get("levels")).json()
    assert deleted <= {lv["id"] for lv in default}  # include_deleted defaults to true
    active = (await http.get("levels", params={"include_deleted": "false"})).json()
    assert {lv["id"] for lv in active} == set(state.levels) - deleted
    level = next(lv for lv in default if lv["id"] == 11)
    assert level["type_id"] == 2 and level["parent_id"] == 1
    assert level["members_ids"] == members(state, "levels", 11)
    assert level["total_members"] == len(level["members_ids"])


async def test_helpdesksandlevels_mixes_both_with_member_ids(http, state):
    rows = (await http.get("helpdesksandlevels")).json()
    ids = {r["id"] for r in rows}
    assert {1, 2, 11, 12} <= ids
    desk = next(r for r in rows if r["id"] == 1)
    assert desk["members_ids"] == members(state, "helpdesks", 1)
    only = (await http.get("helpdesksandlevels", params={"id": 12})).json()
    assert [r["level_order"] for r in only] == [2]


# ---------------------------------------------------------------------- writes


async def test_group_create_answers_its_id_and_delete_cleans_up(http, state):
    created = (await http.post("groups", data={"name": "Night shift"})).json()
    assert list(created) == ["id"] and state.groups[created["id"]]["name"] == "Night shift"
    assert (await http.post("groups")).status_code == 428

    victim = 4  # has members, is linked to company 1
    assert victim in state.company_groups[1]
    state.observers_of[("companies", 1)]["observer_groups"].append(victim)
    deleted = (await http.delete("groups", params={"id": victim})).json()
    assert deleted["status"] == "OK"
    assert victim not in state.groups and ("groups", victim) not in state.members
    assert victim not in state.company_groups[1]
    assert victim not in state.observers_of[("companies", 1)]["observer_groups"]
    again = (await http.delete("groups", params={"id": victim})).json()
    assert again["status"] == "ERROR" and "does not exist" in again["info"]


async def test_company_create_update_delete(http, state):
    created = (await http.post("companies", data={"name": "Umbrella", "external_id": "U-9"})).json()
    assert created["status"] == "OK" and created["external_id"] == "U-9"
    identifier = created["id"]
    updated = (await http.put("companies", data={"id": identifier, "name": "Umbrella Inc"})).json()
    assert (updated["name"], updated["external_id"]) == ("Umbrella Inc", "U-9")

    company_users, linked = list(members(state, "companies", 1)), state.company_groups[1]
    assert company_users and linked
    assert (await http.delete("companies", params={"id": 1})).json()["status"] == "OK"
    assert 1 not in state.companies and 1 not in state.company_groups
    assert ("companies", 1) not in state.members  # its users are unlinked
    refused = (await http.put("companies", data={"id": 1, "name": "x"})).json()
    assert refused["status"] == "ERROR"


async def test_deleting_a_location_deletes_its_sublocations(http, state):
    root = (await http.post("locations", data={"name": "Campus"})).json()["id"]
    child = (await http.post("locations", data={"name": "B1", "parent_id": root})).json()["id"]
    grandchild = (await http.post("locations", data={"name": "B1-2", "parent_id": child})).json()
    await http.post("locations.users", data={"id": grandchild["id"], "users[]": [101]})
    bad_parent = (await http.post("locations", data={"name": "x", "parent_id": 999})).json()
    assert bad_parent["status"] == "ERROR"

    assert (await http.delete("locations", params={"id": root})).json()["status"] == "OK"
    assert not {root, child, grandchild["id"]} & set(state.locations)
    assert ("locations", grandchild["id"]) not in state.members


# ---------------------------------------------------------------------- members


@pytest.mark.parametrize("kind", MEMBER_KINDS)
async def test_member_lists_have_user_summaries_and_a_user_filter(http, state, kind):
    listed = (await http.get(f"{kind}.users", params={"id": 1})).json()
    assert [u["id"] for u in listed] == members(state, kind, 1)
    first = state.users[listed[0]["id"]]
    assert listed[0] == {
        "id": first["id"],
        "name": f"{first['name']} {first['lastname']}",
        "username": first["username"],
        "email": first["email"],
    }
    only = (await http.get(f"{kind}.users", params={"id": 1, "user_id": first["id"]})).json()
    assert [u["id"] for u in only] == [first["id"]]
    unknown = (await http.get(f"{kind}.users", params={"id": 999})).json()
    assert unknown["status"] == "ERROR" and "does not exist" in unknown["info"]


async def test_adding_and_removing_group_members_moves_the_total(http, state):
    newcomer = next(u for u in state.customers() if u not in members(state, "groups", 2))
    before = (await http.get("groups", params={"id": 2})).json()[0]["total"]
    added = (await http.post("groups.users", data={"id": 2, "users[]": [newcomer]})).json()
    assert added == {str(newcomer): True}
    assert (await http.get("groups", params={"id": 2})).json()[0]["total"] == before + 1
    removed = (
        await http.request("DELETE", "groups.users", params={"id": 2, "users[]": [newcomer, 149]})
    ).json()
    assert removed[str(newcomer)] is True
    assert removed["149"] is (149 in members(state, "groups", 2))
    assert newcomer not in members(state, "groups", 2)


async def test_member_writes_with_unknown_users_change_nothing(http, state):
    before = list(members(state, "groups", 1))
    answer = (await http.post("groups.users", data={"id": 1, "users[]": [101, 99999]})).json()
    assert answer["status"] == "ERROR" and "99999" in answer["info"]
    assert members(state, "groups", 1) == before
    comma = await http.post("groups.users", data={"id": 1, "users": "101,102"})
    assert comma.status_code == 428


async def test_company_users_follow_into_and_out_of_the_companys_groups(http, state):
    (group,) = state.company_groups[2]
    user = next(
        u
        for u in state.customers()
        if u not in members(state, "companies", 2) and u not in members(state, "groups", group)
    )
    await http.post("companies.users", data={"id": 2, "users[]": [user]})
    assert user in members(state, "companies", 2) and user in members(state, "groups", group)
    await http.request("DELETE", "companies.users", params={"id": 2, "users[]": [user]})
    assert user not in members(state, "companies", 2)
    assert user not in members(state, "groups", group)


async def test_location_member_writes_answer_value_and_location_id(http, state):
    answer = (await http.post("locations.users", data={"id": 2, "users[]": [105, 106]})).json()
    assert answer == [{"id": 2, "value": True}, {"id": 2, "value": True}]
    assert {105, 106} <= set(members(state, "locations", 2))


async def test_company_groups_link_and_unlink_users_too(http, state):
    group_users = members(state, "groups", 3)
    linked = (await http.post("companies.groups", data={"id": 3, "groups[]": [3]})).json()
    assert linked == {"3": True}
    listed = (await http.get("companies.groups", params={"id": 3})).json()
    assert listed == [{"id": 3, "name": state.groups[3]["name"], "total": len(group_users)}]
    assert set(group_users) <= set(members(state, "companies", 3))

    plain = await http.request("DELETE", "companies.groups", params={"id": 3, "groups[]": [3]})
    assert plain.json() == {"3": True}
    assert set(group_users) <= set(members(state, "companies", 3))  # users stay
    await http.post("companies.groups", data={"id": 3, "groups[]": [3]})
    await http.request(
        "DELETE",
        "companies.groups",
        params={"id": 3, "groups[]": [3], "unlink_users_too": 1},
    )
    assert not set(group_users) & set(members(state, "companies", 3))
    unknown = (await http.post("companies.groups", data={"id": 3, "groups[]": [77]})).json()
    assert unknown["status"] == "ERROR"


# ---------------------------------------------------------------------- observers


@pytest.mark.parametrize("kind", OBSERVED_KINDS)
async def test_observers_read_add_and_remove(http, state, kind):
    identifier = next(iter(getattr(state, kind)))
    rows = (await http.get(f"{kind}.observers", params={"ids[]": [identifier]})).json()
    assert [set(r) for r in rows] == [{"id", "name", "observer_users", "observer_groups"}]
    before = list(rows[0]["observer_users"])
    newcomer = next(u for u in range(1, 11) if u not in before)

    added = await http.post(
        f"{kind}.observers", data={"id": identifier, "observer_users[]": [newcomer, 99999]}
    )
    # `value` is false when nothing changed for that user, here an unknown one.
    assert added.json() == [{"id": newcomer, "value": True}, {"id": 99999, "value": False}]
    again = await http.post(
        f"{kind}.observers", data={"id": identifier, "observer_users[]": [newcomer]}
    )
    assert again.json() == [{"id": newcomer, "value": False}]  # already observing
    now = (await http.get(f"{kind}.observers", params={"ids[]": [identifier]})).json()[0]
    assert now["observer_users"] == [*before, newcomer]

    removed = await http.request(
        "DELETE", f"{kind}.observers", params={"id": identifier, "observer_users[]": [newcomer]}
    )
    assert removed.json() == [{"id": newcomer, "value": True}]
    missing = (
        await http.post(f"{kind}.observers", data={"id": 999, "observer_users[]": [1]})
    ).json()
    assert missing["status"] == "ERROR"


async def test_observer_listing_without_ids_covers_every_active_entity(http, state):
    rows = (await http.get("groups.observers")).json()
    assert [r["id"] for r in rows] == list(state.groups)
    seeded = next(r for r in rows if r["id"] == 1)
    assert seeded["observer_groups"] == state.observers_of[("groups", 1)]["observer_groups"]


# ---------------------------------------------------------------------- internal notes


async def test_internal_note_writes_answer_a_capital_s_status(http, state):
    fields = {
        "object_id": 2,
        "object_type": 3,
        "author_id": 2,
        "title": "Renewal",
        "description": "<p>Due in May</p>",
    }
    created = (await http.post("internalnotes", data=fields)).json()
    assert created == {"Status": "OK"}  # no id in the answer
    notes = (await http.get("internalnotes", params={"object_id": 2, "object_type": 3})).json()
    (note,) = notes
    assert (note["title"], note["author_id"], note["last_author"]) == ("Renewal", 2, 2)
    assert isinstance(note["created_at"], int)

    updated = await http.put(
        "internalnotes", data={"id": note["id"], "author_id": 3, "title": "R2"}
    )
    assert updated.json() == {"Status": "OK"}
    after = state.internal_notes[note["id"]]
    assert (after["title"], after["last_author"]) == ("R2", 3)
    assert after["last_update"] > note["last_update"]

    gone = await http.request("DELETE", "internalnotes", params={"id": note["id"], "author_id": 3})
    assert gone.json() == {"Status": "OK"} and note["id"] not in state.internal_notes
    refused = await http.request(
        "DELETE", "internalnotes", params={"id": note["id"], "author_id": 3}
    )
    assert refused.json()["Status"] == "ERROR"


async def test_internal_notes_validate_subject_and_author(http):
    base = {"object_id": 1, "author_id": 2, "title": "t", "description": "d"}
    for bad in ({"object_type": 9}, {"object_type": 4, "object_id": 999}, {"author_id": 99999}):
        answer = (await http.post("internalnotes", data={"object_type": 4, **base, **bad})).json()
        assert answer["Status"] == "ERROR", bad
    assert (await http.post("internalnotes", data={"object_type": 4})).status_code == 428


async def test_internal_notes_by_id_and_in_iso8601(http, state):
    identifier = next(iter(state.internal_notes))
    (note,) = (await http.get("internalnotes", params={"id": identifier})).json()
    assert note["id"] == identifier
    iso = await http.get("internalnotes", params={"id": identifier, "date_format": "iso8601"})
    assert iso.json()[0]["created_at"].startswith("20") and "T" in iso.json()[0]["created_at"]


async def test_the_client_does_not_see_a_capital_s_error_by_itself(client):
    """Why the adapter checks `Status` itself: the shared client reads `status` only."""
    answer = await client.delete("internalnotes", {"id": 424242, "author_id": 1})
    assert answer["Status"] == "ERROR"
    with pytest.raises(ApiError) as caught:
        await client.delete("groups", {"id": 424242})
    assert caught.value.code == grpc.StatusCode.NOT_FOUND
