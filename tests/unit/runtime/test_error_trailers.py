"""An error's trailers fit a default client's 8 KB metadata limit whatever it quotes: the
caps count UTF-8 bytes, as the wire does (percent-encoded message, base64 details)."""

from __future__ import annotations

import base64
from urllib.parse import quote

import grpc
import pytest

from deskbridge.runtime.errors import ApiError, FieldViolation, invalid_argument

CLIENT_LIMIT = 8192
OTHER_TRAILERS = 300  # grpc-status, x-request-id and their names, generously


def wire_bytes(error: ApiError) -> int:
    """What the trailers cost as gRPC counts them: the percent-encoded grpc-message plus
    the base64 grpc-status-details-bin, with their names."""
    message = quote(error.message, safe=" !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~")
    ((key, value),) = error.trailing_metadata()
    return len("grpc-message") + len(message) + len(key) + len(base64.b64encode(value))


@pytest.mark.parametrize("char", ["x", "é", "€", "🎫"])
def test_one_huge_value_fits(char):
    value = char * 100_000
    error = invalid_argument(FieldViolation("name", f"{value!r} is not a resource name"))
    assert wire_bytes(error) + OTHER_TRAILERS < CLIENT_LIMIT
    assert error.to_status().details  # the violation is still there, cut short


@pytest.mark.parametrize("char", ["x", "🎫"])
def test_many_long_violations_fit_and_the_first_ones_are_kept(char):
    violations = [
        FieldViolation(f"names[{i}]" + char * 500, char * 2000 + " is not a resource name")
        for i in range(101)
    ]
    error = invalid_argument(violations)
    assert wire_bytes(error) + OTHER_TRAILERS < CLIENT_LIMIT
    status = error.to_status()
    assert status.ByteSize() <= 3000


def test_metadata_values_are_capped_in_bytes():
    error = ApiError(
        grpc.StatusCode.FAILED_PRECONDITION,
        "🎫" * 5000,
        reason="UPSTREAM_REFUSED",
        metadata={"vendor_message": "🎫" * 5000, "backend": "inv"},
    )
    assert len(error.message.encode()) <= 600
    assert wire_bytes(error) + OTHER_TRAILERS < CLIENT_LIMIT
