"""Errors every service raises, and their mapping to `google.rpc.Status` with details.

Handlers raise `ApiError` (usually through the helpers below); the error interceptor turns it
into a gRPC status carrying `ErrorInfo` (domain `deskbridge`) and, for bad input, `BadRequest`
field violations. Anything else that escapes a handler becomes `INTERNAL` with the request id.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

DOMAIN = "deskbridge"
STATUS_DETAILS_KEY = "grpc-status-details-bin"


# What an error may quote, in UTF-8 bytes, so that its trailers always fit a client's 8 KB
# metadata limit: `grpc-message` is percent-encoded (a non-ASCII byte costs 3) and the status
# details are base64 (4/3) and repeat the message: at worst 1.8 KB + 4 KB, about 6 KB in all.
MAX_MESSAGE, MAX_DETAIL, MAX_VIOLATIONS = 600, 200, 20
MAX_STATUS_BYTES = 3000  # the serialized google.rpc.Status; violations beyond it are dropped


@dataclass(frozen=True)
class FieldViolation:
    """One invalid request field: its path (e.g. `ticket.title`) and what is wrong with it."""

    field: str
    description: str


@dataclass
class ApiError(Exception):
    """An error meant for the caller: gRPC code, message, machine-readable reason and details."""

    code: grpc.StatusCode
    message: str
    reason: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    violations: tuple[FieldViolation, ...] = ()
    retry_after_seconds: float | None = None
    # For a failed vendor write: False when the vendor certainly did not apply it, True when
    # it may have, None to decide by the code (runtime/outcomes.py).
    may_have_written: bool | None = None

    def __post_init__(self) -> None:
        # Trailers have a size limit (8 KB by default on clients): an error that quoted a huge
        # value would reach the caller as RESOURCE_EXHAUSTED instead of itself.
        self.message = _cap(self.message, MAX_MESSAGE)
        super().__init__(self.message)

    def to_status(self) -> status_pb2.Status:
        """The `google.rpc.Status` sent to the client in `grpc-status-details-bin`, at most
        `MAX_STATUS_BYTES` (the first violations are kept, as many as fit)."""
        violations = self.violations[:MAX_VIOLATIONS]
        while True:
            status = self._status(violations, MAX_DETAIL if len(violations) > 1 else 80)
            if status.ByteSize() <= MAX_STATUS_BYTES or not violations:
                return status
            violations = violations[: len(violations) // 2] if len(violations) > 1 else ()

    def _status(self, violations: tuple[FieldViolation, ...], detail: int) -> status_pb2.Status:
        info = error_details_pb2.ErrorInfo(
            reason=self.reason,
            domain=DOMAIN,
            metadata={k: _cap(str(v), detail) for k, v in self.metadata.items()},
        )
        details = [_pack(info)]
        if violations:
            bad = error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(
                        field=_cap(v.field, detail), description=_cap(v.description, detail)
                    )
                    for v in violations
                ]
            )
            details.append(_pack(bad))
        if self.retry_after_seconds is not None:
            retry = error_details_pb2.RetryInfo()
            retry.retry_delay.FromNanoseconds(int(self.retry_after_seconds * 1e9))
            details.append(_pack(retry))
        return status_pb2.Status(code=self.code.value[0], message=self.message, details=details)

    def trailing_metadata(self) -> tuple[tuple[str, bytes], ...]:
        return ((STATUS_DETAILS_KEY, self.to_status().SerializeToString()),)


def _cap(text: str, limit: int) -> str:
    """`text` in at most `limit` UTF-8 bytes (cut on a character boundary, marked with …)."""
    if len(text) <= limit // 4:  # fits whatever its characters are: the common case, no encode
        return text
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "…"


def _pack(message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def invalid_argument(
    violations: Iterable[FieldViolation] | FieldViolation, message: str | None = None
) -> ApiError:
    """`INVALID_ARGUMENT` with `BadRequest` field violations."""
    items = (violations,) if isinstance(violations, FieldViolation) else tuple(violations)
    text = message or "; ".join(f"{v.field}: {v.description}" for v in items)
    return ApiError(
        grpc.StatusCode.INVALID_ARGUMENT,
        text,
        reason="INVALID_ARGUMENT",
        metadata={"fields": ",".join(v.field for v in items)},
        violations=items,
    )


def bad_field(field_path: str, description: str) -> ApiError:
    """Shorthand for one invalid field."""
    return invalid_argument(FieldViolation(field_path, description))


def not_found(
    resource_name: str, *, reason: str = "RESOURCE_NOT_FOUND", **metadata: str
) -> ApiError:
    return ApiError(
        grpc.StatusCode.NOT_FOUND,
        f"{resource_name} not found",
        reason=reason,
        metadata={"resource_name": resource_name, **metadata},
    )


@contextlib.contextmanager
def absent_is(resource_name: str, **metadata: str) -> Iterator[None]:
    """Within it, a vendor's NOT_FOUND is NOT_FOUND of `resource_name`: the caller's
    resource, not the vendor path that answered."""
    try:
        yield
    except ApiError as error:
        if error.code != grpc.StatusCode.NOT_FOUND:
            raise
        raise not_found(resource_name, **metadata) from None


def unimplemented(vendor: str, operation: str, backend: str) -> ApiError:
    """An operation this backend's vendor cannot do."""
    return ApiError(
        grpc.StatusCode.UNIMPLEMENTED,
        f"vendor {vendor} (backend {backend!r}) does not support {operation}",
        reason="OPERATION_NOT_SUPPORTED_BY_VENDOR",
        metadata={"vendor": vendor, "backend": backend, "operation": operation},
    )


def malformed_request(rpc: str, error: Exception) -> ApiError:
    """Request bytes that do not decode as the method's request message (e.g. bad UTF-8)."""
    return ApiError(
        grpc.StatusCode.INVALID_ARGUMENT,
        f"the request is not a valid {rpc.rpartition('/')[2]} request message: {error}",
        reason="MALFORMED_REQUEST",
        metadata={"rpc": rpc},
    )


def internal(request_id: str) -> ApiError:
    """What the caller sees for a bug: no stack trace, only the id to find it in the logs."""
    return ApiError(
        grpc.StatusCode.INTERNAL,
        f"internal error (request id {request_id})",
        reason="INTERNAL",
        metadata={"request_id": request_id},
    )


def status_from_rpc_error(error: grpc.aio.AioRpcError) -> status_pb2.Status | None:
    """Decode the rich status a Deskbridge server sent (for clients and tests)."""
    for key, value in error.trailing_metadata() or ():
        if key == STATUS_DETAILS_KEY:
            return status_pb2.Status.FromString(value)
    return None


def details_of(error: grpc.aio.AioRpcError) -> dict[str, object]:
    """`{"ErrorInfo": ..., "BadRequest": ..., "RetryInfo": ...}` unpacked from an RPC error."""
    status = status_from_rpc_error(error)
    found: dict[str, object] = {}
    if status is None:
        return found
    for any_detail in status.details:
        for kind in (
            error_details_pb2.ErrorInfo,
            error_details_pb2.BadRequest,
            error_details_pb2.RetryInfo,
        ):
            if any_detail.Is(kind.DESCRIPTOR):
                message = kind()
                any_detail.Unpack(message)
                found[kind.DESCRIPTOR.name] = message
    return found
