"""One vendor change, one revision, whichever path sees it first (the API or the watcher).

The revision of a change is `<seq>.<digest>`: `digest` identifies the resource's state after
the change, `seq` counts the states this resource has been seen in. Both live in a snapshot per
resource in the NATS KV bucket `deskbridge_resources`, shared by every process:

- the digest covers the typed resource (every deskbridge.v1 field, including the vendor's
  update time) but not the raw vendor record (`remote_data`), which vendors return in
  different shapes from different endpoints for the same state;
- a path that sees a state other than the snapshot's makes the next revision `seq+1.digest`.
  The API path and the watcher read the same snapshot, so they compute the same revision (the
  same `ce-id`) for the same change; two changes in one vendor second differ in state, and
  A → B → A counts on: `1.A`, `2.B`, `3.A`;
- a call that leaves the resource as it was (a password reset request, an idempotent no-op)
  gets `<seq>.<digest>.<request digest>`: a new event per call, the same one for its retry;
  but when the watcher published that state after the call started, the state is the call's
  own change seen first by the watcher, and the call keeps its revision (one change, one
  `ce-id`; JetStream drops the API path's copy);
- a delete is `<seq+1>.deleted`.

The snapshot is written after the event is published (or queued), with compare-and-set on the
KV revision, so a crash between the two republishes the same `ce-id` (JetStream drops it).
The snapshot also keeps a hash per top-level field, so the watcher can say which fields
changed, the resource's own update time, and, when small, the last message itself, so a delete
can carry what was last known.
Without KV (NATS away at start) revisions fall back to `0.<digest>.<request digest>`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

import nats.js.errors
import orjson
import structlog
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from deskbridge.runtime.views import update_nanos

log = structlog.get_logger(__name__)

RESOURCES_BUCKET = "deskbridge_resources"
SNAPSHOT_TTL_SECONDS = 90 * 24 * 3600.0
KV_TIMEOUT = 1.0  # seconds; a KV round trip on a healthy server takes well under 1 ms
MAX_KEPT_MESSAGE = 32 * 1024  # bytes of serialized message kept for tombstones
_NOT_IN_DIFF = {"name", "etag"}  # etag follows from the update time
_KEY_UNSAFE = re.compile(r"[^-/_A-Za-z0-9]")


def snapshot_key(resource_name: str) -> str:
    """The KV key of a resource: its name, with anything KV keys cannot hold escaped."""
    return _KEY_UNSAFE.sub(
        lambda m: "".join(f"={b:02X}" for b in m.group().encode()), resource_name
    )


def state_digest(message: Message) -> str:
    """The identity of a resource's state (see the module docstring)."""
    copy = message.__class__()
    copy.CopyFrom(message)
    if "vendor_record" in copy.DESCRIPTOR.fields_by_name and copy.HasField("vendor_record"):
        copy.vendor_record.ClearField("remote_data")
    return hashlib.sha256(copy.SerializeToString(deterministic=True)).hexdigest()[:20]


def field_hashes(message: Message) -> dict[str, str]:
    """A short hash per set top-level field (and per `vendor_record` field but the raw
    record), for `changed_fields`."""
    hashes: dict[str, str] = {}
    for descriptor, value in message.ListFields():
        name = descriptor.name
        if name == "vendor_record":
            for inner, part in value.ListFields():
                if inner.name != "remote_data":
                    hashes[f"vendor_record.{inner.name}"] = _hash(inner, part)
        elif name not in _NOT_IN_DIFF:
            hashes[name] = _hash(descriptor, value)
    return hashes


def _hash(descriptor: FieldDescriptor, value: Any) -> str:
    shape = _SHAPES.get(descriptor)
    if shape is None:
        shape = _SHAPES[descriptor] = (descriptor.message_type is not None, descriptor.is_repeated)
    message, repeated = shape
    if message:
        if repeated:
            data = b"\x1e".join([v.SerializeToString(deterministic=True) for v in value])
        else:
            data = value.SerializeToString(deterministic=True)
    else:
        data = repr(list(value) if repeated else value).encode()
    return _sha256(data).hexdigest()[:12]


