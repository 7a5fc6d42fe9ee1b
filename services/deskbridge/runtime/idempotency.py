"""Idempotent creates (AIP-155): one upstream create per `request_id`, across replicas.

The key (method, backend, request_id) is claimed atomically in a NATS JetStream KV bucket
(`create` succeeds for exactly one caller); the winner calls the vendor and stores the
serialized response, everyone else waits for it. Keys expire with the bucket's TTL. A failed
create releases the claim so the caller may retry. The same request_id sent with a different
request body is refused rather than answered with an unrelated resource.

When NATS is unreachable the guarantee falls back to this process (an in-memory table),
so creates keep working during an outage; that is logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import grpc
import structlog
from google.protobuf.message import Message

from deskbridge.runtime.errors import ApiError

log = structlog.get_logger(__name__)
_PENDING = b"pending:"
_DONE = b"done:"
_POLL_SECONDS = 0.02


class KeyValue(Protocol):
    async def create(self, key: str, value: bytes) -> int: ...
    async def put(self, key: str, value: bytes) -> int: ...
    async def get(self, key: str): ...
    async def delete(self, key: str) -> bool: ...


def idempotency_key(method: str, backend: str, request_id: str) -> str:
    return hashlib.sha256(f"{method}\x00{backend}\x00{request_id}".encode()).hexdigest()


def request_digest(request: Message) -> bytes:
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()[:32].encode()


class IdempotencyStore:
    """Runs a create at most once per key; see the module docstring."""

    def __init__(
        self, kv: KeyValue | None, *, wait_timeout: float = 60.0, local_ttl: float = 3600.0
    ) -> None:
        self._kv = kv
        self._wait_timeout = wait_timeout
        self._local_ttl = local_ttl
        self._local: dict[str, asyncio.Future[bytes]] = {}

    async def run(
        self,
        key: str,
        request: Message,
        produce: Callable[[], Awaitable[Message]],
        response_type: type[Message],
    ) -> Message:
        digest = request_digest(request)
        if self._kv is not None:
            try:
                return await self._run_shared(key, digest, produce, response_type)
            except _KvUnavailable:
                log.warning("idempotency_store_unavailable_using_local", key=key[:12])
        return await self._run_local(key + digest.decode(), produce, response_type)

    async def _run_shared(self, key, digest, produce, response_type) -> Message:
        from nats.js.errors import KeyWrongLastSequenceError

        deadline = time.monotonic() + self._wait_timeout
        while True:
            try:
                await _kv_call(self._kv.create(key, _PENDING + digest))
            except KeyWrongLastSequenceError:
                stored = await self._wait_for(key, digest, deadline)
                if stored is not None:
                    return response_type.FromString(stored)
                continue  # the claim was released: try to claim it ourselves
            try:
                response = await produce()
            except BaseException:
                await _quietly(self._kv.delete(key))
                raise
            # The vendor has created it: from here on, never fall back to creating again.
            await _quietly(self._kv.put(key, _DONE + digest + b":" + response.SerializeToString()))
            return response

    async def _wait_for(self, key: str, digest: bytes, deadline: float) -> bytes | None:
        from nats.js.errors import KeyNotFoundError

        while time.monotonic() < deadline:
            try:
                entry = await _kv_call(self._kv.get(key))
            except KeyNotFoundError:  # includes deleted / purged
                return None
            value = entry.value or b""
            if not value.startswith((_PENDING, _DONE)):
                return None
            state, _, rest = value.partition(b":")
            stored_digest, _, payload = rest.partition(b":")
            if stored_digest != digest:
                raise ApiError(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    "request_id was already used for a different request",
                    reason="REQUEST_ID_REUSED",
                    metadata={"field": "request_id"},
                )
            if state + b":" == _DONE:
                return payload
            await asyncio.sleep(_POLL_SECONDS)
        raise ApiError(
            grpc.StatusCode.ABORTED,
            "a create with the same request_id is still in progress; retry later",
            reason="REQUEST_IN_PROGRESS",
        )

    async def _run_local(self, key, produce, response_type) -> Message:
        existing = self._local.get(key)
        if existing is not None:
            return response_type.FromString(await asyncio.shield(existing))
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._local[key] = future
        try:
            response = await produce()
        except BaseException as error:
            self._local.pop(key, None)
            future.set_exception(error)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        future.set_result(response.SerializeToString())
        asyncio.get_running_loop().call_later(self._local_ttl, self._local.pop, key, None)
        return response


class _KvUnavailable(Exception):
    pass


async def _quietly(awaitable) -> None:
    try:
        await _kv_call(awaitable)
    except _KvUnavailable:
        log.warning("idempotency_store_write_failed")


async def _kv_call(awaitable):
    """A KV call (bounded to 2 s) that turns connection trouble into `_KvUnavailable`."""
    from nats.errors import ConnectionClosedError, NoRespondersError
    from nats.errors import TimeoutError as NatsTimeout

    try:
        return await asyncio.wait_for(awaitable, 2.0)
    except (TimeoutError, NatsTimeout, NoRespondersError, ConnectionClosedError) as error:
        raise _KvUnavailable() from error
