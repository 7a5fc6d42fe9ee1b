"""Everything the gRPC commands print: tables (rich) for people, one JSON document (protobuf's
JSON mapping) for scripts, errors from `google.rpc.Status` details, a progress line while
paging, and the exit codes.

Exit codes (also in `deskbridge --help`):

    0  done
    1  any other error the server answered (INTERNAL, UNKNOWN, ...)
    2  usage: a bad option, or no backend chosen where several are configured
    3  NOT_FOUND
    4  the request was refused: INVALID_ARGUMENT (field violations listed by field),
       FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS
    5  UNIMPLEMENTED: the backend's vendor cannot do this operation
    6  UNAUTHENTICATED or PERMISSION_DENIED
    7  try again: UNAVAILABLE (also: cannot connect), DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
       ABORTED (a create whose outcome is unknown: rerun it with the same --request-id)
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any, TextIO

import grpc
from google.protobuf import json_format
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from rich.console import Console
from rich.table import Table
from rich.text import Text

from deskbridge.runtime.errors import details_of, status_from_rpc_error
from deskbridge.v1 import (
    approvals_pb2,
    backends_pb2,
    common_pb2,
    identity_pb2,
    tickets_pb2,
)

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_REFUSED = 0, 1, 2, 3, 4
EXIT_UNIMPLEMENTED, EXIT_DENIED, EXIT_RETRY = 5, 6, 7
EXIT_CODES = {
    grpc.StatusCode.NOT_FOUND: EXIT_NOT_FOUND,
    grpc.StatusCode.INVALID_ARGUMENT: EXIT_REFUSED,
    grpc.StatusCode.FAILED_PRECONDITION: EXIT_REFUSED,
    grpc.StatusCode.OUT_OF_RANGE: EXIT_REFUSED,
    grpc.StatusCode.ALREADY_EXISTS: EXIT_REFUSED,
    grpc.StatusCode.UNIMPLEMENTED: EXIT_UNIMPLEMENTED,
    grpc.StatusCode.UNAUTHENTICATED: EXIT_DENIED,
    grpc.StatusCode.PERMISSION_DENIED: EXIT_DENIED,
    grpc.StatusCode.UNAVAILABLE: EXIT_RETRY,
    grpc.StatusCode.DEADLINE_EXCEEDED: EXIT_RETRY,
    grpc.StatusCode.RESOURCE_EXHAUSTED: EXIT_RETRY,
    grpc.StatusCode.ABORTED: EXIT_RETRY,
}
EXIT_CODES_HELP = """exit codes: 0 done, 1 other server error, 2 usage, 3 NOT_FOUND,
4 refused (INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS),
5 UNIMPLEMENTED by the vendor, 6 UNAUTHENTICATED / PERMISSION_DENIED,
7 try again (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED)"""
DESCRIPTION_SHOWN = 600  # characters of a description or body in a table; --json has all


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2)."""


def exit_code(code: grpc.StatusCode) -> int:
    return EXIT_CODES.get(code, EXIT_ERROR)


@dataclass(frozen=True)
class Column:
    """One table column: its header and how a message's cell is made."""

    header: str
    value: Callable[[Any], str]
    wide: bool = False  # may be long: wrapped on a terminal rather than squeezing the others


