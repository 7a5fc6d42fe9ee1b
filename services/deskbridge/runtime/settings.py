"""Settings: environment variables (`DESKBRIDGE_*`) plus an optional TOML file of backends.

Credentials never sit in the file as plain values in production: each credential key `k` may
be given as `k` (literal, for demos), `k_env` (name of an environment variable) or `k_file`
(path of a mounted secret file). Invalid configuration raises `ConfigError` naming the setting.

Example `deskbridge.toml`:

    [[backends]]
    name = "invgate"
    vendor = "invgate"
    base_url = "https://acme.sd.cloud.invgate.net"
    [backends.credentials]
    username = "api"
    password_file = "/var/run/secrets/invgate/password"
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

VENDORS = ("invgate", "motadata", "crmcom", "requestor")
_BACKEND_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


class ConfigError(ValueError):
    """Invalid configuration; the message names the setting."""


class Secret(str):
    """A credential: compares and sends like a str, never prints its value."""

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:  # str() is what loggers call
        return "***"

    def reveal(self) -> str:
        return str.__str__(self)


@dataclass(frozen=True)
class BackendConfig:
    """One configured vendor instance."""

    name: str
    vendor: str
    base_url: str
    credentials: Mapping[str, Secret] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NatsAuth:
    """Credentials and TLS for every NATS connection Deskbridge makes."""

    user: str | None = None
    password: Secret | None = None
    token: Secret | None = None
    creds_file: Path | None = None  # a `.creds` file (JWT + NKey seed), NGS / operator mode
    nkey_seed_file: Path | None = None
    tls_ca_file: Path | None = None
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None

    def connect_options(self) -> dict[str, Any]:
        """Keyword arguments of nats-py's `Client.connect`."""
        import ssl

        options: dict[str, Any] = {}
        if self.user:
            options["user"] = self.user
            options["password"] = self.password.reveal() if self.password else ""
        if self.token:
            options["token"] = self.token.reveal()
        if self.creds_file:
            options["user_credentials"] = str(self.creds_file)
        if self.nkey_seed_file:
            options["nkeys_seed"] = str(self.nkey_seed_file)
        if self.tls_ca_file or self.tls_cert_file:
            context = ssl.create_default_context(
                cafile=str(self.tls_ca_file) if self.tls_ca_file else None
            )
            if self.tls_cert_file:
                context.load_cert_chain(str(self.tls_cert_file), str(self.tls_key_file or ""))
            options["tls"] = context
        return options


