"""The InvGate knowledge-base and Breaking News endpoints: `kb.articles*`, `kb.categories*`,
`breakingnews*` (VENDORS.md §1.4).
"""

from __future__ import annotations

import random

from deskbridge.sandbox.invgate.state import InvGateState


def seed(state: InvGateState, rng: random.Random) -> None:
    """Demo data: KB categories and articles, Breaking News with updates."""
