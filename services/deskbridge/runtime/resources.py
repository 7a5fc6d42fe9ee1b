"""The contracts' resource names (AIP-122) that every vendor's mapping builds, and vendor ids
read out of them: one definition, whatever the vendor."""

from __future__ import annotations

from deskbridge.runtime.errors import bad_field
from deskbridge.runtime.names import ResourcePattern

TICKET = ResourcePattern("backends/{backend}/tickets/{ticket}")
COMMENT = ResourcePattern("backends/{backend}/tickets/{ticket}/comments/{comment}")
ATTACHMENT = ResourcePattern("backends/{backend}/tickets/{ticket}/attachments/{attachment}")
USER = ResourcePattern("backends/{backend}/users/{user}")
HELP_DESK = ResourcePattern("backends/{backend}/helpDesks/{help_desk}")
LOCATION = ResourcePattern("backends/{backend}/locations/{location}")
CATEGORY = ResourcePattern("backends/{backend}/ticketCategories/{ticket_category}")
COMPANY = ResourcePattern("backends/{backend}/companies/{company}")

MAX_ID_DIGITS = 18  # database integers; longer is no id at all


def integer_id(value: str, field: str, vendor: str) -> int:
    """An id taken from a resource name as the vendor's integer, or INVALID_ARGUMENT naming
    `field` (quoting at most the first 40 characters of what was given)."""
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise bad_field(
            field, f"{vendor} ids are numbers of up to {MAX_ID_DIGITS} digits; {shown!r} is not"
        )
    return int(value)
