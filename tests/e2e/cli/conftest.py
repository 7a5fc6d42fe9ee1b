"""The `deskbridge` command's gRPC families, run in-process against real runtimes (the e2e
fixtures: an InvGate stack, a Motadata stack) or as real processes."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No address, backend, token or running `up` leaks in from the machine's environment;
    tables are as a pipe gets them (no terminal width)."""
    for name in (
        "COLUMNS",
        "DESKBRIDGE_ADDRESS",
        "DESKBRIDGE_BACKEND",
        "DESKBRIDGE_TOKEN",
        "DESKBRIDGE_TOKEN_FILE",
        "DESKBRIDGE_TLS_CA_FILE",
        "DESKBRIDGE_CLIENT_CERT_FILE",
        "DESKBRIDGE_CLIENT_KEY_FILE",
        "DESKBRIDGE_NATS_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DESKBRIDGE_DATA_DIR", str(tmp_path / "no-up-here"))
