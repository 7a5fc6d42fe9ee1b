"""Reading what a test's backend published to DESKBRIDGE_EVENTS."""

from __future__ import annotations

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy

from deskbridge.events.payloads import decode_payload


async def stored_events(nats_url: str, backend: str, *, settle: float = 0.5) -> list:
    """Every message stored for `deskbridge.<backend>.>`, in stream order."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe(
            f"deskbridge.{backend}.>",
            stream="DESKBRIDGE_EVENTS",
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, inactive_threshold=30),
        )
        messages = []
        while True:
            try:
                batch = await sub.fetch(100, timeout=settle)
            except (nats.errors.TimeoutError, TimeoutError):
                # nats-py raises the bare asyncio one when the fetch deadline is already spent
                break
            for message in batch:
                await message.ack()
            messages.extend(batch)
        await sub.unsubscribe()
        return messages
    finally:
        await nc.close()


def decoded(message):
    return decode_payload(message.headers.get("ce-type"), message.data)
