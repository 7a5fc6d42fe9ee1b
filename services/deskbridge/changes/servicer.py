"""ChangeService.Watch: list-then-watch over gRPC, backed by the event stream.

A watch is a plan (which backends, kinds, subjects and filters; `plan_watch`), an optional
initial state (the List operations of the backends, every page, before any live change), and
a `Feed` of the event stream after a position. Every message carries the position it leaves
the client at as a resume token, so a new Watch on any replica continues exactly there.

Initial state and live changes meet at S0, the stream's last sequence read before listing:
the feed starts after S0, and an event stored while the listing ran (S0 < seq ≤ S1) whose
resource the initial state already showed as new or newer is not sent again.

Authorisation: watching a kind needs the read scope of its family (`tickets.read` for
tickets and comments, `identity.read` for users, ...), and each backend its backend scope, as
reading it through the List RPCs would.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import grpc
import structlog
from google.protobuf.message import Message

from deskbridge.events.envelope import REVISION_HEADER, SOURCE_PREFIX, change_id, parse_time
from deskbridge.events.feed import (
    Feed,
    Position,
    StreamEvent,
    StreamState,
    decode_token,
    encode_token,
    stream_state,
)
from deskbridge.events.payloads import UndecodableEvent, decode_payload
from deskbridge.events.stream import StreamSettings
from deskbridge.runtime.backends import Backend
from deskbridge.runtime.context import call_info
from deskbridge.runtime.contracts import pb2, pb2_grpc, service_descriptor
from deskbridge.runtime.dispatch import Dependencies
from deskbridge.runtime.errors import ApiError, FieldViolation, invalid_argument
from deskbridge.runtime.interceptors import REQUEST_ID_KEY
from deskbridge.runtime.names import backend_of
from deskbridge.runtime.scopes import check_backend, grants
from deskbridge.runtime.views import update_nanos

log = structlog.get_logger(__name__)
changes_pb2 = pb2("changes")

ALL_BACKENDS = "backends/-"
RESUME_TOKEN_KEY = "x-resume-token"
DEFAULT_BOOKMARK_SECONDS = 30.0
BOOKMARK_RANGE = (1.0, 600.0)
LIST_PAGE_SIZE = 500
_EVENT_FIELDS = changes_pb2.WatchedChange.DESCRIPTOR.oneofs_by_name["event"].fields
KINDS = tuple(f.name for f in _EVENT_FIELDS)
# A kind's family is the file of its resource message: tickets.proto → tickets.
FAMILY = {
    f.name: f.message_type.fields_by_number[2].message_type.file.name.rsplit("/", 1)[-1][:-6]
    for f in _EVENT_FIELDS
}
# Kinds with a backend-wide List: (service key, method). Others have only live changes.
LISTS = {
    "ticket": ("tickets", "ListTickets"),
    "user": ("identity", "ListUsers"),
    "group": ("identity", "ListGroups"),
    "company": ("identity", "ListCompanies"),
    "location": ("identity", "ListLocations"),
    "help_desk": ("identity", "ListHelpDesks"),
    "article": ("knowledge", "ListArticles"),
    "article_category": ("knowledge", "ListArticleCategories"),
    "announcement": ("knowledge", "ListAnnouncements"),
}


@dataclass(frozen=True)
class WatchPlan:
    """What one Watch follows, checked against the caller's scopes."""

    backends: tuple[str, ...]
    kinds: tuple[str, ...]
    actions: frozenset[int]
    ticket_filter: Any
    bookmark_seconds: float

    def subjects(self) -> list[str]:
        """Non-overlapping subject filters (JetStream refuses overlapping ones)."""
        backends = ("*",) if self.backends == ("*",) else self.backends
        if set(self.kinds) == set(KINDS):
            return [f"deskbridge.{b}.>" for b in backends]
        return [f"deskbridge.{b}.{k}.>" for b in backends for k in self.kinds]

    def wants(self, backend: str, kind: str, message: Message) -> bool:
        if self.backends != ("*",) and backend not in self.backends:
            return False
        if self.actions and message.action not in self.actions:
            return False
        return kind != "ticket" or ticket_matches(self.ticket_filter, message.ticket)


