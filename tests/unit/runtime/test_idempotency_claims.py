"""Claims in a real NATS KV bucket: released only when the vendor certainly did not write,
reconciled before anything is written again after an unknown outcome."""

from __future__ import annotations

import asyncio
import itertools

import grpc
import nats
import pytest
from google.protobuf import struct_pb2

from deskbridge.events.stream import ensure_kv
from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.idempotency import IdempotencyStore, record_write

_keys = itertools.count()
Value = struct_pb2.Value


@pytest.fixture
async def store(nats_server):
    nc = await nats.connect(nats_server.url)
    kv = await ensure_kv(nc.jetstream(), "test_claims", 0)
    yield IdempotencyStore(kv, wait_timeout=2.0, takeover_seconds=0.5)
    await nc.close()


def key() -> str:
    return f"k{next(_keys)}"


REQUEST = Value(string_value="body")
REFUSED = ApiError(grpc.StatusCode.INVALID_ARGUMENT, "bad", reason="BAD")
UNAVAILABLE = ApiError(grpc.StatusCode.UNAVAILABLE, "503", reason="UPSTREAM_UNAVAILABLE")


def failing(error: BaseException, calls: list, remote_id: str | None = None):
    async def produce():
        calls.append("produce")
        if remote_id is not None:
            await record_write(remote_id)
        raise error

    return produce


def created(calls: list, value: str = "created"):
    async def produce():
        calls.append("produce")
        return Value(string_value=value)

    return produce


async def test_a_refused_create_releases_its_claim(store):
    k, calls = key(), []
    with pytest.raises(ApiError):
        await store.run(k, REQUEST, failing(REFUSED, calls), Value)
    assert (await store.run(k, REQUEST, created(calls), Value)).string_value == "created"
    assert calls == ["produce", "produce"]


async def test_an_unknown_outcome_is_never_retried_blindly(store):
    k, calls = key(), []
    with pytest.raises(ApiError):
        await store.run(k, REQUEST, failing(UNAVAILABLE, calls), Value)
    with pytest.raises(ApiError) as refused:  # no reconciler: the retry must not create
        await store.run(k, REQUEST, created(calls), Value)
    assert refused.value.reason == "OUTCOME_UNKNOWN"
    assert calls == ["produce"]


async def test_a_retry_after_an_unknown_outcome_returns_what_reconciliation_finds(store):
    k, calls, claims = key(), [], []

    async def reconcile(claim):
        claims.append(claim)
        return Value(string_value="found at the vendor")

    with pytest.raises(asyncio.CancelledError):  # a cancelled call may have written
        await store.run(k, REQUEST, failing(asyncio.CancelledError(), calls), Value, reconcile)
    again = await store.run(k, REQUEST, created(calls), Value, reconcile)
    assert again.string_value == "found at the vendor" and calls == ["produce"]
    assert claims[0].remote_id is None and claims[0].since > 0
    third = await store.run(k, REQUEST, created(calls), Value, reconcile)
    assert third.string_value == "found at the vendor" and len(claims) == 1  # done now


async def test_reconciliation_that_proves_nothing_was_written_creates_once(store):
    k, calls = key(), []

    async def nothing(claim):
        return None

    with pytest.raises(ApiError):
        await store.run(k, REQUEST, failing(UNAVAILABLE, calls), Value, nothing)
    assert (await store.run(k, REQUEST, created(calls), Value, nothing)).string_value == "created"
    assert calls == ["produce", "produce"]


async def test_the_vendor_id_is_kept_when_the_read_back_fails(store):
    k, calls, claims = key(), [], []

    async def reconcile(claim):
        claims.append(claim)
        return Value(string_value=f"read back {claim.remote_id}")

    # a refused read-back after the write: the write happened, the claim must not be released
    with pytest.raises(ApiError):
        await store.run(k, REQUEST, failing(REFUSED, calls, remote_id="1042"), Value, reconcile)
    again = await store.run(k, REQUEST, created(calls), Value, reconcile)
    assert again.string_value == "read back 1042" and calls == ["produce"]


async def test_a_pending_claim_whose_owner_died_is_taken_over_through_reconciliation(store):
    k, calls = key(), []
    hung = asyncio.Event()

    async def never():
        calls.append("produce")
        hung.set()
        await asyncio.sleep(3600)

    async def reconcile(claim):
        return Value(string_value="it was written")

    owner = asyncio.ensure_future(store.run(k, REQUEST, never, Value, reconcile))
    await hung.wait()
    # the owner is alive but silent past takeover_seconds: a retry reconciles instead of waiting
    again = await store.run(k, REQUEST, created(calls), Value, reconcile)
    assert again.string_value == "it was written" and calls == ["produce"]
    owner.cancel()


async def test_the_same_request_id_with_another_body_is_refused(store):
    k, calls = key(), []
    await store.run(k, REQUEST, created(calls), Value)
    with pytest.raises(ApiError) as refused:
        await store.run(k, Value(string_value="other"), created(calls), Value)
    assert refused.value.reason == "REQUEST_ID_REUSED"
