"""The sandbox's knowledge-base and Breaking News endpoints, over HTTP (VENDORS.md §1.4-§1.7)."""

from __future__ import annotations

import grpc
import pytest

from deskbridge.runtime.errors import ApiError
from deskbridge.sandbox.invgate.knowledge import NEWS_STATUSES, NEWS_TYPES

ARTICLE_KEYS = {
    "id",
    "title",
    "author_id",
    "content",
    "creation_date",
    "last_update_date",
    "solved_requests",
    "rating",
    "views",
    "category_id",
    "is_private",
    "attachments",
    "responsible_id",
}
NEWS_KEYS = {
    "id",
    "type_id",
    "resolution_time",
    "title",
    "body",
    "affected_helpdesk_ids",
    "affected_group_ids",
    "created_at",
    "created_by_id",
    "status_id",
}


async def create_article(http, **fields) -> int:
    body = {"title": "Badge lost", "content": "<p>Call security.</p>", "author_id": 2}
    body.update(category_id=1, **fields)
    answer = (await http.post("kb.articles", data=body)).json()
    assert answer["status"] == "OK"
    return answer["article_id"]


# ---------------------------------------------------------------------- articles


async def test_articles_list_shape_offset_paging_and_order(http, state):
    rows = (await http.get("kb.articles")).json()
    assert isinstance(rows, list) and [r["id"] for r in rows] == sorted(state.kb_articles)
    first = rows[0]
    assert ARTICLE_KEYS <= set(first)
    assert isinstance(first["creation_date"], int) and isinstance(first["is_private"], bool)
    assert all(set(a) == {"id", "name", "url"} for r in rows for a in r["attachments"])
    window = (await http.get("kb.articles", params={"limit": 3, "offset": 2})).json()
    assert [r["id"] for r in window] == [r["id"] for r in rows[2:5]]
    # as the spec writes them: order_by names the attribute, sort_by the direction
    newest = (
        await http.get("kb.articles", params={"order_by": "last_update_date", "sort_by": "desc"})
    ).json()
    dates = [r["last_update_date"] for r in newest]
    assert dates == sorted(dates, reverse=True)
    assert (await http.get("kb.articles", params={"sort_by": "title"})).status_code == 428


async def test_articles_observed_page_style_is_wrapped(http, state):
    body = (await http.get("kb.articles", params={"page": 2, "page_size": 4})).json()
    assert body["status"] == "OK"
    assert [r["id"] for r in body["data"]] == sorted(state.kb_articles)[4:8]
    category = state.kb_articles[1]["category_id"]
    by_category = (
        await http.get("kb.articles", params={"page": 1, "page_size": 50, "category_id": category})
    ).json()
    assert {r["id"] for r in by_category["data"]} == {
        i for i, r in state.kb_articles.items() if r["category_id"] == category
    }


async def test_article_create_update_delete(http, state):
    identifier = await create_article(http, is_private=1, description="How to")
    record = state.kb_articles[identifier]
    assert record["is_private"] is True and record["responsible_id"] == 2  # defaults to author
    before = record["last_update_date"]
    put = await http.put("kb.articles", data={"id": identifier, "author_id": 3, "title": "Lost"})
    assert put.json() == {"status": "OK"}
    assert record["title"] == "Lost" and record["last_update_date"] > before
    assert (await http.put("kb.articles", data={"id": identifier, "title": "x"})).status_code == 428
    assert (await http.delete("kb.articles", params={"id": identifier})).json()["status"] == "OK"
    assert identifier not in state.kb_articles
    again = await http.delete("kb.articles", params={"id": identifier})
    assert again.status_code == 200 and again.json()["status"] == "ERROR"


async def test_article_create_needs_its_parameters_and_known_references(http):
    missing = await http.post("kb.articles", data={"title": "t", "content": "c", "author_id": 2})
    assert missing.status_code == 428 and "category_id" in missing.json()["error"]
    unknown = await http.post(
        "kb.articles", data={"title": "t", "content": "c", "author_id": 2, "category_id": 99}
    )
    assert unknown.status_code == 200 and unknown.json()["status"] == "ERROR"


async def test_articles_by_ids_skips_unknown_and_wants_an_array(http, state):
    ids = sorted(state.kb_articles)[:2]
    rows = (await http.get("kb.articles.by.ids", params=[("ids[]", i) for i in [*ids, 999]])).json()
    assert [r["id"] for r in rows] == ids
    assert (await http.get("kb.articles.by.ids", params={"ids": "1,2"})).status_code == 428


async def test_articles_by_category_with_visibility(http, state):
    category = state.kb_articles[1]["category_id"]
    for visibility in (1, 2, 3):
        rows = (
            await http.get(
                "kb.articles.by.category",
                params={"category_id": category, "visibility": visibility},
            )
        ).json()
        assert {r["id"] for r in rows} == {
            i
            for i, r in state.kb_articles.items()
            if r["category_id"] == category and state.kb_visibility[i] == visibility
        }
    assert (await http.get("kb.articles.by.category")).status_code == 428
    bad = await http.get("kb.articles.by.category", params={"category_id": 1, "visibility": 4})
    assert bad.status_code == 428


