"""The one error the API answers: the envelope with `status.code` not "OK" (VENDORS.md §3.4).

app.py renders it as `{"status": {"code", "message", "description"}, "data": null}` with
HTTP `error_http_status` [?] and `status.code` the instance's `error_code` [?], or
`auth_error_code` [?] for a token problem. Routing errors keep their own HTTP status (404
for a method the API does not serve, 405 for a verb other than the method's).
"""

from __future__ import annotations


class CrmError(Exception):
    """An error answer: its message and description."""

    auth = False
    http_status: int | None = None  # None: the instance's `error_http_status`

    def __init__(self, message: str, description: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.description = description


class TokenError(CrmError):
    """A missing, unknown, released or expired token: `auth_error_code` [?]."""

    auth = True


class NotServed(CrmError):
    """A path or verb the API does not serve [I]."""

    def __init__(self, message: str, http_status: int, description: str | None = None) -> None:
        super().__init__(message, description)
        self.http_status = http_status
