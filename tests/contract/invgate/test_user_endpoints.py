"""The sandbox's user endpoints behave as InvGate's (VENDORS.md §1.4 "Users", §1.5, §1.6)."""

from __future__ import annotations

import base64
import hashlib
import json

import grpc
import pytest

from deskbridge.runtime.errors import ApiError
from deskbridge.sandbox.invgate.users import accounts

NEW_USER = {"name": "Rosa", "lastname": "Quiroga", "email": "rosa.quiroga@example.com"}


def live(state) -> list[int]:
    return sorted(i for i, u in state.users.items() if not u["is_deleted"] and not u["is_disabled"])


async def test_user_get_hides_disabled_and_deleted_users(http, state):
    body = (await http.get("user", params={"id": 101})).json()
    assert body["id"] == 101 and body["email"] == state.users[101]["email"]
    assert (body["user_type"], body["type"]) == (2, 4)
    agent = (await http.get("user", params={"id": 2})).json()
    assert (agent["user_type"], agent["type"]) == (1, 1)

    state.users[101]["is_disabled"] = True
    assert (await http.get("user", params={"id": 101})).status_code == 404
    shown = await http.get("user", params={"id": 101, "include_disabled": 1})
    assert shown.json()["is_disabled"] is True

    state.users[101]["is_deleted"] = True
    gone = await http.get("user", params={"id": 101, "include_disabled": 1})
    assert gone.status_code == 404 and gone.json() == {"error": "User not found", "status": 404}
    assert (await http.get("user")).status_code == 428


async def test_users_is_a_flat_array_filtered_by_ids(http, state):
    body = (await http.get("users", params=[("ids[]", 3), ("ids[]", 100), ("ids[]", 9999)])).json()
    assert [u["id"] for u in body] == [3, 100]
    state.users[3]["is_disabled"] = True
    state.users[4]["is_deleted"] = True
    everyone = (await http.get("users")).json()
    assert sorted(u["id"] for u in everyone) == live(state)
    with_disabled = (await http.get("users", params={"include_disabled": 1})).json()
    assert 3 in {u["id"] for u in with_disabled} and 4 not in {u["id"] for u in with_disabled}
    assert (await http.get("users", params={"ids": "3,100"})).status_code == 428


async def test_create_user_takes_the_documented_names_and_answers_the_user_object(http, state):
    response = await http.post(
        "user",
        data={
            **NEW_USER,
            "other-email": "rosa@home.example",
            "localization": "Rosario",
            "mobile": "+54 9 341 555",
            "manager_id": 2,
            "is_external": 1,
            "pass": "s3cret-Pass!",
            "force_password_change": 1,
            "send_set_password_email": 1,
        },
    )
    user = response.json()
    assert user["id"] in state.users and state.users[user["id"]] == user
    assert (user["other_email"], user["location"], user["mobile"]) == (
        "rosa@home.example",
        "Rosario",
        "+54 9 341 555",
    )
    assert user["username"] == NEW_USER["email"]  # the login defaults to the email
    assert (user["manager_id"], user["is_external"], user["user_type"]) == (2, True, 2)
    assert "s3cret-Pass!" not in response.text and "pass" not in user
    login = accounts(state)[user["id"]]
    assert login["password_sha256"] == hashlib.sha256(b"s3cret-Pass!").hexdigest()
    assert login["force_password_change"] is True
    assert [e["type"] for e in login["emails"]] == ["NEW_USER"]


@pytest.mark.parametrize("missing", ["name", "lastname", "email"])
async def test_create_user_without_a_required_parameter_is_428(http, missing):
    fields = {k: v for k, v in NEW_USER.items() if k != missing}
    response = await http.post("user", data=fields)
    assert response.status_code == 428 and missing in response.json()["error"]


async def test_create_user_refuses_a_taken_email_or_an_unknown_manager(http, state):
    taken = await http.post("user", data={**NEW_USER, "email": state.users[100]["email"]})
    assert taken.status_code == 200 and taken.json()["status"] == "ERROR"
    assert "already exists" in taken.json()["info"]
    orphan = await http.post("user", data={**NEW_USER, "manager_id": 4242})
    assert orphan.json()["info"] == "The user 4242 does not exist"


