"""The InvGate approval endpoints: `incident.approval*`, `incident.spontaneous_approval`,
`incident.custom_approval` (VENDORS.md §1.4).
"""

from __future__ import annotations

import random

from deskbridge.sandbox.invgate.state import InvGateState


def seed(state: InvGateState, rng: random.Random) -> None:
    """Demo data: pending and decided approvals on some requests, voters, templates."""