_SHAPES: dict[FieldDescriptor, tuple[bool, bool]] = {}  # (a message?, repeated?) per field
_sha256 = hashlib.sha256


def call_salt(request_id: str) -> str:
    return hashlib.sha256(request_id.encode()).hexdigest()[:12] if request_id else ""


def _snapshot(message: Message, digest: str, salt: str, seq: int = 1) -> Snapshot:
    """The snapshot of a state seen now, to be stored once its event is published."""
    data = message.SerializeToString(deterministic=True)
    return Snapshot(
        seq=seq,
        digest=digest,
        fields=field_hashes(message),
        by=salt,
        message=data if len(data) <= MAX_KEPT_MESSAGE else None,
        at=time.time(),
        updated=update_nanos(message),
    )


@dataclass(frozen=True)
class Snapshot:
    """What is known of a resource's last published state."""

    seq: int
    digest: str
    fields: dict[str, str] = field(default_factory=dict)
    by: str = ""  # call_salt of the API call that published it; "" for the watcher
    message: bytes | None = None
    deleted: bool = False
    at: float = 0.0  # epoch seconds when this state was first seen
    updated: int = 0  # the resource's own update time (ns since the epoch); 0 when unknown

    def encode(self) -> bytes:
        document: dict[str, Any] = {"seq": self.seq, "digest": self.digest, "fields": self.fields}
        if self.at:
            document["at"] = self.at
        if self.updated:
            document["updated"] = self.updated
        if self.by:
            document["by"] = self.by
        if self.deleted:
            document["deleted"] = True
        if self.message is not None:
            document["message"] = base64.b64encode(self.message).decode()
        return orjson.dumps(document)

    @classmethod
    def decode(cls, data: bytes) -> Snapshot:
        document = orjson.loads(data)
        message = document.get("message")
        return cls(
            seq=int(document["seq"]),
            digest=str(document["digest"]),
            fields=dict(document.get("fields") or {}),
            by=str(document.get("by") or ""),
            message=base64.b64decode(message) if message else None,
            deleted=bool(document.get("deleted")),
            at=float(document.get("at") or 0.0),
            updated=int(document.get("updated") or 0),
        )

    @property
    def revision(self) -> str:
        return f"{self.seq}.{self.digest}"


@dataclass(frozen=True)
class Transition:
    """From the stored snapshot (if any) to the state just seen."""

    key: str
    previous: Snapshot | None
    previous_kv_revision: int | None
    current: Snapshot
    revision: str

    @property
    def unchanged(self) -> bool:
        """The state is the one already published."""
        return self.previous is not None and self.previous.digest == self.current.digest

    @property
    def seen_before(self) -> bool:
        return self.previous is not None and not self.previous.deleted

    def changed_fields(self) -> list[str]:
        """Top-level fields whose value differs from the previous snapshot's."""
        return list(self._changed)

    @functools.cached_property
    def _changed(self) -> tuple[str, ...]:  # asked for by the action and by the event
        before = self.previous.fields if self.previous is not None else {}
        after = self.current.fields
        return tuple(
            sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        )


