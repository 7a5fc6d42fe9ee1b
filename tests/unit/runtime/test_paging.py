import base64
import json

import pytest
from google.protobuf import struct_pb2

from deskbridge.runtime import paging
from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.paging import (
    cursor_text,
    decode_page_token,
    encode_page_token,
    fingerprint,
    page_of,
    page_size,
)
from deskbridge.runtime.settings import ConfigError, load_settings
from deskbridge.v1 import backends_pb2


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


def test_a_token_not_signed_here_is_rejected_even_with_the_right_fingerprint():
    """An unsigned base64 JSON token (the old format, which anyone could forge)."""
    request = _request("q")
    forged = base64.urlsafe_b64encode(
        json.dumps({"c": {"offset": -5}, "f": fingerprint(request)}).encode()
    ).decode()
    with pytest.raises(ApiError) as caught:
        decode_page_token(forged, request)
    assert "not a page token issued by this API" in caught.value.violations[0].description
    _, _, mac = encode_page_token({"offset": 50}, request).partition(".")
    tampered = base64.urlsafe_b64encode(
        json.dumps({"c": {"offset": 999}, "f": fingerprint(request)}).encode()
    ).decode()
    with pytest.raises(ApiError):
        decode_page_token(f"{tampered}.{mac}", request)


def test_tokens_signed_with_another_key_are_rejected():
    request = _request("q")
    before = paging._key
    try:
        paging.use_page_token_key(b"k" * 32)
        token = encode_page_token({"offset": 50}, request)
        paging.use_page_token_key(b"j" * 32)
        with pytest.raises(ApiError):
            decode_page_token(token, request)
        paging.use_page_token_key(b"k" * 32)
        assert decode_page_token(token, request) == {"offset": 50}
    finally:
        paging._key = before


@pytest.mark.parametrize("value", [-1, -(10**30), 10**10, "12", 1.5, True, None, [1], {"a": 1}])
def test_every_decoded_cursor_field_is_bounded(value):
    token = encode_page_token({"offset": value}, backends_pb2.ListBackendsRequest())
    with pytest.raises(ApiError) as caught:
        page_of(list(range(10)), backends_pb2.ListBackendsRequest(page_token=token))
    assert caught.value.violations[0].field == "page_token"


def test_keyset_keys_are_bounded_text():
    assert cursor_text({"page_key": "abc"}, "page_key") == "abc"
    assert cursor_text({"page_key": 12}, "page_key") == "12"
    assert cursor_text({}, "page_key") is None
    for bad in ("x" * 600, [1], {"a": 1}, True, 1.5):
        with pytest.raises(ApiError):
            cursor_text({"page_key": bad}, "page_key")


def test_settings_read_the_page_token_key_from_a_file(tmp_path):
    path = tmp_path / "key"
    path.write_text("a-shared-secret-of-enough-length\n")
    settings = load_settings({"DESKBRIDGE_PAGE_TOKEN_KEY_FILE": str(path)})
    assert settings.page_token_key.reveal() == "a-shared-secret-of-enough-length"
    assert "shared" not in repr(settings)
    with pytest.raises(ConfigError, match="DESKBRIDGE_PAGE_TOKEN_KEY"):
        load_settings({"DESKBRIDGE_PAGE_TOKEN_KEY": "short"})
    assert load_settings({}).page_token_key is None
