"""`deskbridge backends | users | articles | approvals` against Deskbridge on the InvGate
sandbox: each table, each `--json` compared with what the RPC returns, and an error each."""

from __future__ import annotations

from cli_support import deskbridge

from deskbridge.v1 import approvals_pb2 as a
from deskbridge.v1 import backends_pb2 as b
from deskbridge.v1 import identity_pb2 as i
from deskbridge.v1 import knowledge_pb2 as k

WAITING, APPROVED = -1, 1


async def test_backends_lists_them_and_shows_support_per_rpc(stack):
    common = ("--address", stack.runtime.address)
    listed = await stack.backends.ListBackends(b.ListBackendsRequest(page_size=1000))
    ran = await deskbridge("backends", *common)
    assert ran.code == 0, ran.err
    row = ran.table()[0]
    supported = sum(o.support == b.SUPPORT_SUPPORTED for o in listed.backends[0].operations)
    assert (row["NAME"], row["VENDOR"], row["BASE URL"]) == (
        stack.backend,
        "invgate",
        stack.sandbox_url,
    )
    assert row["OPERATIONS"].startswith(f"{supported} supported, ")
    as_json = await deskbridge("backends", *common, "--json")
    assert as_json.parsed(b.ListBackendsResponse) == listed

    got = await stack.backends.GetBackend(b.GetBackendRequest(name=stack.parent))
    shown = await deskbridge("backends", "show", stack.backend, *common, "--json")
    assert shown.parsed(b.GetBackendResponse) == got
    same = await deskbridge("backends", "--backend", stack.backend, *common, "--json")
    assert same.out == shown.out  # `backends --backend X` is `backends show X`

    approvals = await deskbridge(
        "backends", "show", stack.backend, "--service", "approvals", *common
    )
    expected = [o for o in got.backend.operations if ".ApprovalService/" in o.method]
    rows = approvals.out.split("METHOD", 1)[1].splitlines()[1:]
    assert [line.split()[:2] for line in rows] == [
        [o.method.removeprefix("deskbridge.v1."), b.Support.Name(o.support)[8:].lower()]
        for o in expected
    ]

    missing = await deskbridge("backends", "show", "nope", *common)
    assert missing.code == 3 and "reason: BACKEND_NOT_FOUND" in missing.err


async def test_users_find_by_text_or_exactly_and_get(stack):
    common = ("--address", stack.runtime.address, "--backend", stack.backend)
    someone = stack.state.users[101]
    search = i.ListUsersRequest(parent=stack.parent, search=someone["name"], page_size=50)
    expected = await stack.identity.ListUsers(search)
    assert expected.users
    ran = await deskbridge("users", "find", someone["name"], *common)
    assert ran.code == 0, ran.err
    assert [(r["ID"], r["EMAIL"]) for r in ran.table()] == [
        (u.name.rpartition("/")[2], u.email) for u in expected.users
    ]
    as_json = await deskbridge("users", "find", someone["name"], *common, "--json")
    assert as_json.parsed(i.ListUsersResponse) == expected

    found = await stack.identity.FindUser(
        i.FindUserRequest(parent=stack.parent, email=someone["email"])
    )
    exact = await deskbridge("users", "find", "--email", someone["email"], *common, "--json")
    assert exact.parsed(i.FindUserResponse) == found
    assert found.user.name == stack.name("users", 101)

    shown = await deskbridge("users", "get", "101", *common)
    fields = shown.details()
    assert (fields["name"], fields["email"]) == (found.user.name, someone["email"])
    as_json = await deskbridge("users", "get", stack.name("users", 101), "--json", *common[:2])
    got = await stack.identity.GetUser(i.GetUserRequest(name=stack.name("users", 101)))
    assert as_json.parsed(i.GetUserResponse) == got

    nobody = await deskbridge("users", "find", "--email", "nobody@nowhere.test", *common)
    assert nobody.code == 3 and "NOT_FOUND" in nobody.err
    usage = await deskbridge("users", "find", *common)
    assert usage.code == 2 and "what to find" in usage.err


async def test_articles_search_prints_the_hits_best_first(stack):
    common = ("--address", stack.runtime.address)
    article = next(iter(stack.state.kb_articles.values()))
    word = max(article["title"].split(), key=len)
    request = k.SearchArticlesRequest(parent=stack.parent, query=word, page_size=25)
    expected = await stack.knowledge.SearchArticles(request)
    assert expected.results
    ran = await deskbridge("articles", "search", word, *common)
    assert ran.code == 0, ran.err
    assert [(r["ID"], r["TITLE"], r["SCORE"]) for r in ran.table()] == [
        (x.article.name.rpartition("/")[2], x.article.title, f"{x.score:.2f}")
        for x in expected.results
    ]
    as_json = await deskbridge("articles", "search", word, *common, "--json")
    assert as_json.parsed(k.SearchArticlesResponse) == expected
    refused = await deskbridge("articles", "search", "x", "--min-score", "2", *common)
    assert refused.code == 4 and "min_score" in refused.err


def waiting_approval(stack) -> dict:
    return next(
        record
        for record in stack.state.approvals.values()
        if record["status"] == WAITING
        and any(v["status"] == WAITING for v in stack.state.voters[record["id"]])
    )


async def test_approvals_list_approve_and_reject(stack):
    common = ("--address", stack.runtime.address)
    pending = waiting_approval(stack)
    ticket = pending["request_id"]
    listed = await stack.approvals.ListApprovals(
        a.ListApprovalsRequest(parent=stack.name("tickets", ticket))
    )
    ran = await deskbridge("approvals", "list", str(ticket), *common)
    assert ran.code == 0, ran.err
    short = f"{ticket}/{pending['id']}"
    row = next(r for r in ran.table() if r["ID"] == short)
    assert (
        row["STATE"] == "waiting" and row["DESCRIPTION"] == pending["approval_request_description"]
    )
    as_json = await deskbridge("approvals", "list", str(ticket), *common, "--json")
    assert as_json.parsed(a.ListApprovalsResponse) == listed

    voter = next(v["user_id"] for v in stack.state.voters[pending["id"]] if v["status"] == WAITING)
    voted = await deskbridge(
        "approvals", "approve", short, "--user", str(voter), "--note", "fine", *common, "--json"
    )
    assert voted.code == 0, voted.err
    after = voted.parsed(a.ApproveApprovalResponse).approval
    vote = next(v for v in after.votes if v.user == stack.name("users", voter))
    assert vote.state == a.APPROVAL_STATE_APPROVED
    record = next(v for v in stack.state.voters[pending["id"]] if v["user_id"] == voter)
    assert record["status"] == APPROVED  # the vendor's own record

    outsider = max(stack.state.users) + 1000
    refused = await deskbridge("approvals", "reject", short, "--user", str(outsider), *common)
    assert refused.code in (3, 4), refused.err
    assert refused.err.startswith("deskbridge: ") and "  reason: " in refused.err
    usage = await deskbridge("approvals", "approve", str(ticket), "--user", "1", *common)
    assert usage.code == 2 and "TICKET/APPROVAL" in usage.err
