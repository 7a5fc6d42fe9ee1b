"""`form_encode` must write exactly what `urllib.parse.urlencode` writes for string pairs."""

from urllib.parse import urlencode

import pytest

from deskbridge.runtime.upstream import form_encode


@pytest.mark.parametrize(
    "pairs",
    [
        [],
        [("id", "1000")],
        [("ids[]", "1"), ("ids[]", "2")],
        [("comment", "<b>é</b> & more"), ("customer_visible", "0")],
        [("q", "a b+c=d/e?f#g%h")],
        [("empty", ""), ("unreserved", "AZaz09-_.~")],
        [("line", "one\ntwo"), ("emoji", "✓")],
    ],
)
def test_form_encode_matches_urlencode(pairs):
    assert form_encode(pairs) == urlencode(pairs)
