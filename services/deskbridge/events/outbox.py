"""A durable, ordered, on-disk outbox for events that could not be published yet.

One file per event, named by a zero-padded monotonic sequence (`000000000123.event`), written
to a temporary name, fsync'd and renamed into place (atomic), then the directory is fsync'd.
A file holds one JSON line (format version, subject, headers, payload length and sha256)
followed by the raw payload bytes. The sequence resumes after a restart (from the files left,
or from `sequence` written when the outbox last emptied). A file that cannot be read is moved
to `corrupt/`; an event NATS refuses for good is moved to `failed/` (`quarantine`), so nothing
is ever silently dropped.

One process owns a directory at a time (an exclusive `flock` on `.lock`). The methods are
synchronous and fast (one small file each); call them from one event loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import structlog
from prometheus_client import Gauge

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = structlog.get_logger(__name__)

OUTBOX_DEPTH = Gauge("deskbridge_outbox_depth", "Events waiting in the on-disk outbox")

FORMAT_VERSION = 1
_SUFFIX = ".event"
_WIDTH = 12
_SEQUENCE_FILE = "sequence"
_LOCK_FILE = ".lock"


class OutboxLockedError(RuntimeError):
    """Another process (or another Outbox object) owns this outbox directory."""


@dataclass(frozen=True)
class OutboxEntry:
    sequence: int
    subject: str
    headers: dict[str, str]
    payload: bytes
    path: Path

    @property
    def resource_name(self) -> str:
        return self.headers.get("ce-subject", "")


class Outbox:
    """See the module docstring."""

    def __init__(self, directory: str | os.PathLike[str], *, fsync: bool = True) -> None:
        self.directory = Path(directory)
        self._fsync = fsync
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock_fd: int | None = self._lock()
        self._closed = False
        self._queue: deque[int] = deque()
        self._head: OutboxEntry | None = None
        last = self._read_sequence_file()
        for path in self.directory.iterdir():
            if path.name.startswith(".tmp-"):
                path.unlink(missing_ok=True)  # an append that never completed
            elif path.suffix == _SUFFIX and path.stem.isdigit():
                self._queue.append(int(path.stem))
        self._queue = deque(sorted(self._queue))
        self._next = max([last, *self._queue]) + 1
        OUTBOX_DEPTH.set(len(self._queue))
        if self._queue:
            log.warning(
                "outbox_pending_at_start", depth=len(self._queue), directory=str(self.directory)
            )

    # ------------------------------------------------------------------ ownership

    def _lock(self) -> int | None:
        if fcntl is None:
            return None
        fd = os.open(self.directory / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutboxLockedError(
                f"outbox {self.directory} is in use by another process; give each process "
                "its own outbox directory (DESKBRIDGE_OUTBOX_DIR)"
            ) from None
        return fd

    def close(self) -> None:
        """Release the directory (the files stay for the next owner)."""
        self._closed = True
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ queue

    @property
    def depth(self) -> int:
        return len(self._queue)

    def __len__(self) -> int:
        return len(self._queue)

    @property
    def next_sequence(self) -> int:
        return self._next

    def append(self, subject: str, headers: Mapping[str, str], payload: bytes) -> int:
        """Store one event durably at the end of the queue; returns its sequence."""
        if self.closed:
            raise RuntimeError("outbox is closed")
        sequence = self._next
        meta = {
            "v": FORMAT_VERSION,
            "subject": subject,
            "headers": dict(headers),
            "length": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        data = json.dumps(meta, separators=(",", ":"), ensure_ascii=True).encode() + b"\n"
        self._write_atomically(self._path(sequence), data + payload)
        self._next = sequence + 1
        self._queue.append(sequence)
        self._depth_changed(len(self._queue) - 1)
        return sequence

    def append_event(self, event) -> int:
        """Append a `ChangeEvent`."""
        return self.append(event.subject, event.headers(), event.payload)

    def peek(self) -> OutboxEntry | None:
        """The oldest event, or None when empty (unreadable files are moved to corrupt/)."""
        while self._queue:
            sequence = self._queue[0]
            if self._head is not None and self._head.sequence == sequence:
                return self._head
            try:
                self._head = self._read(sequence)
                return self._head
            except (OSError, ValueError, KeyError) as error:
                self._queue.popleft()
                self._set_aside(self._path(sequence), "corrupt", str(error))
                self._depth_changed(len(self._queue) + 1)
        return None

    def remove(self, sequence: int) -> None:
        """Delete the oldest event (after its publish was acknowledged)."""
        if not self._queue or self._queue[0] != sequence:
            raise ValueError(f"event {sequence} is not the oldest in the outbox")
        self._path(sequence).unlink(missing_ok=True)
        self._queue.popleft()
        self._head = None
        if not self._queue:
            self._write_sequence_file(sequence)
        self._depth_changed(len(self._queue) + 1)

    def quarantine(self, sequence: int, reason: str) -> None:
        """Move the oldest event to failed/ (NATS refuses it for good); it leaves the queue."""
        if not self._queue or self._queue[0] != sequence:
            raise ValueError(f"event {sequence} is not the oldest in the outbox")
        self._set_aside(self._path(sequence), "failed", reason)
        self._queue.popleft()
        self._head = None
        if not self._queue:
            self._write_sequence_file(sequence)
        self._depth_changed(len(self._queue) + 1)

    def store_failed(self, subject: str, headers: Mapping[str, str], payload: bytes, reason: str):
        """Keep an event NATS refused for good (never queued) in failed/ for an operator."""
        sequence = self._next
        self._next += 1
        path = self.directory / "failed" / self._path(sequence).name
        path.parent.mkdir(exist_ok=True)
        meta = {
            "v": FORMAT_VERSION,
            "subject": subject,
            "headers": dict(headers),
            "length": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "reason": reason,
        }
        data = json.dumps(meta, separators=(",", ":"), ensure_ascii=True).encode() + b"\n"
        self._write_atomically(path, data + payload)
        return path

    def entries(self) -> Iterator[OutboxEntry]:
        """Every readable queued event, oldest first (for inspection)."""
        for sequence in list(self._queue):
            with contextlib.suppress(OSError, ValueError, KeyError):
                yield self._read(sequence)

    # ------------------------------------------------------------------ files

    def _path(self, sequence: int) -> Path:
        return self.directory / f"{sequence:0{_WIDTH}d}{_SUFFIX}"

    def _write_atomically(self, path: Path, data: bytes) -> None:
        temporary = path.parent / f".tmp-{path.name}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if self._fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
        if self._fsync:
            self._fsync_directory(path.parent)

    @staticmethod
    def _fsync_directory(directory: Path) -> None:
        try:
            fd = os.open(directory, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def _read(self, sequence: int) -> OutboxEntry:
        path = self._path(sequence)
        raw = path.read_bytes()
        line, separator, payload = raw.partition(b"\n")
        if not separator:
            raise ValueError("no header line")
        meta = json.loads(line)
        if meta.get("v") != FORMAT_VERSION:
            raise ValueError(f"unknown outbox format {meta.get('v')!r}")
        if len(payload) != meta["length"]:
            raise ValueError("payload length mismatch")
        if hashlib.sha256(payload).hexdigest() != meta["sha256"]:
            raise ValueError("payload checksum mismatch")
        headers = meta["headers"]
        if not isinstance(meta["subject"], str) or not isinstance(headers, dict):
            raise ValueError("bad subject or headers")
        return OutboxEntry(sequence, meta["subject"], headers, payload, path)

    def _set_aside(self, path: Path, folder: str, reason: str) -> None:
        target = self.directory / folder / path.name
        target.parent.mkdir(exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, target)
        log.error("outbox_event_set_aside", file=str(target), folder=folder, reason=reason)

    def _read_sequence_file(self) -> int:
        try:
            return int((self.directory / _SEQUENCE_FILE).read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def _write_sequence_file(self, sequence: int) -> None:
        try:
            self._write_atomically(self.directory / _SEQUENCE_FILE, f"{sequence}\n".encode())
        except OSError as error:  # only the numbering; the queue itself is on disk already
            log.warning("outbox_sequence_not_saved", error=str(error))

    def _depth_changed(self, before: int) -> None:
        depth = len(self._queue)
        OUTBOX_DEPTH.set(depth)
        if before == 0 and depth > 0:
            log.warning("outbox_filling", directory=str(self.directory))
        elif before > 0 and depth == 0:
            log.info("outbox_drained", directory=str(self.directory))
