"""Deskbridge as separate processes (`deskbridge serve`, `deskbridge watch`), to kill with -9."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nats
import orjson
from e2e_support import free_port

from deskbridge.watcher.lease import read_lease
from deskbridge.watcher.state import WATCHER_BUCKET
from deskbridge.watcher.subscriptions import subscriptions_key


def write_config(path: Path, backend: str, sandbox_url: str, interval: float, secret: str) -> Path:
    path.write_text(
        f'[[backends]]\nname = "{backend}"\nvendor = "invgate"\nbase_url = "{sandbox_url}"\n'
        f'[backends.credentials]\nusername = "api"\npassword = "sandbox-token"\n'
        f'webhook_secret = "{secret}"\n'
        f"[backends.watch]\ninterval_seconds = {interval}\noverlap_seconds = 2\n"
    )
    return path


@dataclass
class Process:
    process: asyncio.subprocess.Process
    address: str  # its gRPC address
    log_path: Path

    @property
    def holder(self) -> str:
        return f"{socket.gethostname()}-{self.process.pid}"

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, no lease release."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def reap(self) -> None:
        self.kill()
        await self.process.wait()


async def spawn(
    tmp_path: Path, config: Path, nats_url: str, command: list[str], **env: str
) -> Process:
    """`deskbridge <command>` against `config`, logging to a file in `tmp_path`."""
    address = f"127.0.0.1:{free_port()}"
    environment = {
        **os.environ,
        "DESKBRIDGE_CONFIG": str(config),
        "DESKBRIDGE_NATS_URL": nats_url,
        "DESKBRIDGE_DATA_DIR": str(tmp_path / f"data-{command[0]}-{free_port()}"),
        "DESKBRIDGE_LOG_LEVEL": "info",
        "DESKBRIDGE_GRPC_ADDRESS": address,
        **env,
    }
    log_path = tmp_path / f"{command[0]}-{free_port()}.log"
    log = open(log_path, "wb")  # noqa: ASYNC230 - a local file, once per process
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "deskbridge.cli", *command, env=environment, stdout=log, stderr=log
    )
    log.close()
    return Process(process, address, log_path)


async def lease_holder(nats_url: str, backend: str) -> str | None:
    """Who holds `backend`'s watcher lease now (None: nobody, or it expired)."""
    nc = await nats.connect(nats_url)
    try:
        try:
            kv = await nc.jetstream().key_value(WATCHER_BUCKET)
        except Exception:
            return None
        record, _ = await read_lease(kv, backend)
        return record.holder if record is not None and record.expires > time.time() else None
    finally:
        await nc.close()


async def until_holder(nats_url: str, backend: str, holders: set[str], timeout: float) -> str:  # noqa: ASYNC109
    """Wait until one of `holders` holds the lease; which one."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        holder = await lease_holder(nats_url, backend)
        if holder in holders:
            return holder
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"none of {holders} took the lease within {timeout}s ({holder})")
        await asyncio.sleep(0.1)


async def until_recorded(nats_url: str, backend: str, count: int, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until the watcher's KV record of `backend`'s subscriptions holds `count` topics:
    the vendor lists a subscription as soon as it answered, KV only after the watcher wrote
    it (watcher/subscriptions.py), and a kill in between is the documented orphan."""
    deadline = asyncio.get_running_loop().time() + timeout
    nc = await nats.connect(nats_url)
    try:
        while True:
            try:
                kv = await nc.jetstream().key_value(WATCHER_BUCKET)
                entry = await kv.get(subscriptions_key(backend))
                held = len(orjson.loads(entry.value or b"{}"))
            except Exception:  # no bucket or no record yet
                held = 0
            if held == count:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{held} subscriptions in KV, not {count}, after {timeout}s")
            await asyncio.sleep(0.05)
    finally:
        await nc.close()
