"""The Requestor wire protocol (VENDORS.md §4.2, §4.3): JSON over `/api/...` with HTTP Basic.

Answers and error bodies are not recorded [?]: a 400 is read as ASP.NET Web API model binding
writes it (`{"Message", "ModelState": {field: [messages]}}`), each ModelState entry becoming a
field violation; any other body's `Message` is the vendor message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from deskbridge.runtime.errors import ApiError, FieldViolation, invalid_argument
from deskbridge.runtime.http1 import HttpResponse
from deskbridge.runtime.upstream import Upstream
from deskbridge.runtime.vendor_status import json_answer

_JSON = {"Content-Type": "application/json", "Accept": "application/json"}


class RequestorClient:
    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream

    async def get(self, path: str) -> Any:
        return self.decode(path, await self.upstream.request("GET", path))

    async def post(self, path: str, body: Mapping[str, Any], fields: Mapping[str, str]) -> Any:
        """POST `body`; `fields` names the request field behind each vendor property, for the
        field violations of a 400."""
        response = await self.upstream.request(
            "POST", path, content=orjson.dumps(body), headers=_JSON, safe=False
        )
        return self.decode(path, response, fields)

    def decode(
        self, path: str, response: HttpResponse, fields: Mapping[str, str] | None = None
    ) -> Any:
        if response.status_code == 400 and response.content:
            try:
                body = response.json()
            except ValueError:
                body = None
            problems = body.get("ModelState") if isinstance(body, Mapping) else None
            if isinstance(problems, Mapping) and problems:
                raise _model_state(problems, fields or {})
        return json_answer(self.upstream, path, response, _message)


def _message(body: Any) -> str:
    return str(body.get("Message") or "") if isinstance(body, Mapping) else ""


def _model_state(problems: Mapping[str, Any], fields: Mapping[str, str]) -> ApiError:
    violations = []
    for key, messages in problems.items():
        texts = messages if isinstance(messages, list) else [messages]
        field = fields.get(key.rpartition(".")[2], key or "request")
        violations.extend(FieldViolation(field, f"Requestor: {t}") for t in texts)
    error = invalid_argument(violations)
    error.may_have_written = False
    return error
