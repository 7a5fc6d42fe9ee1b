"""What the watcher remembers per backend and kind, in NATS KV (`state.<backend>.<kind>`).

Only the lease holder writes it. `watermark` is the local time of the start of the last
complete cycle: every change the vendor made before it (less the overlap) is on the stream.
`cursor` is where a page walk that hit its bound resumes; `known` the resource names of the last
complete scan of a deletable kind (what a later scan compares against to find deletes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import nats.js.errors
import orjson

WATCHER_BUCKET = "deskbridge_watcher"


@dataclass
class KindState:
    watermark: float | None = None
    last_change: float | None = None  # vendor time of the last change published
    last_poll: float | None = None
    cursor: str | None = None
    known: list[str] | None = None  # every resource of the last complete scan
    deletes_scanned: float | None = None  # when a feed kind was last scanned for deletes
    reconciliations: int = 0
    error: str = ""

    def encode(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def decode(cls, data: bytes) -> KindState:
        document = orjson.loads(data)
        return cls(**{k: v for k, v in document.items() if k in cls.__dataclass_fields__})


def state_key(backend: str, kind: str) -> str:
    return f"state.{backend}.{kind}"


async def load_state(kv: Any, backend: str, kind: str) -> KindState:
    try:
        entry = await kv.get(state_key(backend, kind))
    except nats.js.errors.KeyNotFoundError:
        return KindState()
    if entry.value is None or entry.operation in ("DEL", "PURGE"):
        return KindState()
    return KindState.decode(entry.value)


async def save_state(kv: Any, backend: str, kind: str, state: KindState) -> None:
    await kv.put(state_key(backend, kind), state.encode())
