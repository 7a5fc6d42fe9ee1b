"""IdentityService: which RPCs change what (the runtime does the rest)."""

from __future__ import annotations

from deskbridge.runtime.dispatch import CARRIED, Dependencies, EventRule
from deskbridge.runtime.servicers import mask_paths, register_routed

EVENTS = {
    "CreateUser": EventRule("user", "created"),
    "UpdateUser": EventRule("user", "updated", changed_fields=mask_paths),
    "DeleteUser": EventRule("user", "deleted"),
    "DisableUser": EventRule("user", "disabled", changed_fields=["disabled"]),
    "EnableUser": EventRule("user", "enabled", changed_fields=["disabled"]),
    "ConvertUserToInternal": EventRule("user", "converted", changed_fields=["external"]),
    "RequestPasswordReset": EventRule("user", "password_reset_requested"),
    "SetUserPassword": EventRule("user", "updated"),  # the password itself is never carried
    "CreateGroup": EventRule("group", "created"),
    "DeleteGroup": EventRule("group", "deleted"),
    "CreateCompany": EventRule("company", "created"),
    "UpdateCompany": EventRule("company", "updated", changed_fields=mask_paths),
    "DeleteCompany": EventRule("company", "deleted"),
    "LinkCompanyGroups": EventRule("company", "members_changed"),
    "UnlinkCompanyGroups": EventRule("company", "members_changed"),
    "CreateLocation": EventRule("location", "created"),
    "DeleteLocation": EventRule("location", "deleted"),
    # Members and observers of a group, company, location, help desk or level: the event is
    # about whichever of those the response carries.
    "AddMembers": EventRule(CARRIED, "members_changed"),
    "RemoveMembers": EventRule(CARRIED, "members_changed"),
    "AddObservers": EventRule(CARRIED, "observers_changed"),
    "RemoveObservers": EventRule(CARRIED, "observers_changed"),
    "CreateInternalNote": EventRule("internal_note", "created"),
    "UpdateInternalNote": EventRule("internal_note", "updated", changed_fields=mask_paths),
    "DeleteInternalNote": EventRule("internal_note", "deleted"),
}


def register(server, deps: Dependencies) -> None:
    register_routed(server, deps, "identity", EVENTS)