@dataclass(frozen=True)
class Settings:
    """Everything a Deskbridge process needs to start."""

    grpc_address: str = "127.0.0.1:50051"
    nats_url: str | None = None
    log_level: str = "info"
    log_format: str = "json"
    shutdown_grace_seconds: float = 10.0
    data_dir: Path = Path(".deskbridge")
    outbox_dir: Path | None = None
    stream_replicas: int = 1
    idempotency_ttl_seconds: int = 24 * 3600
    metrics_address: str | None = None
    webhook_address: str | None = None  # the watcher's webhook intake; off when None
    # How vendors reach the intake (behind an ingress, say): the base of the callback URLs
    # registered with vendors that need subscriptions. None: the intake's own URL.
    webhook_public_url: str | None = None
    watch_lease_seconds: float = 15.0  # a standby watcher takes over within this
    # ChangeService.Watch: the changes a watch fetches from the stream at a time (all it
    # holds in memory), and how long a client may read nothing while changes wait before
    # its watch ends with RESOURCE_EXHAUSTED (it resumes with its token).
    watch_buffer: int = 256
    watch_stall_seconds: float = 30.0
    # Test hook: the API path waits this long between the vendor's answer and the publish, so
    # a test can kill the process in that window. Never set in production.
    test_publish_delay_seconds: float = 0.0
    # Signs page tokens; replicas behind one Service must share it. None: a random key per
    # process (tokens then work only on the replica that issued them).
    page_token_key: Secret | None = None
    # Security (runtime/tls.py, runtime/auth.py, runtime/scopes.py)
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    tls_client_ca_file: Path | None = None  # set: mTLS, clients must present a certificate
    auth_policy_file: Path | None = None  # set: every RPC is authenticated and authorised
    insecure: bool = False  # serve a non-loopback address without TLS or authentication
    reflection: bool | None = None  # None: on without authentication, off with it
    health_open: bool = True  # health checks need no credentials (kubelet probes)
    health_address: str | None = None  # plaintext health-only port (kubelet probes under TLS)
    # Per caller (runtime/limits.py); 0 turns a limit off. `load_settings` defaults them on.
    caller_rate: float = 0.0
    caller_burst: int = 0
    caller_in_flight: int = 0
    nats: NatsAuth = field(default_factory=lambda: NatsAuth())
    backends: tuple[BackendConfig, ...] = ()

    @property
    def secured(self) -> bool:
        return self.auth_policy_file is not None and self.tls_cert_file is not None

    @property
    def reflection_enabled(self) -> bool:
        return self.auth_policy_file is None if self.reflection is None else self.reflection

    @property
    def effective_outbox_dir(self) -> Path:
        return self.outbox_dir or self.data_dir / "outbox"

    def with_backends(self, *backends: BackendConfig) -> Settings:
        return replace(self, backends=self.backends + tuple(backends))


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `env` (default: the process environment) and `DESKBRIDGE_CONFIG`."""
    env = os.environ if env is None else env
    get = lambda key, default=None: env.get(f"DESKBRIDGE_{key}", default)  # noqa: E731
    settings = Settings(
        grpc_address=_address("DESKBRIDGE_GRPC_ADDRESS", get("GRPC_ADDRESS", "127.0.0.1:50051")),
        nats_url=_nats_url(get("NATS_URL")),
        log_level=_choice(
            "DESKBRIDGE_LOG_LEVEL",
            get("LOG_LEVEL", "info").lower(),
            ("debug", "info", "warning", "error"),
        ),
        log_format=_choice(
            "DESKBRIDGE_LOG_FORMAT", get("LOG_FORMAT", "json").lower(), ("json", "console")
        ),
        shutdown_grace_seconds=_number(
            "DESKBRIDGE_SHUTDOWN_GRACE_SECONDS",
            get("SHUTDOWN_GRACE_SECONDS", "10"),
            float,
            minimum=0,
        ),
        data_dir=Path(get("DATA_DIR", ".deskbridge")),
        outbox_dir=Path(get("OUTBOX_DIR")) if get("OUTBOX_DIR") else None,
        stream_replicas=_number(
            "DESKBRIDGE_STREAM_REPLICAS", get("STREAM_REPLICAS", "1"), int, minimum=1, maximum=5
        ),
        idempotency_ttl_seconds=_number(
            "DESKBRIDGE_IDEMPOTENCY_TTL_SECONDS",
            get("IDEMPOTENCY_TTL_SECONDS", "86400"),
            int,
            minimum=1,
        ),
        metrics_address=_address("DESKBRIDGE_METRICS_ADDRESS", get("METRICS_ADDRESS"))
        if get("METRICS_ADDRESS")
        else None,
        webhook_address=_address("DESKBRIDGE_WEBHOOK_ADDRESS", get("WEBHOOK_ADDRESS"))
        if get("WEBHOOK_ADDRESS")
        else None,
        webhook_public_url=_public_url(get("WEBHOOK_PUBLIC_URL")),
        watch_lease_seconds=_number(
            "DESKBRIDGE_WATCH_LEASE_SECONDS", get("WATCH_LEASE_SECONDS", "15"), float, minimum=1
        ),
        watch_buffer=_number(
            "DESKBRIDGE_WATCH_BUFFER", get("WATCH_BUFFER", "256"), int, minimum=1, maximum=10_000
        ),
        watch_stall_seconds=_number(
            "DESKBRIDGE_WATCH_STALL_SECONDS", get("WATCH_STALL_SECONDS", "30"), float, minimum=1
        ),
        test_publish_delay_seconds=_number(
            "DESKBRIDGE_TEST_PUBLISH_DELAY_SECONDS",
            get("TEST_PUBLISH_DELAY_SECONDS", "0"),
            float,
            minimum=0,
        ),
        page_token_key=_secret(env, "DESKBRIDGE_PAGE_TOKEN_KEY", minimum_length=16),
        tls_cert_file=_path(get("TLS_CERT_FILE")),
        tls_key_file=_path(get("TLS_KEY_FILE")),
        tls_client_ca_file=_path(get("TLS_CLIENT_CA_FILE")),
        auth_policy_file=_path(get("AUTH_POLICY_FILE")),
        insecure=_flag("DESKBRIDGE_INSECURE", get("INSECURE")) or False,
        reflection=_flag("DESKBRIDGE_REFLECTION", get("REFLECTION")),
        health_open=_flag("DESKBRIDGE_HEALTH_OPEN", get("HEALTH_OPEN")) is not False,
        health_address=_address("DESKBRIDGE_HEALTH_ADDRESS", get("HEALTH_ADDRESS"))
        if get("HEALTH_ADDRESS")
        else None,
        caller_rate=_number("DESKBRIDGE_CALLER_RATE", get("CALLER_RATE", "500"), float, minimum=0),
        caller_burst=_number(
            "DESKBRIDGE_CALLER_BURST", get("CALLER_BURST", "1000"), int, minimum=0
        ),
        caller_in_flight=_number(
            "DESKBRIDGE_CALLER_IN_FLIGHT", get("CALLER_IN_FLIGHT", "256"), int, minimum=0
        ),
        nats=load_nats_auth(env),
    )
    config_path = get("CONFIG")
    if config_path:
        settings = replace(settings, backends=load_backends_file(Path(config_path), env))
    return settings


def load_nats_auth(env: Mapping[str, str] | None = None) -> NatsAuth:
    """NATS credentials and TLS from `DESKBRIDGE_NATS_*` (every process and CLI command)."""
    env = os.environ if env is None else env
    get = lambda key: env.get(f"DESKBRIDGE_{key}")  # noqa: E731
    return NatsAuth(
        user=get("NATS_USER") or None,
        password=_secret(env, "DESKBRIDGE_NATS_PASSWORD", minimum_length=1),
        token=_secret(env, "DESKBRIDGE_NATS_TOKEN", minimum_length=1),
        creds_file=_path(get("NATS_CREDS_FILE")),
        nkey_seed_file=_path(get("NATS_NKEY_SEED_FILE")),
        tls_ca_file=_path(get("NATS_TLS_CA_FILE")),
        tls_cert_file=_path(get("NATS_TLS_CERT_FILE")),
        tls_key_file=_path(get("NATS_TLS_KEY_FILE")),
    )


def load_backends_file(path: Path, env: Mapping[str, str]) -> tuple[BackendConfig, ...]:
    """Parse the `[[backends]]` tables of a TOML config file."""
    try:
        document = tomllib.loads(path.read_text())
    except FileNotFoundError as error:
        raise ConfigError(f"DESKBRIDGE_CONFIG: file {path} does not exist") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"DESKBRIDGE_CONFIG: {path} is not valid TOML: {error}") from error
    tables = document.get("backends", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: 'backends' must be an array of tables ([[backends]])")
    backends = tuple(
        parse_backend(table, f"{path}: backends[{i}]", env) for i, table in enumerate(tables)
    )
    names = [b.name for b in backends]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{path}: backend names must be unique, repeated: {duplicates}")
    return backends


def parse_backend(table: Mapping[str, Any], where: str, env: Mapping[str, str]) -> BackendConfig:
    """One backend table → `BackendConfig`, resolving credentials from env or files."""
    name = table.get("name")
    if not isinstance(name, str) or not _BACKEND_NAME.match(name):
        raise ConfigError(f"{where}.name: must match {_BACKEND_NAME.pattern}, got {name!r}")
    vendor = table.get("vendor")
    if vendor not in VENDORS:
        raise ConfigError(f"{where}.vendor: must be one of {', '.join(VENDORS)}, got {vendor!r}")
    base_url = table.get("base_url")
    parsed = urlparse(base_url) if isinstance(base_url, str) else None
    if not parsed or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{where}.base_url: must be an http(s) URL, got {base_url!r}")
    raw_credentials = table.get("credentials", {})
    if not isinstance(raw_credentials, Mapping):
        raise ConfigError(f"{where}.credentials: must be a table")
    options = {
        k: v for k, v in table.items() if k not in ("name", "vendor", "base_url", "credentials")
    }
    return BackendConfig(
        name=name,
        vendor=vendor,
        base_url=base_url.rstrip("/"),
        credentials=resolve_credentials(raw_credentials, f"{where}.credentials", env),
        options=options,
    )


def resolve_credentials(
    raw: Mapping[str, Any], where: str, env: Mapping[str, str]
) -> dict[str, Secret]:
    """`{k: v, k_env: VAR, k_file: PATH}` → `{k: Secret}`."""
    resolved: dict[str, Secret] = {}
    for key, value in raw.items():
        if key.endswith("_env"):
            name = key.removesuffix("_env")
            if value not in env:
                raise ConfigError(f"{where}.{key}: environment variable {value!r} is not set")
            resolved[name] = Secret(env[value])
        elif key.endswith("_file"):
            name = key.removesuffix("_file")
            try:
                resolved[name] = Secret(Path(value).read_text().strip())
            except OSError as error:
                raise ConfigError(f"{where}.{key}: cannot read secret file {value!r}") from error
        else:
            resolved[key] = Secret(str(value))
    return resolved


def _secret(env: Mapping[str, str], setting: str, *, minimum_length: int) -> Secret | None:
    """`SETTING` (literal) or `SETTING_FILE` (a mounted secret file); None when neither."""
    value = env.get(setting)
    path = env.get(f"{setting}_FILE")
    if path:
        try:
            value = Path(path).read_text().strip()
        except OSError as error:
            raise ConfigError(f"{setting}_FILE: cannot read secret file {path!r}") from error
    if not value:
        return None
    if len(value) < minimum_length:
        raise ConfigError(f"{setting}: must be at least {minimum_length} characters")
    return Secret(value)


def _address(setting: str, value: str | None) -> str:
    host, _, port = (value or "").rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(f"{setting}: expected host:port, got {value!r}")
    return value  # type: ignore[return-value]


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _flag(setting: str, value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{setting}: expected true or false, got {value!r}")


def _public_url(value: str | None) -> str | None:
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query:
        raise ConfigError(
            f"DESKBRIDGE_WEBHOOK_PUBLIC_URL: expected an http(s) base URL, got {value!r}"
        )
    return value.rstrip("/")


def _nats_url(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    for url in value.split(","):
        if urlparse(url.strip()).scheme not in ("nats", "tls", "ws", "wss"):
            raise ConfigError(
                f"DESKBRIDGE_NATS_URL: expected nats://host:port[,...], got {value!r}"
            )
    return value


def _choice(setting: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(f"{setting}: must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _number(setting: str, value: str, kind: type, *, minimum=None, maximum=None):
    try:
        number = kind(value)
    except ValueError as error:
        raise ConfigError(f"{setting}: expected a {kind.__name__}, got {value!r}") from error
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ConfigError(f"{setting}: must be between {minimum} and {maximum}, got {value!r}")
    return number
