"""Prometheus metrics of the gRPC server and of vendor calls, in the names people graph.

gRPC: the names and labels of go-grpc-prometheus / py-grpc-prometheus, which dashboards and
alerts already use — `grpc_server_started_total`, `grpc_server_handled_total` and
`grpc_server_handling_seconds` by `grpc_type`, `grpc_service`, `grpc_method` (and
`grpc_code` on handled) — with `backend` added to the histogram. In flight = started - handled.

Vendor calls (runtime/upstream.py), per backend, vendor and endpoint (the path with its
numeric segments as `{id}`): `deskbridge_vendor_requests_total` by method and HTTP status
(`timeout`, `unreachable`, `cancelled`, `broken` when no status came back),
`deskbridge_vendor_request_seconds`, `deskbridge_vendor_retries_total` by reason and
`deskbridge_vendor_retry_wait_seconds_total` (time spent backing off, `Retry-After` included).
The outbox and the watcher export their own gauges (events/publisher.py, watcher/).

Labelled children are looked up once per label set and kept: `labels()` costs a lock and a
tuple on every call otherwise.
"""

from __future__ import annotations

import re
from typing import Any

from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

GRPC_STARTED = Counter(
    "grpc_server_started",
    "RPCs started on the server",
    ["grpc_type", "grpc_service", "grpc_method"],
)
GRPC_HANDLED = Counter(
    "grpc_server_handled",
    "RPCs completed on the server, by status code",
    ["grpc_type", "grpc_service", "grpc_method", "grpc_code"],
)
GRPC_HANDLING = Histogram(
    "grpc_server_handling_seconds",
    "Time from the start of an RPC to its status, by backend",
    ["grpc_type", "grpc_service", "grpc_method", "backend"],
    buckets=LATENCY_BUCKETS,
)
VENDOR_REQUESTS = Counter(
    "deskbridge_vendor_requests",
    "HTTP exchanges with vendors, by endpoint, method and HTTP status",
    ["backend", "vendor", "endpoint", "method", "status"],
)
VENDOR_SECONDS = Histogram(
    "deskbridge_vendor_request_seconds",
    "Duration of one HTTP exchange with a vendor (one attempt)",
    ["backend", "vendor", "endpoint", "method"],
    buckets=LATENCY_BUCKETS,
)
VENDOR_RETRIES = Counter(
    "deskbridge_vendor_retries",
    "Vendor calls attempted again, by the reason of the failed attempt",
    ["backend", "vendor", "endpoint", "reason"],
)
VENDOR_RETRY_WAIT = Counter(
    "deskbridge_vendor_retry_wait_seconds",
    "Time spent waiting before retrying vendor calls (backoff and Retry-After)",
    ["backend", "vendor", "reason"],
)

_children: dict[tuple[int, tuple[str, ...]], Any] = {}
_NUMERIC_SEGMENT = re.compile(r"/\d+(?=/|$)")


def child(metric: Any, *labels: str) -> Any:
    """`metric.labels(*labels)`, looked up once per label set."""
    key = (id(metric), labels)
    found = _children.get(key)
    if found is None:
        found = _children[key] = metric.labels(*labels)
    return found


def endpoint_of(path: str) -> str:
    """A vendor path as a metric label: numeric segments become `{id}` (bounded cardinality)."""
    return _NUMERIC_SEGMENT.sub("/{id}", path)


class RpcMetrics:
    """The three gRPC server series of one method, resolved once per method."""

    __slots__ = ("_handled", "_handling", "_labels", "started")

    def __init__(self, full_method: str, grpc_type: str) -> None:
        service, _, method = full_method.rpartition("/")
        self._labels = (grpc_type, service, method)
        self.started = child(GRPC_STARTED, *self._labels)
        self._handled: dict[str, Any] = {}
        self._handling: dict[str, Any] = {}

    def handled(self, code: str, backend: str, seconds: float) -> None:
        counter = self._handled.get(code)
        if counter is None:
            counter = self._handled[code] = child(GRPC_HANDLED, *self._labels, code)
        counter.inc()
        histogram = self._handling.get(backend)
        if histogram is None:
            histogram = self._handling[backend] = child(GRPC_HANDLING, *self._labels, backend)
        histogram.observe(seconds)
