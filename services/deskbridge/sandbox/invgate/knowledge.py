"""The InvGate knowledge-base and Breaking News endpoints: `kb.articles*`, `kb.categories*`,
`breakingnews*` (VENDORS.md §1.4).

Shapes are the documented ones: articles `{id, title, author_id, content, creation_date,
last_update_date, solved_requests, rating, views, category_id, is_private, attachments[],
responsible_id}` (plus `description`, which the API writes [I]), categories `[{id, parent_id,
name}]`, Breaking News `{id, type_id, resolution_time, title, body, affected_helpdesk_ids,
affected_group_ids, created_at, created_by_id, status_id}` and its updates `[{body,
created_at, creator_id}]`. Dates are epoch ints unless `date_format=iso8601`. `kb.articles`
also answers the observed `page`/`page_size` style, wrapped in `{"status": "OK", "data": [...]}`
(VENDORS.md §1.6). Choices no source documents are marked [I].
"""

from __future__ import annotations

import html
import random
import re
import time
from datetime import UTC, datetime
from typing import Any

from deskbridge.sandbox.invgate.endpoints import (
    ENDPOINTS,
    LogicError,
    NotFound,
    _attribute,
    endpoint,
    error,
    ok,
)
from deskbridge.sandbox.invgate.params import ParamError, Params
from deskbridge.sandbox.invgate.state import InvGateState

NEWS_TYPES = {1: "High", 2: "Medium", 3: "Low"}
NEWS_STATUSES = {1: "Open", 2: "Closed"}
VISIBILITIES = {1: "Private", 2: "Registered users", 3: "Public"}
ARTICLE_DATES = ("creation_date", "last_update_date")
NEWS_DATES = ("created_at", "resolution_time")
SEARCH_LIMIT = 25
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100  # [I] for the observed page/page_size style

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]+>")


def _dated(record: dict[str, Any], fields: tuple[str, ...], params: Params) -> dict[str, Any]:
    """A copy with `fields` in the requested `date_format` (epoch ints by default)."""
    out = dict(record)
    if params.str("date_format") == "iso8601":
        for key in fields:
            if out.get(key):
                out[key] = datetime.fromtimestamp(out[key], UTC).isoformat()
    return out


def _article_out(record: dict[str, Any], params: Params) -> dict[str, Any]:
    out = _dated(record, ARTICLE_DATES, params)
    out["attachments"] = [dict(a) for a in record["attachments"]]
    return out


def _window(rows: list[Any], params: Params) -> list[Any]:
    """The `limit`/`offset` slice; no `limit` means every row from `offset`."""
    offset = params.int("offset", default=0) or 0
    limit = params.int("limit")
    if offset < 0 or (limit is not None and limit < 0):
        raise ParamError("Type integer passed is invalid for limit/offset: must not be negative")
    return rows[offset : offset + limit] if limit is not None else rows[offset:]


def _touch(record: dict[str, Any]) -> None:
    """A strictly increasing `last_update_date`, so each change is a distinct revision."""
    record["last_update_date"] = max(int(time.time()), record["last_update_date"] + 1)


def _missing_users(state: InvGateState, *ids: int | None) -> str | None:
    unknown = [i for i in ids if i is not None and i not in state.users]
    return f"The user {unknown[0]} does not exist" if unknown else None


# ------------------------------------------------------------------------ articles


def _article(state: InvGateState, identifier: int) -> dict[str, Any]:
    record = state.kb_articles.get(identifier)
    if record is None:
        raise LogicError(f"The article {identifier} does not exist")
    return record


def _ordering(params: Params) -> tuple[str, bool]:
    """(attribute, descending). The spec swaps `order_by` (attribute) and `sort_by`
    (direction) relative to `incidents.details.by.view`; which one real instances read is
    unknown, so either spelling is accepted [I]."""
    given = [v for v in (params.str("order_by"), params.str("sort_by")) if v]
    bad = [v for v in given if v not in ("id", "last_update_date", "asc", "desc")]
    if bad:
        raise ParamError(f"Type string passed is invalid for order_by/sort_by: {bad[0]}")
    attribute = next((v for v in given if v in ("id", "last_update_date")), "id")
    return attribute, "desc" in given


def _sorted_articles(state: InvGateState, params: Params) -> list[dict[str, Any]]:
    attribute, descending = _ordering(params)
    return sorted(
        state.kb_articles.values(),
        key=lambda r: (r[attribute], r["id"]),
        reverse=descending,
    )