def ticket_matches(wanted: Any, ticket: Message) -> bool:
    """Whether `ticket` passes a TicketFilter (every set field must match)."""
    return (
        (not wanted.states or ticket.state in wanted.states)
        and (not wanted.help_desk or ticket.help_desk == wanted.help_desk)
        and (not wanted.requester or ticket.requester == wanted.requester)
        and (not wanted.assignee or ticket.assignee == wanted.assignee)
    )


def plan_watch(
    request: Message, scopes: frozenset[str], known_backends: Iterable[str]
) -> WatchPlan:
    """The watch `request` asks for; INVALID_ARGUMENT, NOT_FOUND or PERMISSION_DENIED."""
    violations: list[FieldViolation] = []
    unknown = [k for k in request.resource_kinds if k not in KINDS]
    for kind in unknown:
        violations.append(
            FieldViolation("resource_kinds", f"{kind!r} is not a kind; one of {', '.join(KINDS)}")
        )
    if request.send_initial_state and request.resume_token:
        violations.append(
            FieldViolation("resume_token", "not with send_initial_state: a token continues")
        )
    seconds = DEFAULT_BOOKMARK_SECONDS
    if request.HasField("bookmark_interval"):
        seconds = request.bookmark_interval.ToNanoseconds() / 1e9
        low, high = BOOKMARK_RANGE
        if not low <= seconds <= high:
            violations.append(
                FieldViolation("bookmark_interval", f"must be {low:g} s to {high:g} s")
            )
    backend = ""
    if request.parent != ALL_BACKENDS:
        try:
            backend = backend_of(request.parent, "parent")
            if request.parent != f"backends/{backend}":
                raise ValueError
        except (ApiError, ValueError):
            violations.append(
                FieldViolation(
                    "parent", f"{request.parent!r}: expected backends/{{backend}} or {ALL_BACKENDS}"
                )
            )
    if violations:
        raise invalid_argument(violations)
    known = list(known_backends)
    if backend:
        if backend not in known:
            raise ApiError(
                grpc.StatusCode.NOT_FOUND,
                f"backend {backend!r} is not configured",
                reason="BACKEND_NOT_FOUND",
                metadata={"backend": backend},
            )
        check_backend(scopes, backend)
        backends: tuple[str, ...] = (backend,)
    else:
        backends = _reachable(scopes, known)
    kinds = tuple(request.resource_kinds) or tuple(
        k for k in KINDS if grants(scopes, f"{FAMILY[k]}.read")
    )
    for kind in kinds:
        needed = f"{FAMILY[kind]}.read"
        if not grants(scopes, needed):
            raise ApiError(
                grpc.StatusCode.PERMISSION_DENIED,
                f"watching {kind} needs the scope {needed!r}",
                reason="MISSING_SCOPE",
                metadata={"scope": needed, "resource_kind": kind},
            )
    if not kinds:
        raise ApiError(
            grpc.StatusCode.PERMISSION_DENIED,
            "the caller may read no resource kind (no <family>.read scope)",
            reason="MISSING_SCOPE",
            metadata={"scope": "tickets.read"},
        )
    return WatchPlan(
        backends,
        tuple(dict.fromkeys(kinds)),
        frozenset(request.actions),
        request.ticket_filter,
        seconds,
    )


def _reachable(scopes: frozenset[str], known: list[str]) -> tuple[str, ...]:
    """`("*",)` when every backend is reachable, else the configured ones the scopes allow."""
    limited = {s.removeprefix("backend:") for s in scopes if s.startswith("backend:")}
    if not limited or "*" in limited or "*" in scopes:
        return ("*",)
    reachable = tuple(b for b in known if b in limited)
    if not reachable:
        raise ApiError(
            grpc.StatusCode.PERMISSION_DENIED,
            "the caller's backend scopes reach no configured backend",
            reason="MISSING_SCOPE",
            metadata={"scope": "backend:*"},
        )
    return reachable


