"""Who is calling: bearer JWTs, static API tokens, or an mTLS client certificate.

The policy is a TOML file (`DESKBRIDGE_AUTH_POLICY_FILE`, a ConfigMap; the secrets it names
are separate files):

    [jwt]                              # bearer JWTs, verified with PyJWT
    issuer = "https://id.example.com/"
    audience = "deskbridge"
    jwks_file = "/etc/deskbridge/jwks.json"      # or jwks_url = "https://…/jwks.json"
    algorithms = ["RS256", "ES256"]              # default
    scopes_claim = "scope"                       # a space-separated string or a list
    [jwt.roles]                                  # optional: claim `roles` → scopes
    helpdesk-agent = ["tickets.read", "tickets.write"]

    [[tokens]]                         # static API tokens (`authorization: Bearer <token>`)
    name = "reporting"
    token_file = "/var/run/secrets/deskbridge/reporting-token"
    scopes = ["tickets.read", "backend:invgate"]

    [[clients]]                        # mTLS client certificates, by subject common name
    common_name = "billing.internal"
    scopes = ["tickets.read", "tickets.write"]

A bearer credential is tried first (a JWT when it has two dots and JWT is configured, else
an API token), then the verified client certificate. Missing or bad → UNAUTHENTICATED with
ErrorInfo (reason `CREDENTIALS_MISSING`, `TOKEN_INVALID`, `TOKEN_EXPIRED`); nothing reaches a
vendor. Verified JWTs are cached until they expire (at most `CACHE_SIZE`), so a caller
repeating its token pays the signature check once. The JWKS file is re-read when it changes;
a JWKS URL is fetched by PyJWT's `PyJWKClient` (keys cached, refetched for an unknown `kid`),
off the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import jwt

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.scopes import check_scope
from deskbridge.runtime.settings import ConfigError

CACHE_SIZE = 10_000
LEEWAY_SECONDS = 30
DEFAULT_ALGORITHMS = ("RS256", "ES256")


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: `<how>:<who>` and the scopes it holds."""

    subject: str  # "jwt:<sub>", "token:<name>", "mtls:<common name>"
    scopes: frozenset[str]


@dataclass(frozen=True)
class JwtPolicy:
    issuer: str
    audience: str
    jwks_file: Path | None = None
    jwks_url: str | None = None
    algorithms: tuple[str, ...] = DEFAULT_ALGORITHMS
    scopes_claim: str = "scope"
    roles_claim: str = "roles"
    roles: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthPolicy:
    jwt: JwtPolicy | None = None
    tokens: Mapping[str, Principal] = field(default_factory=dict)  # sha256(token) → caller
    clients: Mapping[str, Principal] = field(default_factory=dict)  # common name → caller


def _scopes(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
        raise ConfigError(f"{where}.scopes: must be a list of scope names")
    return frozenset(value)


def load_policy(path: Path) -> AuthPolicy:
    """The policy file; `ConfigError` naming what is wrong."""
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"DESKBRIDGE_AUTH_POLICY_FILE {path}: {error}") from None
    tokens: dict[str, Principal] = {}
    for n, entry in enumerate(document.get("tokens") or []):
        where = f"tokens[{n}]"
        name, token_file = entry.get("name"), entry.get("token_file")
        if not name or not token_file:
            raise ConfigError(f"{where}: needs name and token_file")
        try:
            token = Path(token_file).read_text().strip()
        except OSError as error:
            raise ConfigError(f"{where}.token_file: {error}") from None
        if len(token) < 16:
            raise ConfigError(f"{where}: the token must have at least 16 characters")
        tokens[_digest(token)] = Principal(f"token:{name}", _scopes(entry.get("scopes"), where))
    clients = {
        str(entry["common_name"]): Principal(
            f"mtls:{entry['common_name']}", _scopes(entry.get("scopes"), f"clients[{n}]")
        )
        for n, entry in enumerate(document.get("clients") or [])
    }
    table = document.get("jwt")
    policy_jwt = None
    if table:
        if not table.get("issuer") or not table.get("audience"):
            raise ConfigError("jwt: needs issuer and audience")
        if bool(table.get("jwks_file")) == bool(table.get("jwks_url")):
            raise ConfigError("jwt: needs exactly one of jwks_file and jwks_url")
        policy_jwt = JwtPolicy(
            issuer=str(table["issuer"]),
            audience=str(table["audience"]),
            jwks_file=Path(table["jwks_file"]) if table.get("jwks_file") else None,
            jwks_url=table.get("jwks_url"),
            algorithms=tuple(table.get("algorithms") or DEFAULT_ALGORITHMS),
            scopes_claim=str(table.get("scopes_claim", "scope")),
            roles_claim=str(table.get("roles_claim", "roles")),
            roles={k: _scopes(v, f"jwt.roles.{k}") for k, v in (table.get("roles") or {}).items()},
        )
    return AuthPolicy(policy_jwt, tokens, clients)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unauthenticated(reason: str, message: str) -> ApiError:
    return ApiError(
        grpc.StatusCode.UNAUTHENTICATED,
        message,
        reason=reason,
        metadata={"scheme": "Bearer"},
    )