# ---------------------------------------------------------------------- keyword search


async def test_keyword_search_matches_title_or_body_only(http, state):
    body_only = await create_article(
        http, title="Desk phones", content="<p>Dial 9 for zorbulite</p>"
    )
    title_only = await create_article(
        http, title="Cleaning the frobnicator", content="<p>Wipe.</p>"
    )

    async def ids(keywords: str, **extra) -> list[int]:
        rows = (
            await http.get("kb.articles.by.keywords", params={"keywords": keywords, **extra})
        ).json()
        assert all(0 < r["search_scoring"] <= 1 for r in rows)
        return [r["id"] for r in rows]

    assert await ids("zorbulite") == [body_only]
    assert await ids("FROBNICATOR") == [title_only]
    both = (
        await http.get("kb.articles.by.keywords", params={"keywords": "zorbulite frobnicator"})
    ).json()
    assert {r["id"] for r in both} == {body_only, title_only}
    scores = [r["search_scoring"] for r in both]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]  # title weighs more
    assert await ids("zorbulite frobnicator", min_search_scoring=scores[0]) == [both[0]["id"]]
    assert len(await ids("zorbulite frobnicator", limit=1)) == 1
    assert await ids("strong") == []  # HTML tags are not words of the content
    assert (await http.get("kb.articles.by.keywords")).status_code == 428
    too_high = await http.get(
        "kb.articles.by.keywords", params={"keywords": "vpn", "min_search_scoring": 2}
    )
    assert too_high.status_code == 428


# ---------------------------------------------------------------------- attachments


async def test_article_attachments_list_add_delete(http, state):
    with_files = next(i for i, r in state.kb_articles.items() if r["attachments"])
    listed = (await http.get("kb.articles.attachments", params={"article_id": with_files})).json()
    assert [a["id"] for a in listed] == [
        a["id"] for a in state.kb_articles[with_files]["attachments"]
    ]
    assert all(a["status"] == "OK" and a["name"] and a["url"] for a in listed)  # documented shape

    identifier = await create_article(http)
    as_json = await http.post(
        "kb.articles.attachments",
        json={
            "article_id": identifier,
            "author_id": 2,
            "attachments": [{"name": "a.pdf", "content": "JVBERi0="}],
        },
    )
    as_form = await http.post(
        "kb.articles.attachments",
        data={"article_id": identifier, "author_id": 2, "attachments[]": "b.png"},
    )
    assert as_json.json() == {"status": "OK"} and as_form.json() == {"status": "OK"}
    names = [a["name"] for a in state.kb_articles[identifier]["attachments"]]
    assert names == ["a.pdf", "b.png"]
    nothing = await http.post(
        "kb.articles.attachments", data={"article_id": identifier, "author_id": 2}
    )
    assert nothing.json()["status"] == "ERROR"
    first = state.kb_articles[identifier]["attachments"][0]["id"]
    params = {"article_id": identifier, "attachment_id": first}
    assert (await http.delete("kb.articles.attachments", params=params)).json()["status"] == "OK"
    assert (await http.delete("kb.articles.attachments", params=params)).json()["status"] == "ERROR"
    assert (
        await http.delete("kb.articles.attachments", params={"article_id": identifier})
    ).status_code == 428


# ---------------------------------------------------------------------- categories


async def test_categories_shape_create_update_by_ids(http, state):
    rows = (await http.get("kb.categories")).json()
    assert [set(r) for r in rows] == [{"id", "parent_id", "name"}] * len(state.kb_categories)
    created = (await http.post("kb.categories", data={"name": "Mobile", "parent_id": 1})).json()
    assert created["status"] == "OK" and isinstance(created["category_id"], str)  # documented
    identifier = int(created["category_id"])
    assert state.kb_categories[identifier] == {"id": identifier, "parent_id": 1, "name": "Mobile"}
    put = await http.put("kb.categories", data={"id": identifier, "name": "Phones", "parent_id": 0})
    assert put.json()["status"] == "OK"
    assert state.kb_categories[identifier] == {
        "id": identifier,
        "parent_id": None,
        "name": "Phones",
    }
    cycle = await http.put("kb.categories", data={"id": 1, "parent_id": 2})  # 2 is a child of 1
    assert cycle.json()["status"] == "ERROR"
    by_ids = (
        await http.get("kb.categories.by.ids", params=[("ids[]", identifier), ("ids[]", 99)])
    ).json()
    assert [r["name"] for r in by_ids] == ["Phones"]
    unknown_parent = await http.post("kb.categories", data={"name": "x", "parent_id": 99})
    assert unknown_parent.json()["status"] == "ERROR"


