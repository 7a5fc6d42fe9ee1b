"""Every line a Deskbridge process writes to stderr must be JSON (runtime/logging.py): tests
that run `deskbridge` processes hand their stderr here, and the session fails at its end when
any line did not parse (conftest.py), as it does for leaked secrets."""

from __future__ import annotations

import json
from pathlib import Path

_not_json: list[tuple[str, str]] = []  # (where it came from, the line)


def collect(where: str, output: str | bytes | Path) -> list[str]:
    """Check `output` (text, bytes or a log file) line by line; the lines that are not JSON."""
    if isinstance(output, Path):
        output = output.read_bytes() if output.exists() else b""
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    bad = []
    for line in output.splitlines():
        if not line.strip():
            continue
        try:
            parsed = json.loads(line)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            bad.append(line)
            _not_json.append((where, line))
    return bad


def not_json() -> list[tuple[str, str]]:
    return list(_not_json)
