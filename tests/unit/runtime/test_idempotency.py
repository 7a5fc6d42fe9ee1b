"""The in-process fallback of idempotent creates (used while NATS is away)."""

import asyncio

import pytest
from google.protobuf import struct_pb2

from deskbridge.runtime.idempotency import IdempotencyStore


async def test_concurrent_runs_with_one_key_produce_once():
    store, calls = IdempotencyStore(None), []

    async def produce():
        calls.append(1)
        await asyncio.sleep(0.05)
        return struct_pb2.Value(string_value="created")

    request = struct_pb2.Value(string_value="same body")
    results = await asyncio.gather(
        *(store.run("k", request, produce, struct_pb2.Value) for _ in range(10))
    )
    assert len(calls) == 1
    assert {r.string_value for r in results} == {"created"}


async def test_a_failed_create_can_be_retried():
    store = IdempotencyStore(None)

    async def fail():
        raise RuntimeError("vendor down")

    async def succeed():
        return struct_pb2.Value(number_value=1)

    request = struct_pb2.Value(string_value="x")
    with pytest.raises(RuntimeError):
        await store.run("k", request, fail, struct_pb2.Value)
    assert (await store.run("k", request, succeed, struct_pb2.Value)).number_value == 1
