"""The JetStream streams (events, dead letters) and KV buckets Deskbridge relies on.

Both `ensure_*` functions are idempotent and safe to run from every replica at start: they
create what is missing and update settings that differ, and never delete data. A change
JetStream cannot apply in place (storage type) is logged and left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import structlog
from nats.js import api
from nats.js.errors import BucketNotFoundError, NotFoundError

log = structlog.get_logger(__name__)

DAY = 24 * 3600.0


@dataclass
class StreamSettings:
    name: str = "DESKBRIDGE_EVENTS"
    subjects: list[str] = field(default_factory=lambda: ["deskbridge.>"])
    replicas: int = 1
    max_age_seconds: float = 7 * DAY
    duplicate_window_seconds: float = 120.0
    storage: str = "file"  # or "memory"
    dead_letter_stream: str | None = "DESKBRIDGE_DEADLETTER"  # None: no dead-letter stream
    dead_letter_subjects: list[str] = field(default_factory=lambda: ["deskbridge-dlq.>"])
    dead_letter_max_age_seconds: float = 30 * DAY

    def event_stream(self) -> api.StreamConfig:
        return api.StreamConfig(
            name=self.name,
            description="Deskbridge change events (CloudEvents, deskbridge.v1 protobuf)",
            subjects=list(self.subjects),
            retention=api.RetentionPolicy.LIMITS,
            storage=api.StorageType(self.storage),
            num_replicas=self.replicas,
            max_age=self.max_age_seconds,
            duplicate_window=min(self.duplicate_window_seconds, self.max_age_seconds),
            discard=api.DiscardPolicy.OLD,
            allow_direct=True,
        )

    def dead_letter_stream_config(self) -> api.StreamConfig | None:
        if not self.dead_letter_stream:
            return None
        return api.StreamConfig(
            name=self.dead_letter_stream,
            description="Deskbridge events a consumer gave up on (see deskbridge-dlq-* headers)",
            subjects=list(self.dead_letter_subjects),
            retention=api.RetentionPolicy.LIMITS,
            storage=api.StorageType(self.storage),
            num_replicas=self.replicas,
            max_age=self.dead_letter_max_age_seconds,
            duplicate_window=min(self.duplicate_window_seconds, self.dead_letter_max_age_seconds),
            discard=api.DiscardPolicy.OLD,
        )


def _require_connected(js: Any) -> None:
    nc = getattr(js, "_nc", None)
    if nc is not None and not nc.is_connected:
        # Requests made before the first connection would wait on an inbox the server never
        # hears about; fail fast instead and let the caller try again later.
        raise ConnectionError("NATS is not connected")


async def ensure_streams(js: Any, settings: StreamSettings | None = None) -> None:
    """Create or update the event stream and the dead-letter stream."""
    settings = settings or StreamSettings()
    _require_connected(js)
    await ensure_stream(js, settings.event_stream())
    dead_letter = settings.dead_letter_stream_config()
    if dead_letter is not None:
        await ensure_stream(js, dead_letter)


_COMPARED = ("subjects", "num_replicas", "max_age", "duplicate_window", "description")


async def ensure_stream(js: Any, wanted: api.StreamConfig) -> api.StreamInfo:
    """Create `wanted`, or update the existing stream's settings that differ from it."""
    try:
        info = await js.stream_info(wanted.name)
    except NotFoundError:
        info = await js.add_stream(wanted)
        log.info("stream_created", stream=wanted.name, subjects=wanted.subjects)
        return info
    current = info.config
    if current.storage != wanted.storage:
        log.warning(
            "stream_storage_differs_kept",
            stream=wanted.name,
            current=str(current.storage),
            wanted=str(wanted.storage),
        )
    changes = {
        name: getattr(wanted, name)
        for name in _COMPARED
        if not _same(getattr(current, name), getattr(wanted, name))
    }
    if not changes:
        return info
    updated = current.evolve(**changes)
    info = await js.update_stream(updated)
    log.info("stream_updated", stream=wanted.name, changed=sorted(changes))
    return info


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, float | int) and isinstance(current, float | int):
        return abs(float(current) - float(wanted)) < 1e-6
    if isinstance(wanted, list) and isinstance(current, list):
        return sorted(current) == sorted(wanted)
    return (current or None) == (wanted or None)


async def ensure_kv(
    js: Any,
    bucket: str,
    ttl_seconds: float,
    replicas: int = 1,
    *,
    history: int = 1,
    direct: bool = False,
):
    """The KV bucket `bucket` (entries expire after `ttl_seconds`), created or updated.

    `direct`: reads are JetStream direct gets, answered by any replica from the stream itself
    (a raw message, not an API response: ~10 % of the watcher's CPU in the P7 profile went to
    parsing those). Any replica may answer a little behind the leader, so only buckets whose
    writes are compare-and-set take it (a stale read is a refused write, read again)."""
    _require_connected(js)
    try:
        kv = await js.key_value(bucket)
    except BucketNotFoundError:
        kv = await js.create_key_value(
            api.KeyValueConfig(
                bucket=bucket, ttl=ttl_seconds, replicas=replicas, history=history, direct=direct
            )
        )
        log.info("kv_bucket_created", bucket=bucket, ttl_seconds=ttl_seconds)
        return kv
    stream = f"KV_{bucket}"
    current = (await js.stream_info(stream)).config
    changes: dict[str, Any] = {}
    if bool(current.allow_direct) != direct:
        changes["allow_direct"] = direct
    if not _same(current.max_age or 0.0, float(ttl_seconds or 0.0)):
        changes["max_age"] = ttl_seconds
        if ttl_seconds and current.duplicate_window > ttl_seconds:
            changes["duplicate_window"] = ttl_seconds
    if current.num_replicas != replicas:
        changes["num_replicas"] = replicas
    if changes:
        await js.update_stream(current.evolve(**changes))
        log.info("kv_bucket_updated", bucket=bucket, changed=sorted(changes))
        if "allow_direct" in changes:
            kv = await js.key_value(bucket)  # the handle knows whether to read directly
    return kv


async def bounded_kv(nc: Any, bucket: str, request_timeout: float) -> Any:
    """Bucket `bucket` through a JetStream context whose requests time out after
    `request_timeout`: cheaper than a timer of one's own around every call (a timer, a task
    and, on Python 3.11, a getpid() per call)."""
    return await nc.jetstream(timeout=request_timeout).key_value(bucket)
