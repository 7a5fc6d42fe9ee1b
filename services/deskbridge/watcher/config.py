"""How one backend is watched: the `[backends.watch]` table of the config file.

    [backends.watch]
    interval_seconds = 15          # every kind (default 15)
    overlap_seconds = 5            # re-read this far behind the watermark (clock skew, same second)
    deletes_every_seconds = 300    # a kind with a feed and deletes: scanned whole this often
    reorder_seconds = 0.25         # pushed deliveries of one resource held to publish in order
    kinds = ["ticket", "group"]    # default: every kind the adapter declares
    enabled = true
    [backends.watch.intervals]
    group = 60                     # per kind

The webhook secret is the backend credential `webhook_secret` (`webhook_secret_file` in
production); the header carrying it is `webhook_header` (default `X-Deskbridge-Secret`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deskbridge.runtime.settings import BackendConfig, ConfigError, Secret

DEFAULT_INTERVAL = 15.0
DEFAULT_OVERLAP = 5.0
DEFAULT_DELETE_SCAN = 300.0
DEFAULT_REORDER = 0.25
DEFAULT_HEADER = "X-Deskbridge-Secret"


@dataclass(frozen=True)
class WatchConfig:
    interval_seconds: float = DEFAULT_INTERVAL
    intervals: Mapping[str, float] = field(default_factory=dict)
    overlap_seconds: float = DEFAULT_OVERLAP
    kinds: tuple[str, ...] | None = None
    enabled: bool = True
    deletes_every_seconds: float = DEFAULT_DELETE_SCAN
    max_pages: int = 1000  # a bounded page walk per cycle; the rest next cycle
    reorder_seconds: float = DEFAULT_REORDER
    webhook_header: str = DEFAULT_HEADER
    webhook_secret: Secret | None = None

    def interval(self, kind: str) -> float:
        return float(self.intervals.get(kind, self.interval_seconds))

    def watches(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


def watch_config(backend: BackendConfig) -> WatchConfig:
    """The backend's watch settings; `ConfigError` naming the setting when invalid."""
    table: Mapping[str, Any] = backend.options.get("watch") or {}
    where = f"backends[{backend.name}].watch"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: must be a table")

    def seconds(key: str, value: Any) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"{where}.{key}: must be a positive number of seconds, got {value!r}")
        return float(value)

    intervals = table.get("intervals") or {}
    if not isinstance(intervals, Mapping):
        raise ConfigError(f"{where}.intervals: must be a table of kind = seconds")
    kinds = table.get("kinds")
    if kinds is not None and (
        not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds)
    ):
        raise ConfigError(f"{where}.kinds: must be a list of resource kinds")
    header = backend.options.get("webhook_header", DEFAULT_HEADER)
    if not isinstance(header, str) or not header:
        raise ConfigError(f"backends[{backend.name}].webhook_header: must be a header name")
    return WatchConfig(
        interval_seconds=seconds(
            "interval_seconds", table.get("interval_seconds", DEFAULT_INTERVAL)
        ),
        intervals={k: seconds(f"intervals.{k}", v) for k, v in intervals.items()},
        overlap_seconds=seconds("overlap_seconds", table.get("overlap_seconds", DEFAULT_OVERLAP)),
        deletes_every_seconds=seconds(
            "deletes_every_seconds", table.get("deletes_every_seconds", DEFAULT_DELETE_SCAN)
        ),
        reorder_seconds=seconds("reorder_seconds", table.get("reorder_seconds", DEFAULT_REORDER)),
        kinds=tuple(kinds) if kinds is not None else None,
        enabled=bool(table.get("enabled", True)),
        webhook_header=header,
        webhook_secret=backend.credentials.get("webhook_secret"),
    )
