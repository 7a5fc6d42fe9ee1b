"""Writes deploy/grafana/deskbridge.json, the Grafana dashboard over exactly the metrics
Deskbridge exports (runtime/metrics.py, events/, watcher/). Run it after changing a panel:
`.venv/bin/python scripts/grafana_dashboard.py`; tests/unit/build/test_dashboard.py checks
that every expression names an exported metric and that the file is what this script writes."""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "deploy" / "grafana" / "deskbridge.json"
RATE = "[$__rate_interval]"

# (title, unit, [(expression, legend)]); one row of two panels per pair
PANELS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "RPCs per second by method",
        "reqps",
        [
            (
                f"sum by (grpc_service, grpc_method) (rate(grpc_server_handled_total{RATE}))",
                "{{grpc_service}}/{{grpc_method}}",
            )
        ],
    ),
    (
        "RPC errors per second by code",
        "reqps",
        [
            (
                'sum by (grpc_method, grpc_code) (rate(grpc_server_handled_total{grpc_code!="OK"}'
                f"{RATE}))",
                "{{grpc_method}} {{grpc_code}}",
            )
        ],
    ),
    (
        "RPC latency p50 / p99 by backend",
        "s",
        [
            (
                "histogram_quantile(0.5, sum by (le, backend) "
                f"(rate(grpc_server_handling_seconds_bucket{RATE})))",
                "p50 {{backend}}",
            ),
            (
                "histogram_quantile(0.99, sum by (le, backend) "
                f"(rate(grpc_server_handling_seconds_bucket{RATE})))",
                "p99 {{backend}}",
            ),
        ],
    ),
    (
        "RPCs in flight",
        "short",
        [
            (
                "sum by (grpc_method) (grpc_server_started_total) - "
                "sum by (grpc_method) (grpc_server_handled_total)",
                "{{grpc_method}}",
            )
        ],
    ),
    (
        "Vendor calls per second by status",
        "reqps",
        [
            (
                "sum by (backend, endpoint, status) "
                f"(rate(deskbridge_vendor_requests_total{RATE}))",
                "{{backend}} {{endpoint}} {{status}}",
            )
        ],
    ),
    (
        "Vendor call latency p99",
        "s",
        [
            (
                "histogram_quantile(0.99, sum by (le, backend, endpoint) "
                f"(rate(deskbridge_vendor_request_seconds_bucket{RATE})))",
                "{{backend}} {{endpoint}}",
            )
        ],
    ),
    (
        "Vendor retries and time waiting (rate limits, backoff)",
        "short",
        [
            (
                f"sum by (backend, reason) (rate(deskbridge_vendor_retries_total{RATE}))",
                "retries {{backend}} {{reason}}",
            ),
            (
                "sum by (backend, reason) "
                f"(rate(deskbridge_vendor_retry_wait_seconds_total{RATE}))",
                "waiting s/s {{backend}} {{reason}}",
            ),
        ],
    ),
    (
        "Events per second by outcome",
        "short",
        [
            (
                f"sum by (resource, outcome) (rate(deskbridge_events_total{RATE}))",
                "{{resource}} {{outcome}}",
            ),
            (
                f"sum(rate(deskbridge_events_dead_lettered_total{RATE}))",
                "dead-lettered",
            ),
        ],
    ),
    (
        "Outbox depth (events waiting for NATS)",
        "short",
        [("sum by (pod) (deskbridge_outbox_depth)", "{{pod}}")],
    ),
    (
        "Event publish p99 (JetStream ack)",
        "s",
        [
            (
                "histogram_quantile(0.99, sum by (le) "
                f"(rate(deskbridge_event_publish_seconds_bucket{RATE})))",
                "p99",
            )
        ],
    ),
    (
        "Watcher lag (age of the watermark)",
        "s",
        [("max by (backend, kind) (deskbridge_watcher_lag_seconds)", "{{backend}} {{kind}}")],
    ),
    (
        "Watcher: lease holder, changes published, failed cycles",
        "short",
        [
            ("max by (backend, pod) (deskbridge_watcher_lease_held)", "lease {{backend}} {{pod}}"),
            (
                f"sum by (backend, origin) (rate(deskbridge_watcher_events_total{RATE}))",
                "events/s {{backend}} {{origin}}",
            ),
            (
                f"sum by (backend, kind) (rate(deskbridge_watcher_cycle_errors_total{RATE}))",
                "failed cycles/s {{backend}} {{kind}}",
            ),
        ],
    ),
]


def panel(index: int, title: str, unit: str, targets: list[tuple[str, str]]) -> dict:
    return {
        "id": index + 1,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
        "targets": [
            {"refId": chr(ord("A") + n), "expr": expr, "legendFormat": legend}
            for n, (expr, legend) in enumerate(targets)
        ],
    }


def dashboard() -> dict:
    return {
        "title": "Deskbridge",
        "uid": "deskbridge",
        "schemaVersion": 39,
        "tags": ["deskbridge", "grpc", "nats"],
        "time": {"from": "now-1h", "to": "now"},
        "refresh": "30s",
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "label": "Prometheus",
                }
            ]
        },
        "panels": [panel(i, *spec) for i, spec in enumerate(PANELS)],
    }


def render() -> str:
    return json.dumps(dashboard(), indent=2) + "\n"


if __name__ == "__main__":
    OUT.write_text(render())
    print(f"wrote {OUT}")