def watched_change(event: StreamEvent, message: Message, kind: str) -> Message:
    """The WatchResponse.change for a stored event."""
    headers = event.headers
    change = changes_pb2.WatchedChange(
        id=headers.get("ce-id", ""),
        source=headers.get("ce-source", ""),
        type=headers.get("ce-type", ""),
        subject=headers.get("ce-subject", ""),
        revision=headers.get(REVISION_HEADER, ""),
        stream_sequence=event.sequence,
    )
    if "ce-time" in headers:
        with contextlib.suppress(ValueError):
            change.time.FromDatetime(parse_time(headers["ce-time"]))
    getattr(change, kind).CopyFrom(message)
    return change


def initial_change(backend: str, kind: str, resource: Message) -> Message:
    """The WatchResponse.change for a resource of the initial state."""
    event = getattr(changes_pb2.WatchedChange(), kind).__class__()
    resource_field = event.DESCRIPTOR.fields_by_number[2].name
    getattr(event, resource_field).CopyFrom(resource)
    event.resource_name = resource.name
    event.change_time.GetCurrentTime()
    change = changes_pb2.WatchedChange(
        id=change_id(backend, resource.name, f"initial.{update_nanos(resource)}"),
        source=SOURCE_PREFIX + backend,
        type=f"deskbridge.v1.{kind}.initial_state",
        subject=resource.name,
        initial_state=True,
    )
    change.time.CopyFrom(event.change_time)
    getattr(change, kind).CopyFrom(event)
    return change


def _kind_of(subject: str) -> tuple[str, str] | None:
    parts = subject.split(".")
    if len(parts) < 4 or parts[2] not in KINDS:
        return None
    return parts[1], parts[2]


def _call_ended() -> ApiError:
    return ApiError(grpc.StatusCode.CANCELLED, "the call ended", reason="CALL_ENDED")


@dataclass(eq=False)
class _Watch:
    """One running watch: what ends it early, and why."""

    feed: Feed | None = None
    position: int = 0  # the stream sequence the client has everything up to
    ending: asyncio.Future = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def end(self, error: ApiError) -> None:
        if not self.ending.done():
            self.ending.set_result(error)
        if self.feed is not None:
            self.feed.wake()