@endpoint("kb.articles", "GET")
def list_articles(state: InvGateState, params: Params):
    rows = _sorted_articles(state, params)
    if not (params.has("page") or params.has("page_size")):
        return [_article_out(r, params) for r in _window(rows, params)]
    # The observed style (VENDORS.md §1.6): page numbers, optional category_id, wrapped.
    if params.has("category_id"):
        rows = [r for r in rows if r["category_id"] == params.int("category_id")]
    params.int("status_id")  # accepted by the observed instance; its meaning is unknown
    size = min(max(params.int("page_size", default=PAGE_SIZE) or PAGE_SIZE, 1), MAX_PAGE_SIZE)
    number = max(params.int("page", default=1) or 1, 1)
    page = rows[(number - 1) * size : number * size]
    return {"status": "OK", "data": [_article_out(r, params) for r in page]}


@endpoint("kb.articles", "POST")
def create_article(state: InvGateState, params: Params):
    title = params.str("title", required=True)
    content = params.str("content", required=True)
    author = params.int("author_id", required=True)
    category = params.int("category_id", required=True)
    responsible = params.int("responsible_id", default=author)
    problem = _missing_users(state, author, responsible) or _missing_category(state, category)
    if problem:
        return error(problem)
    now = int(time.time())
    identifier = state.new_id("kb_article", 1)
    record = {
        "id": identifier,
        "title": title,
        "description": params.str("description", default=""),
        "content": content,
        "author_id": author,
        "responsible_id": responsible,
        "category_id": category,
        "is_private": params.bool("is_private"),
        "creation_date": now,
        "last_update_date": now,
        "views": 0,
        "rating": 0.0,
        "solved_requests": 0,
        "attachments": [],
    }
    record["attachments"] = _new_attachments(state, params.values.get("attachments"))
    state.kb_articles[identifier] = record
    _set_private(state, record, record["is_private"])
    return {"status": "OK", "article_id": identifier}


def _set_private(state: InvGateState, record: dict[str, Any], private: bool) -> None:
    """`is_private` and the visibility level behind it: an article made public through the API
    is visible to everyone [I]; one already public keeps its level."""
    record["is_private"] = private
    current = state.kb_visibility.get(record["id"], 1)
    state.kb_visibility[record["id"]] = 1 if private else (3 if current == 1 else current)


def _missing_category(state: InvGateState, category: int | None) -> str | None:
    if category is None or category in state.kb_categories:
        return None
    return f"The category {category} does not exist"


@endpoint("kb.articles", "PUT")
def update_article(state: InvGateState, params: Params):
    record = _article(state, params.int("id", required=True))
    author = params.int("author_id", required=True)
    responsible = params.int("responsible_id")
    category = params.int("category_id")
    problem = _missing_users(state, author, responsible) or _missing_category(state, category)
    if problem:
        return error(problem)
    for key in ("title", "content", "description"):
        if key in params.values:
            record[key] = params.str(key, default="")
    if responsible is not None:
        record["responsible_id"] = responsible
    if category is not None:
        record["category_id"] = category
    if params.has("is_private"):
        _set_private(state, record, params.bool("is_private"))
    _touch(record)
    return {"status": "OK"}


@endpoint("kb.articles", "DELETE")
def delete_article(state: InvGateState, params: Params):
    identifier = params.int("id", required=True)
    _article(state, identifier)
    del state.kb_articles[identifier]
    state.kb_visibility.pop(identifier, None)
    return {"status": "OK"}


@endpoint("kb.articles.by.ids", "GET")
def articles_by_ids(state: InvGateState, params: Params):
    ids = params.ints("ids", required=True)
    return [_article_out(state.kb_articles[i], params) for i in ids if i in state.kb_articles]


@endpoint("kb.articles.by.category", "GET")
def articles_by_category(state: InvGateState, params: Params):
    category = params.int("category_id", required=True)
    problem = _missing_category(state, category)
    if problem:
        return error(problem)
    visibility = params.int("visibility")
    if visibility is not None and visibility not in VISIBILITIES:
        raise ParamError("Type integer passed is invalid for visibility: 1, 2 or 3")
    rows = [
        r
        for r in sorted(state.kb_articles.values(), key=lambda r: r["id"])
        if r["category_id"] == category
        and (visibility is None or state.kb_visibility.get(r["id"]) == visibility)
    ]
    return [_article_out(r, params) for r in _window(rows, params)]


