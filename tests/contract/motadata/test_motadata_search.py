"""`POST /api/v1/request/search/byqual` (VENDORS.md §2.4): quals, paging, sorting."""

from __future__ import annotations

import pytest


def requests_of(md) -> list[dict]:
    return list(md.state.requests.values())


async def test_an_empty_body_selects_everything(md):
    response = await md.search(None)
    assert response.status_code == 200
    body = response.json()
    assert body["totalCount"] == 40
    assert len(body["objectList"]) == 25  # the default size
    assert set(body["objectList"][0]) >= {"id", "name", "statusId", "updatedTime"}
    empty = await md.api.post("request/search/byqual", json={"qualDetails": None})
    assert empty.json()["totalCount"] == 40


async def test_equal_on_property_and_db_operands(md):
    for operand in ("Property", "Db"):
        quals = [md.qual("request.statusId", "equal", "LongValueRest", 9, operand)]
        ids = await md.ids(quals)
        assert ids == [r["id"] for r in requests_of(md) if r["statusId"] == 9]
        assert ids
    db_id = await md.ids([md.qual("id", "equal", "LongValueRest", 7, "Db")])
    assert db_id == [7]


async def test_keys_may_drop_the_module_prefix(md):
    with_prefix = await md.ids([md.qual("request.priorityId", "equal", "LongValueRest", 2)])
    without = await md.ids([md.qual("priorityId", "equal", "LongValueRest", 2)])
    assert with_prefix == without
    assert with_prefix == [r["id"] for r in requests_of(md) if r["priorityId"] == 2]


async def test_in_and_not_in(md):
    inside = await md.ids([md.qual("request.statusId", "in", "ListLongValueRest", [9, 10])])
    outside = await md.ids([md.qual("request.statusId", "not_in", "ListLongValueRest", [9, 10])])
    assert inside == [r["id"] for r in requests_of(md) if r["statusId"] in (9, 10)]
    assert sorted(inside + outside) == sorted(md.state.requests)
    assert inside and outside
    names = await md.ids([md.qual("statusName", "in", "ListStringValueRest", ["Open", "Closed"])])
    assert names == [r["id"] for r in requests_of(md) if r["statusName"] in ("Open", "Closed")]


async def test_contains_on_text_is_a_case_insensitive_substring(md):
    md.state.requests[6]["subject"] = "The VPN gateway is DOWN"
    ids = await md.ids([md.qual("subject", "contains", "StringValueRest", "vpn GATEWAY")])
    assert ids == [6]


async def test_contains_on_a_list_is_membership(md):
    md.state.requests[8]["tags"] = ["Printer", "floor-2"]
    md.state.requests[9]["tags"] = ["printers"]
    ids = await md.ids([md.qual("request.tags", "contains", "StringValueRest", "printer")])
    assert 8 in ids and 9 not in ids


async def test_enum_values_are_text(md):
    ids = await md.ids([md.qual("request.statusName", "equal", "EnumValueRest", "Pending")])
    assert ids == [r["id"] for r in requests_of(md) if r["statusName"] == "Pending"]
    assert ids


async def test_boolean_values(md):
    md.state.requests[10]["spam"] = True
    assert await md.ids([md.qual("spam", "equal", "BooleanValueRest", True)]) == [10]


