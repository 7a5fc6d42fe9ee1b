"""TLS for the gRPC server (and mTLS, with a client CA), from mounted files that rotate.

The certificate, key and client CA are read from files (a Kubernetes Secret that
cert-manager renews). grpc asks `fetch` for a new configuration at each handshake; it
compares the files' identity (inode, size, mtime — a Secret update swaps a symlink) and
reloads only when they changed, and only a pair that loads (key matching the certificate:
checked with the stdlib's `ssl`), so a half-written rotation keeps the previous
certificate instead of breaking every new connection.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc
import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class TlsFiles:
    """Where the server's certificate chain, key and (for mTLS) client CA are mounted."""

    cert: Path
    key: Path
    client_ca: Path | None = None  # set: clients must present a certificate it signed

    @property
    def paths(self) -> Sequence[Path]:
        return [p for p in (self.cert, self.key, self.client_ca) if p is not None]


def _identity(files: TlsFiles) -> tuple:
    stats = [os.stat(p) for p in files.paths]
    return tuple((s.st_ino, s.st_size, s.st_mtime_ns) for s in stats)


def _configuration(files: TlsFiles):
    cert, key = files.cert.read_bytes(), files.key.read_bytes()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.cert, files.key)  # ssl.SSLError when they do not match
    roots = files.client_ca.read_bytes() if files.client_ca is not None else None
    return grpc.ssl_server_certificate_configuration([(key, cert)], root_certificates=roots)


def server_credentials(files: TlsFiles) -> grpc.ServerCredentials:
    """Credentials that follow the files (see the module docstring)."""
    current = {"identity": _identity(files)}
    initial = _configuration(files)

    def fetch():
        try:
            identity = _identity(files)
            if identity == current["identity"]:
                return None
            configuration = _configuration(files)
        except (OSError, ssl.SSLError, ValueError) as error:
            log.warning("tls_reload_failed", error=str(error), cert=str(files.cert))
            return None
        current["identity"] = identity
        log.info("tls_reloaded", cert=str(files.cert))
        return configuration

    return grpc.dynamic_ssl_server_credentials(
        initial, fetch, require_client_authentication=files.client_ca is not None
    )


def channel_credentials(
    ca: Path | None = None, cert: Path | None = None, key: Path | None = None
) -> grpc.ChannelCredentials:
    """Client credentials: the server's CA (None: the system's), and a client certificate."""
    return grpc.ssl_channel_credentials(
        root_certificates=ca.read_bytes() if ca else None,
        private_key=key.read_bytes() if key else None,
        certificate_chain=cert.read_bytes() if cert else None,
    )
