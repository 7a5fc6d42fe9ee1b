"""`deskbridge articles search` (KnowledgeService)."""

from __future__ import annotations

import argparse
from typing import Any

from deskbridge.cli import render
from deskbridge.cli.session import Session, add_command
from deskbridge.v1 import knowledge_pb2, knowledge_pb2_grpc


def add_parsers(commands: Any, parent: argparse.ArgumentParser) -> None:
    articles = commands.add_parser("articles", help="search the knowledge base")
    verbs = articles.add_subparsers(dest="articles_command", required=True, metavar="COMMAND")
    search = add_command(
        verbs, "search", search_articles, parent, help="keyword search, best hits first"
    )
    search.add_argument("query", nargs="+", help="keywords")
    search.add_argument("--min-score", type=float, default=0.0, help="0 to 1")
    search.add_argument("--limit", type=int, default=25, metavar="N", help="hits (default 25)")


async def search_articles(session: Session, args: argparse.Namespace) -> int:
    request = knowledge_pb2.SearchArticlesRequest(
        parent=f"backends/{await session.backend()}",
        query=" ".join(args.query),
        min_score=args.min_score,
        page_size=args.limit,
    )
    stub = knowledge_pb2_grpc.KnowledgeServiceStub(session.channel)
    found = await stub.SearchArticles(request, timeout=session.timeout)
    if session.output.json_output:
        session.output.document(found)
    else:
        session.output.table(render.ARTICLE_RESULT_COLUMNS, found.results, empty="no articles")
    return 0
