"""The CRM.COM sandbox's settings (VENDORS.md §3 and the seed's service-request pages).

What VENDORS.md or the seed records ([C]/[O]) the sandbox does exactly; what they leave open
is a setting here, tagged `[I]` (inferred) or `[?]` (not found in any source), with the
default the sandbox uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deskbridge.sandbox.common.faults import Faults


@dataclass
class SandboxConfig:
    seed: int = 11
    request_count: int = 30  # seeded service requests, spread over every life-cycle state
    faults: Faults = field(default_factory=Faults)

    # Auth (§3.3): `POST authentication/token` with username, password, organisation [C];
    # `POST authentication/web_api_key/token` with the key as the HTTP Basic user [C].
    username: str = "deskbridge"
    password: str = "sandbox-password"
    organisation: str = "CRMDEMO"
    web_api_key: str = "sandbox-web-api-key"
    # [C] a token expires after 1 h without use, and (R12+) 2 h after it was issued whatever
    # its use. None: no absolute limit (releases before R12).
    token_idle_seconds: float = 3600
    token_absolute_seconds: float | None = 7200
    # [C] R12+ tokens are JWTs longer than 32 chars; False issues the older 32-hex tokens.
    jwt_tokens: bool = False

    # [?] Errors (§3.4): only "status.code is not OK, the text is in status.message" is
    # recorded. The HTTP status of an error answer, its `status.code`, and the code of an
    # invalid, expired or missing token.
    error_http_status: int = 200
    error_code: str = "ERROR"
    auth_error_code: str = "INVALID_TOKEN"

    # [?] The instance's time zone: dates are ISO local without a zone [C] ("2016-08-25T06:22:28").
    time_zone: str = "UTC"

    # [C] The seed (create): caller_email is mandatory when the type emails customers;
    # VENDORS.md §3.6 notes it is optional from R10. True plays the R10+ rule.
    caller_email_optional: bool = False
    # [?] The seed (create): "Assign to information is mandatory to be specified, unless if it
    # is set automatically through ACR rules". True: a create without `assigned_to` gets the
    # ACR assignment (the first group, no user); False: `assigned_to` is mandatory.
    acr_assigns: bool = True
    # [?] The seed marks create's `estimated_completion_time` "semi-optional" but shows no
    # restriction. True: one of estimated_completion_time / expected_completion_date is
    # mandatory on create. Both at once is always an error [I].
    completion_estimate_required: bool = False

    # [I] (CRM.COM's "Resolving Service Requests" page, not in VENDORS.md) before a temporary
    # or final resolution the response must be accepted when its category requires customer
    # acceptance, and before a final resolution a temporary resolution must be accepted.
    enforce_acceptance: bool = True
    # [I] (same page) whoever accepts a response or resolution must be the caller or a
    # contact related with the caller.
    acceptor_must_relate_to_caller: bool = True
    # [?] The seed's get_completed returns requests "which are completed", not a life-cycle
    # state. False: a completed request stays life_cycle_state FINAL_RESOLVED (and is in
    # get_final_resolved); True: it shows COMPLETED and leaves get_final_resolved.
    completed_life_cycle_state: bool = False
    # [?] get_close_to_estimated_completion_time: whether requests already past their
    # expected completion date count as close to it.
    close_includes_overdue: bool = False
    # [?] Paging of list and the get_* lists is not recorded: None returns everything; a
    # number pages them with `page` (from 1) and `records_per_page` (default this number).
    list_page_size: int | None = None

    def __post_init__(self) -> None:
        if not 100 <= self.error_http_status <= 599:
            raise ValueError(f"error_http_status must be an HTTP status: {self.error_http_status}")
        if self.error_code == "OK" or self.auth_error_code == "OK":
            raise ValueError("error codes must not be OK")
        if self.token_idle_seconds <= 0 or (
            self.token_absolute_seconds is not None and self.token_absolute_seconds <= 0
        ):
            raise ValueError("token lifetimes must be positive")
        if self.list_page_size is not None and self.list_page_size < 1:
            raise ValueError("list_page_size must be None or >= 1")
        if self.request_count < 0:
            raise ValueError("request_count must be >= 0")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"time_zone is not an IANA zone: {self.time_zone!r}") from None
