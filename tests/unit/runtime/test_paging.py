import pytest
from google.protobuf import struct_pb2

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.paging import decode_page_token, encode_page_token, page_size


def test_page_size_defaults_and_coerces():
    assert page_size(0) == 50
    assert page_size(10) == 10
    assert page_size(10_000) == 1000
    with pytest.raises(ApiError) as caught:
        page_size(-1)
    assert caught.value.violations[0].field == "page_size"


def _request(value: str) -> struct_pb2.Value:
    return struct_pb2.Value(string_value=value)


def test_token_round_trip_is_bound_to_the_request():
    request = _request("status=open")
    token = encode_page_token({"offset": 100}, request)
    assert decode_page_token(token, request) == {"offset": 100}
    with pytest.raises(ApiError) as caught:
        decode_page_token(token, _request("status=closed"))
    assert "does not belong" in caught.value.violations[0].description


@pytest.mark.parametrize("token", ["garbage!", "eyJ4IjoxfQ", "bm90IGpzb24"])
def test_bad_tokens_are_invalid_argument(token):
    with pytest.raises(ApiError) as caught:
        decode_page_token(token, _request(""))
    assert caught.value.violations[0].field == "page_token"


def test_empty_token_is_the_first_page():
    assert decode_page_token("", _request("x")) == {}
