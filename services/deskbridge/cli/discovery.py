"""How `deskbridge` commands find a running `deskbridge up`: its discovery file.

`up` writes `<DESKBRIDGE_DATA_DIR>/up.json` once it serves (its gRPC address, its NATS URL
without credentials, whether gRPC speaks TLS, its process id) and removes it on a clean stop.
Commands read it when neither a flag nor the environment names an address: the gRPC commands
(`--address`) and `events tail` (`--nats-url`). A file whose process is gone (a `kill -9`) is
ignored, so a stale file never points a command at nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deskbridge.runtime.nats import redact_url
from deskbridge.runtime.settings import Settings

UP_FILE = "up.json"


@dataclass(frozen=True)
class UpRecord:
    """What a running `deskbridge up` recorded about itself."""

    grpc_address: str
    nats_url: str
    tls: bool
    pid: int
    path: Path


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The data directory `up` uses with this environment."""
    env = os.environ if env is None else env
    return Path(env.get("DESKBRIDGE_DATA_DIR") or Settings.data_dir)


def write_up_record(directory: Path, grpc_address: str, nats_url: str, *, tls: bool) -> Path:
    """Record this process as the running `up` (atomically, readable by its user only)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / UP_FILE
    document = {
        "grpc_address": grpc_address,
        "nats_url": redact_url(nats_url, mask=""),  # the file is not a secret
        "tls": tls,
        "pid": os.getpid(),
    }
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(document, indent=2) + "\n")
    partial.chmod(0o600)
    partial.replace(path)
    return path


def remove_up_record(path: Path) -> None:
    """Remove the record at a clean stop, unless another `up` has written its own since."""
    record = read_up_record(path)
    if record is not None and record.pid == os.getpid():
        path.unlink(missing_ok=True)


def read_up_record(path: Path) -> UpRecord | None:
    """The record at `path`, or None when there is none or it does not parse."""
    try:
        document = json.loads(path.read_text())
        return UpRecord(
            grpc_address=str(document["grpc_address"]),
            nats_url=str(document["nats_url"]),
            tls=bool(document.get("tls", False)),
            pid=int(document["pid"]),
            path=path,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_up(env: Mapping[str, str] | None = None) -> UpRecord | None:
    """The running `deskbridge up` of this environment's data directory, if one is running."""
    record = read_up_record(data_dir(env) / UP_FILE)
    if record is None or not _alive(record.pid):
        return None
    return record


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True
