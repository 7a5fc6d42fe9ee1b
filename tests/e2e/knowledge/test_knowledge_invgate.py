"""KnowledgeService on InvGate, end to end: gRPC → service → adapter → sandbox over HTTP."""

from __future__ import annotations

import re

import grpc
import pytest
from e2e_events import decoded, stored_events
from e2e_support import rpc_error, support_by_rpc
from google.protobuf import field_mask_pb2, timestamp_pb2

from deskbridge.runtime.errors import details_of
from deskbridge.sandbox.invgate import knowledge as sandbox_kb
from deskbridge.v1 import backends_pb2, events_pb2
from deskbridge.v1 import knowledge_pb2 as k

AGENT, OTHER_AGENT = 2, 3


def violations(error: grpc.aio.AioRpcError) -> set[str]:
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    return {v.field for v in details_of(error)["BadRequest"].field_violations}


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def remote_id(resource) -> int:
    return int(resource.vendor_record.remote_id)


def new_article(stack, **overrides) -> k.Article:
    fields = dict(
        title="Mapping a network drive",
        content="<p>Open Explorer and choose <em>Map network drive</em>.</p>",
        description="Shared folders on Windows",
        category=stack.name("articleCategories", 3),
        author=stack.name("users", AGENT),
    )
    fields.update(overrides)
    return k.Article(**fields)


async def create_article(stack, **overrides) -> k.Article:
    response = await stack.knowledge.CreateArticle(
        k.CreateArticleRequest(parent=stack.parent, article=new_article(stack, **overrides))
    )
    return response.article


def new_announcement(stack, **overrides) -> k.Announcement:
    fields = dict(
        title="Payroll portal unavailable",
        body="<p>Logins fail with an error 500.</p>",
        importance=k.ANNOUNCEMENT_IMPORTANCE_HIGH,
        affected_help_desks=[stack.name("helpDesks", 1)],
        affected_groups=[stack.name("groups", 2)],
        creator=stack.name("users", AGENT),
    )
    fields.update(overrides)
    return k.Announcement(**fields)


async def create_announcement(stack, **overrides) -> k.Announcement:
    response = await stack.knowledge.CreateAnnouncement(
        k.CreateAnnouncementRequest(
            parent=stack.parent, announcement=new_announcement(stack, **overrides)
        )
    )
    return response.announcement


def plain_words(html_text: str) -> set[str]:
    """Words of a text with its HTML tags removed (an independent reading of 'matches')."""
    return set(re.findall(r"\w+", re.sub(r"<[^>]*>", " ", html_text).lower()))


# ---------------------------------------------------------------------- articles