def words(text: str) -> list[str]:
    """The lower-case words of a text, HTML tags and entities resolved."""
    return _WORD.findall(html.unescape(_TAG.sub(" ", text)).lower())


def search_scoring(record: dict[str, Any], keywords: list[str]) -> float:
    """[I] 0 to 1: per keyword, 2 points for a title match and 1 for a content match."""
    title, content = set(words(record["title"])), set(words(record["content"]))
    points = sum((2 if k in title else 0) + (1 if k in content else 0) for k in keywords)
    return round(points / (3 * len(keywords)), 4)


def _min_scoring(params: Params) -> float:
    raw = params.str("min_search_scoring")
    if raw is None:
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        raise ParamError("Type string passed is invalid for min_search_scoring") from None
    if not 0 <= value <= 1:
        raise ParamError("min_search_scoring must be between 0 and 1")
    return value


@endpoint("kb.articles.by.keywords", "GET")
def articles_by_keywords(state: InvGateState, params: Params):
    keywords = list(dict.fromkeys(words(params.str("keywords", required=True))))
    minimum = _min_scoring(params)
    limit = params.int("limit", default=SEARCH_LIMIT)
    if limit is None or limit < 0:
        raise ParamError("Type integer passed is invalid for limit")
    if not keywords:
        return []
    scored = [(search_scoring(r, keywords), r) for r in state.kb_articles.values()]
    hits = sorted(
        ((s, r) for s, r in scored if s > 0 and s >= minimum), key=lambda h: (-h[0], h[1]["id"])
    )
    return [dict(_article_out(r, params), search_scoring=s) for s, r in hits[:limit]]


# ------------------------------------------------------------------------ attachments


def _new_attachments(state: InvGateState, files: Any) -> list[dict[str, Any]]:
    """Attachments from `attachments[]`: file names, or `{name, content}` objects (a JSON
    body). Real instances take uploaded files; their wire form is undocumented [?]."""
    items = files if isinstance(files, list) else ([files] if files not in (None, "") else [])
    created = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if not name:
            raise ParamError("Type string passed is invalid for attachments: a name is required")
        identifier = state.new_id("kb_attachment", 700)
        created.append(
            {"id": identifier, "name": str(name), "url": f"/kb/attachments/{identifier}"}
        )
    return created


@endpoint("kb.articles.attachments", "GET")
def list_article_attachments(state: InvGateState, params: Params):
    record = _article(state, params.int("article_id", required=True))
    return [dict(a, status="OK") for a in record["attachments"]]


@endpoint("kb.articles.attachments", "POST")
def add_article_attachments(state: InvGateState, params: Params):
    record = _article(state, params.int("article_id", required=True))
    author = params.int("author_id", required=True)
    problem = _missing_users(state, author)
    if problem:
        return error(problem)
    added = _new_attachments(state, params.values.get("attachments"))
    if not added:
        return error("No attachments were sent")
    record["attachments"].extend(added)
    _touch(record)
    return {"status": "OK"}


@endpoint("kb.articles.attachments", "DELETE")
def delete_article_attachment(state: InvGateState, params: Params):
    record = _article(state, params.int("article_id", required=True))
    attachment = params.int("attachment_id", required=True)
    kept = [a for a in record["attachments"] if a["id"] != attachment]
    if len(kept) == len(record["attachments"]):
        return error(f"The attachment {attachment} does not exist")
    record["attachments"] = kept
    _touch(record)
    return {"status": "OK"}


# ------------------------------------------------------------------------ categories


def _category(state: InvGateState, identifier: int) -> dict[str, Any]:
    record = state.kb_categories.get(identifier)
    if record is None:
        raise LogicError(f"The category {identifier} does not exist")
    return record


@endpoint("kb.categories", "GET")
def list_categories(state: InvGateState, params: Params):
    return [dict(c) for c in state.kb_categories.values()]


@endpoint("kb.categories.by.ids", "GET")
def categories_by_ids(state: InvGateState, params: Params):
    ids = params.ints("ids", required=True)
    return [dict(state.kb_categories[i]) for i in ids if i in state.kb_categories]


def _parent(state: InvGateState, params: Params) -> int | None:
    """`parent_id`, 0 or absent meaning a root category [I]."""
    parent = params.int("parent_id") or None
    if parent is not None:
        _category(state, parent)
    return parent


