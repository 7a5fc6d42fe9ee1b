"""Running one gRPC command: the options every family shares, its channel, the backend it
talks to, resource names from short ids, paging through List RPCs, and the errors it ends
with (rendered by `render.Output`)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

import grpc
from google.protobuf.message import Message

from deskbridge.cli.connect import (
    Target,
    add_connection_arguments,
    connection_defaults,
    open_channel,
    target_of,
)
from deskbridge.cli.render import EXIT_CODES_HELP, Output, UsageError
from deskbridge.v1 import backends_pb2, backends_pb2_grpc

BACKEND_ENV = "DESKBRIDGE_BACKEND"
DEFAULT_TIMEOUT = 30.0
Response = TypeVar("Response", bound=Message)
Handler = Callable[["Session", argparse.Namespace], Awaitable[int | None]]


def command_parent() -> argparse.ArgumentParser:
    """The options of every gRPC command (`tickets list --json --backend x ...`). Unused ones
    are left out of the namespace, so a nested command's copy never overwrites its parent's
    (`backends --json show x`); `fill_defaults` sets them afterwards."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--backend",
        default=argparse.SUPPRESS,
        help=f"the backend ({BACKEND_ENV}, else the only configured one); "
        "not needed with full resource names (backends/x/tickets/7)",
    )
    parent.add_argument(
        "--json",
        action="store_true",
        dest="json_output",
        default=argparse.SUPPRESS,
        help="print one JSON document (protobuf JSON) instead of a table",
    )
    parent.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help=f"deadline of each call (default {DEFAULT_TIMEOUT:g})",
    )
    add_connection_arguments(parent, suppress=True)
    return parent


def fill_defaults(args: argparse.Namespace) -> None:
    defaults = {"backend": None, "json_output": False, "timeout": DEFAULT_TIMEOUT}
    for key, value in {**defaults, **connection_defaults()}.items():
        if not hasattr(args, key):
            setattr(args, key, value)


def add_command(
    commands: Any, name: str, handler: Handler, parent: argparse.ArgumentParser, **kwargs: Any
) -> argparse.ArgumentParser:
    """A gRPC subcommand: the shared options, the exit codes in its help, its handler."""
    parser = commands.add_parser(
        name,
        parents=[parent],
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **kwargs,
    )
    parser.set_defaults(handler=handler)
    return parser


@dataclass
class Session:
    """One command's connection, output and backend."""

    channel: grpc.aio.Channel
    target: Target
    output: Output
    timeout: float | None
    backend_option: str | None
    # What to do about an error code, added to its message (e.g. UNIMPLEMENTED → another way)
    hints: dict[grpc.StatusCode, str] = field(default_factory=dict, init=False)
    _backend: str | None = field(default=None, init=False)

    async def backend(self, *names: str) -> str:
        """The backend a full resource name among `names` belongs to; else `--backend`,
        DESKBRIDGE_BACKEND, or the only backend the server has."""
        for name in names:
            if name and name.startswith("backends/"):
                return name.split("/")[1]
        if self._backend is None:
            self._backend = (
                self.backend_option or os.environ.get(BACKEND_ENV) or (await self._only_backend())
            )
        return self._backend

    async def _only_backend(self) -> str:
        stub = backends_pb2_grpc.BackendServiceStub(self.channel)
        listed = await stub.ListBackends(
            backends_pb2.ListBackendsRequest(page_size=1000), timeout=self.timeout
        )
        names = [b.name.removeprefix("backends/") for b in listed.backends]
        if len(names) == 1:
            return names[0]
        if not names:
            raise UsageError(f"the server at {self.target.address} has no backends configured")
        raise UsageError(
            f"choose a backend with --backend or {BACKEND_ENV}: {', '.join(sorted(names))}"
        )

    async def name(self, value: str, collection: str, *, within: str = "") -> str:
        """`value` as a resource name: a full name as given, an id under the backend (that
        of `within`, a related full name, when there is one)."""
        if value.startswith("backends/"):
            return value
        if not value or "/" in value:
            raise UsageError(f"{value!r} is neither an id nor backends/B/{collection}/ID")
        return f"backends/{await self.backend(within)}/{collection}/{value}"

    async def collect(
        self,
        noun: str,
        fetch: Callable[[str, int], Awaitable[Response]],
        items: str,
        *,
        page_size: int,
        page_token: str = "",
        limit: int | None = None,
        every_page: bool = False,
    ) -> Response:
        """Page through a List RPC: `fetch(token, size)` is one call. One page unless
        `every_page` (follow next_page_token to the end) or `limit` (until that many).
        Returns one response holding every item read; its `next_page_token` continues after
        them. A progress line shows on a terminal's stderr while pages are read."""
        merged: Response | None = None
        pages = 0
        token = page_token
        with self.output.progress(noun) as update:
            while True:
                count = len(getattr(merged, items)) if merged is not None else 0
                size = page_size if limit is None else max(1, min(page_size, limit - count))
                page = await fetch(token, size)
                pages += 1
                if merged is None:
                    merged = type(page)()
                _merge(merged, page, items)
                count = len(getattr(merged, items))
                update(count, getattr(merged, "total_size", 0), pages)
                token = page.next_page_token
                if not token or (limit is not None and count >= limit):
                    break
                if limit is None and not every_page:
                    break
        assert merged is not None
        return merged


def _merge(merged: Message, page: Message, items: str) -> None:
    """Append the page's items; every other field (token, total) is the latest page's."""
    getattr(merged, items).extend(getattr(page, items))
    for descriptor, value in page.ListFields():
        scalar = descriptor.message_type is None and not descriptor.is_repeated
        if descriptor.name != items and scalar:
            setattr(merged, descriptor.name, value)
    if not page.next_page_token:
        merged.ClearField("next_page_token")


async def run_command(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run a parsed gRPC command; its exit code (see render.py)."""
    fill_defaults(args)
    output = Output(args.json_output, out, err)
    try:
        target = target_of(args)
    except ValueError as error:
        return output.usage_error(error)
    async with open_channel(target) as channel:
        session = Session(channel, target, output, args.timeout, args.backend)
        try:
            return await args.handler(session, args) or 0
        except grpc.aio.AioRpcError as error:
            hint = session.hints.get(error.code(), "")
            return output.rpc_error(error, address=target.address, source=target.source, hint=hint)
        except UsageError as error:
            return output.usage_error(error)


def add_paging_arguments(parser: argparse.ArgumentParser, noun: str) -> None:
    parser.add_argument(
        "--all", action="store_true", dest="every_page", help=f"every page of {noun}"
    )
    parser.add_argument("--limit", type=int, metavar="N", help=f"at most N {noun} (pages on)")
    parser.add_argument(
        "--page-size", type=int, default=50, metavar="N", help="per call (default %(default)s)"
    )
    parser.add_argument("--page-token", default="", metavar="TOKEN", help="continue a listing")


def paging_of(args: argparse.Namespace) -> dict[str, Any]:
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    return {
        "page_size": args.page_size,
        "page_token": args.page_token,
        "limit": args.limit,
        "every_page": args.every_page,
    }


def more_hint(output: Output, response: Message, noun: str) -> None:
    """Say how to read on when a listing stopped before its end (tables only)."""
    token = getattr(response, "next_page_token", "")
    if token and not output.json_output:
        output.note(f"more {noun} follow: --all, or --page-token {token}")
