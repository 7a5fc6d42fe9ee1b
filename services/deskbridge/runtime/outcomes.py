"""Whether a vendor write that failed may still have happened.

A write that failed *before* the vendor could apply it (a refused connection, 429, a 4xx the
vendor answered, a request Deskbridge rejected itself) is certainly not written: its
idempotency claim may be released and the create retried. Everything else is an *unknown
outcome* — a timeout or cancellation after the request was sent, a reset connection, a 5xx
(InvGate documents none as "not applied"), a failed read-back after a successful write — and
must be reconciled with the vendor before anything is written again.
"""

from __future__ import annotations

import grpc

from deskbridge.runtime.errors import ApiError

# Codes whose ApiError says the call was refused, not interrupted.
REFUSED = frozenset(
    {
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.OUT_OF_RANGE,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.RESOURCE_EXHAUSTED,  # a rate limit refuses the call
    }
)


def may_have_written(error: BaseException) -> bool:
    """True unless `error` proves the vendor did not apply the write."""
    if isinstance(error, ApiError):
        if error.may_have_written is not None:
            return error.may_have_written
        return error.code not in REFUSED
    return True  # a cancellation, a timeout, a bug after the write: nobody knows


def unconfirmed_write(vendor: str, backend: str, what: str, endpoint: str) -> ApiError:
    """A write the vendor accepted whose result cannot be read yet (its answer named no id
    and the written thing is not found): UNAVAILABLE, written — the retry reconciles."""
    return ApiError(
        grpc.StatusCode.UNAVAILABLE,
        f"{vendor} accepted the {what} but it cannot be read back yet; retry with the same "
        "request_id to reconcile",
        reason="UPSTREAM_WRITE_NOT_VISIBLE",
        metadata={"backend": backend, "endpoint": endpoint},
        may_have_written=True,
    )
