"""The event view: the last state of every resource of the chosen backends seen on the stream.

A read model for vendors without reads (`deskbridge.runtime.views`). Whatever publishes an
event of such a backend — the API path or the watcher, at once or from the outbox — records the
resource it carries here after JetStream acked it (`EventView.record`, the publisher's
`on_published` hook), so the view holds what the stream says and nothing else.

Storage is the NATS KV bucket `deskbridge_views` (one value per resource, no history, no
expiry: a ticket untouched for a year is still there), key `<backend>.<kind>.<remote id>`, value
`{"seq", "revision", "at", "deleted", "message"}`. A state older than the one stored (a lower
revision sequence: a webhook retried late) never replaces it; writes are compare-and-set.

Every process that reads the view keeps it in memory too, fed by a KV watch of its backends:
the whole of what the view holds is loaded before the first read (`ready`), later changes
arrive in milliseconds, and what this process records itself is there at once (reading your
own writes). Memory is the serialized resources — a Requestor instance's tickets, users and
companies — which is what a read model costs.
"""

from __future__ import annotations

import asyncio
import base64
import bisect
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

import nats.js.errors
import orjson
import structlog

from deskbridge.events.envelope import ChangeEvent
from deskbridge.events.payloads import message_class
from deskbridge.runtime.dispatch import first_resource
from deskbridge.runtime.tasks import cancel_and_wait
from deskbridge.runtime.views import sort_key

log = structlog.get_logger(__name__)
VIEWS_BUCKET = "deskbridge_views"
_KEY_UNSAFE = re.compile(r"[^-_A-Za-z0-9]")


def view_key(backend: str, kind: str, remote_id: str) -> str:
    escaped = _KEY_UNSAFE.sub(lambda m: "".join(f"={b:02X}" for b in m.group().encode()), remote_id)
    return f"{backend}.{kind}.{escaped}"


def _unescape(text: str) -> str:
    return re.sub(
        r"(=[0-9A-F]{2})+", lambda m: bytes.fromhex(m.group().replace("=", "")).decode(), text
    )


def _seq(revision: str) -> int:
    head = revision.partition(".")[0]
    return int(head) if head.isdigit() else 0


