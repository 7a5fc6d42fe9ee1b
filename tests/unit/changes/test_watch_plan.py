"""Pure parts of ChangeService.Watch: resume tokens, plans, subjects, filters."""

from __future__ import annotations

import grpc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskbridge.changes.servicer import FAMILY, KINDS, LISTS, plan_watch, ticket_matches
from deskbridge.events.feed import Position, decode_token, encode_token
from deskbridge.runtime.errors import ApiError
from deskbridge.v1 import changes_pb2, tickets_pb2

EVERYTHING = frozenset({"*"})


@given(st.integers(0, 2**63), st.integers(0, 2**63))
def test_tokens_round_trip(created, sequence):
    position = Position(created, sequence)
    assert decode_token(encode_token(position)) == position


@pytest.mark.parametrize("token", ["", "x", "djE6MQ", "djI6MToy", "djE6LTE6Mg"])
def test_other_strings_are_not_tokens(token):
    with pytest.raises(ValueError):
        decode_token(token)


def plan(scopes=EVERYTHING, backends=("invgate", "motadata"), **request):
    return plan_watch(changes_pb2.WatchRequest(**request), scopes, backends)


def test_every_kind_has_a_family_and_every_listable_kind_is_a_kind():
    assert set(FAMILY) == set(KINDS)
    assert set(FAMILY.values()) == {"tickets", "identity", "knowledge", "approvals"}
    assert set(LISTS) < set(KINDS)


def test_subjects_never_overlap():
    assert plan(parent="backends/-").subjects() == ["deskbridge.*.>"]
    assert plan(parent="backends/invgate", resource_kinds=["ticket", "comment"]).subjects() == [
        "deskbridge.invgate.ticket.>",
        "deskbridge.invgate.comment.>",
    ]
    limited = plan(frozenset({"tickets.read", "backend:motadata"}), parent="backends/-")
    assert limited.subjects() == [
        f"deskbridge.motadata.{kind}.>" for kind in KINDS if FAMILY[kind] == "tickets"
    ]


def test_kinds_need_their_familys_read_scope():
    with pytest.raises(ApiError) as denied:
        plan(frozenset({"tickets.read"}), parent="backends/-", resource_kinds=["user"])
    assert denied.value.code == grpc.StatusCode.PERMISSION_DENIED
    assert denied.value.metadata["scope"] == "identity.read"
    with pytest.raises(ApiError) as other_backend:
        plan(frozenset({"tickets.read", "backend:motadata"}), parent="backends/invgate")
    assert other_backend.value.metadata["scope"] == "backend:invgate"


def test_ticket_filter_needs_every_set_field():
    ticket = tickets_pb2.Ticket(
        state=tickets_pb2.TICKET_STATE_OPEN, help_desk="backends/b/helpDesks/1"
    )
    assert ticket_matches(changes_pb2.TicketFilter(), ticket)
    assert ticket_matches(changes_pb2.TicketFilter(states=[tickets_pb2.TICKET_STATE_OPEN]), ticket)
    assert not ticket_matches(
        changes_pb2.TicketFilter(
            states=[tickets_pb2.TICKET_STATE_OPEN], help_desk="backends/b/helpDesks/2"
        ),
        ticket,
    )