async def test_update_user_sets_and_clears_fields_and_answers_status(http, state):
    response = await http.put(
        "user",
        data={
            "id": 102,
            "city": "Córdoba",
            "other-email": "x@y.example",
            "phone": "",
            "language": "pt",
        },
    )
    assert response.json()["status"] == "OK"
    user = state.users[102]
    assert (user["city"], user["other_email"], user["phone"]) == ("Córdoba", "x@y.example", None)
    assert accounts(state)[102]["language"] == "pt"
    assert "language" not in user  # the user object does not carry it

    bad_language = await http.put("user", data={"id": 102, "language": "xx"})
    assert bad_language.json()["status"] == "ERROR"
    assert (await http.put("user", data={"id": 102, "name": ""})).status_code == 428
    clash = await http.put("user", data={"id": 102, "username": state.users[103]["username"]})
    assert clash.json()["status"] == "ERROR"
    unknown = await http.put("user", data={"id": 4242, "city": "x"})
    assert unknown.json()["info"] == "The user 4242 does not exist"


async def test_deleted_users_are_gone_from_every_lookup(http, state):
    email = state.users[104]["email"]
    assert (await http.delete("user", params={"id": 104})).json()["status"] == "OK"
    assert state.users[104]["is_deleted"] is True  # the record stays for old tickets
    assert (await http.get("user", params={"id": 104})).status_code == 404
    assert (await http.get("user.by", params={"email": email})).status_code == 404
    assert (await http.get("users.by", params={"email": email})).json()["data"] == []
    assert (await http.get("users", params={"ids[]": 104})).json() == []
    assert (await http.get("users.groups", params={"ids[]": 104})).json() == []
    again = await http.delete("user", params={"id": 104})
    assert again.json()["info"] == "The user 104 does not exist"


async def test_user_by_username_or_email_answers_one_object(http, state):
    target = state.users[105]
    by_email = (await http.get("user.by", params={"email": target["email"]})).json()
    by_username = (await http.get("user.by", params={"username": target["username"]})).json()
    assert by_email == by_username == target
    assert (await http.get("user.by")).json()["status"] == "ERROR"
    assert (await http.get("user.by", params={"email": "nobody@example.com"})).status_code == 404
    target["is_disabled"] = True
    assert (await http.get("user.by", params={"email": target["email"]})).status_code == 404


