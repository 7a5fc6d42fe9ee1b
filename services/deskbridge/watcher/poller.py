"""The poll loop of one backend: each declared kind, every interval, while the lease is held.

A cycle of a kind with a change feed reads the feed from the watermark (less the overlap) in a
bounded page walk; when the watermark is older than the feed reaches, it reconciles with a
full scan instead (logged, counted). A kind without a feed is scanned whole; the first scan is
a silent baseline, and a later complete scan that misses a known resource publishes its delete
(a failed or partial scan never does). Every resource seen goes through the shared snapshot
(`deskbridge.events.revisions`): only states no path has published yet become events, with
the same `ce-id` the API path would have given them. Webhook hints take the same path.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from google.protobuf import message_factory, timestamp_pb2
from google.protobuf.message import Message
from prometheus_client import Counter, Gauge

from deskbridge.events.changes import publish_change
from deskbridge.events.payloads import message_class
from deskbridge.events.revisions import RevisionStore, Snapshot, Transition, state_digest
from deskbridge.runtime import tracing
from deskbridge.runtime.backends import Backend
from deskbridge.runtime.dispatch import Change
from deskbridge.runtime.sources import ChangeSource, Observed, Page, WebhookHint
from deskbridge.runtime.tasks import cancel_and_wait
from deskbridge.runtime.views import update_nanos
from deskbridge.watcher.actions import derive_action
from deskbridge.watcher.config import WatchConfig
from deskbridge.watcher.inbox import read_inbox
from deskbridge.watcher.state import KindState, load_state, save_state
from deskbridge.watcher.subscriptions import SubscriptionKeeper

log = structlog.get_logger(__name__)
T = TypeVar("T")
SNAPSHOT_BATCH = 64  # snapshot reads and silent writes in flight at once
PUBLISH_IN_FLIGHT = 64  # resources published at once, each one's changes in order
NEW_SECONDS = 300.0  # a pushed resource first seen and created this recently was created

WATERMARK = Gauge(
    "deskbridge_watcher_watermark_seconds",
    "Epoch time before which every vendor change of the kind is on the stream",
    ["backend", "kind"],
)
LAST_CHANGE = Gauge(
    "deskbridge_watcher_last_change_seconds",
    "Vendor time (epoch) of the last change the watcher published",
    ["backend", "kind"],
)
LAG = Gauge(
    "deskbridge_watcher_lag_seconds",
    "Age of the watermark at the end of the last cycle",
    ["backend", "kind"],
)
PUBLISHED = Counter(
    "deskbridge_watcher_events",
    "Changes the watcher published, by origin (poll, webhook)",
    ["backend", "kind", "origin"],
)
RECONCILIATIONS = Counter(
    "deskbridge_watcher_reconciliations",
    "Full scans run because the watermark was older than the vendor's change feed reaches",
    ["backend", "kind"],
)
CYCLE_ERRORS = Counter(
    "deskbridge_watcher_cycle_errors", "Poll cycles that failed", ["backend", "kind"]
)


@dataclass
class CycleReport:
    """What one cycle did (tests and benchmarks read it)."""

    kind: str
    calls: int = 0
    seen: int = 0
    published: int = 0
    deleted: int = 0
    reconciled: bool = False
    complete: bool = True


class BackendWatcher:
    """Change capture of one backend."""

    def __init__(
        self,
        backend: Backend,
        config: WatchConfig,
        *,
        publisher: Any,
        revisions: RevisionStore,
        kv: Any,
        holding=lambda: True,
        js: Any = None,
    ) -> None:
        self.backend = backend
        self.config = config
        self.publisher = publisher
        self.revisions = revisions
        self.kv = kv
        self.holding = holding  # whether this process may act for the backend right now
        self.sources = [s for s in backend.capture.sources if config.watches(s.kind)]
        self.js = js  # JetStream: the inbox of pushed deliveries (watcher/inbox.py)
        pushed = backend.capture.subscriptions
        self.subscriptions = SubscriptionKeeper(backend.name, pushed, kv) if pushed else None
        self._published: dict[str, str] = {}  # resource name → digest this process last saw
        self._locks: dict[str, asyncio.Lock] = {}
        self._hint_locks: dict[str, tuple[asyncio.Lock, int]] = {}

    # ---------------------------------------------------------------- running

    async def run(self) -> None:
        """Every kind's loop until cancelled (the caller runs this while holding the lease),
        once the vendor's webhook subscriptions are what they should be."""
        if self.subscriptions is not None:
            await self._reconcile_subscriptions()
        polled = [source for source in self.sources if source.polled]
        loops = [asyncio.create_task(self._loop(source)) for source in polled]
        if self.subscriptions is not None and self.js is not None:
            inbox = read_inbox(
                self.js,
                self.backend.name,
                self.subscriptions.subscriptions.parse,
                self.push,
                self.config.reorder_seconds,
            )
            loops.append(asyncio.create_task(inbox, name=f"inbox-{self.backend.name}"))
        try:
            await asyncio.gather(*loops)
        finally:  # each loop stopped for sure, not only asked to (see cancel_and_wait)
            for loop in loops:
                await cancel_and_wait(loop)

    async def _reconcile_subscriptions(self) -> None:
        pause = 1.0
        while True:
            try:
                await self.subscriptions.reconcile()
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the vendor away: try again, backing off
                log.warning(
                    "webhook_subscriptions_failed",
                    backend=self.backend.name,
                    error=str(error) or type(error).__name__,
                    retry_seconds=pause,
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, 60.0)

    async def _loop(self, source: ChangeSource) -> None:
        interval = self.config.interval(source.kind)
        while True:
            started = time.monotonic()
            if self.holding():
                try:
                    await self.cycle(source)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    await self._failed(source, error)
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

    async def cycle(self, source: ChangeSource) -> CycleReport:
        """One poll of one kind (see the module docstring); a trace of its own when tracing."""
        attributes = {"deskbridge.backend": self.backend.name, "deskbridge.kind": source.kind}
        with tracing.span(f"poll {self.backend.name} {source.kind}", attributes=attributes):
            return await self._cycle(source)

    async def _cycle(self, source: ChangeSource) -> CycleReport:
        async with self._lock(source.kind):
            state = await load_state(self.kv, self.backend.name, source.kind)
            if source.changes is not None:
                report = await self._feed_cycle(source, state)
                if source.deletable and source.scan is not None and self._deletes_due(state):
                    await self._delete_scan(source, state, report)
            else:
                report = await self._scan_cycle(source, state)
            state.last_poll = time.time()
            state.error = ""
            await save_state(self.kv, self.backend.name, source.kind, state)
            labels = (self.backend.name, source.kind)
            if state.watermark is not None:
                WATERMARK.labels(*labels).set(state.watermark)
                LAG.labels(*labels).set(max(0.0, time.time() - state.watermark))
            if state.last_change is not None:
                LAST_CHANGE.labels(*labels).set(state.last_change)
            return report

    async def _failed(self, source: ChangeSource, error: Exception) -> None:
        """Count and log a failed cycle, and keep its error as data (GetSyncStatus)."""
        text = str(error) or type(error).__name__
        CYCLE_ERRORS.labels(self.backend.name, source.kind).inc()
        log.warning("watcher_cycle_failed", backend=self.backend.name, kind=source.kind, error=text)
        try:
            state = await load_state(self.kv, self.backend.name, source.kind)
            state.error = text[:500]
            await save_state(self.kv, self.backend.name, source.kind, state)
        except Exception:  # NATS away too: the log line is what is left
            pass

    def _lock(self, kind: str) -> asyncio.Lock:
        return self._locks.setdefault(kind, asyncio.Lock())

    @contextlib.asynccontextmanager
    async def _held(self, key: str) -> AsyncIterator[None]:
        """A lock per key, forgotten when nobody holds or waits for it."""
        lock, users = self._hint_locks.get(key, (asyncio.Lock(), 0))
        self._hint_locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._hint_locks[key]
            if users == 1:
                del self._hint_locks[key]
            else:
                self._hint_locks[key] = (lock, users - 1)

    async def _feed_cycle(self, source: ChangeSource, state: KindState) -> CycleReport:
        report = CycleReport(source.kind)
        started = time.time()
        overlap = self.config.overlap_seconds
        if state.watermark is None:
            state.watermark = started - overlap  # a first start watches from now on,
            if source.scan is not None:  # knowing what is there, so the first edit is a diff
                await self._baseline(source, report)
        since = state.watermark - overlap
        reach = source.window_seconds
        if reach is not None and started - since > reach - self.config.interval(source.kind):
            if source.scan is None:
                raise RuntimeError(f"{source.kind}: watermark outside the feed and no scan")
            RECONCILIATIONS.labels(self.backend.name, source.kind).inc()
            state.reconciliations += 1
            log.warning(
                "watcher_reconciling",
                backend=self.backend.name,
                kind=source.kind,
                watermark_age_seconds=round(started - state.watermark, 1),
                feed_reach_seconds=reach,
            )
            observed, complete, _ = await self._walk(source.scan, None, report)
            report.reconciled = True
        else:
            feed = source.changes

            async def read(cursor: str | None) -> Page:
                return await feed(since, cursor)

            observed, complete, cursor = await self._walk(read, state.cursor, report)
            observed = [
                o for o in observed if o.vendor_time is None or o.vendor_time.timestamp() >= since
            ]
            state.cursor = cursor if not complete else None
        created_after = datetime.fromtimestamp(since, UTC)
        await self._apply(source, observed, created_after, "poll", report, state)
        if complete:
            state.watermark = started
        report.complete = complete
        return report

    async def _scan_cycle(self, source: ChangeSource, state: KindState) -> CycleReport:
        report = CycleReport(source.kind)
        started = time.time()
        observed, complete, _ = await self._walk(source.scan, None, report)
        baseline = state.known is None
        await self._apply(source, observed, None, "poll", report, state, baseline=baseline)
        if complete:
            present = {o.message.name for o in observed}
            if source.deletable and state.known is not None:
                for name in sorted(set(state.known) - present):
                    if await self._tombstone(source, name):
                        report.deleted += 1
            state.known = sorted(present)
            state.watermark = started
        report.complete = complete
        return report

    def _deletes_due(self, state: KindState) -> bool:
        last = state.deletes_scanned
        return last is None or time.time() - last >= self.config.deletes_every_seconds

    async def _delete_scan(self, source: ChangeSource, state: KindState, report: CycleReport):
        """A feed shows what changed, never what is gone: a deletable kind with a feed is
        also scanned whole every `deletes_every_seconds`, and what a complete scan no longer
        shows becomes a tombstone (the first scan only learns what there is)."""
        started = time.time()
        names: list[str] = []
        cursor, complete = None, True
        for _ in range(self.config.max_pages):
            page = await source.scan(cursor)
            report.calls += 1
            names.extend(o.message.name for o in page.resources)
            complete = complete and page.complete
            cursor = page.cursor
            if cursor is None:
                break
        if not complete or cursor is not None:
            return  # a partial scan proves nothing gone
        present = set(names)
        if state.known is not None:
            for name in sorted(set(state.known) - present):
                if await self._tombstone(source, name):
                    report.deleted += 1
        state.known = sorted(present)
        state.deletes_scanned = started

    async def _baseline(self, source: ChangeSource, report: CycleReport) -> None:
        """Learn what the scan shows, silently (what a snapshot already knows still counts),
        a page at a time: a first start over 100,000 tickets holds one page in memory."""
        cursor, seen, complete = None, 0, True
        for _ in range(self.config.max_pages):
            page = await source.scan(cursor)
            report.calls += 1
            seen += len(page.resources)
            complete = complete and page.complete
            await self._apply(source, page.resources, None, "poll", report, baseline=True)
            cursor = page.cursor
            if cursor is None:
                break
        log.info(
            "watcher_baseline",
            backend=self.backend.name,
            kind=source.kind,
            resources=seen,
            complete=complete and cursor is None,
        )

    async def _walk(self, read, cursor: str | None, report: CycleReport):
        """Pages from `cursor` on, at most `max_pages`: (resources, complete, resume cursor)."""
        observed: list[Observed] = []
        complete = True
        for _ in range(self.config.max_pages):
            page = await read(cursor)
            report.calls += 1
            observed.extend(page.resources)
            complete = complete and page.complete
            cursor = page.cursor
            if cursor is None:
                return observed, complete, None
        return observed, False, cursor

    # ---------------------------------------------------------------- publishing

    async def _apply(
        self,
        source: ChangeSource,
        observed: Sequence[Observed],
        created_after: datetime | None,
        origin: str,
        report: CycleReport,
        state: KindState | None = None,
        *,
        baseline: bool = False,
        changed: list[tuple[Observed, Transition]] | None = None,
        with_children: bool = False,
    ) -> None:
        """Publish what `observed` holds that no path has published (`changed`: its
        transitions, when the caller read them already; `with_children`: `observed` holds the
        children already)."""
        report.seen += len(observed)
        ordered = sorted(observed, key=lambda o: o.vendor_time or datetime.min.replace(tzinfo=UTC))
        if changed is None:
            changed = await self._transitions(ordered)
        # a baseline learns no children: ones first seen later that predate the watch are
        # learnt then (`_predates`)
        parents = [] if baseline or with_children else _parents(ordered, changed, created_after)
        if source.children is not None and parents:
            # A comment in the same second as the last edit leaves the ticket as it was, so
            # children are read for every recently touched parent, not only the changed ones.
            children = await source.children(parents)
            report.calls += 1
            changed += await self._transitions(children)
        learnt = [
            transition
            for item, transition in changed
            if transition.previous is None and (baseline or _predates(item, source, created_after))
        ]
        for start in range(0, len(learnt), SNAPSHOT_BATCH):  # not changes seen happening
            await asyncio.gather(
                *(self.revisions.commit(t) for t in learnt[start : start + SNAPSHOT_BATCH])
            )
        silent = {id(t) for t in learnt}
        for item, transition in changed:
            if id(transition) in silent:
                self._published[item.message.name] = transition.current.digest
        news = [(item, t) for item, t in changed if id(t) not in silent]
        # the changed kind first, then what hangs off it (a ticket before its new comments)
        for phase in (
            [pair for pair in news if pair[0].kind == source.kind],
            [pair for pair in news if pair[0].kind != source.kind],
        ):
            await in_parallel(
                _by_resource(phase),
                lambda steps: self._publish_in_order(
                    steps, source, created_after, origin, report, state
                ),
                PUBLISH_IN_FLIGHT,
            )

    async def _publish_in_order(
        self,
        steps: Sequence[tuple[Observed, Transition]],
        source: ChangeSource,
        created_after: datetime | None,
        origin: str,
        report: CycleReport,
        state: KindState | None,
    ) -> None:
        """The changes of one resource, one after the other."""
        for item, transition in steps:
            if not self.holding():
                raise RuntimeError("the lease was lost mid-cycle")
            await self._publish(item, transition, created_after, origin)
            report.published += 1
            if state is not None and item.vendor_time is not None and item.kind == source.kind:
                state.last_change = max(state.last_change or 0.0, item.vendor_time.timestamp())
            self._published[item.message.name] = transition.current.digest

    async def _transitions(self, observed: Sequence[Observed]) -> list[tuple[Observed, Transition]]:
        """What differs from the snapshots, in the order observed (snapshots read in batches:
        a first start reads one per resource)."""
        fresh = []
        for item in observed:
            digest = state_digest(item.message)
            if self._published.get(item.message.name) != digest:
                fresh.append((item, digest))
            # else the vendor still has what this process last saw: nothing new
        found = []
        for start in range(0, len(fresh), SNAPSHOT_BATCH):
            batch = fresh[start : start + SNAPSHOT_BATCH]
            transitions = await asyncio.gather(
                *(self.revisions.observe(item.message, digest=digest) for item, digest in batch)
            )
            for (item, digest), transition in zip(batch, transitions, strict=True):
                if transition.unchanged:
                    self._published[item.message.name] = digest
                else:
                    found.append((item, transition))
        return found

    async def _publish(
        self, item: Observed, transition: Transition, created_after: datetime | None, origin: str
    ) -> None:
        action = derive_action(item, transition, created_after)
        fields = transition.changed_fields() if transition.seen_before else []
        change = Change(self.backend.name, item.kind, action, item.message, fields, "")
        await publish_change(self.publisher, self.revisions, change, transition, origin)
        PUBLISHED.labels(self.backend.name, item.kind, origin).inc()
        log.info(
            "watcher_change_published",
            backend=self.backend.name,
            kind=item.kind,
            resource=item.message.name,
            action=action,
            origin=origin,
            revision=transition.revision,
        )

    async def _tombstone(self, source: ChangeSource, resource_name: str) -> bool:
        transition = await self.revisions.tombstone(resource_name)
        if transition is None or transition.previous is None or transition.previous.message is None:
            return False
        resource_class = _resource_class(source.kind)
        if resource_class is None:
            return False
        last = resource_class.FromString(transition.previous.message)
        await self._publish(Observed(source.kind, last), transition, None, "poll")
        self._published.pop(resource_name, None)
        return True

    # ---------------------------------------------------------------- webhooks

    async def on_hints(self, hints: Sequence[WebhookHint]) -> int:
        """Fetch what webhook hints name and publish what changed; how many events."""
        published = 0
        for kind in dict.fromkeys(h.kind for h in hints):
            source = self.backend.capture.source(kind)
            if source is None or source.fetch is None:
                raise ValueError(f"{self.backend.name} cannot fetch {kind!r} for a webhook")
            ids = [h.remote_id for h in hints if h.kind == kind]
            report = CycleReport(kind)
            observed = await source.fetch(ids)
            # one hint at a time per resource (their snapshots), many resources at once
            async with self._held(f"{kind}:{','.join(sorted(map(str, ids)))}"):
                since = datetime.fromtimestamp(time.time() - 2 * self.config.interval(kind), UTC)
                await self._apply(
                    source,
                    observed,
                    since,
                    "webhook",
                    report,
                    with_children=source.fetch_has_children,
                )
            published += report.published
        return published

    async def push(self, item: Observed) -> int:
        """Publish a resource a pushed delivery carried (the inbox calls this in the vendor's
        time order); how many events. A state older than the one last published (a delivery
        later than the reorder window) is not news and is dropped."""
        source = self.backend.capture.source(item.kind)
        if source is None:
            raise ValueError(f"{self.backend.name} does not watch {item.kind!r}")
        async with self._held(item.message.name):
            return await self._push_one(source, item)

    async def _push_one(self, source: ChangeSource, item: Observed) -> int:
        digest = state_digest(item.message)
        if self._published.get(item.message.name) == digest:
            return 0  # the state this process last published or saw
        # one snapshot read says both whether the state is news and whether it is outdated
        transition = await self.revisions.observe(item.message, digest=digest)
        if _older(item, transition.previous):
            log.info("webhook_state_outdated", resource=item.message.name)
            return 0
        changed = [] if transition.unchanged else [(item, transition)]
        if transition.unchanged:
            self._published[item.message.name] = digest
        report = CycleReport(item.kind)
        recent = datetime.fromtimestamp(time.time() - NEW_SECONDS, UTC)
        await self._apply(source, [item], recent, "webhook", report, changed=changed)
        return report.published


