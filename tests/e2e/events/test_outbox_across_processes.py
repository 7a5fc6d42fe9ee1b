"""The outbox on a per-pod volume, with real `deskbridge serve tickets` processes: what a
killed process queued is published by the next process on the same path, exactly once and in
order; and a process told to stop (SIGTERM) as NATS returns drains its outbox before it exits."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from e2e_events import decoded, stored_events
from e2e_support import free_port
from google.protobuf import field_mask_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from deskbridge.events.outbox import Outbox
from deskbridge.events.payloads import decode_payload
from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

BACKEND = "pvc"
GRACE = 5.0  # DESKBRIDGE_SHUTDOWN_GRACE_SECONDS
RENAMES = [(1000, "pvc-1"), (1001, "pvc-2"), (1000, "pvc-3"), (1002, "pvc-4"), (1000, "pvc-5")]


@pytest.fixture
async def own_nats(tmp_path) -> AsyncIterator[EmbeddedNats]:
    """A nats-server of this test's own (port fixed on first start, kept by restarts)."""
    server = EmbeddedNats(tmp_path / "nats", name="deskbridge-pvc")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def sandbox_url() -> AsyncIterator[str]:
    sandbox = await start_sandbox(SandboxConfig(request_count=5))
    yield sandbox.url
    await sandbox.stop()


@pytest.fixture
def service_env(tmp_path, own_nats, sandbox_url) -> dict[str, str]:
    """The environment of a `deskbridge serve tickets` pod: its outbox on the "volume"."""
    config = tmp_path / "deskbridge.toml"
    config.write_text(
        f'[[backends]]\nname = "{BACKEND}"\nvendor = "invgate"\nbase_url = "{sandbox_url}"\n'
        '[backends.credentials]\nusername = "api"\npassword_env = "PVC_INVGATE_PASSWORD"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKBRIDGE_")}
    return env | {
        "DESKBRIDGE_CONFIG": str(config),
        "DESKBRIDGE_NATS_URL": own_nats.url,
        "DESKBRIDGE_OUTBOX_DIR": str(tmp_path / "pvc" / "outbox"),
        "DESKBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "DESKBRIDGE_GRPC_ADDRESS": f"127.0.0.1:{free_port()}",
        "DESKBRIDGE_SHUTDOWN_GRACE_SECONDS": str(GRACE),
        "PVC_INVGATE_PASSWORD": "sandbox-token",
    }


class Pod:
    """One `deskbridge serve tickets` process; its log goes to a file (never a full pipe)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.address = env["DESKBRIDGE_GRPC_ADDRESS"]
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> Pod:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "deskbridge.cli",
                "serve",
                "tickets",
                env=self.env,
                stdout=log,
                stderr=log,
            )
        await self._wait_serving(time.monotonic() + 30)
        return self

    async def _wait_serving(self, deadline: float) -> None:
        check = health_pb2.HealthCheckRequest(service="deskbridge.v1.TicketService")
        async with grpc.aio.insecure_channel(self.address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while True:
                assert self.process is not None and self.process.returncode is None, self.logs()
                try:
                    status = (await health.Check(check, timeout=1)).status
                    if status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.aio.AioRpcError:
                    pass
                assert time.monotonic() < deadline, "the service did not become SERVING"
                await asyncio.sleep(0.1)

    async def rename_all(self) -> None:
        """Every rename in RENAMES, one after another; each must succeed."""
        async with grpc.aio.insecure_channel(self.address) as channel:
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            for ticket, title in RENAMES:
                await stub.UpdateTicket(
                    t.UpdateTicketRequest(
                        ticket=t.Ticket(name=f"backends/{BACKEND}/tickets/{ticket}", title=title),
                        update_mask=field_mask_pb2.FieldMask(paths=["title"]),
                    ),
                    timeout=15,
                )

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


def queued_files(outbox: Path) -> list[Path]:
    return sorted(outbox.glob("*.event"))


def leftovers(outbox: Path) -> list[str]:
    """What the outbox holds besides its lock and its sequence number."""
    return sorted(str(p.relative_to(outbox)) for p in outbox.rglob("*")) if outbox.exists() else []


def queued_in_order(outbox: Path) -> list[tuple[str, str, str]]:
    """(ce-id, ticket name, title) of every queued event, oldest first, read through the
    Outbox itself: this also proves the killed owner's lock went with it."""
    with Outbox(outbox, fsync=False) as box:
        return [described(e.headers, e.payload) for e in box.entries()]


def queued_on_disk(outbox: Path) -> list[tuple[str, str, str]]:
    """The same, read from the files while a live process owns the directory (one JSON line
    with the subject and headers, then the payload)."""
    found = []
    for path in queued_files(outbox):
        line, _, payload = path.read_bytes().partition(b"\n")
        found.append(described(json.loads(line)["headers"], payload))
    return found


def described(headers: dict[str, str], payload: bytes) -> tuple[str, str, str]:
    ticket = decode_payload(headers["ce-type"], payload).ticket
    return headers["ce-id"], ticket.name, ticket.title


async def stream_once_drained(nats_url: str, outbox: Path, count: int) -> list:
    """The backend's events on the stream, once `count` are there and the outbox is empty."""
    deadline = time.monotonic() + 30
    while True:
        messages = await stored_events(nats_url, BACKEND, settle=0.3)
        if len(messages) >= count and not queued_files(outbox):
            return messages
        assert time.monotonic() < deadline, f"{len(messages)} of {count} events arrived"
        await asyncio.sleep(0.2)


async def test_a_killed_pods_outbox_is_published_by_the_next_pod(tmp_path, own_nats, service_env):
    outbox = Path(service_env["DESKBRIDGE_OUTBOX_DIR"])
    first = await Pod(service_env, tmp_path / "first.log").start()
    second = Pod(service_env, tmp_path / "second.log")
    try:
        await own_nats.stop()
        await first.rename_all()  # the vendor changed; the events wait on the volume
        assert len(queued_files(outbox)) == len(RENAMES)
        first.process.send_signal(signal.SIGKILL)  # pod deleted: no shutdown code runs
        assert await asyncio.wait_for(first.process.wait(), 10) == -signal.SIGKILL
        queued = queued_in_order(outbox)
        expected = [(f"backends/{BACKEND}/tickets/{n}", title) for n, title in RENAMES]
        assert [(name, title) for _, name, title in queued] == expected

        await own_nats.start()  # same port, same data
        await second.start()
        await stream_once_drained(own_nats.url, outbox, len(RENAMES))
        await asyncio.sleep(1.0)  # a second publish of any of them would be stored by now
        messages = await stored_events(own_nats.url, BACKEND, settle=0.3)
        assert [m.headers["ce-id"] for m in messages] == [ce_id for ce_id, _, _ in queued]
        assert [decoded(m).ticket.title for m in messages] == [title for _, title in RENAMES]
        assert leftovers(outbox) == [".lock", "sequence"]  # no event, corrupt/ or failed/

        second.process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.process.wait(), GRACE + 10) == 0
    finally:
        await first.stop()
        await second.stop()


