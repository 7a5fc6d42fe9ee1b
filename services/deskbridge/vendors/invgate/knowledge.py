"""KnowledgeService operations on InvGate: KB articles, KB categories, Breaking News.

InvGate has no single-article or single-category GET: one is read through `kb.articles.by.ids`
/ `kb.categories.by.ids`. Writes answer `{status}` (and the new id), so every mutation re-reads
the resource and returns it as it is now. Breaking News updates carry no id; they are append
only, so an update is named by its 1-based position in `breakingnews.status`.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import grpc
from google.protobuf.message import Message

from deskbridge.runtime.backends import Operation
from deskbridge.runtime.errors import (
    ApiError,
    FieldViolation,
    bad_field,
    invalid_argument,
    not_found,
)
from deskbridge.runtime.names import ResourcePattern
from deskbridge.runtime.paging import (
    cursor_int,
    decode_page_token,
    encode_page_token,
    page_of,
    page_size,
)
from deskbridge.v1 import common_pb2
from deskbridge.v1 import knowledge_pb2 as k
from deskbridge.vendors.invgate import mapping as m
from deskbridge.vendors.invgate.client import API_PREFIX, InvGateClient

MAX_BATCH = 100
SEARCH_DEFAULT, SEARCH_MAX = 25, 100
IMPORTANCES = {
    1: k.ANNOUNCEMENT_IMPORTANCE_HIGH,
    2: k.ANNOUNCEMENT_IMPORTANCE_MEDIUM,
    3: k.ANNOUNCEMENT_IMPORTANCE_LOW,
}
IMPORTANCE_LABELS = {1: "High", 2: "Medium", 3: "Low"}
ANNOUNCEMENT_STATES = {1: k.ANNOUNCEMENT_STATE_OPEN, 2: k.ANNOUNCEMENT_STATE_CLOSED}
ANNOUNCEMENT_STATE_LABELS = {1: "Open", 2: "Closed"}
VISIBILITIES = {  # kb.articles.by.category `visibility`
    1: k.ARTICLE_VISIBILITY_PRIVATE,
    2: k.ARTICLE_VISIBILITY_REGISTERED_USERS,
    3: k.ARTICLE_VISIBILITY_PUBLIC,
}
IMPORTANCE_IDS = {v: i for i, v in IMPORTANCES.items()}
ANNOUNCEMENT_STATE_IDS = {v: i for i, v in ANNOUNCEMENT_STATES.items()}
VISIBILITY_IDS = {v: i for i, v in VISIBILITIES.items()}


# ---------------------------------------------------------------------------- mapping


def _refs(pattern: ResourcePattern, backend: str, values: Any) -> list[str]:
    return [m.reference(pattern, backend, v) for v in values or [] if m.to_int(v)]


def _flag(value: Any) -> bool:
    """InvGate booleans: true/false, 1/0 or "1"/"0"."""
    return value is True or m.to_int(value) == 1


def _stamp(message: Message, field: str, value: Any) -> None:
    stamp = m.timestamp(value)
    if stamp is not None:
        getattr(message, field).CopyFrom(stamp)


def article_attachment(
    backend: str, article_id: Any, record: Mapping[str, Any]
) -> k.ArticleAttachment:
    return k.ArticleAttachment(
        name=m.ARTICLE_ATTACHMENT.format(
            backend=backend, article=article_id, attachment=record.get("id")
        ),
        file_name=str(record.get("name") or ""),
        url=str(record.get("url") or ""),
    )


def article(backend: str, record: Mapping[str, Any]) -> k.Article:
    """An InvGate article object → Article. The object says only whether it is private; a
    `visibility` level appears only where an instance adds one."""
    identifier = m.to_int(record.get("id"))
    private = _flag(record.get("is_private"))
    visibility = VISIBILITIES.get(m.to_int(record.get("visibility")), 0)
    result = k.Article(
        name=m.ARTICLE.format(backend=backend, article=identifier),
        vendor_record=m.vendor_record(
            backend, record, created="creation_date", updated="last_update_date"
        ),
        title=str(record.get("title") or ""),
        content=str(record.get("content") or ""),
        description=str(record.get("description") or ""),
        category=m.reference(m.ARTICLE_CATEGORY, backend, record.get("category_id")),
        author=m.reference(m.USER, backend, record.get("author_id")),
        responsible=m.reference(m.USER, backend, record.get("responsible_id")),
        private=private,
        visibility=k.ARTICLE_VISIBILITY_PRIVATE if private else visibility,
        rating=float(record.get("rating") or 0),
        view_count=m.to_int(record.get("views")) or 0,
        solved_ticket_count=m.to_int(record.get("solved_requests")) or 0,
        attachments=[
            article_attachment(backend, identifier, a)
            for a in record.get("attachments") or []
            if isinstance(a, Mapping)
        ],
        etag=str(record.get("last_update_date") or ""),
    )
    _stamp(result, "create_time", record.get("creation_date"))
    _stamp(result, "update_time", record.get("last_update_date"))
    return result


def article_category(backend: str, record: Mapping[str, Any]) -> k.ArticleCategory:
    return k.ArticleCategory(
        name=m.ARTICLE_CATEGORY.format(backend=backend, article_category=record.get("id")),
        vendor_record=m.vendor_record(backend, record),
        display_name=str(record.get("name") or ""),
        parent_category=m.reference(m.ARTICLE_CATEGORY, backend, record.get("parent_id")),
    )


def announcement(backend: str, record: Mapping[str, Any]) -> k.Announcement:
    """A Breaking News object → Announcement (no update time: InvGate keeps none)."""
    importance = m.to_int(record.get("type_id"))
    status = m.to_int(record.get("status_id"))
    result = k.Announcement(
        name=m.ANNOUNCEMENT.format(backend=backend, announcement=record.get("id")),
        vendor_record=m.vendor_record(backend, record),
        title=str(record.get("title") or ""),
        body=str(record.get("body") or ""),
        importance=IMPORTANCES.get(importance, k.ANNOUNCEMENT_IMPORTANCE_UNSPECIFIED),
        vendor_importance=m.vendor_value(importance, IMPORTANCE_LABELS),
        state=ANNOUNCEMENT_STATES.get(status, k.ANNOUNCEMENT_STATE_UNSPECIFIED),
        vendor_state=m.vendor_value(status, ANNOUNCEMENT_STATE_LABELS),
        affected_help_desks=_refs(m.HELP_DESK, backend, record.get("affected_helpdesk_ids")),
        affected_groups=_refs(m.GROUP, backend, record.get("affected_group_ids")),
        creator=m.reference(m.USER, backend, record.get("created_by_id")),
        major_incident=m.reference(m.TICKET, backend, record.get("major_incident_id")),
    )
    _stamp(result, "estimated_resolution_time", record.get("resolution_time"))
    _stamp(result, "create_time", record.get("created_at"))
    return result


def announcement_update(
    backend: str, announcement_id: int, position: int, record: Mapping[str, Any]
) -> k.AnnouncementUpdate:
    """One `breakingnews.status` item, named by its 1-based position."""
    result = k.AnnouncementUpdate(
        name=m.ANNOUNCEMENT_UPDATE.format(
            backend=backend, announcement=announcement_id, update=position
        ),
        body=str(record.get("body") or ""),
        creator=m.reference(m.USER, backend, record.get("creator_id")),
        is_solution=_flag(record.get("is_solution")),
    )
    _stamp(result, "create_time", record.get("created_at"))
    return result


def _vendor_values(records: Sequence[Any]) -> list[common_pb2.VendorValue]:
    return [
        common_pb2.VendorValue(id=str(r.get("id")), label=str(r.get("name") or ""))
        for r in records
        if isinstance(r, Mapping)
    ]


# ---------------------------------------------------------------------------- operations


Param = Callable[[Message], dict[str, Any] | None]


def _text(param: str, attribute: str) -> Param:
    """A masked string field that must not be emptied."""
    return lambda r: {param: getattr(r, attribute)} if getattr(r, attribute) else None


class InvGateKnowledge:
    """The knowledge side of one InvGate backend."""

    def __init__(self, backend: str, client: InvGateClient) -> None:
        self.backend = backend
        self.client = client

    # ---------------------------------------------------------------- helpers

    def id_in(self, name: str, pattern: ResourcePattern, key: str, field: str) -> int:
        """The numeric id `key` of `name`, which must live on this backend."""
        if pattern.parse(name, field)["backend"] != self.backend:
            raise bad_field(field, f"{name!r} is not a resource of backend {self.backend!r}")
        return m.numeric_id(name, pattern, key, field)

    def optional_id(self, name: str, pattern: ResourcePattern, key: str, field: str):
        return self.id_in(name, pattern, key, field) if name else None

    def user(self, name: str, field: str) -> int | None:
        return self.optional_id(name, m.USER, "user", field)

    def _malformed(self, key: str, what: str) -> ApiError:
        return ApiError(
            grpc.StatusCode.UNAVAILABLE,
            f"InvGate answered {key} without {what}",
            reason="UPSTREAM_MALFORMED_RESPONSE",
            metadata={"backend": self.backend, "vendor": "invgate"},
        )

    def _new_id(self, answer: Any, key: str, field: str) -> int:
        identifier = m.to_int(answer.get(field)) if isinstance(answer, Mapping) else None
        if identifier is None:
            raise self._malformed(key, field)
        return identifier

    def _masked(
        self,
        request: Message,
        resource: Message,
        prefix: str,
        fields: Mapping[str, Param],
        violations: Sequence[FieldViolation] = (),
    ) -> dict[str, Any]:
        """InvGate parameters for the masked paths; every bad path or value reported at once.

        Each `fields` entry gives the parameters for its path, or None when the resource holds
        no value there: InvGate cannot clear such a field through the API."""
        violations, params = list(violations), {}
        for index, path in enumerate(request.update_mask.paths):
            if path not in fields:
                violations.append(
                    FieldViolation(f"update_mask.paths[{index}]", f"InvGate cannot update {path!r}")
                )
                continue
            value = fields[path](resource)
            if value is None:
                violations.append(
                    FieldViolation(f"{prefix}.{path}", "InvGate cannot clear it; set a value")
                )
            else:
                params.update(value)
        if violations:
            raise invalid_argument(violations)
        return params

    async def _post_json(self, key: str, body: Mapping[str, Any]) -> Any:
        """POST a JSON body (file contents do not fit InvGate's form encoding); never retried."""
        response = await self.client.upstream.request(
            "POST",
            API_PREFIX + key,
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            safe=False,
        )
        return self.client.decode(key, response)

    # ---------------------------------------------------------------- articles

    def article_id(self, name: str, field: str = "name") -> int:
        return self.id_in(name, m.ARTICLE, "article", field)

    def category_id(self, name: str, field: str) -> int:
        return self.id_in(name, m.ARTICLE_CATEGORY, "article_category", field)

    async def _articles(self, ids: list[int]) -> dict[int, Mapping[str, Any]]:
        records = m.rows(await self.client.get("kb.articles.by.ids", {"ids": ids}))
        return {m.to_int(r.get("id")): r for r in records if isinstance(r, Mapping)}

    async def fetch_article(self, identifier: int) -> k.Article:
        record = (await self._articles([identifier])).get(identifier)
        if record is None:
            raise not_found(
                m.ARTICLE.format(backend=self.backend, article=identifier), backend=self.backend
            )
        return article(self.backend, record)

    @staticmethod
    def _private_visibility(a: k.Article) -> bool:
        """InvGate's API sets only `is_private`; other visibility levels are set in InvGate."""
        if a.visibility in (k.ARTICLE_VISIBILITY_REGISTERED_USERS, k.ARTICLE_VISIBILITY_PUBLIC):
            raise bad_field(
                "article.visibility",
                "InvGate's API can only mark an article private (is_private); "
                "leave visibility unset or PRIVATE",
            )
        return a.visibility == k.ARTICLE_VISIBILITY_PRIVATE

    async def create_article(self, request: k.CreateArticleRequest):
        a = request.article
        answer = await self.client.post(
            "kb.articles",
            {
                "title": a.title,
                "content": a.content,
                "description": a.description or None,
                "author_id": self.user(a.author, "article.author"),
                "category_id": self.category_id(a.category, "article.category"),
                "responsible_id": self.user(a.responsible, "article.responsible"),
                "is_private": a.private or self._private_visibility(a),
            },
        )
        created = await self.fetch_article(self._new_id(answer, "kb.articles", "article_id"))
        return k.CreateArticleResponse(article=created)

    async def get_article(self, request: k.GetArticleRequest):
        return k.GetArticleResponse(article=await self.fetch_article(self.article_id(request.name)))

    async def batch_get_articles(self, request: k.BatchGetArticlesRequest):
        if len(request.names) > MAX_BATCH:
            raise bad_field("names", f"at most {MAX_BATCH} names per call")
        ids = [self.article_id(n, f"names[{i}]") for i, n in enumerate(request.names)]
        found = await self._articles(ids)
        for name, identifier in zip(request.names, ids, strict=True):
            if identifier not in found:
                raise not_found(name, backend=self.backend)
        return k.BatchGetArticlesResponse(articles=[article(self.backend, found[i]) for i in ids])

    async def list_articles(self, request: k.ListArticlesRequest):
        """`kb.articles` (ordered), or `kb.articles.by.category` (with visibility) when a
        category is given; offset pages, one extra row asked to know whether more follow."""
        size = page_size(request.page_size)
        offset = cursor_int(decode_page_token(request.page_token, request), "offset", 0)
        params: dict[str, Any] = {"limit": size + 1, "offset": offset}
        if request.category:
            if request.order:
                raise bad_field("order", "InvGate does not order the articles of one category")
            key = "kb.articles.by.category"
            params["category_id"] = self.category_id(request.category, "category")
            params["visibility"] = VISIBILITY_IDS.get(request.visibility)
        else:
            if request.visibility:
                raise bad_field(
                    "visibility", "InvGate filters by visibility only within a category"
                )
            key = "kb.articles"
            if request.order:
                params["order_by"] = "last_update_date"
                params["sort_by"] = (
                    "desc" if request.order == k.ARTICLE_ORDER_LAST_UPDATE_DESCENDING else "asc"
                )
        records = m.rows(await self.client.get(key, params))
        more = len(records) > size
        return k.ListArticlesResponse(
            articles=[article(self.backend, r) for r in records[:size]],
            next_page_token=encode_page_token({"offset": offset + size}, request) if more else "",
        )

    def _article_fields(self) -> dict[str, Param]:
        return {
            "title": _text("title", "title"),
            "content": _text("content", "content"),
            "description": lambda a: {"description": a.description},  # may be emptied
            "category": lambda a: (
                {"category_id": self.category_id(a.category, "article.category")}
                if a.category
                else None
            ),
            "responsible": lambda a: (
                {"responsible_id": self.user(a.responsible, "article.responsible")}
                if a.responsible
                else None
            ),
            "private": lambda a: {"is_private": a.private},
            "visibility": lambda a: {"is_private": self._private_visibility(a)},
        }

    async def update_article(self, request: k.UpdateArticleRequest):
        identifier = self.article_id(request.article.name, "article.name")
        anonymous = [] if request.author else [FieldViolation("author", "InvGate requires it")]
        params = self._masked(
            request, request.article, "article", self._article_fields(), anonymous
        )
        params.update(id=identifier, author_id=self.user(request.author, "author"))
        await self.client.put("kb.articles", params)
        return k.UpdateArticleResponse(article=await self.fetch_article(identifier))

    async def delete_article(self, request: k.DeleteArticleRequest):
        before = await self.fetch_article(self.article_id(request.name))
        await self.client.delete("kb.articles", {"id": before.vendor_record.remote_id})
        return k.DeleteArticleResponse(article=before)

    async def search_articles(self, request: k.SearchArticlesRequest):
        if not 0 <= request.min_score <= 1:
            raise bad_field("min_score", f"must be between 0 and 1 (got {request.min_score})")
        records = m.rows(
            await self.client.get(
                "kb.articles.by.keywords",
                {
                    "keywords": request.query,
                    "min_search_scoring": request.min_score or None,
                    "limit": page_size(
                        request.page_size, default=SEARCH_DEFAULT, maximum=SEARCH_MAX
                    ),
                },
            )
        )
        return k.SearchArticlesResponse(
            results=[
                k.ArticleSearchResult(
                    article=article(self.backend, r), score=float(r.get("search_scoring") or 0)
                )
                for r in records
                if isinstance(r, Mapping)
            ]
        )

    # ---------------------------------------------------------------- attachments

    async def list_article_attachments(self, request: k.ListArticleAttachmentsRequest):
        identifier = self.article_id(request.parent, "parent")
        records = m.rows(
            await self.client.get("kb.articles.attachments", {"article_id": identifier})
        )
        return k.ListArticleAttachmentsResponse(
            attachments=[
                article_attachment(self.backend, identifier, r)
                for r in records
                if isinstance(r, Mapping)
            ]
        )

    async def add_article_attachments(self, request: k.AddArticleAttachmentsRequest):
        identifier = self.article_id(request.parent, "parent")
        violations = [
            FieldViolation(f"files[{i}].{f}", "is required")
            for i, file in enumerate(request.files)
            for f in ("file_name", "content")
            if not getattr(file, f)
        ]
        if violations:
            raise invalid_argument(violations)
        await self._post_json(
            "kb.articles.attachments",
            {
                "article_id": identifier,
                "author_id": self.user(request.author, "author"),
                "attachments": [
                    {
                        "name": f.file_name,
                        "content": base64.b64encode(f.content).decode(),
                        "content_type": f.content_type or "application/octet-stream",
                    }
                    for f in request.files
                ],
            },
        )
        return k.AddArticleAttachmentsResponse(article=await self.fetch_article(identifier))

    async def delete_article_attachment(self, request: k.DeleteArticleAttachmentRequest):
        identifier = self.id_in(request.name, m.ARTICLE_ATTACHMENT, "article", "name")
        attachment = m.numeric_id(request.name, m.ARTICLE_ATTACHMENT, "attachment", "name")
        await self.client.delete(
            "kb.articles.attachments",
            {
                "article_id": identifier,
                "attachment_id": attachment,
                "author_id": self.user(request.author, "author"),
            },
        )
        return k.DeleteArticleAttachmentResponse(article=await self.fetch_article(identifier))

    # ---------------------------------------------------------------- categories

    async def _categories(self, ids: list[int]) -> dict[int, Mapping[str, Any]]:
        records = m.rows(await self.client.get("kb.categories.by.ids", {"ids": ids}))
        return {m.to_int(r.get("id")): r for r in records if isinstance(r, Mapping)}

    async def fetch_category(self, identifier: int) -> k.ArticleCategory:
        record = (await self._categories([identifier])).get(identifier)
        if record is None:
            raise not_found(
                m.ARTICLE_CATEGORY.format(backend=self.backend, article_category=identifier),
                backend=self.backend,
            )
        return article_category(self.backend, record)

    async def create_category(self, request: k.CreateArticleCategoryRequest):
        c = request.category
        parent = c.parent_category
        answer = await self.client.post(
            "kb.categories",
            {
                "name": c.display_name,
                "parent_id": self.category_id(parent, "category.parent_category")
                if parent
                else None,
            },
        )
        identifier = self._new_id(answer, "kb.categories", "category_id")
        return k.CreateArticleCategoryResponse(category=await self.fetch_category(identifier))

    async def get_category(self, request: k.GetArticleCategoryRequest):
        identifier = self.category_id(request.name, "name")
        return k.GetArticleCategoryResponse(category=await self.fetch_category(identifier))

    async def batch_get_categories(self, request: k.BatchGetArticleCategoriesRequest):
        if len(request.names) > MAX_BATCH:
            raise bad_field("names", f"at most {MAX_BATCH} names per call")
        ids = [self.category_id(n, f"names[{i}]") for i, n in enumerate(request.names)]
        found = await self._categories(ids)
        for name, identifier in zip(request.names, ids, strict=True):
            if identifier not in found:
                raise not_found(name, backend=self.backend)
        return k.BatchGetArticleCategoriesResponse(
            categories=[article_category(self.backend, found[i]) for i in ids]
        )

    async def list_categories(self, request: k.ListArticleCategoriesRequest):
        """`kb.categories` returns the whole tree; children of one are picked here."""
        categories = [
            article_category(self.backend, r)
            for r in m.rows(await self.client.get("kb.categories"))
            if isinstance(r, Mapping)
        ]
        if request.parent_category:
            self.category_id(request.parent_category, "parent_category")
            if all(c.name != request.parent_category for c in categories):
                raise not_found(request.parent_category, backend=self.backend)
            categories = [c for c in categories if c.parent_category == request.parent_category]
        window, token = page_of(categories, request)
        return k.ListArticleCategoriesResponse(categories=window, next_page_token=token)

    async def update_category(self, request: k.UpdateArticleCategoryRequest):
        identifier = self.category_id(request.category.name, "category.name")
        params = self._masked(
            request,
            request.category,
            "category",
            {
                "display_name": _text("name", "display_name"),
                # 0: back to the root [I: the API documents no way to clear parent_id]
                "parent_category": lambda c: {
                    "parent_id": self.category_id(c.parent_category, "category.parent_category")
                    if c.parent_category
                    else 0
                },
            },
        )
        await self.client.put("kb.categories", {"id": identifier, **params})
        return k.UpdateArticleCategoryResponse(category=await self.fetch_category(identifier))

    async def delete_category(self, request: k.DeleteArticleCategoryRequest):
        before = await self.fetch_category(self.category_id(request.name, "name"))
        await self.client.delete("kb.categories", {"id": before.vendor_record.remote_id})
        return k.DeleteArticleCategoryResponse(category=before)

    # ---------------------------------------------------------------- announcements

    def announcement_id(self, name: str, field: str = "name") -> int:
        return self.id_in(name, m.ANNOUNCEMENT, "announcement", field)

    async def fetch_announcement(self, identifier: int) -> k.Announcement:
        record = await self.client.get("breakingnews", {"id": identifier})
        if not isinstance(record, Mapping) or "id" not in record:
            raise not_found(
                m.ANNOUNCEMENT.format(backend=self.backend, announcement=identifier),
                backend=self.backend,
            )
        return announcement(self.backend, record)

    def _desks(self, a: k.Announcement) -> list[int]:
        return [
            self.id_in(d, m.HELP_DESK, "help_desk", f"announcement.affected_help_desks[{i}]")
            for i, d in enumerate(a.affected_help_desks)
        ]

    def _groups(self, a: k.Announcement) -> list[int]:
        return [
            self.id_in(g, m.GROUP, "group", f"announcement.affected_groups[{i}]")
            for i, g in enumerate(a.affected_groups)
        ]

    async def create_announcement(self, request: k.CreateAnnouncementRequest):
        a = request.announcement
        violations = []
        if not (a.affected_help_desks or a.affected_groups):
            violations.append(
                FieldViolation(
                    "announcement.affected_help_desks",
                    "InvGate needs at least one affected help desk or group",
                )
            )
        if a.importance not in IMPORTANCE_IDS:
            violations.append(
                FieldViolation("announcement.importance", "InvGate knows HIGH, MEDIUM and LOW")
            )
        if a.state == k.ANNOUNCEMENT_STATE_CLOSED:
            violations.append(
                FieldViolation("announcement.state", "a new announcement is open; close it later")
            )
        if violations:
            raise invalid_argument(violations)
        answer = await self.client.post(
            "breakingnews",
            {
                "type_id": IMPORTANCE_IDS[a.importance],
                "title": a.title,
                "body": a.body,
                "affected_helpdesk_ids": self._desks(a) or None,
                "affected_group_ids": self._groups(a) or None,
                "resolution_time": a.estimated_resolution_time.seconds or None,
                "creator_id": self.user(a.creator, "announcement.creator"),
                "major_incident_id": self.optional_id(
                    a.major_incident, m.TICKET, "ticket", "announcement.major_incident"
                ),
            },
        )
        created = await self.fetch_announcement(self._new_id(answer, "breakingnews", "id"))
        return k.CreateAnnouncementResponse(announcement=created)

    async def get_announcement(self, request: k.GetAnnouncementRequest):
        identifier = self.announcement_id(request.name)
        return k.GetAnnouncementResponse(announcement=await self.fetch_announcement(identifier))

    async def list_announcements(self, request: k.ListAnnouncementsRequest):
        """`breakingnews.all` returns every announcement; the state filter is applied here."""
        announcements = [
            announcement(self.backend, r)
            for r in m.rows(await self.client.get("breakingnews.all"))
            if isinstance(r, Mapping)
        ]
        if request.state:
            announcements = [a for a in announcements if a.state == request.state]
        window, token = page_of(announcements, request)
        return k.ListAnnouncementsResponse(announcements=window, next_page_token=token)

    async def update_announcement(self, request: k.UpdateAnnouncementRequest):
        identifier = self.announcement_id(request.announcement.name, "announcement.name")
        params = self._masked(
            request,
            request.announcement,
            "announcement",
            {
                "title": _text("title", "title"),
                "body": _text("body", "body"),
                "importance": lambda a: (
                    {"type_id": IMPORTANCE_IDS.get(a.importance)} if a.importance else None
                ),
                "state": lambda a: (
                    {"status_id": ANNOUNCEMENT_STATE_IDS.get(a.state)} if a.state else None
                ),
                "affected_help_desks": lambda a: (
                    {"affected_helpdesk_ids": self._desks(a)} if a.affected_help_desks else None
                ),
                "affected_groups": lambda a: (
                    {"affected_group_ids": self._groups(a)} if a.affected_groups else None
                ),
                "estimated_resolution_time": lambda a: (
                    {"resolution_time": a.estimated_resolution_time.seconds}
                    if a.estimated_resolution_time.seconds
                    else None
                ),
                "creator": lambda a: (
                    {"creator_id": self.user(a.creator, "announcement.creator")}
                    if a.creator
                    else None
                ),
            },
        )
        await self.client.put("breakingnews", {"id": identifier, **params})
        return k.UpdateAnnouncementResponse(announcement=await self.fetch_announcement(identifier))

    async def close_announcement(self, request: k.CloseAnnouncementRequest):
        identifier = self.announcement_id(request.name)
        current = await self.fetch_announcement(identifier)
        if current.state == k.ANNOUNCEMENT_STATE_CLOSED:
            raise ApiError(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"{request.name} is already closed",
                reason="ANNOUNCEMENT_ALREADY_CLOSED",
                metadata={"backend": self.backend, "resource_name": request.name},
            )
        await self.client.put(
            "breakingnews",
            {"id": identifier, "status_id": ANNOUNCEMENT_STATE_IDS[k.ANNOUNCEMENT_STATE_CLOSED]},
        )
        return k.CloseAnnouncementResponse(announcement=await self.fetch_announcement(identifier))

    async def _updates(self, identifier: int) -> list[Mapping[str, Any]]:
        records = m.rows(await self.client.get("breakingnews.status", {"id": identifier}))
        return [r for r in records if isinstance(r, Mapping)]

    async def add_update(self, request: k.AddAnnouncementUpdateRequest):
        identifier = self.announcement_id(request.parent, "parent")
        u = request.update
        await self.client.post(
            "breakingnews.status",
            {
                "id": identifier,
                "body": u.body,
                "creator_id": self.user(u.creator, "update.creator"),
                "is_solution": u.is_solution,
            },
        )
        after, updates = await asyncio.gather(
            self.fetch_announcement(identifier), self._updates(identifier)
        )
        # Updates carry no id: ours is the newest one with this body.
        position = next(
            (i for i in range(len(updates), 0, -1) if updates[i - 1].get("body") == u.body),
            len(updates),
        )
        if not position:
            raise self._malformed("breakingnews.status", "the update just posted")
        posted = announcement_update(self.backend, identifier, position, updates[position - 1])
        posted.is_solution = u.is_solution  # the list does not say; the request does
        if posted.HasField("create_time"):
            # The announcement's last change is this update (its record keeps no update time).
            after.vendor_record.update_time.CopyFrom(posted.create_time)
        return k.AddAnnouncementUpdateResponse(announcement=after, update=posted)

    async def list_updates(self, request: k.ListAnnouncementUpdatesRequest):
        identifier = self.announcement_id(request.parent, "parent")
        updates = await self._updates(identifier)
        return k.ListAnnouncementUpdatesResponse(
            updates=[
                announcement_update(self.backend, identifier, i, r)
                for i, r in enumerate(updates, start=1)
            ]
        )

    async def list_importances(self, request: k.ListAnnouncementImportancesRequest):
        records = m.rows(await self.client.get("breakingnews.attributes.type"))
        return k.ListAnnouncementImportancesResponse(importances=_vendor_values(records))

    async def list_statuses(self, request: k.ListAnnouncementStatusesRequest):
        records = m.rows(await self.client.get("breakingnews.attributes.status"))
        return k.ListAnnouncementStatusesResponse(statuses=_vendor_values(records))


def operations(backend: str, client: InvGateClient) -> dict[str, Operation]:
    """RPC name → operation, for every RPC of this family InvGate can do."""
    kb = InvGateKnowledge(backend, client)
    return {
        "CreateArticle": kb.create_article,
        "GetArticle": kb.get_article,
        "BatchGetArticles": kb.batch_get_articles,
        "ListArticles": kb.list_articles,
        "UpdateArticle": kb.update_article,
        "DeleteArticle": kb.delete_article,
        "SearchArticles": kb.search_articles,
        "ListArticleAttachments": kb.list_article_attachments,
        "AddArticleAttachments": kb.add_article_attachments,
        "DeleteArticleAttachment": kb.delete_article_attachment,
        "CreateArticleCategory": kb.create_category,
        "GetArticleCategory": kb.get_category,
        "BatchGetArticleCategories": kb.batch_get_categories,
        "ListArticleCategories": kb.list_categories,
        "UpdateArticleCategory": kb.update_category,
        "DeleteArticleCategory": kb.delete_category,
        "CreateAnnouncement": kb.create_announcement,
        "GetAnnouncement": kb.get_announcement,
        "ListAnnouncements": kb.list_announcements,
        "UpdateAnnouncement": kb.update_announcement,
        "CloseAnnouncement": kb.close_announcement,
        "AddAnnouncementUpdate": kb.add_update,
        "ListAnnouncementUpdates": kb.list_updates,
        "ListAnnouncementImportances": kb.list_importances,
        "ListAnnouncementStatuses": kb.list_statuses,
    }
