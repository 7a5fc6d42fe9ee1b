"""ApprovalService operations on InvGate: approvals of a request, votes, voters, templates."""

from __future__ import annotations

from deskbridge.runtime.backends import Operation
from deskbridge.vendors.invgate.client import InvGateClient


def operations(backend: str, client: InvGateClient) -> dict[str, Operation]:
    """RPC name → operation, for every RPC of this family InvGate can do."""
    return {}