class Authenticator:
    """Turns a call's metadata and TLS peer into a `Principal` (see the module docstring)."""

    def __init__(self, policy: AuthPolicy) -> None:
        self.policy = policy
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._jwks: tuple[tuple, jwt.PyJWKSet] | None = None
        self._client = (
            jwt.PyJWKClient(policy.jwt.jwks_url, cache_keys=True, lifespan=300)
            if policy.jwt is not None and policy.jwt.jwks_url
            else None
        )

    async def authenticate(
        self, metadata: Sequence[tuple[str, Any]], peer: Mapping[str, Sequence[bytes]]
    ) -> Principal:
        bearer = _bearer(metadata)
        if bearer is not None:
            return await self._bearer(bearer)
        names = peer.get("x509_common_name") or ()
        if names:
            name = names[0].decode(errors="replace")
            return self.policy.clients.get(name, Principal(f"mtls:{name}", frozenset()))
        raise unauthenticated(
            "CREDENTIALS_MISSING",
            "this call needs credentials: `authorization: Bearer <token>` or a client certificate",
        )

    async def _bearer(self, token: str) -> Principal:
        known = self.policy.tokens.get(_digest(token))
        if known is not None:
            return known
        if self.policy.jwt is None or token.count(".") != 2:
            raise unauthenticated("TOKEN_INVALID", "the bearer token is not one this API issued")
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        principal, expires = await self._verify(token)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[token] = (principal, expires)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        policy = self.policy.jwt
        try:
            key = await self._signing_key(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=list(policy.algorithms),
                audience=policy.audience,
                issuer=policy.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise unauthenticated("TOKEN_EXPIRED", "the bearer token has expired") from None
        except (jwt.PyJWTError, KeyError, ValueError) as error:
            raise unauthenticated(
                "TOKEN_INVALID", f"the bearer token is invalid: {error}"
            ) from None
        scopes = set(_claim_scopes(claims.get(policy.scopes_claim) or claims.get("scp")))
        for role in _claim_scopes(claims.get(policy.roles_claim)):
            scopes |= policy.roles.get(role, frozenset())
        return Principal(f"jwt:{claims['sub']}", frozenset(scopes)), float(claims["exp"])

    async def _signing_key(self, token: str):
        if self._client is not None:
            found = await asyncio.to_thread(self._client.get_signing_key_from_jwt, token)
            return found.key
        path = self.policy.jwt.jwks_file
        stat = os.stat(path)
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if self._jwks is None or self._jwks[0] != identity:
            self._jwks = (identity, jwt.PyJWKSet.from_json(path.read_text()))
        kid = jwt.get_unverified_header(token).get("kid")
        keys = self._jwks[1].keys
        for candidate in keys:
            if kid is None or candidate.key_id == kid:
                return candidate.key
        raise KeyError(f"no key {kid!r} in the JWKS")


def _bearer(metadata: Sequence[tuple[str, Any]]) -> str | None:
    for key, value in metadata or ():
        if key == "authorization":
            scheme, _, credential = str(value).partition(" ")
            if scheme.lower() == "bearer" and credential.strip():
                return credential.strip()
            return ""  # present but not a bearer credential: refused as invalid
    return None


def _claim_scopes(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


class CallGuard:
    """What every RPC passes before its handler: authentication, then the RPC's scope.

    Without an authenticator (no policy: `deskbridge up`, tests) every caller is anonymous
    with every scope. Health checks pass without credentials when `health_open`.
    """

    def __init__(self, authenticator: Authenticator | None, *, health_open: bool = True):
        self.authenticator = authenticator
        self.health_open = health_open

    async def admit(self, context: grpc.aio.ServicerContext, rpc: str) -> Principal:
        if self.authenticator is None or (self.health_open and rpc.startswith(HEALTH)):
            return ANONYMOUS
        principal = await self.authenticator.authenticate(
            context.invocation_metadata() or (), context.auth_context() or {}
        )
        check_scope(principal.scopes, rpc)
        return principal


HEALTH = "grpc.health.v1.Health/"
ANONYMOUS = Principal("", frozenset({"*"}))