async def terminate_within_the_grace(pod: Pod) -> None:
    """SIGTERM: the process exits 0, within the shutdown grace and a little."""
    pod.process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    code = await asyncio.wait_for(pod.process.wait(), GRACE + 15)
    took = time.monotonic() - started
    assert code == 0, pod.logs()
    assert took < GRACE + 3, f"took {took:.1f}s"


async def test_sigterm_as_nats_returns_drains_the_outbox_before_exit(
    tmp_path, own_nats, service_env
):
    outbox = Path(service_env["DESKBRIDGE_OUTBOX_DIR"])
    pod = await Pod(service_env, tmp_path / "pod.log").start()
    try:
        await own_nats.stop()
        await pod.rename_all()
        queued = [ce_id for ce_id, _, _ in queued_on_disk(outbox)]
        assert len(queued) == len(RENAMES)

        await own_nats.start()
        # At once: before the client reconnects and before the drain's 1 s tick could run.
        await terminate_within_the_grace(pod)
        assert queued_files(outbox) == [], pod.logs()
        messages = await stored_events(own_nats.url, BACKEND, settle=0.3)
        assert [m.headers["ce-id"] for m in messages] == queued
        assert leftovers(outbox) == [".lock", "sequence"]
        lines = pod.log.read_text().splitlines()
        events = [json.loads(line)["event"] for line in lines if line.startswith("{")]
        assert "outbox_pending_at_shutdown" not in events
        assert "sandbox-token" not in "\n".join(lines)  # the vendor password, in no log line
        # drained by the shutdown itself, not by the background task before it
        assert events.index("outbox_drained") > events.index("grpc_server_stopping")
    finally:
        await pod.stop()


async def test_sigterm_with_nats_still_away_exits_within_the_grace_keeping_the_outbox(
    tmp_path, own_nats, service_env
):
    outbox = Path(service_env["DESKBRIDGE_OUTBOX_DIR"])
    pod = await Pod(service_env, tmp_path / "pod.log").start()
    try:
        await own_nats.stop()
        await pod.rename_all()
        queued = queued_on_disk(outbox)
        await terminate_within_the_grace(pod)  # the drain waited, but not for ever
        assert queued_on_disk(outbox) == queued  # all there, for the next pod on the volume
        assert '"outbox_pending_at_shutdown"' in pod.log.read_text()
    finally:
        await pod.stop()
