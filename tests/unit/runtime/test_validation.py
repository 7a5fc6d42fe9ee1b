"""Validation from the contracts' annotations: every kind of check, all violations at once."""

from __future__ import annotations

import grpc
import pytest

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.validation import MAX_LONG_TEXT, MAX_TEXT, validate
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


def _ticket_create(**fields) -> t.CreateTicketRequest:
    return t.CreateTicketRequest(parent="backends/invgate", ticket=t.Ticket(**fields))


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[31m", "del\x7f"])
def test_control_characters_are_refused_in_any_string(text):
    found = violations(_ticket_create(title=text, description="fine"))
    assert list(found) == ["ticket.title"]
    assert "control characters" in found["ticket.title"]


def test_tabs_and_line_breaks_are_text():
    validate(t.GetTicketRequest(name="backends/invgate/tickets/1"))
    request = t.CreateCommentRequest(
        parent="backends/invgate/tickets/1",
        comment=t.Comment(body="line one\r\n\tline two\n", author="backends/invgate/users/1"),
    )
    assert "comment.body" not in _violations_or_none(request)


def test_short_and_long_text_have_their_own_bounds():
    found = violations(
        _ticket_create(title="x" * (MAX_TEXT + 1), description="y" * (MAX_LONG_TEXT + 1))
    )
    assert found["ticket.title"] == f"must be at most {MAX_TEXT} characters (got {MAX_TEXT + 1})"
    assert "ticket.description" in found
    assert "ticket.description" not in _violations_or_none(
        _ticket_create(title="x" * MAX_TEXT, description="y" * MAX_LONG_TEXT)
    )
    assert "ticket.title" not in _violations_or_none(_ticket_create(title="x" * MAX_TEXT))


def test_each_repeated_string_is_checked_with_its_index():
    found = violations(
        t.BatchGetTicketsRequest(
            parent="backends/invgate",
            names=["backends/invgate/tickets/1", "backends/invgate/tickets/2\x00"],
        )
    )
    assert "names[1]" in found


def _violations_or_none(request) -> dict[str, str]:
    try:
        validate(request)
    except ApiError as error:
        return {v.field: v.description for v in error.violations}
    return {}
