"""Per-caller abuse limits (runtime/limits.py): the bucket, the in-flight cap, RetryInfo."""

from __future__ import annotations

import grpc
import pytest

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.limits import CallerLimits, caller_key


def test_a_burst_passes_then_the_rate_holds_with_a_retry_delay():
    limits = CallerLimits(rate=10, burst=3)
    for _ in range(3):
        limits.enter("token:a")
    with pytest.raises(ApiError) as refused:
        limits.enter("token:a")
    assert refused.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert 0 < refused.value.retry_after_seconds <= 0.1
    limits.enter("token:b")  # another caller has its own bucket


def test_calls_in_flight_are_capped_and_released():
    limits = CallerLimits(in_flight=2)
    limits.enter("c")
    limits.enter("c")
    with pytest.raises(ApiError) as refused:
        limits.enter("c")
    assert refused.value.reason == "CALLER_RATE_LIMITED"
    limits.leave("c")
    limits.enter("c")
    limits.leave("c")
    limits.leave("c")
    assert limits._running == {}


def test_anonymous_callers_are_their_address():
    assert caller_key("", "ipv4:10.1.2.3:55112") == "ipv4:10.1.2.3"
    assert caller_key("jwt:svc", "ipv4:10.1.2.3:55112") == "jwt:svc"
