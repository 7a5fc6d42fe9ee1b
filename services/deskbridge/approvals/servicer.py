"""ApprovalService: which RPCs change what (the runtime does the rest)."""

from __future__ import annotations

from deskbridge.runtime.dispatch import Dependencies, EventRule
from deskbridge.runtime.servicers import register_routed

EVENTS = {
    "ApproveApproval": EventRule("approval", "approved", changed_fields=["votes", "state"]),
    "RejectApproval": EventRule("approval", "rejected", changed_fields=["votes", "state"]),
    "CancelApproval": EventRule("approval", "cancelled", changed_fields=["state"]),
    "AddApprovalVoter": EventRule("approval", "voters_changed", changed_fields=["votes"]),
    "RequestApproval": EventRule("approval", "requested"),
    "RequestTemplateApproval": EventRule("approval", "requested"),
}


def register(server, deps: Dependencies) -> None:
    register_routed(server, deps, "approvals", EVENTS)