@pytest.mark.parametrize(
    ("operator", "test"),
    [
        ("greater_than", lambda v, t: v > t),
        ("less_than", lambda v, t: v < t),
        ("greater_than_or_equal", lambda v, t: v >= t),
        ("less_than_or_equal", lambda v, t: v <= t),
    ],
)
async def test_ordering_operators_on_updated_time(md, operator, test):
    times = sorted(r["updatedTime"] for r in requests_of(md))
    pivot = times[len(times) // 2]
    ids = await md.ids([md.qual("request.updatedTime", operator, "LongValueRest", pivot)])
    assert ids == [r["id"] for r in requests_of(md) if test(r["updatedTime"], pivot)]
    assert 0 < len(ids) < 40


async def test_quals_are_anded(md):
    quals = [
        md.qual("request.statusId", "in", "ListLongValueRest", [9, 10, 11]),
        md.qual("request.priorityId", "equal", "LongValueRest", 1),
    ]
    ids = await md.ids(quals)
    expected = [
        r["id"] for r in requests_of(md) if r["statusId"] in (9, 10, 11) and r["priorityId"] == 1
    ]
    assert ids == expected
    assert len(ids) < len(await md.ids(quals[:1]))


async def test_paging_with_offset_and_size(md):
    seen: list[int] = []
    for offset in range(0, 40, 7):
        body = (await md.search(None, offset=offset, size=7)).json()
        assert body["totalCount"] == 40
        assert len(body["objectList"]) == min(7, 40 - offset)
        seen += [r["id"] for r in body["objectList"]]
    assert len(seen) == len(set(seen)) == 40
    past = (await md.search(None, offset=100, size=7)).json()
    assert past == {"objectList": [], "totalCount": 40}


async def test_sort_by_ascending_and_descending(md):
    default = await md.ids()
    by_created = sorted(requests_of(md), key=lambda r: (r["createdTime"], r["id"]))
    assert default == [r["id"] for r in by_created]
    updated = await md.ids(sort_by="updatedTime")
    assert updated == [r["id"] for r in sorted(requests_of(md), key=lambda r: r["updatedTime"])]
    descending = await md.ids(sort_by="-updatedTime")
    assert descending == updated[::-1]
    by_id_desc = await md.ids(sort_by="-id")
    assert by_id_desc == sorted(md.state.requests, reverse=True)


async def test_size_is_capped_at_max_page_size(start):
    md = await start(max_page_size=10)
    body = (await md.search(None, size=2000)).json()
    assert len(body["objectList"]) == 10
    assert body["totalCount"] == 40


async def test_the_default_cap_allows_2000(md):
    body = (await md.search(None, size=2000)).json()
    assert len(body["objectList"]) == 40


async def test_ordering_operators_can_be_refused(start):
    md = await start(ordering_operators=False)
    response = await md.search([md.qual("updatedTime", "greater_than", "LongValueRest", 0)])
    assert response.status_code == 400
    assert "unsupported operator" in response.json()["message"]
    ok = await md.search([md.qual("statusId", "equal", "LongValueRest", 9)])
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("quals", "words"),
    [
        ([("request.nope", "equal", "LongValueRest", 1)], "unknown key"),
        ([("change.statusId", "equal", "LongValueRest", 1)], "unknown key"),
        ([("statusId", "between", "LongValueRest", 1)], "unsupported operator"),
        ([("statusId", "equal", "FloatValueRest", 1)], "unsupported value type"),
        ([("statusId", "equal", "LongValueRest", "9")], "bad value"),
        ([("statusId", "in", "LongValueRest", 9)], "list"),
        ([("statusId", "equal", "StringValueRest", "9")], "does not fit"),
        ([("statusId", "contains", "LongValueRest", 9)], "contains"),
        ([("subject", "greater_than", "StringValueRest", "a")], "needs a number key"),
    ],
)
async def test_bad_quals_are_400(md, quals, words):
    response = await md.search([md.qual(*q) for q in quals])
    assert response.status_code == 400
    assert words in response.json()["message"]


async def test_bad_shapes_and_parameters_are_400(md):
    bad_bodies = [
        {"qualDetails": {"type": "BinaryQualificationRest", "quals": []}},
        {"qualDetails": {"type": "FlatQualificationRest", "quals": [{"type": "Other"}]}},
        [],
    ]
    for body in bad_bodies:
        response = await md.api.post("request/search/byqual", json=body)
        assert response.status_code == 400, body
    for params in ({"offset": -1}, {"size": -5}, {"size": "many"}, {"sort_by": "nope"}):
        response = await md.api.post("request/search/byqual", params=params, json={})
        assert response.status_code == 400, params
    no_body = await md.api.post("request/search/byqual")
    assert no_body.status_code == 400
    not_json = await md.api.post("request/search/byqual", content=b"{nope")
    assert not_json.status_code == 400


async def test_polling_by_updated_time_sees_a_change(md):
    since = max(r["updatedTime"] for r in requests_of(md))
    quals = [md.qual("request.updatedTime", "greater_than_or_equal", "LongValueRest", since + 1)]
    assert await md.ids(quals) == []
    await md.api.patch("request/12", json={"priorityName": "Urgent"})
    assert await md.ids(quals) == [12]