@endpoint("kb.categories", "POST")
def create_category(state: InvGateState, params: Params):
    name = params.str("name", required=True)
    parent = _parent(state, params)
    identifier = state.new_id("kb_category", 1)
    state.kb_categories[identifier] = {"id": identifier, "parent_id": parent, "name": name}
    return {"status": "OK", "category_id": str(identifier)}  # a string, as documented


@endpoint("kb.categories", "PUT")
def update_category(state: InvGateState, params: Params):
    record = _category(state, params.int("id", required=True))
    if params.has("name"):
        record["name"] = params.str("name")
    if "parent_id" in params.values:
        parent = _parent(state, params)
        if parent is not None and record["id"] in _lineage(state, parent):
            return error("A category cannot be moved under itself or its subcategories")
        record["parent_id"] = parent
    return {"status": "OK"}


def _lineage(state: InvGateState, identifier: int) -> list[int]:
    """The category and its ancestors, nearest first."""
    chain: list[int] = []
    current: int | None = identifier
    while current is not None and current not in chain:
        chain.append(current)
        current = state.kb_categories[current]["parent_id"]
    return chain


@endpoint("kb.categories", "DELETE")
def delete_category(state: InvGateState, params: Params):
    record = _category(state, params.int("id", required=True))
    in_use = any(a["category_id"] == record["id"] for a in state.kb_articles.values()) or any(
        c["parent_id"] == record["id"] for c in state.kb_categories.values()
    )
    if in_use:
        return error("The category has articles or subcategories, so it cannot be deleted")
    del state.kb_categories[record["id"]]
    return {"status": "OK"}


# ------------------------------------------------------------------------ Breaking News


def _news(state: InvGateState, params: Params, *, missing: str = "logic") -> dict[str, Any]:
    identifier = params.int("id", required=True)
    record = state.news.get(identifier)
    if record is None:
        if missing == "404":
            raise NotFound("Breaking News not found")
        raise LogicError(f"The Breaking News {identifier} does not exist")
    return record


def _news_out(record: dict[str, Any], params: Params) -> dict[str, Any]:
    out = _dated(record, NEWS_DATES, params)
    if out.get("major_incident_id") is None:
        out.pop("major_incident_id", None)
    return out


def _news_fields(state: InvGateState, params: Params) -> tuple[dict[str, Any], str | None]:
    """The writable fields present in the call, and the first problem with them."""
    fields: dict[str, Any] = {}
    for key in ("title", "body"):
        if params.has(key):
            fields[key] = params.str(key)
    for param, key in (
        ("type_id", "type_id"),
        ("status_id", "status_id"),
        ("resolution_time", "resolution_time"),
        ("creator_id", "created_by_id"),
        ("major_incident_id", "major_incident_id"),
    ):
        if params.has(param):
            fields[key] = params.int(param)
    for param in ("affected_helpdesk_ids", "affected_group_ids"):
        if params.has(param):
            fields[param] = params.ints(param)
    return fields, _news_problem(state, fields)


def _news_problem(state: InvGateState, fields: dict[str, Any]) -> str | None:
    if "type_id" in fields and fields["type_id"] not in NEWS_TYPES:
        return "The type_id must be 1 (High), 2 (Medium) or 3 (Low)"
    if "status_id" in fields and fields["status_id"] not in NEWS_STATUSES:
        return "The status_id must be 1 (Open) or 2 (Closed)"
    for desk in fields.get("affected_helpdesk_ids", []):
        if desk not in state.helpdesks:
            return f"The help desk {desk} does not exist"
    for group in fields.get("affected_group_ids", []):
        if group not in state.groups:
            return f"The group {group} does not exist"
    incident = fields.get("major_incident_id")
    if incident is not None and incident not in state.requests:
        return f"The request {incident} does not exist"
    return _missing_users(state, fields.get("created_by_id"))


@endpoint("breakingnews", "GET")
def get_news(state: InvGateState, params: Params):
    return _news_out(_news(state, params, missing="404"), params)


@endpoint("breakingnews.all", "GET")
def all_news(state: InvGateState, params: Params):
    return [_news_out(r, params) for r in state.news.values()]


@endpoint("breakingnews", "POST")
def create_news(state: InvGateState, params: Params):
    params.int("type_id", required=True)
    params.str("title", required=True)
    params.str("body", required=True)
    fields, problem = _news_fields(state, params)
    if problem:
        return error(problem)
    if not (fields.get("affected_helpdesk_ids") or fields.get("affected_group_ids")):
        return error("At least one affected help desk or group is required")
    return ok("The Breaking News was created.", id=add_news(state, fields)["id"])


