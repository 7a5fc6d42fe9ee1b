"""A vendor's HTTP error status as a gRPC status, the same for every vendor.

Vendors differ in their error bodies (each vendor package reads its own message out of them)
and in statuses of their own (InvGate's 428); what a status means is shared: the caller's
fault (400, 413, 414, 422, 431) is INVALID_ARGUMENT, an absent resource NOT_FOUND, a method
the endpoint lacks UNIMPLEMENTED, another refusal FAILED_PRECONDITION (not retried: it would
be refused again), and the vendor's own trouble UNAVAILABLE.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.http1 import HttpResponse
from deskbridge.runtime.upstream import Upstream

CALLER_FAULT = frozenset({400, 413, 414, 422, 431})


def status_error(upstream: Upstream, what: str, response: HttpResponse, text: str) -> ApiError:
    """The error for `response` (status ≥ 400) to a call of `what` (an endpoint or path)."""
    vendor, status = upstream.vendor, response.status_code
    if status == 404:
        code, reason, message = (
            grpc.StatusCode.NOT_FOUND,
            "UPSTREAM_NOT_FOUND",
            f"{vendor} {what}: {text or 'not found'}",
        )
    elif status == 405:
        code, reason, message = (
            grpc.StatusCode.UNIMPLEMENTED,
            "UPSTREAM_METHOD_NOT_ALLOWED",
            f"{vendor} does not allow this method on {what}",
        )
    elif status in CALLER_FAULT:
        code, reason, message = (
            grpc.StatusCode.INVALID_ARGUMENT,
            "UPSTREAM_REJECTED_REQUEST",
            f"{vendor} refused the request to {what} (HTTP {status}): {text}",
        )
    elif 400 <= status < 500 and status != 408:
        code, reason, message = (
            grpc.StatusCode.FAILED_PRECONDITION,
            "UPSTREAM_REFUSED",
            f"{vendor} {what} answered HTTP {status}: {text}",
        )
    else:
        code, reason, message = (
            grpc.StatusCode.UNAVAILABLE,
            "UPSTREAM_ERROR",
            f"{vendor} {what} answered HTTP {status}: {text}",
        )
    return upstream.error(code, reason, message, response, text)


def json_answer(
    upstream: Upstream, what: str, response: HttpResponse, message_of: Callable[[Any], str]
) -> Any:
    """The JSON body of a vendor's answer (None for 204 or an empty body), or the error its
    status means, with the vendor message `message_of` reads out of the body."""
    if response.status_code == 204 or not response.content:
        if response.status_code >= 400:
            raise status_error(upstream, what, response, "")
        return None
    try:
        body = response.json()
    except ValueError:
        if response.status_code >= 400:
            raise status_error(upstream, what, response, response.text[:200]) from None
        raise upstream.error(
            grpc.StatusCode.UNAVAILABLE,
            "UPSTREAM_MALFORMED_RESPONSE",
            f"{upstream.vendor} answered {what} with a body that is not valid JSON",
            response,
            response.text[:200],
        ) from None
    if response.status_code >= 400:
        raise status_error(upstream, what, response, message_of(body))
    return body