def _older(item: Observed, previous: Snapshot | None) -> bool:
    """Whether a pushed state is older than the last one published of its resource."""
    if item.vendor_time is None or previous is None:
        return False
    before = previous.updated
    if not before and previous.message is not None:  # a snapshot stored before `updated`
        resource_class = _resource_class(item.kind)
        if resource_class is None:
            return False
        before = update_nanos(resource_class.FromString(previous.message))
    seen = timestamp_pb2.Timestamp()
    seen.FromDatetime(item.vendor_time)
    return before > 0 and seen.ToNanoseconds() < before


def _by_resource(
    changes: Sequence[tuple[Observed, Transition]],
) -> list[list[tuple[Observed, Transition]]]:
    """The changes grouped per resource, each group in the order given."""
    groups: dict[str, list[tuple[Observed, Transition]]] = {}
    for pair in changes:
        groups.setdefault(pair[0].message.name, []).append(pair)
    return list(groups.values())


async def in_parallel(
    groups: Sequence[T], work: Callable[[T], Awaitable[None]], limit: int
) -> None:
    """`work` on every group, at most `limit` at a time; once one fails no other starts, and
    the first failure is raised when the ones running have finished."""
    if len(groups) == 1:
        await work(groups[0])
        return
    queue = iter(groups)
    failures: list[Exception] = []

    async def worker() -> None:
        for group in queue:  # one shared iterator: each group is taken once
            if failures:
                return
            try:
                await work(group)
            except Exception as failure:
                failures.append(failure)

    await asyncio.gather(*(worker() for _ in range(min(limit, len(groups)))))
    if failures:
        raise failures[0]


def _parents(
    ordered: Sequence[Observed],
    changed: Sequence[tuple[Observed, Transition]],
    recent_after: datetime | None,
) -> list[Observed]:
    """What children are read for: the changed resources and those touched since `recent_after`."""
    names = {o.message.name for o, _ in changed}
    return [
        o
        for o in ordered
        if o.message.name in names
        or (
            recent_after is not None and o.vendor_time is not None and o.vendor_time >= recent_after
        )
    ]


def _predates(item: Observed, source: ChangeSource, created_after: datetime | None) -> bool:
    """A child first seen now that existed before the watched window (an old comment of a
    ticket that just changed): nothing happened to it."""
    return (
        item.kind != source.kind
        and created_after is not None
        and item.create_time is not None
        and item.create_time < created_after
    )


def _resource_class(kind: str) -> type[Message] | None:
    """The resource message an event of `kind` carries (`GroupEvent.group` → Group)."""
    event_class = message_class(kind)
    if event_class is None:
        return None
    for field in event_class.DESCRIPTOR.fields:
        if field.message_type is not None and "name" in field.message_type.fields_by_name:
            return message_factory.GetMessageClass(field.message_type)
    return None