async def test_deleting_a_category_in_use_is_a_logic_error(http, state):
    parent = next(c["parent_id"] for c in state.kb_categories.values() if c["parent_id"])
    with_articles = next(iter(state.kb_articles.values()))["category_id"]
    for identifier in (parent, with_articles):
        answer = await http.delete("kb.categories", params={"id": identifier})
        assert answer.status_code == 200 and answer.json()["status"] == "ERROR"
        assert identifier in state.kb_categories
    empty = int((await http.post("kb.categories", data={"name": "Empty"})).json()["category_id"])
    assert (await http.delete("kb.categories", params={"id": empty})).json() == {"status": "OK"}
    assert empty not in state.kb_categories


# ---------------------------------------------------------------------- Breaking News


async def test_breaking_news_shapes_and_date_format(http, state):
    every = (await http.get("breakingnews.all")).json()
    assert [n["id"] for n in every] == list(state.news)
    assert all(NEWS_KEYS <= set(n) for n in every)
    one = (await http.get("breakingnews", params={"id": every[0]["id"]})).json()
    assert one == every[0] and isinstance(one["created_at"], int)
    iso = await http.get("breakingnews", params={"id": one["id"], "date_format": "iso8601"})
    assert iso.json()["created_at"].startswith("20")
    missing = await http.get("breakingnews", params={"id": 999})
    assert missing.status_code == 404
    assert any(n["status_id"] == 2 for n in every)  # the seed has a closed one
    updates = (await http.get("breakingnews.status", params={"id": one["id"]})).json()
    assert updates and all(set(u) == {"body", "created_at", "creator_id"} for u in updates)


async def test_breaking_news_create_needs_a_target_and_a_known_type(http, state):
    base = {"type_id": 2, "title": "Slow VPN", "body": "<p>Slow</p>"}
    no_target = await http.post("breakingnews", data=base)
    assert no_target.json()["status"] == "ERROR"
    bad_type = await http.post(
        "breakingnews", data={**base, "type_id": 7, "affected_helpdesk_ids[]": 1}
    )
    assert bad_type.json()["status"] == "ERROR"
    assert (await http.post("breakingnews", data={"title": "t", "body": "b"})).status_code == 428
    group = next(iter(state.groups))
    created = (
        await http.post(
            "breakingnews", data={**base, "affected_group_ids[]": group, "creator_id": 2}
        )
    ).json()
    assert created["status"] == "OK"
    record = state.news[created["id"]]
    assert (record["affected_group_ids"], record["status_id"], record["created_by_id"]) == (
        [group],
        1,
        2,
    )


async def test_breaking_news_update_close_and_solution_update(http, state):
    identifier = (
        await http.post(
            "breakingnews",
            data={"type_id": 1, "title": "Down", "body": "b", "affected_helpdesk_ids[]": 2},
        )
    ).json()["id"]
    record = state.news[identifier]
    put = await http.put("breakingnews", data={"id": identifier, "type_id": 3, "status_id": 2})
    assert put.json()["status"] == "OK" and (record["type_id"], record["status_id"]) == (3, 2)
    assert (await http.put("breakingnews", data={"id": identifier, "status_id": 5})).json()[
        "status"
    ] == "ERROR"
    await http.put("breakingnews", data={"id": identifier, "status_id": 1})
    note = await http.post("breakingnews.status", data={"id": identifier, "body": "Looking"})
    assert note.json()["status"] == "OK" and record["status_id"] == 1
    fixed = {"id": identifier, "body": "Fixed", "is_solution": 1, "creator_id": 2}
    await http.post("breakingnews.status", data=fixed)
    assert record["status_id"] == 2  # a solution update closes
    times = [u["created_at"] for u in state.news_updates[identifier]]
    assert times == sorted(set(times))  # strictly increasing: each update is a distinct change


@pytest.mark.parametrize(
    ("key", "table"),
    [
        ("breakingnews.attributes.type", NEWS_TYPES),
        ("breakingnews.attributes.status", NEWS_STATUSES),
    ],
)
async def test_breaking_news_attributes(http, key, table):
    rows = (await http.get(key)).json()
    assert rows == [{"id": i, "name": n} for i, n in table.items()]
    assert (await http.get(key, params={"id": 2})).json() == [{"id": 2, "name": table[2]}]


# ---------------------------------------------------------------------- adapter client


async def test_adapter_client_maps_knowledge_errors(client):
    with pytest.raises(ApiError) as missing:
        await client.get("breakingnews", {"id": 999})
    assert missing.value.code == grpc.StatusCode.NOT_FOUND
    with pytest.raises(ApiError) as in_use:
        await client.delete("kb.categories", {"id": 1})
    assert in_use.value.code == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(ApiError) as unknown_article:
        await client.get("kb.articles.attachments", {"article_id": 999})
    assert unknown_article.value.code == grpc.StatusCode.NOT_FOUND
    assert await client.get("kb.articles.by.keywords", {"keywords": "nothingmatcheshere"}) == []
