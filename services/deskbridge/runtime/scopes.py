"""Authorisation: the scope each RPC needs, and whether a caller's scopes grant it.

A scope is `<family>.<access>`: the family is the service (`tickets`, `identity`,
`knowledge`, `approvals`, `backends`), the access `read` (Get, List, Search, and every
BackendService call), `write` (everything else) or `admin` for what takes over or locks out
accounts (`SENSITIVE`: passwords, user deletion, disabling and enabling). `read` is not
implied by `write`, nor `write` by `admin`; `<family>.*` grants all three and `*` everything.

Backends are scopes too: a caller holding any `backend:<name>` scope may reach those backends
only (`backend:*` or no backend scope at all: every backend).
"""

from __future__ import annotations

from collections.abc import Iterable

import grpc

from deskbridge.runtime.context import UNRESTRICTED
from deskbridge.runtime.errors import ApiError

FAMILIES = {
    "deskbridge.v1.TicketService": "tickets",
    "deskbridge.v1.IdentityService": "identity",
    "deskbridge.v1.KnowledgeService": "knowledge",
    "deskbridge.v1.ApprovalService": "approvals",
    "deskbridge.v1.BackendService": "backends",
}
READS = ("Get", "List", "Search", "BatchGet")
SENSITIVE = frozenset(
    {
        "deskbridge.v1.IdentityService/SetUserPassword",
        "deskbridge.v1.IdentityService/RequestPasswordReset",
        "deskbridge.v1.IdentityService/DeleteUser",
        "deskbridge.v1.IdentityService/DisableUser",
        "deskbridge.v1.IdentityService/EnableUser",
    }
)
BACKEND_PREFIX = "backend:"


def required_scope(rpc: str) -> str | None:
    """The scope `rpc` (`package.Service/Method`) needs; None for what is not Deskbridge's."""
    service, _, method = rpc.partition("/")
    family = FAMILIES.get(service)
    if family is None:
        return None
    if rpc in SENSITIVE:
        return f"{family}.admin"
    if family == "backends" or method.startswith(READS):
        return f"{family}.read"
    return f"{family}.write"


def grants(scopes: Iterable[str], needed: str) -> bool:
    held = set(scopes)
    family = needed.partition(".")[0]
    return "*" in held or needed in held or f"{family}.*" in held


def check_scope(scopes: frozenset[str], rpc: str) -> None:
    """PERMISSION_DENIED naming the missing scope, unless `scopes` grant `rpc`."""
    needed = required_scope(rpc)
    if needed is not None and not grants(scopes, needed):
        raise ApiError(
            grpc.StatusCode.PERMISSION_DENIED,
            f"{rpc} needs the scope {needed!r}",
            reason="MISSING_SCOPE",
            metadata={"scope": needed, "rpc": rpc},
        )


def check_backend(scopes: frozenset[str], backend: str) -> None:
    """PERMISSION_DENIED unless `scopes` reach `backend` (see the module docstring)."""
    if scopes is UNRESTRICTED:  # every call without authentication: nothing to look at
        return
    limited = {s.removeprefix(BACKEND_PREFIX) for s in scopes if s.startswith(BACKEND_PREFIX)}
    if not limited or "*" in limited or backend in limited or "*" in scopes:
        return
    raise ApiError(
        grpc.StatusCode.PERMISSION_DENIED,
        f"backend {backend!r} needs the scope {BACKEND_PREFIX + backend!r}",
        reason="MISSING_SCOPE",
        metadata={"scope": BACKEND_PREFIX + backend, "backend": backend},
    )
