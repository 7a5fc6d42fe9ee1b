"""Credentials as vendor sandboxes read and issue them: HTTP Basic headers, JWT-shaped tokens."""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

import jwt

_SIGNING_KEY = secrets.token_bytes(32)  # per process: tokens mean nothing outside a sandbox


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(user, password) of an `Authorization: Basic …` header; None for anything else."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def jwt_token(claims: dict[str, Any]) -> str:
    """A JWT (HS256) with `claims`, as vendors that issue JWTs hand them out."""
    return jwt.encode(claims, _SIGNING_KEY, algorithm="HS256")
