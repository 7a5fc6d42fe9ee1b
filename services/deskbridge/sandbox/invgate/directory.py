"""The InvGate directory endpoints: users (beyond `user`/`users`), groups, companies, locations,
help desks and levels, their members and observers, internal notes (VENDORS.md §1.4).
"""

from __future__ import annotations

import random

from deskbridge.sandbox.invgate.state import InvGateState


def seed(state: InvGateState, rng: random.Random) -> None:
    """Demo data: groups, companies, locations with members, observers, internal notes."""
