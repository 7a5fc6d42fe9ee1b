"""Fault injection for tests and benchmarks: latency, 5xx, 429 with Retry-After, bad bodies.

Random faults use rates (0..1) with a seeded generator; scripted faults (`fail_next`) hit the
next N calls of one endpoint key and method, so a test can say exactly what happens.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ScriptedFault:
    key: str
    method: str = "GET"
    status: int = 503
    count: int = 1
    retry_after: int | None = None
    malformed: bool = False


@dataclass
class Faults:
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    malformed_rate: float = 0.0
    retry_after_seconds: int = 1
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
            return ScriptedFault(key, method, status=self._random.choice([500, 502, 503]))
        roll -= self.error_rate
        if roll < self.rate_limit_rate:
            return ScriptedFault(key, method, status=429, retry_after=self.retry_after_seconds)
        roll -= self.rate_limit_rate
        if roll < self.malformed_rate:
            return ScriptedFault(key, method, status=200, malformed=True)
        return None
