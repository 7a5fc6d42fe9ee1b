"""Shared fixtures."""

from __future__ import annotations

import pytest

from deskbridge.runtime.nats import EmbeddedNats


@pytest.fixture(scope="session")
async def nats_server(tmp_path_factory: pytest.TempPathFactory):
    """One real nats-server (JetStream) for the session, on a free port.

    Share it politely: use the default StreamSettings() (DESKBRIDGE_EVENTS on deskbridge.>)
    with unique backend names, or streams whose subjects do not overlap deskbridge.>; use
    unique consumer names. Tests that stop or restart NATS start their own EmbeddedNats.
    """
    server = EmbeddedNats(tmp_path_factory.mktemp("nats"), name="deskbridge-test")
    await server.start()
    yield server
    await server.stop()


# Secrets the sandboxes and tests use: none may appear in any log line of the whole suite
# (captured output of every test, passing or not). Checked at the end of the session.
SECRETS = (
    "sandbox-token",
    "sandbox-password",
    "sandbox-secret",
    "sandbox-apikey",
    "ci-token-0123456789abcdef",
    "webhook-test-secret",
    "nats-test-secret",
)
_leaks: dict[tuple[str, str, str], None] = {}  # (test, section, secret), in order, once


def pytest_runtest_logreport(report):
    for title, text in report.sections:
        for secret in SECRETS:
            if secret in text:
                _leaks[(report.nodeid, title, secret)] = None


def pytest_sessionfinish(session, exitstatus):
    from service_logs import not_json

    unparsed = not_json()
    if unparsed:
        lines = "\n".join(f"  {where}: {line[:200]!r}" for where, line in unparsed[:20])
        print(f"\nservice log lines that are not JSON ({len(unparsed)}):\n{lines}")
        session.exitstatus = 1
    if _leaks:
        shown = list(_leaks)[:20]
        lines = "\n".join(f"  {node} [{title}]: {secret!r}" for node, title, secret in shown)
        print(f"\nsecrets in log output ({len(_leaks)}):\n{lines}")
        session.exitstatus = 1