async def test_article_create_get_update_delete(stack):
    created = await create_article(
        stack, responsible=stack.name("users", OTHER_AGENT), private=True
    )
    record = stack.state.kb_articles[remote_id(created)]
    assert created.name == stack.name("articles", record["id"])
    assert (created.title, created.description) == (record["title"], "Shared folders on Windows")
    assert created.category == stack.name("articleCategories", 3)
    assert created.author == stack.name("users", AGENT)
    assert created.responsible == stack.name("users", OTHER_AGENT)
    assert created.private and created.visibility == k.ARTICLE_VISIBILITY_PRIVATE
    assert created.etag == str(record["last_update_date"])
    assert created.create_time.seconds == record["creation_date"]
    assert created.vendor_record.remote_data["content"] == record["content"]

    got = (await stack.knowledge.GetArticle(k.GetArticleRequest(name=created.name))).article
    assert got == created

    updated = (
        await stack.knowledge.UpdateArticle(
            k.UpdateArticleRequest(
                article=k.Article(name=created.name, title="Mapping drives", private=False),
                update_mask=mask("title", "private"),
                author=stack.name("users", OTHER_AGENT),
            )
        )
    ).article
    assert (updated.title, updated.private) == ("Mapping drives", False)
    assert updated.visibility == k.ARTICLE_VISIBILITY_UNSPECIFIED
    assert updated.content == created.content  # unmasked fields untouched
    assert int(updated.etag) > int(created.etag)

    deleted = (
        await stack.knowledge.DeleteArticle(k.DeleteArticleRequest(name=created.name))
    ).article
    assert deleted == updated  # as it was
    assert remote_id(created) not in stack.state.kb_articles
    error = await rpc_error(stack.knowledge.GetArticle(k.GetArticleRequest(name=created.name)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_article_bad_input_lists_every_violation(stack):
    error = await rpc_error(
        stack.knowledge.CreateArticle(
            k.CreateArticleRequest(parent=stack.parent, article=k.Article(description="x"))
        )
    )
    assert violations(error) == {
        "article.title",
        "article.content",
        "article.category",
        "article.author",
    }
    public = await rpc_error(
        create_article(stack, visibility=k.ARTICLE_VISIBILITY_PUBLIC)  # cannot be set by API
    )
    assert violations(public) == {"article.visibility"}
    other_backend = await rpc_error(
        create_article(stack, category="backends/elsewhere/articleCategories/3")
    )
    assert violations(other_backend) == {"article.category"}

    article = await create_article(stack)
    bad_update = await rpc_error(
        stack.knowledge.UpdateArticle(
            k.UpdateArticleRequest(
                article=k.Article(name=article.name, title=""),
                update_mask=mask("title", "view_count"),
                author=stack.name("users", AGENT),
            )
        )
    )
    assert violations(bad_update) == {"article.title", "update_mask.paths[1]"}
    no_author = await rpc_error(
        stack.knowledge.UpdateArticle(
            k.UpdateArticleRequest(
                article=k.Article(name=article.name, content=""), update_mask=mask("content")
            )
        )
    )
    assert violations(no_author) == {"author", "article.content"}
    not_numeric = await rpc_error(
        stack.knowledge.GetArticle(k.GetArticleRequest(name=stack.name("articles", "abc")))
    )
    assert violations(not_numeric) == {"name"}


async def test_article_references_invgate_does_not_know_are_not_found(stack):
    error = await rpc_error(create_article(stack, category=stack.name("articleCategories", 999)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert details_of(error)["ErrorInfo"].metadata["backend"] == stack.backend
    for call in (
        stack.knowledge.GetArticle(k.GetArticleRequest(name=stack.name("articles", 999))),
        stack.knowledge.DeleteArticle(k.DeleteArticleRequest(name=stack.name("articles", 999))),
        stack.knowledge.UpdateArticle(
            k.UpdateArticleRequest(
                article=k.Article(name=stack.name("articles", 999), title="t"),
                update_mask=mask("title"),
                author=stack.name("users", AGENT),
            )
        ),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND


async def test_batch_get_articles_keeps_order_and_reports_missing(stack):
    ids = sorted(stack.state.kb_articles)[:3][::-1]
    names = [stack.name("articles", i) for i in ids]
    got = await stack.knowledge.BatchGetArticles(
        k.BatchGetArticlesRequest(parent=stack.parent, names=names)
    )
    assert [a.name for a in got.articles] == names
    assert [a.title for a in got.articles] == [stack.state.kb_articles[i]["title"] for i in ids]
    missing = stack.name("articles", 999)
    error = await rpc_error(
        stack.knowledge.BatchGetArticles(
            k.BatchGetArticlesRequest(parent=stack.parent, names=[names[0], missing])
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND and missing in error.details()
    too_many = await rpc_error(
        stack.knowledge.BatchGetArticles(
            k.BatchGetArticlesRequest(parent=stack.parent, names=[names[0]] * 101)
        )
    )
    assert violations(too_many) == {"names"}


async def test_list_articles_pages_through_everything_once_in_order(stack):
    seen, token, pages = [], "", 0
    while True:
        page = await stack.knowledge.ListArticles(
            k.ListArticlesRequest(
                parent=stack.parent,
                page_size=5,
                page_token=token,
                order=k.ARTICLE_ORDER_LAST_UPDATE_DESCENDING,
            )
        )
        seen.extend(remote_id(a) for a in page.articles)
        pages += 1
        token = page.next_page_token
        if not token:
            break
    articles = stack.state.kb_articles.values()
    expected = [r["id"] for r in sorted(articles, key=lambda r: (r["last_update_date"], r["id"]))][
        ::-1
    ]
    assert seen == expected and pages == -(-len(expected) // 5)


async def test_list_articles_of_a_category_and_visibility(stack):
    state = stack.state
    category = state.kb_articles[1]["category_id"]
    listed = await stack.knowledge.ListArticles(
        k.ListArticlesRequest(
            parent=stack.parent, category=stack.name("articleCategories", category)
        )
    )
    assert [remote_id(a) for a in listed.articles] == sorted(
        i for i, r in state.kb_articles.items() if r["category_id"] == category
    )
    for visibility in (k.ARTICLE_VISIBILITY_PUBLIC, k.ARTICLE_VISIBILITY_REGISTERED_USERS):
        filtered = await stack.knowledge.ListArticles(
            k.ListArticlesRequest(
                parent=stack.parent,
                category=stack.name("articleCategories", category),
                visibility=visibility,
            )
        )
        assert {remote_id(a) for a in filtered.articles} == {
            i
            for i, r in state.kb_articles.items()
            if r["category_id"] == category and state.kb_visibility[i] == int(visibility)
        }
    ordered = await rpc_error(
        stack.knowledge.ListArticles(
            k.ListArticlesRequest(
                parent=stack.parent,
                category=stack.name("articleCategories", category),
                order=k.ARTICLE_ORDER_LAST_UPDATE_ASCENDING,
            )
        )
    )
    assert violations(ordered) == {"order"}
    no_category = await rpc_error(
        stack.knowledge.ListArticles(
            k.ListArticlesRequest(parent=stack.parent, visibility=k.ARTICLE_VISIBILITY_PUBLIC)
        )
    )
    assert violations(no_category) == {"visibility"}
    unknown = await rpc_error(
        stack.knowledge.ListArticles(
            k.ListArticlesRequest(
                parent=stack.parent, category=stack.name("articleCategories", 999)
            )
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------------- search


async def test_search_returns_exactly_the_articles_whose_title_or_body_match(stack):
    in_body = await create_article(
        stack, title="Printer drivers", content="<p>Download the zephyrquartz bundle.</p>"
    )
    in_title = await create_article(
        stack, title="The quillfeather scanner", content="<p>Scan to your mailbox.</p>"
    )

    async def search(query: str, **extra) -> list[k.ArticleSearchResult]:
        response = await stack.knowledge.SearchArticles(
            k.SearchArticlesRequest(parent=stack.parent, query=query, **extra)
        )
        return list(response.results)

    body_hits = await search("zephyrquartz")
    assert [r.article.name for r in body_hits] == [in_body.name]
    title_hits = await search("QuillFeather")
    assert [r.article.name for r in title_hits] == [in_title.name]
    both = await search("zephyrquartz quillfeather")
    assert {r.article.name for r in both} == {in_body.name, in_title.name}
    assert [r.score for r in both] == sorted((r.score for r in both), reverse=True)
    assert all(0 < r.score <= 1 for r in both)
    assert await search("nonexistentwordxyz") == []

    # Seeded data: the hits are exactly the articles with "vpn" in the title or body text.
    expected = {
        stack.name("articles", i)
        for i, r in stack.state.kb_articles.items()
        if "vpn" in plain_words(r["title"]) | plain_words(r["content"])
    }
    assert expected and {r.article.name for r in await search("VPN")} == expected

    threshold = max(r.score for r in both)
    strict = await search("zephyrquartz quillfeather", min_score=threshold)
    assert [r.article.name for r in strict] == [
        r.article.name for r in both if r.score >= threshold
    ]
    assert len(await search("zephyrquartz quillfeather", page_size=1)) == 1
    out_of_range = await rpc_error(search("vpn", min_score=1.5))
    assert violations(out_of_range) == {"min_score"}
    assert violations(await rpc_error(search(""))) == {"query"}


# ---------------------------------------------------------------------- attachments


async def test_article_attachments_add_list_delete(stack):
    article = await create_article(stack)
    added = (
        await stack.knowledge.AddArticleAttachments(
            k.AddArticleAttachmentsRequest(
                parent=article.name,
                author=stack.name("users", AGENT),
                files=[
                    k.FileUpload(file_name="steps.pdf", content=b"%PDF-1.4"),
                    k.FileUpload(
                        file_name="screen.png", content=b"\x89PNG", content_type="image/png"
                    ),
                ],
            )
        )
    ).article
    assert [a.file_name for a in added.attachments] == ["steps.pdf", "screen.png"]
    assert int(added.etag) > int(article.etag)
    stored = stack.state.kb_articles[remote_id(article)]["attachments"]
    assert [a.name for a in added.attachments] == [
        f"{article.name}/attachments/{a['id']}" for a in stored
    ]
    listed = await stack.knowledge.ListArticleAttachments(
        k.ListArticleAttachmentsRequest(parent=article.name)
    )
    assert list(listed.attachments) == list(added.attachments)
    assert all(a.url for a in listed.attachments)

    first = added.attachments[0].name
    after = (
        await stack.knowledge.DeleteArticleAttachment(
            k.DeleteArticleAttachmentRequest(name=first, author=stack.name("users", AGENT))
        )
    ).article
    assert [a.file_name for a in after.attachments] == ["screen.png"]
    again = await rpc_error(
        stack.knowledge.DeleteArticleAttachment(k.DeleteArticleAttachmentRequest(name=first))
    )
    assert again.code() == grpc.StatusCode.NOT_FOUND

    empty_file = await rpc_error(
        stack.knowledge.AddArticleAttachments(
            k.AddArticleAttachmentsRequest(
                parent=article.name,
                author=stack.name("users", AGENT),
                files=[k.FileUpload(file_name="a.txt", content=b"x"), k.FileUpload()],
            )
        )
    )
    assert violations(empty_file) == {"files[1].file_name", "files[1].content"}
    unknown = await rpc_error(
        stack.knowledge.ListArticleAttachments(
            k.ListArticleAttachmentsRequest(parent=stack.name("articles", 999))
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------------- categories


async def test_category_tree_create_list_update_delete(stack):
    kb = stack.knowledge

    async def create(name: str, parent: str = "") -> k.ArticleCategory:
        request = k.CreateArticleCategoryRequest(
            parent=stack.parent,
            category=k.ArticleCategory(display_name=name, parent_category=parent),
        )
        return (await kb.CreateArticleCategory(request)).category

    root = await create("Facilities")
    child = await create("Parking", root.name)
    assert child.parent_category == root.name and root.parent_category == ""
    assert stack.state.kb_categories[remote_id(child)]["parent_id"] == remote_id(root)
    got = (await kb.GetArticleCategory(k.GetArticleCategoryRequest(name=child.name))).category
    assert got == child
    batch = await kb.BatchGetArticleCategories(
        k.BatchGetArticleCategoriesRequest(parent=stack.parent, names=[child.name, root.name])
    )
    assert [c.display_name for c in batch.categories] == ["Parking", "Facilities"]

    children = await kb.ListArticleCategories(
        k.ListArticleCategoriesRequest(parent=stack.parent, parent_category=root.name)
    )
    assert [c.name for c in children.categories] == [child.name]
    everything, token = [], ""
    while True:
        page = await kb.ListArticleCategories(
            k.ListArticleCategoriesRequest(parent=stack.parent, page_size=3, page_token=token)
        )
        everything.extend(remote_id(c) for c in page.categories)
        token = page.next_page_token
        if not token:
            break
    assert everything == list(stack.state.kb_categories)

    in_use = await rpc_error(
        kb.DeleteArticleCategory(k.DeleteArticleCategoryRequest(name=root.name))
    )
    assert in_use.code() == grpc.StatusCode.FAILED_PRECONDITION
    cycle = await rpc_error(
        kb.UpdateArticleCategory(
            k.UpdateArticleCategoryRequest(
                category=k.ArticleCategory(name=root.name, parent_category=child.name),
                update_mask=mask("parent_category"),
            )
        )
    )
    assert cycle.code() == grpc.StatusCode.FAILED_PRECONDITION

    moved = (
        await kb.UpdateArticleCategory(
            k.UpdateArticleCategoryRequest(
                category=k.ArticleCategory(name=child.name, display_name="Car parks"),
                update_mask=mask("display_name", "parent_category"),
            )
        )
    ).category
    assert (moved.display_name, moved.parent_category) == ("Car parks", "")
    deleted = (
        await kb.DeleteArticleCategory(k.DeleteArticleCategoryRequest(name=root.name))
    ).category
    assert deleted == root and remote_id(root) not in stack.state.kb_categories
    gone = await rpc_error(kb.GetArticleCategory(k.GetArticleCategoryRequest(name=root.name)))
    assert gone.code() == grpc.StatusCode.NOT_FOUND


async def test_category_bad_input_and_missing(stack):
    kb = stack.knowledge
    seeded = stack.name("articleCategories", next(iter(stack.state.kb_categories)))
    error = await rpc_error(
        kb.CreateArticleCategory(
            k.CreateArticleCategoryRequest(parent=stack.parent, category=k.ArticleCategory())
        )
    )
    assert violations(error) == {"category.display_name"}
    bad_mask = await rpc_error(
        kb.UpdateArticleCategory(
            k.UpdateArticleCategoryRequest(
                category=k.ArticleCategory(name=seeded, display_name=""),
                update_mask=mask("display_name", "vendor_record"),
            )
        )
    )
    assert violations(bad_mask) == {"category.display_name", "update_mask.paths[1]"}
    missing = stack.name("articleCategories", 999)
    for call in (
        kb.BatchGetArticleCategories(
            k.BatchGetArticleCategoriesRequest(parent=stack.parent, names=[seeded, missing])
        ),
        kb.ListArticleCategories(
            k.ListArticleCategoriesRequest(parent=stack.parent, parent_category=missing)
        ),
        kb.DeleteArticleCategory(k.DeleteArticleCategoryRequest(name=missing)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------------- announcements


async def test_announcement_create_get_update_close(stack):
    resolution = timestamp_pb2.Timestamp(seconds=1_900_000_000)
    ticket = stack.name("tickets", next(iter(stack.state.requests)))
    created = await create_announcement(
        stack, estimated_resolution_time=resolution, major_incident=ticket
    )
    record = stack.state.news[remote_id(created)]
    assert created.name == stack.name("announcements", record["id"])
    assert created.importance == k.ANNOUNCEMENT_IMPORTANCE_HIGH
    assert (created.vendor_importance.id, created.vendor_importance.label) == ("1", "High")
    assert created.state == k.ANNOUNCEMENT_STATE_OPEN and created.vendor_state.label == "Open"
    assert list(created.affected_help_desks) == [stack.name("helpDesks", 1)]
    assert list(created.affected_groups) == [stack.name("groups", 2)]
    assert created.estimated_resolution_time == resolution
    assert created.creator == stack.name("users", AGENT) and created.major_incident == ticket
    assert created.create_time.seconds == record["created_at"]
    got = await stack.knowledge.GetAnnouncement(k.GetAnnouncementRequest(name=created.name))
    assert got.announcement == created

    updated = (
        await stack.knowledge.UpdateAnnouncement(
            k.UpdateAnnouncementRequest(
                announcement=k.Announcement(
                    name=created.name,
                    title="Payroll portal degraded",
                    importance=k.ANNOUNCEMENT_IMPORTANCE_LOW,
                    affected_help_desks=[stack.name("helpDesks", 3), stack.name("helpDesks", 4)],
                ),
                update_mask=mask("title", "importance", "affected_help_desks"),
            )
        )
    ).announcement
    assert updated.title == "Payroll portal degraded"
    assert (updated.vendor_importance.id, updated.vendor_importance.label) == ("3", "Low")
    assert record["affected_helpdesk_ids"] == [3, 4]
    assert updated.body == created.body and list(updated.affected_groups) == [
        stack.name("groups", 2)
    ]

    closed = (
        await stack.knowledge.CloseAnnouncement(k.CloseAnnouncementRequest(name=created.name))
    ).announcement
    assert closed.state == k.ANNOUNCEMENT_STATE_CLOSED
    assert (closed.vendor_state.id, closed.vendor_state.label) == ("2", "Closed")
    assert record["status_id"] == 2
    again = await rpc_error(
        stack.knowledge.CloseAnnouncement(k.CloseAnnouncementRequest(name=created.name))
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_announcement_bad_input_and_missing(stack):
    error = await rpc_error(
        stack.knowledge.CreateAnnouncement(
            k.CreateAnnouncementRequest(
                parent=stack.parent, announcement=k.Announcement(title="t", body="b")
            )
        )
    )
    assert violations(error) == {"announcement.importance"}  # the contract's own rule first
    no_target = await rpc_error(
        create_announcement(stack, affected_help_desks=[], affected_groups=[])
    )
    assert violations(no_target) == {"announcement.affected_help_desks"}
    unknown_desk = await rpc_error(
        create_announcement(stack, affected_help_desks=[stack.name("helpDesks", 77)])
    )
    assert unknown_desk.code() == grpc.StatusCode.NOT_FOUND and "77" in unknown_desk.details()
    existing = stack.name("announcements", next(iter(stack.state.news)))
    cannot_clear = await rpc_error(
        stack.knowledge.UpdateAnnouncement(
            k.UpdateAnnouncementRequest(
                announcement=k.Announcement(name=existing),
                update_mask=mask("affected_groups", "major_incident"),
            )
        )
    )
    assert violations(cannot_clear) == {"announcement.affected_groups", "update_mask.paths[1]"}
    missing = stack.name("announcements", 999)
    for call in (
        stack.knowledge.GetAnnouncement(k.GetAnnouncementRequest(name=missing)),
        stack.knowledge.CloseAnnouncement(k.CloseAnnouncementRequest(name=missing)),
        stack.knowledge.ListAnnouncementUpdates(k.ListAnnouncementUpdatesRequest(parent=missing)),
        stack.knowledge.AddAnnouncementUpdate(
            k.AddAnnouncementUpdateRequest(
                parent=missing, update=k.AnnouncementUpdate(body="<p>x</p>")
            )
        ),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND


async def test_announcement_updates_and_a_solution_closes(stack):
    announcement = await create_announcement(stack)
    kb = stack.knowledge
    first = await kb.AddAnnouncementUpdate(
        k.AddAnnouncementUpdateRequest(
            parent=announcement.name,
            update=k.AnnouncementUpdate(
                body="<p>Investigating.</p>", creator=stack.name("users", AGENT)
            ),
        )
    )
    assert first.announcement.state == k.ANNOUNCEMENT_STATE_OPEN
    assert first.update.name == f"{announcement.name}/updates/1"
    assert first.update.creator == stack.name("users", AGENT) and not first.update.is_solution
    solved = await kb.AddAnnouncementUpdate(
        k.AddAnnouncementUpdateRequest(
            parent=announcement.name,
            update=k.AnnouncementUpdate(body="<p>Fixed.</p>", is_solution=True),
        )
    )
    assert solved.announcement.state == k.ANNOUNCEMENT_STATE_CLOSED
    assert solved.update.name == f"{announcement.name}/updates/2" and solved.update.is_solution
    listed = await kb.ListAnnouncementUpdates(
        k.ListAnnouncementUpdatesRequest(parent=announcement.name)
    )
    stored = stack.state.news_updates[remote_id(announcement)]
    assert [u.body for u in listed.updates] == [u["body"] for u in stored]
    assert [u.create_time.seconds for u in listed.updates] == [u["created_at"] for u in stored]
    assert listed.updates[0] == first.update


async def test_list_announcements_and_reference_values(stack):
    kb = stack.knowledge
    seen, token = [], ""
    while True:
        page = await kb.ListAnnouncements(
            k.ListAnnouncementsRequest(parent=stack.parent, page_size=2, page_token=token)
        )
        seen.extend(remote_id(a) for a in page.announcements)
        token = page.next_page_token
        if not token:
            break
    assert seen == list(stack.state.news)
    closed = await kb.ListAnnouncements(
        k.ListAnnouncementsRequest(parent=stack.parent, state=k.ANNOUNCEMENT_STATE_CLOSED)
    )
    assert [remote_id(a) for a in closed.announcements] == [
        i for i, r in stack.state.news.items() if r["status_id"] == 2
    ]
    assert closed.announcements  # the seed has a closed one

    importances = await kb.ListAnnouncementImportances(
        k.ListAnnouncementImportancesRequest(parent=stack.parent)
    )
    assert [(v.id, v.label) for v in importances.importances] == [
        (str(i), n) for i, n in sandbox_kb.NEWS_TYPES.items()
    ]
    statuses = await kb.ListAnnouncementStatuses(
        k.ListAnnouncementStatusesRequest(parent=stack.parent)
    )
    assert [(v.id, v.label) for v in statuses.statuses] == [
        (str(i), n) for i, n in sandbox_kb.NEWS_STATUSES.items()
    ]


# ---------------------------------------------------------------------- capabilities, faults


async def test_backend_service_reports_every_knowledge_rpc_supported(stack):
    support = await support_by_rpc(stack, "KnowledgeService")
    methods = k.DESCRIPTOR.services_by_name["KnowledgeService"].methods_by_name
    assert set(support) == set(methods)
    assert set(support.values()) == {backends_pb2.SUPPORT_SUPPORTED}


async def test_503s_on_reads_are_retried_and_visible_in_the_sandbox_log(stack):
    name = stack.name("articles", next(iter(stack.state.kb_articles)))
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(
        fail_next=[{"key": "kb.articles.by.ids", "method": "GET", "status": 503, "count": 2}]
    )
    got = (await stack.knowledge.GetArticle(k.GetArticleRequest(name=name))).article
    assert got.name == name
    log = await stack.sandbox_log()
    assert [e["status"] for e in log if e["key"] == "kb.articles.by.ids"] == [503, 503, 200]


@pytest.mark.parametrize("key", ["kb.articles", "breakingnews"])
async def test_failed_writes_are_not_retried(stack, key):
    await stack.control.delete("/_sandbox/requests")
    await stack.set_faults(fail_next=[{"key": key, "method": "POST", "status": 503, "count": 1}])
    before = (len(stack.state.kb_articles), len(stack.state.news))
    call = create_article(stack) if key == "kb.articles" else create_announcement(stack)
    error = await rpc_error(call)
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    posts = [e for e in await stack.sandbox_log() if e["key"] == key and e["method"] == "POST"]
    assert len(posts) == 1
    assert (len(stack.state.kb_articles), len(stack.state.news)) == before


# ---------------------------------------------------------------------- events


async def test_each_knowledge_mutation_publishes_exactly_one_event(stack, nats_server):
    kb, agent = stack.knowledge, stack.name("users", AGENT)
    category = (
        await kb.CreateArticleCategory(
            k.CreateArticleCategoryRequest(
                parent=stack.parent,
                request_id="kb-evt-1",
                category=k.ArticleCategory(display_name="Events"),
            )
        )
    ).category
    article = (
        await kb.CreateArticle(
            k.CreateArticleRequest(
                parent=stack.parent, article=new_article(stack, category=category.name)
            )
        )
    ).article
    # reads publish nothing
    await kb.GetArticle(k.GetArticleRequest(name=article.name))
    await kb.SearchArticles(k.SearchArticlesRequest(parent=stack.parent, query="drive"))
    await kb.ListArticleCategories(k.ListArticleCategoriesRequest(parent=stack.parent))
    await kb.UpdateArticle(
        k.UpdateArticleRequest(
            article=k.Article(name=article.name, title="Renamed"),
            update_mask=mask("title"),
            author=agent,
        )
    )
    added = await kb.AddArticleAttachments(
        k.AddArticleAttachmentsRequest(
            parent=article.name, author=agent, files=[k.FileUpload(file_name="a.txt", content=b"a")]
        )
    )
    await kb.DeleteArticleAttachment(
        k.DeleteArticleAttachmentRequest(name=added.article.attachments[0].name)
    )
    await kb.DeleteArticle(k.DeleteArticleRequest(name=article.name))
    await kb.UpdateArticleCategory(
        k.UpdateArticleCategoryRequest(
            category=k.ArticleCategory(name=category.name, display_name="Events 2"),
            update_mask=mask("display_name"),
        )
    )
    await kb.DeleteArticleCategory(k.DeleteArticleCategoryRequest(name=category.name))
    announcement = await create_announcement(stack)
    await kb.UpdateAnnouncement(
        k.UpdateAnnouncementRequest(
            announcement=k.Announcement(name=announcement.name, body="<p>More detail.</p>"),
            update_mask=mask("body"),
        )
    )
    for body in ("<p>Still on it.</p>", "<p>Almost there.</p>"):  # two updates, two events
        await kb.AddAnnouncementUpdate(
            k.AddAnnouncementUpdateRequest(
                parent=announcement.name, update=k.AnnouncementUpdate(body=body)
            )
        )
    await kb.CloseAnnouncement(k.CloseAnnouncementRequest(name=announcement.name))

    messages = await stored_events(nats_server.url, stack.backend)
    prefix = f"deskbridge.{stack.backend}"
    assert [m.subject.removeprefix(prefix + ".") for m in messages] == [
        "article_category.created",
        "article.created",
        "article.updated",
        "article.attachments_changed",
        "article.attachments_changed",
        "article.deleted",
        "article_category.updated",
        "article_category.deleted",
        "announcement.created",
        "announcement.updated",
        "announcement.updated",
        "announcement.updated",
        "announcement.closed",
    ]
    assert len({m.headers["ce-id"] for m in messages}) == len(messages)
    created = decoded(messages[1])
    assert isinstance(created, events_pb2.ArticleEvent)
    assert (
        created.article.name == article.name and created.action == events_pb2.CHANGE_ACTION_CREATED
    )
    assert decoded(messages[0]).request_id == "kb-evt-1"
    assert list(decoded(messages[2]).changed_fields.paths) == ["title"]
    assert decoded(messages[2]).article.title == "Renamed"
    assert len(decoded(messages[3]).article.attachments) == 1
    assert decoded(messages[12]).announcement.state == k.ANNOUNCEMENT_STATE_CLOSED