class Output:
    """Where a command's results go: stdout (a table, or one JSON document with `--json`);
    notes, progress and errors go to stderr."""

    def __init__(
        self, json_output: bool, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.json_output = json_output
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._console = Console(file=self.out, width=_width(self.out), highlight=False, emoji=False)

    # ------------------------------------------------------------------ results

    def document(self, message: Message, **more: Message | Sequence[Message]) -> None:
        """`message` as protobuf JSON (field names as in the .proto), with `more` members."""
        record = _to_dict(message)
        for key, value in more.items():
            record[key] = (
                [_to_dict(m) for m in value] if isinstance(value, Sequence) else _to_dict(value)
            )
        print(json.dumps(record, indent=2, ensure_ascii=False), file=self.out, flush=True)

    def table(
        self, columns: Sequence[Column], rows: Sequence[Any], *, empty: str, title: str = ""
    ) -> None:
        """One row per message, under `title`; `empty` is said (on stderr) when there is none."""
        if not rows:
            self.note(empty)
            return
        if title:
            self._print(Text(f"\n{title}", style="bold underline"))
        table = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
        for column in columns:
            table.add_column(column.header, overflow="fold", no_wrap=not column.wide)
        for row in rows:
            table.add_row(*(Text(column.value(row)) for column in columns))
        self._print(table)

    def details(self, fields: Sequence[tuple[str, str]], *, title: str | None = None) -> None:
        """A record as `field  value` lines (empty values left out)."""
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in fields:
            if value:
                grid.add_row(label, Text(value))
        if title:
            self._print(Text(title, style="bold underline"))
        self._print(grid)

    def _print(self, renderable: Any) -> None:
        if _is_terminal(self.out):
            self._console.print(renderable)
            return
        with self._console.capture() as captured:  # a pipe: no padding at line ends
            self._console.print(renderable)
        lines = captured.get().splitlines()
        print("\n".join(line.rstrip() for line in lines), file=self.out, flush=True)

    def note(self, text: str) -> None:
        """A line for the person at the terminal (stderr, so stdout stays the result)."""
        print(text, file=self.err, flush=True)

    # ------------------------------------------------------------------ errors

    def rpc_error(
        self,
        error: grpc.aio.AioRpcError,
        *,
        address: str = "",
        source: str = "",
        hint: str = "",
    ) -> int:
        """Print what the server said (its `google.rpc.Status` details) and return the exit
        code. Without details a transport error names the address and where it came from;
        `hint` is what the command knows to do about it."""
        code = error.code()
        status = status_from_rpc_error(error)
        if self.json_output:
            self._json_error(error, status)
        else:
            lines = [f"deskbridge: {code.name}: {error.details() or code.name.lower()}"]
            lines += _detail_lines(error)
            if status is None and code in (
                grpc.StatusCode.UNAVAILABLE,
                grpc.StatusCode.DEADLINE_EXCEEDED,
            ):
                lines.append(f"  address: {address} (from {source})" if address else "")
            lines.append(f"  hint: {hint}" if hint else "")
            self.note("\n".join(line for line in lines if line))
        return exit_code(code)

    def usage_error(self, error: Exception) -> int:
        self.note(f"deskbridge: {error}")
        return EXIT_USAGE

    def _json_error(self, error: grpc.aio.AioRpcError, status: Any) -> None:
        """Google's JSON error shape: {"error": {"code", "status", "message", "details"}}."""
        body: dict[str, Any] = {
            "code": error.code().value[0],
            "status": error.code().name,
            "message": error.details() or "",
        }
        if status is not None:
            body["details"] = _to_dict(status).get("details", [])
        print(json.dumps({"error": body}, indent=2, ensure_ascii=False), file=self.err, flush=True)

    # ------------------------------------------------------------------ progress

    @contextlib.contextmanager
    def progress(self, noun: str) -> Iterator[Callable[[int, int, int], None]]:
        """`update(count, total, pages)` while paging; shown only when stderr is a terminal."""
        if not _is_terminal(self.err):
            yield lambda count, total, pages: None
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn

        console = Console(file=self.err, stderr=True)
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as bar:
            task = bar.add_task(f"{noun}: reading the first page")

            def update(count: int, total: int, pages: int) -> None:
                of = f" of {total}" if total else ""
                read = f"{pages} page" + ("s" if pages != 1 else "")
                bar.update(task, description=f"{noun}: {count}{of} after {read}")

            yield update


def _detail_lines(error: grpc.aio.AioRpcError) -> list[str]:
    """ErrorInfo (reason, metadata), BadRequest (each field and what is wrong), RetryInfo."""
    found = details_of(error)
    lines = []
    bad = found.get("BadRequest")
    info = found.get("ErrorInfo")
    if info is not None:
        lines.append(f"  reason: {info.reason}")
        for key in sorted(info.metadata):
            if key == "fields" and bad is not None:
                continue  # listed below, one per line
            lines.append(f"  {key}: {info.metadata[key]}")
    if bad is not None and bad.field_violations:
        lines.append("  invalid fields:")
        width = max(len(v.field) for v in bad.field_violations)
        lines += [f"    {v.field:<{width}}  {v.description}" for v in bad.field_violations]
    retry = found.get("RetryInfo")
    if retry is not None:
        lines.append(f"  retry after: {retry.retry_delay.ToTimedelta().total_seconds():g}s")
    return lines


def _to_dict(message: Message) -> dict[str, Any]:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(stream: TextIO) -> int | None:
    """A terminal's own width; a pipe gets long lines (no wrapping) unless COLUMNS says."""
    if _is_terminal(stream):
        return None
    return int(os.environ.get("COLUMNS") or 0) or 10_000


# ---------------------------------------------------------------------- values


def short(name: str) -> str:
    """The last segment of a resource name (`backends/x/tickets/7` → `7`)."""
    return name.rpartition("/")[2]


def when(stamp: Timestamp) -> str:
    if not (stamp.seconds or stamp.nanos):
        return ""
    return stamp.ToDatetime(tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def enum_word(enum_type: Any, value: int) -> str:
    """`TICKET_STATE_IN_PROGRESS` → `in_progress`; the unspecified value → ``."""
    if not value:
        return ""
    name = enum_type.Name(value) if value in enum_type.values() else str(value)
    return name.removeprefix(enum_prefix(enum_type)).lower()


def enum_prefix(enum_type: Any) -> str:
    return enum_type.Name(0).removesuffix("UNSPECIFIED")


def enum_choices(enum_type: Any) -> list[str]:
    """The words `enum_word` gives, for argparse choices."""
    return [enum_word(enum_type, v) for v in enum_type.values() if v]


def enum_value(enum_type: Any, word: str) -> int:
    return enum_type.Value(enum_prefix(enum_type) + word.upper())


def labelled(word: str, vendor: common_pb2.VendorValue) -> str:
    """A normalised value with the vendor's own label beside it when that says more."""
    label = vendor.label
    if not label or label.lower().replace(" ", "_") == word:
        return word or label
    return f"{word} ({label})" if word else label


def clipped(text: str, limit: int = DESCRIPTION_SHOWN) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------- tickets


def ticket_id(ticket: tickets_pb2.Ticket) -> str:
    own = short(ticket.name)
    shown = ticket.vendor_record.display_id
    return f"{own} ({shown})" if shown and shown.lstrip("#") != own else own


def ticket_state(ticket: tickets_pb2.Ticket) -> str:
    return labelled(enum_word(tickets_pb2.TicketState, ticket.state), ticket.vendor_state)


def ticket_priority(ticket: tickets_pb2.Ticket) -> str:
    return labelled(enum_word(tickets_pb2.TicketPriority, ticket.priority), ticket.vendor_priority)


TICKET_COLUMNS = (
    Column("ID", ticket_id),
    Column("STATE", ticket_state),
    Column("PRIORITY", ticket_priority),
    Column("TITLE", lambda x: x.title, wide=True),
    Column("REQUESTER", lambda x: short(x.requester) or x.requester_email),
    Column("ASSIGNEE", lambda x: short(x.assignee)),
    Column("UPDATED", lambda x: when(x.update_time)),
)


def ticket_fields(x: tickets_pb2.Ticket) -> list[tuple[str, str]]:
    category = x.category_display_name or short(x.category)
    record = x.vendor_record
    return [
        ("name", x.name),
        ("title", x.title),
        ("state", ticket_state(x)),
        ("priority", ticket_priority(x)),
        ("type", labelled(enum_word(tickets_pb2.TicketType, x.type), x.vendor_type)),
        ("category", f"{category} ({x.category})" if x.category else ""),
        ("requester", x.requester or x.requester_email),
        ("creator", x.creator),
        ("assignee", x.assignee),
        ("help desk", x.help_desk),
        ("lifecycle", enum_word(tickets_pb2.LifecycleState, x.lifecycle_state)),
        ("rating", str(x.rating) if x.rating else ""),
        ("created", when(x.create_time)),
        ("updated", when(x.update_time)),
        ("solved", when(x.solve_time)),
        ("closed", when(x.close_time)),
        ("vendor", _vendor_line(record)),
        ("description", clipped(x.description)),
    ]


def _vendor_line(record: common_pb2.VendorRecord) -> str:
    vendor = enum_word(common_pb2.Vendor, record.vendor)
    shown = f", shown as {record.display_id}" if record.display_id else ""
    return f"{vendor} id {record.remote_id}{shown}" if record.remote_id else vendor


COMMENT_COLUMNS = (
    Column("#", lambda c: str(c.sequence) if c.sequence else short(c.name)),
    Column("AUTHOR", lambda c: short(c.author)),
    Column(
        "KIND",
        lambda c: " ".join(
            word
            for word in (
                enum_word(tickets_pb2.CommentVisibility, c.visibility) or c.conversation_type,
                "solution" if c.is_solution else "",
            )
            if word
        ),
    ),
    Column("CREATED", lambda c: when(c.create_time)),
    Column("BODY", lambda c: clipped(c.body, 200), wide=True),
)


# ---------------------------------------------------------------------- users


def user_name(user: identity_pb2.User) -> str:
    return user.display_name or " ".join(p for p in (user.given_name, user.family_name) if p)


USER_COLUMNS = (
    Column("ID", lambda u: short(u.name)),
    Column("NAME", user_name, wide=True),
    Column("EMAIL", lambda u: u.email),
    Column("USERNAME", lambda u: u.username),
    Column("KIND", lambda u: enum_word(identity_pb2.UserKind, u.kind)),
    Column("DISABLED", lambda u: "yes" if u.disabled else ""),
)


def user_fields(u: identity_pb2.User) -> list[tuple[str, str]]:
    phones = ", ".join(f"{kind} {number}" for kind, number in _set_fields(u.phones) if number)
    return [
        ("name", u.name),
        ("display name", user_name(u)),
        ("email", u.email),
        ("username", u.username),
        ("kind", enum_word(identity_pb2.UserKind, u.kind)),
        ("phones", phones),
        ("position", u.position),
        ("department", u.department),
        ("location", u.location),
        ("manager", u.manager),
        ("companies", ", ".join(u.company_names)),
        ("disabled", "yes" if u.disabled else ""),
        ("created", when(u.create_time)),
        ("updated", when(u.update_time)),
        ("vendor", _vendor_line(u.vendor_record)),
    ]


def _set_fields(message: Message) -> list[tuple[str, str]]:
    return [(field.name, str(value)) for field, value in message.ListFields()]


# ---------------------------------------------------------------------- articles

ARTICLE_RESULT_COLUMNS = (
    Column("ID", lambda r: short(r.article.name)),
    Column("SCORE", lambda r: f"{r.score:.2f}"),
    Column("TITLE", lambda r: r.article.title, wide=True),
    Column("CATEGORY", lambda r: short(r.article.category)),
    Column("UPDATED", lambda r: when(r.article.update_time)),
)


# ---------------------------------------------------------------------- approvals


def approval_id(approval: approvals_pb2.Approval) -> str:
    """`ticket/approval`, the short form the approval commands accept."""
    parts = approval.name.split("/")
    return f"{parts[3]}/{parts[5]}" if len(parts) == 6 else approval.name


def approval_state(x: approvals_pb2.Approval | approvals_pb2.Vote) -> str:
    return labelled(enum_word(approvals_pb2.ApprovalState, x.state), x.vendor_state)


def votes(approval: approvals_pb2.Approval) -> str:
    counted: dict[str, int] = {}
    for vote in approval.votes:
        word = enum_word(approvals_pb2.ApprovalState, vote.state) or "unknown"
        counted[word] = counted.get(word, 0) + 1
    return ", ".join(f"{n} {word}" for word, n in counted.items())


APPROVAL_COLUMNS = (
    Column("ID", approval_id),
    Column("STATE", approval_state),
    Column("TYPE", lambda x: enum_word(approvals_pb2.ApprovalType, x.type)),
    Column("DESCRIPTION", lambda x: clipped(x.description, 200), wide=True),
    Column("AUTHOR", lambda x: short(x.author)),
    Column("VOTES", votes),
    Column("CREATED", lambda x: when(x.create_time)),
)
VOTE_COLUMNS = (
    Column("VOTER", lambda v: short(v.user)),
    Column("VOTE", approval_state),
    Column("NOTE", lambda v: v.note, wide=True),
)


# ---------------------------------------------------------------------- backends


def support_counts(backend: backends_pb2.Backend) -> Mapping[str, int]:
    counts = {"supported": 0, "partial": 0, "unsupported": 0}
    for operation in backend.operations:
        word = enum_word(backends_pb2.Support, operation.support)
        counts[word] = counts.get(word, 0) + 1
    return counts


BACKEND_COLUMNS = (
    Column("NAME", lambda x: short(x.name)),
    Column("VENDOR", lambda x: enum_word(common_pb2.Vendor, x.vendor)),
    Column("BASE URL", lambda x: x.base_url),
    Column(
        "OPERATIONS",
        lambda x: "{supported} supported, {partial} partial, {unsupported} not".format(
            **support_counts(x)
        ),
    ),
)
OPERATION_COLUMNS = (
    Column("METHOD", lambda o: o.method.removeprefix("deskbridge.v1.")),
    Column("SUPPORT", lambda o: enum_word(backends_pb2.Support, o.support)),
    Column("SOURCE", lambda o: enum_word(backends_pb2.AnswerSource, o.source)),
    Column("NOTE", lambda o: o.note, wide=True),
)
