"""Fault injection for tests and benchmarks: latency, 5xx, 429 with Retry-After, bad bodies.

Random faults use rates (0..1) with a seeded generator; scripted faults (`fail_next`) hit the
next N calls of one endpoint key and method, so a test can say exactly what happens.

When a fault strikes a write is its `when`: `before` the vendor applies it (the default, and
always for 429 and for random 5xx unless `error_after_write_share` says otherwise), `after` it
applied it (write-then-fail: the answer is the error), or `hang` (write-then-hang: the vendor
applies it, then answers after `hang_ms`). Whether real InvGate applies a write it answers 5xx
for is not documented, so the share is configurable.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class ScriptedFault:
    key: str
    method: str = "GET"
    status: int = 503
    count: int = 1
    retry_after: int | None = None
    malformed: bool = False
    when: str = "before"  # before | after | hang (see the module docstring)
    hang_ms: float = 0.0

    def __post_init__(self) -> None:
        if self.when not in ("before", "after", "hang"):
            raise ValueError(f"when must be before, after or hang, got {self.when!r}")


@dataclass
class Faults:
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    malformed_rate: float = 0.0
    retry_after_seconds: int = 1
    error_after_write_share: float = 0.0  # of random 5xx on writes: applied, then failed
    write_hang_rate: float = 0.0  # writes applied, then answered after write_hang_ms
    write_hang_ms: float = 0.0
    seed: int = 0
    fail_next: list[ScriptedFault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self.fail_next = [
            f if isinstance(f, ScriptedFault) else ScriptedFault(**f) for f in self.fail_next
        ]

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items()}

    def delay_seconds(self) -> float:
        jitter = self._random.uniform(0, self.latency_jitter_ms) if self.latency_jitter_ms else 0
        return (self.latency_ms + jitter) / 1000

    def pick(self, key: str, method: str) -> ScriptedFault | None:
        """The fault for this call, if any (scripted first, then random)."""
        for scripted in self.fail_next:
            if scripted.key == key and scripted.method == method and scripted.count > 0:
                scripted.count -= 1
                return scripted
        roll = self._random.random()
        if roll < self.error_rate:
            status = self._random.choice([500, 502, 503])
            after = method in WRITES and self._random.random() < self.error_after_write_share
            return ScriptedFault(key, method, status=status, when="after" if after else "before")
        roll -= self.error_rate
        if method in WRITES and roll < self.write_hang_rate:
            return ScriptedFault(key, method, status=200, when="hang", hang_ms=self.write_hang_ms)
        roll -= self.write_hang_rate if method in WRITES else 0.0
        if roll < self.rate_limit_rate:
            return ScriptedFault(key, method, status=429, retry_after=self.retry_after_seconds)
        roll -= self.rate_limit_rate
        if roll < self.malformed_rate:
            return ScriptedFault(key, method, status=200, malformed=True)
        return None