class ChangeServicer(pb2_grpc("changes").ChangeServiceServicer):
    def __init__(self, deps: Dependencies, stream: str = StreamSettings().name) -> None:
        self._deps = deps
        self._stream = stream
        self._watches: set[_Watch] = set()
        deps.stopping.append(self.stop)

    async def stop(self) -> None:
        """Shutdown: every watch ends with UNAVAILABLE and its resume token."""
        for watch in list(self._watches):
            watch.end(
                ApiError(
                    grpc.StatusCode.UNAVAILABLE,
                    "this server is shutting down; resume on another replica with the token",
                    reason="SERVER_SHUTTING_DOWN",
                )
            )

    async def Watch(self, request, context):
        info = call_info()
        plan = plan_watch(request, info.scopes, [b.name for b in self._deps.registry.all()])
        if self._deps.nats is None:
            raise ApiError(
                grpc.StatusCode.FAILED_PRECONDITION,
                "this Deskbridge runs without NATS (DESKBRIDGE_NATS_URL unset): "
                "there are no changes to watch",
                reason="EVENTS_DISABLED",
                metadata={"setting": "DESKBRIDGE_NATS_URL"},
            )
        if len(plan.backends) == 1 and plan.backends != ("*",):
            info.backend = plan.backends[0]
        js = self._deps.nats.jetstream()
        state = await self._state(js)
        start = state.end if not request.resume_token else self._resume_at(request, state)
        # Headers now: a client that has them knows its watch is established (nothing stored
        # from here on will be missed) and holds a token for this point already.
        await context.send_initial_metadata(
            ((REQUEST_ID_KEY, info.request_id), (RESUME_TOKEN_KEY, encode_token(start)))
        )
        watch = _Watch()
        self._watches.add(watch)
        # A deadline or a client's cancel does not interrupt a handler waiting on its feed.
        context.add_done_callback(lambda _: watch.end(_call_ended()))
        try:
            seen: dict[str, int] = {}
            if request.send_initial_state:
                count, listed = 0, []
                async for kind, backend, resource in self._initial_state(plan):
                    if kind not in listed:
                        listed.append(kind)
                    seen[resource.name] = update_nanos(resource)
                    count += 1
                    await self._send(
                        context,
                        watch,
                        changes_pb2.WatchResponse(change=initial_change(backend, kind, resource)),
                    )
                listed_to = (await self._state(js)).last_sequence
                await self._send(
                    context,
                    watch,
                    changes_pb2.WatchResponse(
                        initial_state_end=changes_pb2.InitialStateEnd(
                            resource_kinds=listed, resource_count=count
                        ),
                        resume_token=encode_token(start),
                    ),
                )
            else:
                listed_to = start.sequence
            await self._follow(context, watch, js, plan, start, seen, listed_to)
        except ApiError as error:
            if watch.feed is not None:
                raise _with_token(error, Position(start.created, watch.position)) from None
            raise
        finally:
            self._watches.discard(watch)
            if watch.feed is not None:
                await watch.feed.close()

    async def _state(self, js) -> StreamState:
        try:
            return await stream_state(js, self._stream)
        except Exception as error:
            raise ApiError(
                grpc.StatusCode.UNAVAILABLE,
                f"the event stream cannot be read: {error}",
                reason="EVENTS_UNAVAILABLE",
                retry_after_seconds=1.0,
            ) from None

    def _resume_at(self, request, state: StreamState) -> Position:
        try:
            position = decode_token(request.resume_token)
        except ValueError as error:
            raise invalid_argument(FieldViolation("resume_token", str(error))) from None
        if position.created != state.created or position.sequence + 1 < state.first_sequence:
            raise ApiError(
                grpc.StatusCode.OUT_OF_RANGE,
                "the resume token is older than the event stream's retention: changes after it "
                "are gone. List again (Watch with send_initial_state) and watch from there",
                reason="RESUME_TOKEN_EXPIRED",
                metadata={
                    "token_sequence": str(position.sequence),
                    "first_sequence": str(state.first_sequence),
                },
            )
        if position.sequence > state.last_sequence:
            raise invalid_argument(
                FieldViolation("resume_token", "names a position this stream has not reached")
            )
        return position

    async def _initial_state(self, plan: WatchPlan):
        backends = (
            self._deps.registry.all()
            if plan.backends == ("*",)
            else [self._deps.registry.get(b) for b in plan.backends]
        )
        for kind in plan.kinds:
            if kind not in LISTS:
                continue
            for backend in backends:
                async for resource in _list_all(backend, kind):
                    if kind != "ticket" or ticket_matches(plan.ticket_filter, resource):
                        yield kind, backend.name, resource

    async def _follow(
        self,
        context,
        watch: _Watch,
        js,
        plan: WatchPlan,
        start: Position,
        seen: dict[str, int],
        listed_to: int,
    ) -> None:
        feed = watch.feed = Feed(
            js, self._stream, plan.subjects(), start.sequence, self._deps.watch_buffer
        )
        await feed.start()
        watch.position = start.sequence
        created = start.created
        while True:
            event = await feed.next(plan.bookmark_seconds)
            if watch.ending.done():
                raise watch.ending.result()
            if event is None:
                # Nothing the client needs lies before this position: moving on is safe even
                # if the bookmark itself never arrives.
                watch.position = max(watch.position, await feed.idle_position())
                bookmark = changes_pb2.WatchResponse(
                    bookmark=changes_pb2.Bookmark(),
                    resume_token=encode_token(Position(created, watch.position)),
                )
                bookmark.bookmark.time.GetCurrentTime()
                await self._send(context, watch, bookmark)
                continue
            response = self._response(event, plan, seen, listed_to)
            if event.sequence > listed_to:
                seen.clear()
            if response is not None:
                response.resume_token = encode_token(Position(created, event.sequence))
                await self._send(context, watch, response)
            watch.position = event.sequence  # after the write: an unsent change stays ahead

    def _response(
        self, event: StreamEvent, plan: WatchPlan, seen: dict[str, int], listed_to: int
    ) -> Message | None:
        found = _kind_of(event.subject)
        if found is None:
            return None
        backend, kind = found
        try:
            message = decode_payload(event.headers.get("ce-type"), event.data)
        except UndecodableEvent as error:
            log.warning("watch_event_undecodable", seq=event.sequence, error=str(error))
            return None
        if message is None or not plan.wants(backend, kind, message):
            return None
        if seen and event.sequence <= listed_to:
            resource = _resource_of(message)
            shown = seen.get(getattr(resource, "name", ""))
            deleted = message.action == pb2("events").CHANGE_ACTION_DELETED
            if shown is not None and not deleted and update_nanos(resource) <= shown:
                return None  # the initial state already showed this state or a newer one
        return changes_pb2.WatchResponse(change=watched_change(event, message, kind))

    async def _send(self, context, watch: _Watch, response: Message) -> None:
        """Write one message. A client that does not read blocks the write (HTTP/2 flow
        control); one blocked for `watch_stall_seconds` ends the watch, and so does shutdown,
        which must not wait for it."""
        write = asyncio.ensure_future(context.write(response))
        stall = self._deps.watch_stall_seconds
        done, _ = await asyncio.wait(
            {write, watch.ending}, timeout=stall, return_when="FIRST_COMPLETED"
        )
        if write in done:
            write.result()
            return
        write.cancel()
        if watch.ending.done():
            raise watch.ending.result()
        raise ApiError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"the client read nothing for {stall:g} s while changes waited; resume with the "
            "token of the last message received",
            reason="WATCH_CLIENT_STALLED",
            metadata={"stall_seconds": f"{stall:g}"},
        )


