"""A real `deskbridge up` process and the commands that find it through its discovery file
(`<DESKBRIDGE_DATA_DIR>/up.json`): `events tail` its NATS, `tickets create` its gRPC address."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

from cli_support import deskbridge_process
from e2e_support import free_port
from service_logs import collect

from deskbridge.cli.discovery import UP_FILE, find_up


def environment(data_dir: Path) -> dict[str, str]:
    """This machine's environment with nothing naming a Deskbridge but the data directory."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DESKBRIDGE_NATS_URL", "DESKBRIDGE_CONFIG", "DESKBRIDGE_ADDRESS")
    }
    return {**env, "DESKBRIDGE_DATA_DIR": str(data_dir), "DESKBRIDGE_LOG_LEVEL": "warning"}


async def start_up(tmp_path: Path, env: dict[str, str], nats_port: int, address: str):
    ports = [str(free_port()) for _ in range(5)]
    with (tmp_path / "up.log").open("wb") as log:  # the banner (stdout) names sandbox passwords
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "deskbridge.cli", "up", "--grpc-address", address,
            "--nats-port", str(nats_port), "--sandbox-port", ports[0],
            "--motadata-port", ports[1], "--crmcom-port", ports[2],
            "--requestor-port", ports[3], "--webhook-port", ports[4], "--requests", "20",
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )  # fmt: skip


async def until_recorded(path: Path, process) -> dict:
    deadline = time.monotonic() + 60
    while not await asyncio.to_thread(path.exists):
        assert process.returncode is None, "deskbridge up ended"
        assert time.monotonic() < deadline, "deskbridge up did not write its discovery file"
        await asyncio.sleep(0.2)
    return json.loads(await asyncio.to_thread(path.read_text))


async def test_tail_and_tickets_find_the_running_up(tmp_path):
    data_dir = tmp_path / "data"
    env = environment(data_dir)
    nats_port, address = free_port(), f"127.0.0.1:{free_port()}"
    up = await start_up(tmp_path, env, nats_port, address)
    tail = None
    try:
        record = await until_recorded(data_dir / UP_FILE, up)
        assert record == {
            "grpc_address": address,
            "nats_url": f"nats://127.0.0.1:{nats_port}",
            "tls": False,
            "pid": up.pid,
        }
        subject = "deskbridge.invgate.ticket.created"
        tail = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "deskbridge.cli", "events", "tail", "--json", "--limit", "1",
            "--subject", subject, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        waiting = (await asyncio.wait_for(tail.stderr.readline(), 30)).decode().strip()
        assert waiting == (
            f"deskbridge: waiting on nats://127.0.0.1:{nats_port} (the running `deskbridge up`, "
            f"{data_dir / UP_FILE}), stream DESKBRIDGE_EVENTS, subject {subject}, new events only"
        )
        made = await deskbridge_process(
            "tickets", "create", "--backend", "invgate", "--title", "Found through up.json",
            "--requester", "101", "--category", "1", "--priority", "low", "--type", "incident",
            "--json", env=env,
        )  # fmt: skip
        assert made.code == 0, made.err
        ticket = made.json()["ticket"]
        event = json.loads(await asyncio.wait_for(tail.stdout.readline(), 30))
        assert (event["subject"], event["data"]["ticket"]["title"]) == (
            ticket["name"],
            "Found through up.json",
        )
        assert await asyncio.wait_for(tail.wait(), 10) == 0

        up.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(up.wait(), 30) == 0
        assert not (data_dir / UP_FILE).exists()  # removed on a clean stop
        assert not collect("deskbridge up (cli)", tmp_path / "up.log")  # its logs are JSON
    finally:
        for process in (tail, up):
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()


async def test_a_file_left_by_a_process_that_is_gone_is_ignored(tmp_path):
    data_dir = tmp_path / "data"
    gone = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await gone.wait()
    data_dir.mkdir()
    (data_dir / UP_FILE).write_text(
        json.dumps(
            {"grpc_address": "127.0.0.1:1", "nats_url": "nats://127.0.0.1:1", "pid": gone.pid}
        )
    )
    env = {"DESKBRIDGE_DATA_DIR": str(data_dir)}
    assert find_up(env) is None
    (data_dir / UP_FILE).write_text(
        json.dumps({"grpc_address": "127.0.0.1:1", "nats_url": "nats://h:1", "pid": os.getpid()})
    )
    alive = find_up(env)
    assert alive is not None and (alive.grpc_address, alive.tls) == ("127.0.0.1:1", False)
