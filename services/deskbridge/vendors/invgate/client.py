"""The InvGate wire protocol: endpoint keys, PHP-array parameters, and InvGate's error shapes.

Facts (VENDORS.md §1): GET/DELETE parameters go in the query string with PHP bracket arrays
(`ids[]=1&ids[]=2`); writes are sent form-encoded; booleans are 1/0. A missing or mistyped
parameter answers HTTP 428; logic errors answer HTTP 200 with `{"status": "ERROR", ...}`.

What an instance answers for an endpoint key it does not serve is not recorded (404 and 405
are both plausible; 405 is recorded for a served key with the wrong method). So a 404 or 405
is first put to the endpoint itself: `GET {key}` with no parameters, once per key, answers a
served key with anything but 404/405 (usually 428, a missing parameter). A served key's 404
is NOT_FOUND; an unserved key is UNIMPLEMENTED naming the operation and the endpoint.
Message text decides last, only for a logic error (HTTP 200, `status: ERROR`).
"""

from __future__ import annotations

import re
from collections.abc import Coroutine, Mapping
from typing import Any

import grpc

from deskbridge.runtime.context import call_info
from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.http1 import HttpResponse
from deskbridge.runtime.upstream import Upstream, form_encode
from deskbridge.runtime.vendor_status import status_error

API_PREFIX = "/api/v1/"
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_NOT_FOUND_TEXT = re.compile(
    r"not (be )?found|does not exist|doesn't exist|no existe|invalid id", re.IGNORECASE
)

Params = Mapping[str, Any]


def encode_params(params: Params) -> list[tuple[str, str]]:
    """InvGate parameters → query/form pairs: lists as `k[]`, booleans as 1/0, None dropped."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set):
            pairs.extend((f"{key}[]", _scalar(item)) for item in value)
        else:
            pairs.append((key, _scalar(value)))
    return pairs


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class InvGateClient:
    """Calls `/api/v1/{key}` and returns the decoded JSON or raises an `ApiError`."""

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream
        self._served: dict[str, bool] = {}  # endpoint key → does this instance serve it

    # Plain functions returning `call`'s coroutine: one frame less on every vendor call.
    def get(self, key: str, params: Params | None = None) -> Coroutine[Any, Any, Any]:
        return self.call("GET", key, params or {})

    def post(self, key: str, params: Params) -> Coroutine[Any, Any, Any]:
        return self.call("POST", key, params)

    def put(self, key: str, params: Params) -> Coroutine[Any, Any, Any]:
        return self.call("PUT", key, params)

    def delete(self, key: str, params: Params) -> Coroutine[Any, Any, Any]:
        return self.call("DELETE", key, params)

    async def call(self, method: str, key: str, params: Params) -> Any:
        encoded = encode_params(params)
        if method in ("GET", "DELETE"):
            response = await self.upstream.request(
                method, API_PREFIX + key, params=encoded, safe=method == "GET"
            )
        else:
            response = await self.upstream.request(
                method,
                API_PREFIX + key,
                content=form_encode(encoded).encode(),
                headers=_FORM,
                safe=False,
            )
        if response.status_code in (404, 405) and not await self.serves(key, response.status_code):
            raise self._unserved(key, response)
        return self.decode(key, response)

    async def serves(self, key: str, status: int) -> bool:
        """Whether the instance serves `key`, which just answered `status` (404 or 405)."""
        known = self._served.get(key)
        if known is None:
            probe = await self.upstream.request("GET", API_PREFIX + key, params=[], safe=True)
            known = probe.status_code not in (404, 405) or (
                status == 404 and probe.status_code == 405  # a write-only key, served
            )
            self._served[key] = known
        return known

    def _unserved(self, key: str, response: HttpResponse) -> ApiError:
        operation = call_info().rpc or key
        error = self.upstream.error(
            grpc.StatusCode.UNIMPLEMENTED,
            "OPERATION_NOT_SUPPORTED_BY_VENDOR",
            f"vendor invgate (backend {self.upstream.backend!r}) does not support {operation}: "
            f"this instance does not serve the endpoint {key}",
            response,
        )
        return ApiError(
            error.code,
            error.message,
            reason=error.reason,
            metadata={**error.metadata, "operation": operation, "endpoint": key},
            may_have_written=False,
        )

    def decode(self, key: str, response: HttpResponse) -> Any:
        """The JSON body, or the gRPC error InvGate's answer means."""
        try:
            body = response.json()
        except ValueError:
            body = None
            if response.status_code < 400:
                raise self.upstream.error(
                    grpc.StatusCode.UNAVAILABLE,
                    "UPSTREAM_MALFORMED_RESPONSE",
                    f"InvGate answered {key} with a body that is not valid JSON",
                    response,
                    vendor_message=response.text[:200],
                ) from None
        if response.status_code >= 400:
            raise self._http_error(key, response, body)
        if isinstance(body, dict) and str(body.get("status", "")).upper() == "ERROR":
            raise self._logic_error(key, response, body)
        return body

    def _http_error(self, key: str, response: HttpResponse, body: Any) -> ApiError:
        text = _message_of(body) or response.text[:200]
        status = response.status_code
        if status == 428:
            return self.upstream.error(
                grpc.StatusCode.INVALID_ARGUMENT,
                "UPSTREAM_REJECTED_PARAMETERS",
                f"InvGate rejected the parameters of {key}: {text}",
                response,
                text,
            )
        return status_error(self.upstream, key, response, text)

    def _logic_error(self, key: str, response: HttpResponse, body: dict) -> ApiError:
        text = _message_of(body) or "status ERROR"
        if _NOT_FOUND_TEXT.search(text):
            return self.upstream.error(
                grpc.StatusCode.NOT_FOUND,
                "UPSTREAM_NOT_FOUND",
                f"InvGate {key}: {text}",
                response,
                text,
            )
        return self.upstream.error(
            grpc.StatusCode.FAILED_PRECONDITION,
            "UPSTREAM_REFUSED",
            f"InvGate refused {key}: {text}",
            response,
            text,
        )


def _message_of(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("error", "info", "message"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return ""