def _resource_of(message: Message) -> Message:
    return getattr(message, message.DESCRIPTOR.fields_by_number[2].name)


def _with_token(error: ApiError, position: Position) -> ApiError:
    error.metadata = {**error.metadata, "resume_token": encode_token(position)}
    return error


async def _list_all(backend: Backend, kind: str):
    """Every resource of `kind` the backend's List operation returns, page by page."""
    service, method = LISTS[kind]
    descriptor = service_descriptor(service).methods_by_name[method]
    operation = backend.operations.get(f"{descriptor.containing_service.full_name}/{method}")
    if operation is None:
        return
    request_class = _message_class(descriptor.input_type)
    repeated = next(f.name for f in descriptor.output_type.fields if f.is_repeated)
    request = request_class(parent=f"backends/{backend.name}", page_size=LIST_PAGE_SIZE)
    if "include_disabled" in request.DESCRIPTOR.fields_by_name:
        request.include_disabled = True
    while True:
        response = await operation(request)
        for resource in getattr(response, repeated):
            yield resource
        if not response.next_page_token:
            return
        request.page_token = response.next_page_token


def _message_class(descriptor) -> type[Message]:
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(descriptor)


def register(server, deps: Dependencies) -> ChangeServicer:
    servicer = ChangeServicer(deps)
    pb2_grpc("changes").add_ChangeServiceServicer_to_server(servicer, server)
    return servicer
