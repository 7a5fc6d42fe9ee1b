"""The watcher of one process: a `BackendWatcher` per watched backend, run while leased.

Every process that runs a watcher competes for each backend's lease (`watcher/lease.py`);
the holder polls, the others stand by and renew their attempt every third of the TTL. Webhook
intake (`watcher/intake.py`) is served by every watcher process, leased or not: a webhook is
only a hint, and what it leads to is published through the same snapshot as everything else.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Sequence
from typing import Any

import structlog
from prometheus_client import Gauge

from deskbridge.events.revisions import RevisionStore
from deskbridge.runtime.backends import BackendRegistry
from deskbridge.runtime.eventloop import loop_name
from deskbridge.runtime.settings import Settings
from deskbridge.runtime.tasks import cancel_and_wait
from deskbridge.watcher.config import watch_config
from deskbridge.watcher.lease import Lease
from deskbridge.watcher.poller import BackendWatcher

log = structlog.get_logger(__name__)

LEASE_HELD = Gauge(
    "deskbridge_watcher_lease_held", "1 while this process holds the backend's lease", ["backend"]
)


def default_holder() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Watcher:
    """Change capture for the chosen backends (all that declare change sources by default)."""

    def __init__(
        self,
        registry: BackendRegistry,
        settings: Settings,
        *,
        kv: Any,
        publisher: Any,
        revisions: RevisionStore,
        backends: Sequence[str] | None = None,
        holder: str | None = None,
        js: Any = None,
    ) -> None:
        self.holder = holder or default_holder()
        self.lease_seconds = settings.watch_lease_seconds
        self._tasks: list[asyncio.Task] = []
        self.watchers: dict[str, BackendWatcher] = {}
        self.leases: dict[str, Lease] = {}
        configs = {b.name: b for b in settings.backends}
        for backend in registry.all():
            if backends and backend.name not in backends:
                continue
            config = watch_config(configs[backend.name]) if backend.name in configs else None
            capture = backend.capture
            if config is None or not config.enabled:
                continue
            if not capture.sources and capture.subscriptions is None:
                continue
            lease = Lease(kv, backend.name, self.holder, self.lease_seconds)
            self.leases[backend.name] = lease
            self.watchers[backend.name] = BackendWatcher(
                backend,
                config,
                publisher=publisher,
                revisions=revisions,
                kv=kv,
                holding=lambda lease=lease: lease.held,
                js=js,
            )
        unknown = set(backends or ()) - {b.name for b in registry.all()}
        if unknown:
            raise ValueError(f"cannot watch unconfigured backends: {sorted(unknown)}")

    def use_callback_base(self, url: str) -> None:
        """Where vendors that need webhook subscriptions are told to call back (the intake's
        URL, or the public URL in front of it)."""
        for watcher in self.watchers.values():
            if watcher.subscriptions is not None:
                watcher.subscriptions.base = url.rstrip("/")

    async def start(self) -> None:
        for name in self.watchers:
            self._tasks.append(asyncio.create_task(self._lead(name), name=f"watch-{name}"))
        log.info(
            "watcher_started",
            backends=sorted(self.watchers),
            holder=self.holder,
            event_loop=loop_name(),
        )

    async def _lead(self, name: str) -> None:
        lease, watcher = self.leases[name], self.watchers[name]
        running: asyncio.Task | None = None
        try:
            while True:
                held = await lease.acquire_or_renew()
                LEASE_HELD.labels(name).set(1 if held else 0)
                if held and (running is None or running.done()):
                    running = asyncio.create_task(watcher.run(), name=f"poll-{name}")
                elif not held and running is not None:
                    await cancel_and_wait(running)
                    running = None
                await asyncio.sleep(self.lease_seconds / 3)
        finally:
            if running is not None:
                await cancel_and_wait(running)

    async def stop(self) -> None:
        """Stop watching; the lease holder of a backend with webhook subscriptions deletes
        them at the vendor first (a clean stop leaves none behind)."""
        for task in self._tasks:
            await cancel_and_wait(task)
        self._tasks.clear()
        for name, lease in self.leases.items():
            keeper = self.watchers[name].subscriptions
            if keeper is not None and lease.held:
                try:
                    await keeper.release()
                except Exception as error:  # the vendor or NATS away: KV keeps the records
                    log.warning("webhook_release_failed", backend=name, error=str(error))
            await lease.release()
            LEASE_HELD.labels(name).set(0)
