"""The Motadata sandbox's settings (VENDORS.md §2).

What the public sources record ([C]/[O]) the sandbox does exactly; what they leave open is a
setting here, tagged `[I]` (inferred) or `[?]` (not found in any source), with the default the
sandbox uses. Reference-data ids are instance-specific [O]: one instance had status open=9 …
closed=13 and priorities 1-4, which are the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deskbridge.sandbox.common.faults import Faults

STATUSES = {"Open": 9, "In Progress": 10, "Pending": 11, "Resolved": 12, "Closed": 13}
PRIORITIES = {"Low": 1, "Medium": 2, "High": 3, "Urgent": 4}
URGENCIES = {"Low": 1, "Medium": 2, "High": 3, "Urgent": 4}
IMPACTS = {"Low": 1, "On User": 2, "On Department": 3, "On Business": 4}
CATEGORIES = {"Service Request": 1, "Incident": 2, "Hardware": 3, "Software": 4}
# What a create without these keys gets [?]; the docs' example answer is all "Low", "tier1".
CREATE_DEFAULTS = {
    "statusName": "Open",
    "priorityName": "Low",
    "urgencyName": "Low",
    "impactName": "Low",
    "supportLevel": "tier1",
}

ERROR_STYLES = ("spring", "flat")
UNKNOWN_REQUESTER = ("reject", "create")
DELETE_ANSWERS = ("empty", "object")
CONVERSATION_LIST_SHAPES = ("array", "objectList")


@dataclass
class SandboxConfig:
    seed: int = 7
    request_count: int = 40
    faults: Faults = field(default_factory=Faults)

    # Auth (§2.2). The Rest Integration's client, the user of the password grant, and the
    # API Integration's key.
    client_id: str = "deskbridge"
    client_secret: str = "sandbox-secret"
    username: str = "api@example.com"
    password: str = "sandbox-password"
    api_key: str = "sandbox-apikey"
    # [?] Token lifetime (`expires_in`, the JWT's `exp`): not documented.
    token_ttl_seconds: float = 3600
    # [?] Whether the grant also issues a `refresh_token` (and accepts
    # `grant_type=refresh_token`); the docs' answer is truncated after `access_token`.
    issue_refresh_token: bool = False
    refresh_token_ttl_seconds: float = 30 * 24 * 3600  # [?]
    # [?] The JWT's `login_source` claim: the docs show the claim, not its value.
    token_login_source: str = "external"

    # [?] Error bodies of /api/v1 (400, 404, 405, injected faults): not documented.
    # "spring": {timestamp (ms), status, error, message, path}; "flat": {userMessage, errorCode}.
    error_style: str = "spring"

    # Reference data: instance-specific ids [O].
    statuses: dict[str, int] = field(default_factory=lambda: dict(STATUSES))
    priorities: dict[str, int] = field(default_factory=lambda: dict(PRIORITIES))
    urgencies: dict[str, int] = field(default_factory=lambda: dict(URGENCIES))
    impacts: dict[str, int] = field(default_factory=lambda: dict(IMPACTS))
    categories: dict[str, int] = field(default_factory=lambda: dict(CATEGORIES))
    # [?] Values a create without statusName/priorityName/... gets.
    create_defaults: dict[str, str] = field(default_factory=lambda: dict(CREATE_DEFAULTS))

    # [?] A create whose requesterEmail is no user: "reject" (400) or "create" (a requester).
    unknown_requester: str = "reject"
    # [I] The PATCH docs mark `subject*`; True makes a PATCH without subject a 400.
    patch_requires_subject: bool = False
    # [?] What DELETE answers: "empty" (204, no body) or "object" (200, the deleted object).
    delete_answer: str = "empty"

    # [I] greater_than, less_than, greater_than_or_equal, less_than_or_equal in quals (only
    # equal, in, not_in and contains are seen in sources); False → 400 "unsupported operator".
    ordering_operators: bool = True
    # [I] `size` when the query has none (the docs' example URL says size=25).
    default_page_size: int = 25
    # [O] a Power BI script pages byqual with size=2000; larger sizes are capped to this.
    max_page_size: int = 2000

    # Every change sets `updatedTime` to the current epoch ms, so changes within one
    # millisecond share it, as a real clock does; True makes each change move it by >= 1 ms.
    strictly_increasing_updated_time: bool = False
    # [?] The instance time zone of conversation times ("Wed, Jul 16, 2025 04:33 pm"): IANA.
    time_zone: str = "UTC"
    # [?] GET …/conversation: "array" (a JSON array) or "objectList" ({objectList, totalCount}).
    conversation_list_shape: str = "array"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("error_style", ERROR_STYLES),
            ("unknown_requester", UNKNOWN_REQUESTER),
            ("delete_answer", DELETE_ANSWERS),
            ("conversation_list_shape", CONVERSATION_LIST_SHAPES),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if self.max_page_size < 1 or self.default_page_size < 0:
            raise ValueError("max_page_size must be >= 1 and default_page_size >= 0")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"time_zone is not an IANA zone: {self.time_zone!r}") from None