class _Kind:
    """One backend kind in memory: remote id → serialized resource, and the ids in order."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}
        self.seqs: dict[str, int] = {}
        self.order: list[tuple[tuple[int, int, str], str]] = []

    def put(self, remote_id: str, seq: int, data: bytes) -> bool:
        if seq < self.seqs.get(remote_id, -1):
            return False
        if remote_id not in self.values:
            bisect.insort(self.order, (sort_key(remote_id), remote_id))
        self.values[remote_id] = data
        self.seqs[remote_id] = seq
        return True


class EventView:
    """See the module docstring; `backends` are those whose resources it keeps."""

    def __init__(self, kv: Any, backends: Iterable[str]) -> None:
        self._kv = kv
        self.backends = frozenset(backends)
        self._kinds: dict[tuple[str, str], _Kind] = {}
        self._updated: dict[str, float] = {}
        self._revisions: dict[str, int] = {}  # KV key → the latest KV revision known of it
        self._loaded: dict[str, asyncio.Event] = {b: asyncio.Event() for b in self.backends}
        self._tasks: list[asyncio.Task] = []

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        for backend in sorted(self.backends):
            self._tasks.append(asyncio.create_task(self._follow(backend), name=f"view-{backend}"))

    async def stop(self) -> None:
        for task in self._tasks:
            await cancel_and_wait(task)
        self._tasks.clear()

    async def _follow(self, backend: str) -> None:
        """Load what KV holds of `backend`, then follow it (restarting the watch if it ends)."""
        while True:
            try:
                watcher = await self._kv.watch(f"{backend}.>")
                async for entry in watcher:
                    if entry is None:  # the initial values are all in
                        self._loaded[backend].set()
                        continue
                    if entry.revision > self._revisions.get(entry.key, 0):  # not our own write
                        self._take(entry.key, entry.value, entry.operation)
                        self._known(entry.key, entry.revision)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("event_view_watch_failed", backend=backend, error=str(error))
            await asyncio.sleep(1.0)

    def _take(self, key: str, value: bytes | None, operation: str | None) -> None:
        backend, kind, escaped = key.split(".", 2)
        if value is None or operation in ("DEL", "PURGE"):
            return
        try:
            document = orjson.loads(value)
            data = base64.b64decode(document["message"])
            self._kind(backend, kind).put(_unescape(escaped), int(document["seq"]), data)
            at = float(document.get("at") or 0.0)
            self._updated[backend] = max(self._updated.get(backend, 0.0), at)
        except (ValueError, KeyError, TypeError) as error:
            log.warning("event_view_unreadable", key=key, error=str(error))

    def _kind(self, backend: str, kind: str) -> _Kind:
        return self._kinds.setdefault((backend, kind), _Kind())

    # ------------------------------------------------------------------ writing

    async def record(self, event: ChangeEvent) -> None:
        """Keep the resource `event` carries, unless a later state is already kept."""
        if event.backend not in self.backends:
            return
        resource = event.carried if event.carried is not None else _resource_of(event)
        if resource is None:
            return
        remote_id = event.resource_name.rpartition("/")[2]
        seq = _seq(event.revision)
        data = resource.SerializeToString(deterministic=True)
        if not self._kind(event.backend, event.resource).put(remote_id, seq, data):
            return
        self._updated[event.backend] = time.time()
        document = {
            "seq": seq,
            "revision": event.revision,
            "at": time.time(),
            "deleted": event.action == "deleted",
            "message": base64.b64encode(data).decode(),
        }
        key = view_key(event.backend, event.resource, remote_id)
        await self._store(key, seq, document, loaded=self._loaded[event.backend].is_set())

    async def _store(self, key: str, seq: int, document: dict[str, Any], *, loaded: bool) -> None:
        value = orjson.dumps(document)
        # One round trip when the stored revision is known (from the watch or a write of this
        # process: its state is then in memory too, and `record` checked it is not later), or
        # when the key is new to a view that has loaded everything KV holds.
        known = self._revisions.get(key)
        if known is not None or loaded:
            try:
                if known is None:
                    self._known(key, await self._kv.create(key, value))
                else:
                    self._known(key, await self._kv.update(key, value, last=known))
                return
            except (nats.js.errors.KeyWrongLastSequenceError, nats.js.errors.APIError):
                pass  # written meanwhile: read it, as below
        for _ in range(3):  # compare-and-set: a later state stored meanwhile wins
            try:
                entry = await self._kv.get(key)
            except nats.js.errors.KeyNotFoundError:
                entry = None
            try:
                if entry is None or entry.value is None:
                    self._known(key, await self._kv.create(key, value))
                else:
                    if int(orjson.loads(entry.value).get("seq", 0)) > seq:
                        return
                    self._known(key, await self._kv.update(key, value, last=entry.revision))
                return
            except (nats.js.errors.KeyWrongLastSequenceError, nats.js.errors.APIError):
                continue
        log.warning("event_view_not_stored", key=key)

    def _known(self, key: str, revision: int | None) -> None:
        if isinstance(revision, int) and revision > self._revisions.get(key, 0):
            self._revisions[key] = revision

    # ------------------------------------------------------------------ reading

    async def ready(self, backend: str) -> None:
        loaded = self._loaded.get(backend)
        if loaded is not None:
            await loaded.wait()

    def get(self, backend: str, kind: str, remote_id: str) -> bytes | None:
        held = self._kinds.get((backend, kind))
        return held.values.get(remote_id) if held is not None else None

    def after(self, backend: str, kind: str, remote_id: str | None) -> Iterator[tuple[str, bytes]]:
        held = self._kinds.get((backend, kind))
        if held is None:
            return
        order = held.order
        at = (
            0 if remote_id is None else bisect.bisect_right(order, (sort_key(remote_id), remote_id))
        )
        while at < len(order):  # by index: a page reads a slice, never copies the whole list
            found = order[at][1]
            yield found, held.values[found]
            at += 1

    def updated_at(self, backend: str) -> float | None:
        return self._updated.get(backend)


def _resource_of(event: ChangeEvent):
    event_class = message_class(event.resource)
    return None if event_class is None else first_resource(event_class.FromString(event.payload))
