"""`form_encode` must write exactly what `urllib.parse.urlencode` writes for string pairs."""

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(st.lists(st.tuples(st.text(), st.text()), max_size=4))
def test_form_encode_matches_urlencode_for_any_text(pairs):
    assert form_encode(pairs) == urlencode(pairs)


@given(
    st.lists(st.tuples(st.text(alphabet=st.characters(max_codepoint=127)), st.text()), max_size=4)
)
def test_form_encode_matches_urlencode_for_any_ascii(pairs):
    assert form_encode(pairs) == urlencode(pairs)
