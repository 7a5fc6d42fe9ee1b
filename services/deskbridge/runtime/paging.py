"""List paging (AIP-158): page sizes and opaque page tokens, written once for every service.

A page token is `<payload>.<mac>`: URL-safe base64 of a small JSON document holding the vendor
cursor (offset, keyset key or page number) and a fingerprint of the request it belongs to, and
an HMAC-SHA256 of that payload under the deployment's key (`DESKBRIDGE_PAGE_TOKEN_KEY[_FILE]`,
shared by replicas). A token not minted here is rejected before its payload is read; a token
reused with other filters is rejected instead of silently returning wrong pages; and every
cursor field is read through `cursor_int` / `cursor_text`, which bound it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from typing import Any, TypeVar

from google.protobuf.message import Message

from deskbridge.runtime.errors import bad_field

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_TOKEN_LENGTH = 2048
MAX_OFFSET = 10**9
MAX_CURSOR_TEXT = 512
MAC_BYTES = 16
_PAGING_FIELDS = ("page_size", "page_token")
_FOREIGN = "is not a page token issued by this API"

_key = secrets.token_bytes(32)


def use_page_token_key(key: bytes) -> None:
    """Sign and check tokens with `key` from now on (every replica must use the same)."""
    global _key
    if len(key) < 16:
        raise ValueError("a page token key needs at least 16 bytes")
    _key = key


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


def _mac(payload: bytes) -> bytes:
    return hmac.digest(_key, payload, "sha256")[:MAC_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def encode_page_token(cursor: dict[str, Any], request: Message) -> str:
    """An opaque, signed token for the page after this one."""
    document = {"c": cursor, "f": fingerprint(request)}
    payload = _b64(json.dumps(document, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_b64(_mac(payload.encode()))}"


def decode_page_token(token: str, request: Message, *, field: str = "page_token") -> dict[str, Any]:
    """The cursor inside `token`; an empty token means the first page (an empty cursor)."""
    if not token:
        return {}
    payload, _, mac = token.partition(".")
    try:
        if len(token) > MAX_TOKEN_LENGTH or not hmac.compare_digest(
            _unb64(mac), _mac(payload.encode())
        ):
            raise bad_field(field, _FOREIGN)
        document = json.loads(_unb64(payload))
        cursor, bound_to = document["c"], document["f"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise bad_field(field, _FOREIGN) from error
    if not isinstance(cursor, dict) or bound_to != fingerprint(request):
        raise bad_field(field, "does not belong to this request: keep every other field unchanged")
    return cursor


def cursor_int(
    cursor: dict[str, Any],
    key: str,
    default: int,
    *,
    minimum: int = 0,
    maximum: int = MAX_OFFSET,
    field: str = "page_token",
) -> int:
    """An integer cursor field, checked: a token is input, even a signed one."""
    value = cursor.get(key, default)
    if type(value) is not int or not minimum <= value <= maximum:
        raise bad_field(field, f"{_FOREIGN} (cursor {key} out of range)")
    return value


def cursor_text(cursor: dict[str, Any], key: str, *, field: str = "page_token") -> str | None:
    """A string cursor field (a vendor's keyset key), checked; None when absent."""
    value = cursor.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise bad_field(field, f"{_FOREIGN} (cursor {key} is not a key)")
    text = str(value)
    if len(text) > MAX_CURSOR_TEXT:
        raise bad_field(field, f"{_FOREIGN} (cursor {key} too long)")
    return text


def offset_page_token(
    request: Message, offset: int, size: int, returned: int, total: int | None
) -> str:
    """The token after an offset page asked of the vendor ("" on the last): decided by the
    vendor's total when it gives one, else a full page means more may follow."""
    more = offset + size < total if total is not None else returned == size
    return encode_page_token({"offset": offset + size}, request) if more else ""


def page_of(items: list[T], request: Message) -> tuple[list[T], str]:
    """An offset page of a list held whole (the vendor returns it unpaged), and the token for
    the next page ("" on the last)."""
    start = cursor_int(decode_page_token(request.page_token, request), "offset", 0)
    size = page_size(request.page_size)
    more = start + size < len(items)
    return items[start : start + size], encode_page_token(
        {"offset": start + size}, request
    ) if more else ""
