"""Validation from the contracts' annotations: every kind of check, all violations at once."""

from __future__ import annotations

import grpc
import pytest

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.validation import validate
from deskbridge.v1 import knowledge_pb2 as k
from deskbridge.v1 import tickets_pb2 as t


def violations(request) -> dict[str, str]:
    with pytest.raises(ApiError) as raised:
        validate(request)
    assert raised.value.code == grpc.StatusCode.INVALID_ARGUMENT
    return {v.field: v.description for v in raised.value.violations}


def test_a_valid_request_passes():
    validate(t.GetTicketRequest(name="backends/invgate/tickets/1000"))
    validate(
        k.AddArticleAttachmentsRequest(
            parent="backends/invgate/articles/1",
            author="backends/invgate/users/1",
            files=[k.FileUpload(file_name="a.txt", content=b"x")],
        )
    )


def test_required_scalar_repeated_and_message_fields_are_all_reported():
    assert set(violations(k.AddArticleAttachmentsRequest())) == {"parent", "author", "files"}
    assert set(violations(t.CreateTicketRequest(parent="backends/invgate"))) == {"ticket"}


def test_a_reference_must_match_the_referenced_pattern_and_names_the_pattern():
    found = violations(t.GetTicketRequest(name="backends/invgate/users/1"))
    assert "backends/{backend}/tickets/{ticket}" in found["name"]
    repeated = violations(
        t.BatchGetTicketsRequest(
            parent="backends/invgate", names=["backends/invgate/tickets/1", "tickets/2"]
        )
    )
    assert list(repeated) == ["names[1]"]


def test_nested_resource_fields_are_checked_with_their_path_and_page_size_not_negative():
    found = violations(
        t.CreateTicketRequest(parent="backends/invgate", ticket=t.Ticket(requester="nobody"))
    )
    assert "ticket.requester" in found
    assert "page_size" in violations(t.ListTicketsRequest(parent="backends/invgate", page_size=-1))


def test_required_fields_inside_repeated_messages_are_checked_per_element():
    request = k.AddArticleAttachmentsRequest(
        parent="backends/invgate/articles/1",
        author="backends/invgate/users/1",
        files=[k.FileUpload(file_name="a.txt", content=b"x"), k.FileUpload(content=b"y")],
    )
    assert list(violations(request)) == ["files[1].file_name"]
