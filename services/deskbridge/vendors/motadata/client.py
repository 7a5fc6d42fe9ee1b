"""The Motadata wire protocol: JSON over `/api/v1/<module>`, searches by qualification.

Error bodies are not documented (VENDORS.md §2.5): the message is read from whichever of
`message` (Spring Boot), `userMessage`, `error_description` or `error` the answer carries, and
the status decides what it means (runtime/vendor_status.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from deskbridge.runtime.http1 import HttpResponse
from deskbridge.runtime.upstream import Upstream
from deskbridge.runtime.vendor_status import json_answer

API_PREFIX = "/api/v1/"
_JSON = {"Content-Type": "application/json", "Accept": "application/json"}

Qual = Mapping[str, Any]


class MotadataClient:
    """Calls `/api/v1/{path}` and returns the decoded JSON or raises an `ApiError`."""

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream

    async def get(self, path: str) -> Any:
        return await self.call("GET", path)

    async def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return await self.call("POST", path, body)

    async def patch(self, path: str, body: Mapping[str, Any]) -> Any:
        return await self.call("PATCH", path, body)

    async def delete(self, path: str) -> Any:
        return await self.call("DELETE", path)

    async def search(
        self,
        module: str,
        quals: Sequence[Qual] = (),
        *,
        offset: int = 0,
        size: int = 100,
        sort_by: str = "id",
    ) -> tuple[list[Mapping[str, Any]], int | None]:
        """`POST {module}/search/byqual`: (objects, totalCount). A search is a read: safe to
        retry although it is a POST."""
        body = (
            {"qualDetails": {"type": "FlatQualificationRest", "quals": list(quals)}}
            if quals
            else {}
        )
        answer = await self.call(
            "POST",
            f"{module}/search/byqual",
            body,
            params=[("offset", str(offset)), ("size", str(size)), ("sort_by", sort_by)],
            safe=True,
        )
        if not isinstance(answer, Mapping):
            return [], None
        objects = [o for o in answer.get("objectList") or [] if isinstance(o, Mapping)]
        total = answer.get("totalCount")
        return objects, total if type(total) is int else None

    async def call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        params: list[tuple[str, str]] | None = None,
        safe: bool | None = None,
    ) -> Any:
        response = await self.upstream.request(
            method,
            API_PREFIX + path,
            params=params,
            content=orjson.dumps(body) if body is not None else b"",
            headers=_JSON,
            safe=safe,
        )
        return self.decode(path, response)

    def decode(self, path: str, response: HttpResponse) -> Any:
        return json_answer(self.upstream, path, response, message_of)


def message_of(body: Any) -> str:
    if isinstance(body, Mapping):
        for key in ("message", "userMessage", "error_description", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return ""
