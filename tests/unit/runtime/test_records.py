"""Raw vendor records as Struct: every JSON shape survives, filled in place."""

from __future__ import annotations

from datetime import datetime

from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct
from google.protobuf.timestamp_pb2 import Timestamp
from hypothesis import given
from hypothesis import strategies as st

from deskbridge.runtime.records import fill_struct, set_time, to_struct

RECORD = {
    "id": 7,
    "title": "Printer",
    "ratio": 0.5,
    "open": True,
    "closed_at": None,
    "custom_fields": {},
    "tags": [],
    "nested": {"list": [1, "two", None, False, {"deep": []}]},
}


def test_every_json_shape_round_trips_including_empty_objects_and_lists():
    struct = to_struct(RECORD)
    assert json_format.MessageToDict(struct) == {**RECORD, "id": 7.0}
    assert struct.fields["custom_fields"].WhichOneof("kind") == "struct_value"
    assert struct.fields["tags"].WhichOneof("kind") == "list_value"
    assert struct.fields["closed_at"].WhichOneof("kind") == "null_value"


def test_filling_in_place_equals_the_generic_struct_update_and_keys_become_strings():
    expected = Struct()
    expected.update({**RECORD, "1": "x"})
    target = Struct()
    assert fill_struct(target, {**RECORD, 1: "x"}) is target
    assert target == expected


@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.timezones(),
    )
)
def test_set_time_is_from_datetime(moment):
    """The fast path agrees with protobuf's own conversion, any zone, any instant."""
    expected = Timestamp()
    expected.FromDatetime(moment)
    assert set_time(Timestamp(), moment) == expected


def test_set_time_is_exact_far_from_1970():
    """A float `timestamp()` rounds .999999 up to the next second in year 3000."""
    from datetime import UTC

    for year in (1, 100, 1969, 3000, 9999):
        moment = datetime(year, 6, 1, 12, 0, 0, 999_999, tzinfo=UTC)
        expected = Timestamp()
        expected.FromDatetime(moment)
        assert set_time(Timestamp(), moment) == expected, year