async def test_users_by_is_keyed_by_id_ten_per_page_with_a_keyset(http, state):
    seen, key, pages = [], None, 0
    while True:
        body = (await http.get("users.by", params={"phones": "4000", "page_key": key})).json()
        assert isinstance(body["data"], dict) and len(body["data"]) <= 10
        assert all(body["data"][k]["id"] == int(k) for k in body["data"])
        seen += [int(k) for k in body["data"]]
        pages, key = pages + 1, body["next_page_key"]
        if key is None:
            break
        assert json.loads(base64.b64decode(key)) == {"last_id": seen[-1]}
    assert seen == live(state) and pages == -(-len(seen) // 10)


async def test_users_by_filters_contained_or_exact(http, state):
    state.users[106]["office"] = "+54 11 5555 0001"
    state.users[107]["office"] = "+54 11 5555 0001 int 2"
    contained = (await http.get("users.by", params={"office_phone": "5555 0001"})).json()
    assert sorted(int(k) for k in contained["data"]) == [106, 107]
    exact = (
        await http.get("users.by", params={"phones": "+54 11 5555 0001", "exact_match": 1})
    ).json()
    assert list(exact["data"]) == ["106"]
    number = state.users[108]["employee_number"]
    by_number = (await http.get("users.by", params={"employee_number": number})).json()
    assert list(by_number["data"]) == ["108"]
    state.users[106]["is_disabled"] = True
    hidden = (await http.get("users.by", params={"office_phone": "5555 0001"})).json()
    assert list(hidden["data"]) == ["107"]
    shown = (
        await http.get("users.by", params={"office_phone": "5555 0001", "include_disabled": 1})
    ).json()
    assert sorted(shown["data"]) == ["106", "107"]
    assert (await http.get("users.by")).json()["status"] == "ERROR"  # a filter is required


async def test_users_by_extended_pages_by_number_and_searches(http, state):
    everyone = (await http.get("users.by.extended", params={"page": 1, "page_size": 500})).json()
    assert set(everyone) == {"data"} and len(everyone["data"]) == min(100, len(live(state)))
    second = (await http.get("users.by.extended", params={"page": 2, "page_size": 7})).json()
    assert [int(k) for k in second["data"]] == live(state)[7:14]
    surname = state.users[110]["lastname"]
    found = (await http.get("users.by.extended", params={"page": 1, "search": surname})).json()
    assert found["data"] and all(u["lastname"] == surname for u in found["data"].values())
    cursor = (await http.get("users.by.extended", params={"page_size": 5})).json()
    assert len(cursor["data"]) == 5 and cursor["next_page_key"] is not None


async def test_users_groups_shape(http, state):
    uid = (await http.post("user", data=NEW_USER)).json()["id"]  # in nothing seeded
    state.groups[900] = {"id": 900, "name": "Ops", "total": 1}
    state.companies[70] = {"id": 70, "name": "Acme", "external_id": None, "total": 0}
    state.locations[80] = {"id": 80, "name": "HQ", "parent_id": None, "total": 1}
    state.members[("groups", 900)] = [uid]
    state.members[("locations", 80)] = [uid]
    state.members[("helpdesks", 3)] = [uid]
    state.levels[11]["members_ids"].append(uid)
    state.observers_of[("companies", 70)] = {"observer_users": [uid], "observer_groups": []}
    state.observers_of[("levels", 22)] = {"observer_users": [uid], "observer_groups": []}
    body = (await http.get("users.groups", params=[("ids[]", uid), ("ids[]", 9999)])).json()
    assert len(body) == 1
    entry = body[0]
    assert (entry["id"], entry["email"]) == (uid, NEW_USER["email"])
    assert entry["groups"] == {"900": state.groups[900]}  # a map keyed by id, full records
    assert sorted(entry["helpdesks"]) == ["11", "3"]
    assert entry["helpdesks"]["11"]["parent_id"] == 1  # a level, under help desk 1
    assert entry["locations"] == [{"id": 80, "name": "HQ"}]
    assert entry["companies_observed"] == [{"id": 70, "name": "Acme"}]
    assert list(entry["helpdesks_observed"]) == ["22"]
    assert entry["companies"] == [] and entry["groups_observed"] == []  # PHP empty arrays
    assert (await http.get("users.groups")).status_code == 428


async def test_disable_enable_and_convert(http, state):
    assert (await http.put("user.disable", data={"id": 112})).json()["status"] == "OK"
    assert state.users[112]["is_disabled"] is True
    await http.put("user.enable", data={"id": 112})
    assert state.users[112]["is_disabled"] is False
    internal = await http.post("user.convert", data={"id": 112})
    assert internal.json()["status"] == "ERROR" and "not an external" in internal.json()["info"]
    state.users[112]["is_external"] = True
    assert (await http.post("user.convert", data={"id": 112})).json()["status"] == "OK"
    assert state.users[112]["is_external"] is False
    assert [e["type"] for e in accounts(state)[112]["emails"]] == ["NEW_USER"]
    assert (await http.get("user.disable", params={"id": 112})).status_code == 405


async def test_password_change_and_reset(http, state):
    response = await http.put(
        "user.password", data={"id": 113, "password": "N3w-pass", "force_password_change": 1}
    )
    assert response.json()["status"] == "OK" and "N3w-pass" not in response.text
    login = accounts(state)[113]
    assert login["password_sha256"] == hashlib.sha256(b"N3w-pass").hexdigest()
    assert login["force_password_change"] is True
    assert (await http.put("user.password", data={"id": 113})).status_code == 428

    await http.post("user.password.reset", data={"id": 113, "type": "RESET_PASSWORD"})
    assert [e["type"] for e in login["emails"]] == ["RESET_PASSWORD"]
    wrong = await http.post("user.password.reset", data={"id": 113, "type": "SOMETHING"})
    assert wrong.json()["status"] == "ERROR"
    assert (await http.post("user.password.reset", data={"id": 113})).status_code == 428
    state.users[113]["is_disabled"] = True
    disabled = await http.post("user.password.reset", data={"id": 113, "type": "NEW_USER"})
    assert disabled.json()["info"] == "The user 113 is disabled"
    assert len(login["emails"]) == 1


async def test_user_token(http, state):
    first = (await http.post("user.token", data={"id": 114})).json()
    second = (await http.post("user.token", data={"id": 114})).json()
    assert len(first["token"]) == 40 and first["token"] != second["token"]
    assert (await http.post("user.token", data={"id": 4242})).json()["status"] == "ERROR"


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda c: c.get("user", {"id": 4242}), grpc.StatusCode.NOT_FOUND),
        (lambda c: c.put("user.disable", {"id": 4242}), grpc.StatusCode.NOT_FOUND),
        (lambda c: c.post("user.convert", {"id": 100}), grpc.StatusCode.FAILED_PRECONDITION),
        (lambda c: c.get("users.groups", {}), grpc.StatusCode.INVALID_ARGUMENT),
    ],
)
async def test_the_adapter_client_maps_user_errors(client, call, code):
    with pytest.raises(ApiError) as caught:
        await call(client)
    assert caught.value.code == code
