"""Raw vendor records as `google.protobuf.Struct` (`VendorRecord.remote_data`), for every
vendor, and the readings of raw values every vendor needs (`to_int`, `plain_text`).

Filled in place, value by value: every `Value(...)` built apart and then handed to a map or
list is copied once more by upb, and `Struct.update` goes through the generic well-known-type
helpers. Filling the target's own fields costs about a third of either on the GetTicket hot
path (benchmarks/README.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from google.protobuf.struct_pb2 import NULL_VALUE, Struct, Value
from google.protobuf.timestamp_pb2 import Timestamp


def to_struct(record: Mapping[Any, Any]) -> Struct:
    """A JSON-like mapping (keys made strings) as a new Struct."""
    return fill_struct(Struct(), record)


def fill_struct(target: Struct, record: Mapping[Any, Any]) -> Struct:
    """Copy a JSON-like mapping into `target` (keys made strings); returns `target`."""
    fields = target.fields
    for key, item in record.items():
        value = fields[key if type(key) is str else str(key)]
        # set_value's first branches, inline for the scalars most fields are: a call per
        # field is a third of the cost on the GetTicket path (benchmarks/README.md).
        kind = type(item)
        if kind is str:
            value.string_value = item
        elif kind is int or kind is float:
            value.number_value = item
        elif item is None:
            value.null_value = NULL_VALUE
        elif kind is bool:
            value.bool_value = item
        elif kind is dict:  # plain JSON containers inline too: set_value's isinstance checks
            struct = value.struct_value  # against abstract classes cost ~3 µs a record
            struct.SetInParent()
            if item:
                fill_struct(struct, item)
        elif kind is list:
            values = value.list_value
            values.SetInParent()
            if item:
                add = values.values.add
                for element in item:
                    set_value(add(), element)
        else:
            set_value(value, item)
    return target


def set_value(target: Value, item: Any) -> None:
    """Set `target` to a JSON-like value; numbers become doubles, as JSON has them."""
    kind = type(item)
    if kind is str:
        target.string_value = item
    elif kind is int or kind is float:
        target.number_value = item
    elif item is None:
        target.null_value = NULL_VALUE
    elif kind is bool:
        target.bool_value = item
    elif isinstance(item, Mapping):
        struct = target.struct_value
        struct.SetInParent()  # an empty object is still an object, not an unset value
        fill_struct(struct, item)
    elif isinstance(item, list | tuple):
        values = target.list_value
        values.SetInParent()
        add = values.values.add
        for element in item:
            set_value(add(), element)
    elif isinstance(item, int | float):  # int and float subclasses, e.g. IntEnum
        target.number_value = item
    else:
        target.string_value = str(item)


def set_time(stamp: Timestamp, moment: datetime) -> Timestamp:
    """`stamp.FromDatetime(moment)` for an aware datetime, at a fifth of the cost: protobuf's
    well-known-type helper is pure Python (a time tuple and `calendar.timegm` per call), and
    every vendor record carries two to four times. Naive datetimes are taken as UTC, as
    `FromDatetime` takes them. Returns `stamp`."""
    if moment.tzinfo is None:
        stamp.FromDatetime(moment)
        return stamp
    since = moment - _EPOCH  # exact: `timestamp()` is a float, a second off far from 1970
    stamp.seconds = since.days * 86_400 + since.seconds
    stamp.nanos = since.microseconds * 1000
    return stamp


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_int(value: Any) -> int | None:
    """A vendor id or count that may arrive as an int or a numeric string; None otherwise."""
    if type(value) is int:
        return value
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_TAG = re.compile(r"<[^>]*>")


def plain_text(text: str) -> str:
    """Text as a comparison sees it: vendors keep HTML and may wrap what they were sent, so
    tags, entities and runs of whitespace do not count."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())
