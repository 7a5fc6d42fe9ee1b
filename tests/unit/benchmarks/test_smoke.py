"""CI runs the benchmark harness briefly: it must work end to end and report every figure."""

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_harness_smoke_reports_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert len(figures["targets"]) >= 25  # P1 x 8, P2 to P8
    for target in figures["targets"]:  # every target has a figure, in the table too
        value = target["figure"]
        assert isinstance(value, int | float) and not math.isnan(value), target
        assert f"| {target['target']} |" in result.stdout
    for key in ("p1_floor_cpu_us_crmcom", "p3_1000_floor_per_s", "p7_raw_publish_per_s"):
        assert figures[key] > 0, key
    assert figures["p2_created"] > 0 and figures["machine"]["cpus"] >= 1
    # what is a property of the code, not a speed, holds in a smoke run too
    assert figures["w1_changed_cycle_published"] == 100
    assert figures["w1_changed_cycle_calls"] <= figures["w1_changed_cycle_budget"]
    assert figures["w1_idle_cycle_calls"] == 1
    assert figures["p5_detection_lost"] == 0
    assert figures["p6_invgate_lost"] == 0  # each webhook is answered after its event is acked
    assert figures["p7_lost"] == figures["p7_out_of_order"] == figures["p7_duplicates"] == 0
    assert figures["p7_in_stream"] == figures["p7_changes"]
    for vendor in ("motadata", "crmcom"):  # single flight: never two token requests at once
        assert all(n <= 1 for n in figures[f"p8_{vendor}_token_requests_per_expiry"])
        assert figures[f"p8_{vendor}_token_requests_per_baseline"] == [0]
    if "p3_upstream_calls_per_call" in figures:  # h2load: every call made its vendor call
        assert 0.99 <= figures["p3_upstream_calls_per_call"] <= 1.01


def test_watch_fanout_smoke_delivers_every_event_on_every_watch():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.watch_fanout", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:] + result.stdout[-2000:]
    out = result.stdout
    figures = json.loads(out[out.index("{\n") : out.index("\nW2")])
    assert figures["deliveries"] == figures["watches"] * figures["events"] == 100
    assert figures["delay_p99_ms"] > 0 and figures["rss_after_mb"] > 0
