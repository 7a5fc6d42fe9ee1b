"""The event view's reads (runtime/views.py) over an in-memory reader: order, paging, filters."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import timestamp_pb2

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.views import EventViewSlot, sort_key, view_operations
from deskbridge.v1 import identity_pb2, tickets_pb2


class MemoryReader:
    def __init__(self, resources):
        self.resources = resources  # (kind, message)

    async def ready(self, backend):
        return None

    def _of(self, kind):
        found = [(m.name.rsplit("/", 1)[1], m) for k, m in self.resources if k == kind]
        return sorted(found, key=lambda pair: sort_key(pair[0]))

    def get(self, backend, kind, remote_id):
        return next((m.SerializeToString() for i, m in self._of(kind) if i == remote_id), None)

    def after(self, backend, kind, remote_id):
        for i, m in self._of(kind):
            if remote_id is None or sort_key(i) > sort_key(remote_id):
                yield i, m.SerializeToString()

    def updated_at(self, backend):
        return None


def ticket(n: int, seconds: int = 0) -> tickets_pb2.Ticket:
    made = tickets_pb2.Ticket(name=f"backends/r/tickets/{n}", title=f"T{n}")
    made.update_time.CopyFrom(timestamp_pb2.Timestamp(seconds=seconds))
    return made


def operations(resources):
    slot = EventViewSlot("r", "requestor", ("ticket", "user", "company"), MemoryReader(resources))
    return view_operations(slot)


def test_remote_ids_sort_as_numbers_then_text():
    assert sorted(["10", "9", "b", "100", "a"], key=sort_key) == ["9", "10", "100", "a", "b"]


async def test_lists_page_in_id_order_with_tokens_bound_to_the_query():
    ops = operations([("ticket", ticket(n)) for n in (10, 2, 33, 4, 5)])
    listing = ops["deskbridge.v1.TicketService/ListTickets"]
    request = tickets_pb2.ListTicketsRequest(parent="backends/r", page_size=2)
    seen = []
    while True:
        page = await listing(request)
        seen.append([t.name.rsplit("/", 1)[1] for t in page.tickets])
        if not page.next_page_token:
            break
        request.page_token = page.next_page_token
    assert seen == [["2", "4"], ["5", "10"], ["33"]]


async def test_deleted_and_disabled_are_left_out_of_lists_but_read_by_name():
    gone = identity_pb2.User(name="backends/r/users/1", deleted=True)
    off = identity_pb2.User(name="backends/r/users/2", disabled=True)
    ops = operations(
        [("user", gone), ("user", off), ("user", identity_pb2.User(name="backends/r/users/3"))]
    )
    listing = ops["deskbridge.v1.IdentityService/ListUsers"]
    plain = await listing(identity_pb2.ListUsersRequest(parent="backends/r"))
    assert [u.name for u in plain.users] == ["backends/r/users/3"]
    everyone = await listing(
        identity_pb2.ListUsersRequest(parent="backends/r", include_disabled=True)
    )
    assert [u.name for u in everyone.users] == ["backends/r/users/2", "backends/r/users/3"]
    read = await ops["deskbridge.v1.IdentityService/GetUser"](
        identity_pb2.GetUserRequest(name="backends/r/users/1")
    )
    assert read.user.deleted


async def test_updated_after_filters_and_other_filters_are_refused_by_name():
    ops = operations([("ticket", ticket(1, 100)), ("ticket", ticket(2, 300))])
    listing = ops["deskbridge.v1.TicketService/ListTickets"]
    request = tickets_pb2.ListTicketsRequest(parent="backends/r")
    request.updated_after.FromSeconds(200)
    assert [t.name for t in (await listing(request)).tickets] == ["backends/r/tickets/2"]
    with pytest.raises(ApiError) as refused:
        await listing(
            tickets_pb2.ListTicketsRequest(parent="backends/r", requester="x", view_id="7")
        )
    assert refused.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in refused.value.violations} == {"requester", "view_id"}


async def test_without_a_reader_the_view_is_unavailable_not_empty():
    slot = EventViewSlot("r", "requestor", ("ticket",))
    get = view_operations(slot)["deskbridge.v1.TicketService/GetTicket"]
    with pytest.raises(ApiError) as unavailable:
        await get(tickets_pb2.GetTicketRequest(name="backends/r/tickets/1"))
    assert unavailable.value.code == grpc.StatusCode.UNAVAILABLE
    assert unavailable.value.reason == "EVENT_VIEW_UNAVAILABLE"


async def test_a_resource_never_seen_is_not_found():
    get = operations([])["deskbridge.v1.IdentityService/GetCompany"]
    with pytest.raises(ApiError) as missing:
        await get(identity_pb2.GetCompanyRequest(name="backends/r/companies/5"))
    assert missing.value.code == grpc.StatusCode.NOT_FOUND