class RevisionStore:
    """Snapshots in KV (None: no KV, fallback revisions); see the module docstring."""

    def __init__(self, kv: Any | None) -> None:
        """`kv`: the bucket, bound to a JetStream context whose request timeout is
        `KV_TIMEOUT` (`events.stream.bounded_kv`), so no timer of ours wraps every call."""
        self._kv = kv

    @property
    def available(self) -> bool:
        return self._kv is not None

    async def observe(
        self,
        message: Message,
        *,
        request_id: str = "",
        call_started: float = 0.0,
        digest: str | None = None,
    ) -> Transition:
        """The transition to `message`'s state, with the revision its event carries.

        `request_id` and `call_started` (epoch seconds) name the API call that made it;
        `digest` is `state_digest(message)` when the caller has it already."""
        key = snapshot_key(message.name)
        salt = call_salt(request_id)
        digest = digest or state_digest(message)
        previous, kv_revision = await self._read(key)
        if self._kv is None or previous is False:
            current = _snapshot(message, digest, salt)
            return Transition(key, None, None, current, f"0.{digest}.{salt or 'poll'}")
        if previous is None:
            current = _snapshot(message, digest, salt)
            return Transition(key, None, None, current, current.revision)
        if previous.digest == digest and not previous.deleted:
            # The state already published: the replay of the call that published it keeps its
            # revision, so does a call whose change the watcher saw first; another call that
            # changed nothing is an event of its own.
            same_call = previous.by == salt
            watched_first = not previous.by and call_started and previous.at >= call_started
            own = same_call or not salt or watched_first
            revision = previous.revision if own else f"{previous.revision}.{salt}"
            # never stored (see `commit`): the stored snapshot stands, no hashing needed
            return Transition(key, previous, kv_revision, previous, revision)
        current = _snapshot(message, digest, salt, seq=previous.seq + 1)
        return Transition(key, previous, kv_revision, current, current.revision)

    async def tombstone(self, resource_name: str) -> Transition | None:
        """The transition of a delete; None when the resource is unknown or already deleted."""
        key = snapshot_key(resource_name)
        previous, kv_revision = await self._read(key)
        if not isinstance(previous, Snapshot) or previous.deleted:
            return None
        gone = Snapshot(
            previous.seq + 1,
            "deleted",
            {},
            "",
            previous.message,
            deleted=True,
            at=time.time(),
            updated=previous.updated,
        )
        return Transition(key, previous, kv_revision, gone, gone.revision)

    async def commit(self, transition: Transition) -> bool:
        """Store the snapshot; False when another path stored a different state meanwhile."""
        if self._kv is None or transition.revision.startswith("0.") or not self._connected():
            return False
        if transition.unchanged and transition.current.by == transition.previous.by:
            return True
        value = transition.current.encode()
        try:
            if transition.previous_kv_revision is None:
                await self._kv.create(transition.key, value)
            else:
                await self._kv.update(transition.key, value, last=transition.previous_kv_revision)
            return True
        except (nats.js.errors.KeyWrongLastSequenceError, nats.js.errors.APIError) as conflict:
            stored, _ = await self._read(transition.key)
            if isinstance(stored, Snapshot) and stored.digest == transition.current.digest:
                return True
            log.info("snapshot_conflict", key=transition.key, error=str(conflict))
            return False
        except Exception as error:  # NATS away: the next path to see the resource catches up
            log.warning("snapshot_not_stored", key=transition.key, error=str(error))
            return False

    async def last_known(self, resource_name: str) -> Snapshot | None:
        snapshot, _ = await self._read(snapshot_key(resource_name))
        return snapshot if isinstance(snapshot, Snapshot) else None

    def _connected(self) -> bool:
        nc = getattr(getattr(self._kv, "_js", None), "_nc", None)
        return nc is None or nc.is_connected

    async def _read(self, key: str) -> tuple[Snapshot | bool | None, int | None]:
        """(snapshot or None when absent, its KV revision); (False, None) when KV failed."""
        if self._kv is None or not self._connected():
            return False, None  # NATS away: fall back at once rather than wait for a timeout
        try:
            entry = await self._kv.get(key)
        except nats.js.errors.KeyNotFoundError:
            return None, None
        except Exception as error:
            log.warning("snapshot_not_read", key=key, error=str(error) or type(error).__name__)
            return False, None
        if entry.value is None or entry.operation in ("DEL", "PURGE"):
            return None, entry.revision
        try:
            return Snapshot.decode(entry.value), entry.revision
        except (ValueError, KeyError, TypeError):
            log.warning("snapshot_unreadable", key=key)
            return None, entry.revision
