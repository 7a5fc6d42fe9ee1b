import grpc
import pytest

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.names import ResourcePattern, backend_of

TICKET = ResourcePattern("backends/{backend}/tickets/{ticket}")


def test_parse_returns_variables():
    assert TICKET.parse("backends/invgate/tickets/309") == {"backend": "invgate", "ticket": "309"}


@pytest.mark.parametrize(
    "name",
    [
        "",
        "backends/invgate",
        "backends/invgate/tickets/",
        "backends//tickets/1",
        "backends/invgate/users/1",
        "backends/invgate/tickets/1/comments/2",
    ],
)
def test_parse_rejects_malformed_names_with_a_field_violation(name):
    with pytest.raises(ApiError) as caught:
        TICKET.parse(name, field="ticket.name")
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.violations[0].field == "ticket.name"


def test_format_round_trips():
    name = TICKET.format(backend="crm", ticket="SR00000275")
    assert TICKET.parse(name)["ticket"] == "SR00000275"


def test_name_fills_variables_in_pattern_order():
    comment = ResourcePattern("backends/{backend}/tickets/{ticket}/comments/{comment}")
    assert comment.name("invgate", 7, "c9") == comment.format(
        backend="invgate", ticket=7, comment="c9"
    )
    assert comment.name("invgate", 7, "c9") == "backends/invgate/tickets/7/comments/c9"


def test_backend_of_reads_the_prefix():
    assert backend_of("backends/motadata/tickets/1/comments/2") == "motadata"
    assert backend_of("backends/motadata") == "motadata"
    with pytest.raises(ApiError):
        backend_of("tickets/1", field="parent")
