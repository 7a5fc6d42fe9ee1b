"""What the watcher may poll on CRM.COM. `service_requests/list` takes no date filter and no
paging (VENDORS.md §3.6), so service requests are a scan source: the whole list, one call
per account per cycle (`list` takes exactly one account), compared with the snapshots by
content digest; a request gone from a complete scan is a tombstone. CRM.COM sends no webhooks.
"""

from __future__ import annotations

from datetime import UTC

from deskbridge.runtime.sources import ChangeCapture, ChangeSource, Observed, Page
from deskbridge.vendors.crmcom.tickets import CrmComTickets


def capture(tickets: CrmComTickets) -> ChangeCapture:
    async def scan(cursor: str | None) -> Page:
        rows = await tickets.every_request({})
        observed = []
        for row in rows:
            ticket = tickets.ticket(row)
            changed = ticket.update_time.ToDatetime(UTC) if ticket.update_time.seconds else None
            made = ticket.create_time.ToDatetime(UTC) if ticket.create_time.seconds else None
            observed.append(Observed("ticket", ticket, vendor_time=changed, create_time=made))
        return Page(observed)

    return ChangeCapture(
        sources=[
            ChangeSource(
                "ticket",
                scan=scan,
                deletable=True,
                note="1 + accounts calls (service_requests/list per account), by content",
            )
        ]
    )
