"""List paging (AIP-158): page sizes and opaque page tokens, written once for every service.

A page token is URL-safe base64 of a small JSON document holding the vendor cursor
(offset, keyset key or page number) and a fingerprint of the request it belongs to, so a
token reused with other filters is rejected instead of silently returning wrong pages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any, TypeVar

from google.protobuf.message import Message

from deskbridge.runtime.errors import bad_field

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
_PAGING_FIELDS = ("page_size", "page_token")


def page_size(
    value: int,
    *,
    default: int = DEFAULT_PAGE_SIZE,
    maximum: int = MAX_PAGE_SIZE,
    field: str = "page_size",
) -> int:
    """The effective page size: 0 means the default, above the maximum is coerced down."""
    if value < 0:
        raise bad_field(field, f"must not be negative (got {value})")
    if value == 0:
        return default
    return min(value, maximum)


def fingerprint(request: Message) -> str:
    """A digest of the request without its paging fields, binding a token to its query."""
    copy = type(request)()
    copy.CopyFrom(request)
    for name in _PAGING_FIELDS:
        if name in copy.DESCRIPTOR.fields_by_name:
            copy.ClearField(name)
    return hashlib.sha256(copy.SerializeToString(deterministic=True)).hexdigest()[:16]


def encode_page_token(cursor: dict[str, Any], request: Message) -> str:
    """An opaque token for the page after this one."""
    document = {"c": cursor, "f": fingerprint(request)}
    raw = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str, request: Message, *, field: str = "page_token") -> dict[str, Any]:
    """The cursor inside `token`; an empty token means the first page (an empty cursor)."""
    if not token:
        return {}
    try:
        padded = token + "=" * (-len(token) % 4)
        document = json.loads(base64.urlsafe_b64decode(padded.encode()))
        cursor, bound_to = document["c"], document["f"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise bad_field(field, "is not a page token issued by this API") from error
    if not isinstance(cursor, dict) or bound_to != fingerprint(request):
        raise bad_field(field, "does not belong to this request: keep every other field unchanged")
    return cursor


def page_of(items: list[T], request: Message) -> tuple[list[T], str]:
    """An offset page of a list held whole (the vendor returns it unpaged), and the token for
    the next page ("" on the last)."""
    start = int(decode_page_token(request.page_token, request).get("offset", 0))
    size = page_size(request.page_size)
    more = start + size < len(items)
    return items[start : start + size], encode_page_token(
        {"offset": start + size}, request
    ) if more else ""