def add_news(state: InvGateState, fields: dict[str, Any]) -> dict[str, Any]:
    """A new open Breaking News from validated fields (`created_by_id` None: the system)."""
    identifier = state.new_id("news", 1)
    record = {
        "id": identifier,
        "type_id": fields["type_id"],
        "resolution_time": fields.get("resolution_time"),
        "title": fields["title"],
        "body": fields["body"],
        "affected_helpdesk_ids": list(fields.get("affected_helpdesk_ids", [])),
        "affected_group_ids": list(fields.get("affected_group_ids", [])),
        "created_at": fields.get("created_at") or int(time.time()),
        "created_by_id": fields.get("created_by_id"),
        "status_id": 1,
        "major_incident_id": fields.get("major_incident_id"),
    }
    state.news[identifier] = record
    state.news_updates[identifier] = []
    return record


@endpoint("breakingnews", "PUT")
def update_news(state: InvGateState, params: Params):
    record = _news(state, params)
    fields, problem = _news_fields(state, params)
    if problem:
        return error(problem)
    record.update(fields)
    return ok("The Breaking News was modified.")


@endpoint("breakingnews.status", "GET")
def list_news_updates(state: InvGateState, params: Params):
    record = _news(state, params, missing="404")
    return [_dated(u, ("created_at",), params) for u in state.news_updates[record["id"]]]


@endpoint("breakingnews.status", "POST")
def add_news_update(state: InvGateState, params: Params):
    record = _news(state, params)
    body = params.str("body", required=True)
    creator = params.int("creator_id")
    problem = _missing_users(state, creator)
    if problem:
        return error(problem)
    add_update(state, record, body, creator, solution=params.bool("is_solution"))
    return ok("The Breaking News update was created.")


def add_update(
    state: InvGateState,
    record: dict[str, Any],
    body: str,
    creator: int | None,
    *,
    solution: bool,
    at: int | None = None,
) -> None:
    """Append an update (times strictly increasing per Breaking News [I]); a solution closes."""
    thread = state.news_updates[record["id"]]
    created = max(at or int(time.time()), thread[-1]["created_at"] + 1 if thread else 0)
    thread.append({"body": body, "created_at": created, "creator_id": creator})
    if solution:
        record["status_id"] = 2


ENDPOINTS[("breakingnews.attributes.type", "GET")] = _attribute(NEWS_TYPES)
ENDPOINTS[("breakingnews.attributes.status", "GET")] = _attribute(NEWS_STATUSES)


# ------------------------------------------------------------------------ demo data

_CATEGORIES = [  # (name, parent index or None)
    ("IT Support", None),
    ("Hardware", 1),
    ("Software", 1),
    ("Network and VPN", 1),
    ("HR and Onboarding", None),
]
_ARTICLES = [  # (category index, title, content, is_private)
    (
        2,
        "Replacing the toner in the office printers",
        "<p>Open the front panel, pull out the empty cartridge and insert the new one until "
        "it clicks. Spare cartridges are kept in the supply room on each floor.</p>",
        False,
    ),
    (
        2,
        "Requesting a replacement laptop",
        "<p>Raise a service request in the portal with your asset tag. Bring the old device "
        "to the service desk; your files are copied over during the swap.</p>",
        False,
    ),
    (
        2,
        "Connecting an external monitor",
        "<p>Use the USB-C dock on your desk. If the screen stays black, press "
        "<strong>Win+P</strong> and choose <em>Extend</em>.</p>",
        False,
    ),
    (
        3,
        "Setting up Outlook on a new computer",
        "<p>Start the mail client, enter your company address and sign in with single "
        "sign-on. Your calendar and contacts sync within a few minutes.</p>",
        False,
    ),
    (
        3,
        "Installing approved software from the catalogue",
        "<p>Open the Software Center, search the catalogue and press Install. Licences for "
        "paid tools are approved by your manager first.</p>",
        False,
    ),
    (
        3,
        "Clearing the browser cache",
        "<p>Press Ctrl+Shift+Delete, tick <em>Cached images and files</em> and confirm. This "
        "fixes most pages that load with an old layout.</p>",
        False,
    ),
    (
        4,
        "Connecting to the VPN from home",
        "<p>Install the GlobalProtect agent, enter the portal address <code>vpn.example.com"
        "</code> and approve the push notification on your phone.</p>",
        False,
    ),
    (
        4,
        "Wi-Fi access for guests",
        "<p>Guests join the <strong>Example-Guest</strong> network. Reception hands out a "
        "voucher valid for 24 hours.</p>",
        False,
    ),
    (
        4,
        "Troubleshooting a slow network connection",
        "<p>Restart the router at home, then run the speed test from the intranet. Attach the "
        "result when you contact the service desk.</p>",
        False,
    ),
    (
        1,
        "Resetting your password",
        "<p>Use the self-service portal and answer your security questions. Passwords expire "
        "every 90 days and must have at least 12 characters.</p>",
        False,
    ),
    (
        5,
        "First day checklist for new employees",
        "<p>Collect your badge at reception, sign the acceptable use policy and meet your "
        "buddy. Your laptop is ready at the service desk.</p>",
        False,
    ),
    (
        1,
        "Escalation matrix for major incidents",
        "<p>Internal: page the on-call engineer, open a bridge call and post Breaking News "
        "for the affected help desks within 15 minutes.</p>",
        True,
    ),
]


