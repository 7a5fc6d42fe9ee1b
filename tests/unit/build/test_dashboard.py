"""The Grafana dashboard (deploy/grafana/deskbridge.json) graphs exactly what Deskbridge
exports: every metric it names exists, with the labels it groups by, and the file is what
scripts/grafana_dashboard.py writes."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

from prometheus_client import REGISTRY

ROOT = Path(__file__).resolve().parents[3]
EXPORTERS = (
    "deskbridge.runtime.metrics",
    "deskbridge.events.publisher",
    "deskbridge.events.outbox",
    "deskbridge.watcher.poller",
    "deskbridge.watcher.service",
)
FROM_PROMETHEUS = {"le", "pod"}  # labels Prometheus adds (histogram buckets, the target)


def dashboard_module():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module("grafana_dashboard")
    finally:
        sys.path.pop(0)


def expressions() -> list[str]:
    board = json.loads((ROOT / "deploy/grafana/deskbridge.json").read_text())
    return [target["expr"] for panel in board["panels"] for target in panel["targets"]]


def test_the_committed_dashboard_is_what_the_script_writes():
    assert (ROOT / "deploy/grafana/deskbridge.json").read_text() == dashboard_module().render()


def test_every_metric_and_label_the_dashboard_uses_is_exported():
    for module in EXPORTERS:
        importlib.import_module(module)
    collectors = REGISTRY._names_to_collectors  # sample name → its collector
    used = 0
    for expr in expressions():
        grouped = set()
        for labels in re.findall(r"by \(([^)]*)\)", expr):
            grouped |= {label.strip() for label in labels.split(",")}
        for name in re.findall(r"\b(?:grpc_server|deskbridge)_\w+", expr):
            assert name in collectors, f"{name} is not exported (in {expr!r})"
            known = set(collectors[name]._labelnames) | FROM_PROMETHEUS
            assert grouped <= known, f"{expr!r} groups by {grouped - known} that {name} lacks"
            used += 1
    assert used >= 15
