"""`BackendService.GetSyncStatus`: the watcher's state of a backend, read back from NATS KV.

Any process can answer it (the watcher may run elsewhere): everything comes from the lease and
the per-kind state the lease holder keeps in the `deskbridge_watcher` bucket.
"""

from __future__ import annotations

import time
from typing import Any

from google.protobuf import duration_pb2, timestamp_pb2

from deskbridge.runtime.backends import Backend
from deskbridge.runtime.settings import BackendConfig
from deskbridge.v1 import backends_pb2
from deskbridge.watcher.config import watch_config
from deskbridge.watcher.lease import read_lease
from deskbridge.watcher.state import load_state


def _timestamp(epoch: float | None) -> timestamp_pb2.Timestamp | None:
    if not epoch:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromNanoseconds(int(epoch * 1e9))
    return stamp


def _duration(seconds: float) -> duration_pb2.Duration:
    value = duration_pb2.Duration()
    value.FromNanoseconds(int(seconds * 1e9))
    return value


async def sync_status(
    kv: Any, backend: Backend, config: BackendConfig | None
) -> backends_pb2.SyncStatus:
    watch = watch_config(config) if config is not None else None
    status = backends_pb2.SyncStatus(
        name=f"backends/{backend.name}/syncStatus",
        webhooks_enabled=bool(watch and watch.webhook_secret and backend.capture.webhook)
        or backend.capture.subscriptions is not None,
    )
    if kv is None:
        return status
    lease, _ = await read_lease(kv, backend.name)
    if lease is not None and lease.expires > time.time():
        status.lease_holder = lease.holder
        status.lease_expire_time.CopyFrom(_timestamp(lease.expires))
    for source in backend.capture.sources:
        if watch is not None and not watch.watches(source.kind):
            continue
        state = await load_state(kv, backend.name, source.kind)
        kind = status.kinds.add(
            kind=source.kind,
            reconciliations=state.reconciliations,
            last_error=state.error,
            method=source.note,
        )
        if watch is not None:
            kind.poll_interval.CopyFrom(_duration(watch.interval(source.kind)))
        for field, epoch in (
            ("watermark_time", state.watermark),
            ("last_change_time", state.last_change),
            ("last_poll_time", state.last_poll),
        ):
            stamp = _timestamp(epoch)
            if stamp is not None:
                getattr(kind, field).CopyFrom(stamp)
        if state.watermark:
            kind.lag.CopyFrom(_duration(max(0.0, time.time() - state.watermark)))
    return status