def seed(state: InvGateState, rng: random.Random) -> None:
    """Demo data: KB categories and articles, Breaking News with updates."""
    for name, parent in _CATEGORIES:
        identifier = state.new_id("kb_category", 1)
        state.kb_categories[identifier] = {"id": identifier, "parent_id": parent, "name": name}
    now = int(time.time())
    agents = state.agents()
    for category, title, content, private in _ARTICLES:
        created = now - rng.randint(30, 400) * 86400
        identifier = state.new_id("kb_article", 1)
        author = rng.choice(agents)
        state.kb_articles[identifier] = {
            "id": identifier,
            "title": title,
            "description": "",
            "content": content,
            "author_id": author,
            "responsible_id": author,
            "category_id": category,
            "is_private": private,
            "creation_date": created,
            "last_update_date": created + rng.randint(0, 20) * 86400,
            "views": rng.randint(5, 900),
            "rating": round(rng.uniform(3, 5), 1),
            "solved_requests": rng.randint(0, 40),
            "attachments": [],
        }
        state.kb_visibility[identifier] = 1 if private else rng.choice([2, 3])
    state.kb_articles[1]["attachments"] = _new_attachments(state, ["toner-steps.pdf"])
    state.kb_articles[7]["attachments"] = _new_attachments(
        state, ["globalprotect-setup.png", "vpn-profile.xml"]
    )
    _seed_news(state, rng, now)


def _seed_news(state: InvGateState, rng: random.Random, now: int) -> None:
    groups = [g for g in (1, 2, 3) if g in state.groups]  # seeded by the directory module
    agent = rng.choice(state.agents())
    email = add_news(
        state,
        {
            "type_id": 1,
            "title": "Email delivery delays",
            "body": "<p>Incoming mail is delayed by up to 30 minutes.</p>",
            "affected_helpdesk_ids": [1, 3],
            "affected_group_ids": groups[:1],
            "resolution_time": now + 2 * 3600,
            "created_by_id": agent,
            "created_at": now - 3 * 3600,
        },
    )
    add_update(
        state,
        email,
        "<p>The mail provider confirmed the issue.</p>",
        agent,
        solution=False,
        at=now - 2 * 3600,
    )
    add_update(
        state, email, "<p>A fix is being deployed.</p>", agent, solution=False, at=now - 3600
    )
    vpn = add_news(
        state,
        {
            "type_id": 2,
            "title": "Scheduled VPN maintenance on Saturday",
            "body": "<p>The VPN is unavailable from 22:00 to 23:00.</p>",
            "affected_helpdesk_ids": [2],
            "affected_group_ids": groups[1:],
            "resolution_time": now + 3 * 86400,
            "created_by_id": agent,
            "created_at": now - 86400,
        },
    )
    add_update(
        state, vpn, "<p>Maintenance window confirmed.</p>", agent, solution=False, at=now - 80000
    )
    printers = add_news(
        state,
        {
            "type_id": 3,
            "title": "Printers on the 2nd floor offline",
            "body": "<p>Printing on the 2nd floor fails.</p>",
            "affected_helpdesk_ids": [4],
            "created_by_id": agent,
            "created_at": now - 5 * 86400,
        },
    )
    add_update(
        state,
        printers,
        "<p>The print server was restarted; printing works.</p>",
        agent,
        solution=True,
        at=now - 5 * 86400 + 5400,
    )
