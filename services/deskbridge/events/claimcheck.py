"""Events larger than a NATS message: the claim-check pattern.

NATS refuses a message over the server's `max_payload` (1 MB by default). A change event whose
payload would not fit (a 2 MB comment, a ticket with a huge description) is stored in the
JetStream Object Store bucket `deskbridge_payloads` under its ce-id, and the event itself goes
on the stream as usual — same subject, same CloudEvents headers, same `Nats-Msg-Id` — with an
empty body and the header `deskbridge-payload: deskbridge_payloads/<ce-id>` (plus
`deskbridge-payload-size`). `payload_of(js, headers, data)` gives the real bytes back; the
consumer helper (`events/consumer.py`) and `deskbridge events tail` use it, so consumers of the
helper never see the difference. Objects live as long as events do (`PAYLOAD_TTL_SECONDS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import nats.js.api as api
import nats.js.errors

PAYLOAD_BUCKET = "deskbridge_payloads"
PAYLOAD_HEADER = "deskbridge-payload"
SIZE_HEADER = "deskbridge-payload-size"
PAYLOAD_TTL_SECONDS = 30 * 24 * 3600.0
HEADROOM = 64 * 1024  # headers and protocol framing share the message limit


def fits(nc: Any, payload: bytes) -> bool:
    """Whether `payload` can travel inline on this connection."""
    limit = getattr(nc, "max_payload", 0) or 1024 * 1024
    return len(payload) <= limit - HEADROOM


async def payload_store(js: Any) -> Any:
    try:
        return await js.object_store(PAYLOAD_BUCKET)
    except nats.js.errors.BucketNotFoundError:
        config = api.ObjectStoreConfig(bucket=PAYLOAD_BUCKET, ttl=PAYLOAD_TTL_SECONDS)
        return await js.create_object_store(PAYLOAD_BUCKET, config=config)


async def check_in(js: Any, headers: Mapping[str, str], payload: bytes) -> dict[str, str]:
    """Store `payload` under the event's ce-id; the headers the stub event carries."""
    name = headers["ce-id"]
    store = await payload_store(js)
    await store.put(name, payload)
    return {**headers, PAYLOAD_HEADER: f"{PAYLOAD_BUCKET}/{name}", SIZE_HEADER: str(len(payload))}


async def payload_of(js: Any, headers: Mapping[str, str], data: bytes) -> bytes:
    """The event's payload: `data`, or the checked-in object the headers point at."""
    reference = headers.get(PAYLOAD_HEADER)
    if not reference:
        return data
    bucket, _, name = reference.partition("/")
    store = await js.object_store(bucket)
    result = await store.get(name)
    return result.data or b""
