"""Idempotent creates (AIP-155): one upstream create per `request_id`, across replicas.

The key (method, backend, request_id) is claimed atomically in a NATS JetStream KV bucket
(`create` succeeds for exactly one caller); the winner calls the vendor and stores the
serialized response, everyone else waits for it. Keys expire with the bucket's TTL. The same
request_id sent with a different request body is refused rather than answered with an
unrelated resource.

A claim is released only when the vendor certainly did not write (`runtime/outcomes.py`).
After an unknown outcome (a timeout, a cancellation, a 5xx, a failed read-back) the claim stays,
marked `unknown`, with the claim time and the vendor's id when the write returned one (the
adapter calls `record_write` as soon as it has it, before any read-back). The next retry takes
the claim over and asks the operation's reconciler (`Backend.reconcilers`) what the vendor
holds: the resource the first attempt made, or None when it proves nothing was written — only
then does it create. Without a reconciler an unknown outcome is answered ABORTED
(`OUTCOME_UNKNOWN`) rather than risking a second write. A `pending` claim whose owner went
silent for `takeover_seconds` is taken over the same way.

When NATS is unreachable the guarantee falls back to this process (an in-memory table),
so creates keep working during an outage; that is logged.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol

import grpc
import orjson
import structlog
from google.protobuf.message import Message

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.outcomes import may_have_written

log = structlog.get_logger(__name__)
_POLL_SECONDS = 0.02
MAX_KEPT_RESPONSE = 512 * 1024  # bytes; larger responses are read back by a retry
PENDING, UNKNOWN, DONE = "pending", "unknown", "done"


class KeyValue(Protocol):
    async def create(self, key: str, value: bytes) -> int: ...
    async def put(self, key: str, value: bytes) -> int: ...
    async def update(self, key: str, value: bytes, last: int) -> int: ...
    async def get(self, key: str): ...
    async def delete(self, key: str) -> bool: ...


@dataclass(frozen=True)
class Claim:
    """What is known of one request_id's create."""

    state: str  # pending | unknown | done
    digest: str  # of the request: the same request_id with another body is refused
    since: float  # epoch seconds the first attempt started: the vendor's write is after it
    touched: float  # epoch seconds of the owner's last sign of life
    remote_id: str | None = None  # the vendor's id, once a write returned it
    reread: bool = False  # done, but the response was too large to keep: read it back

    def encode(self, payload: bytes = b"") -> bytes:
        meta = {"state": self.state, "digest": self.digest, "since": self.since}
        meta["touched"] = self.touched
        if self.remote_id is not None:
            meta["remote_id"] = self.remote_id
        if self.reread:
            meta["reread"] = True
        return orjson.dumps(meta) + b"\n" + payload

    @classmethod
    def decode(cls, value: bytes) -> tuple[Claim, bytes] | None:
        head, _, payload = value.partition(b"\n")
        try:
            meta = orjson.loads(head)
            claim = cls(
                str(meta["state"]),
                str(meta["digest"]),
                float(meta["since"]),
                float(meta["touched"]),
                meta.get("remote_id"),
                bool(meta.get("reread")),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
        return claim, payload


Reconciler = Callable[[Claim], Awaitable[Message | None]]
_journal: contextvars.ContextVar[Callable[[str], Awaitable[None]] | None] = contextvars.ContextVar(
    "deskbridge_write_journal", default=None
)


async def record_write(remote_id: str) -> None:
    """Called by an adapter the moment the vendor's write returned the new resource's id."""
    journal = _journal.get()
    if journal is not None:
        await journal(str(remote_id))


def idempotency_key(method: str, backend: str, request_id: str) -> str:
    return hashlib.sha256(f"{method}\x00{backend}\x00{request_id}".encode()).hexdigest()


def request_digest(request: Message) -> bytes:
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()[:32].encode()


class IdempotencyStore:
    """Runs a create at most once per key; see the module docstring."""

    def __init__(
        self,
        kv: KeyValue | None,
        *,
        wait_timeout: float = 60.0,
        local_ttl: float = 3600.0,
        takeover_seconds: float = 60.0,
    ) -> None:
        self._kv = kv
        self._wait_timeout = wait_timeout
        self._local_ttl = local_ttl
        self._takeover = takeover_seconds
        self._local: dict[str, asyncio.Future[bytes]] = {}
        self._unsaved: dict[str, bytes] = {}  # claim values decided while KV was away

    async def run(
        self,
        key: str,
        request: Message,
        produce: Callable[[], Awaitable[Message]],
        response_type: type[Message],
        reconcile: Reconciler | None = None,
    ) -> Message:
        digest = request_digest(request)
        if self._kv is not None:
            try:
                await self._flush()
                return await self._run_shared(key, digest, produce, response_type, reconcile)
            except _KvUnavailable:
                log.warning("idempotency_store_unavailable_using_local", key=key[:12])
        return await self._run_local(key, digest, produce, response_type)

    async def _save(self, key: str, value: bytes) -> None:
        """Write a claim; while KV is away keep it to write when it is back (`_flush`)."""
        try:
            await _kv_call(self._kv.put(key, value))
            self._unsaved.pop(key, None)
        except _KvUnavailable:
            self._unsaved[key] = value
            log.warning("idempotency_claim_kept_for_later", key=key[:12])
        except Exception as error:  # e.g. refused by the server: must not fail the call
            log.error("idempotency_store_write_refused", error=f"{type(error).__name__}: {error}")

    async def _flush(self) -> None:
        """Write what was decided while KV was away: the outcome known here wins over a
        `pending` or `unknown` left in KV."""
        for key in list(self._unsaved):
            value = self._unsaved.get(key)
            if value is not None:
                await _kv_call(self._kv.put(key, value))
                self._unsaved.pop(key, None)

    async def _run_shared(self, key, digest, produce, response_type, reconcile) -> Message:
        from nats.js.errors import KeyWrongLastSequenceError

        deadline = time.monotonic() + self._wait_timeout
        while True:
            now = time.time()
            fresh = Claim(PENDING, digest.decode(), now, now)
            try:
                await _kv_call(self._kv.create(key, fresh.encode()))
            except KeyWrongLastSequenceError:
                try:
                    found = await self._wait_for(key, digest.decode(), deadline)
                    if found is None:
                        continue  # released meanwhile: claim it ourselves
                    claim, payload, revision = found
                    if claim.state == DONE and not claim.reread:
                        return response_type.FromString(payload)
                    if claim.state == DONE:
                        return await self._read_back(claim, reconcile)
                    taken = replace(claim, state=PENDING, touched=time.time())
                    try:
                        await _kv_call(self._kv.update(key, taken.encode(), last=revision))
                    except KeyWrongLastSequenceError:
                        continue  # another retry took it over first
                except _KvUnavailable as error:
                    # The claim exists: creating from this process's memory could duplicate it.
                    raise ApiError(
                        grpc.StatusCode.UNAVAILABLE,
                        "this request_id has a create in progress or to be checked, and the "
                        "claim store is unreachable; retry",
                        reason="CLAIM_STORE_UNAVAILABLE",
                        may_have_written=False,
                    ) from error
                log.info("idempotency_takeover", key=key[:12], previous=claim.state)
                return await self._attempt(key, taken, produce, reconcile, takeover=True)
            return await self._attempt(key, fresh, produce, reconcile, takeover=False)

    async def _attempt(
        self, key: str, claim: Claim, produce, reconcile: Reconciler | None, *, takeover: bool
    ) -> Message:
        """Produce (or, after an unknown outcome, reconcile first) while holding the claim."""
        written: list[str] = []

        async def journal(remote_id: str) -> None:
            written.append(remote_id)
            noted = replace(claim, remote_id=remote_id, touched=time.time())
            await self._save(key, noted.encode())

        token = _journal.set(journal)
        try:
            response = None
            if takeover:
                if reconcile is None:
                    raise ApiError(
                        grpc.StatusCode.ABORTED,
                        "an earlier attempt with this request_id may have written and this "
                        "operation cannot check the vendor; look the resource up before "
                        "creating it with a new request_id",
                        reason="OUTCOME_UNKNOWN",
                        may_have_written=True,
                    )
                response = await reconcile(claim)
                log.info("idempotency_reconciled", key=key[:12], found=response is not None)
            if response is None:
                response = await produce()
        except BaseException as error:
            remote_id = written[-1] if written else claim.remote_id
            if not takeover and remote_id is None and not may_have_written(error):
                await _quietly(self._kv.delete(key))  # certainly not written: retry freely
            else:
                left = replace(claim, state=UNKNOWN, remote_id=remote_id, touched=time.time())
                await self._save(key, left.encode())
                log.warning(
                    "idempotency_outcome_unknown",
                    key=key[:12],
                    remote_id=remote_id,
                    error=type(error).__name__,
                )
            raise
        finally:
            _journal.reset(token)
        # The vendor has created it: from here on, never fall back to creating again.
        done = replace(claim, state=DONE, remote_id=written[-1] if written else claim.remote_id)
        body = response.SerializeToString()
        if len(body) > MAX_KEPT_RESPONSE:  # a KV value is one NATS message
            done, body = replace(done, reread=True), b""
        await self._save(key, done.encode(body))
        return response

    async def _read_back(self, claim: Claim, reconcile: Reconciler | None) -> Message:
        """A done create whose response was too large to keep: read it from the vendor."""
        found = await reconcile(claim) if reconcile is not None else None
        if found is None:
            raise ApiError(
                grpc.StatusCode.ABORTED,
                "this request_id already created its resource; its response was too large to "
                "keep, read the resource itself",
                reason="RESPONSE_NOT_KEPT",
                may_have_written=True,
            )
        return found

    async def _wait_for(
        self, key: str, digest: str, deadline: float
    ) -> tuple[Claim, bytes, int] | None:
        """The claim once it is done, unknown or stale; None when it is gone."""
        from nats.js.errors import KeyNotFoundError

        while time.monotonic() < deadline:
            try:
                entry = await _kv_call(self._kv.get(key))
            except KeyNotFoundError:  # includes deleted / purged
                return None
            decoded = Claim.decode(entry.value or b"")
            if decoded is None:
                return None
            claim, payload = decoded
            if claim.digest != digest:
                raise ApiError(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    "request_id was already used for a different request",
                    reason="REQUEST_ID_REUSED",
                    metadata={"field": "request_id"},
                )
            stale = claim.state == PENDING and time.time() - claim.touched > self._takeover
            if claim.state != PENDING or stale:
                return claim, payload, entry.revision
            await asyncio.sleep(_POLL_SECONDS)
        raise ApiError(
            grpc.StatusCode.ABORTED,
            "a create with the same request_id is still in progress; retry later",
            reason="REQUEST_IN_PROGRESS",
        )

    async def _run_local(self, key, digest, produce, response_type) -> Message:
        """This process's guarantee while KV is away; what it decides goes to KV later."""
        local_key = key + digest.decode()
        existing = self._local.get(local_key)
        if existing is not None:
            return response_type.FromString(await asyncio.shield(existing))
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._local[local_key] = future
        started = time.time()
        try:
            response = await produce()
        except BaseException as error:
            self._local.pop(local_key, None)
            future.set_exception(error)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            if self._kv is not None and may_have_written(error):
                claim = Claim(UNKNOWN, digest.decode(), started, time.time())
                self._unsaved[key] = claim.encode()
            raise
        body = response.SerializeToString()
        future.set_result(body)
        asyncio.get_running_loop().call_later(self._local_ttl, self._local.pop, local_key, None)
        if self._kv is not None:
            done = Claim(DONE, digest.decode(), started, time.time())
            if len(body) > MAX_KEPT_RESPONSE:
                done, body = replace(done, reread=True), b""
            self._unsaved[key] = done.encode(body)
        return response


class _KvUnavailable(Exception):
    pass


async def _quietly(awaitable) -> None:
    """A claim write that must not fail the call it guards (the vendor may have written)."""
    try:
        await _kv_call(awaitable)
    except _KvUnavailable:
        log.warning("idempotency_store_write_failed")
    except Exception as error:
        log.error("idempotency_store_write_refused", error=f"{type(error).__name__}: {error}")


async def _kv_call(awaitable):
    """A KV call (bounded to 2 s) that turns connection trouble into `_KvUnavailable`."""
    from nats.errors import ConnectionClosedError, NoRespondersError
    from nats.errors import TimeoutError as NatsTimeout

    try:
        return await asyncio.wait_for(awaitable, 2.0)
    except (TimeoutError, NatsTimeout, NoRespondersError, ConnectionClosedError) as error:
        raise _KvUnavailable() from error
